import type { DestinationCondition, InvocationRecord } from '../destinations/destination.js'
import type { InvocationType, SimEvent } from '../events.js'
import { formatOffset } from '../timeline-render.js'
import { describe } from '../validation.js'
import { toolkitOptions } from './arbitraries.js'

/**
 * Assertions that read like the domain. They throw {@link LambdaSimAssertionError} (a plain `Error`
 * subclass named `AssertionError`), so they work under vitest, jest, node:test or anything else.
 */

/** Thrown by the assertion helpers. */
export class LambdaSimAssertionError extends Error {
  override readonly name = 'AssertionError'
  /** What the check expected and what it found, where one value says it (test runners show a diff of them). */
  readonly expected?: unknown
  readonly actual?: unknown

  constructor(message: string, values?: { expected: unknown; actual: unknown }) {
    super(message)
    if (values !== undefined) {
      this.expected = values.expected
      this.actual = values.actual
    }
  }
}

/** A simulator (its timeline), a `Timeline`, or an array of timeline entries. */
export type TimelineSource = { readonly timeline: { readonly entries: readonly SimEvent[] } } | { readonly entries: readonly SimEvent[] } | readonly SimEvent[]

/** Why a timeline that does not record cannot be asserted on (an empty timeline would pass expectEveryEventSettled). */
const NOT_RECORDING = 'the simulator was created with recordTimeline: false, so its timeline is empty and there is nothing to check; leave recordTimeline on (the default) to use the assertions'

function entriesOf(fn: string, source: TimelineSource): readonly SimEvent[] {
  if (Array.isArray(source)) return source as readonly SimEvent[]
  if (source !== null && typeof source === 'object') {
    const timeline = 'timeline' in source ? (source.timeline as { readonly entries: readonly SimEvent[]; readonly recording?: unknown }) : (source as { readonly entries?: unknown; readonly recording?: unknown })
    if (timeline.recording === false) throw new TypeError(`${fn}: ${NOT_RECORDING}`)
    if ('timeline' in source) return source.timeline.entries
    if ('entries' in source && Array.isArray(source.entries)) return source.entries
  }
  throw new TypeError(`Expected a simulator, a timeline or an array of timeline entries, got ${describe(source)}`)
}

const CONDITIONS: readonly string[] = ['Success', 'RetriesExhausted', 'EventAgeExceeded', 'ZeroReservedConcurrency', 'RecursiveInvocationDropped']
/** The conditions of a Kinesis or DynamoDB mapping's on-failure record: not async invocation records. */
const STREAM_FAILURE_CONDITIONS: readonly string[] = ['RetryAttemptsExhausted', 'RecordAgeExceeded']

function requireRequestId(fn: string, requestId: unknown): void {
  if (typeof requestId !== 'string') throw new TypeError(`${fn}: requestId must be a request id string, got ${describe(requestId)}`)
}

function requireCount(fn: string, n: unknown): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new TypeError(`${fn}: n must be an integer >= 0, got ${describe(n)}`)
}

function requireCondition(fn: string, condition: unknown, allowed: readonly string[]): void {
  if (typeof condition !== 'string' || !allowed.includes(condition)) throw new TypeError(`${fn}: condition must be one of ${allowed.join(', ')}, got ${describe(condition)}`)
}

type Attempt = { started: Extract<SimEvent, { type: 'attempt-started' }>; finished: Extract<SimEvent, { type: 'attempt-finished' }> | undefined }

/** What a check on an async event that has not ended yet adds to its failure. */
const RUN_THE_CLOCK = '(advance the clock, or runUntilIdle(), first)'

function list(offsets: readonly number[]): string {
  return offsets.length === 0 ? 'none' : offsets.map((o) => formatOffset(o)).join(', ')
}

const OUTCOME_VALUES: readonly string[] = ['success', 'error', 'timeout']

/** Chainable checks on the attempts of one request. */
export interface AttemptsExpectation {
  /**
   * The attempts started at exactly these offsets (ms) after the event was accepted (for a
   * synchronous invoke, after its first attempt), e.g. `[0, 60_000, 180_000]`.
   */
  at(offsetsMs: readonly number[]): AttemptsExpectation
  /** Exactly `n` attempts. */
  count(n: number): AttemptsExpectation
  /** The attempts ended with these outcomes, in order, e.g. `['error', 'error', 'success']`. */
  outcomes(outcomes: readonly ('success' | 'error' | 'timeout')[]): AttemptsExpectation
  /** Also count the attempts of duplicate deliveries (left out by default). */
  includingDuplicates(): AttemptsExpectation
}

/**
 * Expect things of the attempts of `requestId`.
 * @example expectAttempts(sim, requestId).at([0, 60_000, 180_000]).outcomes(['error', 'error', 'success'])
 */
export function expectAttempts(source: TimelineSource, requestId: string, options: { duplicates?: boolean } = {}): AttemptsExpectation {
  requireRequestId('expectAttempts', requestId)
  const o = toolkitOptions('expectAttempts', options, ['duplicates'])
  if (o['duplicates'] !== undefined && typeof o['duplicates'] !== 'boolean') throw new TypeError(`expectAttempts: options.duplicates must be true or false, got ${describe(o['duplicates'])}`)
  const withDuplicates = options.duplicates === true
  const what = `request ${requestId}${withDuplicates ? ' (with duplicates)' : ''}`
  // Read when each check runs (an expectation made right after the invoke sees what came later).
  const read = (): { attempts: Attempt[]; accepted: SimEvent | undefined; origin: number; pending: string } => {
    const entries = entriesOf('expectAttempts', source).filter((e) => 'requestId' in e && e.requestId === requestId)
    if (entries.length === 0) throw new LambdaSimAssertionError(`Expected request ${requestId} on the timeline, but the timeline has no entry for it`)
    const attempts: Attempt[] = []
    for (const e of entries) {
      if (e.type === 'attempt-started' && (withDuplicates || e.duplicate !== true)) attempts.push({ started: e, finished: undefined })
      if (e.type === 'attempt-finished' && (withDuplicates || e.duplicate !== true)) {
        const a = attempts.find((x) => x.finished === undefined && x.started.attempt === e.attempt && (x.started.duplicate === true) === (e.duplicate === true))
        if (a !== undefined) a.finished = e
      }
    }
    const accepted = entries.find((e) => e.type === 'accepted')
    const origin = accepted?.time ?? attempts[0]?.started.time ?? 0
    // An accepted async event with no terminal outcome yet may still have attempts to come.
    let pending = accepted !== undefined && !entries.some((e) => e.type === 'terminal') ? `: the event has not ended yet ${RUN_THE_CLOCK}` : ''
    // Duplicate attempts left out (the default) are the likely reason a check on a duplicated event fails.
    if (!withDuplicates) {
      const left = entries.filter((e) => e.type === 'attempt-started' && e.duplicate === true).map((e) => e.time - origin)
      if (left.length > 0) pending += `; ${left.length === 1 ? '1 duplicate attempt' : `${left.length} duplicate attempts`} (at ${list(left)}) left out: use includingDuplicates() to count ${left.length === 1 ? 'it' : 'them'}`
    }
    return { attempts, accepted, origin, pending }
  }
  read()
  const expectation: AttemptsExpectation = {
    at(offsetsMs) {
      if (!Array.isArray(offsetsMs) || offsetsMs.some((o) => typeof o !== 'number' || !Number.isInteger(o) || o < 0)) {
        throw new TypeError(`expectAttempts(...).at: offsetsMs must be an array of integers >= 0 (ms after acceptance), got ${describe(offsetsMs)}`)
      }
      const { attempts, accepted, origin, pending } = read()
      const actual = attempts.map((a) => a.started.time - origin)
      if (actual.length !== offsetsMs.length || actual.some((t, i) => t !== offsetsMs[i])) {
        throw new LambdaSimAssertionError(`Expected the attempts of ${what} at ${list(offsetsMs)} after ${accepted !== undefined ? 'acceptance' : 'the first attempt'}; they started at ${list(actual)}${pending}`, { expected: [...offsetsMs], actual })
      }
      return expectation
    },
    count(n) {
      requireCount('expectAttempts(...).count', n)
      const { attempts, accepted, origin, pending } = read()
      const when = attempts.length === 0 ? '' : ` (started at ${list(attempts.map((a) => a.started.time - origin))} after ${accepted !== undefined ? 'acceptance' : 'the first attempt'})`
      if (attempts.length !== n) throw new LambdaSimAssertionError(`Expected ${n} attempt${n === 1 ? '' : 's'} of ${what}; there ${attempts.length === 1 ? 'was' : 'were'} ${attempts.length}${when}${pending}`, { expected: n, actual: attempts.length })
      return expectation
    },
    outcomes(outcomes) {
      if (!Array.isArray(outcomes) || outcomes.some((o) => !OUTCOME_VALUES.includes(o))) {
        throw new TypeError(`expectAttempts(...).outcomes: outcomes must be an array of ${OUTCOME_VALUES.map((x) => `'${x}'`).join(', ')}, got ${describe(outcomes)}`)
      }
      const { attempts, accepted, origin, pending } = read()
      const actual = attempts.map((a) => a.finished?.outcome ?? 'running')
      if (actual.length !== outcomes.length || actual.some((o, i) => o !== outcomes[i])) {
        const ended = attempts.map((a) => (a.finished === undefined ? 'still running' : formatOffset(a.finished.time - origin)))
        const when = attempts.length === 0 ? '' : ` (at ${ended.join(', ')} after ${accepted !== undefined ? 'acceptance' : 'the first attempt'})`
        throw new LambdaSimAssertionError(`Expected the attempts of ${what} to end ${JSON.stringify(outcomes)}; they ended ${JSON.stringify(actual)}${when}${pending}`, { expected: [...outcomes], actual })
      }
      return expectation
    },
    includingDuplicates() {
      return expectAttempts(source, requestId, { duplicates: true })
    },
  }
  return expectation
}

/** Checks on the terminal outcome of one async event. */
export interface OutcomeExpectation {
  /** The event ended exactly once, with this condition. Returns the terminal entry. */
  is(condition: DestinationCondition | 'Dropped'): Extract<SimEvent, { type: 'terminal' }>
}

/**
 * Expect the terminal outcome of the async event `requestId`.
 * @example expectOutcome(sim, requestId).is('RetriesExhausted')
 */
export function expectOutcome(source: TimelineSource, requestId: string): OutcomeExpectation {
  requireRequestId('expectOutcome', requestId)
  entriesOf('expectOutcome', source)
  return {
    is(condition) {
      requireCondition('expectOutcome(...).is', condition, [...CONDITIONS, 'Dropped'])
      // Read when the check runs (an expectation made right after the invoke sees the outcome that came later).
      const entries = entriesOf('expectOutcome', source)
      const accepted = entries.find((e) => e.type === 'accepted' && e.requestId === requestId)
      const since = (t: SimEvent): string => (accepted !== undefined ? `${formatOffset(t.time - accepted.time)}` : new Date(t.time).toISOString())
      const terminals = entries.filter((e): e is Extract<SimEvent, { type: 'terminal' }> => e.type === 'terminal' && e.requestId === requestId)
      if (terminals.length !== 1) {
        const detail = terminals.length > 0 ? ` (${terminals.map((t) => `${t.condition} at ${since(t)}`).join(', ')}${accepted !== undefined ? ' after acceptance' : ''})` : noTerminalReason(entries, requestId)
        throw new LambdaSimAssertionError(`Expected request ${requestId} to end once with ${condition}; it has ${terminals.length} terminal outcomes${detail}`)
      }
      const t = terminals[0] as Extract<SimEvent, { type: 'terminal' }>
      if (t.condition !== condition) {
        const when = `at ${since(t)}${accepted !== undefined ? ' after acceptance' : ''}, after ${t.approximateInvokeCount} attempt${t.approximateInvokeCount === 1 ? '' : 's'}`
        throw new LambdaSimAssertionError(`Expected request ${requestId} to end with ${condition}; it ended with ${t.condition} ${when}${t.reason !== undefined ? ` (${t.reason})` : ''}`, { expected: condition, actual: t.condition })
      }
      return t
    },
  }
}

/** Why a request has no terminal outcome: only accepted async events get one. */
function noTerminalReason(entries: readonly SimEvent[], requestId: string): string {
  let accepted = false
  let sync: InvocationType | undefined
  for (const e of entries) {
    if (!('requestId' in e) || e.requestId !== requestId) continue
    if (e.type === 'accepted') accepted = true
    else if ((e.type === 'attempt-started' || e.type === 'throttled') && e.invocationType !== 'Event') sync = e.invocationType
  }
  if (accepted) return `: the event has not ended yet ${RUN_THE_CLOCK}`
  if (sync !== undefined) return `: it is a synchronous (${sync}) invocation, and only asynchronous (Event) invocations have a terminal outcome; assert on the response, or with expectAttempts`
  return ': no accepted event has this request id on the timeline'
}

/** Every accepted async event has exactly one terminal outcome (none lost, none twice). */
export function expectEveryEventSettled(source: TimelineSource): void {
  const entries = entriesOf('expectEveryEventSettled', source)
  const counts = new Map<string, number>()
  const acceptedAt = new Map<string, number>()
  const ends = new Map<string, string[]>()
  for (const e of entries) {
    if (e.type !== 'accepted') continue
    counts.set(e.requestId, 0)
    acceptedAt.set(e.requestId, e.time)
  }
  for (const e of entries) {
    if (e.type !== 'terminal') continue
    counts.set(e.requestId, (counts.get(e.requestId) ?? 0) + 1)
    const at = acceptedAt.get(e.requestId)
    ends.set(e.requestId, [...(ends.get(e.requestId) ?? []), `${e.condition} at ${at !== undefined ? formatOffset(e.time - at) : new Date(e.time).toISOString()}`])
  }
  const wrong = [...counts].filter(([, n]) => n !== 1)
  if (wrong.length > 0) {
    // Every accepted event ends (Dropped is an outcome too): none yet means the clock has not run it.
    const hint = wrong.some(([, n]) => n === 0) ? `: an event with 0 has not ended yet ${RUN_THE_CLOCK}` : ''
    const detail = (id: string, n: number): string => (n > 1 ? ` (${(ends.get(id) ?? []).join(', ')}${acceptedAt.has(id) ? ' after acceptance' : ''})` : '')
    throw new LambdaSimAssertionError(`Expected every accepted event to end exactly once; ${wrong.map(([id, n]) => `${id} has ${n} terminal outcome${n === 1 ? '' : 's'}${detail(id, n)}`).join('; ')}${hint}`)
  }
}

/** Where invocation records are: a Queue, Topic, EventBus or Bucket of the simulator, or an array of records, deliveries or message bodies. */
export type RecordSource =
  | { readonly messages: readonly ({ readonly body: string } | { readonly message: string })[] }
  | { readonly entries: readonly string[] }
  | { readonly objects: ReadonlyMap<string, { readonly body: string }> }
  | readonly (string | InvocationRecord | { readonly body: string })[]

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function isRecord(v: unknown): v is InvocationRecord {
  return typeof v === 'object' && v !== null && typeof (v as InvocationRecord).requestContext === 'object' && typeof (v as InvocationRecord).requestContext?.condition === 'string'
}

/** A dead-letter message: the event itself, with Lambda's RequestID and ErrorCode attributes. */
function isDeadLetter(m: unknown): boolean {
  const attributes = typeof m === 'object' && m !== null ? (m as { messageAttributes?: unknown }).messageAttributes : undefined
  return typeof attributes === 'object' && attributes !== null && 'RequestID' in attributes && 'ErrorCode' in attributes
}

/** The invocation records of a sink, and what else it holds (to explain an assertion that finds none). */
function recordsOf(source: RecordSource): { records: InvocationRecord[]; others: number; deadLetters: number } {
  let raw: unknown[]
  let items: readonly unknown[]
  if (Array.isArray(source)) {
    items = source
    raw = source.map((x: unknown) => (typeof x === 'string' ? parse(x) : typeof x === 'object' && x !== null && 'body' in x && typeof x.body === 'string' ? parse(x.body) : x))
  } else if (source === null || typeof source !== 'object') throw new TypeError(`Expected a queue, topic, event bus, bucket or an array of records, got ${describe(source)}`)
  else if ('messages' in source) {
    items = source.messages
    raw = source.messages.map((m) => parse('body' in m ? m.body : m.message))
  } else if ('objects' in source) raw = items = [...source.objects.values()].map((o) => parse(o.body))
  else if ('entries' in source) raw = items = (source as { readonly entries: readonly string[] }).entries.map((e) => (parse(e) as { detail?: unknown } | undefined)?.detail)
  else throw new TypeError(`Expected a queue, topic, event bus, bucket or an array of records, got ${describe(source)}`)
  const records: InvocationRecord[] = []
  let deadLetters = 0
  raw.forEach((r, i) => {
    if (isRecord(r)) records.push(r)
    else if (isDeadLetter(items[i])) deadLetters++
  })
  return { records, others: raw.length - records.length, deadLetters }
}

/** Checks on the invocation records a sink received. */
export interface RecordExpectation {
  /** One record has this condition (and request id, when given). Returns it. */
  withCondition(condition: DestinationCondition, filter?: { requestId?: string; approximateInvokeCount?: number }): InvocationRecord
  /** Exactly `n` records. */
  count(n: number): RecordExpectation
}

/**
 * Expect invocation records in a destination.
 * @example const record = expectRecord(failures).withCondition('RetriesExhausted', { requestId })
 */
export function expectRecord(source: RecordSource): RecordExpectation {
  // Read when each check runs (an expectation made before the records arrived sees them).
  let current = recordsOf(source)
  const refresh = (): InvocationRecord[] => {
    current = recordsOf(source)
    return current.records
  }
  const seen = (): string => {
    const { records, others, deadLetters } = current
    const held = records.length === 0 ? 'it holds no invocation record' : `it holds ${records.map((r) => `${r.requestContext.condition} (${r.requestContext.requestId}, count ${r.requestContext.approximateInvokeCount}${typeof r.timestamp === 'string' ? `, at ${r.timestamp}` : ''})`).join(', ')}`
    if (others === 0) return held
    const dlq = deadLetters > 0 ? ': a dead-letter queue receives the event itself, with RequestID, ErrorCode and ErrorMessage attributes (read queue.messages)' : ''
    return `${held}, and ${others} message${others === 1 ? '' : 's'} that ${others === 1 ? 'is' : 'are'} not one${dlq}`
  }
  const expectation: RecordExpectation = {
    withCondition(condition, filter = {}) {
      if (typeof condition === 'string' && STREAM_FAILURE_CONDITIONS.includes(condition)) {
        throw new TypeError(
          `expectRecord(...).withCondition: ${JSON.stringify(condition)} is the condition of an event source mapping's on-failure record (KinesisBatchInfo, DDBStreamBatchInfo), which expectRecord does not check; ` +
            `it checks async invocation records (${CONDITIONS.join(', ')}). Read the mapping's record from its destination, e.g. queue.bodies`,
        )
      }
      requireCondition('expectRecord(...).withCondition', condition, CONDITIONS)
      const records = refresh()
      const f = toolkitOptions('expectRecord(...).withCondition', filter, ['requestId', 'approximateInvokeCount'])
      if (f['requestId'] !== undefined) requireRequestId('expectRecord(...).withCondition', f['requestId'])
      if (f['approximateInvokeCount'] !== undefined && (typeof f['approximateInvokeCount'] !== 'number' || !Number.isInteger(f['approximateInvokeCount']) || f['approximateInvokeCount'] < 0)) {
        // 0 is a real count: records where nothing ran (ZeroReservedConcurrency, an event that expired or
        // was stopped by loop detection before its first attempt).
        throw new TypeError(`expectRecord(...).withCondition: approximateInvokeCount must be an integer >= 0, got ${describe(f['approximateInvokeCount'])}`)
      }
      const match = records.filter(
        (r) =>
          r.requestContext.condition === condition &&
          (filter.requestId === undefined || r.requestContext.requestId === filter.requestId) &&
          (filter.approximateInvokeCount === undefined || r.requestContext.approximateInvokeCount === filter.approximateInvokeCount),
      )
      if (match.length !== 1) {
        const extra = [filter.requestId !== undefined ? `request ${filter.requestId}` : '', filter.approximateInvokeCount !== undefined ? `approximateInvokeCount ${filter.approximateInvokeCount}` : ''].filter((x) => x !== '').join(', ')
        throw new LambdaSimAssertionError(`Expected one record with condition ${condition}${extra === '' ? '' : ` for ${extra}`}; found ${match.length}: ${seen()}`)
      }
      return match[0] as InvocationRecord
    },
    count(n) {
      requireCount('expectRecord(...).count', n)
      const records = refresh()
      if (records.length !== n) throw new LambdaSimAssertionError(`Expected ${n} invocation record${n === 1 ? '' : 's'}; ${seen()}`, { expected: n, actual: records.length })
      return expectation
    },
  }
  return expectation
}
