import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { MAX_BATCH_PAYLOAD_BYTES, PayloadBudget } from '../src/event-source-mappings/batch-cap.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const LIMIT = 6_291_456
type Ev = { Records: { body?: string; kinesis?: { data: string } }[]; state?: unknown }
/** UTF-8 bytes of the event as the function received it (the records round-trip to the same JSON). */
const bytesOf = (e: unknown): number => Buffer.byteLength(JSON.stringify(e), 'utf8')

describe('PayloadBudget', () => {
  it('counts UTF-8 bytes of the whole event, wrapper and commas included, and always takes a first record', () => {
    expect(MAX_BATCH_PAYLOAD_BYTES).toBe(LIMIT)
    // {"Records":[]} = 14 bytes; "aaaa" + "," + "bbb" fill 14 + 4 + 1 + 3 = 22 exactly.
    const b = new PayloadBudget('{"Records":[]}', 22)
    expect(b.add('aaaa')).toBe(true)
    expect(b.add('bbb')).toBe(true)
    expect(b.full).toBe(false)
    expect(b.add('')).toBe(false)
    expect(b.full).toBe(true)
    expect(b.records).toBe(2)
    // é is one UTF-16 unit and two UTF-8 bytes: 14 + 4 = 18 fits, one more byte does not.
    const u = new PayloadBudget('{"Records":[]}', 18)
    expect(u.add('éé')).toBe(true)
    expect(new PayloadBudget('{"Records":[]}', 18).add('x'.repeat(100))).toBe(true)
    // 14 + 2 + 1 + 4 = 21 bytes: over a limit of 20.
    const v = new PayloadBudget('{"Records":[]}', 20)
    expect(v.add('é')).toBe(true)
    expect(v.add('éé')).toBe(false)
    expect(v.records).toBe(1)
  })
})

describe('SQS: a batch stops at 6 MB (6,291,456 bytes of event)', () => {
  it('ten 1 MB messages with BatchSize 10 go as batches of 6 and 4 at the same instant', async () => {
    const sim = createSimulator()
    const got: { t: number; n: number; bytes: number }[] = []
    sim.createFunction('consumer', async (e: Ev) => {
      got.push({ t: sim.now() - T0, n: e.Records.length, bytes: bytesOf(e) })
    })
    const q = sim.createQueue('big')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    await sim.runUntilIdle()
    for (let i = 0; i < 10; i++) q.sendMessage({ body: String(i).repeat(1_000_000) })
    await sim.runUntilIdle()
    expect(got.map((g) => [g.t, g.n])).toEqual([
      [0, 6],
      [0, 4],
    ])
    expect(got.every((g) => g.bytes <= LIMIT)).toBe(true)
    expect(q.messages).toHaveLength(0)
  })

  it('counts UTF-8 bytes, not characters: 500,000 × "é" is 1,000,000 bytes', async () => {
    const sim = createSimulator()
    const sizes: number[] = []
    sim.createFunction('consumer', async (e: Ev) => {
      sizes.push(e.Records.length)
    })
    const q = sim.createQueue('accents')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 100, maximumBatchingWindowInSeconds: 1 })
    await sim.runUntilIdle()
    for (let i = 0; i < 10; i++) q.sendMessage({ body: 'é'.repeat(500_000) })
    await sim.runUntilIdle()
    expect(sizes).toEqual([6, 4])
  })

  it('an event of exactly 6,291,456 bytes is one batch; one byte more and the last message waits for the next', async () => {
    // The record overhead (everything but the body) from a probe message: same id, handle and timestamp lengths.
    const probe = createSimulator()
    let overhead = 0
    probe.createFunction('consumer', async (e: Ev) => {
      overhead = bytesOf(e) - 14 - 1
    })
    const pq = probe.createQueue('q')
    probe.createEventSourceMapping({ eventSourceArn: pq.arn, functionName: 'consumer' })
    pq.sendMessage({ body: 'p' })
    await probe.runUntilIdle()
    expect(overhead).toBeGreaterThan(300)
    for (const extra of [0, 1]) {
      const sim = createSimulator()
      const got: { n: number; bytes: number }[] = []
      sim.createFunction('consumer', async (e: Ev) => {
        got.push({ n: e.Records.length, bytes: bytesOf(e) })
      })
      const q = sim.createQueue('q')
      sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
      await sim.runUntilIdle()
      // 14 (wrapper) + 6 commas + 7 × overhead + bodies = LIMIT (+ extra).
      const bodies = LIMIT + extra - 14 - 6 - 7 * overhead
      const each = Math.floor(bodies / 7)
      for (let i = 0; i < 7; i++) q.sendMessage({ body: 'x'.repeat(i < 6 ? each : bodies - 6 * each) })
      await sim.runUntilIdle()
      if (extra === 0) expect(got).toEqual([{ n: 7, bytes: LIMIT }])
      else expect(got.map((g) => g.n)).toEqual([6, 1])
    }
  })

  it('a batch full by size is invoked at once; the rest waits for the batching window', async () => {
    const sim = createSimulator()
    const got: [number, number][] = []
    sim.createFunction('consumer', async (e: Ev) => {
      got.push([sim.now() - T0, e.Records.length])
    })
    const q = sim.createQueue('big')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 100, maximumBatchingWindowInSeconds: 10 })
    await sim.runUntilIdle()
    for (let i = 0; i < 7; i++) q.sendMessage({ body: 'x'.repeat(1_000_000) })
    await sim.runUntilIdle()
    expect(got).toEqual([
      [0, 6],
      [10_000, 1],
    ])
  })

  it('FIFO: the batch stops at 6 MB too, order kept', async () => {
    const sim = createSimulator()
    const got: string[][] = []
    sim.createFunction('consumer', async (e: Ev) => {
      got.push(e.Records.map((r) => (r.body as string).slice(0, 1)))
    })
    const q = sim.createQueue('big.fifo', { fifo: true, contentBasedDeduplication: true })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    await sim.runUntilIdle()
    for (let i = 0; i < 8; i++) q.sendMessage({ body: String(i).repeat(1_000_000), messageGroupId: 'g' })
    await sim.runUntilIdle()
    expect(got).toEqual([
      ['0', '1', '2', '3', '4', '5'],
      ['6', '7'],
    ])
  })
})

describe('Streams: a batch stops at 6 MB; the rest is the next batch from the same position', () => {
  it('Kinesis: ten records of 1,000,000 bytes (1,333,336 in base64) go as 4, 4, 2, a poll a second', async () => {
    const sim = createSimulator()
    const got: [number, string[], number][] = []
    sim.createFunction('consumer', async (e: Ev) => {
      got.push([sim.now() - T0, e.Records.map((r) => Buffer.from(r.kinesis?.data as string, 'base64').toString().slice(0, 1)), bytesOf(e)])
    })
    const s = sim.createStream('big')
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON' })
    for (let i = 0; i < 10; i++) s.putRecord({ partitionKey: 'k', data: String(i).repeat(1_000_000) })
    await sim.runUntilIdle()
    expect(got.map(([t, ids]) => [t, ids.join('')])).toEqual([
      [0, '0123'],
      [1000, '4567'],
      [2000, '89'],
    ])
    expect(got.every(([, , bytes]) => bytes <= LIMIT)).toBe(true)
  })

  it('Kinesis with a batching window: records over 6 MB are read at once, not at the window', async () => {
    const sim = createSimulator()
    const got: [number, number][] = []
    sim.createFunction('consumer', async (e: Ev) => {
      got.push([sim.now() - T0, e.Records.length])
    })
    const s = sim.createStream('big')
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'LATEST', maximumBatchingWindowInSeconds: 5 })
    await sim.runUntilIdle()
    for (let i = 0; i < 5; i++) s.putRecord({ partitionKey: 'k', data: 'x'.repeat(1_000_000) })
    await sim.runUntilIdle()
    expect(got).toEqual([
      [0, 4],
      [5000, 1],
    ])
  })

  it('a failed batch cut at 6 MB is retried whole (same records), then the next batch follows', async () => {
    const sim = createSimulator()
    const got: number[] = []
    let calls = 0
    sim.createFunction('consumer', async (e: Ev) => {
      got.push(e.Records.length)
      if (++calls === 1) throw new Error('once')
    })
    const s = sim.createStream('big')
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON' })
    for (let i = 0; i < 6; i++) s.putRecord({ partitionKey: 'k', data: 'x'.repeat(1_000_000) })
    await sim.runUntilIdle()
    expect(got).toEqual([4, 4, 2])
  })

  it("tumbling window: the window's fields and state count toward the 6 MB", async () => {
    const sim = createSimulator()
    const got: [number, number, boolean][] = []
    sim.createFunction('consumer', async (e: Ev & { isFinalInvokeForWindow: boolean }) => {
      got.push([sim.now() - T0, e.Records.length, e.isFinalInvokeForWindow])
      expect(bytesOf(e)).toBeLessThanOrEqual(LIMIT)
      // A state of about 1,000,000 bytes (under the 1 MB state limit).
      return { state: { pad: 'y'.repeat(1_000_000) } }
    })
    const s = sim.createStream('big')
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', tumblingWindowInSeconds: 60 })
    for (let i = 0; i < 10; i++) s.putRecord({ partitionKey: 'k', data: 'x'.repeat(1_000_000) })
    await sim.runUntilIdle()
    // First batch with state {}: 4 records; with the 1 MB state only 3 fit.
    expect(got).toEqual([
      [0, 4, false],
      [1000, 3, false],
      [2000, 3, false],
      [60_000, 0, true],
    ])
  })
})
