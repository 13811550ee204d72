/**
 * The only module in src/ that touches real time. Everything else runs on the virtual clock.
 *
 * Why it exists: a handler that awaits real I/O keeps the simulator waiting (virtual time does not
 * move while it runs), and a handler that never settles would wait forever. So when the scheduler has
 * waited one full event-loop turn without progress, it arms a real-time grace timer; if nothing moves
 * before it fires, the stuck attempts are given up at their virtual deadline with a warning.
 * Nothing here can influence the order or the virtual times of simulated events.
 *
 * The real timer functions are captured when this module loads, so that `sim.useVirtualGlobals()`
 * (which replaces the globals while it is on) never reaches the scheduler's own waits.
 */

const realSetImmediate = globalThis.setImmediate
const realClearImmediate = globalThis.clearImmediate
const realSetTimeout = globalThis.setTimeout
const realClearTimeout = globalThis.clearTimeout

/** Resolves after the current macrotask turn (all pending microtasks have run). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve))
}

/** Calls `callback` after the current macrotask turn; returns a function that cancels it. */
export function onNextTurn(callback: () => void): () => void {
  const handle = realSetImmediate(callback)
  return () => realClearImmediate(handle)
}

/** Resolves `true` after `ms` real milliseconds; `cancel()` stops it early (resolving `false`). */
export function realDelay(ms: number): { promise: Promise<boolean>; cancel(): void } {
  let done: (fired: boolean) => void = () => {}
  const promise = new Promise<boolean>((resolve) => {
    done = resolve
  })
  const handle = realSetTimeout(() => done(true), ms)
  return {
    promise,
    cancel() {
      realClearTimeout(handle)
      done(false)
    },
  }
}

/** The real timer functions, as they were when lambda-sim loaded (virtual globals delegate to them outside handler code). */
export const realTimers = {
  setTimeout: realSetTimeout,
  clearTimeout: realClearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: realSetImmediate,
  clearImmediate: realClearImmediate,
} as const
