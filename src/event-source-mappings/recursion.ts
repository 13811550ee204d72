import { activityStorage } from '../scheduler.js'

/**
 * Recursive loop detection (spec §10): "If your function is invoked more than 16 times as part of a
 * request chain, Lambda interrupts the next invocation." AWS carries the count in the X-Ray
 * `Lineage` header; lambda-sim carries it on each attempt (the activity in the async context), so
 * that a message or async invoke made from inside a handler inherits the handler's depth. https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */

/** Invocations a request chain may make; the next one (the 17th) is stopped. */
export const MAX_CHAIN_INVOCATIONS = 16

/** Depth of the running handler (1 for the first invocation of a chain), or 0 outside any (test code, the simulator itself). */
export function currentChainDepth(): number {
  return activityStorage.getStore()?.chainDepth ?? 0
}

/** Whether invocation number `depth` of a chain is stopped for a function with this recursion config. */
export function stopsRecursion(depth: number, recursiveLoop: 'Allow' | 'Terminate'): boolean {
  return depth > MAX_CHAIN_INVOCATIONS && recursiveLoop !== 'Allow'
}
