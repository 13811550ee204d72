import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Recursive loop detection (spec §10): "If your function is invoked more than 16 times as part of a
 * request chain, Lambda interrupts the next invocation." AWS carries the count in the X-Ray
 * `Lineage` header; lambda-sim carries it in an AsyncLocalStorage around each attempt it starts on
 * behalf of a chain, so that a message or async invoke made from inside a handler inherits the
 * handler's depth. https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */

/** Invocations a request chain may make; the next one (the 17th) is stopped. */
export const MAX_CHAIN_INVOCATIONS = 16

/** The depth of the attempt whose code is running: 1 for the first invocation of a chain. */
export const chainStorage = new AsyncLocalStorage<number>()

/** Depth of the running handler, or 0 outside any (test code, the simulator itself). */
export function currentChainDepth(): number {
  return chainStorage.getStore() ?? 0
}

/** Run `start` (which starts an attempt synchronously) as invocation number `depth` of its chain. */
export function runInChain<T>(depth: number, start: () => T): T {
  return chainStorage.run(depth, start)
}

/** Whether invocation number `depth` of a chain is stopped for a function with this recursion config. */
export function stopsRecursion(depth: number, recursiveLoop: 'Allow' | 'Terminate'): boolean {
  return depth > MAX_CHAIN_INVOCATIONS && recursiveLoop !== 'Allow'
}
