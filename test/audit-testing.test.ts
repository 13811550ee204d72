import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createSimulator, SimulatorError, type Simulator } from '../src/index.js'
import {
  checkIdempotency,
  deliverySchedule,
  describeSchedule,
  duplicateDeliveries,
  eventDelivery,
  events,
  expectAttempts,
  expectEveryEventSettled,
  expectOutcome,
  expectRecord,
  failurePlan,
  IdempotencyCheckError,
  LambdaSimAssertionError,
  type DeliverySchedule,
} from '../src/testing/index.js'

/**
 * Audit of lambda-sim/testing as a team adopting it would use it: every documented function, option
 * and example of the README's testing entry and docs/testing.md, checked against what it does.
 */

const start = Date.parse('2026-01-01T00:00:00.000Z')
let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
  vi.useRealTimers()
})

/** The docs/testing.md timeline-picture program: one event that fails three times, one that succeeds and is duplicated 5 s later. */
async function payStory(seed = 1): Promise<{ sim: Simulator; failed: string; ok: string; failures: ReturnType<Simulator['createQueue']> }> {
  const sim = createSimulator({ seed })
  sim.createFunction('pay', async (e: { fail?: boolean }) => {
    await sim.sleep(12)
    if (e.fail === true) throw new Error('card declined')
    return 'ok'
  })
  const failures = sim.createQueue('failures')
  sim.putFunctionEventInvokeConfig({ functionName: 'pay', destinationConfig: { onFailure: { destination: failures } } })
  const failed = (await sim.invoke('pay', { fail: true }, 'Event')).requestId
  const ok = (await sim.invoke('pay', {}, 'Event')).requestId
  sim.deliverDuplicate(ok, { delayMs: 5_000 })
  await sim.runUntilIdle()
  return { sim, failed, ok, failures }
}

function thrown(f: () => unknown): Error {
  try {
    f()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('assertions: a failure says what was expected, what happened, and at what virtual time', () => {
  test('expectAttempts(...).at names the expected and the actual start offsets from acceptance', async () => {
    const { sim, failed } = await payStory()
    expectAttempts(sim, failed).at([0, 60_012, 180_024]).count(3).outcomes(['error', 'error', 'error'])
    const e = thrown(() => expectAttempts(sim, failed).at([0, 60_000]))
    expect(e).toBeInstanceOf(LambdaSimAssertionError)
    expect(e.name).toBe('AssertionError')
    expect(e.message).toBe(`Expected the attempts of request ${failed} at +0ms, +1m0s after acceptance; they started at +0ms, +1m0.012s, +3m0.024s`)
  })

  test('expectAttempts(...).count names when the attempts started', async () => {
    const { sim, failed } = await payStory()
    expect(thrown(() => expectAttempts(sim, failed).count(2)).message).toBe(`Expected 2 attempts of request ${failed}; there were 3 (started at +0ms, +1m0.012s, +3m0.024s after acceptance)`)
  })

  test('expectAttempts(...).outcomes names when each attempt ended', async () => {
    const { sim, failed } = await payStory()
    expect(thrown(() => expectAttempts(sim, failed).outcomes(['error', 'success'])).message).toBe(
      `Expected the attempts of request ${failed} to end ["error","success"]; they ended ["error","error","error"] (at +12ms, +1m0.024s, +3m0.036s after acceptance)`,
    )
  })

  test('expectOutcome(...).is names the virtual time of the outcome it found, and the attempts it took', async () => {
    const { sim, failed, ok } = await payStory()
    expect(expectOutcome(sim, failed).is('RetriesExhausted').time).toBe(start + 180_036)
    expect(thrown(() => expectOutcome(sim, failed).is('Success')).message).toBe(`Expected request ${failed} to end with Success; it ended with RetriesExhausted at +3m0.036s after acceptance, after 3 attempts`)
    expect(thrown(() => expectOutcome(sim, ok).is('RetriesExhausted')).message).toBe(`Expected request ${ok} to end with RetriesExhausted; it ended with Success at +12ms after acceptance, after 1 attempt`)
  })

  test('expectOutcome on a Dropped event keeps the drop reason after the time', async () => {
    const sim = createSimulator({ drops: { whenQueueDepthExceeds: 1 } })
    sim.createFunction('f', async () => sim.sleep(10))
    await sim.invoke('f', {}, 'Event')
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(thrown(() => expectOutcome(sim, requestId).is('Success')).message).toBe(
      `Expected request ${requestId} to end with Success; it ended with Dropped at +0ms after acceptance, after 0 attempts (Queue depth 2 exceeded drops.whenQueueDepthExceeds (1): the function could not keep up)`,
    )
  })

  test('expectOutcome and expectEveryEventSettled name each terminal outcome with its time when there are several', () => {
    const entries = [
      { type: 'accepted', time: start, requestId: 'r1', functionName: 'f', invocationType: 'Event', version: '$LATEST' },
      { type: 'terminal', time: start + 12, requestId: 'r1', functionName: 'f', condition: 'Success', approximateInvokeCount: 1 },
      { type: 'terminal', time: start + 5_024, requestId: 'r1', functionName: 'f', condition: 'Success', approximateInvokeCount: 2 },
    ] as unknown as Simulator['timeline']['entries']
    expect(thrown(() => expectOutcome(entries, 'r1').is('Success')).message).toBe('Expected request r1 to end once with Success; it has 2 terminal outcomes (Success at +12ms, Success at +5.024s after acceptance)')
    expect(thrown(() => expectEveryEventSettled(entries)).message).toBe('Expected every accepted event to end exactly once; r1 has 2 terminal outcomes (Success at +12ms, Success at +5.024s after acceptance)')
  })

  test('expectRecord names the virtual time of each record it holds', async () => {
    const { failures, failed } = await payStory()
    expectRecord(failures).count(1).withCondition('RetriesExhausted', { requestId: failed, approximateInvokeCount: 3 })
    expect(thrown(() => expectRecord(failures).withCondition('Success')).message).toBe(`Expected one record with condition Success; found 0: it holds RetriesExhausted (${failed}, count 3, at 2026-01-01T00:03:00.036Z)`)
  })

  test('includingDuplicates() counts the duplicate, and a check without it says one was left out and when', async () => {
    const { sim, ok } = await payStory()
    expectAttempts(sim, ok).count(1).at([0]).includingDuplicates().count(2).at([0, 5_012]).outcomes(['success', 'success'])
    expect(thrown(() => expectAttempts(sim, ok).count(2)).message).toBe(
      `Expected 2 attempts of request ${ok}; there was 1 (started at +0ms after acceptance); 1 duplicate attempt (at +5.012s) left out: use includingDuplicates() to count it`,
    )
  })
})

describe('assertions read the timeline when they check, not when they were made', () => {
  test('an expectation made right after the invoke sees the attempts and outcome that came after (it said "the event has not ended yet" after runUntilIdle)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw new Error('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    const attempts = expectAttempts(sim, requestId)
    const outcome = expectOutcome(sim.timeline, requestId)
    await sim.runUntilIdle()
    attempts.count(3).at([0, 60_000, 180_000]).outcomes(['error', 'error', 'error'])
    expect(outcome.is('RetriesExhausted').approximateInvokeCount).toBe(3)
  })

  test('expectRecord made before the records arrived sees them', async () => {
    const sim = createSimulator()
    const failures = sim.createQueue('failures')
    sim.createFunction('f', async () => {
      throw new Error('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: failures } } })
    const records = expectRecord(failures)
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    records.count(1).withCondition('RetriesExhausted', { requestId, approximateInvokeCount: 1 })
  })
})

describe('assertion errors carry expected and actual, so vitest and jest show a diff', () => {
  test('at, count, outcomes, is and expectRecord count set expected / actual on the error', async () => {
    const { sim, failed, failures } = await payStory()
    expect(thrown(() => expectAttempts(sim, failed).at([0, 60_000]))).toMatchObject({ expected: [0, 60_000], actual: [0, 60_012, 180_024] })
    expect(thrown(() => expectAttempts(sim, failed).count(2))).toMatchObject({ expected: 2, actual: 3 })
    expect(thrown(() => expectAttempts(sim, failed).outcomes(['error']))).toMatchObject({ expected: ['error'], actual: ['error', 'error', 'error'] })
    expect(thrown(() => expectOutcome(sim, failed).is('Success'))).toMatchObject({ expected: 'Success', actual: 'RetriesExhausted' })
    expect(thrown(() => expectRecord(failures).count(0))).toMatchObject({ expected: 0, actual: 1 })
  })
})

describe('assertions: misuse is a TypeError naming the argument, never a pass or a misleading failure', () => {
  test('outcomes() with an unknown outcome (a typo) is a TypeError, not a failure that reads like the handler misbehaved', async () => {
    const { sim, failed } = await payStory()
    expect(() => expectAttempts(sim, failed).outcomes(['eror', 'error', 'error'] as never)).toThrow(
      new TypeError(`expectAttempts(...).outcomes: outcomes must be an array of 'success', 'error', 'timeout', got ["eror","error","error"]`),
    )
    expect(() => expectAttempts(sim, failed).outcomes('error' as never)).toThrow(new TypeError(`expectAttempts(...).outcomes: outcomes must be an array of 'success', 'error', 'timeout', got "error"`))
  })

  test('at() with something other than an array of offsets is a TypeError naming it (it was "offsets.map is not a function")', async () => {
    const { sim, failed } = await payStory()
    expect(() => expectAttempts(sim, failed).at('0' as never)).toThrow(new TypeError('expectAttempts(...).at: offsetsMs must be an array of integers >= 0 (ms after acceptance), got "0"'))
    expect(() => expectAttempts(sim, failed).at([0, '60000'] as never)).toThrow(new TypeError('expectAttempts(...).at: offsetsMs must be an array of integers >= 0 (ms after acceptance), got [0,"60000"]'))
  })

  test('with recordTimeline: false the timeline assertions refuse to run instead of passing on an empty timeline (expectEveryEventSettled passed)', async () => {
    const sim = createSimulator({ recordTimeline: false })
    sim.createFunction('f', async () => {
      throw new Error('x')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    const why = 'the simulator was created with recordTimeline: false, so its timeline is empty and there is nothing to check; leave recordTimeline on (the default) to use the assertions'
    expect(() => expectEveryEventSettled(sim)).toThrow(new TypeError(`expectEveryEventSettled: ${why}`))
    expect(() => expectEveryEventSettled(sim.timeline)).toThrow(new TypeError(`expectEveryEventSettled: ${why}`))
    expect(() => expectAttempts(sim, requestId)).toThrow(new TypeError(`expectAttempts: ${why}`))
    expect(() => expectOutcome(sim, requestId)).toThrow(new TypeError(`expectOutcome: ${why}`))
    // An explicit array of entries (collected with sim.on) is still accepted.
    const seen: Simulator['timeline']['entries'] = []
    const sim2 = createSimulator({ recordTimeline: false })
    sim2.on('invocation', (e) => void seen.push(e))
    sim2.createFunction('f', async () => 'ok')
    const r = await sim2.invoke('f', {}, 'Event')
    await sim2.runUntilIdle()
    expectOutcome(seen, r.requestId).is('Success')
    expectEveryEventSettled(seen)
  })
})

describe('arbitraries: documented options work, bad ones are refused by name before fast-check', () => {
  test('events(ev, { minLength }) above the default maxLength 4 draws that many (fast-check threw "fc.integer maximum value should be equal or greater than the minimum one")', () => {
    const lengths = fc.sample(events(fc.nat(), { minLength: 6 }), { numRuns: 50, seed: 1 }).map((a) => a.length)
    expect(Math.min(...lengths)).toBe(6)
    expect(Math.max(...lengths)).toBe(6)
    const schedules = fc.sample(deliverySchedule(fc.nat(), { minEvents: 5 }), { numRuns: 50, seed: 1 }).map((s) => s.deliveries.length)
    expect(Math.min(...schedules)).toBe(5)
    expect(Math.max(...schedules)).toBe(5)
    expect(() => events(fc.nat(), { minLength: 6, maxLength: 5 })).toThrow(new RangeError('events: maxLength must be an integer >= 6 (minLength), got 5'))
  })

  test('eventDelivery and deliverySchedule check maximumRetryAttempts under their own name, also when failures replaces the plan', () => {
    expect(() => eventDelivery(fc.nat(), { maximumRetryAttempts: 7 })).toThrow(new RangeError('eventDelivery: maximumRetryAttempts must be an integer from 0 to 2, got 7'))
    expect(() => eventDelivery(fc.nat(), { maximumRetryAttempts: 7, failures: fc.constant([]) })).toThrow(new RangeError('eventDelivery: maximumRetryAttempts must be an integer from 0 to 2, got 7'))
    expect(() => deliverySchedule(fc.nat(), { maximumRetryAttempts: 3 })).toThrow(new RangeError('deliverySchedule: maximumRetryAttempts must be an integer from 0 to 2, got 3'))
    expect(() => failurePlan({ maximumRetryAttempts: '1' as never })).toThrow(new TypeError('failurePlan: maximumRetryAttempts must be an integer from 0 to 2, got "1"'))
  })

  test('failurePlan never fails the last allowed attempt and honours kinds and phases', () => {
    for (const retries of [0, 1, 2]) {
      for (const plan of fc.sample(failurePlan({ maximumRetryAttempts: retries, kinds: ['timeout'], phases: ['before'] }), { numRuns: 200, seed: 3 })) {
        for (const f of plan) {
          expect(f.attempt).toBeLessThanOrEqual(retries)
          expect(f).toMatchObject({ kind: 'timeout', phase: 'before' })
        }
      }
    }
    expect(fc.sample(duplicateDeliveries({ maxLength: 0 }), { numRuns: 20, seed: 1 }).every((d) => d.length === 0)).toBe(true)
  })
})

/** A team's own driver: deliver a schedule (duplicates only) to their simulator. */
async function drive<E>(sim: Simulator, fn: string, schedule: DeliverySchedule<E>): Promise<string[]> {
  const ids: string[] = []
  const t0 = sim.now()
  for (const d of [...schedule.deliveries].sort((a, b) => a.acceptAtMs - b.acceptAtMs)) {
    await sim.advanceTo(t0 + d.acceptAtMs)
    const { requestId } = await sim.invoke(fn, d.event, 'Event')
    ids.push(requestId)
    for (const dup of d.duplicates) sim.deliverDuplicate(requestId, dup)
  }
  await sim.runUntilIdle()
  return ids
}

describe('fast-check integration: own properties over the arbitraries', () => {
  test('a property that holds (every event settles once) runs 100 schedules in reasonable time', async () => {
    const began = performance.now()
    await fc.assert(
      fc.asyncProperty(deliverySchedule(fc.record({ n: fc.nat(9) }), { failures: fc.constant([]) }), async (schedule) => {
        const sim = createSimulator({ seed: 1 })
        sim.createFunction('f', async () => sim.sleep(5))
        await drive(sim, 'f', schedule)
        expectEveryEventSettled(sim)
      }),
      { seed: 7, numRuns: 100 },
    )
    expect(performance.now() - began).toBeLessThan(15_000)
  })

  test('a property that fails shrinks to one event with one duplicate and prints readably', async () => {
    const details = await fc.check(
      fc.asyncProperty(deliverySchedule(fc.record({ account: fc.constantFrom('a', 'b') }), { failures: fc.constant([]) }), async (schedule) => {
        const sim = createSimulator({ seed: 1 })
        const db = new Map<string, number>()
        sim.createFunction('deposit', async (e: { account: string }) => void db.set(e.account, (db.get(e.account) ?? 20) + 10))
        await drive(sim, 'deposit', schedule)
        return [...db.values()].every((v) => v === 30)
      }),
      { seed: 42, numRuns: 200 },
    )
    expect(details.failed).toBe(true)
    const schedule = details.counterexample?.[0] as DeliverySchedule<{ account: string }>
    expect(schedule).toEqual({ deliveries: [{ event: { account: 'a' }, acceptAtMs: 0, failures: [], duplicates: [{ when: 'after-success', delayMs: 0 }] }] })
    expect(describeSchedule(schedule)).toBe('  event 1 accepted at +0 ms: {"account":"a"}\n    a duplicate 0 ms after its success')
  })

  test('checkIdempotency: the README example fails with a replay line, and the replay reproduces the same counterexample', async () => {
    const deposit = (db: Map<string, number>) => async (e: { account: string }) => void db.set(e.account, (db.get(e.account) ?? 20) + 10)
    const options = { events: fc.record({ account: fc.constantFrom('a', 'b') }), setup: () => new Map<string, number>(), state: (db: Map<string, number>) => Object.fromEntries([...db].sort()), seed: 42 }
    const failure = async (p: Promise<unknown>): Promise<IdempotencyCheckError> => p.then(() => Promise.reject(new Error('expected a failure')), (e: unknown) => e as IdempotencyCheckError)
    const first = await failure(checkIdempotency(deposit, options))
    expect(first).toBeInstanceOf(IdempotencyCheckError)
    expect(first.name).toBe('IdempotencyCheckError')
    expect(first.message).toContain('Counterexample after 1 run and 5 shrinks: seed 42, path "0:0:0:1:1:1"')
    const again = await failure(checkIdempotency(deposit, { ...options, replay: { seed: first.seed, path: first.path } }))
    // The replay runs the counterexample at once (1 run, 0 shrinks); everything else is the same, byte for byte.
    expect(again.message).toBe(first.message.replace('after 1 run and 5 shrinks', 'after 1 run and 0 shrinks'))
    expect(again.timeline).toBe(first.timeline)
  })

  test('checkIdempotency: a counterexample with no retry and no duplicate says the events overlapped, not "retries, duplicates"', async () => {
    // A check-then-act race: fine one at a time, broken when two equal events run at once.
    type Store = { sim: Simulator; seen: Set<string>; charges: string[] }
    const charge = (store: Store) => async (e: { id: string }) => {
      if (store.seen.has(e.id)) return
      await store.sim.sleep(50)
      store.seen.add(e.id)
      store.charges.push(e.id)
    }
    const failure = await checkIdempotency(charge, { events: fc.record({ id: fc.constantFrom('o1', 'o2') }), setup: ({ sim }): Store => ({ sim, seen: new Set(), charges: [] }), state: (s) => [...s.charges].sort(), seed: 9 }).then(
      () => Promise.reject(new Error('expected a failure')),
      (e: unknown) => e as IdempotencyCheckError,
    )
    expect(failure.message.split('\n')[0]).toBe(
      'checkIdempotency: the state after delivery the way Lambda does it differs from the state after exactly-once delivery, with no retry or duplicate in this schedule: the events ran at the same time (Lambda runs events concurrently) and the exactly-once reference runs them one at a time, so the handler is not safe when events overlap (a lost update or a check-then-act race; to the handler, two events with the same content are a duplicate).',
    )
    expect(failure.schedule).toEqual({ deliveries: [{ event: { id: 'o2' }, acceptAtMs: 0, failures: [], duplicates: [] }, { event: { id: 'o2' }, acceptAtMs: 0, failures: [], duplicates: [] }] })
  })

  test('checkIdempotency: an event that is not JSON (a BigInt) gives the check failure with Lambda\'s error, not a bare "Do not know how to serialize a BigInt"', async () => {
    const failure = await checkIdempotency((db: Map<string, number>) => async () => void db.set('k', 1), { events: fc.record({ n: fc.bigInt() }), setup: () => new Map<string, number>(), state: (db) => [...db], seed: 1, numRuns: 5 }).then(
      () => Promise.reject(new Error('expected a failure')),
      (e: unknown) => e as Error,
    )
    expect(failure).toBeInstanceOf(IdempotencyCheckError)
    expect(failure.message).toContain("checkIdempotency: the check threw outside the handler's deliveries: InvalidRequestContentException: Could not parse request body into json: Do not know how to serialize a BigInt")
    expect(failure.message).toContain('  event 1 accepted at +0 ms: { n: 0n }')
  })

  test('checkIdempotency refuses maxEvents together with schedules, which replace the generated schedules (maxEvents was ignored)', async () => {
    const opts = { events: fc.nat(), setup: () => [] as number[], state: (s: number[]) => s, schedules: deliverySchedule(fc.nat(), { maxEvents: 1 }), maxEvents: 8 }
    // The types refuse it too (CheckEvents); the run-time check is for JavaScript callers.
    // @ts-expect-error maxEvents has no effect with schedules
    await expect(checkIdempotency((s: number[]) => async (e: number) => void s.push(e), opts)).rejects.toThrow(
      new TypeError('checkIdempotency: options.maxEvents has no effect with options.schedules (they replace the generated schedules); give maxEvents to deliverySchedule(event, { maxEvents }) instead'),
    )
  })
})

describe('checkIdempotency options types', () => {
  test('schedules replace events: a check given only schedules type-checks and runs (events was required by the types)', async () => {
    const result = await checkIdempotency((s: number[]) => async (e: number) => void s.push(e), {
      schedules: deliverySchedule(fc.nat({ max: 9 }), { maxEvents: 2, failures: fc.constant([]), duplicates: fc.constant([]) }),
      setup: () => [] as number[],
      state: (s: number[]) => [...s].sort(),
      numRuns: 5,
      seed: 1,
    })
    expect(result).toEqual({ numRuns: 5, seed: 1 })
  })
})

describe('checkIdempotency with virtualGlobals: true while virtual globals cannot be turned on', () => {
  const options = { events: fc.record({ account: fc.constantFrom('a', 'b') }), setup: () => new Map<string, number>(), state: (db: Map<string, number>) => Object.fromEntries([...db].sort()), seed: 1, numRuns: 3, virtualGlobals: true }
  const handler = (db: Map<string, number>) => async (e: { account: string }) => void db.set(e.account, 30)

  test('another simulator has them on: the SimulatorError InvalidUse before any run, not a shrunk "counterexample" with a replay line', async () => {
    restore = createSimulator().useVirtualGlobals()
    const e = await checkIdempotency(handler, options).then(() => Promise.reject(new Error('expected a refusal')), (x: unknown) => x as SimulatorError)
    expect(e).toBeInstanceOf(SimulatorError)
    expect(e.code).toBe('InvalidUse')
    expect(e.message).toBe('checkIdempotency: options.virtualGlobals: Virtual globals are already on for another simulator; call the restore function its useVirtualGlobals() returned first')
    restore()
    restore = undefined
    expect(await checkIdempotency(handler, options)).toEqual({ numRuns: 3, seed: 1 })
  })

  test('vi.useFakeTimers() owns Date: refused before any run with the way out', async () => {
    vi.useFakeTimers()
    await expect(checkIdempotency(handler, options)).rejects.toThrow(/^checkIdempotency: options\.virtualGlobals: useVirtualGlobals\(\): Date is already faked by another fake-timers clock/)
  })
})

describe('determinism: same seed, byte-identical timeline', () => {
  async function busy(seed: number): Promise<Simulator> {
    const sim = createSimulator({ seed, duplicates: { probability: 0.5, delayMs: 1_000 }, drops: { probability: 0.1 } })
    const dlq = sim.createQueue('dlq')
    let n = 0
    sim.createFunction(
      'f',
      async (e: { i: number }) => {
        await sim.sleep(10 + (e.i % 3))
        if (e.i % 4 === 0 && n++ % 2 === 0) throw new Error(`x${e.i}`)
        return e.i
      },
      { deadLetterConfig: { targetArn: dlq.arn } },
    )
    sim.putFunctionConcurrency('f', 2)
    sim.faults.inject({ functionName: 'f', count: 3 })
    for (let i = 0; i < 12; i++) await sim.invoke('f', { i }, 'Event')
    await sim.runUntilIdle()
    return sim
  }

  test('render(), render({ details: false }), toMermaid() and JSON of the entries are identical for one seed and differ for another', async () => {
    const [a, b, c] = [await busy(7), await busy(7), await busy(8)]
    expect(b.timeline.render()).toBe(a.timeline.render())
    expect(b.timeline.render({ details: false })).toBe(a.timeline.render({ details: false }))
    expect(b.timeline.toMermaid({ title: 't' })).toBe(a.timeline.toMermaid({ title: 't' }))
    expect(JSON.stringify(b.timeline.entries)).toBe(JSON.stringify(a.timeline.entries))
    expect(JSON.stringify(b.timeline)).toBe(JSON.stringify(a.timeline))
    expect(c.timeline.render()).not.toBe(a.timeline.render())
    // details: false leaves out the per-request words
    expect(a.timeline.render({ details: false })).not.toContain('accepted (Event, $LATEST)')
    expect(a.timeline.render()).toContain('accepted (Event, $LATEST)')
    expectEveryEventSettled(a)
  })

  test('the docs/testing.md picture, byte for byte (first lines)', async () => {
    const { sim } = await payStory()
    expect(sim.timeline.render().split('\n').slice(0, 5).join('\n')).toBe(
      [
        'lambda-sim timeline: 2 requests, offsets from 2026-01-01T00:00:00.000Z',
        '',
        'request       +0ms  +12ms             +5.012s  +5.024s  +1m0.012s  +1m0.024s  +3m0.024s  +3m0.036s',
        'pay 6cf764cf  > #1--x...................................#2---------x..........#3---------x =RetriesExhausted ->on-failure',
        'pay f747e6eb  > #1--ok =Success +dup  #2d------ok',
      ].join('\n'),
    )
  })
})

describe('fault injection leaves other events and functions unaffected', () => {
  test('count and window faults delay only their function; every event runs once and settles once', async () => {
    const sim = createSimulator({ seed: 2 })
    const ran: string[] = []
    sim.createFunction('f', async (e: { i: number }) => void ran.push(`f${e.i}`))
    sim.createFunction('g', async (e: { i: number }) => void ran.push(`g${e.i}`))
    sim.faults.inject({ functionName: 'f', count: 2 })
    sim.faults.inject({ functionName: 'g', from: start + 1_000, until: start + 3_000, kind: 'TooManyRequestsException' })
    for (let i = 0; i < 3; i++) await sim.invoke('f', { i }, 'Event')
    for (let i = 0; i < 3; i++) await sim.invoke('g', { i }, 'Event')
    const dup = (await sim.invoke('g', { i: 9 }, 'Event')).requestId
    sim.deliverDuplicate(dup, { delayMs: 1_500 })
    await sim.runUntilIdle()
    expect([...ran].sort()).toEqual(['f0', 'f1', 'f2', 'g0', 'g1', 'g2', 'g9', 'g9'])
    expectEveryEventSettled(sim)
    // Only f's first two attempts met the count fault; g's first attempts ran at 0, its duplicate waited out the window.
    expect(sim.timeline.ofType('throttled').map((t) => [t.functionName, t.reason])).toEqual([
      ['f', 'ServiceException'],
      ['f', 'ServiceException'],
      ['g', 'CallerRateLimitExceeded'],
      ['g', 'CallerRateLimitExceeded'],
    ])
    expectAttempts(sim, dup).includingDuplicates().count(2)
    expect(sim.timeline.ofType('attempt-started').filter((a) => a.functionName === 'g' && a.duplicate === true)[0]?.time).toBeGreaterThanOrEqual(start + 3_000)
    expect(sim.metrics.invocations).toBe(8)
    // a synchronous invoke meets a fault as a rejection; the next one runs
    sim.faults.inject({ functionName: 'f', count: 1 })
    await expect(sim.invoke('f', { i: 100 })).rejects.toMatchObject({ name: 'ServiceException', statusCode: 500 })
    expect((await sim.invoke('f', { i: 101 })).statusCode).toBe(200)
  })
})

describe('a confusing error met while adopting: queue.sendMessage given a string', () => {
  test('sendMessage("hello") names the input shape it wants (it said "Invalid message body …: expected a string" when given one)', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    expect(() => q.sendMessage('hello' as never)).toThrow(new SimulatorError('InvalidOption', 'Invalid sendMessage input for queue q: expected { body: string, … }, got "hello"'))
    expect(() => q.sendMessage({ messageBody: 'hello' } as never)).toThrow('Unknown option "messageBody" for sendMessage; allowed: body, messageAttributes, delaySeconds, messageGroupId, messageDeduplicationId')
    expect(() => q.sendMessage({ body: 7 } as never)).toThrow('Invalid message body for queue q: expected a string, got 7')
    expect(q.messages).toEqual([])
  })
})

describe('drops and duplicates options read alike', () => {
  test('drops: { probability: 0 } is accepted and drops nothing, as duplicates: { probability: 0 } is (it was refused with "give whenQueueDepthExceeds, probability, or both", probability given)', async () => {
    for (const p of [0, 0.5]) {
      const sim = createSimulator({ seed: 4, drops: { probability: p }, duplicates: { probability: p } })
      sim.createFunction('f', async () => 'ok')
      for (let i = 0; i < 20; i++) await sim.invoke('f', { i }, 'Event')
      await sim.runUntilIdle()
      const dropped = sim.timeline.ofType('terminal').filter((t) => t.condition === 'Dropped').length
      const duplicated = sim.timeline.ofType('duplicate').length
      if (p === 0) expect([dropped, duplicated]).toEqual([0, 0])
      else expect(dropped > 0 && duplicated > 0).toBe(true)
    }
    expect(() => createSimulator({ drops: {} })).toThrow('Invalid option drops: give whenQueueDepthExceeds, probability, or both')
  })
})

describe('fault injection: a property', () => {
  test('under any count/window faults on one function, every event of both functions runs once and settles once (nothing lost, none twice)', async () => {
    const fault = fc.record({ count: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), from: fc.integer({ min: 0, max: 5_000 }), len: fc.integer({ min: 1, max: 60_000 }), tmr: fc.boolean() })
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { maxLength: 3 }), fc.array(fc.record({ fn: fc.constantFrom('f', 'g'), at: fc.nat(10_000) }), { minLength: 1, maxLength: 8 }), async (faults, sends) => {
        const sim = createSimulator({ seed: 5 })
        const ran = new Map<string, number>()
        const body = async (e: { i: number }) => {
          ran.set(`${e.i}`, (ran.get(`${e.i}`) ?? 0) + 1)
          await sim.sleep(100)
        }
        sim.createFunction('f', body)
        sim.createFunction('g', body)
        for (const f of faults) sim.faults.inject({ functionName: 'f', ...(f.count !== undefined ? { count: f.count } : {}), from: start + f.from, until: start + f.from + f.len, kind: f.tmr ? 'TooManyRequestsException' : 'ServiceException' })
        const order = sends.map((x, i) => ({ ...x, i })).sort((a, b) => a.at - b.at)
        for (const x of order) {
          await sim.advanceTo(start + x.at)
          await sim.invoke(x.fn, { i: x.i }, 'Event')
        }
        await sim.runUntilIdle()
        expectEveryEventSettled(sim)
        expect(sim.timeline.ofType('terminal').every((t) => t.condition === 'Success')).toBe(true)
        expect([...ran.values()].every((n) => n === 1) && ran.size === sends.length).toBe(true)
        // g never met a fault
        expect(sim.timeline.ofType('throttled').every((t) => t.functionName === 'f')).toBe(true)
      }),
      { seed: 11, numRuns: 60 },
    )
  })
})

describe('strict mode: leftover work', () => {
  test('a forgotten await rejects the driving call with LeftoverWork naming the invocation; without strict it is a work-left-running entry', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    sim.createFunction('f', async () => {
      void sim.sleep(100)
      return 1
    })
    const e = await sim.invoke('f', {}).then(() => Promise.reject(new Error('expected LeftoverWork')), (x: unknown) => x as SimulatorError)
    expect(e).toBeInstanceOf(SimulatorError)
    expect(e.code).toBe('LeftoverWork')
    expect(e.message).toContain('handler returned before awaiting 1 pending task (virtual timer due in 100ms)')
    const loose = createSimulator()
    loose.createFunction('f', async () => {
      void loose.sleep(100)
      return 1
    })
    expect((await loose.invoke('f', {})).payload).toBe(1)
    expect(loose.timeline.ofType('work-left-running').map((w) => [w.functionName, w.pending, w.time])).toEqual([['f', 1, start]])
    expect(() => createSimulator({ strict: { leftoverwork: true } as never })).toThrow('Unknown option "leftoverwork" for strict; allowed: leftoverWork')
  })

  test('strict mode blames the invocation that left the work, not the next one that inherits it frozen (a clean handler failed with "handler returned before awaiting 1 pending task")', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async (e: { leak?: 'sleep' | 'interval' }) => {
      if (e.leak === 'sleep') void sim.sleep(10_000)
      if (e.leak === 'interval') setInterval(() => undefined, 1_000)
      return 1
    })
    for (const leak of ['sleep', 'interval'] as const) {
      const first = await sim.invoke('f', { leak }).then(() => Promise.reject(new Error('expected LeftoverWork')), (x: unknown) => x as SimulatorError)
      expect(first.code).toBe('LeftoverWork')
      // The next invocation in that environment awaits everything it starts: it passes, though the
      // inherited work is still pending (and frozen again) when it returns.
      expect((await sim.invoke('f', {})).payload).toBe(1)
      expect((await sim.invoke('f', {})).payload).toBe(1)
    }
    // The timeline still says what each return left frozen.
    expect(sim.timeline.ofType('work-left-running').length).toBeGreaterThanOrEqual(4)
  })

  test('with virtual globals a forgotten setTimeout or setInterval is leftover work', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    restore = sim.useVirtualGlobals()
    sim.createFunction('t', async () => void setTimeout(() => undefined, 500))
    sim.createFunction('i', async () => void setInterval(() => undefined, 500))
    await expect(sim.invoke('t', {})).rejects.toMatchObject({ code: 'LeftoverWork' })
    await expect(sim.invoke('i', {})).rejects.toMatchObject({ code: 'LeftoverWork' })
  })
})

describe('useVirtualGlobals: Date, setTimeout, setInterval, setImmediate, queueMicrotask, performance.now and their restore', () => {
  test('virtual in handler code as documented; performance.now and queueMicrotask stay real (a documented choice); restore puts every global back', async () => {
    const real = { Date, setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate, queueMicrotask, now: performance.now }
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    expect(Date.now()).toBe(start)
    const log: [string, number][] = []
    sim.createFunction(
      'f',
      async () => {
        const t0 = Date.now()
        const p0 = performance.now()
        await new Promise((r) => setTimeout(r, 5_000))
        log.push(['timeout', Date.now() - t0])
        log.push(['performance.now is real', performance.now() - p0 < 1_000 ? 1 : 0])
        let n = 0
        await new Promise<void>((r) => {
          const h = setInterval(() => {
            if (++n === 3) {
              clearInterval(h)
              r()
            }
          }, 1_000)
        })
        log.push(['interval x3', Date.now() - t0])
        await new Promise((r) => setImmediate(r))
        await new Promise<void>((r) => queueMicrotask(r))
        log.push(['immediate + microtask', Date.now() - t0])
        return new Date().toISOString()
      },
      { timeout: 10 },
    )
    const r = await sim.invoke('f', {})
    expect(r.payload).toBe('2026-01-01T00:00:08.000Z')
    expect(log).toEqual([['timeout', 5_000], ['performance.now is real', 1], ['interval x3', 8_000], ['immediate + microtask', 8_000]])
    restore()
    restore = undefined
    expect({ Date, setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate, queueMicrotask, now: performance.now }).toEqual(real)
    expect(new Date().getTime()).not.toBe(start + 8_000)
  })

  test('one simulator at a time; refused while vi.useFakeTimers() owns Date', () => {
    const a = createSimulator()
    const b = createSimulator()
    restore = a.useVirtualGlobals()
    expect(() => b.useVirtualGlobals()).toThrow('Virtual globals are already on for another simulator; call the restore function its useVirtualGlobals() returned first')
    restore()
    restore = undefined
    vi.useFakeTimers()
    expect(() => b.useVirtualGlobals()).toThrow(SimulatorError)
  })
})

describe('node:test: the same toolkit under node --test, against the built package', () => {
  const run = promisify(execFile)
  const root = resolve(import.meta.dirname, '..')
  test('virtual globals, strict mode, assertions and a deterministic timeline pass under node:test', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-sim-audit-testing-'))
    try {
      await run(process.execPath, [join(root, 'scripts/build.mjs'), '--out', join(dir, 'dist'), '--no-sourcemap', '--no-types'])
      cpSync(join(root, 'package.json'), join(dir, 'package.json'))
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
      mkdirSync(join(dir, 'test'))
      cpSync(join(root, 'test/node-test/audit-testing.node-test.mjs'), join(dir, 'test/audit-testing.node-test.mjs'))
      const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'test/audit-testing.node-test.mjs'], { cwd: dir })
      expect(stdout).toMatch(/# pass 3\n# fail 0/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
