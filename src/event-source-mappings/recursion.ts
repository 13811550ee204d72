import { activityStorage, type Scheduler } from '../scheduler.js'

/**
 * Recursive loop detection (spec §10): "If your function is invoked more than 16 times as part of a
 * request chain, Lambda interrupts the next invocation." AWS carries the counts in the X-Ray trace
 * header's `Lineage` field, one entry per function (`Lineage=a87bd80c:1|68fd508a:5`), so the limit is
 * per function within a chain: in a ping-pong a → queue → b → queue → a, a's 17th invocation (the
 * chain's 33rd) is stopped. lambda-sim carries a {@link Lineage} on each attempt (the activity in the
 * async context), so that a message or invoke made from inside a handler inherits the handler's
 * lineage, and on each async event, so that its destination record and dead-letter message do too
 * (enterChainHop). https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */

/** Invocations of one function a request chain may make; that function's next one (its 17th) is stopped. */
export const MAX_CHAIN_INVOCATIONS = 16

/**
 * What a request chain has invoked so far: how many times each function ran in it (AWS's X-Ray
 * `Lineage`). Immutable and shared: a queue message, stream record, async event and attempt hold a
 * reference, and what is sent from test code holds {@link EMPTY_LINEAGE}. A function counts by its
 * unqualified name (all its versions and aliases together), like its `RecursiveLoop` setting.
 */
export class Lineage {
  /** Function names, in the order they were first invoked in the chain. */
  readonly #names: readonly string[]
  /** Invocations of each of {@link #names}. */
  readonly #counts: readonly number[]
  /** Invocations in the chain so far, all functions together (0 for a chain not started). */
  readonly total: number

  constructor(names: readonly string[], counts: readonly number[], total: number) {
    this.#names = names
    this.#counts = counts
    this.total = total
  }

  /** How many times the chain has invoked `functionName` so far. */
  count(functionName: string): number {
    const i = this.#names.indexOf(functionName)
    return i < 0 ? 0 : (this.#counts[i] as number)
  }

  /** This lineage with one more invocation of `functionName` (a new object: see {@link lineageAfter}). */
  extended(functionName: string): Lineage {
    const i = this.#names.indexOf(functionName)
    if (i < 0) return new Lineage([...this.#names, functionName], [...this.#counts, 1], this.total + 1)
    const counts = this.#counts.slice()
    counts[i] = (counts[i] as number) + 1
    return new Lineage(this.#names, counts, this.total + 1)
  }

  /** `name:count` entries joined by `|`, as in AWS's header (which hashes the function ARN): `a:1|b:5`. */
  toString(): string {
    return this.#names.map((n, i) => `${n}:${this.#counts[i] as number}`).join('|')
  }
}

/** The lineage of what test code (or the simulator itself) sends: a new chain. */
export const EMPTY_LINEAGE = new Lineage([], [], 0)

/** A function as lineages key it, with its cached one-entry lineage. */
export interface LineageKey {
  readonly name: string
  /** `EMPTY_LINEAGE` extended by this function, made on first use (see {@link lineageAfter}). */
  firstLineage: Lineage | undefined
}

/**
 * `lineage` with one more invocation of `fn`: the lineage of what an invocation of `fn` sends when it
 * was started with `lineage`. The common case, an invocation started from test code, is cached on the
 * function, so that its records allocate nothing (the retry storm sends 100,000 of them).
 */
export function lineageAfter(lineage: Lineage, fn: LineageKey): Lineage {
  if (lineage === EMPTY_LINEAGE) return (fn.firstLineage ??= EMPTY_LINEAGE.extended(fn.name))
  return lineage.extended(fn.name)
}

/** The delivery running on behalf of an invocation (see enterChainHop): its lineage and simulator. */
let delivery: { lineage: Lineage; scheduler: Scheduler } | undefined

/**
 * The lineage, in `scheduler`'s simulator, of what is sent now: by the running handler (its incoming
 * lineage with its own invocation counted), on behalf of the invocation whose destination or
 * dead-letter record is being delivered, or {@link EMPTY_LINEAGE} outside both (test code, the
 * simulator itself, or code another simulator runs: chains never cross simulators).
 */
export function currentLineage(scheduler: Scheduler): Lineage {
  if (delivery !== undefined && delivery.scheduler === scheduler) return delivery.lineage
  const a = activityStorage.getStore()
  return a !== undefined && a.scheduler === scheduler ? (a.sentLineage() ?? EMPTY_LINEAGE) : EMPTY_LINEAGE
}

/**
 * Deliver on behalf of an invocation whose sends carry `lineage` until {@link exitChainHop}: what the
 * delivery sends synchronously (a queue message, a topic publish and its fan-out, an async invoke of a
 * function destination, a bus event) continues that chain, as if the invocation's handler had sent
 * it. Returns what to restore. (One small object per delivery, as before.)
 */
export function enterChainHop(scheduler: Scheduler, lineage: Lineage): typeof delivery {
  const outer = delivery
  delivery = { lineage, scheduler }
  return outer
}

/** Restore what {@link enterChainHop} returned. */
export function exitChainHop(outer: typeof delivery): void {
  delivery = outer
}

/** Whether an invocation of a function, its `count`th in its chain, is stopped with this recursion config. */
export function stopsRecursion(count: number, recursiveLoop: 'Allow' | 'Terminate'): boolean {
  return count > MAX_CHAIN_INVOCATIONS && recursiveLoop !== 'Allow'
}

/**
 * The lineage a batch of messages or records starts `fn`'s invocation with: the one in which `fn`
 * has run the most (then the longest chain, then the first), so that a batch continues the chain
 * nearest to stopping. {@link EMPTY_LINEAGE} for an empty batch.
 */
export function deepestLineage(items: readonly { readonly lineage: Lineage }[], functionName: string): Lineage {
  let best = EMPTY_LINEAGE
  let bestCount = 0
  for (const item of items) {
    const l = item.lineage
    const c = l.count(functionName)
    if (c > bestCount || (c === bestCount && l.total > best.total)) {
      best = l
      bestCount = c
    }
  }
  return best
}
