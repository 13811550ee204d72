import type { ClientContext } from 'aws-lambda'
import type { EventEmitter } from 'eventemitter3'
import { createRequire } from 'node:module'
import { AsyncEngine, AsyncEvent, type AsyncHost } from './async-invocations.js'
import { attemptFinishedEvent, startAttempt, type AttemptOutcome } from './attempt.js'
import { admitSync, Concurrency } from './concurrency.js'
import { Bucket } from './destinations/bucket.js'
import { arnService, isDestination, type Delivery, type Destination, type DestinationCondition } from './destinations/destination.js'
import { EventBus } from './destinations/event-bus.js'
import { conflictingQueueAttribute, Queue, type QueueOptions } from './destinations/queue.js'
import { deadLetterAttributes, RecordDelivery } from './destinations/records.js'
import type { SinkHost } from './destinations/sink-host.js'
import { SNS_MAX_BYTES, Topic, type TopicOptions } from './destinations/topic.js'
import { LambdaError, SimulatorError, invalidParameter, resourceConflict, resourceNotFound, tooManyRequests, validationException } from './errors.js'
import { EventInvokeConfigs, type EffectiveConfig, type EventInvokeConfig, type EventInvokeConfigInput } from './event-invoke-config.js'
import { KNOWN_EVENT_TYPES, type InvocationType, type SimEvent, type SimEventMap } from './events.js'
import { Faults } from './faults.js'
import { functionRefText, checkAliasInput, checkAliasMembers, checkAliasName, checkDescription, checkQualifier, checkFunctionVersion, FunctionRegistry, validateFunctionOptions, type AliasConfiguration, type AliasInput, type AliasUpdate, type AnyHandler, type FunctionHandle, type FunctionOptions, type HandlerEvent, type HandlerResult, type FunctionRef, type FunctionVersion, type LambdaFunction, type Target } from './functions.js'
import { paginate } from './internal/paging.js'
import { isPlainObject } from './internal/plain-object.js'
import { SeededRandom } from './internal/random.js'
import { tailBase64 } from './logs.js'
import { activityStorage, Scheduler, type Activity } from './scheduler.js'
import { Timeline } from './timeline.js'
import { installVirtualGlobals } from './virtual-globals.js'
import { currentLineage, enterChainHop, exitChainHop, lineageAfter, MAX_CHAIN_INVOCATIONS, stopsRecursion } from './event-source-mappings/recursion.js'
import { andList, describe, optionInt, optionString, rejectUnknownKeys, MAX_DATE_MS, toEpochMs, Violations } from './validation.js'
import { EventSourceMappings, type EventSourceMappingConfiguration, type EventSourceMappingInput, type EventSourceMappingUpdate } from './event-source-mappings/mappings.js'
import { Stream, TableStream, type StreamOptions, type TableStreamOptions } from './event-source-mappings/streams.js'
import { Schedules, type ScheduleHandle, type ScheduleOptions } from './triggers/schedules.js'
import type { TriggerHost } from './triggers/trigger-host.js'
import { formatOffset } from './timeline-render.js'

/** Options of {@link createSimulator}. All optional. */
export interface SimulatorOptions {
  /** Seed of the random source behind every id and probabilistic choice. 0–4294967295. @default 1 */
  seed?: number
  /** Virtual start time: epoch ms, Date or ISO string. @default '2026-01-01T00:00:00.000Z' */
  startTime?: number | string | Date
  /** @default 'us-east-1' */
  region?: string
  /** 12 digits. @default '123456789012' */
  accountId?: string
  /** Account concurrency limit (AWS default 1000; new accounts get 10), 10–1,000,000. @default 1000 */
  accountConcurrency?: number
  /** Async payload limit in bytes: 1 MB since October 2025; 262144 for older-account parity. @default 1048576 */
  asyncPayloadLimitBytes?: number
  /** Record every event in `sim.timeline` (turn off for very large runs). @default true */
  recordTimeline?: boolean
  /** Also print handler console output to the real console. @default false */
  echoLogs?: boolean
  /** Real ms to wait for a handler that neither settles nor parks on the virtual clock. @default 1000 */
  realTimeGraceMs?: number
  /** Tasks allowed at one virtual instant before a runaway-loop error. @default 10000000 */
  loopLimit?: number
  /**
   * At-least-once delivery: deliver successful async events again. `probability` (0–1, drawn from the
   * seed) or an explicit list of request ids; the duplicate arrives `delayMs` later. @default off
   */
  duplicates?: { probability?: number; requestIds?: string[]; delayMs?: number }
  /**
   * Dropped events (AWS: "if the function can't keep up, events may be deleted from the queue without
   * ever being sent to the function"). Opt-in. An accepted event is dropped when it would make more than
   * `whenQueueDepthExceeds` events of its function in flight (accepted, no terminal outcome yet), or
   * with `probability` (0–1, drawn from the seed). A dropped event ends with the terminal condition
   * `Dropped` and a reason, goes to no destination or DLQ, and never runs. See docs/testing.md.
   * @default off
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  drops?: { whenQueueDepthExceeds?: number; probability?: number }
  /**
   * Jitter on the async throttle backoff: each wait is uniformly between half and all of
   * min(1 s × 2ⁿ, 5 min) and never below AWS's first interval of 1 s (so the first wait is 1 s),
   * drawn from the seed, so a throttled herd drains at the concurrency limit
   * instead of coming back all at once. `false`: the exact doubling 1, 2, 4 … 300 s.
   * @default true
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  throttleJitter?: boolean
  /**
   * Strict checks that turn likely bugs into test failures. `leftoverWork`: a handler that returns
   * while work it started is still pending (the forgotten `await`) makes the call driving the clock
   * (`invoke`, `advanceBy`, `advanceTo`, `runUntilIdle`, `sleep`) reject with `SimulatorError`
   * `LeftoverWork`: "handler returned before awaiting 1 pending task". See docs/triggers.md. @default off
   */
  strict?: { leftoverWork?: boolean }
}

const OPTION_KEYS = ['seed', 'startTime', 'region', 'accountId', 'accountConcurrency', 'asyncPayloadLimitBytes', 'recordTimeline', 'echoLogs', 'realTimeGraceMs', 'loopLimit', 'duplicates', 'drops', 'strict', 'throttleJitter'] as const

/** Options of `sim.invoke`. */
export interface InvokeOptions {
  /** Version or alias; must agree with a qualifier in the name. */
  qualifier?: string
  /** `Tail`: return the last 4 KB of the log, base64, in `logResult` (sync only). */
  logType?: 'None' | 'Tail'
  /** Passed to the handler as `context.clientContext` (sync only). An object, or base64 JSON as the API takes it. */
  clientContext?: ClientContext | string
}

/** What `invoke` resolves to. */
export interface InvokeResponse<T = unknown> {
  /** 200 RequestResponse, 202 Event, 204 DryRun. */
  statusCode: 200 | 202 | 204
  /**
   * Parsed JSON response (RequestResponse): the result, or the error object when `functionError` is set.
   * `T` is the handler's declared result when `sim.invoke` infers it, so read an error object with
   * `sim.invoke<T>` or a cast.
   */
  payload?: T
  functionError?: 'Unhandled'
  /** The version that ran (`X-Amz-Executed-Version`): set by every `RequestResponse` invoke, see {@link SyncInvokeResponse}. */
  executedVersion?: string
  logResult?: string
  requestId: string
}

/**
 * What a `RequestResponse` invoke (the invocation type omitted or `'RequestResponse'`) resolves to:
 * status 200, and `executedVersion` (the Invoke API's `X-Amz-Executed-Version`: the version that ran)
 * is always set. (An invoke Lambda refuses rejects: there is no other synchronous answer.)
 */
export type SyncInvokeResponse<T = unknown> = InvokeResponse<T> & { statusCode: 200; executedVersion: string }

/** The sink a function-as-destination resolves to. */
class FunctionDestination implements Destination {
  readonly arn: string
  readonly #sim: SimulatorImpl
  constructor(sim: SimulatorImpl, arn: string) {
    this.arn = arn
    this.#sim = sim
  }
  deliver(d: Delivery): void {
    this.#sim.acceptAsync(this.arn, d.body, undefined)
  }
}

/**
 * eventemitter3 is loaded by the first `sim.on`, through `require`: it is CommonJS, and importing it
 * as an ES module (its `index.mjs` wrapper) makes Node start its CommonJS translator, which cost
 * about a sixth of `import('lambda-sim')` (docs/performance.md, "Startup").
 */
let emitterClass: typeof EventEmitter | undefined
function newEmitter(): EventEmitter<SimEventMap> {
  emitterClass ??= (createRequire(import.meta.url)('eventemitter3') as typeof import('eventemitter3')).EventEmitter
  return new emitterClass<SimEventMap>()
}

/**
 * `new Date(ms).toISOString()`, written out for years 1000-9999 (the rest use the built-in). V8's
 * first `toISOString` call in a process costs ~1 ms, a fiftieth of startup (the first invoke names
 * its log stream with the date), and this is also about twice as fast per call.
 */
function isoString(ms: number): string {
  const d = new Date(ms)
  const y = d.getUTCFullYear()
  if (!(y >= 1000 && y <= 9999)) return d.toISOString()
  const milli = d.getUTCMilliseconds()
  return `${y}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`
}

/** `UnqualifiedFunctionName` of the recursion-config APIs (AWS service model). */
const UNQUALIFIED_FUNCTION_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)'
const UNQUALIFIED_FUNCTION_NAME_REGEX = new RegExp(`^${UNQUALIFIED_FUNCTION_NAME_PATTERN}$`)

/** Sync and async payload limits. */
export const SYNC_REQUEST_LIMIT_BYTES = 6_291_456

class SimulatorImpl implements AsyncHost, SinkHost, TriggerHost {
  readonly scheduler: Scheduler
  readonly registry: FunctionRegistry
  readonly concurrency: Concurrency
  readonly configs: EventInvokeConfigs
  /** Injected 5xx/429 service faults (`sim.faults.inject({ count })`); async events meeting one back off like throttles. */
  readonly faults = new Faults()
  readonly random: SeededRandom
  readonly region: string
  readonly accountId: string
  readonly echoLogs: boolean
  readonly throttleJitter: boolean
  readonly timeline: Timeline
  readonly #engine: AsyncEngine
  /** Created by the first `sim.on` (see {@link newEmitter}). */
  #emitter: EventEmitter<SimEventMap> | undefined
  readonly #sinks = new Map<string, Destination>()
  readonly #recordTimeline: boolean
  readonly #asyncLimit: number
  readonly #duplicates: { probability: number; requestIds: Set<string>; delayMs: number } | undefined
  readonly #drops: { whenQueueDepthExceeds: number; probability: number } | undefined
  /** Duplicates asked for with `deliverDuplicate(id, { when: 'after-success' })`, by request id: delays in ms. */
  readonly #plannedDuplicates = new Map<string, number[]>()
  #virtualGlobals: (() => void) | undefined
  /** The real-time grace (ms), named in stuck-handler warnings. */
  readonly #realTimeGraceMs: number
  #listeners = 0
  #envIds = 0
  #isoAt = NaN
  #iso = ''
  /**
   * Counters like the CloudWatch metrics of the same names: `invocations` and `errors` (attempts that
   * ran), `throttles` (429s), `destinationDeliveryFailures`, `deadLetterErrors`.
   * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
   */
  readonly metrics = { destinationDeliveryFailures: 0, deadLetterErrors: 0, throttles: 0, invocations: 0, errors: 0 }

  constructor(options: SimulatorOptions) {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid simulator options: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('createSimulator', options, OPTION_KEYS)
    const seed = optionInt('seed', options.seed, 0, 4294967295) ?? 1
    const startTime = options.startTime === undefined ? Date.parse('2026-01-01T00:00:00.000Z') : toEpochMs('startTime', options.startTime)
    this.region = optionString('region', options.region, /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region such as "us-east-1"') ?? 'us-east-1'
    this.accountId = optionString('accountId', options.accountId, /^\d{12}$/, 'a 12-digit account id') ?? '123456789012'
    const accountConcurrency = optionInt('accountConcurrency', options.accountConcurrency, 10, 1_000_000) ?? 1000
    this.#asyncLimit = optionInt('asyncPayloadLimitBytes', options.asyncPayloadLimitBytes, 1, SYNC_REQUEST_LIMIT_BYTES, 'bytes') ?? 1_048_576
    const grace = optionInt('realTimeGraceMs', options.realTimeGraceMs, 1, 600_000, 'real milliseconds') ?? 1000
    this.#realTimeGraceMs = grace
    const loopLimit = optionInt('loopLimit', options.loopLimit, 1, Number.MAX_SAFE_INTEGER) ?? 10_000_000
    for (const flag of ['recordTimeline', 'echoLogs', 'throttleJitter'] as const) {
      if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new SimulatorError('InvalidOption', `Invalid option ${flag}: expected true or false, got ${describe(options[flag])}`)
    }
    this.#recordTimeline = options.recordTimeline ?? true
    this.echoLogs = options.echoLogs ?? false
    this.#duplicates = validateDuplicates(options.duplicates)
    this.#drops = validateDrops(options.drops)
    this.throttleJitter = options.throttleJitter ?? true
    this.#strictLeftoverWork = validateStrict(options.strict)
    this.random = new SeededRandom(seed)
    this.timeline = new Timeline(startTime, this.#recordTimeline)
    this.scheduler = new Scheduler({
      startTime,
      loopLimit,
      realTimeGraceMs: grace,
      onStuck: (activities) => this.#onStuck(activities),
    })
    this.registry = new FunctionRegistry(this.region, this.accountId, this.random)
    this.concurrency = new Concurrency(accountConcurrency)
    this.configs = new EventInvokeConfigs({ registry: this.registry, now: () => this.scheduler.now, registerDestination: (d) => this.registerDestination(d), checkDestination: (d) => this.checkDestination(d) })
    this.#engine = new AsyncEngine(this)
    this.#schedules = new Schedules(this)
  }

  // ---- hosts --------------------------------------------------------------------------

  get observed(): boolean {
    return this.#recordTimeline || this.#listeners > 0
  }

  emit(event: SimEvent): void {
    if (this.#recordTimeline) this.timeline.push(event)
    const emitter = this.#emitter
    if (this.#listeners > 0 && emitter !== undefined) {
      this.#dispatching++
      try {
        emitter.emit(event.type, event as never)
        emitter.emit('invocation', event)
      } finally {
        this.#dispatching--
      }
      // A listener failed on this event: its warning follows the event on the stream, as on the timeline.
      if (this.#dispatching === 0 && this.#heldWarnings !== undefined) this.#reportHeldWarnings()
    }
  }

  now(): number {
    return this.scheduler.now
  }

  iso(ms: number): string {
    if (ms !== this.#isoAt) {
      this.#isoAt = ms
      this.#iso = isoString(ms)
    }
    return this.#iso
  }

  uuid(): string {
    return this.random.uuid()
  }

  nextEnvironmentId(): number {
    return ++this.#envIds
  }

  notice(kind: string, message: string, details: Record<string, unknown>): void {
    if (this.observed) {
      const e: SimEvent = { type: 'warning', time: this.scheduler.now, kind, message, details }
      if (typeof details['requestId'] === 'string') e.requestId = details['requestId']
      if (typeof details['functionName'] === 'string') e.functionName = details['functionName']
      this.emit(e)
    }
  }

  /** The first error an observer threw that the test has not been given yet (see observerFailed). */
  #observerError: { error: unknown } | undefined
  /** An observer-failed warning is being emitted: a listener that throws on it is not reported again. */
  #reportingObserver = false
  /** sim.on listeners are being called (nested emits count once). */
  #dispatching = 0
  /** observer-failed warnings waiting for the event being dispatched to reach every listener. */
  #heldWarnings: { message: string; details: Record<string, unknown> }[] | undefined

  observerFailed(error: unknown, observer: string, about?: { requestId?: string; functionName?: string }): void {
    if (this.#reportingObserver) return
    this.#observerError ??= { error }
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    const details: Record<string, unknown> = { observer, error: text }
    if (typeof about?.requestId === 'string') details['requestId'] = about.requestId
    if (typeof about?.functionName === 'string') details['functionName'] = about.functionName
    const message = `${observer} threw ${text}; the operation went on without it and the error is rethrown to the test`
    if (this.#dispatching > 0) (this.#heldWarnings ??= []).push({ message, details })
    else this.#reportObserverFailure(message, details)
  }

  #reportObserverFailure(message: string, details: Record<string, unknown>): void {
    this.#reportingObserver = true
    try {
      this.notice('observer-failed', message, details)
    } finally {
      this.#reportingObserver = false
    }
  }

  #reportHeldWarnings(): void {
    const held = this.#heldWarnings as { message: string; details: Record<string, unknown> }[]
    this.#heldWarnings = undefined
    for (const w of held) this.#reportObserverFailure(w.message, w.details)
  }

  observerBoundary(): void {
    // Handler code (an activity) and the loop's tasks have no test caller to give it to: the call that drives the clock does.
    if (this.#observerError === undefined || this.scheduler.inLoop > 0 || activityStorage.getStore() !== undefined) return
    this.#throwObserverError()
  }

  #throwObserverError(): void {
    const kept = this.#observerError
    if (kept === undefined) return
    this.#observerError = undefined
    throw kept.error
  }

  /** What the calls that drive the clock throw when they finish: an observer's error, then strict-mode failures. */
  #throwKept(): void {
    this.#throwObserverError()
    this.#throwLeftoverWork()
  }

  emitSinkEvent(event: { type: 'message'; sink: string; messageId: string }): void {
    if (this.observed) this.emit({ ...event, time: this.scheduler.now })
  }

  versionFor(fn: LambdaFunction, qualifier: string): FunctionVersion {
    return this.registry.versionFor(fn, qualifier)
  }

  #onStuck(activities: Activity[]): void {
    for (const a of activities) {
      if (a.label.startsWith('SDK request sent by ')) {
        this.notice('stuck-handler', `${a.label}: the request did not reach the simulator within the real-time grace period; virtual time moves on without it`, { ...a.aboutInfo() })
      } else if (a.label.startsWith('SDK response to ')) {
        this.notice('stuck-handler', `${a.label}: the SDK did not hand the simulator's response to the code that sent the request within the real-time grace period; virtual time moves on without it`, { ...a.aboutInfo() })
      } else if (a.label.startsWith('delivery of ')) {
        this.notice('stuck-sink', `${a.label}: the destination's deliver() did not settle within the real-time grace period; virtual time moves on without it`, { ...a.aboutInfo() })
      } else {
        // The likely cause: without virtual globals, a real timer (setTimeout in handler code is the
        // commonest); with them, a promise that never settles or real I/O slower than the grace.
        const cause =
          this.#virtualGlobals === undefined
            ? 'If it waits on a real timer (setTimeout, setInterval, node:timers/promises), turn on sim.useVirtualGlobals() or wait with sim.sleep(ms)'
            : `Virtual globals are on, so it awaits a promise that never settles or real I/O slower than realTimeGraceMs (${this.#realTimeGraceMs} ms)`
        this.notice('stuck-handler', `${a.label}: the handler neither settled nor waited on the virtual clock for the real-time grace period; it will be reported as timed out at its virtual deadline. ${cause}`, { ...a.aboutInfo() })
      }
    }
  }

  // ---- functions ------------------------------------------------------------------------

  /**
   * Create a function running `handler`. The handle it returns carries the handler's event and result
   * types, which `sim.invoke(handle, event)` checks and infers (see {@link FunctionHandle}).
   */
  createFunction<H extends AnyHandler>(name: string, handler: H, options?: FunctionOptions): FunctionHandle<HandlerEvent<H>, HandlerResult<H>> {
    const fn = this.registry.create(name, handler, options, this.scheduler.now)
    return handleOf(fn) as FunctionHandle<HandlerEvent<H>, HandlerResult<H>>
  }

  /** The function a `FunctionName` (the model shape of the configuration APIs: ≤ 140 characters, no dot) names. */
  #fn(ref: FunctionRef, member = 'functionName'): LambdaFunction {
    const parsed = this.registry.parse(functionRefText(ref, 'function reference'), member, 'function')
    const fn = this.registry.get(parsed.name)
    if (fn === undefined) throw resourceNotFound(`Function not found: ${this.registry.arnFor(parsed.name)}`)
    return fn
  }

  /** `others`: violations of the request's other members, reported with the name's in one ValidationException. */
  #unqualified(ref: FunctionRef, others?: Violations): LambdaFunction {
    const text = this.#refText(ref)
    const parsed = this.registry.parse(text, 'functionName', 'function', others)
    const fn = this.registry.get(parsed.name)
    if (fn === undefined) throw resourceNotFound(`Function not found: ${this.registry.arnFor(parsed.name)}`)
    if (parsed.qualifier !== undefined) {
      throw invalidParameter('This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.')
    }
    return fn
  }

  /**
   * `$LATEST` of the UpdateFunctionCode / UpdateFunctionConfiguration reference: a name or ARN,
   * unqualified or qualified with `$LATEST`. Another qualifier (a version or an alias) is refused as
   * AWS refuses it, instead of changing `$LATEST`.
   */
  #latestOnly(ref: FunctionRef): LambdaFunction {
    const fn = this.#fn(ref)
    const qualifier = typeof ref === 'string' ? this.registry.parse(ref, 'functionName', 'function').qualifier : undefined
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      throw invalidParameter('Current operation does not support versions other than $LATEST. Please set the version to $LATEST or do not set a version in your request.')
    }
    return fn
  }

  updateFunctionCode(ref: FunctionRef, handler: AnyHandler): void {
    const fn = this.#latestOnly(ref)
    if (typeof handler !== 'function') throw new SimulatorError('InvalidOption', `Invalid handler: expected a function, got ${describe(handler)}`)
    fn.latest.handler = handler
    // New code, new environments: idle ones go now, running ones when their attempt ends.
    fn.latest.idle.length = 0
    fn.latest.generation++
  }

  /**
   * UpdateFunctionConfiguration of `$LATEST`: the options given replace their values; options left out
   * (or `undefined`, as the SDK leaves them out) keep theirs. Everything is validated before anything changes.
   */
  updateFunctionConfiguration(ref: FunctionRef, options: FunctionOptions): void {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid updateFunctionConfiguration options: expected an object, got ${describe(options)}`)
    const fn = this.#latestOnly(ref)
    const current: FunctionOptions = {
      timeout: fn.latest.timeoutMs / 1000,
      memorySize: fn.latest.memorySize,
      environment: fn.latest.environment,
      description: fn.latest.description,
    }
    if (fn.latest.deadLetterTargetArn !== undefined) current.deadLetterConfig = { targetArn: fn.latest.deadLetterTargetArn }
    if (fn.latest.init !== undefined) current.init = fn.latest.init
    // A loggingConfig given replaces the whole setting (format and levels).
    if (fn.latest.jsonLogging !== undefined) current.loggingConfig = { logFormat: 'JSON', ...fn.latest.jsonLogging }
    // `deadLetterConfig: { targetArn: '' }` removes the DLQ, as on AWS.
    const removeDlq = options.deadLetterConfig?.targetArn === ''
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as FunctionOptions
    const merged: FunctionOptions = { ...current, ...given }
    if (removeDlq) delete merged.deadLetterConfig
    const next = validateFunctionOptions(merged, 'updateFunctionConfiguration')
    Object.assign(fn.latest, next)
    // New configuration, new environments (as after an UpdateFunctionConfiguration on AWS): idle ones
    // go now, running ones when their attempt ends.
    fn.latest.idle.length = 0
    fn.latest.generation++
  }

  /**
   * PublishVersion: `description` is a string of at most 256 characters (AWS's `Description`), checked
   * with the function name before anything changes. https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html
   */
  publishVersion(ref: FunctionRef, options: { description?: string } = {}): { version: string; functionArn: string } {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid publishVersion options: expected { description? }, got ${describe(options)}`)
    rejectUnknownKeys('publishVersion', options, ['description'])
    const v = new Violations()
    checkDescription(v, options.description)
    const fn = this.#unqualified(ref, v)
    const version = this.registry.publishVersion(fn, options.description)
    return { version: version.version, functionArn: version.arn }
  }

  createAlias(ref: FunctionRef, input: AliasInput): AliasConfiguration {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid createAlias input: expected { name, functionVersion, description?, routingConfig? }, got ${describe(input)}`)
    rejectUnknownKeys('createAlias', input, ['name', 'functionVersion', 'description', 'routingConfig'])
    const text = this.#refText(ref)
    // Every member is validated first; an unknown function is then named with the FunctionVersion
    // (AWS: "Function not found: arn:...:function:<name>:<FunctionVersion>", OBS-api test_notfound_and_invalid_routingconfigs).
    const v = new Violations()
    checkAliasInput(v, input)
    const parsed = this.registry.parse(text, 'functionName', 'function', v)
    if (this.registry.get(parsed.name) === undefined) throw resourceNotFound(`Function not found: ${this.registry.arnFor(parsed.name)}:${String(input.functionVersion)}`)
    const fn = this.#unqualified(ref)
    return this.registry.aliasConfiguration(fn, this.registry.createAlias(fn, input))
  }

  /** GetAlias. A missing alias → `ResourceNotFoundException` `Cannot find alias arn: <arn>:<name>`. https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html */
  getAlias(ref: FunctionRef, name: string): AliasConfiguration {
    const fn = this.#aliasFunction(ref, name)
    const alias = fn.aliases.get(name)
    if (alias === undefined) throw resourceNotFound(`Cannot find alias arn: ${fn.arn}:${name}`)
    return this.registry.aliasConfiguration(fn, alias)
  }

  /**
   * ListAliases in creation order, optionally only those whose `FunctionVersion` is `functionVersion`;
   * `maxItems` 1–10000 (default 50), opaque `marker`. https://docs.aws.amazon.com/lambda/latest/api/API_ListAliases.html
   */
  listAliases(ref: FunctionRef, options: { functionVersion?: string; marker?: string; maxItems?: number } = {}): { aliases: AliasConfiguration[]; nextMarker?: string } {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid listAliases options: expected { functionVersion?, marker?, maxItems? }, got ${describe(options)}`)
    const v = new Violations()
    if (options.functionVersion !== undefined) checkFunctionVersion(v, options.functionVersion)
    v.intRange('maxItems', options.maxItems, 1, 10_000)
    const fn = this.#unqualified(ref, v)
    const all = [...fn.aliases.values()].filter((a) => options.functionVersion === undefined || a.functionVersion === options.functionVersion)
    const { page, nextMarker } = paginate(all, options.marker, options.maxItems ?? 50, (a) => a.created)
    const out: { aliases: AliasConfiguration[]; nextMarker?: string } = { aliases: page.map((a) => this.registry.aliasConfiguration(fn, a)) }
    if (nextMarker !== undefined) out.nextMarker = nextMarker
    return out
  }

  /**
   * UpdateAlias: members left out keep their value; `routingConfig: {}` removes the routing. New
   * invokes through the alias route by it at once. A stale `revisionId` → `PreconditionFailedException`
   * (412); a missing alias → `ResourceNotFoundException` `Alias not found: <arn>:<name>`.
   * https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html
   */
  updateAlias(ref: FunctionRef, input: AliasUpdate): AliasConfiguration {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid updateAlias input: expected { name, functionVersion?, description?, routingConfig?, revisionId? }, got ${describe(input)}`)
    rejectUnknownKeys('updateAlias', input, ['name', 'functionVersion', 'description', 'routingConfig', 'revisionId'])
    if (input.revisionId !== undefined && typeof input.revisionId !== 'string') throw new SimulatorError('InvalidOption', `Invalid revisionId: expected a string, got ${describe(input.revisionId)}`)
    const v = new Violations()
    checkAliasName(v, input.name)
    checkAliasMembers(v, input, false)
    const fn = this.#unqualified(ref, v)
    return this.registry.aliasConfiguration(fn, this.registry.updateAlias(fn, input))
  }

  /**
   * DeleteAlias. Answers nothing for an alias that does not exist (as AWS: 204, OBS-api
   * `test_non_existent_alias_deletion`). The alias's event invoke config goes with it; events already
   * queued through it are dropped at their next attempt (docs/semantics.md).
   * https://docs.aws.amazon.com/lambda/latest/api/API_DeleteAlias.html
   */
  deleteAlias(ref: FunctionRef, name: string): void {
    const fn = this.#aliasFunction(ref, name)
    if (fn.aliases.delete(name)) this.configs.forget(fn, name)
  }

  /**
   * DeleteFunction. With a version qualifier (in the name or as `qualifier`), that version: refused
   * for `$LATEST`, an alias name, or a version an alias routes to (409); a version that does not exist
   * is not an error. Without one, the function with all its versions, aliases and configs; its
   * reserved concurrency goes back to the account. Events queued for what was deleted end `Dropped`
   * at their next dequeue; attempts running then finish (docs/semantics.md).
   * https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
   */
  deleteFunction(ref: FunctionRef, options: { qualifier?: string } = {}): void {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid deleteFunction options: expected { qualifier? }, got ${describe(options)}`)
    rejectUnknownKeys('deleteFunction', options, ['qualifier'])
    const given = options.qualifier
    if (given !== undefined && typeof given !== 'string') throw new SimulatorError('InvalidOption', `Invalid qualifier: expected a version number as a string, got ${describe(given)}`)
    const v = new Violations()
    if (given !== undefined) checkQualifier(v, given)
    const parsed = this.registry.parse(this.#refText(ref), 'functionName', 'namespaced', v)
    if (given !== undefined && parsed.qualifier !== undefined && parsed.qualifier !== given) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.')
    }
    const qualifier = parsed.qualifier ?? given
    if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.')
    const fn = this.registry.get(parsed.name)
    if (fn === undefined) throw resourceNotFound(`Function not found: ${this.registry.arnFor(parsed.name)}`)
    if (qualifier === undefined) {
      this.registry.delete(fn)
      if (fn.reservedConcurrency !== undefined) this.concurrency.unreserve(fn)
      return
    }
    if (!/^[0-9]+$/.test(qualifier)) throw invalidParameter('Deletion of aliases is not currently supported.')
    const version = fn.versions.get(qualifier)
    if (version === undefined) return
    const users = [...fn.aliases.values()].filter((a) => a.functionVersion === qualifier || a.additionalVersion === qualifier).map((a) => a.name)
    if (users.length > 0) throw resourceConflict(`Unable to delete version because the following aliases reference it: [${users.sort().join(', ')}]`)
    fn.versions.delete(qualifier)
    version.idle.length = 0
    this.configs.forget(fn, qualifier)
  }

  /**
   * ListVersionsByFunction: `$LATEST` first, then the published versions in order; `maxItems` 1–10000,
   * at most 50 per page (AWS), opaque `marker`. https://docs.aws.amazon.com/lambda/latest/api/API_ListVersionsByFunction.html
   */
  listVersionsByFunction(ref: FunctionRef, options: { marker?: string; maxItems?: number } = {}): { versions: { version: string; functionArn: string; description: string }[]; nextMarker?: string } {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid listVersionsByFunction options: expected { marker?, maxItems? }, got ${describe(options)}`)
    const v = new Violations()
    v.intRange('maxItems', options.maxItems, 1, 10_000)
    const fn = this.#unqualified(ref, v)
    const { page, nextMarker } = paginate([fn.latest, ...fn.versions.values()], options.marker, Math.min(options.maxItems ?? 50, 50), (ver) => (ver === fn.latest ? 0 : Number(ver.version)))
    const out: { versions: { version: string; functionArn: string; description: string }[]; nextMarker?: string } = {
      versions: page.map((ver) => ({ version: ver.version, functionArn: ver.arn, description: ver.description })),
    }
    if (nextMarker !== undefined) out.nextMarker = nextMarker
    return out
  }

  #refText(ref: FunctionRef): string {
    return functionRefText(ref, 'function reference')
  }

  /** The function of GetAlias / DeleteAlias: the alias `Name` is validated with the function name. */
  #aliasFunction(ref: FunctionRef, name: string): LambdaFunction {
    if (typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid alias name: expected a string, got ${describe(name)}`)
    const v = new Violations()
    checkAliasName(v, name)
    return this.#unqualified(ref, v)
  }

  // ---- concurrency ------------------------------------------------------------------------

  /**
   * Reserve concurrency for a function (all versions and aliases); 0 throttles everything. At least
   * 100 of the account limit (all of a limit below 100) must stay unreserved.
   * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html
   */
  putFunctionConcurrency(ref: FunctionRef, reservedConcurrentExecutions: number): { reservedConcurrentExecutions: number } {
    if (typeof reservedConcurrentExecutions !== 'number' || !Number.isInteger(reservedConcurrentExecutions)) {
      throw new SimulatorError('InvalidOption', `Invalid reservedConcurrentExecutions: expected an integer from 0 to ${this.concurrency.accountLimit - this.concurrency.unreservedMinimum}, got ${describe(reservedConcurrentExecutions)}`)
    }
    if (reservedConcurrentExecutions < 0) {
      throw validationException([`Value '${reservedConcurrentExecutions}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0`])
    }
    // An unknown function is named with :$LATEST here (AWS, OBS-api test_function_concurrency_exceptions 2025-11-25).
    const parsed = this.registry.parse(this.#refText(ref), 'functionName', 'function')
    if (this.registry.get(parsed.name) === undefined) throw resourceNotFound(`Function not found: ${this.registry.arnFor(parsed.name)}:$LATEST`)
    const fn = this.#unqualified(ref)
    this.concurrency.reserve(fn, reservedConcurrentExecutions)
    return { reservedConcurrentExecutions }
  }

  /** The function's reserved concurrency, `{}` when none. https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConcurrency.html */
  getFunctionConcurrency(ref: FunctionRef): { reservedConcurrentExecutions?: number } {
    const fn = this.#unqualified(ref)
    return fn.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: fn.reservedConcurrency }
  }

  /** Remove the reservation: the function shares the unreserved pool again. https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionConcurrency.html */
  deleteFunctionConcurrency(ref: FunctionRef): void {
    this.concurrency.unreserve(this.#unqualified(ref))
  }

  // ---- event invoke config ------------------------------------------------------------------

  /**
   * Set the async retry policy and destinations of a function, version or alias, replacing any
   * previous config (left-out settings are removed). Applies to events already queued, at their next attempt.
   * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
   */
  putFunctionEventInvokeConfig(input: EventInvokeConfigInput): EventInvokeConfig {
    return this.configs.put(input)
  }
  /**
   * Change only the settings given; `onSuccess` and `onFailure` merge separately (`{}` clears a side).
   * https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionEventInvokeConfig.html
   */
  updateFunctionEventInvokeConfig(input: EventInvokeConfigInput): EventInvokeConfig {
    return this.configs.update(input)
  }
  /** https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionEventInvokeConfig.html */
  getFunctionEventInvokeConfig(input: { functionName: FunctionRef; qualifier?: string }): EventInvokeConfig {
    return this.configs.get(input)
  }
  /** Configs of every qualifier, in creation order; `maxItems` 1–50 (default 50), opaque `marker`. https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionEventInvokeConfigs.html */
  listFunctionEventInvokeConfigs(input: { functionName: FunctionRef; marker?: string; maxItems?: number }): { functionEventInvokeConfigs: EventInvokeConfig[]; nextMarker?: string } {
    return this.configs.list(input)
  }
  /** https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionEventInvokeConfig.html */
  deleteFunctionEventInvokeConfig(input: { functionName: FunctionRef; qualifier?: string }): void {
    this.configs.delete(input)
  }

  // ---- sinks ---------------------------------------------------------------------------------

  /** Make a user {@link Destination} reachable by its ARN (sink objects passed in a config are registered automatically). */
  registerDestination(destination: Destination): void {
    this.checkDestination(destination)
    this.#sinks.set(destination.arn, destination)
  }

  /** The checks of {@link registerDestination} without registering (a config naming two sink objects refuses both before registering either). */
  checkDestination(destination: Destination): void {
    if (!isDestination(destination)) throw new SimulatorError('InvalidOption', `Invalid destination: expected an object with arn and deliver(), got ${describe(destination)}`)
    const existing = this.#sinks.get(destination.arn)
    if (existing !== undefined && existing !== destination) throw new SimulatorError('InvalidOption', `Another destination is already registered with ARN ${destination.arn}`)
  }

  #addSink<T extends Destination>(sink: T): T {
    if (this.#sinks.has(sink.arn)) throw new SimulatorError('InvalidOption', `A resource with ARN ${sink.arn} already exists`)
    this.#sinks.set(sink.arn, sink)
    return sink
  }

  /**
   * A standard (or, with a `.fifo` name, FIFO) SQS-like queue in memory. As SQS's CreateQueue, an
   * existing queue's name returns that queue unless an option given differs (`QueueNameExists`).
   */
  createQueue(name: string, options?: QueueOptions): Queue {
    const queue = new Queue(this, name, options)
    const existing = this.#sinks.get(queue.arn)
    if (existing instanceof Queue) {
      const differs = conflictingQueueAttribute(existing, options, queue)
      if (differs !== undefined) throw new LambdaError('QueueNameExists', 400, `A queue already exists with the same name and a different value for attribute ${differs}`)
      return existing
    }
    return this.#addSink(queue)
  }
  /**
   * A standard (or `.fifo`) SNS-like topic; function subscribers are invoked asynchronously. As SNS's
   * CreateTopic, an existing topic's name returns that topic unless an option given differs
   * (`InvalidParameter` "Invalid parameter: Attributes Reason: Topic already exists with different attributes").
   */
  createTopic(name: string, options?: TopicOptions): Topic {
    const topic = new Topic(this, name, options)
    // CreateTopic "is idempotent, so if the requester already owns a topic with the specified name, that topic's ARN is returned".
    const existing = this.#sinks.get(topic.arn)
    if (existing instanceof Topic) {
      // Attributes left out are not compared (LocalStack's AWS-validated test_create_topic_different_attrs).
      if (options?.contentBasedDeduplication !== undefined && topic.contentBasedDeduplication !== existing.contentBasedDeduplication) {
        throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Topic already exists with different attributes')
      }
      return existing
    }
    return this.#addSink(topic)
  }
  /** An EventBridge-like bus; as a destination it receives Lambda's envelope (`source` "lambda"). */
  createEventBus(name: string): EventBus {
    const bus = new EventBus(this, name)
    if (this.#sinks.get(bus.arn) instanceof EventBus) throw new LambdaError('ResourceAlreadyExistsException', 400, `Event bus ${name} already exists.`)
    return this.#addSink(bus)
  }
  /** An S3-like bucket; valid as an on-failure destination only. */
  createBucket(name: string): Bucket {
    const bucket = new Bucket(this, name)
    const existing = this.#sinks.get(bucket.arn)
    if (existing instanceof Bucket) {
      // S3 answers a bucket you already own with success in us-east-1 (legacy) and 409 elsewhere.
      if (this.region === 'us-east-1') return existing
      throw new LambdaError('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.')
    }
    return this.#addSink(bucket)
  }

  /** The sink registered under an ARN (or a function destination), if any. */
  destinationFor(arn: string): Destination | undefined {
    const sink = this.#sinks.get(arn)
    if (sink !== undefined) return sink
    if (arnService(arn) === 'lambda') {
      const name = arn.split(':')[6]
      if (name !== undefined && this.registry.get(name) !== undefined) return new FunctionDestination(this, arn)
    }
    return undefined
  }

  // ---- invoking ------------------------------------------------------------------------------

  #target(ref: unknown, qualifier: string | undefined): Target {
    if (typeof ref === 'function') {
      const fn = this.registry.forHandler(ref as AnyHandler, this.scheduler.now)
      return this.registry.resolve(fn.name, qualifier)
    }
    return this.registry.resolve(functionRefText(ref, 'function reference', 'a name, an ARN, a function handle or a handler'), qualifier)
  }

  invoke(ref: unknown, event: unknown, type: InvocationType = 'RequestResponse', options: InvokeOptions = NO_OPTIONS): Promise<InvokeResponse> {
    // Not an async function: an accepted Event invoke costs one resolved promise, not a chain of them
    // (a large test queues its events with one `await sim.invoke` each). Errors still reject.
    // A bare handler is registered as a function on its first invoke; if that invoke is refused (a bad
    // qualifier, payload or client context), the registration is undone: a refused call changes nothing.
    const fresh = typeof ref === 'function' && !this.registry.hasHandler(ref as AnyHandler)
    try {
      checkInvokeEnum('invocationType', type, ['Event', 'RequestResponse', 'DryRun'])
      if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid invoke options: expected an object, got ${describe(options)}`)
      if (options !== NO_OPTIONS) {
        rejectUnknownKeys('invoke', options, ['qualifier', 'logType', 'clientContext'])
        checkInvokeEnum('logType', options.logType, ['Tail', 'None'])
      }
      const target = this.#target(ref, options.qualifier)
      return this.#dispatch(target, serializeEvent(event), type, options.logType === 'Tail', options.clientContext, false)
    } catch (error) {
      if (fresh) this.registry.forgetHandler(ref as AnyHandler)
      return Promise.reject(error)
    }
  }

  /**
   * The Invoke API once the payload is JSON text: the size limits of the invocation type (the byte
   * count is what AWS limits), then accept (Event), validate only (DryRun) or run (RequestResponse).
   * `checkJson`: the text came off the wire and may not be JSON. A throttle or fault rejects with an
   * error that carries the request id the timeline recorded (`requestId`, not enumerable). Invalid
   * input throws synchronously (callers turn that into a rejection).
   */
  #dispatch(target: Target, eventJson: string, type: InvocationType, tail: boolean, clientContext: InvokeOptions['clientContext'], checkJson: boolean): Promise<InvokeResponse> {
    if (type === 'Event') this.#checkAsyncPayload(eventJson)
    else if (bytesIfOver(eventJson, SYNC_REQUEST_LIMIT_BYTES) > SYNC_REQUEST_LIMIT_BYTES) {
      throw new LambdaError('RequestEntityTooLargeException', 413, `Request must be smaller than ${SYNC_REQUEST_LIMIT_BYTES} bytes for the InvokeFunction operation`, { type: 'User' })
    }
    if (checkJson) {
      try {
        JSON.parse(eventJson)
      } catch (error) {
        throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`, { type: 'User' })
      }
    }
    if (type === 'Event') {
      const requestId = this.#accept(target, eventJson).requestId
      if (this.#observerError !== undefined) {
        // Accepted (it runs and ends as usual); the observer's error goes to the caller as a rejection,
        // not a throw: invoke's catch would undo the registration of a bare handler the event now needs.
        try {
          this.observerBoundary()
        } catch (error) {
          return Promise.reject(error)
        }
      }
      return Promise.resolve({ statusCode: 202, requestId })
    }
    const context = parseClientContext(clientContext)
    const requestId = this.random.uuid()
    if (type === 'DryRun') return Promise.resolve({ statusCode: 204, requestId })
    return this.#invokeSync(target, eventJson, requestId, context, tail).catch((error: unknown) => {
      if (error instanceof LambdaError) Object.defineProperty(error, 'requestId', { value: requestId, enumerable: false })
      throw error
    })
  }

  async #invokeSync(target: Target, eventJson: string, requestId: string, clientContext: ClientContext | undefined, tail: boolean): Promise<InvokeResponse> {
    const fn = target.fn
    const now = this.scheduler.now
    // A synchronous invoke is the next invocation of its caller's request chain (spec §10: Lambda's
    // direct Invoke is tracked; a stopped synchronous call gets RecursiveInvocationException).
    // The count is per function (AWS's Lineage has one entry per function): see recursion.ts.
    const lineage = currentLineage(this.scheduler)
    const count = lineage.count(fn.name) + 1
    if (stopsRecursion(count, fn.recursiveLoop)) {
      this.notice('recursive-invocation', `Invocation ${count} of ${fn.name} in a request chain was stopped: ${fn.name} was invoked more than ${MAX_CHAIN_INVOCATIONS} times in one chain (invocations so far: ${lineage.toString()})`, { requestId, functionName: fn.name, invocation: count, chainInvocation: lineage.total + 1 })
      throw new LambdaError('RecursiveInvocationException', 400, "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.", { type: 'User' })
    }
    const { fault, reason } = admitSync(this.faults, this.concurrency, fn, now)
    if (fault !== undefined || reason !== undefined) {
      this.metrics.throttles += reason !== undefined ? 1 : 0
      if (this.observed) this.emit({ type: 'throttled', time: now, requestId, functionName: fn.name, invocationType: 'RequestResponse', reason: reason ?? (fault as LambdaError).name })
      throw fault ?? tooManyRequests(reason as string)
    }
    const version = this.registry.versionFor(fn, target.qualifier)
    if (this.observed) this.emit({ type: 'attempt-started', time: now, requestId, functionName: fn.name, version: version.version, attempt: 1, invocationType: 'RequestResponse', coldStart: version.idle.length === 0 })
    let outcome: AttemptOutcome | undefined
    let done: ((o: AttemptOutcome) => void) | undefined
    // Chains never cross simulators (currentLineage is empty for another simulator's handler).
    const caller = activityStorage.getStore()
    startAttempt(
      this,
      {
        version,
        requestId,
        eventJson,
        invokedFunctionArn: target.qualified ? `${fn.arn}:${target.qualifier}` : fn.arn,
        clientContext,
        label: `${fn.name} (${requestId})`,
        lineage,
      },
      (o) => {
        outcome = o
        // Settle the callee at the instant it ends, not when its caller resumes: a caller that timed
        // out meanwhile never resumes, and the loop would run on with the callee's slot still held.
        this.concurrency.release(fn)
        this.metrics.invocations++
        if (!o.ok) this.metrics.errors++
        this.#attemptFinished(requestId, fn, o, 'RequestResponse', 1)
        done?.(o)
      },
    )
    if (outcome === undefined && caller !== undefined && caller.live && caller.scheduler === this.scheduler) {
      // Invoked from inside a handler: the caller waits, parked, while the simulator runs the callee.
      outcome = await this.scheduler.parkUntil<AttemptOutcome>(caller, (settle) => {
        done = settle
      })
    } else if (outcome === undefined) {
      try {
        await this.scheduler.runUntil(() => outcome !== undefined)
      } catch (error) {
        // The loop failed (a runaway loop, leftover work in strict mode): give the slot back.
        if (outcome === undefined) this.concurrency.release(fn)
        throw error
      }
    }
    const o = outcome as AttemptOutcome
    const response: InvokeResponse = { statusCode: 200, payload: JSON.parse(o.payloadJson) as unknown, executedVersion: o.executedVersion, requestId }
    if (!o.ok) response.functionError = 'Unhandled'
    if (tail) response.logResult = tailBase64(o.logs)
    if (caller === undefined) this.#throwKept()
    return response
  }

  #attemptFinished(requestId: string, fn: LambdaFunction, o: AttemptOutcome, invocationType: InvocationType, attempt: number): void {
    if (this.observed) this.emit(attemptFinishedEvent(this.scheduler.now, requestId, fn.name, attempt, invocationType, o))
  }


  #accept(target: Target, eventJson: string, source?: string): AsyncEvent {
    const fn = target.fn
    const ev = new AsyncEvent(this.#engine.target(fn, target.qualifier, target.qualified), this.random.uuid(), eventJson, this.scheduler.now)
    ev.lineage = currentLineage(this.scheduler)
    if (this.observed) {
      const e: SimEvent = { type: 'accepted', time: ev.acceptedAt, requestId: ev.requestId, functionName: fn.name, qualifier: target.qualifier, invocationType: 'Event' }
      if (source !== undefined) e.source = source
      this.emit(e)
    }
    if (this.#drops !== undefined) ev.dropReason = this.#dropReason(fn)
    this.#engine.accept(ev)
    return ev
  }

  /** Accept an async invocation on behalf of a service (topic, destination, trigger). Throws LambdaError if it cannot be queued. */
  acceptAsync(functionArnOrName: string, eventJson: string, source: { kind: string; arn: string } | undefined): string {
    const target = this.registry.resolve(functionArnOrName)
    this.#checkAsyncPayload(eventJson)
    return this.#accept(target, eventJson, source?.arn).requestId
  }

  /** The async payload limit (1 MB by default), with the error AWS gives over it. */
  #checkAsyncPayload(eventJson: string): void {
    const bytes = bytesIfOver(eventJson, this.#asyncLimit)
    if (bytes > this.#asyncLimit) {
      throw new LambdaError('RequestEntityTooLargeException', 413, `${bytes} byte payload is too large for the Event invocation type (limit ${this.#asyncLimit} bytes)`, { type: 'User' })
    }
  }

  // ---- terminal outcomes: destinations and DLQ ------------------------------------------------------

  afterSuccess(ev: AsyncEvent): void {
    // (The size check skips hashing the request id when no duplicate is planned: every success passes here.)
    const planned = this.#plannedDuplicates.size === 0 ? undefined : this.#plannedDuplicates.get(ev.requestId)
    if (planned !== undefined) {
      this.#plannedDuplicates.delete(ev.requestId)
      for (const delayMs of planned) this.#scheduleDuplicate(ev, delayMs, 'after-success')
    }
    const d = this.#duplicates
    if (d === undefined) return
    const again = d.requestIds.has(ev.requestId) || (d.probability > 0 && this.random.next() < d.probability)
    if (!again) return
    this.#scheduleDuplicate(ev, d.delayMs, 'after-success')
  }

  settle(ev: AsyncEvent, condition: DestinationCondition, config: EffectiveConfig, obstacle: { kind: string; reason: string } | undefined): void {
    const time = this.scheduler.now
    const target = condition === 'Success' ? config.onSuccess : config.onFailure
    const last = ev.last
    if (target !== undefined) {
      const delivery = new RecordDelivery(condition === 'Success' ? 'on-success' : 'on-failure', ev, time, condition, ev.attempts, last, undefined)
      if (arnService(target) === 'sns' && delivery.maxBytes() > SNS_MAX_BYTES && Buffer.byteLength(delivery.body, 'utf8') > SNS_MAX_BYTES) {
        // AWS: "Lambda will drop the payload" when request + response exceed SNS's 256 KB.
        delivery.dropPayloads()
      }
      this.#deliver(delivery, target, ev, condition)
    }
    if (condition !== 'Success') {
      const version = last === undefined ? this.#safeVersion(ev) : (ev.fn.versions.get(last.executedVersion) ?? ev.fn.latest)
      const dlq = version?.deadLetterTargetArn
      if (dlq !== undefined) {
        let code = '200'
        let message = last?.errorMessage ?? ''
        if (last === undefined) {
          code = obstacle?.kind === 'fault' ? '500' : obstacle?.kind === 'recursion' ? '400' : '429'
          message = obstacle?.kind === 'fault' ? 'ServiceException' : obstacle?.kind === 'recursion' ? 'RecursiveInvocationException' : 'Rate Exceeded.'
        }
        this.#deliver(new RecordDelivery('dead-letter', ev, time, condition, ev.attempts, undefined, deadLetterAttributes(ev.requestId, code, message)), dlq, ev, condition)
      }
    }
  }

  #safeVersion(ev: AsyncEvent): FunctionVersion | undefined {
    if (ev.qualifier === '$LATEST') return ev.fn.latest
    const v = ev.fn.versions.get(ev.qualifier)
    if (v !== undefined) return v
    const alias = ev.fn.aliases.get(ev.qualifier)
    return alias === undefined ? undefined : alias.functionVersion === '$LATEST' ? ev.fn.latest : ev.fn.versions.get(alias.functionVersion)
  }

  #deliver(delivery: RecordDelivery, arn: string, ev: AsyncEvent, condition: DestinationCondition): void {
    const kind = delivery.kind
    const sink = this.destinationFor(arn)
    if (sink === undefined) {
      this.#deliveryFailed(kind, arn, ev, new Error(`No destination with ARN ${arn} exists in this simulator`))
      return
    }
    try {
      // The record continues the event's request chain: loop detection counts a loop through a destination.
      const outer = enterChainHop(this.scheduler, lineageAfter(ev.lineage, ev.fn))
      let r: void | Promise<void>
      try {
        r = sink.deliver(delivery)
      } finally {
        exitChainHop(outer)
      }
      if (r !== undefined && typeof (r as Promise<void>).then === 'function') {
        // An async sink is work in flight at this instant, like a running handler: virtual time waits
        // for it (and a sink that never settles is reported after the real-time grace).
        const activity = this.scheduler.begin(`delivery of ${ev.requestId} to ${arn}`)
        activity.about = { requestId: ev.requestId, functionName: ev.fn.name }
        ;(r as Promise<void>).then(
          () => {
            this.scheduler.end(activity)
            this.#delivered(kind, arn, ev, condition)
          },
          (error: unknown) => {
            this.scheduler.end(activity)
            this.#deliveryFailed(kind, arn, ev, error)
          },
        )
      } else this.#delivered(kind, arn, ev, condition)
    } catch (error) {
      this.#deliveryFailed(kind, arn, ev, error)
    }
  }

  #delivered(kind: Delivery['kind'], arn: string, ev: AsyncEvent, condition: DestinationCondition): void {
    if (this.observed) this.emit({ type: 'delivered', time: this.scheduler.now, requestId: ev.requestId, functionName: ev.fn.name, kind, destination: arn, condition })
  }

  #deliveryFailed(kind: Delivery['kind'], arn: string, ev: AsyncEvent, error: unknown): void {
    if (kind === 'dead-letter') this.metrics.deadLetterErrors++
    else this.metrics.destinationDeliveryFailures++
    if (this.observed) {
      this.emit({ type: 'delivery-failed', time: this.scheduler.now, requestId: ev.requestId, functionName: ev.fn.name, kind, destination: arn, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
    }
  }


  // ---- event source mappings ----------------------------------------------------------------------------

  #esm: EventSourceMappings | undefined

  get #mappings(): EventSourceMappings {
    return (this.#esm ??= new EventSourceMappings(this, this.registry))
  }

  /** A Kinesis-like data stream (`putRecord` / `putRecords`), a source for event source mappings. */
  createStream(name: string, options?: StreamOptions): Stream {
    // Kinesis CreateStream on an existing name; checked before anything is made.
    if (typeof name === 'string' && this.#mappings.hasStream(`arn:aws:kinesis:${this.region}:${this.accountId}:stream/${name}`)) {
      throw new LambdaError('ResourceInUseException', 400, `Stream ${name} under account ${this.accountId} already exists.`)
    }
    const stream = new Stream(this, name, options)
    this.#mappings.addStream(stream)
    return stream
  }

  /** A DynamoDB table with a stream (`putItem` / `updateItem` / `deleteItem` / `recordChange`). */
  createTableStream(tableName: string, options?: TableStreamOptions): TableStream {
    // DynamoDB CreateTable on an existing table; checked before anything is made (the stream draws an id).
    if (typeof tableName === 'string' && this.#mappings.hasStream(`arn:aws:dynamodb:${this.region}:${this.accountId}:table/${tableName}`)) {
      throw new LambdaError('ResourceInUseException', 400, `Table already exists: ${tableName}`)
    }
    const stream = new TableStream(this, tableName, options)
    this.#mappings.addStream(stream)
    return stream
  }

  /**
   * CreateEventSourceMapping (returns the mapping in state `Creating`; it becomes `Enabled` or
   * `Disabled` at the same virtual instant, as a task). https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
   */
  createEventSourceMapping(input: EventSourceMappingInput): EventSourceMappingConfiguration {
    return this.#mappings.create(input)
  }
  /** UpdateEventSourceMapping: only the given members change. */
  updateEventSourceMapping(input: EventSourceMappingUpdate): EventSourceMappingConfiguration {
    return this.#mappings.update(input)
  }
  getEventSourceMapping(input: { uuid: string }): EventSourceMappingConfiguration {
    return this.#mappings.get(input?.uuid)
  }
  /** DeleteEventSourceMapping: returns the mapping in state `Deleting`; batches in flight finish. */
  deleteEventSourceMapping(input: { uuid: string }): EventSourceMappingConfiguration {
    return this.#mappings.delete(input?.uuid)
  }
  listEventSourceMappings(input: { eventSourceArn?: string; functionName?: FunctionRef; marker?: string; maxItems?: number } = {}): { eventSourceMappings: EventSourceMappingConfiguration[]; nextMarker?: string } {
    return this.#mappings.list(input)
  }

  // ---- triggers and environments ----------------------------------------------------------------------------

  readonly #schedules: Schedules
  readonly #strictLeftoverWork: boolean
  /** Strict-mode failures not yet reported to the test. */
  readonly #leftoverFailures: SimulatorError[] = []

  /**
   * An EventBridge schedule invoking `target` asynchronously (`Event`: retries, destinations and the
   * DLQ apply) on the virtual clock, with EventBridge Scheduler's default notification as payload (`source: 'aws.scheduler'`, `detail: '{}'`) or `input`.
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
   */
  createSchedule(options: ScheduleOptions): ScheduleHandle {
    return this.#schedules.create(options)
  }

  /** The schedules not deleted, in creation order. */
  listSchedules(): ScheduleHandle[] {
    return this.#schedules.all
  }

  /** TriggerHost: the ARN to invoke for a function reference, checked now. */
  resolveFunctionArn(ref: unknown, member: string): string {
    const target = this.registry.resolve(functionRefText(ref, member))
    return target.qualified ? `${target.fn.arn}:${target.qualifier}` : target.fn.arn
  }

  /** AttemptHost: work left running when an attempt returned (spec §4.1). */
  workLeftRunning(info: { requestId: string; functionName: string; version: string; label: string; environment: number; pending: number; dueInMs: number[]; ownDueInMs: number[]; sdkRequests: number; intended: boolean }): void {
    const tasks = `${info.pending} pending task${info.pending === 1 ? '' : 's'}`
    const sdk = info.sdkRequests
    const timers = info.pending - sdk
    const requests = `${sdk} SDK request${sdk === 1 ? '' : 's'}`
    // What the tasks are: timers alone keep the words they always had.
    const kinds = sdk === 0 ? 'virtual timers' : timers === 0 ? (sdk === 1 ? 'an SDK request' : requests) : `${timers} virtual timer${timers === 1 ? '' : 's'}, ${requests}`
    if (this.observed) {
      this.emit({
        type: 'work-left-running',
        time: this.scheduler.now,
        requestId: info.requestId,
        functionName: info.functionName,
        version: info.version,
        environment: info.environment,
        pending: info.pending,
        ...(sdk > 0 ? { sdkRequests: sdk } : {}),
        message: `${info.label}: the handler returned while ${tasks} (${kinds}) ${info.pending === 1 ? 'was' : 'were'} still running; Lambda freezes that work with execution environment ${info.environment} and it resumes in the next invocation there`,
      })
    }
    // Strict mode blames an attempt for the work its own code started: timers thawed from an earlier
    // invocation of the environment (already reported there) are not this handler's forgotten await.
    const own = info.ownDueInMs.length + sdk
    if (this.#strictLeftoverWork && !info.intended && own > 0) {
      this.#leftoverFailures.push(
        new SimulatorError(
          'LeftoverWork',
          `${info.label}: handler returned before awaiting ${own} pending task${own === 1 ? '' : 's'} (${leftoverDetail(info.ownDueInMs, sdk)}). On AWS that work is frozen and runs during a later invocation, if any. Await it (or turn off strict.leftoverWork).`,
        ),
      )
    }
  }

  /**
   * An SDK request through a client without `sendTracking` reached the simulator after the attempt
   * whose handler sent it had returned (sdk/request-handler.ts): that attempt's work-left-running was
   * decided without it, so it is a warning of its own, and a strict-mode failure.
   */
  unawaitedSdkRequest(info: { requestId: string; functionName: string; label: string; environment: number; request: string; fate: 'frozen' | 'discarded' | 'thawed'; intended: boolean }): void {
    const fate =
      info.fate === 'frozen'
        ? `Lambda freezes it with execution environment ${info.environment}: it goes out when that environment is next invoked, if ever`
        : info.fate === 'discarded'
          ? `Execution environment ${info.environment} ended with the attempt: it never goes out`
          : `Execution environment ${info.environment} has been invoked again since: it goes out now`
    this.notice('unawaited-sdk-request',
      `${info.label}: an SDK request (${info.request}) reached the simulator after the handler returned without awaiting it. ${fate}. The client has no sendTracking(sim), so the attempt's work-left-running did not count it. Await the send.`,
      { requestId: info.requestId, functionName: info.functionName, environment: info.environment, request: info.request },
    )
    if (this.#strictLeftoverWork && !info.intended) {
      this.#leftoverFailures.push(
        new SimulatorError(
          'LeftoverWork',
          `${info.label}: handler returned before awaiting an SDK request (${info.request}), sent through a client without sendTracking(sim). On AWS that work is frozen and runs during a later invocation, if any. Await it (or turn off strict.leftoverWork).`,
        ),
      )
    }
  }

  #throwLeftoverWork(): void {
    const failure = this.#leftoverFailures.shift()
    if (failure !== undefined) {
      this.#leftoverFailures.length = 0
      throw failure
    }
  }

  // ---- SDK adapter ----------------------------------------------------------------------------

  /**
   * Invoke with the request as the Invoke API carries it on the wire: the payload as raw JSON text
   * (its byte size is what the limits count) and the client context as base64. This is the entry
   * point of the AWS SDK adapter (`lambda-sim/sdk`); it makes the same checks, draws the same ids
   * and records the same outcomes as {@link invoke}. `payloadJson` of the result is the response body.
   * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
   */
  async invokeWire(input: { functionName: string; qualifier?: string | undefined; invocationType?: string | undefined; logType?: string | undefined; clientContext?: string | undefined; payload?: string | undefined; payloadNotUtf8?: string | undefined }): Promise<InvokeResponse & { payloadJson?: string }> {
    const type = input.invocationType ?? 'RequestResponse'
    checkInvokeEnum('invocationType', type, ['Event', 'RequestResponse', 'DryRun'])
    checkInvokeEnum('logType', input.logType, ['Tail', 'None'])
    const target = this.#target(input.functionName, input.qualifier)
    // Bytes that are not UTF-8 fail the service's JSON reader, like a payload that is not JSON.
    if (input.payloadNotUtf8 !== undefined) {
      throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: Could not parse payload into json: ${input.payloadNotUtf8}`, { type: 'User' })
    }
    const eventJson = input.payload === undefined || input.payload === '' ? '{}' : input.payload
    const response: InvokeResponse & { payloadJson?: string } = await this.#dispatch(target, eventJson, type, input.logType === 'Tail', input.clientContext, true)
    // The attempt produced the body with JSON.stringify, so stringify(parse(body)) gives it back byte for byte.
    if (response.statusCode === 200) response.payloadJson = JSON.stringify(response.payload)
    return response
  }


  /**
   * PutFunctionRecursionConfig: `Terminate` (the default) stops the function's 17th invocation in a
   * request chain; `Allow` lets it run. Unqualified functions only.
   * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionRecursionConfig.html
   */
  putFunctionRecursionConfig(input: { functionName: FunctionRef; recursiveLoop: 'Allow' | 'Terminate' }): { recursiveLoop: 'Allow' | 'Terminate' } {
    const value: unknown = input?.recursiveLoop
    // A misspelt or extra member (a `qualifier`: the setting is per function) is refused, not ignored.
    if (input !== null && typeof input === 'object') rejectUnknownKeys('putFunctionRecursionConfig', input, ['functionName', 'recursiveLoop'])
    const v = new Violations()
    const fnText = this.#recursionTarget(input?.functionName, v)
    if (value === undefined || value === null) v.list.push(`Value null at 'recursiveLoop' failed to satisfy constraint: Member must not be null`)
    else v.enumValue('recursiveLoop', value, ['Terminate', 'Allow'])
    v.throwIfAny()
    const fn = this.#fn(fnText)
    fn.recursiveLoop = value as 'Allow' | 'Terminate'
    return { recursiveLoop: fn.recursiveLoop }
  }

  /** GetFunctionRecursionConfig. https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionRecursionConfig.html */
  getFunctionRecursionConfig(input: { functionName: FunctionRef }): { recursiveLoop: 'Allow' | 'Terminate' } {
    const v = new Violations()
    const fnText = this.#recursionTarget(input?.functionName, v)
    v.throwIfAny()
    return { recursiveLoop: this.#fn(fnText).recursiveLoop }
  }

  /** The recursion-config APIs take an `UnqualifiedFunctionName` (1–140 chars, no qualifier). */
  #recursionTarget(ref: FunctionRef | undefined, v: Violations): string {
    const text = functionRefText(ref, 'functionName')
    v.maxLength('functionName', text, 140)
    v.pattern('functionName', text, UNQUALIFIED_FUNCTION_NAME_REGEX, UNQUALIFIED_FUNCTION_NAME_PATTERN)
    return text
  }

  // ---- testing toolkit ----------------------------------------------------------------------------

  /**
   * Deliver an accepted async event again (Lambda's queue is at-least-once). `when: 'after-success'`
   * (default) delivers it `delayMs` after its first successful attempt (nothing if it never
   * succeeds); `when: 'now'` delivers it `delayMs` from now, alongside the original (a concurrent
   * duplicate). The duplicate reuses the request id, its attempts are on the timeline
   * (`duplicate: true`), and the event keeps its single terminal outcome.
   * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
   */
  deliverDuplicate(requestId: string, options: { delayMs?: number; when?: 'after-success' | 'now' } = {}): void {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid deliverDuplicate options: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('deliverDuplicate', options, ['delayMs', 'when'])
    const delayMs = optionInt('deliverDuplicate delayMs', options.delayMs, 0, 21_600_000, 'ms') ?? 0
    const when = options.when ?? 'after-success'
    if (when !== 'after-success' && when !== 'now') throw new SimulatorError('InvalidOption', `Invalid deliverDuplicate when: expected "after-success" or "now", got ${describe(when)}`)
    const ev = typeof requestId === 'string' ? this.#engine.waitingEvent(requestId) : undefined
    if (ev === undefined) {
      // Say why, when the timeline knows the request: it ended already, or it was never an async event.
      const seen = typeof requestId === 'string' ? this.timeline.forRequest(requestId) : []
      const terminal = seen.find((e) => e.type === 'terminal')
      const why =
        terminal !== undefined
          ? `: it already ended (${terminal.condition} at ${new Date(terminal.time).toISOString()}); call deliverDuplicate right after the invoke that accepted it`
          : seen.length > 0 && !seen.some((e) => e.type === 'accepted')
            ? ': it is a synchronous (RequestResponse) invocation, and only asynchronous (Event) invocations are delivered more than once'
            : ''
      throw new SimulatorError('InvalidUse', `Cannot deliver a duplicate of ${describe(requestId)}: no accepted async event with that request id is waiting for its outcome${why}`)
    }
    if (when === 'now') this.#scheduleDuplicate(ev, delayMs, 'concurrent')
    else {
      const list = this.#plannedDuplicates.get(requestId)
      if (list === undefined) this.#plannedDuplicates.set(requestId, [delayMs])
      else list.push(delayMs)
    }
  }

  #scheduleDuplicate(ev: AsyncEvent, delayMs: number, mode: 'after-success' | 'concurrent'): void {
    const dup = new AsyncEvent(ev.target, ev.requestId, ev.eventJson, ev.acceptedAt)
    dup.duplicate = true
    dup.attempts = ev.attempts
    // The same invocation delivered again: the same place in its request chain.
    dup.lineage = ev.lineage
    if (this.observed) this.emit({ type: 'duplicate', time: this.scheduler.now, requestId: ev.requestId, functionName: ev.fn.name, attempt: ev.attempts + 1, delayMs, mode })
    this.scheduler.schedule(dup, this.scheduler.now + delayMs)
  }

  #dropReason(fn: LambdaFunction): string | undefined {
    const d = this.#drops as { whenQueueDepthExceeds: number; probability: number }
    const depth = this.#engine.inFlight(fn) + 1
    if (depth > d.whenQueueDepthExceeds) {
      return `Queue depth ${depth} exceeded drops.whenQueueDepthExceeds (${d.whenQueueDepthExceeds}): the function could not keep up`
    }
    if (d.probability > 0 && this.random.next() < d.probability) return `Dropped at random (drops.probability ${d.probability}): the function could not keep up`
    return undefined
  }

  /**
   * Make `Date`, `Date.now()`, `setTimeout`, `setInterval`, `setImmediate` (and their `clear`
   * functions) follow this simulator's virtual clock. Date is virtual everywhere while this is on;
   * timers are virtual when created by handler code running in one of this simulator's attempts
   * (they park the attempt, and freeze with its environment if it returns first), and real
   * elsewhere. Returns the function that restores the real globals. One simulator at a time.
   * See docs/testing.md.
   */
  useVirtualGlobals(): () => void {
    // eslint-disable-next-line prefer-rest-params -- the public signature takes nothing; an argument is a mistake to report
    refuseArguments('useVirtualGlobals', arguments, 'Date, Date.now() and timers inside handlers always follow the virtual clock while it is on')
    if (this.#virtualGlobals !== undefined) throw new SimulatorError('InvalidUse', 'Virtual globals are already on for this simulator; call the restore function useVirtualGlobals() returned first')
    const restore = installVirtualGlobals(this.scheduler)
    let restored = false
    this.#virtualGlobals = restore
    return () => {
      if (restored) return
      restored = true
      this.#virtualGlobals = undefined
      restore()
    }
  }

  // ---- clock -----------------------------------------------------------------------------------

  advanceBy(ms: number): Promise<void> {
    this.#refuseFromInside('advanceBy')
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new SimulatorError('InvalidOption', `Invalid advanceBy(${describe(ms)}): expected a finite number of milliseconds >= 0`)
    }
    this.#checkClockRange('advanceBy', ms)
    return this.scheduler.advanceTo(this.scheduler.now + ms).then(() => this.#throwKept())
  }

  advanceTo(time: number | string | Date): Promise<void> {
    this.#refuseFromInside('advanceTo')
    return this.scheduler.advanceTo(toEpochMs('advanceTo time', time)).then(() => this.#throwKept())
  }

  runUntilIdle(): Promise<void> {
    this.#refuseFromInside('runUntilIdle')
    return this.scheduler.runUntilIdle().then(() => this.#throwKept())
  }

  /**
   * Code this simulator runs (a handler, its timers, an asynchronous sink) cannot drive the clock it
   * runs on: it would wait for its own attempt to park, and only the real-time grace would end the
   * wait, as a timeout. Refused with the way out instead.
   */
  #refuseFromInside(method: string): void {
    const a = activityStorage.getStore()
    if (a === undefined || !a.live || a.scheduler !== this.scheduler) return
    throw new SimulatorError(
      'InvalidUse',
      `sim.${method}() was called from code this simulator is running (${a.label}): that code runs on the virtual clock ${method}() would move, so it would wait for itself. Inside handler code, wait with sim.sleep(ms) (or a timer with useVirtualGlobals()); drive the clock from the test.`,
    )
  }

  sleep(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new SimulatorError('InvalidOption', `Invalid sleep(${describe(ms)}): expected a finite number of milliseconds >= 0`)
    }
    this.#checkClockRange('sleep', ms)
    const activity = activityStorage.getStore()
    if (activity !== undefined && activity.live && activity.scheduler === this.scheduler) return this.scheduler.sleepInActivity(activity, ms)
    return this.advanceBy(ms)
  }

  /** A wait of `ms` must end at an instant a Date can hold (the clock's times are printed as ISO strings). */
  #checkClockRange(method: string, ms: number): void {
    if (this.scheduler.now + ms > MAX_DATE_MS) {
      throw new SimulatorError('InvalidOption', `Invalid ${method}(${describe(ms)}): the clock would pass the last instant a Date can hold (${new Date(MAX_DATE_MS).toISOString()})`)
    }
  }

  /** Pending work, one line each, in firing order. */
  pending(): string[] {
    // eslint-disable-next-line prefer-rest-params -- see useVirtualGlobals
    refuseArguments('pending', arguments, 'it lists all pending work of this simulator')
    const lines: string[] = []
    for (const a of this.scheduler.liveActivities()) lines.push(`running: ${a.label}`)
    for (const { task, at } of this.scheduler.pendingTasks()) {
      if ((task as { recurring?: boolean }).recurring === true) continue
      lines.push(`${this.iso(at)}: ${task.describe()}`)
    }
    return lines
  }

  assertIdle(): void {
    // eslint-disable-next-line prefer-rest-params -- see useVirtualGlobals
    refuseArguments('assertIdle', arguments, 'it fails on any pending work; filter sim.pending() to ignore some')
    const lines = this.pending()
    if (lines.length > 0) {
      throw new SimulatorError('NotIdle', `The simulator is not idle at ${this.iso(this.scheduler.now)}; ${lines.length} pending:\n  ${lines.join('\n  ')}`)
    }
  }

  on<K extends keyof SimEventMap>(type: K, listener: (...args: SimEventMap[K]) => void): () => void {
    if (typeof listener !== 'function') throw new SimulatorError('InvalidOption', `Invalid sim.on listener for ${describe(type)}: expected a function, got ${describe(listener)}`)
    if (type !== 'invocation' && !KNOWN_EVENT_TYPES.includes(type)) {
      throw new SimulatorError('InvalidOption', `Invalid sim.on(${describe(type)}): no such event type; known: invocation (every event), ${KNOWN_EVENT_TYPES.join(', ')}`)
    }
    const emitter = (this.#emitter ??= newEmitter())
    // A listener that throws is caught here, so the operation that emitted goes on and the other listeners
    // get the event; the error is reported (observerFailed) and rethrown to the test once the operation is complete.
    const observer = `sim.on('${String(type)}') listener`
    // Every event is emitted with one argument: no rest parameters, so no array per call.
    const call = listener as unknown as (event: SimEvent) => void
    const guarded = (event: SimEvent): void => {
      try {
        call(event)
      } catch (error) {
        this.observerFailed(error, observer, event as { requestId?: string; functionName?: string })
      }
    }
    emitter.on(type, guarded as never)
    this.#listeners++
    let removed = false
    return () => {
      if (removed) return
      removed = true
      emitter.off(type, guarded as never)
      this.#listeners--
    }
  }
}

/** A method that takes nothing was given something (an options object it would silently ignore). */
function refuseArguments(method: string, args: IArguments, why: string): void {
  if (args.length > 0) throw new SimulatorError('InvalidOption', `Invalid sim.${method}(${Array.from(args, (a) => describe(a)).join(', ')}): it takes no options (${why})`)
}

function handleOf(fn: LambdaFunction): FunctionHandle {
  return { name: fn.name, arn: fn.arn }
}

function validateDuplicates(d: SimulatorOptions['duplicates']): { probability: number; requestIds: Set<string>; delayMs: number } | undefined {
  if (d === undefined) return undefined
  if (!isPlainObject(d)) throw new SimulatorError('InvalidOption', `Invalid option duplicates: expected an object, got ${describe(d)}`)
  rejectUnknownKeys('duplicates', d, ['probability', 'requestIds', 'delayMs'])
  const p = d.probability ?? 0
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new SimulatorError('InvalidOption', `Invalid option duplicates.probability: expected a number from 0 to 1, got ${describe(p)}`)
  const ids = d.requestIds ?? []
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw new SimulatorError('InvalidOption', `Invalid option duplicates.requestIds: expected an array of request id strings, got ${describe(ids)}`)
  const delayMs = optionInt('duplicates.delayMs', d.delayMs, 0, 21_600_000, 'ms') ?? 0
  if (d.probability === undefined && d.requestIds === undefined) throw new SimulatorError('InvalidOption', 'Invalid option duplicates: give probability, requestIds, or both (delayMs alone duplicates nothing)')
  return { probability: p, requestIds: new Set(ids), delayMs }
}

function validateDrops(d: SimulatorOptions['drops']): { whenQueueDepthExceeds: number; probability: number } | undefined {
  if (d === undefined) return undefined
  if (!isPlainObject(d)) throw new SimulatorError('InvalidOption', `Invalid option drops: expected an object, got ${describe(d)}`)
  rejectUnknownKeys('drops', d, ['whenQueueDepthExceeds', 'probability'])
  const depth = optionInt('drops.whenQueueDepthExceeds', d.whenQueueDepthExceeds, 1, Number.MAX_SAFE_INTEGER, 'events') ?? Infinity
  const p = d.probability ?? 0
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new SimulatorError('InvalidOption', `Invalid option drops.probability: expected a number from 0 to 1, got ${describe(p)}`)
  // As with duplicates, an explicit probability (0 included: a parameterised test's "off") is enough.
  if (d.whenQueueDepthExceeds === undefined && d.probability === undefined) throw new SimulatorError('InvalidOption', 'Invalid option drops: give whenQueueDepthExceeds, probability, or both')
  return { whenQueueDepthExceeds: depth, probability: p }
}

function validateStrict(strict: SimulatorOptions['strict']): boolean {
  if (strict === undefined) return false
  if (!isPlainObject(strict)) throw new SimulatorError('InvalidOption', `Invalid option strict: expected an object such as { leftoverWork: true }, got ${describe(strict)}`)
  rejectUnknownKeys('strict', strict, ['leftoverWork'])
  if (strict.leftoverWork !== undefined && typeof strict.leftoverWork !== 'boolean') {
    throw new SimulatorError('InvalidOption', `Invalid option strict.leftoverWork: expected true or false, got ${describe(strict.leftoverWork)}`)
  }
  return strict.leftoverWork ?? false
}

/** Invoke's enum parameters, with AWS's ValidationException text. */
function checkInvokeEnum<T extends string>(member: string, value: unknown, allowed: readonly T[]): asserts value is T | undefined {
  if (value !== undefined && !allowed.includes(value as T)) {
    throw validationException([`Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`])
  }
}

/**
 * The UTF-8 byte length of `s` when it could exceed `limit`, else 0: a UTF-16 unit is at most 3 UTF-8
 * bytes, so a string of at most limit / 3 units is under the limit without counting.
 */
function bytesIfOver(s: string, limit: number): number {
  return s.length * 3 <= limit ? 0 : Buffer.byteLength(s, 'utf8')
}

/** The JSON the handler receives. `undefined` becomes `{}` (an Invoke without a payload). */
export function serializeEvent(event: unknown): string {
  if (event === undefined) return '{}'
  let json: string | undefined
  try {
    json = JSON.stringify(event)
  } catch (error) {
    throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${(error as Error).message}`, { type: 'User' })
  }
  if (json === undefined) {
    throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${typeof event === 'object' ? 'an' : 'a'} ${typeof event} is not JSON`, { type: 'User' })
  }
  return json
}

function parseClientContext(cc: InvokeOptions['clientContext']): ClientContext | undefined {
  if (cc === undefined) return undefined
  let obj: unknown = cc
  let bytes: number
  if (typeof cc === 'string') {
    bytes = cc.length
    try {
      obj = JSON.parse(Buffer.from(cc, 'base64').toString('utf8'))
    } catch {
      obj = undefined
    }
  } else {
    let json: string | undefined
    try {
      json = JSON.stringify(cc)
    } catch {
      json = undefined // a BigInt or a cycle: not a JSON object (it used to escape as a TypeError)
    }
    if (json === undefined) obj = undefined
    bytes = Buffer.from(json ?? '').toString('base64').length
  }
  if (typeof obj !== 'object' || obj === null) {
    throw new LambdaError('InvalidRequestContentException', 400, 'Client context must be a valid Base64-encoded JSON object.', { type: 'User' })
  }
  if (bytes > 3583) {
    throw validationException([`Value at 'clientContext' failed to satisfy constraint: Member must have length less than or equal to 3583`])
  }
  return obj as ClientContext
}

/** The options of an invoke called without any (nothing to check). */
const NO_OPTIONS: InvokeOptions = Object.freeze({})

/**
 * A simulator: one virtual clock, its functions, sinks and event stream.
 */
export type Simulator = {
  // First, so that a handler passed to invoke is typed by this signature (context: SimContext).
  /**
   * Invoke a function: a name, an ARN, a handle or a bare handler (registered on its first invoke).
   * Without a type argument the payload is typed from the handle or handler (`HandlerResult`: the
   * declared result, `| null` when it may resolve to nothing; `unknown` for a name or an ARN) and the
   * event is checked against the handler's declared event (required unless `{}` is one, the event an
   * omitted one sends). With one, `sim.invoke<T>(...)`, the payload is `T` and any event goes: the way
   * to read the error object a failed invoke (`functionError`) answers with. A handle's types are those
   * of the handler `createFunction` was given, also after `updateFunctionCode` or with a `qualifier`.
   * A `RequestResponse` invoke (the type omitted or `'RequestResponse'`) resolves with a
   * {@link SyncInvokeResponse}: `statusCode: 200` and `executedVersion: string`.
   */
  invoke<T = InferPayload, F extends FunctionRef | AnyHandler = FunctionRef | AnyHandler>(fn: F, ...args: InvokeArguments<InvokeEvent<T, F>, 'RequestResponse'>): Promise<SyncInvokeResponse<InvokePayload<T, F>>>
  /**
   * The same with `'Event'`, `'DryRun'` or a type known only as an {@link InvocationType}: the general
   * {@link InvokeResponse} (`executedVersion` is set only by a `RequestResponse` invoke).
   */
  invoke<T = InferPayload, F extends FunctionRef | AnyHandler = FunctionRef | AnyHandler>(fn: F, ...args: InvokeArguments<InvokeEvent<T, F>>): Promise<InvokeResponse<InvokePayload<T, F>>>
  /**
   * Any other value, with an event: one refused at runtime ("Invalid function reference"), or a function
   * that is no {@link AnyHandler} (a synchronous handler returning a value: null, with a warning). Never
   * a handle or a handler, so an event of the wrong type for one is an error, not a match here; two
   * type parameters, so an explicit `sim.invoke<T>` never picks this signature.
   */
  invoke<R, E>(fn: R extends FunctionHandle | AnyHandler ? never : R, event: E, type?: InvocationType, options?: InvokeOptions): Promise<InvokeResponse>
} & Omit<SimulatorImpl, 'invoke' | 'emit' | 'acceptAsync' | 'destinationFor' | 'checkDestination' | 'observerFailed' | 'observerBoundary' | 'throttleJitter' | 'notice' | 'emitSinkEvent' | 'settle' | 'afterSuccess' | 'versionFor' | 'nextEnvironmentId' | 'observed' | 'scheduler' | 'registry' | 'configs' | 'concurrency' | 'random' | 'iso' | 'uuid' | 'echoLogs' | 'workLeftRunning' | 'resolveFunctionArn'>

/**
 * `sim.invoke`'s default type argument: no `T` was given, so the payload type comes from the function
 * reference. (A type-only marker; a `T` given explicitly, even `unknown`, is used as given.)
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a type-only marker: declared, never created
declare const inferPayload: unique symbol
type InferPayload = typeof inferPayload

/** `sim.invoke`'s payload type: `T` when given, else the reference's result ({@link RefResult}). */
type InvokePayload<T, F> = [T] extends [InferPayload] ? (0 extends 1 & T ? T : RefResult<F>) : T

/** `sim.invoke`'s event type: the reference's event ({@link RefEvent}) unless a `T` was given (then anything). */
type InvokeEvent<T, F> = [T] extends [InferPayload] ? RefEvent<F> : unknown

/** The result a function reference's invoke answers with: a handle's or a handler's, `unknown` for a name or an ARN; a union for a union. */
type RefResult<F> = F extends FunctionHandle<infer _E, infer R> ? R : F extends AnyHandler ? HandlerResult<F> : unknown

/**
 * The event a function reference takes: a handle's or a handler's declared event, anything for a name
 * or an ARN. For a union of references, an event each of them takes (the intersection).
 */
export type RefEvent<F> = (F extends FunctionHandle<infer E> ? (event: E) => void : F extends AnyHandler ? (event: HandlerEvent<F>) => void : (event: unknown) => void) extends (event: infer I) => void ? I : never

/**
 * `sim.invoke`'s (and the one-line `invoke`'s) arguments after the reference, with invocation type `I`
 * and options `O`. The event may be left out (it is then `{}`, as the Invoke API's empty payload) only
 * when `{}` is one the handler takes.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}`: the empty object an omitted event is sent as
export type InvokeArguments<E, I = InvocationType, O = InvokeOptions> = {} extends E
  ? [event?: E, type?: I, options?: O]
  : [event: E, type?: I, options?: O]

/** Create a simulator. Every option is optional; see {@link SimulatorOptions}. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  return new SimulatorImpl(options) as unknown as Simulator
}

/** For modules inside lambda-sim that need the implementation (the SDK adapter, triggers, testing). */
export function internals(sim: Simulator): SimulatorImpl {
  if (!(sim instanceof SimulatorImpl)) throw new SimulatorError('InvalidUse', 'Not a lambda-sim simulator')
  return sim
}
export type { SimulatorImpl }

/** What strict mode's LeftoverWork names: when each forgotten timer was due, and the SDK requests. */
function leftoverDetail(dueInMs: readonly number[], sdkRequests: number): string {
  const parts: string[] = []
  if (dueInMs.length > 0) parts.push(`virtual timer${dueInMs.length === 1 ? '' : 's'} due in ${andList(dueInMs.map((ms) => formatOffset(ms).slice(1)))}`)
  if (sdkRequests > 0) parts.push(sdkRequests === 1 && dueInMs.length === 0 ? 'an SDK request' : `${sdkRequests} SDK request${sdkRequests === 1 ? '' : 's'}`)
  return parts.join(', ')
}
