import { activityStorage, type Scheduler } from '../scheduler.js'

/**
 * Recursive loop detection (spec §10): "If your function is invoked more than 16 times as part of a
 * request chain, Lambda interrupts the next invocation." AWS carries the count in the X-Ray
 * `Lineage` header; lambda-sim carries it on each attempt (the activity in the async context), so
 * that a message or async invoke made from inside a handler inherits the handler's depth, and on each
 * async event, so that its destination record and dead-letter message do too (enterChainHop). https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */

/** Invocations a request chain may make; the next one (the 17th) is stopped. */
export const MAX_CHAIN_INVOCATIONS = 16

/** The delivery running on behalf of an invocation (see enterChainHop): its depth and simulator. */
let delivery: { depth: number; scheduler: Scheduler } | undefined

/**
 * Depth, in `scheduler`'s simulator, of the running handler (1 for the first invocation of a chain),
 * of the invocation whose destination or dead-letter record is being delivered, or 0 outside both
 * (test code, the simulator itself, or code another simulator runs: chains never cross simulators).
 */
export function currentChainDepth(scheduler: Scheduler): number {
  if (delivery !== undefined && delivery.scheduler === scheduler) return delivery.depth
  const a = activityStorage.getStore()
  return a !== undefined && a.scheduler === scheduler ? a.chainDepth : 0
}

/**
 * Deliver on behalf of invocation number `depth` of a chain until {@link exitChainHop}: what the
 * delivery sends synchronously (a queue message, a topic publish and its fan-out, an async invoke of a
 * function destination, a bus event) continues that chain, as if the invocation's handler had sent
 * it. Returns what to restore.
 */
export function enterChainHop(scheduler: Scheduler, depth: number): typeof delivery {
  const outer = delivery
  delivery = { depth, scheduler }
  return outer
}

/** Restore what {@link enterChainHop} returned. */
export function exitChainHop(outer: typeof delivery): void {
  delivery = outer
}

/** Whether invocation number `depth` of a chain is stopped for a function with this recursion config. */
export function stopsRecursion(depth: number, recursiveLoop: 'Allow' | 'Terminate'): boolean {
  return depth > MAX_CHAIN_INVOCATIONS && recursiveLoop !== 'Allow'
}
