import type { DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { createSimulator, type DynamoDBStreamFailureRecord, type KinesisFailureRecord } from '../src/index.js'

// An audit of lambda-sim as a team testing Kinesis and DynamoDB Streams consumers would use it,
// compared with AWS (spec §11.4, §11.6; the Lambda developer guide pages named in each test).

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const text = (r: KinesisStreamRecord): string => Buffer.from(r.kinesis.data, 'base64').toString('utf8')
/** Iterator age of a batch as CloudWatch's IteratorAge reports it: now minus the last record's arrival. */
const iteratorAgeMs = (now: number, e: KinesisStreamEvent): number => now - Math.round((e.Records.at(-1)?.kinesis.approximateArrivalTimestamp ?? 0) * 1000)

describe('Kinesis: a failing batch with the default settings', () => {
  it('blocks its shard, retried every second until the record leaves the stream at 24 h (86,400 invocations, iterator age up to 86,399 s); the next record then runs and the other shard is never blocked', async () => {
    const sim = createSimulator({ recordTimeline: false })
    const s = sim.createStream('clicks', { shards: 2 })
    const attempts: { shard: string; at: number; age: number; data: string[] }[] = []
    sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      const shard = (e.Records[0]?.eventID ?? '').split(':')[0] ?? ''
      attempts.push({ shard, at: sim.now() - T0, age: iteratorAgeMs(sim.now(), e), data: e.Records.map(text) })
      if (e.Records.some((r) => text(r) === 'poison')) throw new Error('cannot parse')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON' })
    // MD5('a') → shard 0, MD5('b') → shard 2 of 4, i.e. shard 1 of 2.
    expect(s.putRecord({ partitionKey: 'a', data: 'poison' }).shardId).toBe('shardId-000000000000')
    await sim.advanceBy(500)
    s.putRecord({ partitionKey: 'a', data: 'after-poison' })
    expect(s.putRecord({ partitionKey: 'b', data: 'other-shard' }).shardId).toBe('shardId-000000000001')
    await sim.runUntilIdle()
    const shard0 = attempts.filter((a) => a.shard === 'shardId-000000000000')
    const blocked = shard0.filter((a) => a.data[0] === 'poison')
    // Every retry is the failed batch itself: the record that arrived after it (at 0.5 s) waits behind it.
    expect(blocked[0]).toEqual({ shard: 'shardId-000000000000', at: 0, age: 0, data: ['poison'] })
    expect(blocked[1]).toEqual({ shard: 'shardId-000000000000', at: 1000, age: 1000, data: ['poison'] })
    expect(blocked).toHaveLength(86_400)
    expect(blocked.at(-1)).toEqual({ shard: 'shardId-000000000000', at: 86_399_000, age: 86_399_000, data: ['poison'] })
    // At 24 h the poison record is gone from the stream (no on-failure record: nothing is configured);
    // the record behind it runs at once, 23:59:59.5 old.
    expect(shard0.at(-1)).toEqual({ shard: 'shardId-000000000000', at: 86_400_000, age: 86_399_500, data: ['after-poison'] })
    expect(attempts.filter((a) => a.shard === 'shardId-000000000001')).toEqual([{ shard: 'shardId-000000000001', at: 500, age: 0, data: ['other-shard'] }])
    expect(sim.now() - T0).toBe(86_400_000)
  })
})

describe('Kinesis: MaximumRetryAttempts, MaximumRecordAgeInSeconds and the on-failure record', () => {
  it("MaximumRetryAttempts 2 gives 3 invocations 1 s apart and an SQS on-failure record whose JSON has the keys of AWS's documented example in its order", async () => {
    const sim = createSimulator({ region: 'us-east-2' })
    const s = sim.createStream('mystream', { shards: 2 })
    const dlq = sim.createQueue('failures')
    const at: number[] = []
    const fn = sim.createFunction('myfunction', async () => {
      at.push(sim.now() - T0)
      throw new Error('always')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: fn, startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: dlq.arn } } })
    // explicitHashKey 2^127 → shard 1, like the example's shardId-000000000001.
    const first = s.putRecord({ partitionKey: 'k', data: 'x', explicitHashKey: (1n << 127n).toString() })
    await sim.advanceBy(745)
    const last = s.putRecord({ partitionKey: 'k', data: 'y', explicitHashKey: (1n << 127n).toString() })
    await sim.runUntilIdle()
    // The retries at 1 s and 2 s are the failed batch itself: the record put at 0.745 s waits behind it
    // and then fails on its own at 3, 4 and 5 s.
    expect(at).toEqual([0, 1000, 2000, 3000, 4000, 5000])
    const body = dlq.messages[0]?.body ?? ''
    const rec = JSON.parse(body) as KinesisFailureRecord
    // kinesis-on-failure-destination's example, with this run's values, key for key and in order.
    const expected =
      '{"requestContext":{"requestId":"' + rec.requestContext.requestId + '","functionArn":"arn:aws:lambda:us-east-2:123456789012:function:myfunction","condition":"RetryAttemptsExhausted","approximateInvokeCount":3},' +
      '"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"version":"1.0","timestamp":"2026-01-01T00:00:02.000Z",' +
      '"KinesisBatchInfo":{"shardId":"shardId-000000000001","startSequenceNumber":"' + first.sequenceNumber + '","endSequenceNumber":"' + first.sequenceNumber + '",' +
      '"approximateArrivalOfFirstRecord":"2026-01-01T00:00:00.000Z","approximateArrivalOfLastRecord":"2026-01-01T00:00:00.000Z","batchSize":1,"streamArn":"arn:aws:kinesis:us-east-2:123456789012:stream/mystream"}}'
    expect(body).toBe(expected)
    expect(rec.requestContext.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    // The second record is reported on its own.
    expect(dlq.messages).toHaveLength(2)
    expect((JSON.parse(dlq.messages[1]?.body ?? '') as KinesisFailureRecord).KinesisBatchInfo.startSequenceNumber).toBe(last.sequenceNumber)
  })

  it('a retry that is throttled first is still the failed batch: records that arrived meanwhile wait behind it', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const runs: { at: number; data: string[] }[] = []
    let calls = 0
    const fn = sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      runs.push({ at: sim.now() - T0, data: e.Records.map(text) })
      if (++calls === 1) throw new Error('first attempt fails')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: fn, startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 5 })
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(500)
    sim.putFunctionConcurrency(fn, 0) // the retry at 1 s is throttled (backoff 1 s, then 2 s)
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.advanceBy(2_000)
    sim.deleteFunctionConcurrency(fn)
    await sim.runUntilIdle()
    expect(runs).toEqual([
      { at: 0, data: ['1'] },
      { at: 4_000, data: ['1'] },
      { at: 5_000, data: ['2'] },
    ])
  })

  it('the on-failure record of a batch of several records names its first and last record and their arrival times (milliseconds kept)', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    sim.createFunction('consumer', async () => {
      throw new Error('always')
    })
    const a = s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(835)
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.advanceBy(745)
    const c = s.putRecord({ partitionKey: 'k', data: '3' })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dlq.arn } } })
    await sim.runUntilIdle()
    expect((dlq.bodies[0] as KinesisFailureRecord).KinesisBatchInfo).toEqual({
      shardId: 'shardId-000000000000',
      startSequenceNumber: a.sequenceNumber,
      endSequenceNumber: c.sequenceNumber,
      approximateArrivalOfFirstRecord: '2026-01-01T00:00:00.000Z',
      approximateArrivalOfLastRecord: '2026-01-01T00:00:01.580Z',
      batchSize: 3,
      streamArn: s.arn,
    })
    expect((dlq.bodies[0] as KinesisFailureRecord).timestamp).toBe('2026-01-01T00:00:01.580Z')
  })

  it('MaximumRecordAgeInSeconds 60 with retries left: invoked at 0…60 s (61 times), then a RecordAgeExceeded record at 61 s with the last invocation’s request id and count, without responseContext', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    const ids: string[] = []
    sim.createFunction('consumer', async (_e: KinesisStreamEvent, ctx) => {
      ids.push(ctx.awsRequestId)
      throw new Error('always')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 100, maximumRecordAgeInSeconds: 60, destinationConfig: { onFailure: { destination: dlq.arn } } })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    await sim.runUntilIdle()
    expect(ids).toHaveLength(61)
    const rec = dlq.bodies[0] as KinesisFailureRecord
    expect(Object.keys(rec)).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo'])
    expect(rec.requestContext).toEqual({ requestId: ids.at(-1), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer', condition: 'RecordAgeExceeded', approximateInvokeCount: 61 })
    expect(rec.timestamp).toBe('2026-01-01T00:01:01.000Z')
  })

  it('MaximumRetryAttempts reached before MaximumRecordAgeInSeconds: RetryAttemptsExhausted, and the shard moves on', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    const got: string[][] = []
    sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      got.push(e.Records.map(text))
      if (e.Records.some((r) => text(r) === 'bad')) throw new Error('bad')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', batchSize: 1, maximumRetryAttempts: 3, maximumRecordAgeInSeconds: 60, destinationConfig: { onFailure: { destination: dlq.arn } } })
    s.putRecord({ partitionKey: 'k', data: 'bad' })
    s.putRecord({ partitionKey: 'k', data: 'good' })
    await sim.runUntilIdle()
    expect(got).toEqual([['bad'], ['bad'], ['bad'], ['bad'], ['good']])
    expect((dlq.bodies[0] as KinesisFailureRecord).requestContext.condition).toBe('RetryAttemptsExhausted')
    expect((dlq.bodies[0] as KinesisFailureRecord).requestContext.approximateInvokeCount).toBe(4)
    expect(sim.now() - T0).toBe(4000)
  })
})

describe('Kinesis: BisectBatchOnFunctionError', () => {
  it('splits a failing batch of 5 into 3 + 2, in order, without using retries; the poison record alone uses the retries (README timing)', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    const runs: { at: number; data: string[] }[] = []
    sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      runs.push({ at: sim.now() - T0, data: e.Records.map(text) })
      if (e.Records.some((r) => text(r) === 'p')) throw new Error('poison')
    })
    for (const d of ['a', 'b', 'p', 'c', 'd']) s.putRecord({ partitionKey: 'k', data: d })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: dlq.arn } } })
    await sim.runUntilIdle()
    expect(runs).toEqual([
      { at: 0, data: ['a', 'b', 'p', 'c', 'd'] }, // fails: 3 + 2
      { at: 1000, data: ['a', 'b', 'p'] }, // fails: 2 + 1
      { at: 2000, data: ['a', 'b'] },
      { at: 3000, data: ['p'] }, // fails: one record, a retry
      { at: 4000, data: ['p'] }, // retries used up
      { at: 5000, data: ['c', 'd'] },
    ])
    const rec = dlq.bodies[0] as KinesisFailureRecord
    expect(rec.requestContext.approximateInvokeCount).toBe(2)
    expect(rec.KinesisBatchInfo.batchSize).toBe(1)
    expect(dlq.bodies).toHaveLength(1)
  })

  it('with MaximumRetryAttempts 0 a bisected batch still splits down to the poison record, which fails once and is reported', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    const runs: string[][] = []
    sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      runs.push(e.Records.map(text))
      if (e.Records.some((r) => text(r) === 'p')) throw new Error('poison')
    })
    for (const d of ['p', 'a', 'b', 'c']) s.putRecord({ partitionKey: 'k', data: d })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dlq.arn } } })
    await sim.runUntilIdle()
    expect(runs).toEqual([['p', 'a', 'b', 'c'], ['p', 'a'], ['p'], ['a'], ['b', 'c']])
    expect((dlq.bodies[0] as KinesisFailureRecord).requestContext.approximateInvokeCount).toBe(1)
  })
})

describe('Kinesis: ReportBatchItemFailures', () => {
  const run = async (respond: (e: KinesisStreamEvent, call: number) => unknown, maximumRetryAttempts = 1): Promise<{ batches: string[][]; failures: KinesisFailureRecord[] }> => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    const batches: string[][] = []
    sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      batches.push(e.Records.map(text))
      return respond(e, batches.length)
    })
    for (let i = 0; i < 4; i++) s.putRecord({ partitionKey: 'k', data: String(i) })
    sim.createEventSourceMapping({
      eventSourceArn: s.arn,
      functionName: 'consumer',
      startingPosition: 'TRIM_HORIZON',
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts,
      destinationConfig: { onFailure: { destination: dlq.arn } },
    })
    await sim.runUntilIdle()
    return { batches, failures: dlq.bodies as KinesisFailureRecord[] }
  }

  it('checkpoints before the lowest failed sequence number, whatever the order of the list', async () => {
    const r = await run((e, call) => (call === 1 ? { batchItemFailures: [{ itemIdentifier: e.Records[3]?.kinesis.sequenceNumber }, { itemIdentifier: e.Records[2]?.kinesis.sequenceNumber }] } : { batchItemFailures: [] }))
    expect(r.batches).toEqual([['0', '1', '2', '3'], ['2', '3']])
    expect(r.failures).toEqual([])
  })

  it('a success response with an empty list, a null list, an empty object or null succeeds the whole batch', async () => {
    for (const response of [{ batchItemFailures: [] }, { batchItemFailures: null }, {}, null, undefined]) {
      const r = await run(() => response)
      expect(r.batches).toEqual([['0', '1', '2', '3']])
    }
  })

  it('an empty, null or wrongly named itemIdentifier fails the whole batch: retried, then an on-failure record with functionError null', async () => {
    for (const item of [{ itemIdentifier: '' }, { itemIdentifier: null }, { foo: 'notvalid' }]) {
      const r = await run(() => ({ batchItemFailures: [item] }))
      expect(r.batches).toEqual([
        ['0', '1', '2', '3'],
        ['0', '1', '2', '3'],
      ])
      expect(r.failures).toHaveLength(1)
      expect(r.failures[0]?.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: null })
      expect(r.failures[0]?.KinesisBatchInfo.batchSize).toBe(4)
    }
  })

  it('a thrown error fails the whole batch even with ReportBatchItemFailures (functionError Unhandled)', async () => {
    const r = await run(() => {
      throw new Error('boom')
    }, 0)
    expect(r.batches).toEqual([['0', '1', '2', '3']])
    expect(r.failures[0]?.responseContext?.functionError).toBe('Unhandled')
  })
})

describe('Kinesis: ParallelizationFactor, BatchSize, batching window, starting positions', () => {
  it('ParallelizationFactor 3 runs up to 3 batches of one shard at once, each partition key in order', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `user-${i}`)
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const log: { key: string; n: number; start: number }[] = []
    let running = 0
    let most = 0
    sim.createFunction(
      'consumer',
      async (e: KinesisStreamEvent) => {
        running++
        most = Math.max(most, running)
        for (const r of e.Records) log.push({ key: r.kinesis.partitionKey, n: Number(text(r)), start: sim.now() - T0 })
        await sim.sleep(3000)
        running--
      },
      { timeout: 10 },
    )
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'LATEST', parallelizationFactor: 3, batchSize: 2 })
    await sim.runUntilIdle()
    for (let n = 0; n < 10; n++) for (const key of keys) s.putRecord({ partitionKey: key, data: String(n) })
    await sim.runUntilIdle()
    expect(most).toBe(3)
    for (const key of keys) expect(log.filter((l) => l.key === key).map((l) => l.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('BatchSize caps a batch; MaximumBatchingWindowInSeconds waits for more records from the first one’s arrival, and a full batch goes at once', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const runs: { at: number; data: string[] }[] = []
    sim.createFunction('consumer', async (e: KinesisStreamEvent) => {
      runs.push({ at: sim.now() - T0, data: e.Records.map(text) })
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'LATEST', batchSize: 3, maximumBatchingWindowInSeconds: 5 })
    await sim.runUntilIdle()
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(1000)
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.advanceBy(10_000)
    s.putRecord({ partitionKey: 'k', data: '3' })
    s.putRecord({ partitionKey: 'k', data: '4' })
    s.putRecord({ partitionKey: 'k', data: '5' })
    s.putRecord({ partitionKey: 'k', data: '6' })
    await sim.runUntilIdle()
    expect(runs).toEqual([
      { at: 5000, data: ['1', '2'] },
      { at: 11_000, data: ['3', '4', '5'] },
      { at: 16_000, data: ['6'] },
    ])
  })

  it('TRIM_HORIZON reads what the stream holds, LATEST only what arrives after the mapping is enabled, AT_TIMESTAMP from that time on', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const seen: Record<string, string[]> = { th: [], latest: [], ts: [] }
    for (const name of ['th', 'latest', 'ts'] as const) {
      sim.createFunction(name, async (e: KinesisStreamEvent) => {
        seen[name]?.push(...e.Records.map(text))
      })
    }
    s.putRecord({ partitionKey: 'k', data: 'at-0' })
    await sim.advanceBy(10_000)
    s.putRecord({ partitionKey: 'k', data: 'at-10' })
    await sim.advanceBy(10_000)
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'th', startingPosition: 'TRIM_HORIZON' })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'latest', startingPosition: 'LATEST' })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'ts', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 + 5000 })
    await sim.runUntilIdle()
    s.putRecord({ partitionKey: 'k', data: 'at-20' })
    await sim.runUntilIdle()
    expect(seen).toEqual({ th: ['at-0', 'at-10', 'at-20'], latest: ['at-20'], ts: ['at-10', 'at-20'] })
  })
})

describe('DynamoDB Streams: record shape and filters', () => {
  it('INSERT / MODIFY / REMOVE carry Keys and the images of the StreamViewType, SequenceNumber, SizeBytes and ApproximateCreationDateTime in whole seconds', async () => {
    const views = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const
    for (const view of views) {
      const sim = createSimulator()
      const table = sim.createTableStream(`orders-${view.toLowerCase().replaceAll('_', '-')}`, { streamViewType: view, keySchema: ['pk'] })
      const records: DynamoDBStreamEvent['Records'] = []
      sim.createFunction('projector', async (e: DynamoDBStreamEvent) => {
        records.push(...e.Records)
      })
      sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'projector', startingPosition: 'LATEST' })
      await sim.runUntilIdle()
      await sim.advanceBy(1_500)
      table.putItem({ pk: 'o1', total: 5 })
      table.updateItem({ pk: 'o1' }, { total: 7 })
      table.deleteItem({ pk: 'o1' })
      await sim.runUntilIdle()
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE'])
      const keys = { pk: { S: 'o1' } }
      const images = records.map((r) => Object.keys(r.dynamodb ?? {}))
      const withNew = view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES'
      const withOld = view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES'
      const shape = (hasNew: boolean, hasOld: boolean): string[] => ['ApproximateCreationDateTime', 'Keys', ...(hasNew ? ['NewImage'] : []), ...(hasOld ? ['OldImage'] : []), 'SequenceNumber', 'SizeBytes', 'StreamViewType']
      expect(images).toEqual([shape(withNew, false), shape(withNew, withOld), shape(false, withOld)])
      for (const r of records) {
        expect(r.dynamodb?.Keys).toEqual(keys)
        expect(r.dynamodb?.ApproximateCreationDateTime).toBe((T0 + 1_500 - 500) / 1000)
        expect(r.dynamodb?.StreamViewType).toBe(view)
        expect(r.dynamodb?.SequenceNumber).toMatch(/^\d{21}$/)
        expect(r.eventVersion).toBe('1.1')
        expect(r.eventSource).toBe('aws:dynamodb')
        expect(r.eventSourceARN).toBe(table.arn)
      }
      if (withNew) expect(records[1]?.dynamodb?.NewImage).toEqual({ pk: { S: 'o1' }, total: { N: '7' } })
      if (withOld) expect(records[1]?.dynamodb?.OldImage).toEqual({ pk: { S: 'o1' }, total: { N: '5' } })
      // SizeBytes: 'pk' + 'o1' = 4 per key or image holding pk only; + 'total' (5) + 5 (2 bytes) = 11 with total.
      const size = (n: boolean, o: boolean): number => 4 + (n ? 11 : 0) + (o ? 11 : 0)
      expect(records.map((r) => r.dynamodb?.SizeBytes)).toEqual([size(withNew, false), size(withNew, withOld), size(false, withOld)])
    }
  })

  it('filter criteria on eventName and on typed images under dynamodb: only REMOVE records, or only items with status open', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders', { keySchema: ['pk'] })
    const removed: string[] = []
    const open: string[] = []
    sim.createFunction('on-remove', async (e: DynamoDBStreamEvent) => {
      removed.push(...e.Records.map((r) => `${r.eventName ?? ''}:${r.dynamodb?.Keys?.['pk']?.S ?? ''}`))
    })
    sim.createFunction('on-open', async (e: DynamoDBStreamEvent) => {
      open.push(...e.Records.map((r) => `${r.eventName ?? ''}:${r.dynamodb?.Keys?.['pk']?.S ?? ''}`))
    })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'on-remove', startingPosition: 'TRIM_HORIZON', filterCriteria: { filters: [{ pattern: JSON.stringify({ eventName: ['REMOVE'] }) }] } })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'on-open', startingPosition: 'TRIM_HORIZON', filterCriteria: { filters: [{ pattern: JSON.stringify({ dynamodb: { NewImage: { status: { S: ['open'] } } } }) }] } })
    table.putItem({ pk: 'a', status: 'open' })
    table.putItem({ pk: 'b', status: 'closed' })
    table.updateItem({ pk: 'b' }, { status: 'open' })
    table.deleteItem({ pk: 'a' })
    await sim.runUntilIdle()
    expect(removed).toEqual(['REMOVE:a'])
    expect(open).toEqual(['INSERT:a', 'MODIFY:b'])
  })

  it('a DynamoDB stream shard is polled 4 times per second (every 250 ms): a failed batch is retried 250 ms later, a new record waits at most 250 ms', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders', { keySchema: ['pk'] })
    const dlq = sim.createQueue('failures')
    const runs: { at: number; keys: string[] }[] = []
    sim.createFunction('projector', async (e: DynamoDBStreamEvent) => {
      runs.push({ at: sim.now() - T0, keys: e.Records.map((r) => r.dynamodb?.Keys?.['pk']?.S ?? '') })
      if (e.Records.some((r) => r.dynamodb?.Keys?.['pk']?.S === 'bad')) throw new Error('bad item')
    })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'projector', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: dlq.arn } } })
    table.putItem({ pk: 'bad' })
    await sim.advanceBy(100)
    table.putItem({ pk: 'next' })
    await sim.advanceBy(1_900)
    table.putItem({ pk: 'later' })
    await sim.runUntilIdle()
    expect(runs).toEqual([
      { at: 0, keys: ['bad'] },
      { at: 250, keys: ['bad'] },
      { at: 500, keys: ['bad'] },
      { at: 750, keys: ['next'] },
      { at: 2_000, keys: ['later'] },
    ])
    expect((dlq.bodies[0] as DynamoDBStreamFailureRecord).timestamp).toBe('2026-01-01T00:00:00.500Z')
  })

  it("a DynamoDB on-failure record has AWS's documented DDBStreamBatchInfo, byte for byte in key order, arrival in whole seconds", async () => {
    const sim = createSimulator({ region: 'us-east-2' })
    const table = sim.createTableStream('mytable', { keySchema: ['pk'] })
    const dlq = sim.createQueue('failures')
    sim.createFunction('myfunction', async () => {
      throw new Error('always')
    })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'myfunction', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dlq.arn } } })
    await sim.advanceBy(1_717)
    table.putItem({ pk: 'x' })
    await sim.runUntilIdle()
    const body = dlq.messages[0]?.body ?? ''
    const rec = JSON.parse(body) as DynamoDBStreamFailureRecord
    const seq = rec.DDBStreamBatchInfo.startSequenceNumber
    expect(rec.DDBStreamBatchInfo.shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/)
    expect(table.arn).toBe('arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2026-01-01T00:00:00.000')
    expect(body).toBe(
      '{"requestContext":{"requestId":"' + rec.requestContext.requestId + '","functionArn":"arn:aws:lambda:us-east-2:123456789012:function:myfunction","condition":"RetryAttemptsExhausted","approximateInvokeCount":1},' +
        '"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"version":"1.0","timestamp":"' + rec.timestamp + '",' +
        '"DDBStreamBatchInfo":{"shardId":"' + rec.DDBStreamBatchInfo.shardId + '","startSequenceNumber":"' + seq + '","endSequenceNumber":"' + seq + '",' +
        '"approximateArrivalOfFirstRecord":"2026-01-01T00:00:01Z","approximateArrivalOfLastRecord":"2026-01-01T00:00:01Z","batchSize":1,"streamArn":"' + table.arn + '"}}',
    )
  })
})

describe('disabling, enabling and deleting a stream mapping while a batch runs or waits', () => {
  const setup = (fail: () => boolean) => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dlq = sim.createQueue('failures')
    const runs: { at: number; data: string[] }[] = []
    sim.createFunction(
      'consumer',
      async (e: KinesisStreamEvent) => {
        runs.push({ at: sim.now() - T0, data: e.Records.map(text) })
        await sim.sleep(3000)
        if (fail()) throw new Error('fails')
      },
      { timeout: 10 },
    )
    const esm = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: dlq.arn } } })
    return { sim, s, dlq, runs, esm }
  }

  it('disabled while a batch runs: the batch finishes and checkpoints, nothing new is read until the mapping is enabled again, then the records that arrived meanwhile run', async () => {
    const { sim, s, runs, esm } = setup(() => false)
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(1000)
    sim.updateEventSourceMapping({ uuid: esm.uuid, enabled: false })
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.advanceBy(60_000)
    expect(runs).toEqual([{ at: 0, data: ['1'] }])
    expect(sim.getEventSourceMapping({ uuid: esm.uuid }).state).toBe('Disabled')
    sim.updateEventSourceMapping({ uuid: esm.uuid, enabled: true })
    await sim.runUntilIdle()
    expect(runs).toEqual([
      { at: 0, data: ['1'] },
      { at: 61_000, data: ['2'] },
    ])
  })

  it('disabled while a failed batch waits for its retry: no retry while disabled; enabled again, the batch is retried with the retries it had left', async () => {
    const { sim, s, dlq, runs, esm } = setup(() => true)
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(3500) // failed at 3 s; the retry would be at 4 s
    sim.updateEventSourceMapping({ uuid: esm.uuid, enabled: false })
    await sim.advanceBy(60_000)
    expect(runs.map((r) => r.at)).toEqual([0])
    sim.updateEventSourceMapping({ uuid: esm.uuid, enabled: true })
    await sim.runUntilIdle()
    // Two retries were left: at 63.5 s (enabled) and 67.5 s (1 s after the 66.5 s failure).
    expect(runs.map((r) => r.at)).toEqual([0, 63_500, 67_500])
    expect((dlq.bodies[0] as KinesisFailureRecord).requestContext.approximateInvokeCount).toBe(3)
  })

  it('deleted while a failed batch waits for its retry: no retry, no on-failure record', async () => {
    const { sim, s, dlq, runs, esm } = setup(() => true)
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(3500)
    sim.deleteEventSourceMapping({ uuid: esm.uuid })
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.runUntilIdle()
    expect(runs.map((r) => r.at)).toEqual([0])
    expect(dlq.bodies).toEqual([])
  })

  it('disabled or deleted while a batch with no retries left runs: the invocation finishes and its failure is still reported (choice); a disabled mapping then resumes after the batch', async () => {
    for (const action of ['disable', 'delete'] as const) {
      const sim = createSimulator()
      const s = sim.createStream('clicks')
      const dlq = sim.createQueue('failures')
      const runs: { at: number; data: string[] }[] = []
      sim.createFunction(
        'consumer',
        async (e: KinesisStreamEvent) => {
          runs.push({ at: sim.now() - T0, data: e.Records.map(text) })
          await sim.sleep(3000)
          if (e.Records.some((r) => text(r) === 'bad')) throw new Error('bad')
        },
        { timeout: 10 },
      )
      const esm = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dlq.arn } } })
      s.putRecord({ partitionKey: 'k', data: 'bad' })
      await sim.advanceBy(1000)
      s.putRecord({ partitionKey: 'k', data: 'next' })
      if (action === 'disable') sim.updateEventSourceMapping({ uuid: esm.uuid, enabled: false })
      else sim.deleteEventSourceMapping({ uuid: esm.uuid })
      await sim.advanceBy(10_000)
      expect(runs).toEqual([{ at: 0, data: ['bad'] }])
      expect(dlq.bodies).toEqual([expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 }), timestamp: '2026-01-01T00:00:03.000Z' })])
      if (action === 'disable') {
        sim.updateEventSourceMapping({ uuid: esm.uuid, enabled: true })
        await sim.runUntilIdle()
        // The failed record was discarded while disabled; the next one runs when enabled again.
        expect(runs).toEqual([
          { at: 0, data: ['bad'] },
          { at: 11_000, data: ['next'] },
        ])
      }
    }
  })

  it('deleted while a batch with retries left runs: the invocation finishes; its failure is not retried, and not reported (no retry ran out)', async () => {
    const { sim, s, dlq, runs, esm } = setup(() => true)
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(1000)
    sim.deleteEventSourceMapping({ uuid: esm.uuid })
    await sim.runUntilIdle()
    expect(runs.map((r) => r.at)).toEqual([0])
    expect(sim.timeline.ofType('attempt-finished')).toHaveLength(1)
    expect(dlq.bodies).toEqual([])
  })
})
