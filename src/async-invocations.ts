import type { ClientContext } from 'aws-lambda'
import { attemptFinishedEvent, attemptInputOf, keptOutcome, startAttempt, type AttemptHost, type AttemptInput, type AttemptOutcome, type KeptOutcome } from './attempt.js'
import type { Concurrency } from './concurrency.js'
import type { DestinationCondition } from './destinations/destination.js'
import type { EffectiveConfig, EventInvokeConfigs } from './event-invoke-config.js'
import type { SimEvent } from './events.js'
import type { Faults } from './faults.js'
import type { FunctionVersion, LambdaFunction } from './functions.js'
import type { Task } from './internal/heap.js'
import { EMPTY_LINEAGE, MAX_CHAIN_INVOCATIONS, stopsRecursion, type Lineage } from './event-source-mappings/recursion.js'

/** Waits before the first and the second retry after a function error (AWS: 1 and 2 minutes). */
export const RETRY_DELAYS_MS = [60_000, 120_000] as const
/** Throttle and system-error backoff: exponential from 1 s, capped at 5 minutes. */
export const THROTTLE_BACKOFF_START_MS = 1_000
export const THROTTLE_BACKOFF_MAX_MS = 300_000

/**
 * The wait after the `n`-th consecutive throttle (n = 0 first): exponential from 1 s, capped at 5 min
 * (AWS). With `random`, "equal jitter": uniformly between half and all of that, to the millisecond, so
 * that events throttled together do not all come back at the same instant (AWS documents the range,
 * not the jitter: spec §14 item 13; docs/semantics.md), and never below AWS's documented first
 * interval of 1 s (so the first wait is 1 s; one draw is still taken, keeping the seeded stream).
 */
export function throttleBackoffMs(n: number, random: { next(): number } | undefined): number {
  const ceiling = Math.min(THROTTLE_BACKOFF_START_MS * 2 ** n, THROTTLE_BACKOFF_MAX_MS)
  return random === undefined ? ceiling : Math.max(THROTTLE_BACKOFF_START_MS, Math.round(ceiling / 2 + random.next() * (ceiling / 2)))
}

/** Why a queued event could not start an attempt. */
type Obstacle = { kind: 'throttle' | 'fault' | 'zero' | 'recursion'; reason: string }

export interface AsyncHost extends AttemptHost {
  readonly concurrency: Concurrency
  readonly configs: EventInvokeConfigs
  readonly faults: Faults
  /** Equal jitter on the throttle backoff, drawn from the seeded source (see SimulatorOptions.throttleJitter). */
  readonly throttleJitter: boolean
  readonly random: { next(): number }
  /** CloudWatch-like counters (`Invocations`, `Errors`, `Throttles`). */
  readonly metrics: { invocations: number; errors: number; throttles: number }
  /** Whether anyone listens (events are only built when true). */
  readonly observed: boolean
  emit(event: SimEvent): void
  /** Deliver the terminal outcome to the destinations and the DLQ. */
  settle(event: AsyncEvent, condition: DestinationCondition, config: EffectiveConfig, obstacle: Obstacle | undefined): void
  /** Called after a successful attempt: may schedule a duplicate delivery (at-least-once). */
  afterSuccess(event: AsyncEvent): void
  versionFor(fn: LambdaFunction, qualifier: string): FunctionVersion
}

/**
 * One accepted asynchronous event. It is its own scheduler task (no allocation per retry): each time
 * it fires, the poller tries to start an attempt.
 */
export class AsyncEvent implements Task, AttemptInput {
  heapIndex = -1
  /** Attempts that actually ran (`approximateInvokeCount`). */
  attempts = 0
  // An event is kept (and promoted) for its whole life, so its rarely used facts share fields: `done`,
  // `duplicate` and the throttle count are bits of one small integer, and the drop reason (read at
  // the first dequeue, which ends a dropped event) and the last obstacle (set by a backoff, after it)
  // share a slot.
  #bits = 0
  #aside: Obstacle | string | undefined = undefined
  /** What its last attempt's record and dead-letter message need (see keptOutcome). */
  last: KeptOutcome | undefined
  /**
   * Recursive loop detection (spec §10): the lineage its sender's request chain had (EMPTY_LINEAGE
   * from test code: shared, so that an event allocates none); this invocation is not counted in it.
   */
  lineage: Lineage = EMPTY_LINEAGE
  /**
   * The engine, function, qualifier and invoked ARN, in one object shared by the events invoked the
   * same way (see AsyncEngine.target): an event is kept (and promoted) for its whole life.
   */
  readonly #target: AsyncTarget
  readonly requestId: string
  readonly eventJson: string
  /** When it was accepted, as ms since the scheduler's start (see Scheduler.epoch). */
  readonly #accepted: number
  /** The version the current (or last) attempt runs (set when the attempt starts). */
  version!: FunctionVersion

  constructor(target: AsyncTarget, requestId: string, eventJson: string, acceptedAt: number) {
    this.#target = target
    this.requestId = requestId
    this.eventJson = eventJson
    this.#accepted = acceptedAt - target.engine.epoch
  }

  get target(): AsyncTarget {
    return this.#target
  }

  get engine(): AsyncEngine {
    return this.#target.engine
  }

  get fn(): LambdaFunction {
    return this.#target.fn
  }

  get qualifier(): string {
    return this.#target.qualifier
  }

  get invokedArn(): string {
    return this.#target.invokedArn
  }

  /** Its terminal outcome has been handled. */
  get done(): boolean {
    return (this.#bits & 1) !== 0
  }

  set done(value: boolean) {
    this.#bits = value ? this.#bits | 1 : this.#bits & ~1
  }

  /** A duplicate delivery of an event that already succeeded (at-least-once). */
  get duplicate(): boolean {
    return (this.#bits & 2) !== 0
  }

  set duplicate(value: boolean) {
    this.#bits = value ? this.#bits | 2 : this.#bits & ~2
  }

  /** Consecutive throttles since the last attempt started (drives the backoff). */
  get throttles(): number {
    return this.#bits >>> 2
  }

  set throttles(n: number) {
    this.#bits = (this.#bits & 3) | (n << 2)
  }

  /** Set at acceptance when the opt-in `drops` option drops this event; it ends `Dropped` when first polled. */
  get dropReason(): string | undefined {
    const a = this.#aside
    return typeof a === 'string' ? a : undefined
  }

  set dropReason(reason: string | undefined) {
    this.#aside = reason
  }

  /** Why its last dequeue could not start an attempt (a throttle or a fault), if any did. */
  get lastObstacle(): Obstacle | undefined {
    const a = this.#aside
    return typeof a === 'object' ? a : undefined
  }

  set lastObstacle(obstacle: Obstacle | undefined) {
    this.#aside = obstacle
  }

  /** Virtual epoch ms at which it was accepted. */
  get acceptedAt(): number {
    return this.engine.epoch + this.#accepted
  }

  /** The function's unqualified ARN (a {@link RecordSource}). */
  get fnArn(): string {
    return this.fn.arn
  }

  fire(): void {
    this.engine.dequeue(this)
  }

  // As its own AttemptInput: the attempt reads these (no input object per attempt).
  get invokedFunctionArn(): string {
    return this.invokedArn
  }

  get clientContext(): ClientContext | undefined {
    return undefined
  }

  get attempt(): number {
    return this.attempts
  }

  /** The outcome of its attempt (AttemptDone). */
  attemptDone(outcome: AttemptOutcome): void {
    this.engine.finished(this, outcome)
  }

  describe(): string {
    return `${this.attempts === 0 ? 'first attempt' : `retry ${this.attempts}`} of ${this.fn.name} (${this.requestId})`
  }
}

/** What events invoked the same way share: one per function, qualifier and whether it was given (see AsyncEngine.target). */
export class AsyncTarget {
  readonly engine: AsyncEngine
  readonly fn: LambdaFunction
  readonly qualifier: string
  readonly invokedArn: string

  constructor(engine: AsyncEngine, fn: LambdaFunction, qualifier: string, invokedArn: string) {
    this.engine = engine
    this.fn = fn
    this.qualifier = qualifier
    this.invokedArn = invokedArn
  }
}

/**
 * Lambda's asynchronous queue and poller (spec §5): function errors retried after 60 s then 120 s,
 * the event-age look-ahead, throttles and service faults re-queued with exponential backoff without
 * using a retry attempt, reserved concurrency 0 straight to failure handling.
 */
export class AsyncEngine {
  readonly #host: AsyncHost
  /** The scheduler's start time (see Scheduler.epoch). */
  readonly epoch: number
  /** Accepted events per function without a terminal outcome (the queue depth the `drops` option reads). */
  readonly #inFlight = new Map<LambdaFunction, number>()

  constructor(host: AsyncHost) {
    this.#host = host
    this.epoch = host.scheduler.epoch
  }

  /**
   * The shared facts of an event invoked as `fn` with `qualifier` (`qualified`: the caller gave it; the
   * invoked ARN then carries it), made on first use and kept on the function.
   */
  target(fn: LambdaFunction, qualifier: string, qualified: boolean): AsyncTarget {
    if (!qualified) {
      const t = fn.asyncTarget
      if (t !== undefined && t.engine === this && t.qualifier === qualifier) return t
      const made = new AsyncTarget(this, fn, qualifier, fn.arn)
      if (t === undefined) fn.asyncTarget = made
      return made
    }
    const targets = (fn.qualifiedAsyncTargets ??= new Map())
    const t = targets.get(qualifier)
    if (t !== undefined && t.engine === this) return t
    const made = new AsyncTarget(this, fn, qualifier, `${fn.arn}:${qualifier}`)
    if (t === undefined) targets.set(qualifier, made)
    return made
  }

  accept(event: AsyncEvent): void {
    this.#inFlight.set(event.fn, (this.#inFlight.get(event.fn) ?? 0) + 1)
    this.#host.scheduler.schedule(event, this.#host.scheduler.now)
  }

  /**
   * The accepted event `requestId` that has no terminal outcome yet (not a duplicate delivery), if
   * any. Such an event is always queued for its next attempt, running one, or being handled (taken
   * from the queue or just finished: an observer of its events may ask), or else was taken from the
   * queue and never fired (a runaway-loop error). It is looked up there: no list of pending events is
   * kept, which cost every event an entry and a removal. O(queued events).
   */
  waitingEvent(requestId: string): AsyncEvent | undefined {
    const match = (x: unknown): x is AsyncEvent => x instanceof AsyncEvent && x.requestId === requestId && !x.duplicate && !x.done
    if (match(this.#handling)) return this.#handling
    const s = this.#host.scheduler
    const queued = s.findTask(match)
    if (queued !== undefined) return queued
    for (const a of s.liveActivities()) {
      const input = attemptInputOf(a)
      if (match(input)) return input
    }
    return undefined
  }

  /** Accepted events of `fn` that have no terminal outcome yet. */
  inFlight(fn: LambdaFunction): number {
    return this.#inFlight.get(fn) ?? 0
  }

  /** The event whose dequeue or outcome is being handled: it is neither queued nor running (see waitingEvent). */
  #handling: AsyncEvent | undefined = undefined

  dequeue(ev: AsyncEvent): void {
    const outer = this.#handling
    this.#handling = ev
    try {
      this.#dequeue(ev)
    } finally {
      this.#handling = outer
    }
  }

  #dequeue(ev: AsyncEvent): void {
    const host = this.#host
    const now = host.scheduler.now
    const fn = ev.fn
    if (ev.dropReason !== undefined) {
      this.#terminal(ev, 'Dropped', undefined, undefined, ev.dropReason)
      return
    }
    let version: FunctionVersion
    try {
      version = host.versionFor(fn, ev.qualifier)
    } catch {
      // The function, or the alias or version, was deleted while the event waited.
      this.#terminal(ev, 'Dropped', undefined, undefined, fn.deleted ? `function ${fn.name} no longer exists` : `qualifier ${ev.qualifier} no longer exists`)
      return
    }
    const config = host.configs.effective(fn, ev.qualifier, version.version)
    if (now - ev.acceptedAt >= config.maximumEventAgeMs) {
      this.#expire(ev, config, undefined)
      return
    }
    if (!ev.duplicate && ev.attempts > config.maximumRetryAttempts) {
      // maximumRetryAttempts was lowered while the retry waited: the configuration current at each attempt applies.
      this.#terminal(ev, 'RetriesExhausted', config, undefined)
      return
    }
    const count = ev.lineage.count(fn.name) + 1
    if (stopsRecursion(count, fn.recursiveLoop)) {
      // The first stop of a function in a chain (its 17th invocation) sends the event to the DLQ /
      // on-failure destination (AWS). An event that such a record started again (a loop through that
      // destination) is stopped with no record, or the chain would never end (docs/semantics.md).
      const first = count === MAX_CHAIN_INVOCATIONS + 1
      this.#terminal(ev, 'RecursiveInvocationDropped', first ? config : undefined, { kind: 'recursion', reason: 'RecursiveInvocationException' }, first ? undefined : `Request chain already stopped at invocation ${MAX_CHAIN_INVOCATIONS + 1}: no record sent again`)
      return
    }
    if (fn.reservedConcurrency === 0) {
      this.#terminal(ev, 'ZeroReservedConcurrency', config, { kind: 'zero', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' })
      return
    }
    const fault = host.faults.take(fn.name, now)
    if (fault !== undefined) {
      // An injected 429 is a throttle (Reason CallerRateLimitExceeded); a 5xx is a service fault.
      this.#backoff(ev, config, fault.statusCode === 429 ? { kind: 'throttle', reason: fault.reason ?? fault.name } : { kind: 'fault', reason: fault.name })
      return
    }
    const reason = host.concurrency.tryAcquire(fn)
    if (reason !== undefined) {
      this.#backoff(ev, config, { kind: 'throttle', reason })
      return
    }
    ev.attempts++
    ev.throttles = 0
    host.metrics.invocations++
    const attempt = ev.attempts
    if (host.observed) {
      const e: SimEvent = { type: 'attempt-started', time: now, requestId: ev.requestId, functionName: fn.name, version: version.version, attempt, invocationType: 'Event', coldStart: version.idle.length === 0 }
      if (ev.duplicate) e.duplicate = true
      host.emit(e)
    }
    ev.version = version
    startAttempt(host, ev, ev)
  }

  /** The outcome of `ev`'s attempt, at the instant it ended. */
  finished(ev: AsyncEvent, outcome: AttemptOutcome): void {
    const outer = this.#handling
    this.#handling = ev
    try {
      this.#finished(ev, outcome)
    } finally {
      this.#handling = outer
    }
  }

  #finished(ev: AsyncEvent, outcome: AttemptOutcome): void {
    const host = this.#host
    const version = ev.version
    const fn = ev.fn
    host.concurrency.release(fn)
    ev.last = outcome
    if (!outcome.ok) host.metrics.errors++
    const now = host.scheduler.now
    if (host.observed) {
      const e = attemptFinishedEvent(now, ev.requestId, fn.name, ev.attempts, 'Event', outcome)
      if (ev.duplicate) e.duplicate = true
      host.emit(e)
    }
    if (ev.duplicate) {
      // A duplicate delivery's outcome is recorded on the timeline; the event's terminal outcome was already given.
      return
    }
    const config = host.configs.effective(fn, ev.qualifier, version.version)
    if (outcome.ok) {
      this.#terminal(ev, 'Success', config, undefined)
      host.afterSuccess(ev)
      return
    }
    if (ev.attempts > config.maximumRetryAttempts) {
      this.#terminal(ev, 'RetriesExhausted', config, undefined)
      return
    }
    const delay = RETRY_DELAYS_MS[Math.min(ev.attempts, 2) - 1] as number
    const retryAt = now + delay
    // AWS looks ahead: if the retry would land at or past the maximum age, it gives up now.
    if (retryAt - ev.acceptedAt >= config.maximumEventAgeMs) {
      this.#expire(ev, config, retryAt)
      return
    }
    if (host.observed) host.emit({ type: 'retry-scheduled', time: now, requestId: ev.requestId, functionName: fn.name, attempt: ev.attempts + 1, delayMs: delay, retryAt })
    // It waits for the retry: keep only what its record needs (after the observers, so that what they
    // built is kept rather than built again).
    ev.last = keptOutcome(outcome)
    host.scheduler.schedule(ev, retryAt)
  }

  #backoff(ev: AsyncEvent, config: EffectiveConfig, obstacle: Obstacle): void {
    const host = this.#host
    const now = host.scheduler.now
    ev.lastObstacle = obstacle
    if (obstacle.kind === 'throttle') host.metrics.throttles++
    const delay = throttleBackoffMs(ev.throttles, host.throttleJitter ? host.random : undefined)
    ev.throttles++
    const retryAt = now + delay
    if (host.observed) host.emit({ type: 'throttled', time: now, requestId: ev.requestId, functionName: ev.fn.name, invocationType: 'Event', reason: obstacle.reason, delayMs: delay, retryAt })
    if (retryAt - ev.acceptedAt >= config.maximumEventAgeMs) {
      this.#expire(ev, config, retryAt)
      return
    }
    host.scheduler.schedule(ev, retryAt)
  }

  #expire(ev: AsyncEvent, config: EffectiveConfig, nextAttemptWouldBeAt: number | undefined): void {
    const host = this.#host
    if (host.observed) {
      const now = host.scheduler.now
      const e: SimEvent = { type: 'expired', time: now, requestId: ev.requestId, functionName: ev.fn.name, ageMs: now - ev.acceptedAt, maximumEventAgeMs: config.maximumEventAgeMs }
      if (nextAttemptWouldBeAt !== undefined) e.nextAttemptWouldBeAt = nextAttemptWouldBeAt
      host.emit(e)
    }
    this.#terminal(ev, 'EventAgeExceeded', config, ev.lastObstacle)
  }

  #terminal(ev: AsyncEvent, condition: DestinationCondition | 'Dropped', config: EffectiveConfig | undefined, obstacle: Obstacle | undefined, reason?: string): void {
    const host = this.#host
    // A duplicate delivery never gives the event a second terminal outcome (expired or throttled out, it just ends).
    if (ev.duplicate) return
    const left = (this.#inFlight.get(ev.fn) ?? 1) - 1
    if (left === 0) this.#inFlight.delete(ev.fn)
    else this.#inFlight.set(ev.fn, left)
    ev.done = true
    if (host.observed) {
      const e: SimEvent = { type: 'terminal', time: host.scheduler.now, requestId: ev.requestId, functionName: ev.fn.name, condition, approximateInvokeCount: ev.attempts }
      if (reason !== undefined) e.reason = reason
      host.emit(e)
    }
    if (condition !== 'Dropped' && config !== undefined) host.settle(ev, condition, config, obstacle)
    // The event is done: let go of the last response now. The event object itself is old (it waited in
    // the queue) and anything it still pointed to would be promoted by every scavenge until the next
    // full collection.
    ev.last = undefined
  }
}
