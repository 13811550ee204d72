import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator, type SimEvent } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'
import { inFailureRange, kinesisFailureRanges, probeIdle } from './helpers/esm.js'

const escaped = collectEscapes()

/**
 * Concurrency (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html): an account
 * limit of 110 and three functions whose reserved concurrency is set (0–4) and removed at random
 * while bursts of up to 60 `Event` or `RequestResponse` invokes run handlers sleeping 0–5 virtual s.
 * Invariants, read from the timeline: no attempt starts while its function's running attempts have
 * reached its reservation in force, or, for an unreserved function, while the shared pool (the
 * account limit less all reservations) is full; every attempt finishes; every accepted event ends
 * once; nothing is pending; nothing escapes. Throttled sync invokes reject with an `…Exception`.
 */
type Op =
  | { op: 'reserve'; fn: number; value: number }
  | { op: 'unreserve'; fn: number }
  | { op: 'burst'; fn: number; n: number; type: 'Event' | 'RequestResponse' }
  | { op: 'advance'; ms: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('reserve' as const), fn: fc.nat(2), value: fc.nat(4) }),
  fc.record({ op: fc.constant('unreserve' as const), fn: fc.nat(2) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('burst' as const), fn: fc.nat(2), n: fc.integer({ min: 1, max: 60 }), type: fc.constantFrom('Event' as const, 'Event' as const, 'RequestResponse' as const) }) },
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 2_000, 30_000) }),
)

const ACCOUNT = 110

/**
 * Walk the timeline with the limit changes the program made, each placed where it was made (`at`: the
 * timeline's length then): `apply` sees each change before the first entry recorded after it, `visit`
 * each entry with the limits in force.
 */
function replay<C extends { at: number }>(entries: readonly SimEvent[], changes: readonly C[], apply: (change: C) => void, visit: (e: SimEvent) => void): void {
  let c = 0
  for (let k = 0; k < entries.length; k++) {
    while (c < changes.length && (changes[c] as C).at <= k) apply(changes[c++] as C)
    visit(entries[k] as SimEvent)
  }
}

async function execute(seed: number, ops: Op[], sleeps: number[]) {
  const sim = createSimulator({ seed, accountConcurrency: ACCOUNT })
  const names = ['a', 'b', 'c']
  for (let k = 0; k < 3; k++) {
    sim.createFunction(names[k] as string, async (e: { i: number }) => {
      await sim.sleep(sleeps[(e.i + k) % sleeps.length] as number)
      return e.i
    }, { timeout: 10 })
  }
  // Reservation changes, each with the timeline length when it was made (to order them among entries).
  const changes: { at: number; fn: string; value: number | undefined }[] = []
  let i = 0
  for (const op of ops) {
    const name = names[('fn' in op ? op.fn : 0) % 3] as string
    try {
      if (op.op === 'reserve') {
        sim.putFunctionConcurrency(name, op.value)
        changes.push({ at: sim.timeline.entries.length, fn: name, value: op.value })
      } else if (op.op === 'unreserve') {
        sim.deleteFunctionConcurrency(name)
        changes.push({ at: sim.timeline.entries.length, fn: name, value: undefined })
      } else if (op.op === 'burst') {
        const calls: Promise<unknown>[] = []
        for (let k = 0; k < op.n; k++) calls.push(sim.invoke(name, { i: i++ }, op.type).catch((error: unknown) => expect((error as Error).name).toMatch(/Exception$/)))
        await Promise.all(calls)
      } else await sim.advanceBy(op.ms)
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  await sim.runUntilIdle()
  await sim.advanceBy(7 * 3_600_000)
  return { sim, changes }
}

describe('fuzz: reserved and account concurrency', () => {
  let starts = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (concurrency): ${starts} attempt starts checked against the limits in force`)
  })

  it('no attempt starts beyond its reservation or the shared pool, with reservations changed mid-flight; every event ends once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.array(opArb, { minLength: 1, maxLength: 20 }), fc.array(fc.constantFrom(0, 100, 1_000, 5_000), { minLength: 1, maxLength: 4 }), async (seed, ops, sleeps) => {
        const { sim, changes } = await execute(seed, ops, sleeps)
        const reserved = new Map<string, number | undefined>()
        const running = new Map<string, number>()
        const entries = sim.timeline.entries
        replay(entries, changes, (ch) => reserved.set(ch.fn, ch.value), (e) => {
          if (e.type === 'attempt-started') {
            starts++
            const fn = e.functionName
            const r = reserved.get(fn)
            const mine = running.get(fn) ?? 0
            let reservedTotal = 0
            for (const v of reserved.values()) reservedTotal += v ?? 0
            let shared = 0
            for (const [f, n] of running) if (reserved.get(f) === undefined) shared += n
            if (r !== undefined) expect(mine, `${fn} at ${e.time}: ${mine} running, reserved ${r}`).toBeLessThan(r)
            else expect(shared, `${fn} at ${e.time}: ${shared} running in the shared pool of ${ACCOUNT - reservedTotal}`).toBeLessThan(ACCOUNT - reservedTotal)
            running.set(fn, mine + 1)
          } else if (e.type === 'attempt-finished') running.set(e.functionName, (running.get(e.functionName) ?? 0) - 1)
        })
        for (const n of running.values()) expect(n).toBe(0)
        const acc = new Set<string>()
        const terminals = new Map<string, number>()
        for (const e of entries) {
          if (e.type === 'accepted') acc.add(e.requestId)
          if (e.type === 'terminal') terminals.set(e.requestId, (terminals.get(e.requestId) ?? 0) + 1)
        }
        for (const id of acc) expect(terminals.get(id)).toBe(1)
        expect(sim.pending()).toEqual([])
        expect(escaped).toEqual([])
      }),
      { numRuns: 150 },
    )
  })
})

/**
 * The same for an SQS event source mapping (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html):
 * `scalingConfig.maximumConcurrency` (2–5, or none) and the function's reserved concurrency (0–3, or
 * none) are set and changed at random, and the mapping is pointed at another function and back,
 * while bursts of messages arrive and the handler sleeps 0–5 virtual s. Invariants, read from the
 * timeline: no invocation by the mapping starts while the mapping's running invocations have reached
 * the maximum concurrency in force, or the function's running invocations its reservation in force;
 * every message is processed or dead-lettered, never lost; at the end neither function is still
 * counted as running (one sync invoke fits a reservation of 1, a second is throttled); nothing is
 * pending; nothing escapes.
 */
type EsmOp =
  | { op: 'maximum'; value: number | undefined }
  | { op: 'retarget'; to: number }
  | { op: 'reserve'; value: number | undefined }
  | { op: 'send'; n: number }
  | { op: 'advance'; ms: number }

const esmOpArb: fc.Arbitrary<EsmOp> = fc.oneof(
  fc.record({ op: fc.constant('maximum' as const), value: fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }) }),
  fc.record({ op: fc.constant('retarget' as const), to: fc.nat(1) }),
  fc.record({ op: fc.constant('reserve' as const), value: fc.option(fc.nat(3), { nil: undefined }) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), n: fc.integer({ min: 1, max: 40 }) }) },
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 2_000, 30_000) }),
)

describe('fuzz: an SQS mapping under maximum and reserved concurrency', () => {
  let starts = 0
  let messages = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (SQS mapping concurrency): ${starts} invocation starts checked, ${messages} messages, 0 lost`)
  })

  it('no invocation starts beyond the maximum concurrency or the reservation in force; every message is processed or dead-lettered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1000),
        fc.constantFrom(1, 3),
        fc.array(esmOpArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom(0, 100, 1_000, 5_000), { minLength: 1, maxLength: 4 }),
        async (seed, batchSize, ops, sleeps) => {
          const sim = createSimulator({ seed })
          const dlq = sim.createQueue('dlq')
          const q = sim.createQueue('work', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1000 } })
          const processed = new Set<string>()
          let n = 0
          // The mapping may be pointed from one function to the other (UpdateEventSourceMapping FunctionName).
          for (const name of ['consumer', 'other']) {
            sim.createFunction(name, async (e: { Records?: { messageId: string }[] }) => {
              await sim.sleep(sleeps[n++ % sleeps.length] as number)
              for (const r of e.Records ?? []) processed.add(r.messageId)
            }, { timeout: 10 })
          }
          const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize })
          // Limit changes, each with the timeline length when it was made (to order them among entries).
          const changes: { at: number; kind: 'maximum' | 'reserve'; value: number | undefined }[] = []
          const sent: string[] = []
          for (const op of ops) {
            try {
              if (op.op === 'maximum') sim.updateEventSourceMapping({ uuid: m.uuid, scalingConfig: op.value === undefined ? {} : { maximumConcurrency: op.value } })
              else if (op.op === 'retarget') sim.updateEventSourceMapping({ uuid: m.uuid, functionName: ['consumer', 'other'][op.to] as string })
              else if (op.op === 'reserve') {
                if (op.value === undefined) sim.deleteFunctionConcurrency('consumer')
                else sim.putFunctionConcurrency('consumer', op.value)
              } else if (op.op === 'send') for (let k = 0; k < op.n; k++) sent.push(q.sendMessage({ body: String(k) }).messageId)
              else await sim.advanceBy(op.ms)
              if (op.op === 'maximum' || op.op === 'reserve') changes.push({ at: sim.timeline.entries.length, kind: op.op, value: op.value })
            } catch (error) {
              expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
            }
          }
          sim.deleteFunctionConcurrency('consumer')
          changes.push({ at: sim.timeline.entries.length, kind: 'reserve', value: undefined })
          await sim.runUntilIdle()
          await sim.advanceBy(3_600_000)
          await sim.runUntilIdle()

          const limits: { maximum: number | undefined; reserve: number | undefined } = { maximum: undefined, reserve: undefined }
          let running = 0
          let runningConsumer = 0
          replay(sim.timeline.entries, changes, (ch) => (limits[ch.kind] = ch.value), (e) => {
            if (!('functionName' in e) || (e.functionName !== 'consumer' && e.functionName !== 'other')) return
            if (e.type === 'attempt-started') {
              starts++
              if (limits.maximum !== undefined) expect(running, `at ${e.time}: ${running} running, maximum concurrency ${limits.maximum}`).toBeLessThan(limits.maximum)
              if (limits.reserve !== undefined && e.functionName === 'consumer') expect(runningConsumer, `at ${e.time}: ${runningConsumer} running, reserved ${limits.reserve}`).toBeLessThan(limits.reserve)
              running++
              if (e.functionName === 'consumer') runningConsumer++
            } else if (e.type === 'attempt-finished') {
              running--
              if (e.functionName === 'consumer') runningConsumer--
            }
          })
          expect(running).toBe(0)
          // Nothing is left counted as running: one sync invoke of each function fits a reservation of 1, a second does not.
          for (const name of ['consumer', 'other']) expect(await probeIdle(sim, name), name).toEqual([200, 'TooManyRequestsException'])
          messages += sent.length
          const dead = new Set(dlq.messages.map((x) => x.messageId))
          for (const id of sent) expect(processed.has(id) || dead.has(id), `message ${id} processed or dead-lettered`).toBe(true)
          expect(q.size).toBe(0)
          expect(sim.pending()).toEqual([])
          expect(escaped).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
  })
})

/**
 * And for a Kinesis stream mapping (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html,
 * "Polling and batching streams"): 1–3 shards, a parallelization factor (1–5) updated at random, the
 * function's reserved concurrency (0–3 or none) changed at random, records put in bursts over eight
 * partition keys, a handler that sleeps 0–5 virtual s and sometimes fails (one retry). Invariants,
 * read from the timeline (each `esm` `batch` entry names its request and records): no shard runs
 * more batches at once than the parallelization factor in force when each started; the function
 * never runs more than its reservation; two batches holding records of the same partition key never
 * run at the same time (per-key order); every record is processed or in an on-failure range (also
 * across a factor change, which deals the records still to process over new lanes); nothing is
 * pending; nothing escapes.
 */
type StreamConcurrencyOp =
  | { op: 'factor'; value: number }
  | { op: 'reserve'; value: number | undefined }
  | { op: 'put'; key: number; n: number }
  | { op: 'advance'; ms: number }

const streamConcurrencyOpArb: fc.Arbitrary<StreamConcurrencyOp> = fc.oneof(
  fc.record({ op: fc.constant('factor' as const), value: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('reserve' as const), value: fc.option(fc.nat(3), { nil: undefined }) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('put' as const), key: fc.nat(7), n: fc.integer({ min: 1, max: 12 }) }) },
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 2_000, 30_000) }),
)

describe('fuzz: a Kinesis mapping under parallelization factor and reserved concurrency', () => {
  let batches = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (stream mapping concurrency): ${batches} batches checked`)
  })

  it('no shard runs more batches than the parallelization factor, the function no more than its reservation, and one partition key never in two batches at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1000),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(streamConcurrencyOpArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom(0, 100, 1_000, 5_000), { minLength: 1, maxLength: 4 }),
        async (seed, shards, factor, ops, sleeps) => {
          const sim = createSimulator({ seed })
          const stream = sim.createStream('s', { shards })
          let n = 0
          const processed = new Set<string>()
          sim.createFunction('consumer', async (e: { Records: { kinesis: { sequenceNumber: string } }[] }) => {
            const k = n++
            await sim.sleep(sleeps[k % sleeps.length] as number)
            if (k % 7 === 3) throw new Error('fails now and then')
            for (const r of e.Records) processed.add(r.kinesis.sequenceNumber)
            return e.Records.length
          }, { timeout: 10 })
          const failures = sim.createQueue('failures')
          const m = sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', batchSize: 3, parallelizationFactor: factor, maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: failures.arn } } })
          const changes: { at: number; kind: 'factor' | 'reserve'; value: number | undefined }[] = [{ at: 0, kind: 'factor', value: factor }]
          const where = new Map<string, { shard: string; key: string }>()
          for (const op of ops) {
            try {
              if (op.op === 'factor') sim.updateEventSourceMapping({ uuid: m.uuid, parallelizationFactor: op.value })
              else if (op.op === 'reserve') {
                if (op.value === undefined) sim.deleteFunctionConcurrency('consumer')
                else sim.putFunctionConcurrency('consumer', op.value)
              } else if (op.op === 'put') {
                for (let k = 0; k < op.n; k++) {
                  const key = `k${op.key}`
                  const r = stream.putRecord({ partitionKey: key, data: String(k) })
                  where.set(r.sequenceNumber, { shard: r.shardId, key })
                }
              } else await sim.advanceBy(op.ms)
              if (op.op === 'factor' || op.op === 'reserve') changes.push({ at: sim.timeline.entries.length, kind: op.op, value: op.value })
            } catch (error) {
              expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
            }
          }
          sim.deleteFunctionConcurrency('consumer')
          changes.push({ at: sim.timeline.entries.length, kind: 'reserve', value: undefined })
          await sim.runUntilIdle()
          await sim.advanceBy(600_000)
          await sim.runUntilIdle()

          const limits: { factor: number | undefined; reserve: number | undefined } = { factor, reserve: undefined }
          const running = new Map<string, { shard: string; keys: Set<string>; factor: number }>()
          replay(sim.timeline.entries, changes, (ch) => (limits[ch.kind] = ch.value), (e) => {
            if (e.type === 'esm' && e.action === 'batch' && e.requestId !== undefined) {
              batches++
              const recs = (e.ids ?? []).map((id) => where.get(id) as { shard: string; key: string })
              const shard = (recs[0] as { shard: string }).shard
              const keys = new Set(recs.map((r) => r.key))
              const mine = [...running.values()]
              const onShard = mine.filter((b) => b.shard === shard).length
              // A factor lowered while batches run: the batches already running may exceed it; no new one starts beyond it.
              expect(onShard, `at ${e.time}: ${onShard} batches running on ${shard}, factor ${limits.factor}`).toBeLessThan(limits.factor as number)
              if (limits.reserve !== undefined) expect(mine.length, `at ${e.time}: ${mine.length} running, reserved ${limits.reserve}`).toBeLessThan(limits.reserve)
              for (const b of mine) for (const key of keys) expect(b.keys.has(key), `at ${e.time}: key ${key} in two running batches`).toBe(false)
              running.set(e.requestId, { shard, keys, factor: limits.factor as number })
            } else if (e.type === 'attempt-finished') running.delete(e.requestId)
          })
          expect(running.size).toBe(0)
          // Nothing lost across the lanes being dealt again: every record processed or in an on-failure range.
          const ranges = kinesisFailureRanges(failures)
          for (const [seq, w] of where) {
            const reported = inFailureRange(ranges, w.shard, seq)
            expect(processed.has(seq) || reported, `record ${seq} on ${w.shard} processed or reported`).toBe(true)
          }
          expect(sim.pending()).toEqual([])
          expect(escaped).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
  })
})
