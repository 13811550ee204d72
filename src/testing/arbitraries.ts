import fc from 'fast-check'
import { isPlainObject } from '../internal/plain-object.js'
import { describe } from '../validation.js'

/**
 * fast-check arbitraries for Lambda's delivery patterns. Compose them into your own properties, or
 * let {@link checkIdempotency} use them. Every one shrinks towards "nothing unusual happens".
 */

/** One injected failure of an attempt of the event's own retry schedule. */
export interface InjectedFailure {
  /** Which attempt (1 is the first delivery, 2 the first retry...). */
  attempt: number
  /** `error`: the attempt throws; `timeout`: the attempt hangs until the function's timeout. */
  kind: 'error' | 'timeout'
  /**
   * `after`: the handler runs to the end first (its side effects happen), then the attempt fails:
   * the case that breaks non-idempotent handlers. `before`: it fails before the handler runs.
   */
  phase: 'before' | 'after'
}

/** Failures injected into an event's attempts ("fail attempts 1 and 2", "time out on attempt 1"). */
export type FailurePlan = InjectedFailure[]

/** An extra delivery of an event (Lambda's queue is at-least-once). */
export interface DuplicateDelivery {
  /** `after-success`: `delayMs` after the event's first successful attempt; `now`: `delayMs` after acceptance, alongside the original (a concurrent duplicate). */
  when: 'after-success' | 'now'
  delayMs: number
}

/** How one event is delivered. */
export interface EventDelivery<E> {
  event: E
  /** Virtual ms after the start of the run at which the event is invoked asynchronously. */
  acceptAtMs: number
  failures: FailurePlan
  duplicates: DuplicateDelivery[]
}

/** A whole run: the events and how each is delivered. Plain JSON: it can be printed and passed back in. */
export interface DeliverySchedule<E> {
  deliveries: EventDelivery<E>[]
}

/** The parts of an event invoke config the delivery patterns depend on. */
export interface InvokeConfigSample {
  /** 0–2. */
  maximumRetryAttempts: number
  /** 60–21600. */
  maximumEventAgeInSeconds: number
}

/** A fast-check arbitrary (duck-typed, so a second copy of fast-check is recognised too). */
export function isArbitrary(value: unknown): boolean {
  return value !== null && typeof value === 'object' && typeof (value as { generate?: unknown }).generate === 'function' && typeof (value as { shrink?: unknown }).shrink === 'function'
}

const KIND_VALUES = ['error', 'timeout']
const PHASE_VALUES = ['before', 'after']

/** `options` of a toolkit function: undefined or a plain object with only `allowed` keys. */
export function toolkitOptions(fn: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {}
  if (!isPlainObject(options)) throw new TypeError(`${fn}: options must be an object, got ${describe(options)}`)
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`${fn}: unknown option ${JSON.stringify(key)}; allowed: ${allowed.join(', ')}`)
  }
  return options as Record<string, unknown>
}

/** An optional integer option of a toolkit function, within [min, max]: a non-integer is a TypeError, one out of range a RangeError. */
export function toolkitInt(fn: string, name: string, value: unknown, min: number, max: number, range: string): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${fn}: ${name} must be an integer ${range}, got ${describe(value)}`)
  if (value < min || value > max) throw new RangeError(`${fn}: ${name} must be an integer ${range}, got ${describe(value)}`)
}

/** An optional `maximumRetryAttempts` (0–2) of a toolkit function: a non-number is a TypeError, any other value outside the range a RangeError. */
function retryAttempts(fn: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'number') throw new TypeError(`${fn}: maximumRetryAttempts must be an integer from 0 to 2, got ${describe(value)}`)
  if (!Number.isInteger(value) || value < 0 || value > 2) throw new RangeError(`${fn}: maximumRetryAttempts must be an integer from 0 to 2, got ${describe(value)}`)
}

function requireArbitrary(fn: string, name: string, value: unknown, what: string): void {
  if (!isArbitrary(value)) throw new TypeError(`${fn}: ${name} must be a fast-check Arbitrary ${what}, got ${describe(value)}`)
}

function optionalArbitraries(fn: string, o: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) if (o[name] !== undefined) requireArbitrary(fn, `options.${name}`, o[name], `(${name})`)
}

function nonEmptySubset(fn: string, name: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined) return
  if (!Array.isArray(value) || value.length === 0 || value.some((x) => !allowed.includes(x as string))) {
    throw new TypeError(`${fn}: ${name} must be a non-empty array of ${allowed.map((x) => `'${x}'`).join(', ')}, got ${describe(value)}`)
  }
}

/**
 * Failure plans that leave the last allowed attempt alone, so the event still succeeds in the end
 * (the interesting case for idempotency: the side effect happened, and Lambda delivers again).
 * With `maximumRetryAttempts` 2 (the default) it yields plans such as `[]`, "fail attempt 1 after
 * the handler ran", "fail attempts 1 and 2", "time out on attempt 1".
 * @default maximumRetryAttempts 2, kinds ['error', 'timeout'], phases ['after', 'before']
 */
export function failurePlan(options: { maximumRetryAttempts?: number; kinds?: InjectedFailure['kind'][]; phases?: InjectedFailure['phase'][] } = {}): fc.Arbitrary<FailurePlan> {
  toolkitOptions('failurePlan', options, ['maximumRetryAttempts', 'kinds', 'phases'])
  retryAttempts('failurePlan', options.maximumRetryAttempts)
  const retries = options.maximumRetryAttempts ?? 2
  nonEmptySubset('failurePlan', 'kinds', options.kinds, KIND_VALUES)
  nonEmptySubset('failurePlan', 'phases', options.phases, PHASE_VALUES)
  if (retries === 0) return fc.constant([])
  const kinds = options.kinds ?? ['error', 'timeout']
  const phases = options.phases ?? ['after', 'before']
  const one = fc.record({ attempt: fc.integer({ min: 1, max: retries }), kind: fc.constantFrom(...kinds), phase: fc.constantFrom(...phases) })
  return fc.uniqueArray(one, { selector: (f) => f.attempt, maxLength: retries }).map((plan) => [...plan].sort((a, b) => a.attempt - b.attempt))
}

/** Duplicate deliveries: after success (0 ms to 10 min later) or concurrent with the original. @default maxLength 2 */
export function duplicateDeliveries(options: { maxLength?: number } = {}): fc.Arbitrary<DuplicateDelivery[]> {
  toolkitOptions('duplicateDeliveries', options, ['maxLength'])
  toolkitInt('duplicateDeliveries', 'maxLength', options.maxLength, 0, Number.MAX_SAFE_INTEGER, '>= 0')
  const one = fc.record({
    when: fc.constantFrom<DuplicateDelivery['when']>('after-success', 'now'),
    delayMs: fc.oneof(fc.constant(0), fc.constantFrom(1, 1_000, 60_000, 600_000), fc.integer({ min: 0, max: 600_000 })),
  })
  return fc.array(one, { maxLength: options.maxLength ?? 2 })
}

/** Acceptance offsets: mostly together (so retries interleave with other events' first attempts), sometimes spread out. */
export function acceptanceOffset(): fc.Arbitrary<number> {
  return fc.oneof(fc.constant(0), fc.constantFrom(1, 1_000, 30_000, 60_000, 90_000, 180_000), fc.integer({ min: 0, max: 400_000 }))
}

/** Events: an array of `event` values (at least 1). @default minLength 1, maxLength 4 (minLength when that is larger) */
export function events<E>(event: fc.Arbitrary<E>, options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<E[]> {
  requireArbitrary('events', 'event', event, 'of one event')
  toolkitOptions('events', options, ['minLength', 'maxLength'])
  toolkitInt('events', 'minLength', options.minLength, 0, Number.MAX_SAFE_INTEGER, '>= 0')
  const min = options.minLength ?? 1
  toolkitInt('events', 'maxLength', options.maxLength, min, Number.MAX_SAFE_INTEGER, `>= ${min} (minLength)`)
  // The default maximum (4) rises to a larger minimum.
  return fc.array(event, { minLength: min, maxLength: options.maxLength ?? Math.max(4, min) })
}

/** One event's delivery. */
export function eventDelivery<E>(event: fc.Arbitrary<E>, options: { maximumRetryAttempts?: number; failures?: fc.Arbitrary<FailurePlan>; duplicates?: fc.Arbitrary<DuplicateDelivery[]>; acceptAtMs?: fc.Arbitrary<number> } = {}): fc.Arbitrary<EventDelivery<E>> {
  requireArbitrary('eventDelivery', 'event', event, 'of one event')
  const o = toolkitOptions('eventDelivery', options, ['maximumRetryAttempts', 'failures', 'duplicates', 'acceptAtMs'])
  optionalArbitraries('eventDelivery', o, ['failures', 'duplicates', 'acceptAtMs'])
  retryAttempts('eventDelivery', options.maximumRetryAttempts)
  return fc.record({
    event,
    acceptAtMs: options.acceptAtMs ?? acceptanceOffset(),
    failures: options.failures ?? failurePlan(options.maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: options.maximumRetryAttempts }),
    duplicates: options.duplicates ?? duplicateDeliveries(),
  })
}

/**
 * Delivery schedules: 1–`maxEvents` events, each with an acceptance offset, a failure plan and
 * duplicate deliveries. @default minEvents 1, maxEvents 4 (minEvents when that is larger), maximumRetryAttempts 2
 */
export function deliverySchedule<E>(
  event: fc.Arbitrary<E>,
  options: { minEvents?: number; maxEvents?: number; maximumRetryAttempts?: number; failures?: fc.Arbitrary<FailurePlan>; duplicates?: fc.Arbitrary<DuplicateDelivery[]>; acceptAtMs?: fc.Arbitrary<number> } = {},
): fc.Arbitrary<DeliverySchedule<E>> {
  requireArbitrary('deliverySchedule', 'event', event, 'of one event')
  const o = toolkitOptions('deliverySchedule', options, ['minEvents', 'maxEvents', 'maximumRetryAttempts', 'failures', 'duplicates', 'acceptAtMs'])
  optionalArbitraries('deliverySchedule', o, ['failures', 'duplicates', 'acceptAtMs'])
  retryAttempts('deliverySchedule', options.maximumRetryAttempts)
  toolkitInt('deliverySchedule', 'minEvents', options.minEvents, 0, Number.MAX_SAFE_INTEGER, '>= 0')
  const least = Math.max(options.minEvents ?? 1, 1)
  toolkitInt('deliverySchedule', 'maxEvents', options.maxEvents, least, Number.MAX_SAFE_INTEGER, `>= ${least}${options.minEvents !== undefined && options.minEvents > 1 ? ' (minEvents)' : ''}`)
  const { minEvents, maxEvents, ...rest } = options
  // The default maximum (4) rises to a larger minimum.
  return fc.array(eventDelivery(event, rest), { minLength: minEvents ?? 1, maxLength: maxEvents ?? Math.max(4, least) }).map((deliveries) => ({ deliveries }))
}

/** Event invoke configs within AWS's ranges (retries 0–2, maximum age 60–21600 s). */
export function invokeConfig(): fc.Arbitrary<InvokeConfigSample> {
  return fc.record({
    maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
    maximumEventAgeInSeconds: fc.oneof(fc.constant(21_600), fc.constantFrom(60, 90, 180, 3_600), fc.integer({ min: 60, max: 21_600 })),
  })
}
