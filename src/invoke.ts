import type { AnyHandler, HandlerResult } from './functions.js'
import type { Delivery, Destination, DestinationCondition, InvocationRecord, MessageAttribute } from './destinations/destination.js'
import { isDestination } from './destinations/destination.js'
import type { Queue } from './destinations/queue.js'
import { SimulatorError } from './errors.js'
import type { FaultSpec } from './faults.js'
import { isPlainObject } from './internal/plain-object.js'
import { createSimulator, type InvokeArguments, type InvokeOptions, type InvokeResponse, type RefEvent, type Simulator, type SimulatorOptions, type SyncInvokeResponse } from './simulator.js'
import type { SimEvent } from './events.js'
import type { Timeline } from './timeline.js'
import { describe, rejectUnknownKeys } from './validation.js'

/** Options of the pure {@link invoke}: the simulator's, the function's, the event invoke config's and what to inject. */
export interface PureInvokeOptions extends Pick<SimulatorOptions, 'seed' | 'startTime' | 'region' | 'accountId' | 'duplicates' | 'realTimeGraceMs' | 'asyncPayloadLimitBytes' | 'throttleJitter'>, InvokeOptions {
  /** Function timeout in seconds, 1–900. @default 3 */
  timeout?: number
  /** MB, 128–10240. @default 128 */
  memorySize?: number
  environment?: Record<string, string>
  /** 0–2. @default 2 */
  maximumRetryAttempts?: number
  /** 60–21600. @default 21600 */
  maximumEventAgeInSeconds?: number
  /** Reserved concurrency of the function (0 throttles everything). */
  reservedConcurrency?: number
  /** Service faults to inject (see `sim.faults.inject`). */
  faults?: FaultSpec | FaultSpec[]
  /** On-success destination: your sink, or `true` for an in-memory queue returned in `sinks.onSuccess`. */
  onSuccess?: Destination | true
  /** On-failure destination: your sink, or `true` for an in-memory queue returned in `sinks.onFailure`. */
  onFailure?: Destination | true
  /** Dead-letter queue: your sink, or `true` for an in-memory queue returned in `sinks.deadLetter`. */
  deadLetter?: Destination | true
}

const KEYS = [
  'seed', 'startTime', 'region', 'accountId', 'duplicates', 'realTimeGraceMs', 'asyncPayloadLimitBytes', 'throttleJitter',
  'qualifier', 'logType', 'clientContext', 'timeout', 'memorySize', 'environment', 'maximumRetryAttempts',
  'maximumEventAgeInSeconds', 'reservedConcurrency', 'faults', 'onSuccess', 'onFailure', 'deadLetter',
] as const

/** One attempt of an async event, as `invoke(..., 'Event')` reports it. */
export interface AttemptReport {
  /** 1-based; duplicates continue the count. */
  attempt: number
  /** Virtual ms from the invoke to the attempt's start: 0, 60000, 180000 for the default retries. */
  offsetMs: number
  durationMs: number
  outcome: 'success' | 'error' | 'timeout'
  /** The parsed response: the result, or the error object. */
  payload: unknown
  errorType?: string
  errorMessage?: string
  /** A duplicate delivery of an event that had already succeeded. */
  duplicate: boolean
}

/** A dead-letter message as the DLQ received it. */
export interface DeadLetterMessage {
  body: string
  messageAttributes: Record<string, MessageAttribute>
}

/** A `warning` entry of the timeline: something a test probably did not mean (docs/testing.md "Warnings"). */
export type WarningEvent = Extract<SimEvent, { type: 'warning' }>

/**
 * What `invoke(handler, event)` (RequestResponse) and `invoke(handler, event, 'DryRun')` resolve to:
 * the Invoke API's response, as `sim.invoke` gives it, plus what the run showed.
 */
export type PureInvokeResponse<T = unknown> = InvokeResponse<T> & {
  /**
   * The run's timeline (`timeline.render()`, `timeline.ofType('warning')`). Not enumerable, so the
   * response still equals (`toEqual`) and serialises as the Invoke API's shape.
   */
  readonly timeline: Timeline
  /**
   * Every `warning` of the run, in order, such as `ignored-return-value` (a handler that forgot
   * `async`: the answer is null). Present only when there is one, so it shows in a `toEqual` diff.
   */
  warnings?: WarningEvent[]
}

/** What `invoke(handler, event, 'Event')` resolves to: the 202 plus the whole finished story. */
export interface EventInvokeResult<T = unknown> {
  statusCode: 202
  requestId: string
  attempts: AttemptReport[]
  /** The terminal outcome (AWS's condition name) and when it happened. */
  outcome: { condition: DestinationCondition | 'Dropped'; approximateInvokeCount: number; offsetMs: number }
  /** The successful attempt's result, if any. */
  result: T | undefined
  /** What each sink received. */
  records: { onSuccess: InvocationRecord[]; onFailure: InvocationRecord[]; deadLetter: DeadLetterMessage[] }
  /** The in-memory queues created for sinks given as `true`. */
  sinks: { onSuccess?: Queue; onFailure?: Queue; deadLetter?: Queue }
  timeline: Timeline
  /** Every `warning` of the run, in order; present only when there is one. */
  warnings?: WarningEvent[]
}


/**
 * The event of an `'Event'` or `'DryRun'` call, where the type follows it: the handler's declared event,
 * or `undefined` (sent as `{}`) where `sim.invoke` would let it be left out.
 */
type EventArgument<H> = InvokeArguments<RefEvent<H>>[0]

/**
 * Ask one question in one line: what does Lambda do with this handler and this event, invoked this way?
 * Each call builds its own simulator from the options and discards it, so calls are pure (same
 * arguments and seed → same result, byte for byte) and can run concurrently.
 *
 * - `RequestResponse` (default) and `DryRun` resolve as `sim.invoke` does, plus the run's `timeline`
 *   (not enumerable) and its `warnings` (only when there is one, e.g. a handler that forgot `async`).
 * - `Event` runs the whole async story to the end (retries at 0 / 60 / 180 s, throttles, destinations)
 *   and resolves with every attempt, the terminal outcome and the records delivered.
 * Invocation errors (payload too large, throttled sync call) reject as `sim.invoke` does; a handler's
 * own failure is data in the result.
 *
 * Typed as `sim.invoke(handler, event)` is: the result is the handler's declared result, the event is
 * checked against its declared event (required unless `{}` is one; anything for an unannotated one),
 * and a `RequestResponse` response has `statusCode: 200` and `executedVersion: string`.
 */
export function invoke<H extends AnyHandler>(handler: H, ...args: InvokeArguments<RefEvent<H>, 'RequestResponse', PureInvokeOptions>): Promise<PureInvokeResponse<HandlerResult<H>> & SyncInvokeResponse<HandlerResult<H>>>
export function invoke<H extends AnyHandler>(handler: H, event: EventArgument<H>, type: 'Event', options?: PureInvokeOptions): Promise<EventInvokeResult<HandlerResult<H>>>
export function invoke<H extends AnyHandler>(handler: H, event: EventArgument<H>, type: 'DryRun', options?: PureInvokeOptions): Promise<PureInvokeResponse<never>>
export async function invoke(handler: AnyHandler, event?: unknown, type: 'RequestResponse' | 'Event' | 'DryRun' = 'RequestResponse', options: PureInvokeOptions = {}): Promise<PureInvokeResponse | EventInvokeResult> {
  if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid invoke options: expected an object, got ${describe(options)}`)
  rejectUnknownKeys('invoke', options, KEYS)
  if (typeof handler !== 'function') throw new SimulatorError('InvalidOption', `Invalid handler: expected a function (event, context[, callback]), got ${describe(handler)}`)
  const simOptions: SimulatorOptions = {}
  for (const k of ['seed', 'startTime', 'region', 'accountId', 'duplicates', 'realTimeGraceMs', 'asyncPayloadLimitBytes', 'throttleJitter'] as const) {
    if (options[k] !== undefined) (simOptions as Record<string, unknown>)[k] = options[k]
  }
  const sim = createSimulator(simOptions)
  const records: EventInvokeResult['records'] = { onSuccess: [], onFailure: [], deadLetter: [] }
  const sinks: EventInvokeResult['sinks'] = {}
  const sink = (name: 'onSuccess' | 'onFailure' | 'deadLetter', given: Destination | true | undefined): string | undefined => {
    if (given === undefined) return undefined
    let target: Destination
    if (given === true) {
      const queue = sim.createQueue({ onSuccess: 'on-success', onFailure: 'on-failure', deadLetter: 'dead-letter' }[name])
      sinks[name] = queue
      target = queue
    } else if (isDestination(given)) {
      target = given
    } else {
      throw new SimulatorError('InvalidOption', `Invalid option ${name}: expected a Destination (an object with arn and deliver()) or true, got ${describe(given)}`)
    }
    const recording: Destination = {
      arn: target.arn,
      deliver(d: Delivery) {
        const r = target.deliver(d)
        const note = (): void => {
          if (name === 'deadLetter') records.deadLetter.push({ body: d.body, messageAttributes: d.messageAttributes ?? {} })
          else records[name].push(d.record as InvocationRecord)
        }
        if (r !== undefined && typeof (r as Promise<void>).then === 'function') return (r as Promise<void>).then(note)
        note()
        return r
      },
    }
    if (given === true) return target.arn
    sim.registerDestination(recording)
    return recording.arn
  }
  // In-memory queues record through the event stream below; user sinks through the wrapper above.
  const onSuccess = sink('onSuccess', options.onSuccess)
  const onFailure = sink('onFailure', options.onFailure)
  const deadLetter = sink('deadLetter', options.deadLetter)
  const fnOptions: Parameters<Simulator['createFunction']>[2] = {}
  if (options.timeout !== undefined) fnOptions.timeout = options.timeout
  if (options.memorySize !== undefined) fnOptions.memorySize = options.memorySize
  if (options.environment !== undefined) fnOptions.environment = options.environment
  if (deadLetter !== undefined) fnOptions.deadLetterConfig = { targetArn: deadLetter }
  const fn = sim.createFunction(/^[a-zA-Z0-9-_]{1,64}$/.test(handler.name) ? handler.name : 'handler', handler, fnOptions)
  if (options.reservedConcurrency !== undefined) sim.putFunctionConcurrency(fn, options.reservedConcurrency)
  if (options.maximumRetryAttempts !== undefined || options.maximumEventAgeInSeconds !== undefined || onSuccess !== undefined || onFailure !== undefined) {
    const config: Parameters<Simulator['putFunctionEventInvokeConfig']>[0] = { functionName: fn.name, destinationConfig: {} }
    if (options.maximumRetryAttempts !== undefined) config.maximumRetryAttempts = options.maximumRetryAttempts
    if (options.maximumEventAgeInSeconds !== undefined) config.maximumEventAgeInSeconds = options.maximumEventAgeInSeconds
    if (onSuccess !== undefined) (config.destinationConfig ??= {}).onSuccess = { destination: onSuccess }
    if (onFailure !== undefined) (config.destinationConfig ??= {}).onFailure = { destination: onFailure }
    sim.putFunctionEventInvokeConfig(config)
  }
  const faults = options.faults === undefined ? [] : Array.isArray(options.faults) ? options.faults : [options.faults]
  for (const f of faults) sim.faults.inject(f)
  const invokeOptions: InvokeOptions = {}
  if (options.qualifier !== undefined) invokeOptions.qualifier = options.qualifier
  if (options.logType !== undefined) invokeOptions.logType = options.logType
  if (options.clientContext !== undefined) invokeOptions.clientContext = options.clientContext
  const start = sim.now()
  const response = await sim.invoke(fn, event, type, invokeOptions)
  if (type !== 'Event') {
    Object.defineProperty(response, 'timeline', { value: sim.timeline, enumerable: false })
    return withWarnings(response as PureInvokeResponse, sim.timeline)
  }
  await sim.runUntilIdle()
  const requestId = response.requestId
  const attempts: AttemptReport[] = []
  let result: unknown
  let outcome: EventInvokeResult['outcome'] | undefined
  const duplicates = new Set<number>()
  for (const e of sim.timeline) {
    if (e.type === 'duplicate' && e.requestId === requestId) duplicates.add(e.attempt)
    if (e.type === 'attempt-finished' && e.requestId === requestId) {
      const a: AttemptReport = {
        attempt: e.attempt,
        offsetMs: e.time - e.durationMs - start,
        durationMs: e.durationMs,
        outcome: e.outcome,
        payload: e.payload,
        duplicate: duplicates.has(e.attempt),
      }
      if (e.errorType !== undefined) a.errorType = e.errorType
      if (e.errorMessage !== undefined) a.errorMessage = e.errorMessage
      if (e.outcome === 'success' && result === undefined) result = e.payload
      attempts.push(a)
    }
    if (e.type === 'terminal' && e.requestId === requestId && outcome === undefined) {
      outcome = { condition: e.condition, approximateInvokeCount: e.approximateInvokeCount, offsetMs: e.time - start }
    }
  }
  for (const [name, queue] of Object.entries(sinks) as ['onSuccess' | 'onFailure' | 'deadLetter', Queue][]) {
    for (const m of queue.messages) {
      if (name === 'deadLetter') records.deadLetter.push({ body: m.body, messageAttributes: m.messageAttributes })
      else records[name].push(JSON.parse(m.body) as InvocationRecord)
    }
  }
  return withWarnings<EventInvokeResult>({
    statusCode: 202,
    requestId,
    attempts,
    outcome: outcome as EventInvokeResult['outcome'],
    result,
    records,
    sinks,
    timeline: sim.timeline,
  }, sim.timeline)
}

/** Adds `warnings` (the run's warning entries) to a result when the run had any. */
function withWarnings<R extends { warnings?: WarningEvent[] }>(result: R, timeline: Timeline): R {
  const warnings = timeline.entries.filter((e): e is WarningEvent => e.type === 'warning')
  if (warnings.length > 0) result.warnings = warnings
  return result
}
