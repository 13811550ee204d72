import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Handler } from 'aws-lambda'
import { checkIdempotency, deliverySchedule, describeSchedule, failurePlan, IdempotencyCheckError, type DeliverySchedule } from '../src/testing/index.js'

type Deposit = { account: 'a' | 'b' }
const deposits = fc.record({ account: fc.constantFrom<'a' | 'b'>('a', 'b') })

/** The classic bug: each delivery adds $10 to a balance that starts at $20. */
const addTen = (db: Map<string, number>): Handler<Deposit> => async (event) => {
  db.set(event.account, (db.get(event.account) ?? 20) + 10)
}
/** Idempotent: set the balance to $30. */
const setThirty = (db: Map<string, number>): Handler<Deposit> => async (event) => {
  db.set(event.account, 30)
}

const storeOptions = {
  events: deposits,
  setup: () => new Map<string, number>(),
  state: (db: Map<string, number>) => Object.fromEntries([...db].sort()),
}

async function failure(p: Promise<unknown>): Promise<IdempotencyCheckError> {
  try {
    await p
  } catch (error) {
    if (error instanceof IdempotencyCheckError) return error
    throw error
  }
  throw new Error('expected checkIdempotency to fail')
}

describe('checkIdempotency', () => {
  test('catches the classic non-idempotent handler (add $10 to a balance) and prints seed, path, schedule and both states', async () => {
    const error = await failure(checkIdempotency(addTen, { ...storeOptions, seed: 42 }))
    expect(error.message).toContain('the handler is not idempotent')
    expect(error.message).toContain(`replay: { seed: 42, path: ${JSON.stringify(error.path)} }`)
    expect(error.message).toContain('Delivery schedule:')
    expect(error.message).toContain('State after exactly-once delivery (expected):')
    expect(error.message).toContain('lambda-sim timeline:')
    expect(error.seed).toBe(42)
    expect(error.actual).not.toEqual(error.expected)
    // Shrunk to one event with one extra delivery: 40 instead of 30.
    const schedule = error.schedule as DeliverySchedule<Deposit>
    expect(schedule.deliveries).toHaveLength(1)
    expect(Object.values(error.expected as object)).toEqual([30])
    expect(Object.values(error.actual as object)).toEqual([40])
  })

  test('passes the idempotent handler (set the balance to $30)', async () => {
    const result = await checkIdempotency(setThirty, { ...storeOptions, seed: 7, numRuns: 60 })
    expect(result).toEqual({ numRuns: 60, seed: 7 })
  })

  test('a failure replays from the printed { seed, path } alone', async () => {
    const first = await failure(checkIdempotency(addTen, { ...storeOptions, seed: 1234 }))
    const replayed = await failure(checkIdempotency(addTen, { ...storeOptions, replay: { seed: first.seed, path: first.path } }))
    expect(replayed.schedule).toEqual(first.schedule)
    expect(replayed.actual).toEqual(first.actual)
  })

  test('the printed schedule passed back as examples reproduces the failure on the first run', async () => {
    const first = await failure(checkIdempotency(addTen, { ...storeOptions, seed: 99 }))
    const schedule = JSON.parse(/examples: \[(.*)\] \}\)$/m.exec(first.message)?.[1] ?? 'null') as DeliverySchedule<Deposit>
    expect(schedule).toEqual(first.schedule)
    const again = await failure(checkIdempotency(addTen, { ...storeOptions, examples: [schedule], numRuns: 1 }))
    expect(again.message).toContain('Counterexample after 1 run')
  })

  test('a retry after a failure that came after the side effect is enough to catch it (fail attempt 1 after the handler ran)', async () => {
    const schedules = deliverySchedule(deposits, { maxEvents: 1, duplicates: fc.constant([]), failures: fc.constant([{ attempt: 1, kind: 'error' as const, phase: 'after' as const }]) })
    const error = await failure(checkIdempotency(addTen, { ...storeOptions, schedules, numRuns: 5, seed: 3 }))
    expect(error.message).toContain('fail attempt 1 after the handler ran')
    expect(Object.values(error.actual as object)).toEqual([40])
  })

  test('a timeout on attempt 1 after the side effect is retried 60 s after the deadline, and caught', async () => {
    const schedules = deliverySchedule(deposits, { maxEvents: 1, duplicates: fc.constant([]), acceptAtMs: fc.constant(0), failures: fc.constant([{ attempt: 1, kind: 'timeout' as const, phase: 'after' as const }]) })
    const error = await failure(checkIdempotency(addTen, { ...storeOptions, schedules, numRuns: 1, seed: 3, timeout: 2 }))
    expect(error.message).toContain('time out on attempt 1 after the handler ran')
    expect(error.timeline).toContain('attempt 1 timed out after 2000ms: Sandbox.Timedout')
    expect(error.timeline).toContain('  +2s    attempt 1 timed out after 2000ms: Sandbox.Timedout: RequestId: ')
    expect(error.timeline).toContain('  +1m2s  attempt 2 started (cold start)')
  })

  test('failures injected before the handler runs are harmless even for the non-idempotent handler', async () => {
    const schedules = deliverySchedule(deposits, { duplicates: fc.constant([]), failures: failurePlan({ phases: ['before'] }) })
    await expect(checkIdempotency(addTen, { ...storeOptions, schedules, numRuns: 40, seed: 5 })).resolves.toEqual({ numRuns: 40, seed: 5 })
  })

  test('concurrent duplicates expose a read-modify-write race that sequential duplicates cannot', async () => {
    // "Idempotent" by a check-then-act on a processed set, with a read that takes virtual time: two
    // copies running at once both pass the check.
    type Ev = { id: string }
    const racy = (store: { seen: Set<string>; count: number; sleep: (ms: number) => Promise<void> }): Handler<Ev> => async (event) => {
      const done = store.seen.has(event.id)
      await store.sleep(5)
      if (done) return
      store.seen.add(event.id)
      store.count++
    }
    const base = {
      events: fc.record({ id: fc.constantFrom('p1', 'p2') }),
      setup: ({ sim }: { sim: { sleep(ms: number): Promise<void> } }) => ({ seen: new Set<string>(), count: 0, sleep: (ms: number) => sim.sleep(ms) }),
      state: (s: { count: number }) => s.count,
    }
    const sequential = deliverySchedule(base.events, { maxEvents: 1, failures: fc.constant([]), duplicates: fc.array(fc.record({ when: fc.constant('after-success' as const), delayMs: fc.nat(1000) }), { maxLength: 2 }) })
    await expect(checkIdempotency(racy, { ...base, schedules: sequential, numRuns: 30, seed: 1 })).resolves.toBeDefined()
    const concurrent = deliverySchedule(base.events, { maxEvents: 1, failures: fc.constant([]), duplicates: fc.array(fc.record({ when: fc.constant('now' as const), delayMs: fc.constant(0) }), { minLength: 1, maxLength: 1 }) })
    const error = await failure(checkIdempotency(racy, { ...base, schedules: concurrent, numRuns: 5, seed: 1 }))
    expect(error.message).toContain('a concurrent duplicate 0 ms after acceptance')
    expect(error.actual).toBe(2)
    expect(error.expected).toBe(1)
  })

  test('module-level state works with reset() instead of setup()', async () => {
    const balances = new Map<string, number>()
    const handler: Handler<Deposit> = async (event) => {
      balances.set(event.account, (balances.get(event.account) ?? 20) + 10)
    }
    const error = await failure(checkIdempotency(handler, { events: deposits, reset: () => balances.clear(), state: () => Object.fromEntries(balances), seed: 8 }))
    expect(error.message).toContain('not idempotent')
  })

  test('an interleaving can reorder a last-writer-wins handler: a late duplicate restores a stale value', async () => {
    type Set = { account: 'a'; balance: number }
    const lastWriterWins = (db: Map<string, number>): Handler<Set> => async (e) => {
      db.set(e.account, e.balance)
    }
    const error = await failure(
      checkIdempotency(lastWriterWins, { events: fc.record({ account: fc.constant('a' as const), balance: fc.constantFrom(10, 20) }), setup: () => new Map<string, number>(), state: (db) => db.get('a'), seed: 11 }),
    )
    expect(error.message).toContain('duplicate')
    expect((error.schedule as DeliverySchedule<Set>).deliveries).toHaveLength(2)
  })

  test('a retry that fails because of what an earlier attempt did is caught: the insert that throws on an existing key ends RetriesExhausted when delivered the way Lambda does it, though the states are equal', async () => {
    // Crash after the write: attempt 2 finds the row and throws (a conditional put), attempts 2 and 3
    // fail, and on Lambda the event goes to the on-failure destination or DLQ. The rows are the same
    // as after exactly-once delivery, so comparing states alone passed.
    const insert = (db: Set<string>): Handler<Deposit> => async (event) => {
      if (db.has(event.account)) throw new Error(`ConditionalCheckFailedException: ${event.account} exists`)
      db.add(event.account)
    }
    const error = (await checkIdempotency(insert, { events: deposits, setup: () => new Set<string>(), state: (db) => [...db].sort(), seed: 42 }).catch((e: unknown) => e)) as IdempotencyCheckError
    expect(error).toBeInstanceOf(IdempotencyCheckError)
    expect(error.message.split('\n').slice(0, 1)).toEqual([
      'checkIdempotency: event 1 ({"account":"a"}) ended RetriesExhausted when delivered the way Lambda does it (its last attempt failed with Error: ConditionalCheckFailedException: a exists), though it succeeds delivered exactly once: a retry failed because of what an earlier attempt did, and on Lambda the event would go to the on-failure destination or dead-letter queue.',
    ])
    expect(error.message).toContain('Delivery schedule:\n  event 1 accepted at +0 ms: {"account":"a"}\n    fail attempt 1 after the handler ran\n')
    expect(error.expected).toEqual(['a'])
    expect(error.actual).toEqual(['a'])
    // The idempotent version (an existing row is success) passes.
    const upsert = (db: Set<string>): Handler<Deposit> => async (event) => {
      db.add(event.account)
    }
    await expect(checkIdempotency(upsert, { events: deposits, setup: () => new Set<string>(), state: (db) => [...db].sort(), seed: 42 })).resolves.toEqual({ numRuns: 100, seed: 42 })
  })

  test('an event whose schedule injects a failure on its last attempt is expected to end RetriesExhausted: an idempotent handler still passes', async () => {
    // Generated plans never fail the last attempt; a hand-written schedule may. The event then fails
    // for good because of the injection, not because of what an earlier attempt did.
    const upsert = (db: Set<string>): Handler<Deposit> => async (event) => {
      db.add(event.account)
    }
    const lastAttemptFails: DeliverySchedule<Deposit> = {
      deliveries: [
        { event: { account: 'a' }, acceptAtMs: 0, failures: [{ attempt: 1, kind: 'error', phase: 'after' }, { attempt: 2, kind: 'error', phase: 'after' }, { attempt: 3, kind: 'error', phase: 'before' }], duplicates: [] },
        { event: { account: 'b' }, acceptAtMs: 0, failures: [], duplicates: [] },
      ],
    }
    await expect(checkIdempotency(upsert, { events: deposits, setup: () => new Set<string>(), state: (db) => [...db].sort(), examples: [lastAttemptFails], numRuns: 1, seed: 42 })).resolves.toEqual({ numRuns: 1, seed: 42 })
  })

  test('a handler that fails on every exactly-once delivery does not pass vacuously: the check fails with the count and the first error', async () => {
    // A setup bug (the store lacks the method the handler calls) makes every delivery throw before any
    // side effect, so both states are equal and 100 runs "pass" while checking nothing.
    const broken = (db: { put?: (k: string) => void }): Handler<Deposit> => async (event) => {
      ;(db.put as (k: string) => void)(event.account)
    }
    const error = (await checkIdempotency(broken, { events: deposits, setup: () => ({}), state: () => 'unchanged', numRuns: 5, seed: 42 }).catch((e: unknown) => e)) as IdempotencyCheckError
    expect(error).toBeInstanceOf(IdempotencyCheckError)
    expect(error.seed).toBe(42)
    expect(error.message).toBe(
      'checkIdempotency: the handler failed on every exactly-once delivery (9 of 9, in 5 runs), so the check compared the states of failed deliveries and proves nothing. The first: event {"account":"b"} -> TypeError: db.put is not a function. Fix the handler or its setup; a handler that fails for some events is fine as long as others succeed.',
    )
    // One success among the deliveries is enough to make the comparison meaningful (a handler that
    // refuses some events for good is fine).
    const mostlyBroken = (): Handler<Deposit> => async (event) => {
      if (event.account === 'b') throw new Error('invalid order')
    }
    await expect(checkIdempotency(mostlyBroken, { events: deposits, setup: () => ({}), state: () => 'unchanged', numRuns: 5, seed: 42 })).resolves.toEqual({ numRuns: 5, seed: 42 })
  })

  test('an error thrown by state (or setup) is an IdempotencyCheckError naming where it can come from, with the replay line and the schedule, and the error as its cause', async () => {
    const broken = new Error('state broke')
    const error = (await checkIdempotency(setThirty, { ...storeOptions, state: () => { throw broken }, numRuns: 5, seed: 42 }).catch((e: unknown) => e)) as IdempotencyCheckError
    expect(error).toBeInstanceOf(IdempotencyCheckError)
    expect(error.cause).toBe(broken)
    expect(error.message.split('\n').slice(0, 4)).toEqual([
      "checkIdempotency: the check threw outside the handler's deliveries: Error: state broke (thrown by options.state, setup, reset or equals, the handler factory, or lambda-sim; see its cause).",
      '',
      'Counterexample after 1 run and 4 shrinks: seed 42, path "0:0:0:0:0"',
      'Replay it:  checkIdempotency(handler, { ...options, replay: { seed: 42, path: "0:0:0:0:0" } })',
    ])
    expect(error.message).toContain('Delivery schedule:\n  event 1 accepted at +0 ms: {"account":')
  })

  test('describeSchedule prints one event per line with its failures and duplicates', () => {
    const text = describeSchedule({
      deliveries: [
        { event: { account: 'a' }, acceptAtMs: 0, failures: [{ attempt: 1, kind: 'error', phase: 'after' }, { attempt: 2, kind: 'timeout', phase: 'before' }], duplicates: [{ when: 'after-success', delayMs: 1000 }] },
        { event: { account: 'b' }, acceptAtMs: 30000, failures: [], duplicates: [] },
      ],
    })
    expect(text).toBe(
      [
        '  event 1 accepted at +0 ms: {"account":"a"}',
        '    fail attempt 1 after the handler ran',
        '    time out on attempt 2 before the handler runs',
        '    a duplicate 1000 ms after its success',
        '  event 2 accepted at +30000 ms: {"account":"b"}',
      ].join('\n'),
    )
  })

  test('bad options name what is missing', async () => {
    await expect(checkIdempotency(setThirty as never, { events: deposits, state: () => 1 } as never)).rejects.toThrow('give options.setup')
    await expect(checkIdempotency(42 as never, storeOptions)).rejects.toThrow('handler must be a function, got number')
  })
})
