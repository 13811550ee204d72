import fc from 'fast-check'

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

/**
 * Failure plans that leave the last allowed attempt alone, so the event still succeeds in the end
 * (the interesting case for idempotency: the side effect happened, and Lambda delivers again).
 * With `maximumRetryAttempts` 2 (the default) it yields plans such as `[]`, "fail attempt 1 after
 * the handler ran", "fail attempts 1 and 2", "time out on attempt 1".
 * @default maximumRetryAttempts 2, kinds ['error', 'timeout'], phases ['after', 'before']
 */
export function failurePlan(options: { maximumRetryAttempts?: number; kinds?: InjectedFailure['kind'][]; phases?: InjectedFailure['phase'][] } = {}): fc.Arbitrary<FailurePlan> {
  const retries = options.maximumRetryAttempts ?? 2
  if (!Number.isInteger(retries) || retries < 0 || retries > 2) throw new RangeError(`failurePlan: maximumRetryAttempts must be an integer from 0 to 2, got ${String(retries)}`)
  if (retries === 0) return fc.constant([])
  const kinds = options.kinds ?? ['error', 'timeout']
  const phases = options.phases ?? ['after', 'before']
  const one = fc.record({ attempt: fc.integer({ min: 1, max: retries }), kind: fc.constantFrom(...kinds), phase: fc.constantFrom(...phases) })
  return fc.uniqueArray(one, { selector: (f) => f.attempt, maxLength: retries }).map((plan) => [...plan].sort((a, b) => a.attempt - b.attempt))
}

/** Duplicate deliveries: after success (0 ms to 10 min later) or concurrent with the original. @default maxLength 2 */
export function duplicateDeliveries(options: { maxLength?: number } = {}): fc.Arbitrary<DuplicateDelivery[]> {
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

/** Events: an array of `event` values (at least 1). @default minLength 1, maxLength 4 */
export function events<E>(event: fc.Arbitrary<E>, options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<E[]> {
  return fc.array(event, { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 4 })
}

/** One event's delivery. */
export function eventDelivery<E>(event: fc.Arbitrary<E>, options: { maximumRetryAttempts?: number; failures?: fc.Arbitrary<FailurePlan>; duplicates?: fc.Arbitrary<DuplicateDelivery[]>; acceptAtMs?: fc.Arbitrary<number> } = {}): fc.Arbitrary<EventDelivery<E>> {
  return fc.record({
    event,
    acceptAtMs: options.acceptAtMs ?? acceptanceOffset(),
    failures: options.failures ?? failurePlan(options.maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: options.maximumRetryAttempts }),
    duplicates: options.duplicates ?? duplicateDeliveries(),
  })
}

/**
 * Delivery schedules: 1–`maxEvents` events, each with an acceptance offset, a failure plan and
 * duplicate deliveries. @default minEvents 1, maxEvents 4, maximumRetryAttempts 2
 */
export function deliverySchedule<E>(
  event: fc.Arbitrary<E>,
  options: { minEvents?: number; maxEvents?: number; maximumRetryAttempts?: number; failures?: fc.Arbitrary<FailurePlan>; duplicates?: fc.Arbitrary<DuplicateDelivery[]>; acceptAtMs?: fc.Arbitrary<number> } = {},
): fc.Arbitrary<DeliverySchedule<E>> {
  const { minEvents, maxEvents, ...rest } = options
  return fc.array(eventDelivery(event, rest), { minLength: minEvents ?? 1, maxLength: maxEvents ?? 4 }).map((deliveries) => ({ deliveries }))
}

/** Event invoke configs within AWS's ranges (retries 0–2, maximum age 60–21600 s). */
export function invokeConfig(): fc.Arbitrary<InvokeConfigSample> {
  return fc.record({
    maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
    maximumEventAgeInSeconds: fc.oneof(fc.constant(21_600), fc.constantFrom(60, 90, 180, 3_600), fc.integer({ min: 60, max: 21_600 })),
  })
}
