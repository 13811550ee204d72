import fc from 'fast-check'
import { inspect, isDeepStrictEqual } from 'node:util'
import type { AnyHandler } from '../functions.js'
import { isPlainObject } from '../internal/plain-object.js'
import { SimulatorError } from '../errors.js'
import { createSimulator, type Simulator } from '../simulator.js'
import { describe } from '../validation.js'
import { deliverySchedule, isArbitrary, toolkitInt, type DeliverySchedule, type EventDelivery } from './arbitraries.js'
import { DEFAULT_FUNCTION_NAME, deliverSchedule, describeFailure, scheduleProblem } from './deliver-schedule.js'

/** What `setup` receives: the simulator of this run (for a store that takes virtual time: `await sim.sleep(5)`). */
export interface SetupContext {
  sim: Simulator
}

/**
 * Where a check's events come from: `events` (one event; the check builds schedules of 1–`maxEvents`
 * of them), or `schedules` (whole delivery schedules, replacing the generated ones; `events` is then
 * not needed, and `maxEvents` has no effect).
 */
export type CheckEvents<E> =
  | {
      /** One event. The check builds 1–`maxEvents` of them per run. */
      events: fc.Arbitrary<E>
      /** Most events per run. @default 4 */
      maxEvents?: number
      schedules?: undefined
    }
  | {
      /** Replace the generated delivery schedules entirely (compose one from `deliverySchedule`). */
      schedules: fc.Arbitrary<DeliverySchedule<E>>
      events?: fc.Arbitrary<E>
      /** Not with `schedules`: give it to `deliverySchedule(event, { maxEvents })`. */
      maxEvents?: undefined
    }

interface CommonOptions<E> {
  /** The function's retry setting (0–2); failure plans never fail the last attempt. @default 2 */
  maximumRetryAttempts?: number
  /** The function's timeout in seconds (a "time out" failure hangs until it). @default 3 */
  timeout?: number
  /**
   * Turn on `sim.useVirtualGlobals()` for each run (Date and handler timers follow the virtual clock),
   * for handlers or libraries that read `Date.now()` or use `setTimeout`. @default false
   */
  virtualGlobals?: boolean
  /** Compare the two states. @default node:util isDeepStrictEqual */
  equals?: (actual: unknown, expected: unknown) => boolean
  /** Runs. @default 100 */
  numRuns?: number
  /** fast-check seed. @default random (fast-check's) */
  seed?: number
  /** Re-run one failure exactly: the `{ seed, path }` printed by a failing check. */
  replay?: { seed: number; path: string }
  /** Schedules always tried first (a failing check prints the one it found in this form). */
  examples?: DeliverySchedule<E>[]
  /** Other fast-check parameters (`verbose`, `timeout`, `interruptAfterTimeLimit`...). */
  fastCheck?: Omit<fc.Parameters<[DeliverySchedule<E>]>, 'seed' | 'path' | 'numRuns' | 'examples'>
}

/** With a fresh store per run: `handler` is `(store) => Lambda handler`. */
export type CheckWithSetup<E, S> = CommonOptions<E> &
  CheckEvents<E> & {
    /** Build a fresh store (and anything else the handler needs) for one run. Called twice per run: the delivered run and the exactly-once reference. */
    setup: (context: SetupContext) => S | Promise<S>
    /** The observable state: a snapshot (plain data) of what the handler changed, e.g. the table's rows or the side effects it recorded. */
    state: (store: S) => unknown
  }

/** With module-level state: `handler` is the Lambda handler, `reset()` empties its state. */
export type CheckWithReset<E> = CommonOptions<E> &
  CheckEvents<E> & {
    reset: () => void | Promise<void>
    state: () => unknown
  }

/** The options of {@link checkIdempotency}. */
export type CheckIdempotencyOptions<E, S = unknown> = CheckWithSetup<E, S> | CheckWithReset<E>

/** What a passing check reports. */
export interface CheckIdempotencyResult {
  numRuns: number
  seed: number
}

/** Thrown by a failing {@link checkIdempotency}: the message has the replay line, the schedule and both states. */
export class IdempotencyCheckError extends Error {
  override readonly name = 'IdempotencyCheckError'
  readonly seed: number
  readonly path: string
  readonly schedule: unknown
  readonly expected: unknown
  readonly actual: unknown
  readonly timeline: string

  constructor(message: string, details: { seed: number; path: string; schedule: unknown; expected: unknown; actual: unknown; timeline: string; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.seed = details.seed
    this.path = details.path
    this.schedule = details.schedule
    this.expected = details.expected
    this.actual = details.actual
    this.timeline = details.timeline
  }
}

interface RunResult {
  expected: unknown
  actual: unknown
  timeline: string
  problem: string | undefined
}

function show(value: unknown): string {
  return inspect(value, { depth: 8, sorted: true, breakLength: 100, compact: 3 })
}

/** JSON where the value has one; otherwise (undefined, a BigInt, a cycle: not a Lambda event) util.inspect. */
function asJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? show(value)
  } catch {
    return show(value)
  }
}

const CHECK_OPTION_KEYS = ['events', 'setup', 'state', 'reset', 'maxEvents', 'maximumRetryAttempts', 'timeout', 'schedules', 'virtualGlobals', 'equals', 'numRuns', 'seed', 'replay', 'examples', 'fastCheck']
/** fast-check parameters checkIdempotency sets itself, from its own options. */
const OWN_FAST_CHECK_KEYS: Record<string, string> = { seed: 'seed', path: 'replay', numRuns: 'numRuns', examples: 'examples' }
const INT32_MIN = -2_147_483_648
const UINT32_MAX = 4_294_967_295

/** Every option of checkIdempotency, checked before fast-check or a run starts. */
function validateCheckOptions(options: Record<string, unknown>): void {
  for (const key of Object.keys(options)) {
    if (!CHECK_OPTION_KEYS.includes(key)) throw new TypeError(`checkIdempotency: unknown option ${JSON.stringify(key)}; allowed: ${CHECK_OPTION_KEYS.join(', ')}`)
  }
  if ((options['events'] !== undefined || options['schedules'] === undefined) && !isArbitrary(options['events'])) {
    throw new TypeError(`checkIdempotency: options.events must be a fast-check Arbitrary of one event (such as fc.record(...)), got ${describe(options['events'])}`)
  }
  if (options['schedules'] !== undefined && !isArbitrary(options['schedules'])) throw new TypeError(`checkIdempotency: options.schedules must be a fast-check Arbitrary of delivery schedules (compose one from deliverySchedule), got ${describe(options['schedules'])}`)
  toolkitInt('checkIdempotency', 'options.maxEvents', options['maxEvents'], 1, Number.MAX_SAFE_INTEGER, '>= 1')
  if (options['maxEvents'] !== undefined && options['schedules'] !== undefined) {
    throw new TypeError('checkIdempotency: options.maxEvents has no effect with options.schedules (they replace the generated schedules); give maxEvents to deliverySchedule(event, { maxEvents }) instead')
  }
  toolkitInt('checkIdempotency', 'options.maximumRetryAttempts', options['maximumRetryAttempts'], 0, 2, 'from 0 to 2')
  toolkitInt('checkIdempotency', 'options.timeout', options['timeout'], 1, 900, 'from 1 to 900 (seconds)')
  toolkitInt('checkIdempotency', 'options.numRuns', options['numRuns'], 1, Number.MAX_SAFE_INTEGER, '>= 1')
  toolkitInt('checkIdempotency', 'options.seed', options['seed'], INT32_MIN, UINT32_MAX, `from ${INT32_MIN} to ${UINT32_MAX}`)
  for (const flag of ['virtualGlobals'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new TypeError(`checkIdempotency: options.${flag} must be true or false, got ${describe(options[flag])}`)
  }
  if (options['equals'] !== undefined && typeof options['equals'] !== 'function') throw new TypeError(`checkIdempotency: options.equals must be a function (actual, expected) => boolean, got ${describe(options['equals'])}`)
  const replay = options['replay']
  if (replay !== undefined) {
    if (!isPlainObject(replay)) throw new TypeError(`checkIdempotency: options.replay must be the { seed, path } a failing check printed, got ${describe(replay)}`)
    const r = replay as Record<string, unknown>
    for (const key of Object.keys(r)) if (key !== 'seed' && key !== 'path') throw new TypeError(`checkIdempotency: unknown option ${JSON.stringify(`replay.${key}`)}; allowed: replay.seed, replay.path`)
    if (r['seed'] === undefined) throw new TypeError(`checkIdempotency: options.replay.seed is missing (the seed a failing check printed), got ${describe(replay)}`)
    toolkitInt('checkIdempotency', 'options.replay.seed', r['seed'], INT32_MIN, UINT32_MAX, `from ${INT32_MIN} to ${UINT32_MAX}`)
    if (typeof r['path'] !== 'string' || !/^\d+(:\d+)*$/.test(r['path'])) throw new TypeError(`checkIdempotency: options.replay.path must be the path a failing check printed, such as "0:1:3", got ${describe(r['path'])}`)
  }
  const examples = options['examples']
  if (examples !== undefined) {
    if (!Array.isArray(examples)) throw new TypeError(`checkIdempotency: options.examples must be an array of delivery schedules, got ${describe(examples)}`)
    const retries = (options['maximumRetryAttempts'] as number | undefined) ?? 2
    for (let i = 0; i < examples.length; i++) {
      const problem = scheduleProblem(examples[i], retries)
      if (problem !== undefined) throw new TypeError(`checkIdempotency: options.examples[${i}]: ${problem}`)
    }
  }
  const params = options['fastCheck']
  if (params !== undefined) {
    if (!isPlainObject(params)) throw new TypeError(`checkIdempotency: options.fastCheck must be an object of fast-check parameters, got ${describe(params)}`)
    for (const key of Object.keys(params)) {
      const own = OWN_FAST_CHECK_KEYS[key]
      if (own !== undefined) throw new TypeError(`checkIdempotency: options.fastCheck.${key} is set by checkIdempotency itself; use options.${own}`)
    }
  }
}

/** The schedule in words, one event per line, like fast-check's scheduler report. */
export function describeSchedule(schedule: DeliverySchedule<unknown>): string {
  const problem = scheduleProblem(schedule, Infinity)
  if (problem !== undefined) throw new TypeError(`describeSchedule: ${problem}`)
  return schedule.deliveries
    .map((d, i) => {
      const parts = [...d.failures.map(describeFailure), ...d.duplicates.map((x) => (x.when === 'now' ? `a concurrent duplicate ${x.delayMs} ms after acceptance` : `a duplicate ${x.delayMs} ms after its success`))]
      return `  event ${i + 1} accepted at +${d.acceptAtMs} ms: ${asJson(d.event)}${parts.length === 0 ? '' : `\n    ${parts.join('\n    ')}`}`
    })
    .join('\n')
}

/**
 * Property check: delivering generated events the way Lambda does (retries after injected failures,
 * duplicates after success, concurrent duplicates, interleavings of different events) leaves the
 * same observable state as delivering each event exactly once. Throws {@link IdempotencyCheckError}
 * with the seed, the path, the delivery schedule and both states when it finds a counterexample.
 *
 * @example
 * await checkIdempotency((db) => makeHandler(db), {
 *   events: fc.record({ account: fc.constantFrom('a', 'b') }),
 *   setup: () => new Map<string, number>(),
 *   state: (db) => Object.fromEntries(db),
 * })
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html (duplicates)
 */
export async function checkIdempotency<E, S>(handler: (store: S) => AnyHandler, options: CheckWithSetup<E, S>): Promise<CheckIdempotencyResult>
export async function checkIdempotency<E>(handler: AnyHandler, options: CheckWithReset<E>): Promise<CheckIdempotencyResult>
export async function checkIdempotency<E, S>(handler: AnyHandler | ((store: S) => AnyHandler), options: CheckIdempotencyOptions<E, S>): Promise<CheckIdempotencyResult> {
  if (typeof handler !== 'function') throw new TypeError(`checkIdempotency: handler must be a function, got ${typeof handler}`)
  if (!isPlainObject(options)) throw new TypeError(`checkIdempotency: options must be an object, got ${describe(options)}`)
  if ('setup' in options && options.setup !== undefined && typeof options.setup !== 'function') throw new TypeError(`checkIdempotency: options.setup must be a function building a fresh store, got ${describe(options.setup)}`)
  if ('setup' in options && options.setup !== undefined && (options as unknown as CheckWithReset<E>).reset !== undefined) {
    throw new TypeError('checkIdempotency: give options.setup (a fresh store per run) or options.reset (module-level state), not both')
  }
  const withSetup = 'setup' in options && typeof options.setup === 'function'
  if (!withSetup && typeof (options as CheckWithReset<E>).reset !== 'function') {
    throw new TypeError('checkIdempotency: give options.setup (a fresh store per run; handler is then (store) => handler) or options.reset (module-level state)')
  }
  if (typeof options.state !== 'function') throw new TypeError('checkIdempotency: options.state must be a function returning the observable state')
  validateCheckOptions(options as unknown as Record<string, unknown>)
  // Virtual globals that cannot be turned on (another simulator has them, or vi/jest fake timers own
  // Date) fail every run alike: say so now, not as a shrunk "counterexample" with a replay line.
  if (options.virtualGlobals === true) {
    try {
      createSimulator({ seed: 1 }).useVirtualGlobals()()
    } catch (error) {
      if (error instanceof SimulatorError) throw new SimulatorError(error.code, `checkIdempotency: options.virtualGlobals: ${error.message}`)
      throw error
    }
  }
  const retries = options.maximumRetryAttempts ?? 2
  const timeoutS = options.timeout ?? 3
  const equals = options.equals ?? isDeepStrictEqual
  const schedules = options.schedules ?? deliverySchedule(options.events as fc.Arbitrary<E>, { maxEvents: options.maxEvents ?? 4, maximumRetryAttempts: retries })

  const prepare = async (sim: Simulator): Promise<{ handler: AnyHandler; snapshot: () => unknown }> => {
    if (withSetup) {
      const o = options as CheckWithSetup<E, S>
      const store = await o.setup({ sim })
      return { handler: (handler as (store: S) => AnyHandler)(store), snapshot: () => o.state(store) }
    }
    const o = options as CheckWithReset<E>
    await o.reset()
    return { handler: handler as AnyHandler, snapshot: () => o.state() }
  }

  const inVirtualTime = async <T>(sim: Simulator, body: () => Promise<T>): Promise<T> => {
    const restore = options.virtualGlobals === true ? sim.useVirtualGlobals() : undefined
    try {
      return await body()
    } finally {
      restore?.()
    }
  }

  const run = async (schedule: DeliverySchedule<E>): Promise<RunResult> => {
    const sim = createSimulator({ seed: 1 })
    const delivered = await inVirtualTime(sim, () => deliver(sim, schedule))
    const ref = createSimulator({ seed: 1 })
    const reference = await inVirtualTime(ref, () => exactlyOnce(ref, schedule, delivered.order))
    let problem = delivered.problem
    // An event that failed for good when delivered the way Lambda does it, though it succeeds delivered
    // once: a retry failed because of what an earlier attempt did (an insert that throws on the row the
    // first attempt wrote). The states may well be equal; on Lambda the event is a failure.
    // (A schedule that injects a failure on the last attempt, which only a hand-written one does, makes
    // the event fail for good by itself.)
    for (let i = 0; i < schedule.deliveries.length && problem === undefined; i++) {
      const ended = delivered.outcomes[i]
      const plan = schedule.deliveries[i] as EventDelivery<E>
      if (ended === undefined || ended.condition === 'Success' || reference.succeeded[i] !== true || plan.failures.some((f) => f.attempt === retries + 1)) continue
      const event = plan.event
      problem =
        `event ${i + 1} (${asJson(event)}) ended ${ended.condition} when delivered the way Lambda does it` +
        `${ended.lastError !== undefined ? ` (its last attempt failed with ${ended.lastError})` : ''}, though it succeeds delivered exactly once: ` +
        'a retry failed because of what an earlier attempt did, and on Lambda the event would go to the on-failure destination or dead-letter queue'
    }
    return { expected: reference.state, actual: delivered.actual, timeline: sim.timeline.render(), problem }
  }

  const deliver = async (
    sim: Simulator,
    schedule: DeliverySchedule<E>,
  ): Promise<{ actual: unknown; order: number[]; problem: string | undefined; outcomes: ({ condition: string; lastError: string | undefined } | undefined)[] }> => {
    const { handler: user, snapshot } = await prepare(sim)
    const { requestIds } = await deliverSchedule(sim, user, schedule, { functionName: DEFAULT_FUNCTION_NAME, timeout: timeoutS, maximumRetryAttempts: retries })
    const actual = await snapshot()
    const terminals = sim.timeline.ofType('terminal')
    let problem: string | undefined
    for (const id of requestIds) {
      const n = terminals.filter((t) => t.requestId === id).length
      if (n !== 1) problem = `request ${id} has ${n} terminal outcomes (expected exactly one)`
    }
    // The exactly-once reference delivers the events in the order this run finished them.
    const order = terminals.map((t) => requestIds.indexOf(t.requestId)).filter((i) => i >= 0)
    for (let i = 0; i < requestIds.length; i++) if (!order.includes(i)) order.push(i)
    // How each event ended, with the error of its last own (not duplicate) attempt.
    const outcomes = requestIds.map((id) => {
      const terminal = terminals.find((t) => t.requestId === id)
      if (terminal === undefined) return undefined
      const last = sim.timeline.ofType('attempt-finished').filter((a) => a.requestId === id && a.duplicate !== true).at(-1)
      return { condition: terminal.condition, lastError: last?.errorType !== undefined ? `${last.errorType}: ${String(last.errorMessage)}` : undefined }
    })
    return { actual, order, problem, outcomes }
  }

  // The exactly-once deliveries of all runs and how many failed: if every one failed (a setup bug, a
  // handler that always throws), both states are those of failed deliveries and the check proves nothing.
  const reference = { deliveries: 0, failures: 0, first: undefined as string | undefined }
  const exactlyOnce = async (ref: Simulator, schedule: DeliverySchedule<E>, order: number[]): Promise<{ state: unknown; succeeded: boolean[] }> => {
    const prepared = await prepare(ref)
    ref.createFunction(DEFAULT_FUNCTION_NAME, prepared.handler, { timeout: timeoutS })
    const succeeded: boolean[] = []
    for (const i of order) {
      const event = (schedule.deliveries[i] as EventDelivery<E>).event
      const response = await ref.invoke(DEFAULT_FUNCTION_NAME, event)
      reference.deliveries++
      succeeded[i] = response.functionError === undefined
      if (response.functionError !== undefined) {
        reference.failures++
        const p = response.payload as { errorType?: unknown; errorMessage?: unknown } | null
        reference.first ??= `event ${asJson(event)} -> ${String(p?.errorType)}: ${String(p?.errorMessage)}`
      }
    }
    return { state: await prepared.snapshot(), succeeded }
  }

  const property = fc.asyncProperty(schedules, async (schedule) => {
    const r = await run(schedule)
    if (r.problem !== undefined) throw new Error(r.problem)
    return equals(r.actual, r.expected)
  })
  const params: fc.Parameters<[DeliverySchedule<E>]> = { ...options.fastCheck, numRuns: options.numRuns ?? 100 }
  if (options.seed !== undefined) params.seed = options.seed
  if (options.examples !== undefined) params.examples = options.examples.map((s) => [s])
  if (options.replay !== undefined) {
    params.seed = options.replay.seed
    params.path = options.replay.path
    params.endOnFailure = true
  }
  const details = await fc.check(property, params)
  if (!details.failed) {
    if (reference.deliveries > 0 && reference.failures === reference.deliveries) {
      throw new IdempotencyCheckError(
        `checkIdempotency: the handler failed on every exactly-once delivery (${reference.failures} of ${reference.deliveries}, in ${details.numRuns} run${details.numRuns === 1 ? '' : 's'}), so the check compared the states of failed deliveries and proves nothing. The first: ${String(reference.first)}. Fix the handler or its setup; a handler that fails for some events is fine as long as others succeed.`,
        { seed: details.seed, path: '', schedule: undefined, expected: undefined, actual: undefined, timeline: '' },
      )
    }
    return { numRuns: details.numRuns, seed: details.seed }
  }
  const path = details.counterexamplePath ?? ''
  const seed = details.seed
  if (details.counterexample === null) {
    throw new IdempotencyCheckError(`checkIdempotency could not finish (seed ${seed}): ${String(details.errorInstance ?? 'no counterexample')}`, { seed, path, schedule: undefined, expected: undefined, actual: undefined, timeline: '' })
  }
  const schedule = details.counterexample[0]
  const replayLines = [
    `Counterexample after ${details.numRuns} run${details.numRuns === 1 ? '' : 's'} and ${details.numShrinks} shrink${details.numShrinks === 1 ? '' : 's'}: seed ${seed}, path ${JSON.stringify(path)}`,
    `Replay it:  checkIdempotency(handler, { ...options, replay: { seed: ${seed}, path: ${JSON.stringify(path)} } })`,
    `  (fast-check: fc.assert(property, { seed: ${seed}, path: ${JSON.stringify(path)}, endOnFailure: true }))`,
    `Or run exactly this schedule first:  checkIdempotency(handler, { ...options, examples: [${asJson(schedule)}] })`,
  ]
  // Run the counterexample once more to show what happened (the check is deterministic). An error
  // there comes from the test's own callbacks (state, setup, the handler factory): delivery turns the
  // handler's errors into failed attempts.
  let r: RunResult
  try {
    r = await run(schedule)
  } catch (error) {
    const message = [`checkIdempotency: the check threw outside the handler's deliveries: ${String(error)} (thrown by options.state, setup, reset or equals, the handler factory, or lambda-sim; see its cause).`, '', ...replayLines, '', 'Delivery schedule:', describeSchedule(schedule)].join('\n')
    throw new IdempotencyCheckError(message, { seed, path, schedule, expected: undefined, actual: undefined, timeline: '', cause: error })
  }
  // With no retry and no duplicate in the schedule, only overlapping attempts (or a handler that is not
  // deterministic) can make the runs differ: say so rather than blame retries and duplicates.
  const plain = schedule.deliveries.every((d) => d.failures.length === 0 && d.duplicates.length === 0)
  const verdict =
    r.problem ??
    (equals(r.actual, r.expected)
      ? `the check threw: ${String(details.errorInstance)}`
      : plain
        ? 'the state after delivery the way Lambda does it differs from the state after exactly-once delivery, with no retry or duplicate in this schedule: the events ran at the same time (Lambda runs events concurrently) and the exactly-once reference runs them one at a time, so the handler is not safe when events overlap (a lost update or a check-then-act race; to the handler, two events with the same content are a duplicate)'
        : 'the state after delivery the way Lambda does it (retries, duplicates) differs from the state after exactly-once delivery: the handler is not idempotent')
  const message = [
    `checkIdempotency: ${verdict}.`,
    '',
    ...replayLines,
    '',
    'Delivery schedule:',
    describeSchedule(schedule),
    '',
    'State after exactly-once delivery (expected):',
    `  ${show(r.expected).split('\n').join('\n  ')}`,
    'State after the delivery above (actual):',
    `  ${show(r.actual).split('\n').join('\n  ')}`,
    '',
    r.timeline.trimEnd(),
  ].join('\n')
  throw new IdempotencyCheckError(message, { seed, path, schedule, expected: r.expected, actual: r.actual, timeline: r.timeline })
}
