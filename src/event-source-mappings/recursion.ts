import { activityStorage } from '../scheduler.js'

/**
 * Recursive loop detection (spec §10): "If your function is invoked more than 16 times as part of a
 * request chain, Lambda interrupts the next invocation." AWS carries the count in the X-Ray
 * `Lineage` header; lambda-sim carries it on each attempt (the activity in the async context), so
 * that a message or async invoke made from inside a handler inherits the handler's depth, and on each
 * async event, so that its destination record and dead-letter message do too (enterChainHop). https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */

/** Invocations a request chain may make; the next one (the 17th) is stopped. */
export const MAX_CHAIN_INVOCATIONS = 16

/** The depth a delivery on behalf of an invocation runs at (see enterChainHop), or -1. */
let deliveryDepth = -1

/**
 * Depth of the running handler (1 for the first invocation of a chain), of the invocation whose
 * destination or dead-letter record is being delivered, or 0 outside both (test code, the simulator
 * itself).
 */
export function currentChainDepth(): number {
  return deliveryDepth >= 0 ? deliveryDepth : (activityStorage.getStore()?.chainDepth ?? 0)
}

/**
 * Deliver on behalf of invocation number `depth` of a chain until {@link exitChainHop}: what the
 * delivery sends synchronously (a queue message, a topic publish and its fan-out, an async invoke of a
 * function destination, a bus event) continues that chain, as if the invocation's handler had sent
 * it. Returns the depth to restore.
 */
export function enterChainHop(depth: number): number {
  const outer = deliveryDepth
  deliveryDepth = depth
  return outer
}

/** Restore the depth {@link enterChainHop} returned. */
export function exitChainHop(outer: number): void {
  deliveryDepth = outer
}

/** Whether invocation number `depth` of a chain is stopped for a function with this recursion config. */
export function stopsRecursion(depth: number, recursiveLoop: 'Allow' | 'Terminate'): boolean {
  return depth > MAX_CHAIN_INVOCATIONS && recursiveLoop !== 'Allow'
}
