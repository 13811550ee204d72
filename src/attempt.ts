import type { ClientContext } from 'aws-lambda'
import { fileURLToPath } from 'node:url'
import { types } from 'node:util'
import { createContext } from './context.js'
import type { InvocationType, SimEvent } from './events.js'
import type { Environment, FunctionRegistry, FunctionVersion, JsonLogging } from './functions.js'
import type { Task } from './internal/heap.js'
import { nextTurn } from './internal/real-time.js'
import { applicationRank, installLogCapture, jsonLine, textLine, type LogSink } from './logs.js'
import { Activity, activityStorage, type FreezableWork, type Scheduler, type SleepTask } from './scheduler.js'
import { lineageAfter, type Lineage } from './event-source-mappings/recursion.js'

/** The largest response Lambda returns; one byte more yields `Function.ResponseSizeTooLarge`. */
export const MAX_RESPONSE_BYTES = 6_291_556

/** No value was thrown (a handler may throw undefined). */
const NOT_THROWN: unique symbol = Symbol('not thrown')

/** What the simulator gives an attempt to run with. */
export interface AttemptHost {
  readonly scheduler: Scheduler
  readonly registry: FunctionRegistry
  readonly echoLogs: boolean
  nextEnvironmentId(): number
  iso(ms: number): string
  /** Report something the test author should see (a value Lambda ignores, a stuck handler). */
  notice(kind: 'ignored-return-value' | 'stuck-handler' | 'unhandled-rejection', message: string, details: Record<string, unknown>): void
  /**
   * An attempt returned while `pending` tasks it started were still running (virtual timers, due
   * `dueInMs` after the return, and `sdkRequests` SDK requests on their way to the simulator); they are frozen with environment
   * `environment`. `intended`: a callback handler that set `callbackWaitsForEmptyEventLoop = false`,
   * which asks for exactly this.
   */
  workLeftRunning(info: { requestId: string; functionName: string; version: string; label: string; environment: number; pending: number; dueInMs: number[]; ownDueInMs: number[]; sdkRequests: number; intended: boolean }): void
}

export interface AttemptInput {
  readonly version: FunctionVersion
  readonly requestId: string
  readonly eventJson: string
  readonly invokedFunctionArn: string
  readonly clientContext: ClientContext | undefined
  /** What warnings call the attempt; default "resize#2 (request id)" from `attempt`, built only when shown. */
  readonly label?: string | undefined
  /** The attempt number of an async event (for the default label). */
  readonly attempt?: number
  /**
   * Recursive loop detection: the lineage the attempt was started with (what its trigger carried; its
   * own invocation not counted in). See recursion.ts.
   */
  readonly lineage: Lineage
}

/** Told the outcome of an attempt: a function, or an object (an async event is its own input and receiver, so an attempt allocates neither). */
export type AttemptDone = ((outcome: AttemptOutcome) => void) | { attemptDone(outcome: AttemptOutcome): void }

/** The result of running a handler once. Never thrown: failures are data. */
export interface AttemptOutcome {
  ok: boolean
  /** The response body: the JSON result, or the JSON error object. */
  payloadJson: string
  errorType: string | undefined
  errorMessage: string | undefined
  executedVersion: string
  /** When the handler could start: the attempt's start, after the init phase on a cold start. */
  startedAt: number
  endedAt: number
  timedOut: boolean
  coldStart: boolean
  /** START / user lines / END / REPORT, as CloudWatch would show them. */
  logs: string
}

/** What an async event keeps of its last attempt for its record and dead-letter message. */
export type KeptOutcome = Pick<AttemptOutcome, 'ok' | 'executedVersion' | 'payloadJson' | 'errorMessage'>

/**
 * What an async event keeps of its last attempt until the next one ends: the outcome itself when it
 * succeeded (the event ends now), or for a failure only what the record and the dead-letter message
 * read. A failure waits a virtual minute or two for its retry, so what it keeps is promoted: this is
 * half the size of the outcome, whose timings and log fields were read when the attempt ended.
 */
export function keptOutcome(o: AttemptOutcome): KeptOutcome {
  return o instanceof Outcome && !o.ok ? o.kept() : o
}

const TOO_LARGE = JSON.stringify({
  errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  errorType: 'Function.ResponseSizeTooLarge',
})

/** This module's file, as stack frames print it (in the shipped build, the chunk that holds all of lambda-sim). */
const OWN_FILE = fileURLToPath(import.meta.url)

/**
 * A frame of the module functions that call user code: `startNext` calls the handler, `initialize` the
 * init code. Matched by name as well as by file, because the build links every module into one chunk
 * (scripts/build.mjs fails if it renames a function): lambda-sim code that a handler calls, and
 * that throws, is in the same file as these frames but above the handler's.
 */
const USER_CODE_CALLER = /^ {4}at (?:startNext|initialize) \(/

/** The same frame with source maps applied (`node --enable-source-maps`, tsx): the path of this source file. */
const OWN_SOURCE = /[\\/]src[\\/]attempt\.ts:\d+:\d+\)$/

/**
 * The stack as trace lines, without lambda-sim's own frames below the handler (AWS shows its runtime's
 * frames there; ours would only differ with how the simulator was called).
 */
export function traceLines(stack: string): string[] {
  const lines = stack.split('\n')
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string
    if (USER_CODE_CALLER.test(line) && (line.includes(OWN_FILE) || OWN_SOURCE.test(line))) return lines.slice(0, i)
  }
  return lines
}

/**
 * Convert a thrown value to Lambda's error payload exactly as the Node.js runtime interface client
 * does (`Errors.js` `toRapidResponse`), with lambda-sim's own frames cut from the trace.
 */
export function errorPayload(error: unknown): { errorType: string; errorMessage: string; trace?: string[] } {
  try {
    // Not `instanceof Error`: an object that merely inherits from Error.prototype (the pre-ES2015
    // subclass pattern) and has no stack is reported by typeof, as the runtime does.
    if (types.isNativeError(error) || isErrorLike(error)) {
      // As the runtime: DEL (0x7F) becomes %7F, and a name, message or stack that is not a string
      // (no replaceAll) throws into the "handled" shape below.
      // (A name or message set to undefined stays undefined and is left out of the JSON, as there.)
      const e = error as { name?: string; message?: string; stack: string }
      return { errorType: e.name?.replaceAll('\x7F', '%7F') as string, errorMessage: e.message?.replaceAll('\x7F', '%7F') as string, trace: traceLines(e.stack.replaceAll('\x7F', '%7F')) }
    }
    return { errorType: typeof error, errorMessage: (error as { toString(): string }).toString(), trace: [] }
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' }
  }
}

/** The RIC's `_isError`: non-empty string name, message and stack (on any object or function). */
function isErrorLike(v: unknown): boolean {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return false
  const e = v as Error
  return typeof e.name === 'string' && e.name !== '' && typeof e.message === 'string' && e.message !== '' && typeof e.stack === 'string' && e.stack !== ''
}

/**
 * What the runtime writes to the log for a function error (`Errors.toFormatted(intoError(err))`):
 * unlike the response payload, it carries `code` and the error's own enumerable properties, and the
 * stack under `stack`. A non-Error value is wrapped in `new Error(value)` first.
 */
export function invokeErrorLogJson(error: unknown): string {
  const e = error instanceof Error ? error : wrapNonError(error)
  try {
    return JSON.stringify(e, (_key, value: unknown) => {
      if (!(value instanceof Error)) return value
      const out: Record<string, unknown> = Object.assign({ errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code }, value as object)
      if (typeof value.stack === 'string') out['stack'] = traceLines(value.stack)
      return out
    })
  } catch {
    return JSON.stringify(errorPayload(error))
  }
}

/**
 * The runtime's `new Error(value)` for a thrown non-Error, with a stack of its first line only: every
 * frame it would capture is the runtime's (here lambda-sim's), which traces do not show (traceLines).
 */
function wrapNonError(value: unknown): Error {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new Error(String(value))
  } finally {
    Error.stackTraceLimit = limit
  }
}

/**
 * The runtime's `Errors.UnhandledPromiseRejection` (`super(reason)`, then own `reason` and `promise`;
 * its name, `Runtime.UnhandledPromiseRejection`, is on the prototype), with a stack of its first line
 * only: the runtime's frames (`process.<anonymous> (file:///var/runtime/index.mjs…)`) are not shown.
 */
class UnhandledPromiseRejection extends Error {
  reason: unknown
  promise: unknown
  constructor(reason: unknown, promise: unknown) {
    super(reason as string)
    this.reason = reason
    this.promise = promise
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection'

function unhandledPromiseRejection(reason: unknown, promise: unknown): Error {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    // `super(reason)` converts the reason with ToString; a Symbol cannot be, so it is described instead.
    return new UnhandledPromiseRejection(typeof reason === 'symbol' ? reason.toString() : reason, promise)
  } finally {
    Error.stackTraceLimit = limit
  }
}

let rejectionsInstalled = false

/**
 * Take unhandled rejections of handler code from Node before anyone else hears of them, once per
 * process. Node reports a rejection that is still unhandled at the end of a turn with
 * `process.emit('unhandledRejection', reason, promise)`, in the async context of the rejected promise,
 * so the attempt whose code made it is the current activity; `true` tells Node it was handled. A
 * rejection that is no attempt's goes on to `process.emit` as if lambda-sim were not there: the test
 * runner's listeners (vitest reports a rejection only when its own listener is the only one, node:test
 * fails the test it came from) and Node's default (`--unhandled-rejections=throw`) see exactly what
 * they would without lambda-sim. A `process.on` listener could not do this: every listener hears every
 * rejection, and adding one changes what the others do.
 */
function installRejectionCapture(): void {
  if (rejectionsInstalled) return
  rejectionsInstalled = true
  const emit = process.emit
  process.emit = function emitUnlessAttempts(this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'unhandledRejection' && claimRejection(args[0], args[1])) return true
    return (emit as (this: NodeJS.Process, event: string | symbol, ...args: unknown[]) => boolean).call(this, event, ...args)
  } as typeof process.emit
}

/** An unhandled rejection of handler code: what the runtime's listener does with it. False when it is no attempt's. */
function claimRejection(reason: unknown, promise: unknown): boolean {
  const run = activityStorage.getStore()
  if (!(run instanceof AttemptRun)) return false
  if (run.settled && run.env.running === undefined) {
    // Between invocations (work left by a handler that already answered): the runtime exits, so the
    // environment is not reused. After a timeout it was already gone, and the work never ran on Lambda.
    if (!run.discard) run.rejectedAfterReturn(reason)
    return true
  }
  // A promise made by an earlier attempt of an environment that now runs another (work frozen with it
  // and resumed) fails the attempt running there, as the runtime's listener fails the current invocation.
  const target = run.settled ? run.env.running : run
  if (!(target instanceof AttemptRun) || target.settled) return true
  const s = target.scheduler
  s.beginSettling()
  try {
    target.rejected(reason, promise)
  } finally {
    s.endSettling()
  }
  return true
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
}

/** The `attempt-finished` event for an outcome (built only when someone observes the stream). */
export function attemptFinishedEvent(time: number, requestId: string, functionName: string, attempt: number, invocationType: InvocationType, o: AttemptOutcome): Extract<SimEvent, { type: 'attempt-finished' }> {
  const e: Extract<SimEvent, { type: 'attempt-finished' }> = {
    type: 'attempt-finished',
    time,
    requestId,
    functionName,
    version: o.executedVersion,
    attempt,
    invocationType,
    outcome: o.ok ? 'success' : o.timedOut ? 'timeout' : 'error',
    durationMs: o.endedAt - o.startedAt,
    payload: JSON.parse(o.payloadJson) as unknown,
  }
  if (o.errorType !== undefined) e.errorType = o.errorType
  if (o.errorMessage !== undefined) e.errorMessage = o.errorMessage
  return e
}

/** The input of `activity` when it is a running attempt. */
export function attemptInputOf(activity: Activity): AttemptInput | undefined {
  return activity instanceof AttemptRun ? activity.input : undefined
}

/**
 * An attempt of handler code that has ended, for work of its handler that shows up afterwards in its
 * async context (an SDK request through a client without `sendTracking`, sdk/request-handler.ts).
 * `frozen`: its environment has not been invoked since and was not discarded, so work parked in its
 * `frozenWork` now goes on when it is next invoked. `discarded`: the environment ended with the
 * attempt (a timeout or failed init): the work never goes on. Otherwise the environment has run a
 * later invocation since (it thawed): the work goes on now.
 */
export function endedAttemptOf(activity: Activity): { env: Environment; frozen: boolean; discarded: boolean; intended: boolean; label: string } | undefined {
  if (!(activity instanceof AttemptRun) || activity.live || !activity.settled) return undefined
  const env = activity.env
  return {
    env,
    frozen: !activity.discard && env.invocations === activity.invocation,
    discarded: activity.discard,
    intended: activity.usesCallback && activity.context?.callbackWaitsForEmptyEventLoop === false,
    label: activity.label,
  }
}

/**
 * Run one attempt on the virtual clock; `onDone` is called synchronously at the virtual instant the
 * attempt ends (before the scheduler looks at its next task), so whatever it schedules is due in order.
 */
export function startAttempt(host: AttemptHost, input: AttemptInput, onDone: AttemptDone): void {
  new AttemptRun(host, input, onDone).start()
}

/**
 * One running attempt. It is also its own timeout task (scheduled at the deadline) and the log sink
 * of its activity, so that an attempt allocates no closures for either. The START / END / REPORT
 * lines are built only when someone reads `outcome.logs` (LogType Tail, the testing toolkit).
 */
class AttemptRun extends Activity implements Task, LogSink {
  // Task field: the attempt's timeout, at `deadline`.
  heapIndex = -1
  readonly host: AttemptHost
  readonly input: AttemptInput
  readonly done: AttemptDone
  readonly startedAt: number
  /** The timeout instant: the function timeout after the init phase (moved when an asynchronous init ends). */
  deadline: number
  /** Virtual ms of the init phase on a cold start with an asynchronous init (at most INIT_PHASE_LIMIT_MS). */
  initMs = 0
  /**
   * The function timeout and handler in force when the attempt started: `$LATEST` can be updated while
   * an asynchronous init runs, and the attempt goes on with the code it started with, as on Lambda.
   */
  readonly timeoutMs: number
  readonly handler: FunctionVersion['handler']
  env: Environment
  /** Which invocation of its environment this attempt is (the environment's `invocations` when it started). */
  invocation = 0
  coldStart: boolean
  /** Lines between START and END: the handler's console output, the Invoke Error / timeout line. */
  logs = ''
  /** Lines before START: the init code's console output (request id `undefined`, as the runtime has none yet). */
  initLogs = ''
  /** The init code is running (its console lines and an error it throws belong to the init phase). */
  initializing = false
  settled = false
  /** A callback completion waiting for the virtual event loop (timers) to drain. */
  deferred: { error: unknown; result: unknown } | undefined = undefined
  /** A callback handler returned without calling back: if its event loop drains, the runtime answers null. */
  awaitingCallback = false
  /**
   * A non-callback handler returned a non-promise with virtual timers pending: null once they drain,
   * unless `context.succeed/fail/done` or `callback` completes first (the runtime's default exit listener).
   * `'ignoring'`: the handler returned a value (not undefined) that this null ignores, warned about then
   * (a state of this field rather than another field: a run is made per attempt).
   */
  nullWhenDrained: boolean | 'ignoring' = false
  /** The refed timer whose firing makes {@link waitForDrain} look again. */
  drainWatch: SleepTask | undefined = undefined
  /** Frozen timers that came due while the environment was frozen (see start). */
  overdue: SleepTask[] | undefined = undefined
  /** Other frozen work (SDK requests) that goes on when the handler starts (see start). */
  thawing: FreezableWork[] | undefined = undefined
  /** The lineage of what the handler sends, made when it first sends something (see sentLineage). */
  sent: Lineage | undefined = undefined
  /** What the handler threw, or NOT_THROWN. */
  thrown: unknown = NOT_THROWN
  /** How `thrown` reached the runtime: INVOKE_ERROR, UNCAUGHT_EXCEPTION or UNHANDLED_REJECTION (the label of its log line). */
  escape = INVOKE_ERROR
  discard = false
  context: { callbackWaitsForEmptyEventLoop: boolean } | undefined = undefined
  usesCallback = false

  constructor(host: AttemptHost, input: AttemptInput, done: AttemptDone) {
    super('')
    this.host = host
    this.input = input
    this.done = done
    const s = host.scheduler
    this.logSink = this
    this.startedAt = s.now
    const v = input.version
    this.timeoutMs = v.timeoutMs
    this.handler = v.handler
    this.deadline = s.now + v.timeoutMs
    const warm = v.idle.pop()
    this.coldStart = warm === undefined
    this.env = warm ?? host.registry.newEnvironment(v, host.nextEnvironmentId(), host.iso(s.now))
    this.invocation = ++this.env.invocations
    this.env.running = this
    s.start(this)
  }

  /** "resize#2 (request id)", built when a warning or a diagnostic names the attempt. */
  override get label(): string {
    const input = this.input
    return input.label ?? `${input.version.fn.name}#${input.attempt ?? 1} (${input.requestId})`
  }

  /**
   * Console lines of this attempt's code go to its log while it runs; once it has ended, code it left
   * running that goes on during a later invocation of its environment (work frozen with it) writes to
   * that invocation's log, as the runtime stamps each line with the request being handled.
   */
  override currentLogSink(): LogSink | undefined {
    if (this.live) return this
    const running = this.env.running
    return running instanceof AttemptRun && running.live ? running : undefined
  }

  override aboutInfo(): { requestId: string; functionName: string } {
    return { requestId: this.input.requestId, functionName: this.input.version.fn.name }
  }

  /** The lineage the attempt started with, this invocation of its function counted in (made on first send). */
  override sentLineage(): Lineage {
    return (this.sent ??= lineageAfter(this.input.lineage, this.input.version.fn))
  }

  /** The timeout task is scheduled only once the attempt parks. */
  protected override onFirstIdle(): void {
    this.scheduler.schedule(this, this.deadline)
  }

  override drained(): boolean {
    if (!this.awaitingCallback || this.settled || this.deferred !== undefined) return false
    this.finishResult(null)
    return true
  }

  /** The runtime's `uncaughtException` listener: the invocation fails with the error and the runtime exits (129). */
  override uncaught(error: unknown): void {
    if (this.settled) return
    this.escape = this.initializing ? INIT_ERROR : UNCAUGHT_EXCEPTION
    this.finishError(error, true)
  }

  /**
   * The runtime's `unhandledRejection` listener: the invocation fails with
   * `Runtime.UnhandledPromiseRejection` and the runtime exits (128), so the environment is discarded.
   */
  rejected(reason: unknown, promise: unknown): void {
    if (this.settled) return
    this.escape = this.initializing ? INIT_ERROR | UNHANDLED_REJECTION : UNHANDLED_REJECTION
    this.finishError(unhandledPromiseRejection(reason, promise), true)
  }

  /**
   * A promise of this attempt's code rejected unhandled after it answered, while its environment is
   * idle: the runtime exits (128) and the environment is not reused. The answer stands.
   */
  rejectedAfterReturn(reason: unknown): void {
    const env = this.env
    const idle = this.input.version.idle
    const i = idle.indexOf(env)
    if (i >= 0) idle.splice(i, 1)
    env.frozen = undefined
    let shown: string
    try {
      shown = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)
    } catch {
      shown = typeof reason
    }
    this.host.notice('unhandled-rejection', `${this.label}: a promise its code left running rejected after the handler answered, and nothing handled it (${shown}); on Lambda the runtime exits with Runtime.UnhandledPromiseRejection, so the environment is not reused: the next invocation is a cold start`, this.aboutInfo())
  }

  /**
   * As the runtime interface client (CallbackContext.js): `context.done/succeed/fail` and a settled
   * promise answer at once. Only the first completion of any kind counts.
   */
  complete(error: unknown, result: unknown): void {
    if (this.settled || this.deferred !== undefined) return
    if (error !== null && error !== undefined) this.finishError(error, false)
    else this.finishResult(result)
  }

  /** The handler's `callback`: `callback(null, result)` waits for an empty event loop unless `callbackWaitsForEmptyEventLoop` is false. */
  callback(error?: unknown, result?: unknown): void {
    if (this.settled || this.deferred !== undefined) return
    if ((error === null || error === undefined) && this.context?.callbackWaitsForEmptyEventLoop) {
      if (this.hasRefedTimers()) {
        // The runtime answers only once the event loop is empty: wait for the virtual timers.
        this.deferred = { error, result }
        this.waitForDrain()
      } else this.finishResult(result, true)
      return
    }
    this.complete(error, result)
  }

  /** The timeout task fires at the deadline. */
  fire(): void {
    this.onTimeout()
  }

  describe(): string {
    return `timeout of ${this.label}`
  }

  get echo(): boolean {
    return this.host.echoLogs
  }

  /** A console line of the handler (LogSink), in the version's log format; a JSON line below `applicationLogLevel` is dropped, as the runtime makes that console method a no-op. */
  append(level: string, args: unknown[]): void {
    const json = this.input.version.jsonLogging
    const iso = this.host.iso(this.host.scheduler.now)
    if (json === undefined) {
      if (this.initializing) this.initLogs += textLine(iso, 'undefined', level, args)
      else this.log(textLine(iso, this.input.requestId, level, args))
      return
    }
    if (applicationRank(level) < applicationRank(json.applicationLogLevel)) return
    if (this.initializing) this.initLogs += jsonLine(iso, undefined, level, args)
    else this.log(jsonLine(iso, this.input.requestId, level, args))
  }

  start(): void {
    const host = this.host
    installLogCapture()
    installRejectionCapture()
    let overdue: SleepTask[] | undefined
    const frozen = this.env.frozen
    if (frozen !== undefined) {
      this.env.frozen = undefined
      // Timers that came due while the environment was frozen run as soon as it thaws: their
      // continuations are queued just before the handler starts, so they run during this invocation,
      // right after the handler's synchronous part. The others are re-armed and owned by this attempt.
      overdue = frozen.filter((t) => t.at <= host.scheduler.now)
      const future = frozen.filter((t) => t.at > host.scheduler.now)
      if (future.length > 0) host.scheduler.thaw(this, future)
    }
    // SDK requests left running go on at the same point as overdue timers (startNext).
    this.thawing = this.env.frozenWork
    this.env.frozenWork = undefined
    // The handler starts from a microtask, at the bottom of a fresh stack: an Error it throws captures
    // its own frames and one of lambda-sim's (startNext) instead of the whole scheduler. Capturing costs per
    // frame (measured: a throwing async handler 12 frames deep costs twice one at the bottom). Every
    // frame below the handler is a module-level function, not a method or closure of the attempt: a
    // captured stack frame keeps its receiver and function alive, and a thrown error is kept until the
    // retry (a minute of virtual time, thousands of attempts later in a large run). The activity is
    // already busy, so virtual time cannot move in between.
    this.overdue = overdue
    STARTING[startingTail++] = this
    ensureActivityStorage()
    // A promise reaction rather than queueMicrotask: Node runs queueMicrotask callbacks from a JS frame
    // whose receiver is an AsyncResource holding the async context of the caller (the previous attempt),
    // and an error's captured frames would keep that alive too. (RESOLVED's value is undefined:
    // startNext takes the next queued attempt.)
    void RESOLVED.then(startNext as () => void)
  }

  waitForDrain(): void {
    let first: SleepTask | undefined
    for (const t of this.timers ?? []) {
      if (!t.unrefed) {
        first = t
        break
      }
    }
    if (first === undefined) {
      // Only unref'd timers (or none) left: Node's event loop is empty, beforeExit fires and the
      // runtime answers. The unref'd timers freeze with the environment.
      const d = this.deferred
      this.deferred = undefined
      this.drainWatch = undefined
      if (d !== undefined) this.finishResult(d.result, true)
      else if (this.nullWhenDrained !== false) {
        if (this.nullWhenDrained === 'ignoring') warnIgnoredReturn(this)
        this.finishResult(null)
      }
      return
    }
    // Re-check after the first pending refed timer fires, once the code it resumes has run (one
    // macrotask turn later: that code may start further timers). A timer cleared, refreshed or
    // unref'd meanwhile re-checks too (timersChanged).
    if (first === this.drainWatch) return
    this.drainWatch = first
    const original = first.resolve
    ;(first as { resolve: () => void }).resolve = () => {
      original()
      if (this.drainWatch === first) this.drainWatch = undefined
      this.recheckDrain()
    }
  }

  override timersChanged(): void {
    if (!this.settled && (this.deferred !== undefined || this.nullWhenDrained)) this.recheckDrain()
  }

  /**
   * Look at the event loop again one macrotask turn later. Virtual time holds until then, so that an
   * unref'd timer due later cannot fire before the answer that its being unref'd lets go.
   */
  recheckDrain(): void {
    const s = this.scheduler
    s.busyDelta(1)
    void nextTurn().then(() => {
      try {
        if (!this.settled) this.waitForDrain()
      } finally {
        s.busyDelta(-1)
      }
    })
  }

  log(line: string): void {
    this.logs += line
  }

  /**
   * `afterDrain`: a callback's result, which the runtime serialises in a `setImmediate` after the
   * event loop drained (`BeforeExitListener`), so a serialisation failure there is an uncaught exception.
   */
  finishResult(result: unknown, afterDrain = false): void {
    if (this.settled) return
    let json: string | undefined
    try {
      json = JSON.stringify(result === undefined ? null : result)
    } catch {
      // The RIC's `_trySerializeResponse` throws this; on the promise path `.catch(context.fail)` reports
      // it, so it is logged as an Invoke Error like any other. Its stack is its first line (the rest
      // would be the runtime's frames).
      if (afterDrain) this.escape = UNCAUGHT_EXCEPTION
      this.finishError(wrapNonError('Unable to stringify response body'), afterDrain)
      return
    }
    if (json === undefined) json = 'null'
    if (json.length > MAX_RESPONSE_BYTES / 3 && Buffer.byteLength(json, 'utf8') > MAX_RESPONSE_BYTES) {
      this.finish(false, TOO_LARGE, 'Function.ResponseSizeTooLarge', `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, false)
      return
    }
    this.finish(true, json, undefined, undefined, false)
  }

  finishError(error: unknown, discardEnvironment: boolean): void {
    if (this.settled) return
    if (discardEnvironment) this.discard = true
    // The payload and the "Invoke Error" log line (which format the stack) are built on first read:
    // most failed attempts of a large run are retried and never looked at.
    this.thrown = error
    this.finish(false, undefined, undefined, undefined, false)
  }

  onTimeout(): void {
    if (this.settled) return
    const { input, host } = this
    // The invoke phase began after init: a timeout during a long init (past its 10 s) counts from there.
    this.initMs = this.deadline - this.timeoutMs - this.startedAt
    const seconds = ((host.scheduler.now - this.startedAt - this.initMs) / 1000).toFixed(2)
    const message = `RequestId: ${input.requestId} Error: Task timed out after ${seconds} seconds`
    // In the JSON format the timeout is told by platform.report's status (a choice, docs/semantics.md).
    if (input.version.jsonLogging === undefined) this.log(`${host.iso(host.scheduler.now)} ${input.requestId} Task timed out after ${seconds} seconds\n`)
    this.discard = true
    this.finish(false, JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: message }), 'Sandbox.Timedout', message, true)
  }

  finish(ok: boolean, payloadJson: string | undefined, errorType: string | undefined, errorMessage: string | undefined, timedOut: boolean): void {
    this.settled = true
    this.deferred = undefined
    const { host, input } = this
    const s = host.scheduler
    s.cancel(this)
    const leftover = s.end(this)
    const v = input.version
    const endedAt = s.now
    if (this.env.running === this) this.env.running = undefined
    let work: FreezableWork[] | undefined
    if (this.work !== undefined && this.work.size > 0) {
      work = [...this.work]
      this.work.clear()
      for (const w of work) w.freeze(this.discard)
    }
    if (this.discard) {
      // After a timeout or a failed init, Lambda starts a new environment: module state and frozen work are gone.
    } else {
      // SDK requests, and (below) when each frozen timer that is the handler's own work was due (an AbortSignal.timeout timer is not).
      const sdkRequests = work?.length ?? 0
      if (leftover !== undefined && leftover.length > 0) this.env.frozen = leftover
      const dueInMs = leftover === undefined ? [] : workDueIn(leftover, s.now)
      // Timers this attempt's code started (not ones thawed from an earlier invocation of the environment).
      const ownDueInMs = leftover === undefined ? [] : workDueIn(leftover.filter((t) => t.origin === this), s.now)
      if (sdkRequests > 0) this.env.frozenWork = work
      if (dueInMs.length + sdkRequests > 0) {
        host.workLeftRunning({
          requestId: input.requestId,
          functionName: v.fn.name,
          version: v.version,
          label: this.label,
          environment: this.env.id,
          pending: dueInMs.length + sdkRequests,
          dueInMs,
          ownDueInMs,
          sdkRequests,
          intended: this.usesCallback && this.context?.callbackWaitsForEmptyEventLoop === false,
        })
      }
      // An environment made before an update of its version's code or configuration is retired.
      if (this.env.generation === v.generation) v.idle.push(this.env)
    }
    const json = v.jsonLogging
    const outcome =
      json === undefined
        ? new Outcome(ok, payloadJson, errorType, errorMessage, this.thrown, v.version, s, this.startedAt + this.initMs, endedAt, timedOut, this.coldStart, input.requestId, v.memorySize, this.logs, this.initMs, this.escape, this.initLogs)
        : new JsonOutcome(ok, payloadJson, errorType, errorMessage, this.thrown, v.version, s, this.startedAt + this.initMs, endedAt, timedOut, this.coldStart, input.requestId, v.memorySize, this.logs, this.initMs, this.escape, this.initLogs, json, v.fn.arn)
    const done = this.done
    if (typeof done === 'function') done(outcome)
    else done.attemptDone(outcome)
  }
}

const NATIVE_THEN = Promise.prototype.then

/** A promise of this realm with the built-in `then` (whose reactions run in the async context of the call). */
function isNativePromise(v: unknown): v is Promise<unknown> {
  return v instanceof Promise && Object.getPrototypeOf(v) === Promise.prototype && v.then === NATIVE_THEN
}

/** The running attempt's own completion, as `context.succeed` would report it. */
function completeCurrent(error: unknown, result: unknown): void {
  const run = activityStorage.getStore()
  if (!(run instanceof AttemptRun) || run.settled || run.deferred !== undefined) return
  const s = run.scheduler
  s.beginSettling()
  try {
    run.complete(error, result)
  } finally {
    s.endSettling()
  }
}

/** A native handler promise fulfilled. */
function settleWithValue(value: unknown): void {
  completeCurrent(null, value)
}

/** A native handler promise rejected: `.then(context.succeed, context.fail)`, so null or undefined reports 'handled'. */
function settleWithError(error: unknown): void {
  completeCurrent(error ?? 'handled', undefined)
}

/** Attempts whose handler starts at the next microtask, in order (see AttemptRun.start): slots startingHead to startingTail. */
const STARTING: (AttemptRun | undefined)[] = []
const RESOLVED = Promise.resolve()
let startingHead = 0
let startingTail = 0

/**
 * The microtask that starts the oldest queued attempt (a module function: see AttemptRun.start), or,
 * called with an attempt, that attempt once its environment's asynchronous init has completed. The
 * handler is called from this frame: every frame under the handler is captured by each Error it
 * throws (and kept with it until the retry), so the attempt enters its async context with
 * `enterWith`, which adds no frame, rather than `run(…, callback)`, which adds two. That is safe here
 * because a promise reaction runs on its own async resource (its derived promise), so the store set
 * lasts until this microtask ends; `ensureActivityStorage` turned the hooks on before that promise
 * was made (see AttemptRun.start).
 */
function startNext(resumed?: AttemptRun): void {
  let run: AttemptRun
  if (resumed !== undefined) run = resumed
  else {
    run = STARTING[startingHead] as AttemptRun
    STARTING[startingHead++] = undefined
    if (startingHead === startingTail) {
      // Empty: start over at slot 0 (not by setting the length, which would free the array's store).
      startingHead = 0
      startingTail = 0
    }
    const overdue = run.overdue
    if (overdue !== undefined) {
      run.overdue = undefined
      for (const t of overdue) {
        // Owned by this attempt, so a timer callback (virtual globals) runs as this invocation's code.
        t.owner = run
        t.resolve()
      }
    }
    const thawing = run.thawing
    if (thawing !== undefined) {
      run.thawing = undefined
      for (const w of thawing) w.thaw(run)
    }
  }
  activityStorage.enterWith(run)
  if (!run.env.initialized && !initialize(run)) return
  const { input } = run
  const init = run.env.initResult
  const v = input.version
  const handler = run.handler
  const usesCallback = handler.length >= 3
  const context = (run.context = createContext(
    run,
    v.fn.name,
    v.version,
    input.invokedFunctionArn,
    String(v.memorySize),
    input.requestId,
    v.fn.logGroupName,
    run.env.logStreamName,
    input.clientContext,
    init,
  ))
  const callback = (error?: unknown, result?: unknown): void => run.callback(error, result)
  run.usesCallback = usesCallback
  let event: unknown
  try {
    event = JSON.parse(input.eventJson)
  } catch (error) {
    run.finishError(error, false)
    return
  }
  let returned: unknown
  try {
    returned = handler(event, context, callback)
  } catch (error) {
    // The runtime passes a synchronous throw to `callback(err)`: a thrown null or undefined is then a
    // success (null) that waits for the event loop like `callback(null)`.
    run.callback(error, undefined)
    return
  }
  handlerReturned(run, returned, usesCallback)
}

/** Whether the AsyncLocalStorage hooks are on (see ensureActivityStorage). */
let storageOn = false
const STORAGE_PROBE = {} as Activity

/**
 * Turn the AsyncLocalStorage hooks on (once per process) before the first handler-starting promise
 * is made: `enterWith` in a reaction whose promise was made with the hooks off would set the store
 * of the top-level resource, and every later top-level callback would appear to run in the attempt.
 * `run` with a store other than the current one enables the hooks, then restores the store.
 */
function ensureActivityStorage(): void {
  if (storageOn) return
  storageOn = true
  activityStorage.run(STORAGE_PROBE, () => undefined)
}

/**
 * A cold environment: run the function's init (once per environment). True when the handler can be
 * called now; false when init failed (the attempt has finished) or is asynchronous (the handler is
 * called when it settles).
 */
function initialize(run: AttemptRun): boolean {
  const v = run.input.version
  let init: unknown
  run.initializing = true
  try {
    if (v.init !== undefined) run.env.initResult = v.init()
    run.env.initialized = true
    init = run.env.initResult
  } catch (error) {
    initFailed(run, error)
    return false
  }
  if (!isPromiseLike(init)) run.initializing = false
  else {
    // The init phase has its own 10 s limit and does not use the function timeout; past 10 s the rest
    // of init runs within the invoke phase and counts toward it (docs/semantics.md, "init phase").
    const s = run.host.scheduler
    run.deadline = run.startedAt + INIT_PHASE_LIMIT_MS + run.timeoutMs
    if (run.idled) s.schedule(run, run.deadline)
    init.then(
      (value) => {
        if (run.settled) return
        run.initializing = false
        run.env.initResult = value
        run.initMs = Math.min(s.now - run.startedAt, INIT_PHASE_LIMIT_MS)
        run.deadline = run.startedAt + run.initMs + run.timeoutMs
        if (run.idled) s.schedule(run, run.deadline)
        startNext(run)
      },
      (error: unknown) => initFailed(run, error),
    )
    return false
  }
  return true
}

/**
 * The init code threw or rejected: the runtime's loading of the handler fails, which its
 * `uncaughtException` listener logs as an `Uncaught Exception` before any request (request id
 * `undefined`) and reports as the init error; the invoke answers that error, and the environment is gone.
 */
function initFailed(run: AttemptRun, error: unknown): void {
  if (run.settled) return
  run.escape = INIT_ERROR
  run.finishError(error, true)
}

/** Lambda's init phase limit (on-demand functions): 10 s. https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html */
const INIT_PHASE_LIMIT_MS = 10_000

/** A non-async handler's return value was ignored and the attempt answers null (docs/semantics.md, handler forms). */
function warnIgnoredReturn(run: AttemptRun): void {
  run.host.notice('ignored-return-value', `${run.label}: the handler returned a non-promise value, which Lambda ignores (the response is null); make the handler async or use the callback`, {
    requestId: run.input.requestId,
    functionName: run.input.version.fn.name,
  })
}

/** What the handler returned: a promise settles the attempt; otherwise the callback or the event loop does. */
function handlerReturned(run: AttemptRun, returned: unknown, usesCallback: boolean): void {
  if (isNativePromise(returned)) {
    // The common case (an async handler): module-level reactions that find their attempt through the
    // async context (the derived promise carries this attempt's), instead of two closures per attempt.
    void returned.then(settleWithValue, settleWithError)
    return
  }
  if (isPromiseLike(returned)) {
    // `.then(context.succeed, context.fail)`: a rejection with null or undefined reports 'handled'.
    returned.then(
      (value) => run.complete(null, value),
      (error: unknown) => run.complete(error ?? 'handled', undefined),
    )
    return
  }
  if (run.settled || run.deferred !== undefined) return
  if (!usesCallback) {
    // The runtime ignores a plain return value from a non-async handler and answers `null` once the
    // event loop is empty. Say so when that null is the answer: it is almost always a forgotten
    // `async`. (Only this path pays for the check: a promise returned earlier.)
    if (run.hasRefedTimers()) {
      // Not a decided completion (`deferred`): the timers' code may still call context.succeed/fail/done,
      // and then the answer is theirs, not null: the warning waits for the drain.
      run.nullWhenDrained = returned === undefined ? true : 'ignoring'
      run.waitForDrain()
    } else {
      if (returned !== undefined) warnIgnoredReturn(run)
      run.finishResult(null)
    }
    return
  }
  // A callback handler that returned without calling back yet: it may still call back (after a
  // virtual timer or real I/O). If its event loop drains without a call, the runtime answers null.
  run.awaitingCallback = true
}


/**
 * An {@link AttemptOutcome} built lazily: for a thrown error the payload, `errorType` and
 * `errorMessage` on first read of any of them, and the CloudWatch-style log text (with the "Invoke
 * Error" line) on first read of `logs` (the same values, since the error's stack was captured when it
 * was thrown).
 */
const OK = 1
const TIMED_OUT = 2
const COLD = 4
const BUILT = 8
/** How a thrown value reached the runtime (AttemptRun.escape; Outcome flags): through the handler, an uncaught exception, an unhandled rejection. */
const INVOKE_ERROR = 0
const UNCAUGHT_EXCEPTION = 16
const UNHANDLED_REJECTION = 32
/** An error of the init code: logged before START, of request `undefined` (an Uncaught Exception, or with UNHANDLED_REJECTION an Unhandled Promise Rejection). */
const INIT_ERROR = 64
/** The label the runtime logs each with (RIC CallbackContext.js `postError`, index.mjs process listeners). */
const ESCAPE_LABEL: Record<number, string> = { [INVOKE_ERROR]: 'Invoke Error', [UNCAUGHT_EXCEPTION]: 'Uncaught Exception', [UNHANDLED_REJECTION]: 'Unhandled Promise Rejection', [INIT_ERROR]: 'Uncaught Exception', [INIT_ERROR | UNHANDLED_REJECTION]: 'Unhandled Promise Rejection' }
const ZERO_CLOCK = { epoch: 0 }

class Outcome implements AttemptOutcome {
  readonly executedVersion: string
  /**
   * `startedAt` as ms since `#clock.epoch` (the scheduler's start, or 0 where that difference would
   * not give the time back exactly): a small number in the field, where an epoch-ms double would be
   * one more object (a failed outcome is kept, and promoted, until its retry).
   */
  readonly #clock: { readonly epoch: number }
  readonly #started: number
  /** Virtual ms the attempt took: a small integer in the field, where `endedAt` would be a boxed double. */
  readonly #durationMs: number
  /** ok, timedOut, coldStart and whether the logs are built, as bits (OK, TIMED_OUT, COLD, BUILT). */
  #flags: number
  readonly #requestId: string
  readonly #memorySize: number
  readonly #initMs: number
  #payloadJson: string | undefined
  #errorType: string | undefined
  #errorMessage: string | undefined
  /** The thrown value until the payload and the log are built from it, or NOT_THROWN. */
  #thrown: unknown
  #logs: string
  /** The init phase's lines, before START ('' on a warm start). */
  readonly #initLogs: string

  constructor(
    ok: boolean,
    payloadJson: string | undefined,
    errorType: string | undefined,
    errorMessage: string | undefined,
    thrown: unknown,
    executedVersion: string,
    clock: { readonly epoch: number },
    startedAt: number,
    endedAt: number,
    timedOut: boolean,
    coldStart: boolean,
    requestId: string,
    memorySize: number,
    body: string,
    initMs: number,
    escape: number,
    initLogs: string,
  ) {
    this.#payloadJson = payloadJson
    this.#errorType = errorType
    this.#errorMessage = errorMessage
    this.#thrown = thrown
    this.executedVersion = executedVersion
    const base = clock.epoch + (startedAt - clock.epoch) === startedAt ? clock : ZERO_CLOCK
    this.#clock = base
    this.#started = startedAt - base.epoch
    this.#durationMs = endedAt - startedAt
    this.#flags = (ok ? OK : 0) | (timedOut ? TIMED_OUT : 0) | (coldStart ? COLD : 0) | escape
    this.#requestId = requestId
    this.#memorySize = memorySize
    this.#logs = body
    this.#initLogs = initLogs
    this.#initMs = initMs
  }

  get ok(): boolean {
    return (this.#flags & OK) !== 0
  }

  get timedOut(): boolean {
    return (this.#flags & TIMED_OUT) !== 0
  }

  get coldStart(): boolean {
    return (this.#flags & COLD) !== 0
  }

  get startedAt(): number {
    return this.#clock.epoch + this.#started
  }

  get endedAt(): number {
    return this.startedAt + this.#durationMs
  }

  get payloadJson(): string {
    this.#materialise()
    return this.#payloadJson as string
  }

  get errorType(): string | undefined {
    this.#materialise()
    return this.#errorType
  }

  get errorMessage(): string | undefined {
    this.#materialise()
    return this.#errorMessage
  }

  /** Build the error payload of a thrown value (only a thrown value leaves the payload undefined). */
  #materialise(): void {
    if (this.#payloadJson !== undefined) return
    const p = errorPayload(this.#thrown)
    this.#payloadJson = JSON.stringify(p)
    this.#errorType = p.errorType
    this.#errorMessage = p.errorMessage
  }

  /** What a failed async attempt's event keeps (see keptOutcome): the same payload and message, built as lazily. */
  kept(): KeptFailure {
    return new KeptFailure(this.executedVersion, this.#payloadJson, this.#errorMessage, this.#thrown)
  }

  /** START / the handler's lines / END / REPORT, exactly as they would have been appended during the run. */
  get logs(): string {
    const id = this.#requestId
    if ((this.#flags & BUILT) === 0) {
      this.#flags |= BUILT
      // The "Invoke Error" line is built here, not with the payload: a timeline reads every failed
      // attempt's payload, and most logs are never read. Both built, the thrown value can go.
      this.#materialise()
      const thrown = this.#thrown
      this.#thrown = NOT_THROWN
      const escape = this.#flags & (UNCAUGHT_EXCEPTION | UNHANDLED_REJECTION | INIT_ERROR)
      this.#logs = this.render(id, thrown, escape, this.#initLogs, this.#logs, this.#durationMs, this.#memorySize, this.#initMs)
    }
    return this.#logs
  }

  /** The Text format: the error line (labelled), START, END and REPORT around the handler's lines. */
  protected render(id: string, thrown: unknown, escape: number, initLogs: string, body: string, duration: number, memorySize: number, initMs: number): string {
    const inInit = (escape & INIT_ERROR) !== 0
    const errorLine = thrown === NOT_THROWN ? '' : `${new Date(this.endedAt).toISOString()}\t${inInit ? 'undefined' : id}\tERROR\t${ESCAPE_LABEL[escape] as string} \t${invokeErrorLogJson(thrown)}\n`
    // An error of the init phase comes before START; any other belongs to the invocation.
    const [before, inside] = inInit ? [initLogs + errorLine, ''] : [initLogs, errorLine]
    return (
      `${before}START RequestId: ${id} Version: ${this.executedVersion}\n${body}${inside}END RequestId: ${id}\n` +
      `REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${billedMs(duration, this.coldStart, initMs)} ms\tMemory Size: ${memorySize} MB\tMax Memory Used: 0 MB${this.coldStart ? `\tInit Duration: ${initMs.toFixed(2)} ms` : ''}\t\n`
    )
  }
}

/** `Billed Duration`: the duration rounded up to the ms (at least 1), with the init phase on a cold start. */
function billedMs(duration: number, coldStart: boolean, initMs: number): number {
  return Math.max(1, Math.ceil(coldStart ? duration + initMs : duration))
}

/** A duration as the JSON system records print it: a number of ms, to the µs. */
const jsonMs = (ms: number): number => Math.round(ms * 1000) / 1000

const SYSTEM_RANK: Record<string, number> = { DEBUG: 0, INFO: 1, WARN: 2 }

/**
 * The outcome of a function with the JSON log format (advanced logging controls): the console lines
 * are JSON records already; START becomes `platform.start`, END (at DEBUG) `platform.runtimeDone`,
 * REPORT `platform.report`, each kept when its level (AWS's system log level event mapping: start
 * INFO, runtimeDone DEBUG or WARN when not successful, report INFO or WARN when not successful) is at
 * or above `systemLogLevel`. A function error is the runtime's `console.error(intoError(err))`: an
 * ERROR record whose message is the error (no label), dropped below `applicationLogLevel`.
 * A separate class, so that Text-format outcomes carry no extra fields.
 */
class JsonOutcome extends Outcome {
  readonly #logging: JsonLogging
  readonly #functionArn: string

  constructor(...args: [...ConstructorParameters<typeof Outcome>, JsonLogging, string]) {
    super(...(args.slice(0, 17) as ConstructorParameters<typeof Outcome>))
    this.#logging = args[17]
    this.#functionArn = args[18]
  }

  protected override render(id: string, thrown: unknown, escape: number, initLogs: string, body: string, duration: number, memorySize: number, initMs: number): string {
    const sys = SYSTEM_RANK[this.#logging.systemLogLevel] as number
    const inInit = (escape & INIT_ERROR) !== 0
    const endIso = new Date(this.endedAt).toISOString()
    const errorLine =
      thrown === NOT_THROWN || applicationRank('ERROR') < applicationRank(this.#logging.applicationLogLevel)
        ? ''
        : jsonLine(endIso, inInit ? undefined : id, 'ERROR', [thrown instanceof Error ? thrown : wrapNonError(thrown)], traceLines)
    const [before, inside] = inInit ? [initLogs + errorLine, ''] : [initLogs, errorLine]
    const status = this.ok ? 'success' : this.timedOut ? 'timeout' : 'error'
    const failure = status === 'error' ? { errorType: this.errorType } : {}
    let out = before
    if (sys <= SYSTEM_RANK['INFO']!) out += `${JSON.stringify({ time: new Date(this.startedAt).toISOString(), type: 'platform.start', record: { requestId: id, functionArn: this.#functionArn, version: this.executedVersion } })}\n`
    out += body + inside
    if (sys <= (status === 'success' ? SYSTEM_RANK['DEBUG']! : SYSTEM_RANK['WARN']!)) {
      const producedBytes = this.ok ? Buffer.byteLength(this.payloadJson, 'utf8') : 0
      out += `${JSON.stringify({ time: endIso, type: 'platform.runtimeDone', record: { requestId: id, status, ...failure, metrics: { durationMs: jsonMs(duration), producedBytes } } })}\n`
    }
    if (sys <= (status === 'success' ? SYSTEM_RANK['INFO']! : SYSTEM_RANK['WARN']!)) {
      const metrics: Record<string, number> = { durationMs: jsonMs(duration), billedDurationMs: billedMs(duration, this.coldStart, initMs), memorySizeMB: memorySize, maxMemoryUsedMB: 0 }
      if (this.coldStart) metrics['initDurationMs'] = jsonMs(initMs)
      out += `${JSON.stringify({ time: endIso, type: 'platform.report', record: { requestId: id, metrics, status, ...failure } })}\n`
    }
    return out
  }
}

/** A failed outcome as its event keeps it (see keptOutcome): the payload and message built on first read from the thrown value, as Outcome builds them. */
class KeptFailure implements KeptOutcome {
  readonly executedVersion: string
  #payloadJson: string | undefined
  #errorMessage: string | undefined
  /** The thrown value until the payload is built from it, or NOT_THROWN. */
  #thrown: unknown

  constructor(executedVersion: string, payloadJson: string | undefined, errorMessage: string | undefined, thrown: unknown) {
    this.executedVersion = executedVersion
    this.#payloadJson = payloadJson
    this.#errorMessage = errorMessage
    this.#thrown = payloadJson === undefined ? thrown : NOT_THROWN
  }

  get ok(): boolean {
    return false
  }

  get payloadJson(): string {
    this.#materialise()
    return this.#payloadJson as string
  }

  get errorMessage(): string | undefined {
    this.#materialise()
    return this.#errorMessage
  }

  #materialise(): void {
    if (this.#payloadJson !== undefined) return
    const p = errorPayload(this.#thrown)
    this.#payloadJson = JSON.stringify(p)
    this.#errorMessage = p.errorMessage
    this.#thrown = NOT_THROWN
  }
}

/** When each frozen timer that is the handler's own work (not an `AbortSignal.timeout` timer) was due, in ms from `now`, soonest first. */
function workDueIn(timers: readonly SleepTask[], now: number): number[] {
  const due: number[] = []
  for (const t of timers) if (!t.background) due.push(t.at - now)
  return due.sort((a, b) => a - b)
}
