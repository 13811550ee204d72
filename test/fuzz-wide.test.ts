import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'
import { filteredIds, firstProcessingOrder, inFailureRange, increasing, kinesisFailureRanges } from './helpers/esm.js'

/**
 * A second fuzzer, wider than test/fuzz-api.test.ts: versions and a weighted alias, invokes by
 * qualifier, at-least-once duplicates (the `duplicates` option and `deliverDuplicate`), dropped events
 * (the `drops` option), an SQS event source mapping (batch size, ReportBatchItemFailures, enabled or
 * not) over a queue with a redrive policy, code that fails some events, some batch items, whole
 * batches, or outlives its timeout, reserved concurrency and event invoke config changes, and clock
 * advances. Then the mapping is enabled, concurrency freed and the clock run out. Invariants: nothing
 * escapes to the process; every accepted async event has exactly one terminal outcome; every message
 * sent to the source queue ends either processed (at least once) or in its dead-letter queue, never
 * both and never neither; the same seed and program give the same timeline. Two more properties
 * below: a Kinesis stream mapping, and topologies of topics, buses and destinations wired into loops.
 */

const escaped = collectEscapes()

type Op =
  | { op: 'publish' }
  | { op: 'alias'; weight: number }
  | { op: 'invoke'; q: number; type: 'Event' | 'RequestResponse'; payload: number }
  | { op: 'dup'; pick: number; when: 'now' | 'after-success'; delay: number }
  | { op: 'send'; count: number; payload: number; pad: number }
  | { op: 'mapping'; batch: number; report: boolean; filter: boolean }
  | { op: 'toggle'; enabled: boolean }
  | { op: 'concurrency'; value: number }
  | { op: 'config'; retries: number; age: number }
  | { op: 'code'; mode: number }
  | { op: 'advance'; ms: number }

/** What a program may do (see the comment at the top). */
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('publish' as const) }),
  fc.record({ op: fc.constant('alias' as const), weight: fc.constantFrom(0, 0.3, 0.5) }),
  { weight: 5, arbitrary: fc.record({ op: fc.constant('invoke' as const), q: fc.nat(3), type: fc.constantFrom('Event' as const, 'Event' as const, 'RequestResponse' as const), payload: fc.integer({ min: 0, max: 1000 }) }) },
  fc.record({ op: fc.constant('dup' as const), pick: fc.nat(), when: fc.constantFrom('now' as const, 'after-success' as const), delay: fc.constantFrom(0, 1000, 90_000) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), count: fc.integer({ min: 1, max: 15 }), payload: fc.integer({ min: 0, max: 1000 }), pad: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.integer({ min: 0, max: 1_500 })) }) },
  fc.record({ op: fc.constant('mapping' as const), batch: fc.constantFrom(1, 3, 10), report: fc.boolean(), filter: fc.boolean() }),
  fc.record({ op: fc.constant('toggle' as const), enabled: fc.boolean() }),
  fc.record({ op: fc.constant('concurrency' as const), value: fc.nat(3) }),
  fc.record({ op: fc.constant('config' as const), retries: fc.nat(2), age: fc.integer({ min: 60, max: 600 }) }),
  fc.record({ op: fc.constant('code' as const), mode: fc.nat(4) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 5_000, 30_000, 60_000, 400_000) }) },
)

/** The source queue: the default retention (4 days) or 60–120 s, and the default maximum message size or 1,024–2,048 bytes. */
interface QueueCfg {
  retention: number | undefined
  maxSize: number | undefined
}
const queueCfgArb: fc.Arbitrary<QueueCfg> = fc.record({
  retention: fc.option(fc.integer({ min: 60, max: 120 }), { nil: undefined }),
  maxSize: fc.option(fc.integer({ min: 1_024, max: 2_048 }), { nil: undefined }),
})

interface Run {
  sim: Simulator
  accepted: Set<string>
  sent: Set<string>
  okIds: Map<string, number>
  dlqIds: string[]
  /** Messages the mapping's filter criteria dropped (deleted without an invocation). */
  filteredIds: Set<string>
  /** Whether the mapping has the filter criteria; the body of each message sent. */
  filterOn: boolean
  bodies: Map<string, number>
  /** Messages left in the source queue at the end. */
  left: number
  timeline: string
  /** When each message was sent (virtual ms). */
  sentAt: Map<string, number>
  /** Deliveries to the handler at or after a message's retention ended: id, delivery time, end of retention. */
  lateDeliveries: { id: string; at: number; end: number }[]
  /** Sends refused for their size (body over the queue's maximum message size). */
  tooLarge: number
}

async function execute(seed: number, options: { duplicates: boolean; drops: boolean }, ops: Op[], queueCfg: QueueCfg = { retention: undefined, maxSize: undefined }): Promise<Run> {
  const sim = createSimulator({ seed, ...(options.duplicates ? { duplicates: { probability: 0.3, delayMs: 5_000 } } : {}), ...(options.drops ? { drops: { whenQueueDepthExceeds: 5, probability: 0.1 } } : {}) })
  const run: Run = { sim, accepted: new Set(), sent: new Set(), okIds: new Map(), dlqIds: [], filteredIds: new Set(), filterOn: false, bodies: new Map(), left: 0, timeline: '', sentAt: new Map(), lateDeliveries: [], tooLarge: 0 }
  const retentionMs = (queueCfg.retention ?? 345_600) * 1000
  let mode = 0
  let reporting = false
  const handler = async (event: { n?: number; Records?: { messageId: string; body: string }[] }): Promise<unknown> => {
    if (event.Records !== undefined) {
      for (const r of event.Records) {
        const sent = run.sentAt.get(r.messageId)
        if (sent !== undefined && sim.now() >= sent + retentionMs) run.lateDeliveries.push({ id: r.messageId, at: sim.now(), end: sent + retentionMs })
      }
      const failed: { itemIdentifier: string }[] = []
      for (const r of event.Records) {
        const n = Number(r.body)
        if ((n + mode) % 4 === 0) failed.push({ itemIdentifier: r.messageId })
      }
      if (mode === 3 && event.Records.length > 2) throw new Error('whole batch fails')
      if (mode === 2) await sim.sleep(1_000)
      if (mode === 4 && event.Records.length === 1) await sim.sleep(9_000)
      for (const r of event.Records) if (!reporting || !failed.some((f) => f.itemIdentifier === r.messageId)) run.okIds.set(r.messageId, (run.okIds.get(r.messageId) ?? 0) + 1)
      return { batchItemFailures: failed }
    }
    if (mode === 2) await sim.sleep(2_000)
    if (mode === 4) await sim.sleep(9_000)
    if (((event.n ?? 0) + mode) % 3 === 0) throw new Error('fails')
    return event.n ?? null
  }
  sim.createFunction('f', handler as never, { timeout: 5 })
  const dlq = sim.createQueue('dlq')
  const src = sim.createQueue('src', {
    visibilityTimeout: 10,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 },
    ...(queueCfg.retention !== undefined ? { messageRetentionPeriod: queueCfg.retention } : {}),
    ...(queueCfg.maxSize !== undefined ? { maximumMessageSize: queueCfg.maxSize } : {}),
  })
  const ok = sim.createQueue('ok')
  const bad = sim.createQueue('bad')
  sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: ok.arn }, onFailure: { destination: bad.arn } } })
  let mappingUuid: string | undefined
  const versions: string[] = []
  let aliasMade = false
  for (const op of ops) {
    try {
      switch (op.op) {
        case 'publish':
          versions.push(sim.publishVersion('f').version)
          break
        case 'alias': {
          const v = versions[versions.length - 1]
          if (v === undefined || aliasMade) break
          const other = versions[0]
          sim.createAlias('f', { name: 'live', functionVersion: v, ...(op.weight > 0 && other !== undefined && other !== v ? { routingConfig: { additionalVersionWeights: { [other]: op.weight } } } : {}) })
          aliasMade = true
          break
        }
        case 'invoke': {
          const qualifier = [undefined, '$LATEST', versions[0], aliasMade ? 'live' : undefined][op.q]
          const r = await sim.invoke('f', { n: op.payload }, op.type, qualifier === undefined ? {} : { qualifier })
          if (op.type === 'Event') run.accepted.add(r.requestId)
          break
        }
        case 'dup': {
          const ids = [...run.accepted]
          const id = ids[op.pick % Math.max(1, ids.length)]
          if (id !== undefined) sim.deliverDuplicate(id, { when: op.when, delayMs: op.delay })
          break
        }
        case 'send':
          for (let i = 0; i < op.count; i++) {
            // Trailing spaces pad the body (JSON and Number() ignore them): some are over a small maximum size.
            const body = String(op.payload + i) + ' '.repeat(op.pad)
            let id: string
            try {
              id = src.sendMessage({ body }).messageId
            } catch (error) {
              expect((error as Error).name).toBe('InvalidParameterValue')
              expect(Buffer.byteLength(body), 'a refused body is over the maximum size').toBeGreaterThan(src.maximumMessageSize)
              run.tooLarge++
              continue
            }
            expect(Buffer.byteLength(body), 'an accepted body is within the maximum size').toBeLessThanOrEqual(src.maximumMessageSize)
            run.sent.add(id)
            run.bodies.set(id, op.payload + i)
            run.sentAt.set(id, sim.now())
          }
          break
        case 'mapping':
          if (mappingUuid === undefined) {
            mappingUuid = sim.createEventSourceMapping({
              eventSourceArn: src.arn,
              functionName: 'f',
              batchSize: op.batch,
              ...(op.report ? { functionResponseTypes: ['ReportBatchItemFailures' as const] } : {}),
              // About one message in ten has a body of 900 or more and is filtered out.
              ...(op.filter ? { filterCriteria: { filters: [{ pattern: JSON.stringify({ body: [{ numeric: ['<', 900] }] }) }] } } : {}),
            }).uuid
            reporting = op.report
            run.filterOn = op.filter
          }
          break
        case 'toggle':
          if (mappingUuid !== undefined) sim.updateEventSourceMapping({ uuid: mappingUuid, enabled: op.enabled })
          break
        case 'concurrency':
          sim.putFunctionConcurrency('f', op.value)
          break
        case 'config':
          sim.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: op.retries, maximumEventAgeInSeconds: op.age })
          break
        case 'code':
          mode = op.mode
          break
        case 'advance':
          await sim.advanceBy(op.ms)
          break
      }
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  // Let everything end: the mapping on, concurrency free, then the clock run out (maximum age 6 h,
  // receives until the redrive).
  if (mappingUuid === undefined) mappingUuid = sim.createEventSourceMapping({ eventSourceArn: src.arn, functionName: 'f', batchSize: 5 }).uuid
  sim.updateEventSourceMapping({ uuid: mappingUuid, enabled: true })
  sim.deleteFunctionConcurrency('f')
  await sim.runUntilIdle()
  await sim.advanceBy(3_600_000)
  await sim.runUntilIdle()
  for (const m of dlq.messages) run.dlqIds.push(m.messageId)
  run.filteredIds = filteredIds(sim)
  run.left = src.size
  run.timeline = JSON.stringify(sim.timeline.entries)
  return run
}

describe('fuzz: aliases, duplicates, drops and an SQS mapping', () => {
  let operations = 0
  let events = 0
  let messages = 0
  let filtered = 0
  let expired = 0
  let tooLarge = 0
  let lateHeld = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (wide): ${operations} operations, ${events} accepted async events, ${messages} SQS messages (${filtered} filtered out, ${expired} expired unprocessed; ${tooLarge} sends refused as too large; ${lateHeld} delivered after their retention from a batch held through a throttle), 0 lost`)
  })

  it('every async event ends once and every SQS message ends processed, dead-lettered, filtered out or expired unprocessed, exactly one, never received after its retention; nothing escapes; same seed, same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(100000), fc.boolean(), fc.boolean(), queueCfgArb, fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }), async (seed, duplicates, drops, queueCfg, program) => {
        const run = await execute(seed, { duplicates, drops }, program, queueCfg)
        operations += program.length
        events += run.accepted.size
        messages += run.sent.size
        filtered += run.filteredIds.size
        const terminals = new Map<string, number>()
        for (const e of run.sim.timeline.entries) if (e.type === 'terminal') terminals.set(e.requestId, (terminals.get(e.requestId) ?? 0) + 1)
        for (const id of run.accepted) expect(terminals.get(id), `terminal outcomes of ${id}`).toBe(1)
        expect(run.sim.pending()).toEqual([])
        expect(run.left, 'messages left in the source queue').toBe(0)
        tooLarge += run.tooLarge
        // A message is never received after its retention ended. The handler may still get it later only
        // in a batch received in time that waited out a throttle (Lambda holds what it polled), and no
        // longer than the visibility timeout (10 s), after which the poller gives the batch back.
        const throttledAt = new Map<string, number>()
        for (const e of run.sim.timeline.entries) if (e.type === 'esm' && e.action === 'throttled') for (const id of e.ids ?? []) if (!throttledAt.has(id)) throttledAt.set(id, e.time)
        for (const late of run.lateDeliveries) {
          const t = throttledAt.get(late.id)
          expect(t !== undefined && t < late.end, `message ${late.id} delivered ${late.at - late.end} ms after its retention ended, not in a batch throttled before then`).toBe(true)
          expect(late.at - late.end, `message ${late.id} held past the visibility timeout`).toBeLessThan(10_000)
        }
        lateHeld += run.lateDeliveries.length
        const dl = new Set(run.dlqIds)
        for (const id of run.sent) {
          const okCount = run.okIds.get(id) ?? 0
          const ends = [okCount > 0, dl.has(id), run.filteredIds.has(id)].filter(Boolean).length
          // SQS deletes a message at the end of its retention period, received or not, in flight or
          // not: that is its documented end, not a loss. A message processed in a batch that was in
          // flight when its retention ended counts as processed (its handler had it in time).
          const canExpire = queueCfg.retention !== undefined
          if (ends === 0 && canExpire) {
            expired++
            continue
          }
          expect(ends, `message ${id}: processed ${okCount > 0}, dead-lettered ${dl.has(id)}, filtered ${run.filteredIds.has(id)}: exactly one`).toBe(1)
          expect(run.filteredIds.has(id), `message ${id} (body ${run.bodies.get(id)}) filtered out exactly when the filter excludes it`).toBe(run.filterOn && (run.bodies.get(id) as number) >= 900)
        }
        expect(escaped).toEqual([])
        const again = await execute(seed, { duplicates, drops }, program, queueCfg)
        expect(again.timeline).toBe(run.timeline)
      }),
      { numRuns: 150 },
    )
  })
})

/**
 * Streams: a Kinesis stream of 1–3 shards and one mapping with a random batch size, retries (0, 1,
 * 3), bisect, ReportBatchItemFailures, parallelization factor and tumbling window, an on-failure
 * queue; records put in bursts over five partition keys while the handler's mode changes (fails
 * values divisible by 7 or 5, whole batch or reported items, or sleeps) and the mapping is toggled.
 */
interface Cfg {
  shards: number
  batch: number
  retries: number
  bisect: boolean
  report: boolean
  pf: number
  window: number
  filter: boolean
}
type StreamOp = { op: 'put'; key: number; value: number; count: number } | { op: 'mode'; mode: number } | { op: 'advance'; ms: number } | { op: 'toggle'; enabled: boolean }

const cfgArb: fc.Arbitrary<Cfg> = fc.record({
  shards: fc.integer({ min: 1, max: 3 }),
  batch: fc.constantFrom(1, 2, 5, 100),
  retries: fc.constantFrom(0, 1, 3),
  bisect: fc.boolean(),
  report: fc.boolean(),
  pf: fc.constantFrom(1, 1, 2, 5),
  window: fc.constantFrom(0, 0, 30),
  filter: fc.boolean(),
})
const streamOpArb: fc.Arbitrary<StreamOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('put' as const), key: fc.nat(5), value: fc.nat(50), count: fc.integer({ min: 1, max: 8 }) }) },
  fc.record({ op: fc.constant('mode' as const), mode: fc.nat(4) }),
  fc.record({ op: fc.constant('toggle' as const), enabled: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 500, 1_000, 5_000, 60_000) }) },
)

interface KRecord {
  kinesis: { sequenceNumber: string; partitionKey: string; data: string }
  eventID: string
}

async function executeStream(seed: number, cfg: Cfg, ops: StreamOp[]) {
  const sim = createSimulator({ seed })
  let mode = 0
  const ok = new Map<string, number>()
  const order = new Map<string, bigint[]>()
  sim.createFunction(
    'consumer',
    (async (event: { Records: KRecord[] }) => {
      const failed: string[] = []
      for (const r of event.Records) {
        const v = Number(Buffer.from(r.kinesis.data, 'base64').toString('utf8'))
        if (mode === 1 && v % 7 === 0) failed.push(r.kinesis.sequenceNumber)
        if (mode === 2 && v % 5 === 0) failed.push(r.kinesis.sequenceNumber)
      }
      if (mode === 3) await sim.sleep(2_000)
      if (failed.length > 0 && (!cfg.report || mode === 2)) throw new Error(`poison ${failed.length}`)
      const lowest = failed.length === 0 ? undefined : failed.map((s) => BigInt(s)).reduce((a, b) => (a < b ? a : b))
      for (const r of event.Records) {
        const seq = BigInt(r.kinesis.sequenceNumber)
        if (lowest !== undefined && seq >= lowest) continue
        ok.set(r.kinesis.sequenceNumber, (ok.get(r.kinesis.sequenceNumber) ?? 0) + 1)
        const o = order.get(r.kinesis.partitionKey) ?? []
        o.push(seq)
        order.set(r.kinesis.partitionKey, o)
      }
      return cfg.report ? { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) } : undefined
    }) as never,
    { timeout: 10 },
  )
  const stream = sim.createStream('s', { shards: cfg.shards })
  const failures = sim.createQueue('failures')
  const m = sim.createEventSourceMapping({
    eventSourceArn: stream.arn,
    functionName: 'consumer',
    startingPosition: 'TRIM_HORIZON',
    batchSize: cfg.batch,
    maximumRetryAttempts: cfg.retries,
    bisectBatchOnFunctionError: cfg.bisect,
    parallelizationFactor: cfg.pf,
    ...(cfg.report ? { functionResponseTypes: ['ReportBatchItemFailures' as const] } : {}),
    ...(cfg.window > 0 ? { tumblingWindowInSeconds: cfg.window } : {}),
    // Values 45 and above (about one record in five) are filtered out.
    ...(cfg.filter ? { filterCriteria: { filters: [{ pattern: JSON.stringify({ data: [{ numeric: ['<', 45] }] }) }] } } : {}),
    destinationConfig: { onFailure: { destination: failures.arn } },
  })
  const put: { seq: string; shard: string; key: string; value: number }[] = []
  for (const op of ops) {
    switch (op.op) {
      case 'put':
        for (let i = 0; i < op.count; i++) {
          const key = `k${op.key}`
          const r = stream.putRecord({ partitionKey: key, data: String(op.value + i) })
          put.push({ seq: r.sequenceNumber, shard: r.shardId, key, value: op.value + i })
        }
        break
      case 'mode':
        mode = op.mode
        break
      case 'toggle':
        sim.updateEventSourceMapping({ uuid: m.uuid, enabled: op.enabled })
        break
      case 'advance':
        await sim.advanceBy(op.ms)
        break
    }
  }
  sim.updateEventSourceMapping({ uuid: m.uuid, enabled: true })
  await sim.runUntilIdle()
  await sim.advanceBy(600_000)
  await sim.runUntilIdle()
  return { sim, ok, order, put, ranges: kinesisFailureRanges(failures), filtered: filteredIds(sim), timeline: JSON.stringify(sim.timeline.entries) }
}

describe('fuzz: a Kinesis stream mapping', () => {
  let records = 0
  let filteredOut = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (streams): ${records} records (${filteredOut} filtered out), 0 lost`)
  })

  it('every record is processed, covered by an on-failure record or filtered out (then never processed), each partition key in order; nothing escapes; same seed, same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(100000), cfgArb, fc.array(streamOpArb, { minLength: 3, maxLength: 40, size: 'max' }), async (seed, cfg, ops) => {
        const run = await executeStream(seed, cfg, ops)
        records += run.put.length
        for (const p of run.put) {
          const processed = (run.ok.get(p.seq) ?? 0) > 0
          const reported = inFailureRange(run.ranges, p.shard, p.seq)
          const filtered = run.filtered.has(p.seq)
          filteredOut += filtered ? 1 : 0
          expect(processed || reported || filtered, `record ${p.seq} on ${p.shard} processed, reported or filtered out (cfg ${JSON.stringify(cfg)})`).toBe(true)
          expect(processed && filtered, `record ${p.seq} filtered out and processed (cfg ${JSON.stringify(cfg)})`).toBe(false)
          expect(filtered, `record ${p.seq} (value ${p.value}) filtered out exactly when the filter excludes it (cfg ${JSON.stringify(cfg)})`).toBe(cfg.filter && p.value >= 45)
        }
        for (const [key, seqs] of run.order) {
          const firsts = firstProcessingOrder(seqs)
          expect(increasing(firsts), `key ${key} in order (cfg ${JSON.stringify(cfg)}): ${firsts.join(',')}`).toBe(true)
        }
        expect(run.sim.pending()).toEqual([])
        expect(escaped).toEqual([])
        const again = await executeStream(seed, cfg, ops)
        expect(again.timeline).toBe(run.timeline)
      }),
      { numRuns: 150 },
    )
  })
})

/**
 * Topologies: three functions, a topic, an event bus and a queue, wired at random by subscriptions,
 * rules and on-success / on-failure destinations (loops included: a function failing into a topic it
 * subscribes to, function destinations in a cycle, a bus rule for Lambda's own destination events),
 * then random publishes, bus events, invokes, code changes and clock advances. Invariants: every
 * accepted event (from any source) has exactly one terminal outcome, loops end (loop detection),
 * nothing escapes, same seed same timeline. This fuzzer found destination loops that never ended.
 */
type Wire =
  | { w: 'sub'; fn: number }
  | { w: 'subQueue' }
  | { w: 'rule'; fn: number; match: number }
  | { w: 'dottedRule'; fn: number; v: number; dotted: boolean }
  | { w: 'dest'; fn: number; on: 'onSuccess' | 'onFailure'; to: number }
/** A putEvents entry: well formed, or missing its source or detail type, or with a detail that is not an object; its detail with `v` nested or under a dotted key. */
type EntryKind = 'ok' | 'no-source' | 'no-detail-type' | 'string-detail' | 'array-detail'
type TopoOp = { op: 'publish'; v: number } | { op: 'put'; v: number; kinds: EntryKind[]; dotted: boolean } | { op: 'invoke'; fn: number; v: number } | { op: 'advance'; ms: number } | { op: 'code'; fn: number; mode: number }

const wireArb: fc.Arbitrary<Wire> = fc.oneof(
  fc.record({ w: fc.constant('sub' as const), fn: fc.nat(2) }),
  fc.record({ w: fc.constant('subQueue' as const) }),
  fc.record({ w: fc.constant('rule' as const), fn: fc.nat(2), match: fc.nat(2) }),
  fc.record({ w: fc.constant('dottedRule' as const), fn: fc.nat(2), v: fc.nat(9), dotted: fc.boolean() }),
  fc.record({ w: fc.constant('dest' as const), fn: fc.nat(2), on: fc.constantFrom('onSuccess' as const, 'onFailure' as const), to: fc.nat(4) }),
)
const topoOpArb: fc.Arbitrary<TopoOp> = fc.oneof(
  fc.record({ op: fc.constant('publish' as const), v: fc.nat(9) }),
  fc.record({ op: fc.constant('put' as const), v: fc.nat(9), kinds: fc.array(fc.constantFrom<EntryKind>('ok', 'ok', 'no-source', 'no-detail-type', 'string-detail', 'array-detail'), { minLength: 1, maxLength: 3 }), dotted: fc.boolean() }),
  fc.record({ op: fc.constant('invoke' as const), fn: fc.nat(2), v: fc.nat(9) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 1_000, 60_000, 200_000) }),
  fc.record({ op: fc.constant('code' as const), fn: fc.nat(2), mode: fc.nat(2) }),
)

async function executeTopology(seed: number, wires: Wire[], ops: TopoOp[]) {
  const sim = createSimulator({ seed })
  const modes = [0, 0, 0]
  const names = ['a', 'b', 'c']
  /** Markers of bus entries each function received (events from source "app" with a marker). */
  const received = [new Set<number>(), new Set<number>(), new Set<number>()]
  for (let k = 0; k < 3; k++) {
    sim.createFunction(names[k] as string, async (e: unknown) => {
      const ev = e as { source?: string; detail?: { m?: number } }
      if (ev.source === 'app' && typeof ev.detail?.m === 'number') received[k]?.add(ev.detail.m)
      const m = modes[k]
      if (m === 1) throw new Error(`fn ${k} fails`)
      if (m === 2) await sim.sleep(1_500)
      return { k, e: JSON.stringify(e).length }
    })
  }
  const topic = sim.createTopic('t')
  const bus = sim.createEventBus('bus')
  const queue = sim.createQueue('q')
  const targets = [...names, topic.arn, bus.arn]
  const dests = new Map<string, Record<string, { destination: string }>>()
  let rules = 0
  // One function subscription and one rule matching destination events at most: with two functions
  // failing into the topic, a loop doubles each hop until each reaches its 16 invocations in the chain
  // (2^32 invocations), in AWS as here.
  let subscribed = false
  let lambdaRule = false
  /** Rules on `detail.w.x` (written dotted or nested): the function and the value they match. */
  const pathRules: { fn: number; v: number }[] = []
  for (const w of wires) {
    try {
      if (w.w === 'sub') {
        if (subscribed) continue
        subscribed = true
        topic.subscribe(names[w.fn] as string)
      } else if (w.w === 'rule' && w.match === 2) {
        if (lambdaRule) continue
        lambdaRule = true
        bus.putRule({ name: `r${rules++}`, eventPattern: { source: ['lambda'] }, targets: [names[w.fn] as string] })
      } else if (w.w === 'dottedRule') {
        // The same path written as one dotted key or nested: both match `w.x` nested or dotted in the event.
        const pattern = w.dotted ? { source: ['app'], 'detail.w.x': [w.v] } : { source: ['app'], detail: { w: { x: [w.v] } } }
        bus.putRule({ name: `r${rules++}`, eventPattern: pattern, targets: [names[w.fn] as string] })
        pathRules.push({ fn: w.fn, v: w.v })
      } else if (w.w === 'subQueue') topic.subscribe(queue)
      else if (w.w === 'rule') bus.putRule({ name: `r${rules++}`, eventPattern: { source: [['app', 'x'][w.match] as string] }, targets: [names[w.fn] as string] })
      else {
        const fn = names[w.fn] as string
        const to = targets[w.to] as string
        const arn = to.startsWith('arn:') ? to : `arn:aws:lambda:us-east-1:123456789012:function:${to}`
        const cfg = dests.get(fn) ?? {}
        cfg[w.on] = { destination: arn }
        dests.set(fn, cfg)
        sim.putFunctionEventInvokeConfig({ functionName: fn, destinationConfig: cfg })
      }
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  let marker = 0
  const putOk: { m: number; v: number }[] = []
  const putFailed: number[] = []
  for (const op of ops) {
    try {
      if (op.op === 'publish') topic.publish({ message: JSON.stringify({ v: op.v }) })
      else if (op.op === 'put') {
        const entries = op.kinds.map((kind) => {
          const m = marker++
          const detail = op.dotted ? { v: op.v, m, 'w.x': op.v } : { v: op.v, m, w: { x: op.v } }
          if (kind === 'no-source') return { m, kind, entry: { detailType: 'thing', detail } }
          if (kind === 'no-detail-type') return { m, kind, entry: { source: 'app', detail } }
          if (kind === 'string-detail') return { m, kind, entry: { source: 'app', detailType: 'thing', detail: JSON.stringify(detail) } }
          if (kind === 'array-detail') return { m, kind, entry: { source: 'app', detailType: 'thing', detail: [detail] } }
          return { m, kind, entry: { source: 'app', detailType: 'thing', detail } }
        })
        const r = bus.putEvents(entries.map((e) => e.entry) as never) as { failedEntryCount: number; entries: ({ eventId: string } | { errorCode: string })[] }
        expect(r.failedEntryCount).toBe(entries.filter((e) => e.kind !== 'ok').length)
        entries.forEach((e, i) => {
          const answer = r.entries[i] as { eventId?: string; errorCode?: string }
          expect(answer.errorCode, `entry ${e.kind}`).toBe(e.kind === 'ok' ? undefined : e.kind === 'no-source' || e.kind === 'no-detail-type' ? 'InvalidArgument' : 'MalformedDetail')
          if (e.kind === 'ok') putOk.push({ m: e.m, v: op.v })
          else putFailed.push(e.m)
        })
      }
      else if (op.op === 'invoke') await sim.invoke(names[op.fn] as string, { v: op.v }, 'Event')
      else if (op.op === 'code') modes[op.fn] = op.mode
      else await sim.advanceBy(op.ms)
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  await sim.runUntilIdle()
  await sim.advanceBy(7 * 3_600_000)
  await sim.runUntilIdle()
  return { sim, timeline: JSON.stringify(sim.timeline.entries), received, putOk, putFailed, pathRules }
}

describe('fuzz: topics, buses and destinations wired into loops', () => {
  let accepted = 0
  let failedEntries = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (topologies): ${accepted} accepted events, 0 lost; ${failedEntries} failed putEvents entries, none delivered`)
  })

  it('every accepted event from any source ends once and every loop ends; nothing escapes; same seed, same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(100000), fc.array(wireArb, { minLength: 1, maxLength: 8 }), fc.array(topoOpArb, { minLength: 1, maxLength: 25, size: 'max' }), async (seed, wires, ops) => {
        const run = await executeTopology(seed, wires, ops)
        const acc = new Set<string>()
        const terminals = new Map<string, number>()
        for (const e of run.sim.timeline.entries) {
          if (e.type === 'accepted') acc.add(e.requestId)
          if (e.type === 'terminal') terminals.set(e.requestId, (terminals.get(e.requestId) ?? 0) + 1)
        }
        accepted += acc.size
        for (const id of acc) expect(terminals.get(id), `terminals of ${id}`).toBe(1)
        expect(terminals.size).toBe(acc.size)
        // A failed putEvents entry reaches no target; a put one reaches every function whose rule on the
        // path w.x (dotted or nested, in the rule and in the event) matches it.
        for (const m of run.putFailed) for (const r of run.received) expect(r.has(m), `failed entry ${m} delivered`).toBe(false)
        for (const p of run.putOk) for (const rule of run.pathRules) if (rule.v === p.v) expect(run.received[rule.fn]?.has(p.m), `entry ${p.m} (v ${p.v}) to ${rule.fn} by its path rule`).toBe(true)
        failedEntries += run.putFailed.length
        expect(run.sim.pending()).toEqual([])
        expect(escaped).toEqual([])
        const again = await executeTopology(seed, wires, ops)
        expect(again.timeline).toBe(run.timeline)
      }),
      { numRuns: 100 },
    )
  })
})
