import type { AnyHandler } from '../functions.js'
import { isPlainObject } from '../internal/plain-object.js'
import type { Simulator } from '../simulator.js'
import { describe } from '../validation.js'
import { toolkitInt, toolkitOptions, type DeliverySchedule, type DuplicateDelivery, type EventDelivery, type InjectedFailure } from './arbitraries.js'

/** The options of {@link deliverSchedule}. */
export interface DeliverScheduleOptions {
  /** The name of the function it creates on your simulator. @default 'handler' */
  functionName?: string
  /** The function's timeout in seconds, 1–900 (a `timeout` failure hangs until it). @default 3 */
  timeout?: number
  /** The function's retry setting, 0–2 (its event invoke config). @default 2 */
  maximumRetryAttempts?: number
}

/** What {@link deliverSchedule} did. */
export interface ScheduleDelivery {
  /** The function it created. */
  functionName: string
  /** The request id of each delivery, in the schedule's order (for `expectOutcome(sim, id)`, `expectAttempts`...). */
  requestIds: string[]
}

export const DEFAULT_FUNCTION_NAME = 'handler'

/** What is wrong with a delivery schedule given as data, or undefined. `retries`: the function's maximumRetryAttempts. */
export function scheduleProblem(schedule: unknown, retries: number): string | undefined {
  if (schedule === null || typeof schedule !== 'object' || !Array.isArray((schedule as { deliveries?: unknown }).deliveries)) return `expected { deliveries: [...] }, got ${describe(schedule)}`
  const deliveries = (schedule as { deliveries: unknown[] }).deliveries
  for (let i = 0; i < deliveries.length; i++) {
    const d = deliveries[i] as Partial<EventDelivery<unknown>> | null
    const at = `deliveries[${i}]`
    if (!isPlainObject(d)) return `${at} must be { event, acceptAtMs, failures, duplicates }, got ${describe(d)}`
    if (!('event' in d)) return `${at}.event is missing`
    if (typeof d.acceptAtMs !== 'number' || !Number.isInteger(d.acceptAtMs) || d.acceptAtMs < 0) return `${at}.acceptAtMs must be an integer >= 0 (virtual ms after the start), got ${describe(d.acceptAtMs)}`
    if (!Array.isArray(d.failures)) return `${at}.failures must be an array, got ${describe(d.failures)}`
    for (const f of d.failures as unknown[]) {
      const x = f as Partial<InjectedFailure> | null
      if (!isPlainObject(x) || typeof x.attempt !== 'number' || !Number.isInteger(x.attempt) || x.attempt < 1 || x.attempt > retries + 1 || (x.kind !== 'error' && x.kind !== 'timeout') || (x.phase !== 'before' && x.phase !== 'after')) {
        return `${at}.failures has ${describe(f)}: expected { attempt: 1 to ${retries + 1}, kind: 'error' | 'timeout', phase: 'before' | 'after' }`
      }
    }
    if (!Array.isArray(d.duplicates)) return `${at}.duplicates must be an array, got ${describe(d.duplicates)}`
    for (const x of d.duplicates as unknown[]) {
      const y = x as Partial<DuplicateDelivery> | null
      if (!isPlainObject(y) || (y.when !== 'after-success' && y.when !== 'now') || typeof y.delayMs !== 'number' || !Number.isInteger(y.delayMs) || y.delayMs < 0 || y.delayMs > 21_600_000) {
        return `${at}.duplicates has ${describe(x)}: expected { when: 'after-success' | 'now', delayMs: 0 to 21600000 }`
      }
    }
  }
  return undefined
}

export function describeFailure(f: InjectedFailure): string {
  return `${f.kind === 'timeout' ? 'time out on' : 'fail'} attempt ${f.attempt} ${f.phase === 'after' ? 'after the handler ran' : 'before the handler runs'}`
}

/** Call a handler of either form (promise or callback) and settle with what it answers. */
async function callUser(handler: AnyHandler, event: unknown, context: unknown): Promise<unknown> {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const r = (handler as (e: unknown, c: unknown, cb: (error: unknown, result?: unknown) => void) => unknown)(event, context, (error, result) => (error !== null && error !== undefined ? reject(error) : resolve(result)))
      if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(resolve, reject)
    })
  }
  return (handler as (e: unknown, c: unknown) => unknown)(event, context)
}


/**
 * Deliver a schedule to `handler` on your own simulator, the way {@link checkIdempotency} does for
 * each of its runs, so that your own properties can use the arbitraries (`deliverySchedule`,
 * `eventDelivery`) and then assert what they like. It creates the function `functionName` (the
 * handler wrapped so that each delivery's failure plan is injected: `before` fails the attempt
 * before the handler runs, `after` once it has run; `timeout` hangs until the function's timeout;
 * duplicates are never failed), sets its `maximumRetryAttempts`, invokes each event asynchronously
 * at `acceptAtMs` virtual ms after the call (advancing the clock), asks for its duplicates, and runs
 * the clock until idle. Everything is checked before anything changes.
 *
 * @example
 * await fc.assert(fc.asyncProperty(deliverySchedule(fc.record({ id: fc.uuid() })), async (schedule) => {
 *   const sim = createSimulator()
 *   const { requestIds } = await deliverSchedule(sim, handler, schedule)
 *   for (const id of requestIds) expectOutcome(sim, id).is('Success')
 * }))
 */
export async function deliverSchedule<E>(sim: Simulator, handler: AnyHandler, schedule: DeliverySchedule<E>, options: DeliverScheduleOptions = {}): Promise<ScheduleDelivery> {
  if (sim === null || typeof sim !== 'object' || typeof (sim as { createFunction?: unknown }).createFunction !== 'function' || typeof (sim as { deliverDuplicate?: unknown }).deliverDuplicate !== 'function') {
    throw new TypeError(`deliverSchedule: sim must be a simulator from createSimulator(), got ${describe(sim)}`)
  }
  if (typeof handler !== 'function') throw new TypeError(`deliverSchedule: handler must be a function, got ${describe(handler)}`)
  const o = toolkitOptions('deliverSchedule', options, ['functionName', 'timeout', 'maximumRetryAttempts'])
  toolkitInt('deliverSchedule', 'options.maximumRetryAttempts', o['maximumRetryAttempts'], 0, 2, 'from 0 to 2')
  toolkitInt('deliverSchedule', 'options.timeout', o['timeout'], 1, 900, 'from 1 to 900 (seconds)')
  const retries = (o['maximumRetryAttempts'] as number | undefined) ?? 2
  const timeoutS = (o['timeout'] as number | undefined) ?? 3
  const functionName = o['functionName'] ?? DEFAULT_FUNCTION_NAME
  if (typeof functionName !== 'string') throw new TypeError(`deliverSchedule: options.functionName must be a function name (a string), got ${describe(functionName)}`)
  const problem = scheduleProblem(schedule, retries)
  if (problem !== undefined) throw new TypeError(`deliverSchedule: schedule: ${problem}`)

  const started = new Map<string, { attempt: number; duplicate: boolean }>()
  const plans = new Map<string, EventDelivery<E>>()
  const wrapper = async (event: unknown, context: { awsRequestId: string }): Promise<unknown> => {
    // Read synchronously: the attempt-started event was emitted just before this call.
    const info = started.get(context.awsRequestId)
    const plan = plans.get(context.awsRequestId)
    const failure = info === undefined || info.duplicate ? undefined : plan?.failures.find((f) => f.attempt === info.attempt)
    const fail = async (f: InjectedFailure): Promise<never> => {
      if (f.kind === 'timeout') await sim.sleep(timeoutS * 1000 + 1)
      const error = new Error(`Injected failure: ${describeFailure(f)}`)
      error.name = 'InjectedFailure'
      throw error
    }
    if (failure?.phase === 'before') await fail(failure)
    const result = await callUser(handler, event, context)
    if (failure?.phase === 'after') await fail(failure)
    return result
  }
  // createFunction checks the name (and refuses one in use) before anything is registered.
  sim.createFunction(functionName, wrapper, { timeout: timeoutS })
  sim.putFunctionEventInvokeConfig({ functionName, maximumRetryAttempts: retries })
  const unsubscribe = sim.on('attempt-started', (e) => {
    if (e.functionName === functionName) started.set(e.requestId, { attempt: e.attempt, duplicate: e.duplicate === true })
  })
  const start = sim.now()
  const byAcceptance = schedule.deliveries.map((d, i) => ({ d, i })).sort((a, b) => a.d.acceptAtMs - b.d.acceptAtMs || a.i - b.i)
  const requestIds: string[] = []
  for (const { d, i } of byAcceptance) {
    await sim.advanceTo(start + d.acceptAtMs)
    const { requestId } = await sim.invoke(functionName, d.event, 'Event')
    requestIds[i] = requestId
    plans.set(requestId, d)
    for (const dup of d.duplicates) sim.deliverDuplicate(requestId, { delayMs: dup.delayMs, when: dup.when })
  }
  await sim.runUntilIdle()
  unsubscribe()
  return { functionName, requestIds }
}
