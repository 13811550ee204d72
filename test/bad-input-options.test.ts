import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import * as testing from '../src/testing/index.js'
import { thrownBy } from './helpers/errors.js'

/**
 * "Bad options get a clear error and change nothing", for lambda-sim's own options (createSimulator,
 * runtime configuration calls, the timeline helpers) and the testing toolkit. Each catalogue entry
 * is one rule: the call fails up front with the named error, its message names the field and the
 * value, and (for calls on an existing simulator) everything observable is unchanged afterwards and
 * the simulator goes on exactly like a twin that never saw the call.
 */

/** [label (the rule), call, expected error name, text the message must contain]. */
type Entry = [string, () => unknown, string, string]
type SimEntry = [string, (sim: Simulator) => unknown, string, string]

const o = (x: unknown): never => x as never

/** createSimulator options: each refused at construction. */
const create = (options: unknown) => () => createSimulator(o(options))
const createEntries: Entry[] = [
  ['options that are not an object', create('fast'), 'SimulatorError', 'Invalid simulator options: expected an object, got "fast"'],
  ['options an array (accepted as no options before)', create([]), 'SimulatorError', 'Invalid simulator options: expected an object, got []'],
  ['options null', create(null), 'SimulatorError', 'Invalid simulator options: expected an object, got null'],
  ['options a function', create(() => ({ seed: 1 })), 'SimulatorError', 'Invalid simulator options: expected an object, got a function'],
  ['an unknown option names it and the allowed ones', create({ seeed: 1 }), 'SimulatorError', 'Unknown option "seeed" for createSimulator; allowed: seed, startTime'],
  ['faults is no createSimulator option (it is sim.faults.inject)', create({ faults: { count: 1 } }), 'SimulatorError', 'Unknown option "faults" for createSimulator'],
  ['seed NaN', create({ seed: NaN }), 'SimulatorError', 'Invalid option seed: expected an integer from 0 to 4294967295, got NaN'],
  ['seed negative', create({ seed: -1 }), 'SimulatorError', 'Invalid option seed: expected an integer from 0 to 4294967295, got -1'],
  ['seed fractional', create({ seed: 1.5 }), 'SimulatorError', 'Invalid option seed: expected an integer from 0 to 4294967295, got 1.5'],
  ['seed above 2^32-1', create({ seed: 4294967296 }), 'SimulatorError', 'Invalid option seed: expected an integer from 0 to 4294967295, got 4294967296'],
  ['seed as a string', create({ seed: '1' }), 'SimulatorError', 'Invalid option seed: expected an integer from 0 to 4294967295, got "1"'],
  ['seed Infinity', create({ seed: Infinity }), 'SimulatorError', 'Invalid option seed: expected an integer from 0 to 4294967295, got Infinity'],
  ['startTime NaN', create({ startTime: NaN }), 'SimulatorError', 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got NaN'],
  ['startTime Infinity', create({ startTime: Infinity }), 'SimulatorError', 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got Infinity'],
  ['startTime an unparseable string', create({ startTime: 'tomorrow' }), 'SimulatorError', 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got "tomorrow"'],
  ['startTime an Invalid Date', create({ startTime: new Date('x') }), 'SimulatorError', 'got Invalid Date'],
  ['startTime a boolean', create({ startTime: true }), 'SimulatorError', 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got true'],
  ['startTime an object', create({ startTime: {} }), 'SimulatorError', 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got {}'],
  ['startTime past the last instant a Date holds', create({ startTime: 8.64e15 + 1 }), 'SimulatorError', 'Invalid startTime 8640000000000001: outside the range of a Date'],
  ['region in capitals', create({ region: 'US-EAST-1' }), 'SimulatorError', 'Invalid option region: expected an AWS region such as "us-east-1", got "US-EAST-1"'],
  ['region empty', create({ region: '' }), 'SimulatorError', 'Invalid option region: expected an AWS region such as "us-east-1", got ""'],
  ['region a number', create({ region: 1 }), 'SimulatorError', 'Invalid option region: expected an AWS region such as "us-east-1", got 1'],
  ['accountId as a number', create({ accountId: 123456789012 }), 'SimulatorError', 'Invalid option accountId: expected a 12-digit account id, got 123456789012'],
  ['accountId of 11 digits', create({ accountId: '12345678901' }), 'SimulatorError', 'Invalid option accountId: expected a 12-digit account id, got "12345678901"'],
  ['accountConcurrency below 10', create({ accountConcurrency: 9 }), 'SimulatorError', 'Invalid option accountConcurrency: expected an integer from 10 to 1000000, got 9'],
  ['accountConcurrency above 1,000,000', create({ accountConcurrency: 1_000_001 }), 'SimulatorError', 'Invalid option accountConcurrency: expected an integer from 10 to 1000000, got 1000001'],
  ['accountConcurrency fractional', create({ accountConcurrency: 100.5 }), 'SimulatorError', 'Invalid option accountConcurrency: expected an integer from 10 to 1000000, got 100.5'],
  ['asyncPayloadLimitBytes 0', create({ asyncPayloadLimitBytes: 0 }), 'SimulatorError', 'Invalid option asyncPayloadLimitBytes: expected an integer from 1 to 6291456 (bytes), got 0'],
  ['asyncPayloadLimitBytes above the sync limit', create({ asyncPayloadLimitBytes: 6_291_457 }), 'SimulatorError', 'Invalid option asyncPayloadLimitBytes: expected an integer from 1 to 6291456 (bytes), got 6291457'],
  ['realTimeGraceMs 0', create({ realTimeGraceMs: 0 }), 'SimulatorError', 'Invalid option realTimeGraceMs: expected an integer from 1 to 600000 (real milliseconds), got 0'],
  ['realTimeGraceMs Infinity', create({ realTimeGraceMs: Infinity }), 'SimulatorError', 'Invalid option realTimeGraceMs: expected an integer from 1 to 600000 (real milliseconds), got Infinity'],
  ['loopLimit 0', create({ loopLimit: 0 }), 'SimulatorError', 'Invalid option loopLimit: expected an integer from 1 to 9007199254740991, got 0'],
  ['loopLimit NaN', create({ loopLimit: NaN }), 'SimulatorError', 'Invalid option loopLimit: expected an integer from 1 to 9007199254740991, got NaN'],
  ['recordTimeline 1', create({ recordTimeline: 1 }), 'SimulatorError', 'Invalid option recordTimeline: expected true or false, got 1'],
  ['echoLogs "yes"', create({ echoLogs: 'yes' }), 'SimulatorError', 'Invalid option echoLogs: expected true or false, got "yes"'],
  ['throttleJitter null', create({ throttleJitter: null }), 'SimulatorError', 'Invalid option throttleJitter: expected true or false, got null'],
  ['duplicates true', create({ duplicates: true }), 'SimulatorError', 'Invalid option duplicates: expected an object, got true'],
  ['duplicates an array (accepted as off before)', create({ duplicates: [] }), 'SimulatorError', 'Invalid option duplicates: expected an object, got []'],
  ['duplicates empty: nothing to duplicate (accepted as off before)', create({ duplicates: {} }), 'SimulatorError', 'Invalid option duplicates: give probability, requestIds, or both (delayMs alone duplicates nothing)'],
  ['duplicates with only delayMs', create({ duplicates: { delayMs: 5_000 } }), 'SimulatorError', 'Invalid option duplicates: give probability, requestIds, or both (delayMs alone duplicates nothing)'],
  ['duplicates with an unknown key', create({ duplicates: { probabilty: 0.5 } }), 'SimulatorError', 'Unknown option "probabilty" for duplicates; allowed: probability, requestIds, delayMs'],
  ['duplicates.probability negative', create({ duplicates: { probability: -0.1 } }), 'SimulatorError', 'Invalid option duplicates.probability: expected a number from 0 to 1, got -0.1'],
  ['duplicates.probability above 1', create({ duplicates: { probability: 1.01 } }), 'SimulatorError', 'Invalid option duplicates.probability: expected a number from 0 to 1, got 1.01'],
  ['duplicates.probability NaN', create({ duplicates: { probability: NaN } }), 'SimulatorError', 'Invalid option duplicates.probability: expected a number from 0 to 1, got NaN'],
  ['duplicates.probability as a string', create({ duplicates: { probability: '0.5' } }), 'SimulatorError', 'Invalid option duplicates.probability: expected a number from 0 to 1, got "0.5"'],
  ['duplicates.requestIds a string', create({ duplicates: { requestIds: 'abc' } }), 'SimulatorError', 'Invalid option duplicates.requestIds: expected an array of request id strings, got "abc"'],
  ['duplicates.requestIds holding a number', create({ duplicates: { requestIds: ['a', 1] } }), 'SimulatorError', 'Invalid option duplicates.requestIds: expected an array of request id strings, got ["a",1]'],
  ['duplicates.delayMs negative', create({ duplicates: { probability: 1, delayMs: -1 } }), 'SimulatorError', 'Invalid option duplicates.delayMs: expected an integer from 0 to 21600000 (ms), got -1'],
  ['duplicates.delayMs above 6 hours', create({ duplicates: { probability: 1, delayMs: 21_600_001 } }), 'SimulatorError', 'Invalid option duplicates.delayMs: expected an integer from 0 to 21600000 (ms), got 21600001'],
  ['drops a number', create({ drops: 5 }), 'SimulatorError', 'Invalid option drops: expected an object, got 5'],
  ['drops an array', create({ drops: [{ probability: 0.5 }] }), 'SimulatorError', 'Invalid option drops: expected an object, got [{"probability":0.5}]'],
  ['drops empty: nothing to drop on', create({ drops: {} }), 'SimulatorError', 'Invalid option drops: give whenQueueDepthExceeds, probability, or both'],
  ['drops with an unknown key', create({ drops: { depth: 3 } }), 'SimulatorError', 'Unknown option "depth" for drops; allowed: whenQueueDepthExceeds, probability'],
  ['drops.whenQueueDepthExceeds 0', create({ drops: { whenQueueDepthExceeds: 0 } }), 'SimulatorError', 'Invalid option drops.whenQueueDepthExceeds: expected an integer from 1 to 9007199254740991 (events), got 0'],
  ['drops.whenQueueDepthExceeds Infinity', create({ drops: { whenQueueDepthExceeds: Infinity } }), 'SimulatorError', 'Invalid option drops.whenQueueDepthExceeds: expected an integer from 1 to 9007199254740991 (events), got Infinity'],
  ['drops.probability above 1', create({ drops: { probability: 2 } }), 'SimulatorError', 'Invalid option drops.probability: expected a number from 0 to 1, got 2'],
  ['drops.probability negative', create({ drops: { probability: -1 } }), 'SimulatorError', 'Invalid option drops.probability: expected a number from 0 to 1, got -1'],
  ['strict true', create({ strict: true }), 'SimulatorError', 'Invalid option strict: expected an object such as { leftoverWork: true }, got true'],
  ['strict an array (accepted as off before)', create({ strict: ['leftoverWork'] }), 'SimulatorError', 'Invalid option strict: expected an object such as { leftoverWork: true }, got ["leftoverWork"]'],
  ['strict with an unknown key', create({ strict: { leftover: true } }), 'SimulatorError', 'Unknown option "leftover" for strict; allowed: leftoverWork'],
  ['strict.leftoverWork "yes"', create({ strict: { leftoverWork: 'yes' } }), 'SimulatorError', 'Invalid option strict.leftoverWork: expected true or false, got "yes"'],
]

/**
 * The base simulator every runtime entry refers to: f succeeds, g fails its first attempt and has
 * one async event waiting for its retry (so there is pending work, a timeline and a request to
 * duplicate after its success).
 */
async function setup(seed = 7): Promise<{ sim: Simulator; waiting: string }> {
  const sim = createSimulator({ seed })
  sim.createFunction('f', async (e: unknown) => e)
  let calls = 0
  sim.createFunction('g', async () => {
    if (++calls === 1) throw new Error('g fails once')
    return 'ok'
  })
  await sim.invoke('f', { warm: true })
  const { requestId } = await sim.invoke('g', { n: 1 }, 'Event')
  await sim.advanceBy(1_000)
  return { sim, waiting: requestId }
}

/** Everything observable about a simulator. */
function snapshot(sim: Simulator): string {
  return JSON.stringify({ now: sim.now(), pending: sim.pending(), timeline: sim.timeline.entries, metrics: sim.metrics })
}

/**
 * Drive the simulator on and describe what happened: a sync invoke of f (an injected fault would
 * refuse it, a consumed random draw would change its request id), then everything pending to the
 * end (a planned duplicate would add attempts).
 */
async function goOn(sim: Simulator): Promise<string> {
  let first: string
  try {
    first = (await sim.invoke('f', { after: true })).requestId
  } catch (error) {
    first = `${(error as Error).name}: ${(error as Error).message}`
  }
  await sim.runUntilIdle()
  return JSON.stringify({ first, timeline: sim.timeline.entries.map((e) => [e.type, e.time, 'requestId' in e ? e.requestId : null]) })
}

const simEntries: SimEntry[] = [
  // sim.faults.inject
  ['faults.inject with no options', (s) => s.faults.inject(o(undefined)), 'SimulatorError', 'Invalid fault: expected an object, got undefined'],
  ['faults.inject with a string', (s) => s.faults.inject(o('ServiceException')), 'SimulatorError', 'Invalid fault: expected an object, got "ServiceException"'],
  ['faults.inject with neither count nor window', (s) => s.faults.inject({ functionName: 'f' }), 'SimulatorError', 'Invalid fault: give count, a from/until window, or both'],
  ['faults.inject count 0', (s) => s.faults.inject({ count: 0 }), 'SimulatorError', 'Invalid fault count: expected a positive integer, got 0'],
  ['faults.inject count fractional', (s) => s.faults.inject({ count: 1.5 }), 'SimulatorError', 'Invalid fault count: expected a positive integer, got 1.5'],
  ['faults.inject count Infinity', (s) => s.faults.inject({ count: Infinity }), 'SimulatorError', 'Invalid fault count: expected a positive integer, got Infinity'],
  ['faults.inject count as a string', (s) => s.faults.inject(o({ count: '1' })), 'SimulatorError', 'Invalid fault count: expected a positive integer, got "1"'],
  ['faults.inject with an unknown kind', (s) => s.faults.inject(o({ count: 1, kind: 'Throttled' })), 'SimulatorError', 'Invalid fault kind: expected "ServiceException" or "TooManyRequestsException", got "Throttled"'],
  ['faults.inject from NaN', (s) => s.faults.inject({ from: NaN }), 'SimulatorError', 'Invalid fault from: expected epoch milliseconds, a Date or an ISO-8601 string, got NaN'],
  ['faults.inject until an unparseable string', (s) => s.faults.inject({ until: 'later' }), 'SimulatorError', 'Invalid fault until: expected epoch milliseconds, a Date or an ISO-8601 string, got "later"'],
  ['faults.inject with until equal to from', (s) => s.faults.inject({ from: 5, until: 5 }), 'SimulatorError', 'Invalid fault window: until must be after from'],
  ['faults.inject with an array', (s) => s.faults.inject(o([{ count: 1 }])), 'SimulatorError', 'Invalid fault: expected an object, got [{"count":1}]'],
  ['faults.inject with a function', (s) => s.faults.inject(o(() => ({ count: 1 }))), 'SimulatorError', 'Invalid fault: expected an object, got a function'],
  ['faults.inject with an unknown key (a fault on every function before)', (s) => s.faults.inject(o({ count: 1, function: 'g' })), 'SimulatorError', 'Unknown option "function" for faults.inject; allowed: functionName, count, from, until, kind'],
  ['faults.inject functionName a number (never matched before)', (s) => s.faults.inject(o({ count: 1, functionName: 42 })), 'SimulatorError', 'Invalid fault functionName: expected a function name such as "orders" or a function handle (not an ARN or a qualified name: faults match the function\'s name), got 42'],
  ['faults.inject functionName an ARN (never matched before)', (s) => s.faults.inject({ count: 1, functionName: 'arn:aws:lambda:us-east-1:123456789012:function:f' }), 'SimulatorError', 'Invalid fault functionName: expected a function name such as "orders"'],
  ['faults.inject functionName empty', (s) => s.faults.inject({ count: 1, functionName: '' }), 'SimulatorError', 'Invalid fault functionName: expected a function name such as "orders" or a function handle (not an ARN or a qualified name: faults match the function\'s name), got ""'],
  ['faults.inject functionName an array carrying a name', (s) => s.faults.inject(o({ count: 1, functionName: Object.assign([], { name: 'f' }) })), 'SimulatorError', 'Invalid fault functionName: expected a function name such as "orders" or a function handle (not an ARN or a qualified name: faults match the function\'s name), got []'],
  // sim.deliverDuplicate
  ['deliverDuplicate with options that are not an object', (s) => s.deliverDuplicate('x', o(5)), 'SimulatorError', 'Invalid deliverDuplicate options: expected an object, got 5'],
  ['deliverDuplicate with options as an array', (s) => s.deliverDuplicate('x', o([5])), 'SimulatorError', 'Invalid deliverDuplicate options: expected an object, got [5]'],
  ['deliverDuplicate with options as an empty array', (s) => s.deliverDuplicate('x', o([])), 'SimulatorError', 'Invalid deliverDuplicate options: expected an object, got []'],
  ['deliverDuplicate with an unknown option', (s) => s.deliverDuplicate('x', o({ delay: 5 })), 'SimulatorError', 'Unknown option "delay" for deliverDuplicate; allowed: delayMs, when'],
  ['deliverDuplicate delayMs negative', (s) => s.deliverDuplicate('x', { delayMs: -1 }), 'SimulatorError', 'Invalid option deliverDuplicate delayMs: expected an integer from 0 to 21600000 (ms), got -1'],
  ['deliverDuplicate delayMs NaN', (s) => s.deliverDuplicate('x', { delayMs: NaN }), 'SimulatorError', 'Invalid option deliverDuplicate delayMs: expected an integer from 0 to 21600000 (ms), got NaN'],
  ['deliverDuplicate with an unknown when', (s) => s.deliverDuplicate('x', o({ when: 'later' })), 'SimulatorError', 'Invalid deliverDuplicate when: expected "after-success" or "now", got "later"'],
  ['deliverDuplicate of an unknown request id', (s) => s.deliverDuplicate('nope'), 'SimulatorError', 'Cannot deliver a duplicate of "nope": no accepted async event with that request id is waiting for its outcome'],
  ['deliverDuplicate of a request id that is not a string', (s) => s.deliverDuplicate(o(42)), 'SimulatorError', 'Cannot deliver a duplicate of 42'],
  // sim.on
  ['sim.on with a listener that is not a function', (s) => s.on('terminal', o('log')), 'SimulatorError', 'Invalid sim.on listener for "terminal": expected a function, got "log"'],
  ['sim.on with an unknown event type (a typo never fired)', (s) => s.on(o('attempt-start'), () => undefined), 'SimulatorError', 'Invalid sim.on("attempt-start"): no such event type; known: invocation (every event), accepted, attempt-started'],
  ['sim.on with a type that is not a string', (s) => s.on(o(5), () => undefined), 'SimulatorError', 'Invalid sim.on(5): no such event type'],
  // sim.timeline
  ['timeline.render with null options (a TypeError before)', (s) => s.timeline.render(o(null)), 'SimulatorError', 'Invalid timeline.render options: expected an object, got null'],
  ['timeline.render with a string', (s) => s.timeline.render(o('compact')), 'SimulatorError', 'Invalid timeline.render options: expected an object, got "compact"'],
  ['timeline.render with an array', (s) => s.timeline.render(o([])), 'SimulatorError', 'Invalid timeline.render options: expected an object, got []'],
  ['timeline.toMermaid with a function', (s) => s.timeline.toMermaid(o(() => 'title')), 'SimulatorError', 'Invalid timeline.toMermaid options: expected an object, got a function'],
  ['timeline.render with an unknown option', (s) => s.timeline.render(o({ detail: false })), 'SimulatorError', 'Unknown option "detail" for timeline.render; allowed: details, requestIds'],
  ['timeline.render details "no" (read as true before)', (s) => s.timeline.render(o({ details: 'no' })), 'SimulatorError', 'Invalid timeline.render details: expected true or false, got "no"'],
  ['timeline.render requestIds as one string (split into characters before)', (s) => s.timeline.render(o({ requestIds: 'abc' })), 'SimulatorError', 'Invalid timeline.render requestIds: expected an array of request id strings, got "abc"'],
  ['timeline.toMermaid title a number (a TypeError before)', (s) => s.timeline.toMermaid(o({ title: 5 })), 'SimulatorError', 'Invalid timeline.toMermaid title: expected a string, got 5'],
  ['timeline.toMermaid requestIds holding a number (a TypeError before)', (s) => s.timeline.toMermaid(o({ requestIds: [1] })), 'SimulatorError', 'Invalid timeline.toMermaid requestIds: expected an array of request id strings, got [1]'],
  ['timeline.toMermaid with an unknown option', (s) => s.timeline.toMermaid(o({ details: true })), 'SimulatorError', 'Unknown option "details" for timeline.toMermaid; allowed: title, requestIds'],
  ['timeline.ofType with an unknown type (always empty before)', (s) => s.timeline.ofType(o('attempt-start')), 'SimulatorError', 'Invalid timeline.ofType("attempt-start"): no such event type; known: accepted, attempt-started'],
  ['timeline.ofType with no type', (s) => s.timeline.ofType(), 'SimulatorError', 'Invalid timeline.ofType(): give at least one event type (accepted, attempt-started'],
  ['timeline.forRequest with a number', (s) => s.timeline.forRequest(o(5)), 'SimulatorError', 'Invalid timeline.forRequest(5): expected a request id string'],
  // methods that take no options
  ['useVirtualGlobals with options (ignored before)', (s) => (s.useVirtualGlobals as (o: unknown) => unknown)({ timers: false }), 'SimulatorError', 'Invalid sim.useVirtualGlobals({"timers":false}): it takes no options (Date, Date.now() and timers inside handlers always follow the virtual clock while it is on)'],
  ['assertIdle with options (ignored before)', (s) => (s.assertIdle as (o: unknown) => unknown)({ ignore: ['retry'] }), 'SimulatorError', 'Invalid sim.assertIdle({"ignore":["retry"]}): it takes no options (it fails on any pending work; filter sim.pending() to ignore some)'],
  ['pending with a function name (ignored before)', (s) => (s.pending as (o: unknown) => unknown)('g'), 'SimulatorError', 'Invalid sim.pending("g"): it takes no options (it lists all pending work of this simulator)'],
  // the clock
  ['advanceBy a negative time', (s) => s.advanceBy(-1), 'SimulatorError', 'Invalid advanceBy(-1): expected a finite number of milliseconds >= 0'],
  ['advanceBy NaN', (s) => s.advanceBy(NaN), 'SimulatorError', 'Invalid advanceBy(NaN): expected a finite number of milliseconds >= 0'],
  ['sleep Infinity', (s) => s.sleep(Infinity), 'SimulatorError', 'Invalid sleep(Infinity): expected a finite number of milliseconds >= 0'],
  ['advanceTo an unparseable time', (s) => s.advanceTo('soon'), 'SimulatorError', 'Invalid advanceTo time: expected epoch milliseconds, a Date or an ISO-8601 string, got "soon"'],
]

const fcEvent = fc.integer()
/** A timeline of one request with one attempt (for the chained assertion checks). */
const attemptEntries = [{ type: 'attempt-started', time: 0, requestId: 'r', functionName: 'f', version: '$LATEST', attempt: 1, invocationType: 'Event', coldStart: true }] as never
const handler = (): (() => Promise<number>) => async () => 1
const base = { events: fcEvent, setup: () => new Map(), state: (m: Map<unknown, unknown>) => [...m], numRuns: 1, seed: 1 }
const check = (extra: Record<string, unknown>) => () => testing.checkIdempotency(o(handler), o({ ...base, ...extra }))

/** The testing toolkit: refused up front, before fast-check or a run starts. */
const toolkitEntries: Entry[] = [
  ['checkIdempotency with a handler that is not a function', () => testing.checkIdempotency(o('h'), o(base)), 'TypeError', 'checkIdempotency: handler must be a function, got string'],
  ['checkIdempotency with options that are not an object', () => testing.checkIdempotency(o(handler), o(5)), 'TypeError', 'checkIdempotency: options must be an object'],
  ['checkIdempotency with options that are an array (a setup/reset complaint before)', () => testing.checkIdempotency(o(handler), o([])), 'TypeError', 'checkIdempotency: options must be an object, got []'],
  ['checkIdempotency with options that are a function', () => testing.checkIdempotency(o(handler), o(() => base)), 'TypeError', 'checkIdempotency: options must be an object, got a function'],
  ['checkIdempotency replay that is an array', check({ replay: [1, '0'] }), 'TypeError', 'checkIdempotency: options.replay must be the { seed, path } a failing check printed, got [1,"0"]'],
  ['checkIdempotency fastCheck that is an array', check({ fastCheck: [] }), 'TypeError', 'checkIdempotency: options.fastCheck must be an object of fast-check parameters, got []'],
  ['checkIdempotency an example that is an array', check({ examples: [[]] }), 'TypeError', 'checkIdempotency: options.examples[0]: expected { deliveries: [...] }, got []'],
  ['checkIdempotency an example delivery that is an array', check({ examples: [{ deliveries: [[]] }] }), 'TypeError', 'checkIdempotency: options.examples[0]: deliveries[0] must be { event, acceptAtMs, failures, duplicates }, got []'],
  ['checkIdempotency an example failure that is an array', check({ examples: [{ deliveries: [{ event: 1, acceptAtMs: 0, failures: [[]], duplicates: [] }] }] }), 'TypeError', `checkIdempotency: options.examples[0]: deliveries[0].failures has []: expected { attempt: 1 to 3, kind: 'error' | 'timeout', phase: 'before' | 'after' }`],
  ['checkIdempotency an example duplicate that is an array', check({ examples: [{ deliveries: [{ event: 1, acceptAtMs: 0, failures: [], duplicates: [[]] }] }] }), 'TypeError', `checkIdempotency: options.examples[0]: deliveries[0].duplicates has []: expected { when: 'after-success' | 'now', delayMs: 0 to 21600000 }`],
  ['failurePlan with options that are an array', () => testing.failurePlan(o([])), 'TypeError', 'failurePlan: options must be an object, got []'],
  ['duplicateDeliveries with options that are a function', () => testing.duplicateDeliveries(o(() => 1)), 'TypeError', 'duplicateDeliveries: options must be an object, got a function'],
  ['eventDelivery with options that are an array', () => testing.eventDelivery(fcEvent, o([])), 'TypeError', 'eventDelivery: options must be an object, got []'],
  ['deliverySchedule with options that are an array', () => testing.deliverySchedule(fcEvent, o([])), 'TypeError', 'deliverySchedule: options must be an object, got []'],
  ['events with options that are an array', () => testing.events(fcEvent, o([])), 'TypeError', 'events: options must be an object, got []'],
  ['expectAttempts with options that are an array', () => testing.expectAttempts([], 'r', o([])), 'TypeError', 'expectAttempts: options must be an object, got []'],
  ['describeSchedule of an array', () => testing.describeSchedule(o([])), 'TypeError', 'describeSchedule: expected { deliveries: [...] }, got []'],
  ['checkIdempotency with neither setup nor reset', check({ setup: undefined }), 'TypeError', 'checkIdempotency: give options.setup (a fresh store per run; handler is then (store) => handler) or options.reset (module-level state)'],
  ['checkIdempotency with a state that is not a function', check({ state: 'rows' }), 'TypeError', 'checkIdempotency: options.state must be a function returning the observable state'],
  ['checkIdempotency maximumRetryAttempts 3', check({ maximumRetryAttempts: 3 }), 'RangeError', 'checkIdempotency: options.maximumRetryAttempts must be an integer from 0 to 2, got 3'],
  ['checkIdempotency maximumRetryAttempts 3 with schedules given (no ValidationException from a run)', check({ maximumRetryAttempts: 3, schedules: testing.deliverySchedule(fcEvent) }), 'RangeError', 'checkIdempotency: options.maximumRetryAttempts must be an integer from 0 to 2, got 3'],
  ['checkIdempotency with an unknown option', check({ maxEvent: 3 }), 'TypeError', 'checkIdempotency: unknown option "maxEvent"; allowed: events, setup, state, reset, maxEvents'],
  ['checkIdempotency with both setup and reset', check({ reset: () => undefined }), 'TypeError', 'checkIdempotency: give options.setup (a fresh store per run) or options.reset (module-level state), not both'],
  ['checkIdempotency with a setup that is not a function', () => testing.checkIdempotency(o(handler), o({ ...base, setup: 5, reset: () => undefined })), 'TypeError', 'checkIdempotency: options.setup must be a function building a fresh store, got 5'],
  ['checkIdempotency events that is no arbitrary', check({ events: 5 }), 'TypeError', 'checkIdempotency: options.events must be a fast-check Arbitrary of one event (such as fc.record(...)), got 5'],
  ['checkIdempotency without events', check({ events: undefined }), 'TypeError', 'checkIdempotency: options.events must be a fast-check Arbitrary of one event (such as fc.record(...)), got undefined'],
  ['checkIdempotency events given as an array of events', check({ events: [1, 2] }), 'TypeError', 'options.events must be a fast-check Arbitrary of one event (such as fc.record(...)), got [1,2]'],
  ['checkIdempotency schedules that is no arbitrary', check({ schedules: [{ deliveries: [] }] }), 'TypeError', 'checkIdempotency: options.schedules must be a fast-check Arbitrary of delivery schedules (compose one from deliverySchedule), got [{"deliveries":[]}]'],
  ['checkIdempotency maxEvents 0', check({ maxEvents: 0 }), 'RangeError', 'checkIdempotency: options.maxEvents must be an integer >= 1, got 0'],
  ['checkIdempotency maxEvents fractional', check({ maxEvents: 1.5 }), 'TypeError', 'checkIdempotency: options.maxEvents must be an integer >= 1, got 1.5'],
  ['checkIdempotency maxEvents as a string', check({ maxEvents: '3' }), 'TypeError', 'checkIdempotency: options.maxEvents must be an integer >= 1, got "3"'],
  ['checkIdempotency maximumRetryAttempts -1', check({ maximumRetryAttempts: -1 }), 'RangeError', 'checkIdempotency: options.maximumRetryAttempts must be an integer from 0 to 2, got -1'],
  ['checkIdempotency timeout 0', check({ timeout: 0 }), 'RangeError', 'checkIdempotency: options.timeout must be an integer from 1 to 900 (seconds), got 0'],
  ['checkIdempotency timeout 901', check({ timeout: 901 }), 'RangeError', 'checkIdempotency: options.timeout must be an integer from 1 to 900 (seconds), got 901'],
  ['checkIdempotency timeout NaN', check({ timeout: NaN }), 'TypeError', 'checkIdempotency: options.timeout must be an integer from 1 to 900 (seconds), got NaN'],
  ['checkIdempotency numRuns 0 (would pass having checked nothing)', check({ numRuns: 0 }), 'RangeError', 'checkIdempotency: options.numRuns must be an integer >= 1, got 0'],
  ['checkIdempotency numRuns -1', check({ numRuns: -1 }), 'RangeError', 'checkIdempotency: options.numRuns must be an integer >= 1, got -1'],
  ['checkIdempotency numRuns fractional (fast-check never ends)', check({ numRuns: 1.5 }), 'TypeError', 'checkIdempotency: options.numRuns must be an integer >= 1, got 1.5'],
  ['checkIdempotency numRuns as a string', check({ numRuns: '5' }), 'TypeError', 'checkIdempotency: options.numRuns must be an integer >= 1, got "5"'],
  ['checkIdempotency seed as a string', check({ seed: 'x' }), 'TypeError', 'checkIdempotency: options.seed must be an integer from -2147483648 to 4294967295, got "x"'],
  ['checkIdempotency seed fractional', check({ seed: 1.5 }), 'TypeError', 'checkIdempotency: options.seed must be an integer from -2147483648 to 4294967295, got 1.5'],
  ['checkIdempotency seed NaN', check({ seed: NaN }), 'TypeError', 'checkIdempotency: options.seed must be an integer from -2147483648 to 4294967295, got NaN'],
  ['checkIdempotency seed above 2^32-1', check({ seed: 2 ** 32 }), 'RangeError', 'checkIdempotency: options.seed must be an integer from -2147483648 to 4294967295, got 4294967296'],
  ['checkIdempotency virtualGlobals "yes"', check({ virtualGlobals: 'yes' }), 'TypeError', 'checkIdempotency: options.virtualGlobals must be true or false, got "yes"'],
  ['checkIdempotency equals that is not a function', check({ equals: 5 }), 'TypeError', 'checkIdempotency: options.equals must be a function (actual, expected) => boolean, got 5'],
  ['checkIdempotency replay a string', check({ replay: '1:0' }), 'TypeError', 'checkIdempotency: options.replay must be the { seed, path } a failing check printed, got "1:0"'],
  ['checkIdempotency replay without a seed', check({ replay: { path: '0' } }), 'TypeError', 'checkIdempotency: options.replay.seed is missing (the seed a failing check printed), got {"path":"0"}'],
  ['checkIdempotency replay with a path that is not a string', check({ replay: { seed: 1, path: 5 } }), 'TypeError', 'checkIdempotency: options.replay.path must be the path a failing check printed, such as "0:1:3", got 5'],
  ['checkIdempotency replay with a malformed path', check({ replay: { seed: 1, path: 'a:b' } }), 'TypeError', 'checkIdempotency: options.replay.path must be the path a failing check printed, such as "0:1:3", got "a:b"'],
  ['checkIdempotency replay with an unknown key', check({ replay: { seed: 1, path: '0', shrink: true } }), 'TypeError', 'checkIdempotency: unknown option "replay.shrink"; allowed: replay.seed, replay.path'],
  ['checkIdempotency examples that is not an array', check({ examples: { deliveries: [] } }), 'TypeError', 'checkIdempotency: options.examples must be an array of delivery schedules, got {"deliveries":[]}'],
  ['checkIdempotency an example without deliveries', check({ examples: [{}] }), 'TypeError', 'checkIdempotency: options.examples[0]: expected { deliveries: [...] }, got {}'],
  ['checkIdempotency an example delivery without acceptAtMs', check({ examples: [{ deliveries: [{ event: 1, failures: [], duplicates: [] }] }] }), 'TypeError', 'checkIdempotency: options.examples[0]: deliveries[0].acceptAtMs must be an integer >= 0 (virtual ms after the start), got undefined'],
  ['checkIdempotency an example delivery without its event', check({ examples: [{ deliveries: [{ acceptAtMs: 0, failures: [], duplicates: [] }] }] }), 'TypeError', 'checkIdempotency: options.examples[0]: deliveries[0].event is missing'],
  ['checkIdempotency an example failure on attempt 4 with 2 retries', check({ examples: [{ deliveries: [{ event: 1, acceptAtMs: 0, failures: [{ attempt: 4, kind: 'error', phase: 'after' }], duplicates: [] }] }] }), 'TypeError', `checkIdempotency: options.examples[0]: deliveries[0].failures has {"attempt":4,"kind":"error","phase":"after"}: expected { attempt: 1 to 3, kind: 'error' | 'timeout', phase: 'before' | 'after' }`],
  ['checkIdempotency an example duplicate with a negative delay', check({ examples: [{ deliveries: [{ event: 1, acceptAtMs: 0, failures: [], duplicates: [{ when: 'now', delayMs: -1 }] }] }] }), 'TypeError', `checkIdempotency: options.examples[0]: deliveries[0].duplicates has {"when":"now","delayMs":-1}: expected { when: 'after-success' | 'now', delayMs: 0 to 21600000 }`],
  ['checkIdempotency an example with duplicates missing', check({ examples: [{ deliveries: [{ event: 1, acceptAtMs: 0, failures: [] }] }] }), 'TypeError', 'checkIdempotency: options.examples[0]: deliveries[0].duplicates must be an array, got undefined'],
  ['checkIdempotency fastCheck that is not an object', check({ fastCheck: 5 }), 'TypeError', 'checkIdempotency: options.fastCheck must be an object of fast-check parameters, got 5'],
  ['checkIdempotency fastCheck.numRuns (silently overridden before)', check({ fastCheck: { numRuns: 5 } }), 'TypeError', 'checkIdempotency: options.fastCheck.numRuns is set by checkIdempotency itself; use options.numRuns'],
  ['checkIdempotency fastCheck.path', check({ fastCheck: { path: '0' } }), 'TypeError', 'checkIdempotency: options.fastCheck.path is set by checkIdempotency itself; use options.replay'],
  ['failurePlan maximumRetryAttempts 3', () => testing.failurePlan({ maximumRetryAttempts: 3 }), 'RangeError', 'failurePlan: maximumRetryAttempts must be an integer from 0 to 2, got 3'],
  ['failurePlan maximumRetryAttempts fractional', () => testing.failurePlan({ maximumRetryAttempts: 0.5 }), 'RangeError', 'failurePlan: maximumRetryAttempts must be an integer from 0 to 2, got 0.5'],
  ['failurePlan with null options', () => testing.failurePlan(o(null)), 'TypeError', 'failurePlan: options must be an object, got null'],
  ['failurePlan with an unknown option', () => testing.failurePlan(o({ maxRetries: 1 })), 'TypeError', 'failurePlan: unknown option "maxRetries"; allowed: maximumRetryAttempts, kinds, phases'],
  ['failurePlan with no kinds', () => testing.failurePlan({ kinds: [] }), 'TypeError', "failurePlan: kinds must be a non-empty array of 'error', 'timeout', got []"],
  ['failurePlan with an unknown kind (silently generated before)', () => testing.failurePlan(o({ kinds: ['crash'] })), 'TypeError', `failurePlan: kinds must be a non-empty array of 'error', 'timeout', got ["crash"]`],
  ['failurePlan with no phases', () => testing.failurePlan({ phases: [] }), 'TypeError', "failurePlan: phases must be a non-empty array of 'before', 'after', got []"],
  ['failurePlan with phases as a string', () => testing.failurePlan(o({ phases: 'after' })), 'TypeError', `failurePlan: phases must be a non-empty array of 'before', 'after', got "after"`],
  ['duplicateDeliveries maxLength -1', () => testing.duplicateDeliveries({ maxLength: -1 }), 'RangeError', 'duplicateDeliveries: maxLength must be an integer >= 0, got -1'],
  ['duplicateDeliveries maxLength fractional', () => testing.duplicateDeliveries({ maxLength: 1.5 }), 'TypeError', 'duplicateDeliveries: maxLength must be an integer >= 0, got 1.5'],
  ['duplicateDeliveries with an unknown option', () => testing.duplicateDeliveries(o({ max: 1 })), 'TypeError', 'duplicateDeliveries: unknown option "max"; allowed: maxLength'],
  ['events of something that is no arbitrary', () => testing.events(o([1, 2])), 'TypeError', 'events: event must be a fast-check Arbitrary of one event, got [1,2]'],
  ['events with maxLength below minLength', () => testing.events(fcEvent, { minLength: 5, maxLength: 2 }), 'RangeError', 'events: maxLength must be an integer >= 5 (minLength), got 2'],
  ['events with a negative minLength', () => testing.events(fcEvent, { minLength: -1 }), 'RangeError', 'events: minLength must be an integer >= 0, got -1'],
  ['eventDelivery of something that is no arbitrary', () => testing.eventDelivery(o(5)), 'TypeError', 'eventDelivery: event must be a fast-check Arbitrary of one event, got 5'],
  ['eventDelivery with failures that is no arbitrary', () => testing.eventDelivery(fcEvent, o({ failures: [] })), 'TypeError', 'eventDelivery: options.failures must be a fast-check Arbitrary (failures), got []'],
  ['eventDelivery with an unknown option', () => testing.eventDelivery(fcEvent, o({ retries: 1 })), 'TypeError', 'eventDelivery: unknown option "retries"; allowed: maximumRetryAttempts, failures, duplicates, acceptAtMs'],
  ['deliverySchedule maxEvents 0', () => testing.deliverySchedule(fcEvent, { maxEvents: 0 }), 'RangeError', 'deliverySchedule: maxEvents must be an integer >= 1, got 0'],
  ['deliverySchedule maxEvents below minEvents', () => testing.deliverySchedule(fcEvent, { minEvents: 5, maxEvents: 2 }), 'RangeError', 'deliverySchedule: maxEvents must be an integer >= 5 (minEvents), got 2'],
  ['deliverySchedule minEvents fractional', () => testing.deliverySchedule(fcEvent, { minEvents: 0.5 }), 'TypeError', 'deliverySchedule: minEvents must be an integer >= 0, got 0.5'],
  ['deliverySchedule with an unknown option', () => testing.deliverySchedule(fcEvent, o({ maxEvent: 5 })), 'TypeError', 'deliverySchedule: unknown option "maxEvent"; allowed: minEvents, maxEvents'],
  ['deliverySchedule with acceptAtMs that is no arbitrary', () => testing.deliverySchedule(fcEvent, o({ acceptAtMs: 0 })), 'TypeError', 'deliverySchedule: options.acceptAtMs must be a fast-check Arbitrary (acceptAtMs), got 0'],
  ['describeSchedule of something that is no schedule', () => testing.describeSchedule(o({})), 'TypeError', 'describeSchedule: expected { deliveries: [...] }, got {}'],
  ['describeSchedule of a delivery without failures', () => testing.describeSchedule(o({ deliveries: [{ event: 1, acceptAtMs: 0 }] })), 'TypeError', 'describeSchedule: deliveries[0].failures must be an array, got undefined'],
  ['expectAttempts on a number', () => testing.expectAttempts(o(5), 'x'), 'TypeError', 'Expected a simulator, a timeline or an array of timeline entries, got 5'],
  ['expectEveryEventSettled on null', () => testing.expectEveryEventSettled(o(null)), 'TypeError', 'Expected a simulator, a timeline or an array of timeline entries, got null'],
  ['expectRecord on a string', () => testing.expectRecord(o('queue')), 'TypeError', 'Expected a queue, topic, event bus, bucket or an array of records, got "queue"'],
  ['expectAttempts with a request id that is not a string', () => testing.expectAttempts([], o(5)), 'TypeError', 'expectAttempts: requestId must be a request id string, got 5'],
  ['expectAttempts with an unknown option (ignored before)', () => testing.expectAttempts([], 'r', o({ duplicate: true })), 'TypeError', 'expectAttempts: unknown option "duplicate"; allowed: duplicates'],
  ['expectAttempts duplicates "yes" (read as false before)', () => testing.expectAttempts([], 'r', o({ duplicates: 'yes' })), 'TypeError', 'expectAttempts: options.duplicates must be true or false, got "yes"'],
  ['expectAttempts(...).count of a string', () => testing.expectAttempts(attemptEntries, 'r').count(o('1')), 'TypeError', 'expectAttempts(...).count: n must be an integer >= 0, got "1"'],
  ['expectOutcome with a request id that is not a string', () => testing.expectOutcome([], o(null)), 'TypeError', 'expectOutcome: requestId must be a request id string, got null'],
  ['expectOutcome(...).is with an unknown condition', () => testing.expectOutcome([], 'r').is(o('Sucess')), 'TypeError', 'expectOutcome(...).is: condition must be one of Success, RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency, RecursiveInvocationDropped, Dropped, got "Sucess"'],
  ['expectRecord(...).withCondition with an unknown filter key (matched any record before)', () => testing.expectRecord([]).withCondition('Success', o({ requestID: 'r' })), 'TypeError', 'expectRecord(...).withCondition: unknown option "requestID"; allowed: requestId, approximateInvokeCount'],
  ['expectRecord(...).withCondition with an unknown condition', () => testing.expectRecord([]).withCondition(o('Failure')), 'TypeError', 'expectRecord(...).withCondition: condition must be one of Success, RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency, RecursiveInvocationDropped, got "Failure"'],
  ['expectRecord(...).withCondition with a stream on-failure condition (an event source mapping record, not an async one)', () => testing.expectRecord([]).withCondition(o('RetryAttemptsExhausted')), 'TypeError', 'expectRecord(...).withCondition: "RetryAttemptsExhausted" is the condition of an event source mapping\'s on-failure record (KinesisBatchInfo, DDBStreamBatchInfo), which expectRecord does not check; it checks async invocation records (Success, RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency, RecursiveInvocationDropped). Read the mapping\'s record from its destination, e.g. queue.bodies'],
  ['expectRecord(...).withCondition with RecordAgeExceeded', () => testing.expectRecord([]).withCondition(o('RecordAgeExceeded')), 'TypeError', 'expectRecord(...).withCondition: "RecordAgeExceeded" is the condition of an event source mapping\'s on-failure record'],
  ['expectRecord(...).withCondition approximateInvokeCount -1 (0 is the count of a record where nothing ran)', () => testing.expectRecord([]).withCondition('Success', { approximateInvokeCount: -1 }), 'TypeError', 'expectRecord(...).withCondition: approximateInvokeCount must be an integer >= 0, got -1'],
  ['expectRecord(...).count -1', () => testing.expectRecord([]).count(-1), 'TypeError', 'expectRecord(...).count: n must be an integer >= 0, got -1'],
  ['deliverySchedule maximumRetryAttempts -1', () => testing.deliverySchedule(fcEvent, { maximumRetryAttempts: -1 }), 'RangeError', 'deliverySchedule: maximumRetryAttempts must be an integer from 0 to 2, got -1'],
]

describe('bad options get a clear error and change nothing', () => {
  it('the catalogue holds at least 80 distinct rules', () => {
    const labels = [...createEntries, ...simEntries, ...toolkitEntries].map(([label]) => label)
    expect(labels.length).toBeGreaterThanOrEqual(80)
    expect(new Set(labels).size).toBe(labels.length)
  })

  it.each(createEntries)('createSimulator: %s', async (_label, call, name, text) => {
    const error = await thrownBy(call)
    expect(error, 'the call must be refused').toBeInstanceOf(Error)
    expect((error as Error).name).toBe(name)
    expect((error as Error).message).toContain(text)
  })

  it('the snapshot and the twin check see each kind of change (a control for the catalogue)', async () => {
    const changes: ((s: Simulator, waiting: string) => unknown)[] = [
      (s) => s.faults.inject({ count: 1, functionName: 'f' }),
      (s, waiting) => s.deliverDuplicate(waiting, { when: 'now' }),
      (s, waiting) => s.deliverDuplicate(waiting),
      (s) => s.advanceBy(1),
      (s) => s.invoke('f', {}, 'DryRun'),
    ]
    for (const change of changes) {
      const { sim, waiting } = await setup()
      const twin = (await setup()).sim
      const before = snapshot(sim)
      await change(sim, waiting)
      const unchanged = snapshot(sim) === before && (await goOn(sim)) === (await goOn(twin))
      expect(unchanged, String(change)).toBe(false)
    }
  })

  it.each(simEntries)('on a simulator: %s', async (_label, call, name, text) => {
    const { sim } = await setup()
    const twin = (await setup()).sim
    const before = snapshot(sim)
    const error = await thrownBy(() => call(sim))
    expect(error, 'the call must be refused').toBeInstanceOf(Error)
    expect((error as Error).name).toBe(name)
    expect((error as Error).message).toContain(text)
    expect(snapshot(sim)).toBe(before)
    // It goes on exactly like a twin that never saw the call (no fault, duplicate or random draw left behind).
    expect(await goOn(sim)).toBe(await goOn(twin))
  })

  it.each(toolkitEntries)('lambda-sim/testing: %s', async (_label, call, name, text) => {
    const error = await thrownBy(call)
    expect(error, 'the call must be refused').toBeInstanceOf(Error)
    expect((error as Error).name).toBe(name)
    expect((error as Error).message).toContain(text)
  })
})
