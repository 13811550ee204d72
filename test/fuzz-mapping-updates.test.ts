import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator, type EventSourceMappingUpdate, type Simulator } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'
import { filteredIds, firstProcessingOrder, inFailureRange, increasing, kinesisFailureRanges } from './helpers/esm.js'

const escaped = collectEscapes()

/**
 * UpdateEventSourceMapping while work is in flight. Every setting AWS lets an update change is
 * changed at random between bursts of work, so that nothing read once (when the mapping first
 * started, or when a batch began) can go stale unnoticed: an updated parallelization factor that had
 * no effect and a batch that freed the wrong function were both of this kind.
 *
 * Invariants: every SQS message ends processed, dead-lettered or filtered out; on a FIFO queue no
 * message group is in two batches at once and each group is processed in send order; every stream record
 * is processed, inside an on-failure range or filtered out; records of one partition key are first
 * processed in sequence order; nothing is pending at the end; nothing escapes; same seed, same
 * timeline.
 */
type SqsUpdate = Omit<EventSourceMappingUpdate, 'uuid'>
type SqsOp = { op: 'update'; u: SqsUpdate } | { op: 'send'; n: number; v: number } | { op: 'mode'; mode: number } | { op: 'advance'; ms: number }

const FILTER = JSON.stringify({ body: [{ numeric: ['<', 90] }] })

const sqsUpdateArb: fc.Arbitrary<SqsUpdate> = fc.oneof(
  fc.record({ batchSize: fc.constantFrom(1, 3, 10) }),
  fc.record({ batchSize: fc.constantFrom(20, 50), maximumBatchingWindowInSeconds: fc.constantFrom(1, 5) }),
  fc.record({ maximumBatchingWindowInSeconds: fc.constantFrom(0, 2) }),
  fc.record({ functionResponseTypes: fc.constantFrom<('ReportBatchItemFailures')[][]>([], ['ReportBatchItemFailures']) }),
  fc.record({ filterCriteria: fc.boolean().map((on) => ({ filters: on ? [{ pattern: FILTER }] : [] })) }),
  fc.record({ scalingConfig: fc.constantFrom<{ maximumConcurrency?: number }>({}, { maximumConcurrency: 2 }, { maximumConcurrency: 10 }) }),
  fc.record({ enabled: fc.boolean() }),
  fc.record({ functionName: fc.constantFrom('a', 'b') }),
)
const sqsOpArb: fc.Arbitrary<SqsOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), u: sqsUpdateArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), n: fc.integer({ min: 1, max: 15 }), v: fc.nat(95) }) },
  fc.record({ op: fc.constant('mode' as const), mode: fc.nat(3) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 2_000, 20_000, 90_000) }) },
)

/** Let everything end: the mapping enabled (with `last` settings), the clock run an hour past idle. */
async function drain(sim: Simulator, uuid: string, last: Omit<EventSourceMappingUpdate, 'uuid'> = {}): Promise<void> {
  sim.updateEventSourceMapping({ uuid, enabled: true, ...last })
  await sim.runUntilIdle()
  await sim.advanceBy(3_600_000)
  await sim.runUntilIdle()
}

async function executeSqs(seed: number, ops: SqsOp[]) {
  const sim = createSimulator({ seed })
  const dlq = sim.createQueue('dlq')
  const q = sim.createQueue('work', { visibilityTimeout: 20, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } })
  let mode = 0
  let reporting = false
  const processed = new Set<string>()
  for (const name of ['a', 'b']) {
    sim.createFunction(
      name,
      async (e: { Records: { messageId: string; body: string }[] }) => {
        const failed = e.Records.filter((r) => (Number(r.body) + mode) % 5 === 0).map((r) => r.messageId)
        if (mode === 2) await sim.sleep(3_000)
        if (mode === 3 && e.Records.length > 4) throw new Error('big batches fail')
        for (const r of e.Records) if (!reporting || !failed.includes(r.messageId)) processed.add(r.messageId)
        return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) }
      },
      { timeout: 10 },
    )
  }
  const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'a', batchSize: 5 })
  const sent: string[] = []
  for (const op of ops) {
    try {
      if (op.op === 'update') {
        sim.updateEventSourceMapping({ uuid: m.uuid, ...op.u })
        if (op.u.functionResponseTypes !== undefined) reporting = op.u.functionResponseTypes.length > 0
      } else if (op.op === 'send') for (let i = 0; i < op.n; i++) sent.push(q.sendMessage({ body: String(op.v + i) }).messageId)
      else if (op.op === 'mode') mode = op.mode
      else await sim.advanceBy(op.ms)
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  await drain(sim, m.uuid)
  return { sim, q, sent, processed, dead: new Set(dlq.messages.map((x) => x.messageId)), filtered: filteredIds(sim), timeline: JSON.stringify(sim.timeline.entries) }
}

type StreamUpdate = Omit<EventSourceMappingUpdate, 'uuid'>
type StreamOp = { op: 'update'; u: StreamUpdate } | { op: 'put'; key: number; n: number; v: number } | { op: 'mode'; mode: number } | { op: 'advance'; ms: number }

const streamUpdateArb: fc.Arbitrary<StreamUpdate> = fc.oneof(
  fc.record({ batchSize: fc.constantFrom(1, 3, 100) }),
  fc.record({ maximumBatchingWindowInSeconds: fc.constantFrom(0, 2) }),
  fc.record({ parallelizationFactor: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ bisectBatchOnFunctionError: fc.boolean() }),
  fc.record({ maximumRetryAttempts: fc.constantFrom(-1, 0, 2) }),
  fc.record({ maximumRecordAgeInSeconds: fc.constantFrom(-1, 60, 600) }),
  fc.record({ functionResponseTypes: fc.constantFrom<('ReportBatchItemFailures')[][]>([], ['ReportBatchItemFailures']) }),
  fc.record({ filterCriteria: fc.boolean().map((on) => ({ filters: on ? [{ pattern: JSON.stringify({ data: [{ numeric: ['<', 90] }] }) }] : [] })) }),
  fc.record({ tumblingWindowInSeconds: fc.constantFrom(0, 30) }),
  fc.record({ enabled: fc.boolean() }),
  fc.record({ functionName: fc.constantFrom('a', 'b') }),
)
const streamOpArb: fc.Arbitrary<StreamOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), u: streamUpdateArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('put' as const), key: fc.nat(5), n: fc.integer({ min: 1, max: 8 }), v: fc.nat(95) }) },
  fc.record({ op: fc.constant('mode' as const), mode: fc.nat(3) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 2_000, 20_000, 90_000) }) },
)

interface KRecord {
  kinesis: { sequenceNumber: string; partitionKey: string; data: string }
}

async function executeStream(seed: number, shards: number, ops: StreamOp[]) {
  const sim = createSimulator({ seed })
  const stream = sim.createStream('s', { shards })
  const failures = sim.createQueue('failures')
  let mode = 0
  let reporting = false
  let windows = false
  const processed = new Set<string>()
  const order = new Map<string, bigint[]>()
  for (const name of ['a', 'b']) {
    sim.createFunction(
      name,
      async (e: { Records: KRecord[]; state?: unknown }) => {
        const failed: string[] = []
        for (const r of e.Records) if ((Number(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) + mode) % 7 === 0) failed.push(r.kinesis.sequenceNumber)
        if (mode === 2) await sim.sleep(3_000)
        if (failed.length > 0 && (!reporting || mode === 3)) throw new Error(`poison ${failed.length}`)
        const lowest = failed.length === 0 ? undefined : failed.map((x) => BigInt(x)).reduce((x, y) => (x < y ? x : y))
        for (const r of e.Records) {
          const seq = BigInt(r.kinesis.sequenceNumber)
          if (lowest !== undefined && seq >= lowest) continue
          processed.add(r.kinesis.sequenceNumber)
          const o = order.get(r.kinesis.partitionKey) ?? []
          o.push(seq)
          order.set(r.kinesis.partitionKey, o)
        }
        const response: Record<string, unknown> = { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) }
        if (windows) response['state'] = {}
        return response
      },
      { timeout: 10 },
    )
  }
  const m = sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'a', startingPosition: 'TRIM_HORIZON', batchSize: 10, destinationConfig: { onFailure: { destination: failures.arn } } })
  const put: { seq: string; shard: string }[] = []
  for (const op of ops) {
    try {
      if (op.op === 'update') {
        sim.updateEventSourceMapping({ uuid: m.uuid, ...op.u })
        if (op.u.functionResponseTypes !== undefined) reporting = op.u.functionResponseTypes.length > 0
        if (op.u.tumblingWindowInSeconds !== undefined) windows = op.u.tumblingWindowInSeconds > 0
      } else if (op.op === 'put') {
        for (let i = 0; i < op.n; i++) {
          const r = stream.putRecord({ partitionKey: `k${op.key}`, data: String(op.v + i) })
          put.push({ seq: r.sequenceNumber, shard: r.shardId })
        }
      } else if (op.op === 'mode') mode = op.mode
      else await sim.advanceBy(op.ms)
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  // Infinite retries (-1) would hold a poison record until it leaves the stream: end them so every record ends.
  await drain(sim, m.uuid, { maximumRetryAttempts: 1 })
  return { sim, put, processed, order, ranges: kinesisFailureRanges(failures), filtered: filteredIds(sim), timeline: JSON.stringify(sim.timeline.entries) }
}

type FifoUpdate = Omit<EventSourceMappingUpdate, 'uuid'>
type FifoOp = { op: 'update'; u: FifoUpdate } | { op: 'send'; group: number; n: number; fail: number } | { op: 'advance'; ms: number }

const fifoUpdateArb: fc.Arbitrary<FifoUpdate> = fc.oneof(
  fc.record({ batchSize: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ functionResponseTypes: fc.constantFrom<('ReportBatchItemFailures')[][]>([], ['ReportBatchItemFailures']) }),
  fc.record({ scalingConfig: fc.constantFrom<{ maximumConcurrency?: number }>({}, { maximumConcurrency: 2 }) }),
  fc.record({ enabled: fc.boolean() }),
  fc.record({ functionName: fc.constantFrom('a', 'b') }),
)
const fifoOpArb: fc.Arbitrary<FifoOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), u: fifoUpdateArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), group: fc.nat(2), n: fc.integer({ min: 1, max: 6 }), fail: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 5_000, 20_000) }) },
)

async function executeFifo(seed: number, ops: FifoOp[]) {
  const sim = createSimulator({ seed })
  const dlq = sim.createQueue('dead.fifo')
  const q = sim.createQueue('work.fifo', { contentBasedDeduplication: true, visibilityTimeout: 10, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } })
  let reporting = false
  // How many more times each message fails; the bodies of messages processed, in the order they were.
  const failuresLeft = new Map<string, number>()
  const processed: string[] = []
  for (const name of ['a', 'b']) {
    sim.createFunction(
      name,
      async (e: { Records: { messageId: string; body: string }[] }) => {
        await sim.sleep(1_000)
        const failed: string[] = []
        const done: string[] = []
        for (const r of e.Records) {
          const left = failuresLeft.get(r.body) ?? 0
          // As AWS asks for FIFO: after the first failure, report every later message of the batch too.
          if (failed.length > 0 || left > 0) {
            if (left > 0) failuresLeft.set(r.body, left - 1)
            failed.push(r.messageId)
          } else done.push(r.body)
        }
        if (failed.length > 0 && !reporting) throw new Error('batch failed')
        processed.push(...done)
        return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) }
      },
      { timeout: 10 },
    )
  }
  const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'a', batchSize: 3 })
  const sent: { id: string; body: string; group: string }[] = []
  for (const op of ops) {
    try {
      if (op.op === 'update') {
        sim.updateEventSourceMapping({ uuid: m.uuid, ...op.u })
        if (op.u.functionResponseTypes !== undefined) reporting = op.u.functionResponseTypes.length > 0
      } else if (op.op === 'send') {
        for (let i = 0; i < op.n; i++) {
          const body = `m${sent.length}`
          const group = `g${op.group}`
          failuresLeft.set(body, i === 0 ? op.fail : 0)
          sent.push({ id: q.sendMessage({ body, messageGroupId: group }).messageId, body, group })
        }
      } else await sim.advanceBy(op.ms)
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  await drain(sim, m.uuid)
  return { sim, q, sent, processed, dead: dlq.messages.map((x) => x.body), timeline: JSON.stringify(sim.timeline.entries) }
}

/** Every run ends the same way: nothing pending, nothing escaped, and the same program again gives the same timeline. */
async function expectCleanAndRepeatable(run: { sim: { pending(): string[] }; timeline: string }, again: () => Promise<{ timeline: string }>): Promise<void> {
  expect(run.sim.pending()).toEqual([])
  expect(escaped).toEqual([])
  expect((await again()).timeline).toBe(run.timeline)
}

describe('fuzz: event source mappings updated while work is in flight', () => {
  let updates = 0
  let messages = 0
  let records = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (mapping updates): ${updates} updates, ${messages} SQS messages and ${records} stream records, 0 lost`)
  })

  it('SQS: every message ends processed, dead-lettered or filtered out, whatever is updated meanwhile; nothing escapes; same seed, same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.array(sqsOpArb, { minLength: 1, maxLength: 30 }), async (seed, ops) => {
        const run = await executeSqs(seed, ops)
        updates += ops.filter((o) => o.op === 'update').length
        messages += run.sent.length
        for (const id of run.sent) {
          const ends = [run.processed.has(id), run.dead.has(id), run.filtered.has(id)].filter(Boolean).length
          expect(ends, `message ${id}: processed ${run.processed.has(id)}, dead-lettered ${run.dead.has(id)}, filtered ${run.filtered.has(id)}`).toBeGreaterThanOrEqual(1)
          expect(run.filtered.has(id) && (run.processed.has(id) || run.dead.has(id)), `message ${id} filtered out and also processed or dead-lettered`).toBe(false)
        }
        expect(run.q.size).toBe(0)
        await expectCleanAndRepeatable(run, () => executeSqs(seed, ops))
      }),
      { numRuns: 150 },
    )
  })

  it('FIFO: no message group in two batches at once, each group processed in send order, nothing lost, whatever is updated meanwhile', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.array(fifoOpArb, { minLength: 1, maxLength: 30 }), async (seed, ops) => {
        const run = await executeFifo(seed, ops)
        updates += ops.filter((o) => o.op === 'update').length
        messages += run.sent.length
        // Nothing lost: every message processed or dead-lettered, and the queue empty.
        const ended = new Set([...run.processed, ...run.dead])
        for (const m of run.sent) expect(ended.has(m.body), `${m.body} (${m.group}) processed or dead-lettered`).toBe(true)
        expect(run.q.size).toBe(0)
        // Group order: each group's processed messages in send order (first processing counts).
        for (const g of new Set(run.sent.map((m) => m.group))) {
          const order = run.sent.filter((m) => m.group === g).map((m) => m.body)
          const firsts = [...new Set(run.processed.filter((b) => order.includes(b)))]
          expect(firsts, `group ${g}`).toEqual(order.filter((b) => firsts.includes(b)))
        }
        // One batch per group at a time.
        const groupOf = new Map(run.sent.map((m) => [m.id, m.group]))
        const running = new Map<string, Set<string>>()
        for (const e of run.sim.timeline.entries) {
          if (e.type === 'esm' && e.action === 'batch' && e.requestId !== undefined) {
            const groups = new Set((e.ids ?? []).map((id) => groupOf.get(id) as string))
            for (const [other, gs] of running) for (const g of groups) expect(gs.has(g), `at ${e.time}: group ${g} in batch ${e.requestId} and ${other}`).toBe(false)
            running.set(e.requestId, groups)
          } else if (e.type === 'attempt-finished') running.delete(e.requestId)
        }
        await expectCleanAndRepeatable(run, () => executeFifo(seed, ops))
      }),
      { numRuns: 150 },
    )
  })

  it('Kinesis: every record is processed, reported or filtered out, each key first processed in order, whatever is updated meanwhile; nothing escapes; same seed, same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.integer({ min: 1, max: 2 }), fc.array(streamOpArb, { minLength: 1, maxLength: 30 }), async (seed, shards, ops) => {
        const run = await executeStream(seed, shards, ops)
        updates += ops.filter((o) => o.op === 'update').length
        records += run.put.length
        for (const p of run.put) {
          const reported = inFailureRange(run.ranges, p.shard, p.seq)
          expect(run.processed.has(p.seq) || reported || run.filtered.has(p.seq), `record ${p.seq} on ${p.shard} processed, reported or filtered out`).toBe(true)
        }
        for (const [key, seqs] of run.order) {
          const firsts = firstProcessingOrder(seqs)
          expect(increasing(firsts), `key ${key} in order: ${firsts.join(',')}`).toBe(true)
        }
        await expectCleanAndRepeatable(run, () => executeStream(seed, shards, ops))
      }),
      { numRuns: 150 },
    )
  })
})
