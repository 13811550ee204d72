import type { DynamoDBRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { createSimulator, type DynamoDBStreamFailureRecord, type KinesisFailureRecord, type StreamBatchInfo, type StreamFailureRecord } from '../src/index.js'
import { probeIdle, slowPair } from './helpers/esm.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
type KRec = { kinesis: { partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number }; eventID: string; eventSourceARN: string }
type KEvent = { Records: KRec[] }
const text = (r: KRec): string => Buffer.from(r.kinesis.data, 'base64').toString('utf8')

describe('Kinesis streams (spec §11.4, §11.6)', () => {
  it('partition keys hash with MD5 to shards; records keep per-shard order and the Kinesis record shape', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks', { shards: 4 })
    const batches: KEvent[] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      batches.push(e)
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'LATEST' })
    await sim.runUntilIdle()
    // MD5("a") = 0cc175b9… → shard 0 of 4; MD5("b") = 92eb5ffe… → shard 2.
    expect(s.putRecord({ partitionKey: 'a', data: 'one' }).shardId).toBe('shardId-000000000000')
    expect(s.putRecord({ partitionKey: 'b', data: 'two' }).shardId).toBe('shardId-000000000002')
    s.putRecord({ partitionKey: 'a', data: 'three' })
    await sim.runUntilIdle()
    expect(batches.map((b) => b.Records.map(text))).toEqual([['one', 'three'], ['two']])
    const r = batches[0]?.Records[0] as unknown as Record<string, unknown>
    expect(Object.keys(r)).toEqual(['kinesis', 'eventSource', 'eventVersion', 'eventID', 'eventName', 'invokeIdentityArn', 'awsRegion', 'eventSourceARN'])
    expect(r['eventName']).toBe('aws:kinesis:record')
    const k = r['kinesis'] as Record<string, unknown>
    expect(Object.keys(k)).toEqual(['kinesisSchemaVersion', 'partitionKey', 'sequenceNumber', 'data', 'approximateArrivalTimestamp'])
    expect(k['approximateArrivalTimestamp']).toBe(T0 / 1000)
    expect(r['eventID']).toBe(`shardId-000000000000:${String(k['sequenceNumber'])}`)
  })

  it("shards' hash key ranges start at multiples of ⌊2^128 / N⌋, the last ending at 2^128 − 1: AWS's three-shard layout", () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks', { shards: 3 })
    // DescribeStream's three-shard example: 0–…484, …485–…969, …970–2^128 − 1.
    const shardOf = (explicitHashKey: string): string => s.putRecord({ partitionKey: 'k', data: 'x', explicitHashKey }).shardId
    expect(shardOf('113427455640312821154458202477256070484')).toBe('shardId-000000000000')
    expect(shardOf('113427455640312821154458202477256070485')).toBe('shardId-000000000001')
    expect(shardOf('226854911280625642308916404954512140969')).toBe('shardId-000000000001')
    expect(shardOf('226854911280625642308916404954512140970')).toBe('shardId-000000000002')
    expect(shardOf('340282366920938463463374607431768211455')).toBe('shardId-000000000002')
    // 7 shards: ⌊2^128 / 7⌋ × 7 = 2^128 − 4, so the last shard's range is four keys longer.
    const seven = sim.createStream('seven', { shards: 7 })
    const step = (1n << 128n) / 7n
    const on7 = (k: bigint): string => seven.putRecord({ partitionKey: 'k', data: 'x', explicitHashKey: k.toString() }).shardId
    expect([on7(step - 1n), on7(step), on7(6n * step - 1n), on7(6n * step), on7(7n * step), on7((1n << 128n) - 1n)]).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000005',
      'shardId-000000000006',
      'shardId-000000000006',
      'shardId-000000000006',
    ])
  })

  it('PutRecord refuses a partition key of 0 or over 256 characters, data plus partition key over 1 MiB and a malformed ExplicitHashKey with ValidationException, appending nothing', () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const error = (input: { partitionKey: string; data: string | Uint8Array; explicitHashKey?: string }): string => {
      try {
        s.putRecord(input)
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`
      }
      return 'accepted'
    }
    expect(error({ partitionKey: '', data: 'x' })).toBe("ValidationException: 1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1")
    expect(error({ partitionKey: 'p'.repeat(257), data: 'x' })).toBe(`ValidationException: 1 validation error detected: Value '${'p'.repeat(257)}' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256`)
    expect(error({ partitionKey: 'k', data: new Uint8Array(1_048_576) })).toBe("ValidationException: 1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576")
    for (const key of ['', 'abc', '0x10', '-1', '007', '1'.repeat(40)]) {
      expect(error({ partitionKey: 'k', data: 'x', explicitHashKey: key })).toBe(`ValidationException: 1 validation error detected: Value '${key}' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})`)
    }
    expect(error({ partitionKey: '', data: 'x', explicitHashKey: 'abc' })).toBe(
      "ValidationException: 2 validation errors detected: Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; Value 'abc' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    )
    expect(error({ partitionKey: 'k', data: 'x', explicitHashKey: '340282366920938463463374607431768211456' })).toBe(
      'InvalidArgumentException: Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456',
    )
    expect(s.shards[0]?.records).toEqual([])
    // Exactly 1 MiB of data and partition key together is accepted.
    expect(error({ partitionKey: 'k', data: new Uint8Array(1_048_575) })).toBe('accepted')
    expect(error({ partitionKey: 'k', data: 'x', explicitHashKey: '0' })).toBe('accepted')
  })

  it('PutRecord takes SequenceNumberForOrdering: the new record numbers above it; a malformed one is refused with ValidationException', () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const first = s.putRecord({ partitionKey: 'k', data: 'a' }).sequenceNumber
    const second = s.putRecord({ partitionKey: 'k', data: 'b', sequenceNumberForOrdering: first }).sequenceNumber
    expect(BigInt(second) > BigInt(first)).toBe(true)
    // One from elsewhere (another stream, a real one): the next number is still above it.
    const foreign = '49700000000000000000000000000000000000000000000000000042'
    const third = s.putRecord({ partitionKey: 'k', data: 'c', sequenceNumberForOrdering: foreign }).sequenceNumber
    expect(third).toBe('49700000000000000000000000000000000000000000000000000043')
    expect(BigInt(s.putRecord({ partitionKey: 'k', data: 'd' }).sequenceNumber) > BigInt(third)).toBe(true)
    expect(() => s.putRecord({ partitionKey: 'k', data: 'e', sequenceNumberForOrdering: '01' })).toThrow(
      "1 validation error detected: Value '01' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})",
    )
    expect(s.shards[0]?.records).toHaveLength(4)
  })

  it('PutRecords takes 1–500 records and at most 5 MiB, validates every record before appending any, and names a bad record by its 1-based position', () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const error = (records: { partitionKey: string; data: string | Uint8Array; explicitHashKey?: string }[]): string => {
      try {
        s.putRecords({ records })
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`
      }
      return 'accepted'
    }
    const ok = { partitionKey: 'k', data: 'x' }
    expect(error([])).toBe("ValidationException: 1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1")
    expect(error(Array.from({ length: 501 }, () => ok))).toBe("ValidationException: 1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to 500")
    expect(error([ok, ok, { partitionKey: '', data: 'x' }])).toBe("ValidationException: 1 validation error detected: Value '' at 'records.3.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1")
    expect(error([ok, { partitionKey: 'k', data: new Uint8Array(1_048_576) }])).toBe("ValidationException: 1 validation error detected: Value at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576")
    expect(error([ok, { partitionKey: 'k', data: 'x', explicitHashKey: 'abc' }])).toBe("ValidationException: 1 validation error detected: Value 'abc' at 'records.2.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})")
    expect(error([ok, { partitionKey: 'k', data: 'x', explicitHashKey: '340282366920938463463374607431768211456' }])).toBe(
      'InvalidArgumentException: Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456',
    )
    const mib = { partitionKey: 'k', data: new Uint8Array(1_048_575) }
    expect(error([mib, mib, mib, mib, mib, ok])).toBe('InvalidArgumentException: Records size exceeds 5 MB limit')
    expect(s.shards[0]?.records).toEqual([])
    // Five records of exactly 1 MiB (data and key) are 5 MiB: accepted.
    expect(error([mib, mib, mib, mib, mib])).toBe('accepted')
    expect(s.shards[0]?.records).toHaveLength(5)
  })

  it('Kinesis sequence numbers are 56-digit decimal strings, increasing within a shard', () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const a = s.putRecord({ partitionKey: 'k', data: 'one' }).sequenceNumber
    const b = s.putRecord({ partitionKey: 'k', data: 'two' }).sequenceNumber
    expect(a).toMatch(/^[1-9][0-9]{55}$/)
    expect(b).toMatch(/^[1-9][0-9]{55}$/)
    expect(BigInt(b) > BigInt(a)).toBe(true)
  })

  it('a failing batch blocks its shard and is retried every second until MaximumRetryAttempts, then the on-failure record is sent', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dest = sim.createQueue('failures')
    const at: number[] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      at.push(sim.now() - T0)
      if (e.Records.some((r) => text(r) === 'bad')) throw new Error('bad record')
    })
    const esm = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: dest.arn } } })
    const first = s.putRecord({ partitionKey: 'k', data: 'bad' })
    await sim.runUntilIdle()
    expect(at).toEqual([0, 1000, 2000])
    expect(dest.bodies).toEqual([
      {
        requestContext: { requestId: expect.any(String), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: '2026-01-01T00:00:02.000Z',
        KinesisBatchInfo: {
          shardId: 'shardId-000000000000',
          startSequenceNumber: first.sequenceNumber,
          endSequenceNumber: first.sequenceNumber,
          approximateArrivalOfFirstRecord: '2026-01-01T00:00:00.000Z',
          approximateArrivalOfLastRecord: '2026-01-01T00:00:00.000Z',
          batchSize: 1,
          streamArn: s.arn,
        },
      },
    ])
    expect(sim.getEventSourceMapping({ uuid: esm.uuid }).lastProcessingResult).toBe('PROBLEM: Function call failed')
  })

  it('bisect splits a failing batch in halves without using retry attempts, isolating the bad record', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dest = sim.createQueue('failures')
    const sizes: number[] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      sizes.push(e.Records.length)
      if (e.Records.some((r) => text(r) === '5')) throw new Error('bad')
    })
    for (let i = 0; i < 8; i++) s.putRecord({ partitionKey: 'k', data: String(i) })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dest.arn } } })
    await sim.runUntilIdle()
    // 8 fails → 4 ok + 4 fails → 2 (4,5) fails → 1 (4) ok, 1 (5) fails → on-failure; then 2 (6,7).
    expect(sizes).toEqual([8, 4, 4, 2, 1, 1, 2])
    const rec = dest.bodies[0] as { KinesisBatchInfo: { batchSize: number } }
    expect(rec.KinesisBatchInfo.batchSize).toBe(1)
  })

  it('ReportBatchItemFailures checkpoints before the lowest failed sequence number and retries from it', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const batches: string[][] = []
    let first = true
    sim.createFunction('consumer', async (e: KEvent) => {
      batches.push(e.Records.map(text))
      if (!first) return { batchItemFailures: [] }
      first = false
      return { batchItemFailures: [{ itemIdentifier: e.Records[3]?.kinesis.sequenceNumber }, { itemIdentifier: e.Records[1]?.kinesis.sequenceNumber }] }
    })
    for (let i = 0; i < 5; i++) s.putRecord({ partitionKey: 'k', data: String(i) })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', functionResponseTypes: ['ReportBatchItemFailures'] })
    await sim.runUntilIdle()
    expect(batches).toEqual([
      ['0', '1', '2', '3', '4'],
      ['1', '2', '3', '4'],
    ])
    expect(sim.now() - T0).toBe(1000)
  })

  it('with BisectBatchOnFunctionError and ReportBatchItemFailures, a partial response splits the batch at the returned sequence number and only the rest of that batch is retried', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dest = sim.createQueue('failures')
    const batches: string[][] = []
    const at: number[] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      batches.push(e.Records.map(text))
      at.push(sim.now() - T0)
      const bad = e.Records.find((r) => text(r) === '1')
      return { batchItemFailures: bad === undefined ? [] : [{ itemIdentifier: bad.kinesis.sequenceNumber }] }
    })
    for (let i = 0; i < 6; i++) s.putRecord({ partitionKey: 'k', data: String(i) })
    sim.createEventSourceMapping({
      eventSourceArn: s.arn,
      functionName: 'consumer',
      startingPosition: 'TRIM_HORIZON',
      batchSize: 4,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      maximumRetryAttempts: 1,
      destinationConfig: { onFailure: { destination: dest.arn } },
    })
    await sim.runUntilIdle()
    // [0 1 2 3] reports 1 → the rest of that batch, [1 2 3], twice (one retry), then the later records
    // (polls stay 1 s apart).
    expect(batches).toEqual([
      ['0', '1', '2', '3'],
      ['1', '2', '3'],
      ['1', '2', '3'],
      ['4', '5'],
    ])
    expect(at).toEqual([0, 1000, 2000, 3000])
    expect(dest.bodies).toEqual([expect.objectContaining({ requestContext: expect.objectContaining({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 }), KinesisBatchInfo: expect.objectContaining({ batchSize: 3 }) })])
  })

  it('records older than MaximumRecordAgeInSeconds are discarded with a RecordAgeExceeded record without responseContext', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dest = sim.createQueue('failures')
    sim.createFunction('consumer', async () => {
      throw new Error('always')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRecordAgeInSeconds: 60, destinationConfig: { onFailure: { destination: dest.arn } } })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    await sim.runUntilIdle()
    expect(sim.now() - T0).toBe(61_000)
    const body = dest.bodies[0] as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['requestContext', 'version', 'timestamp', 'KinesisBatchInfo'])
    expect((body['requestContext'] as { condition: string; approximateInvokeCount: number }).condition).toBe('RecordAgeExceeded')
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(61)
  })

  it('a record already past MaximumRecordAgeInSeconds when first read is discarded with approximateInvokeCount 1, as AWS reports it, and the newer records of the batch run', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const dest = sim.createQueue('failures')
    const got: string[][] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      got.push(e.Records.map(text))
    })
    const old = s.putRecord({ partitionKey: 'test', data: 'stream-data' })
    await sim.advanceBy(80_000)
    s.putRecords({ records: [1, 2, 3, 4, 5].map((i) => ({ partitionKey: 'test', data: `stream-data-${i}` })) })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', batchSize: 10, startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, maximumRecordAgeInSeconds: 60, destinationConfig: { onFailure: { destination: dest.arn } } })
    await sim.runUntilIdle()
    expect(got).toEqual([['stream-data-1', 'stream-data-2', 'stream-data-3', 'stream-data-4', 'stream-data-5']])
    expect(dest.bodies).toEqual([
      {
        requestContext: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer', condition: 'RecordAgeExceeded', approximateInvokeCount: 1 },
        version: '1.0',
        timestamp: '2026-01-01T00:01:20.000Z',
        KinesisBatchInfo: {
          shardId: 'shardId-000000000000',
          startSequenceNumber: old.sequenceNumber,
          endSequenceNumber: old.sequenceNumber,
          approximateArrivalOfFirstRecord: '2026-01-01T00:00:00.000Z',
          approximateArrivalOfLastRecord: '2026-01-01T00:00:00.000Z',
          batchSize: 1,
          streamArn: s.arn,
        },
      },
    ])
  })

  it('an S3 on-failure destination receives the record with the full payload', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const bucket = sim.createBucket('failures-bucket')
    sim.createFunction('consumer', async () => {
      throw new Error('always')
    })
    const esm = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: bucket.arn } } })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    await sim.runUntilIdle()
    const [obj] = [...bucket.objects.values()]
    expect(obj?.key).toMatch(new RegExp(`^aws/lambda/${esm.uuid}/shardId-000000000000/2026/01/01/2026-01-01T00\\.00\\.00-[0-9a-f-]{36}$`))
    const body = JSON.parse(obj?.body ?? '{}') as { payload: KEvent }
    expect(body.payload.Records.map(text)).toEqual(['x'])
  })

  it('a parallelization factor runs keys concurrently but keeps each key in order', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const log: string[] = []
    let running = 0
    let peak = 0
    sim.createFunction('consumer', async (e: KEvent) => {
      running++
      peak = Math.max(peak, running)
      await sim.sleep(100)
      for (const r of e.Records) log.push(`${r.kinesis.partitionKey}:${text(r)}`)
      running--
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', parallelizationFactor: 4, batchSize: 1 })
    for (let i = 0; i < 5; i++) for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) s.putRecord({ partitionKey: key, data: String(i) })
    await sim.runUntilIdle()
    expect(peak).toBeGreaterThan(1)
    expect(peak).toBeLessThanOrEqual(4)
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) expect(log.filter((l) => l.startsWith(`${key}:`))).toEqual([0, 1, 2, 3, 4].map((i) => `${key}:${i}`))
  })

  /** Eight keys, 3 records each, batch size 1, a 10 s handler: the start times and the per-key order, with `change` applied at 0.5 s. */
  async function factorRun(factor: number, change: number): Promise<{ starts: number[]; peak: number; inOrder: boolean }> {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const log: string[] = []
    let running = 0
    let peak = 0
    sim.createFunction(
      'consumer',
      async (e: KEvent) => {
        running++
        peak = Math.max(peak, running)
        await sim.sleep(10_000)
        for (const r of e.Records) log.push(`${r.kinesis.partitionKey}:${text(r)}`)
        running--
      },
      { timeout: 30 },
    )
    const m = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', parallelizationFactor: factor, batchSize: 1 })
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    for (let i = 0; i < 3; i++) for (const key of keys) s.putRecord({ partitionKey: key, data: String(i) })
    await sim.advanceBy(500)
    sim.updateEventSourceMapping({ uuid: m.uuid, parallelizationFactor: change })
    await sim.runUntilIdle()
    const inOrder = keys.every((key) => log.filter((l) => l.startsWith(`${key}:`)).join() === [0, 1, 2].map((i) => `${key}:${i}`).join())
    return { starts: sim.timeline.ofType('attempt-started').map((e) => e.time - T0), peak, inOrder }
  }

  it('a raised parallelization factor takes effect once the running batch ends: 1 → 3 runs three batches at once, each key in order', async () => {
    const r = await factorRun(1, 3)
    expect(r.starts.slice(0, 4)).toEqual([0, 10_000, 10_000, 10_000])
    expect(r.peak).toBe(3)
    expect(r.starts).toHaveLength(24)
    expect(r.inOrder).toBe(true)
  })

  it('a lowered parallelization factor waits for the running batches, then runs one at a time: 4 → 1, each key in order', async () => {
    const r = await factorRun(4, 1)
    expect(r.starts.slice(0, 6)).toEqual([0, 0, 0, 0, 10_000, 20_000])
    expect(r.peak).toBe(4)
    expect(r.starts).toHaveLength(24)
    expect(r.starts.slice(4).every((t, i) => t === 10_000 * (i + 1))).toBe(true)
    expect(r.inOrder).toBe(true)
  })

  it('while a lowered parallelization factor waits, a batch being retried goes on only when fewer batches than the new factor run', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    // Calls in order: 1 s, 0 s, 5 s, then the 4th call fails (and is retried); the rest are instant.
    const sleeps = [1_000, 0, 5_000]
    let calls = 0
    sim.createFunction(
      'consumer',
      async () => {
        const k = calls++
        await sim.sleep(sleeps[k] ?? 0)
        if (k === 3) throw new Error('the 4th call fails')
      },
      { timeout: 10 },
    )
    const m = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', batchSize: 3, parallelizationFactor: 2 })
    for (const key of ['k0', 'k1']) for (let i = 0; i < 4; i++) s.putRecord({ partitionKey: key, data: `${key}-${i}` })
    await sim.advanceBy(1_500)
    // At 1.5 s: one lane's batch failed at 1 s and waits for its retry, the other runs a batch until 6 s.
    sim.updateEventSourceMapping({ uuid: m.uuid, parallelizationFactor: 1 })
    await sim.runUntilIdle()
    const batches = sim.timeline.ofType('esm').filter((e) => e.action === 'batch')
    const starts = batches.map((e) => e.time - T0)
    expect(starts).toEqual([0, 0, 1_000, 1_000, 6_000])
    // The retried batch is the one that failed at 1 s, started again only once the other ended.
    expect(batches[4]?.ids).toEqual(batches[3]?.ids)
  })

  it('a new parallelization factor keeps the throttle backoff of the batch it deals again: throttled at 0, 1, 3 and 7 s, the next poll is still at 15 s', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    sim.createFunction('consumer', async () => undefined)
    sim.putFunctionConcurrency('consumer', 0)
    const m = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', batchSize: 1 })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    await sim.advanceBy(10_000)
    expect(sim.timeline.ofType('esm').filter((e) => e.action === 'throttled').map((e) => e.time - T0)).toEqual([0, 1_000, 3_000, 7_000])
    sim.updateEventSourceMapping({ uuid: m.uuid, parallelizationFactor: 2 })
    sim.deleteFunctionConcurrency('consumer')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - T0)).toEqual([15_000])
  })

  it('an update while a failed batch waits for its retry keeps the retry 1 s after the failure', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    let calls = 0
    sim.createFunction(
      'consumer',
      async () => {
        const k = calls++
        await sim.sleep(5_000)
        if (k === 0) throw new Error('the first call fails')
      },
      { timeout: 10 },
    )
    const m = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', batchSize: 1 })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    await sim.advanceBy(5_100)
    sim.updateEventSourceMapping({ uuid: m.uuid, batchSize: 2 })
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - T0)).toEqual([0, 6_000])
  })

  it("the on-failure record of a batch names the function it ran on, even if the mapping was pointed at another one meanwhile", async () => {
    const sim = createSimulator()
    for (const name of ['f', 'g']) {
      sim.createFunction(
        name,
        async () => {
          await sim.sleep(5_000)
          throw new Error(`${name} fails`)
        },
        { timeout: 10 },
      )
    }
    const s = sim.createStream('clicks')
    const failures = sim.createQueue('failures')
    const m = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'f', startingPosition: 'TRIM_HORIZON', batchSize: 1, maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: failures.arn } } })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    await sim.advanceBy(1_000)
    sim.updateEventSourceMapping({ uuid: m.uuid, functionName: 'g' })
    await sim.runUntilIdle()
    const records = failures.messages.map((x) => (JSON.parse(x.body) as { requestContext: { functionArn: string } }).requestContext.functionArn)
    expect(records).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:f'])
  })

  it('a stream mapping pointed at another function while a batch runs frees the first function when the batch ends', async () => {
    const sim = createSimulator()
    const ran = slowPair(sim, T0)
    const s = sim.createStream('clicks')
    const m = sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'f', startingPosition: 'TRIM_HORIZON', batchSize: 1 })
    s.putRecord({ partitionKey: 'k', data: '1' })
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.advanceBy(1_000)
    sim.updateEventSourceMapping({ uuid: m.uuid, functionName: 'g' })
    await sim.advanceBy(30_000)
    expect(ran).toEqual(['f@0', 'g@10000'])
    expect(await probeIdle(sim, 'f')).toEqual([200, 'TooManyRequestsException'])
    expect(await probeIdle(sim, 'g')).toEqual([200, 'TooManyRequestsException'])
  })

  it('AT_TIMESTAMP starts at the first record that arrived at or after the timestamp; LATEST skips existing records', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const got: string[] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      got.push(...e.Records.map(text))
    })
    s.putRecord({ partitionKey: 'k', data: 'old' })
    await sim.advanceBy(10_000)
    s.putRecord({ partitionKey: 'k', data: 'new' })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 + 5000 })
    await sim.runUntilIdle()
    expect(got).toEqual(['new'])
    expect(() => sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 + 60_000 })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValueException', message: 'The StartingPositionTimestamp can not be in the future.' }),
    )
  })

  /** Put `data` records on a fresh stream read through a mapping with one filter `pattern`: what the consumer got and what was filtered out. */
  async function filterKinesis(pattern: unknown, data: (string | object)[]): Promise<{ got: string[]; filtered: number }> {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const got: string[] = []
    sim.createFunction('consumer', async (e: KEvent) => {
      got.push(...e.Records.map(text))
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', filterCriteria: { filters: [{ pattern: JSON.stringify(pattern) }] } })
    for (const d of data) s.putRecord({ partitionKey: 'k', data: d })
    await sim.advanceBy(5_000)
    return { got, filtered: sim.timeline.ofType('esm').flatMap((e) => (e.action === 'filtered' ? (e.ids ?? []) : [])).length }
  }

  it("filters match Kinesis data decoded as JSON under the top-level data key, AWS's documented pattern form", async () => {
    const r = await filterKinesis({ data: { type: ['click'] } }, [{ type: 'click', n: 1 }, { type: 'view' }])
    expect(r).toEqual({ got: ['{"type":"click","n":1}'], filtered: 1 })
  })

  it('a Kinesis filter on data that is a JSON number compares it as a number; records that match no filter are skipped past', async () => {
    const r = await filterKinesis({ data: [{ numeric: ['<', 45] }] }, ['1', '44', '45', '50', 'not json'])
    expect(r).toEqual({ got: ['1', '44'], filtered: 3 })
  })

  it("the record's kinesis.data is the base64 string, so a pattern on kinesis.data fields matches nothing (AWS filters on the data key only)", async () => {
    const r = await filterKinesis({ kinesis: { data: { type: ['click'] } } }, [{ type: 'click' }])
    expect(r).toEqual({ got: [], filtered: 1 })
  })

  it('polls a shard at most once per second and not at all while idle', async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const at: number[] = []
    sim.createFunction('consumer', async () => {
      at.push(sim.now() - T0)
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'LATEST' })
    await sim.runUntilIdle()
    s.putRecord({ partitionKey: 'k', data: '1' })
    await sim.advanceBy(200)
    s.putRecord({ partitionKey: 'k', data: '2' })
    await sim.advanceBy(3600_000)
    expect(at).toEqual([0, 1000])
    expect(sim.pending()).toEqual([])
  })
})

describe('creating a stream or table that exists', () => {
  it('createStream with an existing name is ResourceInUseException "Stream <name> under account <account> already exists."; createTableStream of an existing table "Table already exists: <name>"', () => {
    const sim = createSimulator()
    sim.createStream('clicks')
    expect(() => sim.createStream('clicks')).toThrow(expect.objectContaining({ name: 'ResourceInUseException', statusCode: 400, message: 'Stream clicks under account 123456789012 already exists.' }))
    sim.createTableStream('orders')
    expect(() => sim.createTableStream('orders')).toThrow(expect.objectContaining({ name: 'ResourceInUseException', statusCode: 400, message: 'Table already exists: orders' }))
  })
})

describe('DynamoDB streams (spec §11.4, §11.6)', () => {
  it('putItem, updateItem and deleteItem produce INSERT, MODIFY and REMOVE records with eventVersion 1.1', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders', { streamViewType: 'NEW_AND_OLD_IMAGES', keySchema: ['pk'] })
    const records: Record<string, unknown>[] = []
    sim.createFunction('consumer', async (e: { Records: Record<string, unknown>[] }) => {
      records.push(...e.Records)
    })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'LATEST' })
    await sim.runUntilIdle()
    table.putItem({ pk: 'o1', total: 5 })
    table.updateItem({ pk: 'o1' }, { total: 7 })
    table.deleteItem({ pk: 'o1' })
    await sim.runUntilIdle()
    expect(records.map((r) => r['eventName'])).toEqual(['INSERT', 'MODIFY', 'REMOVE'])
    const r = records[1] as Record<string, unknown>
    expect(Object.keys(r)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN'])
    expect(r['eventVersion']).toBe('1.1')
    expect(r['eventSource']).toBe('aws:dynamodb')
    expect(r['eventSourceARN']).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000')
    const d = r['dynamodb'] as Record<string, unknown>
    expect(Object.keys(d)).toEqual(['ApproximateCreationDateTime', 'Keys', 'NewImage', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType'])
    expect(d['Keys']).toEqual({ pk: { S: 'o1' } })
    expect(d['NewImage']).toEqual({ pk: { S: 'o1' }, total: { N: '7' } })
    expect(d['OldImage']).toEqual({ pk: { S: 'o1' }, total: { N: '5' } })
    expect(d['ApproximateCreationDateTime']).toBe(T0 / 1000)
  })

  it('an item value DynamoDB cannot store (NaN, Infinity, an empty or mixed set, a function) is refused naming the attribute; the table and its stream are unchanged', () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders')
    table.putItem({ id: '1', total: 5 })
    const error = (item: Record<string, unknown>): string => {
      try {
        table.putItem(item)
      } catch (e) {
        return (e as Error).message
      }
      return 'accepted'
    }
    expect(error({ id: '1', total: Number.NaN })).toBe('Cannot store NaN in a DynamoDB item (attribute "total"): special numeric values are not allowed')
    expect(error({ id: '1', m: { deep: [1, Number.POSITIVE_INFINITY] } })).toBe('Cannot store Infinity in a DynamoDB item (attribute "m.deep[1]"): special numeric values are not allowed')
    expect(error({ id: '1', tags: new Set() })).toBe('Cannot store an empty set in a DynamoDB item (attribute "tags"): sets must not be empty')
    expect(error({ id: '1', tags: new Set(['a', 1]) })).toBe('Cannot store a set of mixed types in a DynamoDB item (attribute "tags"): only string, number or binary sets are allowed')
    expect(error({ id: '1', f: () => 1 })).toBe('Cannot store a function in a DynamoDB item (attribute "f")')
    expect(table.items.get('["1"]')).toEqual({ id: '1', total: 5 })
    expect(table.shards[0]?.records).toHaveLength(1)
    expect(() => table.recordChange({ eventName: 'INSERT', keys: { id: '3' }, newImage: { id: '3', n: Number.NaN } })).toThrow('Cannot store NaN in a DynamoDB item (attribute "n")')
    table.putItem({ id: '2', tags: new Set(['a', 'b']), nums: new Set([1, 2]), bins: new Set([new Uint8Array([1]), new Uint8Array([2])]) })
    const r = JSON.parse(table.shards[0]?.records[1]?.recordJson ?? '{}') as { dynamodb: { NewImage: Record<string, unknown> } }
    expect(r.dynamodb.NewImage).toEqual({ id: { S: '2' }, tags: { SS: ['a', 'b'] }, nums: { NS: ['1', '2'] }, bins: { BS: ['AQ==', 'Ag=='] } })
    // The refused change used no sequence number: the records still follow one another.
    expect(BigInt(table.shards[0]?.records[1]?.sequenceNumber ?? '0') - BigInt(table.shards[0]?.records[0]?.sequenceNumber ?? '0')).toBe(1n)
  })

  it('a put that does not change the item writes no stream record, whatever the order of its attributes', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders')
    const names: string[] = []
    sim.createFunction('consumer', async (e: { Records: { eventName: string }[] }) => {
      names.push(...e.Records.map((r) => r.eventName))
    })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON' })
    table.putItem({ id: '1', a: 1, m: { x: 1, y: 2 } })
    table.putItem({ m: { y: 2, x: 1 }, a: 1, id: '1' })
    table.updateItem({ id: '1' }, { a: 1 })
    table.putItem({ id: '1', a: 2, m: { x: 1, y: 2 } })
    await sim.advanceBy(2_000)
    expect(names).toEqual(['INSERT', 'MODIFY'])
  })

  it("a DynamoDB record's SizeBytes is the DynamoDB item size of its Keys and images, as AWS records it", async () => {
    const sim = createSimulator()
    const sizes = new Map<string, number[]>()
    sim.createFunction('consumer', async (e: { Records: { eventSourceARN: string; dynamodb: { SizeBytes: number } }[] }) => {
      for (const r of e.Records) sizes.set(r.eventSourceARN.split('/')[1] as string, [...(sizes.get(r.eventSourceARN.split('/')[1] as string) ?? []), r.dynamodb.SizeBytes])
    })
    const both = sim.createTableStream('both', { streamViewType: 'NEW_AND_OLD_IMAGES' })
    const newOnly = sim.createTableStream('new-only', { streamViewType: 'NEW_IMAGE', keySchema: ['my_partition_key'] })
    const nested = sim.createTableStream('nested', { streamViewType: 'NEW_IMAGE', keySchema: ['k'] })
    for (const t of [both, newOnly, nested]) sim.createEventSourceMapping({ eventSourceArn: t.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON' })
    // LocalStack's AWS-validated recordings (test_lambda_integration_dynamodbstreams, 2025-11).
    both.putItem({ id: 'id_value', id2: 'id2_value' }) // 10 + 22
    both.putItem({ id: 'id_value' }) // 10 + 10 + 22 (MODIFY)
    both.putItem({ id: 'id_value', id2: 'id2_new_value' }) // 10 + 26 + 10
    both.putItem({ id: 'id_value_1', numericFilter: 42 }) // 12 + 12 + 13 + 2
    newOnly.putItem({ my_partition_key: 'testId0', should_fail: false }) // 23 + 23 + 12
    newOnly.putItem({ my_partition_key: 'hello world', binary_key: new TextEncoder().encode('foobar') }) // 27 + 27 + 16
    // The documented rules: a number is 1 byte per two significant digits + 1; a list or map 3 bytes + 1 per element.
    nested.putItem({ k: 'a', n: -1234500, l: [1, 'xy'], m: { b: true, z: null } })
    await sim.advanceBy(2_000)
    expect(sizes.get('both')).toEqual([32, 42, 46, 39])
    expect(sizes.get('new-only')).toEqual([58, 70])
    // Keys 2; image: k 2, n 1 + (12345 → 3) + 1 = 5, l 1 + 3 + (2 + 1) + (2 + 1) = 10, m 1 + 3 + (1 + 1 + 1) + (1 + 1 + 1) = 10.
    expect(sizes.get('nested')).toEqual([2 + 2 + 5 + 10 + 10])
  })

  it("filters match DynamoDB records in AWS's documented forms: typed Keys and NewImage under dynamodb", async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('customers', { streamViewType: 'NEW_IMAGE', keySchema: ['CustomerName'] })
    const got: string[] = []
    sim.createFunction('consumer', async (e: { Records: { eventName: string; dynamodb: { Keys: { CustomerName: { S: string } } } }[] }) => {
      got.push(...e.Records.map((r) => `${r.eventName} ${r.dynamodb.Keys.CustomerName.S}`))
    })
    // The two examples of with-ddb-filtering.html, ORed.
    const byKey = { dynamodb: { Keys: { CustomerName: { S: ['AnyCompany Industries'] } } } }
    const byAttribute = { dynamodb: { NewImage: { AccountManager: { S: ['Pat Candella', 'Shirley Rodriguez'] } } } }
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', filterCriteria: { filters: [{ pattern: JSON.stringify(byKey) }, { pattern: JSON.stringify(byAttribute) }] } })
    table.putItem({ CustomerName: 'AnyCompany Industries', AccountManager: 'Arnav Desai', PaymentTerms: '60 days' })
    table.putItem({ CustomerName: 'Example Corp', AccountManager: 'Shirley Rodriguez' })
    table.putItem({ CustomerName: 'Other Inc', AccountManager: 'Nobody' })
    await sim.advanceBy(5_000)
    expect(got).toEqual(['INSERT AnyCompany Industries', 'INSERT Example Corp'])
  })

  it("a DynamoDB on-failure record gives the records' arrival in whole seconds without milliseconds, as AWS does", async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders', { streamViewType: 'KEYS_ONLY' })
    const dest = sim.createQueue('failures')
    sim.createFunction('consumer', async () => {
      throw new Error('x')
    })
    await sim.advanceBy(1_234)
    table.putItem({ id: '1' })
    await sim.advanceBy(750)
    table.putItem({ id: '2' })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dest.arn } } })
    await sim.runUntilIdle()
    const rec = dest.bodies[0] as { timestamp: string; DDBStreamBatchInfo: Record<string, unknown> }
    expect(rec.DDBStreamBatchInfo['approximateArrivalOfFirstRecord']).toBe('2026-01-01T00:00:01Z')
    expect(rec.DDBStreamBatchInfo['approximateArrivalOfLastRecord']).toBe('2026-01-01T00:00:01Z')
    expect(rec.DDBStreamBatchInfo['batchSize']).toBe(2)
    expect(rec.timestamp).toBe('2026-01-01T00:00:01.984Z')
  })

  it('a failed DynamoDB batch sends a DDBStreamBatchInfo record', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders', { streamViewType: 'KEYS_ONLY' })
    const dest = sim.createTopic('failures')
    const dq = sim.createQueue('failures-q')
    dest.subscribe(dq)
    sim.createFunction('consumer', async () => {
      throw new Error('x')
    })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: dest.arn } } })
    table.putItem({ id: '1' })
    await sim.runUntilIdle()
    const note = dq.bodies[0] as { Message: string }
    const rec = JSON.parse(note.Message) as { DDBStreamBatchInfo: { batchSize: number; streamArn: string }; requestContext: { approximateInvokeCount: number } }
    expect(rec.DDBStreamBatchInfo.batchSize).toBe(1)
    expect(rec.DDBStreamBatchInfo.streamArn).toBe(table.arn)
    expect(rec.requestContext.approximateInvokeCount).toBe(2)
  })

  it('the on-failure record a Kinesis or DynamoDB mapping sends is a StreamFailureRecord: equal to a value of the exported type, no key the type lacks, in its order (queue and S3 destinations)', async () => {
    // Every key of the exported types in AWS's order; tsc refuses a list that misses or adds one.
    const kinesisKeys: { [K in keyof KinesisFailureRecord]-?: true } = { requestContext: true, responseContext: true, version: true, timestamp: true, KinesisBatchInfo: true, payload: true }
    const dynamoKeys: { [K in keyof DynamoDBStreamFailureRecord]-?: true } = { requestContext: true, responseContext: true, version: true, timestamp: true, DDBStreamBatchInfo: true, payload: true }
    const contextKeys: { [K in keyof StreamFailureRecord['requestContext']]-?: true } = { requestId: true, functionArn: true, condition: true, approximateInvokeCount: true }
    const responseKeys: { [K in keyof NonNullable<StreamFailureRecord['responseContext']>]-?: true } = { statusCode: true, executedVersion: true, functionError: true }
    const infoKeys: { [K in keyof StreamBatchInfo]-?: true } = { shardId: true, startSequenceNumber: true, endSequenceNumber: true, approximateArrivalOfFirstRecord: true, approximateArrivalOfLastRecord: true, batchSize: true, streamArn: true }
    const keysIn = (value: object, typed: object): void => expect(Object.keys(value)).toEqual(Object.keys(typed).filter((k) => k in value))
    const checkKeys = (rec: StreamFailureRecord): void => {
      keysIn(rec, 'KinesisBatchInfo' in rec ? kinesisKeys : dynamoKeys)
      keysIn(rec.requestContext, contextKeys)
      if (rec.responseContext !== undefined) keysIn(rec.responseContext, responseKeys)
      keysIn('KinesisBatchInfo' in rec ? rec.KinesisBatchInfo : rec.DDBStreamBatchInfo, infoKeys)
    }

    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const table = sim.createTableStream('orders', { streamViewType: 'KEYS_ONLY' })
    const queue = sim.createQueue('failures')
    const bucket = sim.createBucket('failures-bucket')
    sim.createFunction('consumer', async () => {
      throw new Error('always')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: queue.arn } } })
    sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: bucket.arn } } })
    const put = s.putRecord({ partitionKey: 'k', data: 'x' })
    table.putItem({ id: '1' })
    await sim.runUntilIdle()

    const kinesis = queue.bodies[0] as StreamFailureRecord
    const expectedKinesis: KinesisFailureRecord = {
      requestContext: { requestId: expect.any(String) as string, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-01T00:00:00.000Z',
      KinesisBatchInfo: { shardId: 'shardId-000000000000', startSequenceNumber: put.sequenceNumber, endSequenceNumber: put.sequenceNumber, approximateArrivalOfFirstRecord: '2026-01-01T00:00:00.000Z', approximateArrivalOfLastRecord: '2026-01-01T00:00:00.000Z', batchSize: 1, streamArn: s.arn },
    }
    expect(kinesis).toEqual(expectedKinesis)
    checkKeys(kinesis)

    const [object] = [...bucket.objects.values()]
    const dynamo = JSON.parse(object?.body ?? '{}') as StreamFailureRecord
    const expectedDynamo: DynamoDBStreamFailureRecord = {
      requestContext: { requestId: expect.any(String) as string, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-01T00:00:00.000Z',
      DDBStreamBatchInfo: { shardId: expect.any(String) as string, startSequenceNumber: expect.any(String) as string, endSequenceNumber: expect.any(String) as string, approximateArrivalOfFirstRecord: '2026-01-01T00:00:00Z', approximateArrivalOfLastRecord: '2026-01-01T00:00:00Z', batchSize: 1, streamArn: table.arn },
      payload: { Records: [expect.objectContaining({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: expect.objectContaining({ Keys: { id: { S: '1' } } }) as DynamoDBRecord['dynamodb'] }) as DynamoDBRecord] },
    }
    expect(dynamo).toEqual(expectedDynamo)
    checkKeys(dynamo)
  })
})
