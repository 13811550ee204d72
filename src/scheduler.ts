import { AsyncLocalStorage } from 'node:async_hooks'
import { SimulatorError } from './errors.js'
import { TaskHeap, type ScheduledTask, type Task } from './internal/heap.js'
import { IndexedList } from './internal/indexed-list.js'
import type { LogSink } from './logs.js'
import type { Lineage } from './event-source-mappings/recursion.js'
import { nextTurn, onNextTurn, realDelay } from './internal/real-time.js'

const RESOLVED = Promise.resolve()

/**
 * One unit of simulated work whose code may be running: an attempt of a handler (a subclass, see
 * attempt.ts) or an async sink's delivery. Virtual time may move only when every live activity is
 * parked on the virtual clock (or finished). See docs/time-model.md.
 *
 * What an activity does on its first park, when its event loop may have drained, and on an uncaught
 * exception are methods a subclass overrides, not closures set per activity: an attempt allocates no
 * function objects for them.
 */
export class Activity {
  /** Position in the scheduler's list of live activities. */
  listIndex = -1
  /** Start order (for listing live activities to people). */
  startSeq = 0
  /** The request and function this activity works for (named in warnings about it), unless a subclass knows them. */
  about: { requestId: string; functionName: string } | undefined = undefined
  /** Parked tokens: pending virtual timers and simulator waits this activity is blocked on. */
  waits = 0
  /** Started and not finished. */
  live = true
  /** Given up on after the real-time grace: treated as parked until its virtual deadline. */
  stuck = false
  /** {@link onFirstIdle} has been called. */
  idled = false
  /** Virtual timers this activity owns, frozen with its environment when it finishes early. */
  timers: Set<SleepTask> | undefined = undefined
  /** Other work it started that is still running and freezes with its environment (SDK requests in flight). */
  work: Set<FreezableWork> | undefined = undefined
  /** Where the handler's console lines go (set by the attempt; see logs.ts). */
  logSink: LogSink | undefined = undefined
  scheduler!: Scheduler
  readonly #label: string

  constructor(label: string) {
    this.#label = label
  }

  /** What warnings and diagnostics call this activity ("resize#2 (request id)"). */
  get label(): string {
    return this.#label
  }

  /** Where a console line of this activity's code goes now (see logs.ts): its sink while it is live. */
  currentLogSink(): LogSink | undefined {
    return this.live ? this.logSink : undefined
  }

  /** The request and function this activity works for (named in warnings about it). */
  aboutInfo(): { requestId: string; functionName: string } | undefined {
    return this.about
  }

  /**
   * Recursive loop detection: the lineage of what this activity's code sends (an attempt: its
   * invocation counted in; see recursion.ts), or undefined for none (a new chain).
   */
  sentLineage(): Lineage | undefined {
    return undefined
  }

  /**
   * Called the first time the activity stops running code while still live (it parks, or the grace
   * gives up on it). Until then virtual time cannot move under it, so an attempt schedules its timeout
   * here: an attempt that settles within microtasks never touches the heap for its timeout.
   */
  protected onFirstIdle(): void {}

  /** Run {@link onFirstIdle} once. */
  markIdle(): void {
    if (this.idled) return
    this.idled = true
    this.onFirstIdle()
  }

  /**
   * Called when the activity has made no progress for the real-time grace period and owns no virtual
   * timer: its event loop may simply be empty (a callback handler that never called back). Returns
   * true if that ended the activity; otherwise it is treated as stuck.
   */
  drained(): boolean {
    return false
  }

  /** Its code threw outside any promise (a virtual timer callback): an attempt ends with that error, as the runtime does on an uncaught exception. */
  uncaught(_error: unknown): void {}

  /** Owns a virtual timer that keeps its event loop alive (one not `unref()`'d), as Node's refed handles do. */
  hasRefedTimers(): boolean {
    const timers = this.timers
    if (timers === undefined) return false
    for (const t of timers) if (!t.unrefed) return true
    return false
  }

  /** One of its virtual timers was cleared, re-armed or unref'd: an attempt waiting for an empty event loop looks again. */
  timersChanged(): void {}

  park(): void {
    if (!this.live) return
    if (!this.idled) this.markIdle()
    if (this.waits++ === 0 && !this.stuck) this.scheduler.busyDelta(-1)
  }

  unpark(): void {
    if (this.live && --this.waits === 0 && !this.stuck) this.scheduler.busyDelta(1)
  }
}

/**
 * Work other than a virtual timer that handler code started and that Lambda freezes with the
 * environment if the handler returns while it runs: an AWS SDK request on its way to the simulator
 * (sdk/send-tracking.ts). It is in its activity's `work` while it runs.
 */
export interface FreezableWork {
  /** Its attempt ended with it still running. `discarded`: with its environment (a timeout): it never goes on. */
  freeze(discarded: boolean): void
  /** The environment it was frozen with is invoked again: it goes on, owned by `activity`. Called just before the handler starts. */
  thaw(activity: Activity): void
}

/** A virtual timer created by `sleep` (or by virtual globals inside handler code). */
export class SleepTask implements Task {
  /** While frozen with an environment (out of the heap): the virtual epoch ms it was due at. */
  at = 0
  heapIndex = -1
  owner: Activity | undefined
  /** `timeout.unref()`: it does not keep the owner's event loop alive (the drain before the runtime answers ignores it). */
  unrefed = false
  /**
   * Not work the handler started and could await (the timer behind `AbortSignal.timeout`): it freezes
   * with the environment like any timer, but is not counted as work left running.
   */
  background = false
  /**
   * The attempt whose code started it (an interval's re-arms keep its first): a timer frozen with an
   * environment and thawed into a later invocation is that attempt's leftover work, not the later one's.
   */
  origin: Activity | undefined
  readonly resolve: () => void

  constructor(owner: Activity | undefined, resolve: () => void) {
    this.owner = owner
    this.origin = owner
    this.resolve = resolve
  }

  fire(): void {
    const owner = this.owner
    if (owner !== undefined) {
      owner.timers?.delete(this)
      owner.unpark()
    }
    this.resolve()
  }

  describe(): string {
    return `sleep in ${this.owner?.label ?? 'test code'}`
  }
}

/** The activity whose handler code is running, propagated across awaits. */
export const activityStorage = new AsyncLocalStorage<Activity>()

interface Demand {
  /** Run tasks up to this instant (Infinity: until `done`). */
  until: number
  done: (() => boolean) | undefined
  /** Satisfied when only recurring work remains. */
  idle: boolean
  resolve: () => void
  reject: (error: unknown) => void
}

/** Options of the scheduler, validated by the simulator. */
export interface SchedulerOptions {
  startTime: number
  /** Maximum tasks run at one virtual instant before a runaway-loop error. */
  loopLimit: number
  /** Real ms to wait for a handler that neither settles nor parks before giving up on it. */
  realTimeGraceMs: number
  /** Called when stuck activities are given up on (warning on the event stream). */
  onStuck: (activities: Activity[]) => void
}

/**
 * Virtual clock and task scheduler. Tasks run in (time, sequence) order, one at a time through the
 * quiescence check: a task runs only when no activity is busy (running code rather than parked).
 * The cost per task is O(log n) and independent of how much virtual time passes.
 */
export class Scheduler {
  now: number
  /**
   * The start time. Objects kept per event store their times as ms since it: small integers, which
   * V8 keeps in the field itself, where an epoch-ms double would be a separate boxed number.
   */
  readonly epoch: number
  readonly #heap = new TaskHeap()
  #seq = 0
  #busy = 0
  #progress = 0
  #pendingWork = 0
  readonly #live = new IndexedList<Activity>()
  #activitySeq = 0
  #wake: (() => void) | undefined
  readonly #demands: Demand[] = []
  #looping = false
  /** The loop's synchronous part is on the stack (a task is firing): code running now was not called by test code. */
  inLoop = 0
  #lastTask: Task | undefined
  readonly #options: SchedulerOptions
  /**
   * Set once a request handler of lambda-sim/sdk without send tracking exists for this simulator
   * (sdk/request-handler.ts): a request that handler code sent through it and did not await reaches the
   * simulator within microtasks after its attempt ended, in that attempt's async context. After an
   * activity ends the loop then waits one macrotask turn (all microtasks run) before it moves time or
   * settles a demand, so the request is seen, held with its environment, at the instant it was sent.
   */
  turnAfterEnd = false
  /** An activity ended since the loop last waited a turn (see turnAfterEnd). */
  #endedSinceTurn = false

  constructor(options: SchedulerOptions) {
    this.now = options.startTime
    this.epoch = options.startTime
    this.#options = options
  }

  /** Schedule `task` at virtual instant `at` (never in the past). `recurring` tasks do not keep the simulator from being idle. */
  schedule(task: Task & { recurring?: boolean }, at: number): void {
    if (at < this.now || !Number.isFinite(at)) {
      throw new SimulatorError('TimeTravel', `Cannot schedule "${task.describe()}" at ${at}: the virtual clock is at ${this.now}`)
    }
    if (task.heapIndex !== -1) this.cancel(task)
    if (task.recurring !== true) this.#pendingWork++
    this.#heap.push(task, at, this.#seq++)
  }

  cancel(task: Task & { recurring?: boolean }): void {
    if (this.#heap.remove(task) && task.recurring !== true) this.#pendingWork--
  }

  /** Scheduled tasks in firing order, with their instants (diagnostics). */
  pendingTasks(): ScheduledTask[] {
    return this.#heap.sorted()
  }

  /**
   * A scheduled task that `match` accepts, or else one that was taken from the queue and never fired
   * (the loop stopped with a runaway-loop error just before it): O(n), for lookups off the hot path.
   */
  findTask<T extends Task>(match: (task: Task) => task is T): T | undefined {
    return this.#heap.find(match) ?? this.#unfired.find(match)
  }

  /** Tasks taken from the queue that never fired (see findTask). */
  readonly #unfired: Task[] = []

  /** The virtual instant `task` is scheduled at, or undefined when it is not scheduled. */
  dueAt(task: Task): number | undefined {
    return this.#heap.atOf(task)
  }

  /** Number of scheduled non-recurring tasks plus live activities. */
  get pendingCount(): number {
    return this.#pendingWork + this.#live.size
  }

  liveActivities(): Activity[] {
    return [...this.#live].sort((a, b) => a.startSeq - b.startSeq)
  }

  // ---- activity accounting -------------------------------------------------------------

  begin(label: string): Activity {
    return this.start(new Activity(label))
  }

  /** Register `activity` (just constructed) as live and busy. */
  start<A extends Activity>(activity: A): A {
    activity.scheduler = this
    activity.startSeq = this.#activitySeq++
    this.#live.add(activity)
    this.busyDelta(1)
    return activity
  }

  /** Finish an activity; returns the virtual timers it still owned (to be frozen), if any. */
  end(activity: Activity): SleepTask[] | undefined {
    if (!activity.live) return undefined
    const busy = activity.waits === 0 && !activity.stuck
    activity.live = false
    this.#live.delete(activity)
    if (this.turnAfterEnd) this.#endedSinceTurn = true
    let leftover: SleepTask[] | undefined
    if (activity.timers !== undefined && activity.timers.size > 0) {
      leftover = [...activity.timers]
      for (const t of leftover) {
        // Out of the heap while frozen: the timer keeps its instant itself.
        t.at = this.#heap.atOf(t) ?? this.now
        this.cancel(t)
        t.owner = undefined
      }
      activity.timers.clear()
    }
    if (busy) this.busyDelta(-1)
    else this.#progress++
    return leftover
  }

  /** Re-arm timers frozen with an environment, now owned by `activity`; overdue ones fire at once. */
  thaw(activity: Activity, timers: readonly SleepTask[]): void {
    for (const t of timers) {
      t.owner = activity
      ;(activity.timers ??= new Set()).add(t)
      activity.park()
      this.schedule(t, Math.max(t.at, this.now))
    }
  }

  busyDelta(delta: number): void {
    this.#busy += delta
    this.#progress++
    if (this.#busy !== 0) return
    if (this.#waitingIdle) {
      // Resume the loop once the code that made the last activity park or finish has returned: at the
      // end of an attempt's completion reaction (see settling), or else in a promise reaction.
      this.#waitingIdle = false
      if (this.#settling > 0) this.#resumeOwed = true
      else RESOLVED.then(this.#resume, this.#fail)
      return
    }
    if (this.#wake !== undefined) {
      const wake = this.#wake
      this.#wake = undefined
      wake()
    }
  }

  /** Park the current activity on the virtual clock for `ms`. Outside any activity, use advanceBy. */
  sleepInActivity(activity: Activity, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const task = new SleepTask(activity, resolve)
      ;(activity.timers ??= new Set()).add(task)
      activity.park()
      this.schedule(task, this.now + ms)
    })
  }

  /** Park `activity` until the callback given to `register` is called (a nested invocation, a simulator wait). */
  parkUntil<T>(activity: Activity, register: (settle: (value: T) => void) => void): Promise<T> {
    activity.park()
    return new Promise<T>((resolve) => {
      register((value) => {
        // Unpark synchronously, before the loop looks at its next task: the caller's code is about to run.
        activity.unpark()
        resolve(value)
      })
    })
  }

  // ---- driving the clock ---------------------------------------------------------------

  advanceTo(time: number): Promise<void> {
    if (!Number.isFinite(time)) throw new SimulatorError('InvalidOption', `Invalid time for advanceTo: ${String(time)} is not a finite epoch ms value`)
    if (time < this.now) {
      throw new SimulatorError('TimeTravel', `Cannot move the virtual clock backwards: advanceTo(${new Date(time).toISOString()}) while the clock is at ${new Date(this.now).toISOString()}`)
    }
    return this.#demand(time, undefined, false)
  }

  runUntilIdle(): Promise<void> {
    return this.#demand(Infinity, undefined, true)
  }

  /** Run tasks until `done()` is true (used by a RequestResponse invoke awaiting its result). */
  runUntil(done: () => boolean): Promise<void> {
    return this.#demand(Infinity, done, false)
  }

  #demand(until: number, done: (() => boolean) | undefined, idle: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#demands.push({ until, done, idle, resolve, reject })
      if (!this.#looping) {
        this.#looping = true
        this.#atInstant = 0
        this.#loopStore = activityStorage.getStore()
        this.#run()
      }
    })
  }

  /** Tasks run at the current instant so far (runaway-loop detection). */
  #atInstant = 0
  /** The loop waits for every activity to park (see busyDelta). */
  #waitingIdle = false
  /** `#progress` when the loop last waited a macrotask turn before moving time (-1: not waiting). */
  #turnProgress = -1
  /**
   * The async context the loop was started in (undefined from test code). The loop resumes in it, not
   * in the context of the attempt whose completion woke it: what a task does (accept an event, read
   * the request chain's lineage) belongs to the simulator, not to the attempt that happened to finish last.
   */
  #loopStore: Activity | undefined = undefined
  readonly #runInContext = (): void => {
    this.#run()
  }
  readonly #resume = (): void => {
    activityStorage.run(this.#loopStore as Activity, this.#runInContext)
  }
  readonly #fail = (error: unknown): void => {
    this.#failed(error)
  }

  /**
   * The loop. It runs tasks synchronously until it has to wait: for a busy activity to park or finish
   * (resumed by busyDelta through one promise reaction), or for a macrotask turn before moving time
   * while handlers are parked. A callback loop, not an async function: each await of an async
   * function allocates promises and runs the async-context hooks, per attempt.
   */
  #run(): void {
    this.inLoop++
    try {
      for (;;) {
        // Everything that may still run code at this instant is an activity (attempts, async sink
        // deliveries) or reports synchronously (attempt outcomes, a nested invoke's caller unparking),
        // so there is nothing to wait for when no activity is busy.
        if (this.#busy > 0) {
          this.#waitIdle()
          return
        }
        if (this.#endedSinceTurn) {
          this.#endedSinceTurn = false
          nextTurn().then(this.#resume, this.#fail)
          return
        }
        if (this.#settleDemands()) {
          this.#looping = false
          return
        }
        const horizon = this.#horizon()
        const nextAt = this.#heap.peekAt()
        const target = Math.min(nextAt, horizon)
        if (target > this.now) {
          if (this.#live.size > 0 && this.#turnProgress !== this.#progress) {
            // Parked handlers may still have microtasks queued behind an unawaited timer: let them
            // run before time moves, then look again (time moves once a turn passes without progress).
            this.#turnProgress = this.#progress
            nextTurn().then(this.#resume, this.#fail)
            return
          }
          this.#turnProgress = -1
          if (target === Infinity) {
            // Nothing left that could satisfy the remaining demands.
            if (this.#settleDemands(true)) {
              this.#looping = false
              return
            }
            continue
          }
          this.now = target
          this.#atInstant = 0
          if (nextAt > target) continue
        }
        const task = this.#heap.pop() as Task & { recurring?: boolean }
        if (task.recurring !== true) this.#pendingWork--
        this.#lastTask = task
        this.#turnProgress = -1
        if (++this.#atInstant > this.#options.loopLimit) {
          this.#unfired.push(task)
          throw new SimulatorError(
            'RunawayLoop',
            `Runaway loop: more than ${this.#options.loopLimit} tasks ran at virtual time ${new Date(this.now).toISOString()}; the last was "${task.describe()}". Raise the loopLimit option if this is intended.`,
          )
        }
        task.fire()
      }
    } catch (error) {
      this.#failed(error)
    } finally {
      this.inLoop--
    }
  }

  #failed(error: unknown): void {
    this.#waitingIdle = false
    this.#turnProgress = -1
    const demands = this.#demands.splice(0)
    this.#looping = false
    for (const d of demands) d.reject(error)
  }

  /**
   * Wait for busy activities. The common case (handlers that settle within microtasks) is resumed by
   * busyDelta; if a macrotask turn passes with an activity still busy, the slow path takes over
   * (#quiesce: the real-time grace for handlers awaiting real I/O or nothing at all).
   */
  #waitIdle(): void {
    this.#waitingIdle = true
    this.#waitProgress = this.#progress
    if (!this.#turnArmed) {
      this.#turnArmed = true
      onNextTurn(this.#onTurn)
    }
  }

  #waitProgress = 0
  #settling = 0
  #resumeOwed = false

  /**
   * Bracket the completion of an attempt run from a promise reaction (a handler's promise settled):
   * if it lets the loop go on, the loop goes on when the completion is done, in the same microtask,
   * instead of one promise reaction later. Nothing of the attempt is on the stack by then.
   */
  beginSettling(): void {
    this.#settling++
  }

  endSettling(): void {
    if (--this.#settling === 0 && this.#resumeOwed) {
      this.#resumeOwed = false
      this.#resume()
    }
  }

  /**
   * Resolve the demands that are met; true when none remain. `exhausted`: no task is left that
   * could ever meet the others, so time targets jump to their instant and the rest resolve as they are.
   */
  #settleDemands(exhausted = false): boolean {
    const demands = this.#demands
    for (let i = 0; i < demands.length; i++) {
      const d = demands[i] as Demand
      let met = d.done !== undefined ? d.done() : d.idle ? this.#pendingWork === 0 && this.#live.size === 0 && !this.#dueNow() : this.now >= d.until && !this.#dueNow()
      if (!met && exhausted) {
        if (d.until !== Infinity) this.now = Math.max(this.now, d.until)
        met = true
      }
      if (met) {
        demands.splice(i--, 1)
        d.resolve()
      }
    }
    return demands.length === 0
  }

  /**
   * A task is due at the current instant. A time target is met only once every task due at it has
   * run; idle waits for due recurring tasks too, without moving the clock for later ones.
   */
  #dueNow(): boolean {
    return this.#heap.peekAt() <= this.now
  }

  /** The furthest instant tasks may run at: the nearest time target, or unbounded if a demand waits on work. */
  #horizon(): number {
    let nearest = Infinity
    for (const d of this.#demands) {
      if (d.done !== undefined || d.idle) return Infinity
      if (d.until < nearest) nearest = d.until
    }
    return nearest
  }

  /** Macrotask turns seen by the turn watcher (see #quiesce). */
  #turns = 0
  #turnArmed = false
  readonly #onTurn = (): void => {
    this.#turnArmed = false
    this.#turns++
    if (this.#waitingIdle) {
      if (this.#progress !== this.#waitProgress) {
        // Busy, but moving (real I/O completing step by step): look again after the next turn.
        this.#waitProgress = this.#progress
        this.#turnArmed = true
        onNextTurn(this.#onTurn)
        return
      }
      // A whole turn passed with an activity busy and no progress: the slow path.
      this.#waitingIdle = false
      this.#quiesce().then(this.#resume, this.#fail)
      return
    }
    this.#wake?.()
  }

  /** Wait until no activity is busy. Gives up on activities stuck past the real-time grace. */
  async #quiesce(): Promise<void> {
    while (this.#busy > 0) {
      const progress = this.#progress
      const turns = this.#turns
      const woken = new Promise<void>((resolve) => {
        this.#wake = resolve
      })
      // Handlers that only touch the virtual clock settle within microtasks, before the turn watcher
      // fires; only a handler awaiting real I/O (or nothing at all) lets a macrotask turn pass. One
      // watcher serves every wait of the same macrotask turn (instead of one setImmediate per wait):
      // it fires once the microtask queue has drained, which is the moment that matters.
      if (!this.#turnArmed) {
        this.#turnArmed = true
        onNextTurn(this.#onTurn)
      }
      await woken
      const turned = this.#turns !== turns
      if (!turned || this.#busy === 0 || this.#progress !== progress) continue
      const grace = realDelay(this.#options.realTimeGraceMs)
      const rewoken = new Promise<boolean>((resolve) => {
        this.#wake = () => resolve(false)
      })
      const fired = await Promise.race([rewoken, grace.promise])
      grace.cancel()
      this.#wake = undefined
      if (fired && this.#busy > 0 && this.#progress === progress) this.#giveUpOnStuck()
    }
  }

  #giveUpOnStuck(): void {
    const stuck = this.liveActivities().filter((a) => a.waits === 0 && !a.stuck && !a.drained())
    if (stuck.length === 0) return
    for (const a of stuck) {
      a.stuck = true
      a.markIdle()
    }
    this.#options.onStuck(stuck)
    this.busyDelta(-stuck.length)
  }

  /** Label of the task that ran last (diagnostics). */
  get lastTaskLabel(): string | undefined {
    return this.#lastTask?.describe()
  }
}
