import { describe, expect, it } from 'vitest'
import { createSimulator, type SimEvent } from '../src/index.js'
import { probeIdle, slowPair } from './helpers/esm.js'

type Rec = { messageId: string; body: string; attributes: Record<string, string>; receiptHandle: string }
type SqsEvent = { Records: Rec[] }

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

function esmEvents(sim: ReturnType<typeof createSimulator>, action?: string): Extract<SimEvent, { type: 'esm' }>[] {
  return sim.timeline.ofType('esm').filter((e) => action === undefined || e.action === action)
}

describe('SQS standard queue mapping', () => {
  it('a message sent to the queue is delivered in a batch and deleted after success', async () => {
    const sim = createSimulator()
    const seen: SqsEvent[] = []
    sim.createFunction('consumer', async (e: SqsEvent) => {
      seen.push(e)
    })
    const q = sim.createQueue('jobs')
    const esm = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    expect(esm.state).toBe('Creating')
    expect(esm.batchSize).toBe(10)
    q.sendMessage({ body: '{"n":1}', messageAttributes: { kind: { dataType: 'String', stringValue: 'a' } } })
    await sim.runUntilIdle()
    expect(sim.getEventSourceMapping({ uuid: esm.uuid }).state).toBe('Enabled')
    expect(seen).toHaveLength(1)
    const r = seen[0]?.Records[0] as unknown as Record<string, unknown>
    expect(Object.keys(r)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion'])
    expect(r['attributes']).toEqual({ ApproximateReceiveCount: '1', SentTimestamp: String(T0), SenderId: '123456789012', ApproximateFirstReceiveTimestamp: String(T0) })
    expect(r['messageAttributes']).toEqual({ kind: { stringValue: 'a', stringListValues: [], binaryListValues: [], dataType: 'String' } })
    expect(r['eventSource']).toBe('aws:sqs')
    expect(r['eventSourceARN']).toBe('arn:aws:sqs:us-east-1:123456789012:jobs')
    expect(typeof r['md5OfMessageAttributes']).toBe('string')
    expect(q.messages).toHaveLength(0)
    expect(sim.now()).toBe(T0)
  })
})

describe('SQS failures, visibility and redrive', () => {
  it('a failing batch becomes visible again after the visibility timeout, ApproximateReceiveCount rising, and moves to the DLQ after maxReceiveCount', async () => {
    const sim = createSimulator()
    const counts: string[] = []
    const times: number[] = []
    sim.createFunction('consumer', async (e: SqsEvent) => {
      counts.push(e.Records[0]?.attributes['ApproximateReceiveCount'] as string)
      times.push(sim.now() - T0)
      throw new Error('boom')
    })
    const dlq = sim.createQueue('jobs-dlq')
    const q = sim.createQueue('jobs', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    const { messageId } = q.sendMessage({ body: 'poison' })
    await sim.runUntilIdle()
    expect(counts).toEqual(['1', '2', '3'])
    expect(times).toEqual([0, 30_000, 60_000])
    expect(q.messages).toHaveLength(0)
    expect(dlq.messages.map((m) => [m.messageId, m.body])).toEqual([[messageId, 'poison']])
    expect(sim.now() - T0).toBe(90_000)
    expect(q.redrivenCount).toBe(1)
  })

  it('the effective visibility timeout is window + function timeout + 30 s when that exceeds the queue timeout', async () => {
    const sim = createSimulator()
    const times: number[] = []
    sim.createFunction(
      'consumer',
      async () => {
        times.push(sim.now() - T0)
        throw new Error('x')
      },
      { timeout: 30 },
    )
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    // CreateEventSourceMapping refuses a queue timeout below the function's; a later update of the function does not.
    sim.updateFunctionConfiguration('consumer', { timeout: 60 })
    q.sendMessage({ body: 'a' })
    await sim.advanceBy(200_000)
    // 0 + 60 + 30 = 90 s hidden per receive.
    expect(times).toEqual([0, 90_000, 180_000])
  })

  it('CreateEventSourceMapping refuses a queue whose visibility timeout is less than the function timeout (InvalidParameterValueException, AWS text); equal is accepted', () => {
    const sim = createSimulator()
    sim.createFunction('consumer', async () => {}, { timeout: 180 })
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    let err: unknown
    try {
      sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ name: 'InvalidParameterValueException', statusCode: 400, message: 'Queue visibility timeout: 60 seconds is less than Function timeout: 180 seconds' })
    expect(sim.listEventSourceMappings().eventSourceMappings).toHaveLength(0)
    const fifo = sim.createQueue('jobs.fifo', { visibilityTimeout: 179 })
    expect(() => sim.createEventSourceMapping({ eventSourceArn: fifo.arn, functionName: 'consumer' })).toThrow('Queue visibility timeout: 179 seconds is less than Function timeout: 180 seconds')
    const equal = sim.createQueue('equal', { visibilityTimeout: 180 })
    expect(sim.createEventSourceMapping({ eventSourceArn: equal.arn, functionName: 'consumer' }).state).toBe('Creating')
  })

  it('the visibility-timeout check reads the timeout of the version a qualified function name runs (an alias: the longest of its versions)', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('consumer', async () => {}, { timeout: 20 })
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 90 })
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 10 })
    sim.createAlias(fn, { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.1 } } })
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    expect(sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer:1' }).state).toBe('Creating')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer:2' })).toThrow('Queue visibility timeout: 30 seconds is less than Function timeout: 90 seconds')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer:live' })).toThrow('Queue visibility timeout: 30 seconds is less than Function timeout: 90 seconds')
    expect(sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' }).state).toBe('Creating')
  })

  it('a thrown error fails the whole batch, even messages already processed', async () => {
    const sim = createSimulator()
    const batches: string[][] = []
    let calls = 0
    sim.createFunction('consumer', async (e: SqsEvent) => {
      batches.push(e.Records.map((r) => r.body))
      if (calls++ === 0) throw new Error('first call fails')
    })
    const q = sim.createQueue('jobs', { visibilityTimeout: 10 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    q.sendMessageBatch([
      { id: '1', body: 'a' },
      { id: '2', body: 'b' },
    ])
    await sim.runUntilIdle()
    expect(batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ])
    expect(sim.now() - T0).toBe(10_000)
  })

  it('messages are hidden while a handler runs and deleted when it ends', async () => {
    const sim = createSimulator()
    sim.createFunction(
      'slow',
      async () => {
        await sim.sleep(5000)
      },
      { timeout: 10 },
    )
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'slow' })
    q.sendMessage({ body: 'a' })
    await sim.advanceBy(1000)
    expect(q.messages).toHaveLength(1)
    expect(q.inFlightCount).toBe(1)
    expect(q.visibleCount).toBe(0)
    await sim.advanceBy(4000)
    expect(q.messages).toHaveLength(0)
  })

  it('a message past the retention period is deleted by SQS', async () => {
    const sim = createSimulator()
    let calls = 0
    sim.createFunction('consumer', async () => {
      calls++
      throw new Error('x')
    })
    const q = sim.createQueue('jobs', { visibilityTimeout: 600, messageRetentionPeriod: 3600 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    q.sendMessage({ body: 'a' })
    await sim.runUntilIdle()
    expect(calls).toBe(6)
    expect(q.messages).toHaveLength(0)
    expect(sim.now() - T0).toBe(3_600_000)
  })
})

describe('ReportBatchItemFailures (spec §11.2)', () => {
  async function run(response: unknown): Promise<{ deliveries: number[][]; remaining: number }> {
    const sim = createSimulator()
    const deliveries: number[][] = []
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    let first = true
    let ids: string[] = []
    sim.createFunction('consumer', async (e: SqsEvent) => {
      deliveries.push(e.Records.map((r) => Number(r.body)))
      if (!first) return null
      first = false
      ids = e.Records.map((r) => r.messageId)
      return typeof response === 'function' ? (response as (ids: string[]) => unknown)(ids) : response
    })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', functionResponseTypes: ['ReportBatchItemFailures'] })
    q.sendMessageBatch([1, 2, 3].map((n) => ({ id: String(n), body: String(n) })))
    await sim.runUntilIdle()
    return { deliveries, remaining: q.messages.length }
  }

  it('only the listed messages are redelivered after the visibility timeout', async () => {
    const r = await run((ids: string[]) => ({ batchItemFailures: [{ itemIdentifier: ids[1] }] }))
    expect(r.deliveries).toEqual([[1, 2, 3], [2]])
  })

  for (const [name, response] of [
    ['null response', null],
    ['empty object', {}],
    ['null batchItemFailures', { batchItemFailures: null }],
    ['empty batchItemFailures', { batchItemFailures: [] }],
  ] as const) {
    it(`${name} is a complete success`, async () => {
      const r = await run(response)
      expect(r.deliveries).toEqual([[1, 2, 3]])
    })
  }

  for (const [name, response] of [
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a wrong key name', { batchItemFailures: [{ foo: 'notvalid' }] }],
    ['an unknown message id', { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }],
    ['a string response', 'oops'],
    ['batchItemFailures that is not a list', { batchItemFailures: 'x' }],
  ] as const) {
    it(`${name} fails the whole batch`, async () => {
      const r = await run(response)
      expect(r.deliveries).toEqual([
        [1, 2, 3],
        [1, 2, 3],
      ])
    })
  }

  it('without ReportBatchItemFailures a partial response is ignored (success)', async () => {
    const sim = createSimulator()
    let calls = 0
    sim.createFunction('consumer', async (e: SqsEvent) => {
      calls++
      return { batchItemFailures: [{ itemIdentifier: e.Records[0]?.messageId }] }
    })
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    q.sendMessage({ body: 'a' })
    await sim.runUntilIdle()
    expect(calls).toBe(1)
    expect(q.messages).toHaveLength(0)
  })
})

describe('batching', () => {
  it('batch size caps a batch; the rest goes in the next batch at the same instant', async () => {
    const sim = createSimulator()
    const sizes: number[] = []
    sim.createFunction('consumer', async (e: SqsEvent) => {
      sizes.push(e.Records.length)
    })
    const q = sim.createQueue('jobs')
    for (let i = 0; i < 25; i++) q.sendMessage({ body: String(i) })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    await sim.runUntilIdle()
    expect(sizes).toEqual([10, 10, 5])
    expect(sim.now()).toBe(T0)
  })

  it('with a batching window, the batch waits for the window unless it fills first', async () => {
    const sim = createSimulator()
    const got: { at: number; n: number }[] = []
    sim.createFunction('consumer', async (e: SqsEvent) => {
      got.push({ at: sim.now() - T0, n: e.Records.length })
    })
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 3, maximumBatchingWindowInSeconds: 5 })
    await sim.advanceBy(0)
    q.sendMessage({ body: 'a' })
    await sim.advanceBy(1000)
    q.sendMessage({ body: 'b' })
    await sim.advanceBy(10_000)
    expect(got).toEqual([{ at: 5000, n: 2 }])
    q.sendMessage({ body: 'c' })
    q.sendMessage({ body: 'd' })
    q.sendMessage({ body: 'e' })
    await sim.runUntilIdle()
    expect(got[1]).toEqual({ at: 11_000, n: 3 })
  })

  it('a delayed message is delivered when its delay ends', async () => {
    const sim = createSimulator()
    const at: number[] = []
    sim.createFunction('consumer', async () => {
      at.push(sim.now() - T0)
    })
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    q.sendMessage({ body: 'a', delaySeconds: 7 })
    await sim.runUntilIdle()
    expect(at).toEqual([7000])
  })
})

describe('filtering (spec §11.5)', () => {
  /** Sends `sent` through a queue whose mapping has these filter patterns; the bodies the consumer got, in order. */
  async function filtered(patterns: string[], sent: string[]) {
    const sim = createSimulator()
    const bodies: string[] = []
    sim.createFunction('consumer', async (e: SqsEvent) => {
      for (const r of e.Records) bodies.push(r.body)
    })
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', filterCriteria: { filters: patterns.map((pattern) => ({ pattern })) } })
    for (const body of sent) q.sendMessage({ body })
    await sim.runUntilIdle()
    return { sim, q, bodies }
  }

  it('messages whose body does not match any filter are deleted without invoking', async () => {
    const { sim, q, bodies } = await filtered(['{"body":{"kind":["order"]}}', '{"body":["plain"]}'], ['{"kind":"order","n":1}', '{"kind":"refund"}', 'plain', 'other text'])
    expect(bodies).toEqual(['{"kind":"order","n":1}', 'plain'])
    expect(q.messages).toHaveLength(0)
    expect(esmEvents(sim, 'filtered').flatMap((e) => e.ids)).toHaveLength(2)
  })

  it('an anything-but prefix filter passes a body whose field is a number, a boolean or null (the shared matcher)', async () => {
    const { bodies } = await filtered(['{"body":{"code":[{"anything-but":{"prefix":"E"}}]}}'], ['{"code":"E42"}', '{"code":"W1"}', '{"code":42}', '{"code":true}', '{"code":null}', '{"other":1}'])
    expect(bodies).toEqual(['{"code":"W1"}', '{"code":42}', '{"code":true}', '{"code":null}'])
  })

  it('filters join keys with "." as EventBridge does: a dotted pattern key matches a nested body field and a dotted body key a nested pattern (the shared matcher; a choice, see docs/semantics.md)', async () => {
    const { bodies } = await filtered(
      ['{"body.state.status":["running"]}', '{"body":{"order":{"type":["buy"]}}}'],
      ['{"state":{"status":"running"}}', '{"state.status":"running"}', '{"state":{"status":"stopped"}}', '{"order.type":"buy"}', '{"order":{"type":"sell"}}'],
    )
    expect(bodies).toEqual(['{"state":{"status":"running"}}', '{"state.status":"running"}', '{"order.type":"buy"}'])
  })

  it('an invalid pattern is rejected with "Invalid filter pattern definition."', () => {
    const sim = createSimulator()
    sim.createFunction('consumer', async () => undefined)
    const q = sim.createQueue('jobs')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', filterCriteria: { filters: [{ pattern: '{"body": "notalist"' }] } })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.' }),
    )
  })
})

describe('scaling and concurrency', () => {
  /** A `consumer` function taking `handlerMs`; the returned function reads the most invocations that ran at once. */
  function peakCounter(sim: ReturnType<typeof createSimulator>, handlerMs: number, timeout: number): () => number {
    let running = 0
    let max = 0
    sim.createFunction(
      'consumer',
      async () => {
        running++
        max = Math.max(max, running)
        await sim.sleep(handlerMs)
        running--
      },
      { timeout },
    )
    return () => max
  }

  async function peak(options: { maximumConcurrency?: number; reserved?: number; messages: number; handlerMs: number }): Promise<{ peak: number; sim: ReturnType<typeof createSimulator> }> {
    const sim = createSimulator()
    const max = peakCounter(sim, options.handlerMs, 900)
    if (options.reserved !== undefined) sim.putFunctionConcurrency('consumer', options.reserved)
    const q = sim.createQueue('jobs', { visibilityTimeout: 900 })
    for (let i = 0; i < options.messages; i++) q.sendMessage({ body: String(i) })
    const input: Parameters<typeof sim.createEventSourceMapping>[0] = { eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 }
    if (options.maximumConcurrency !== undefined) input.scalingConfig = { maximumConcurrency: options.maximumConcurrency }
    sim.createEventSourceMapping(input)
    await sim.runUntilIdle()
    return { peak: max(), sim }
  }

  it('the poller starts with 5 concurrent batches', async () => {
    const { peak: p } = await peak({ messages: 50, handlerMs: 1000 })
    expect(p).toBe(5)
  })

  it('scales up by 300 concurrent batches per minute of backlog', async () => {
    const { peak: p, sim } = await peak({ messages: 400, handlerMs: 60_000 })
    // 5 at 0 s; the ramp step at 60 s allows 305; the last 90 start at 120 s.
    expect(p).toBe(305)
    const starts = sim.timeline.ofType('attempt-started').map((e) => e.time - T0)
    expect([starts.filter((t) => t === 0).length, starts.filter((t) => t === 60_000).length, starts.filter((t) => t === 120_000).length]).toEqual([5, 305, 90])
  })

  it('MaximumConcurrency caps concurrent invocations', async () => {
    const { peak: p } = await peak({ maximumConcurrency: 2, messages: 10, handlerMs: 1000 })
    expect(p).toBe(2)
  })

  it('a batch back from a throttle waits while the mapping is at a MaximumConcurrency lowered meanwhile', async () => {
    const sim = createSimulator()
    const max = peakCounter(sim, 5_000, 10)
    sim.putFunctionConcurrency('consumer', 0)
    const q = sim.createQueue('jobs', { visibilityTimeout: 900 })
    for (let i = 0; i < 3; i++) q.sendMessage({ body: String(i) })
    const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    await sim.advanceBy(0)
    // Three batches received at 0 s and throttled (reserved 0): each retries 1 s later.
    sim.updateEventSourceMapping({ uuid: m.uuid, scalingConfig: { maximumConcurrency: 2 } })
    sim.deleteFunctionConcurrency('consumer')
    await sim.advanceBy(20_000)
    expect(max()).toBe(2)
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - T0)).toEqual([1_000, 1_000, 7_000])
    const waits = esmEvents(sim, 'throttled').filter((e) => e.reason === 'the mapping is at its maximum concurrency')
    expect(waits.map((e) => e.time - T0)).toEqual([1_000, 3_000])
    expect(q.size).toBe(0)
  })

  it('a batching window that closes while the mapping is at its maximum concurrency is sent when a batch ends (no loop at the deadline)', async () => {
    const sim = createSimulator()
    const starts: [number, number][] = []
    sim.createFunction(
      'consumer',
      async (e: { Records: unknown[] }) => {
        starts.push([sim.now() - T0, e.Records.length])
        await sim.sleep(3_000)
      },
      { timeout: 10 },
    )
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 5, maximumBatchingWindowInSeconds: 2 })
    for (let i = 0; i < 11; i++) q.sendMessage({ body: String(i) })
    await sim.advanceBy(0)
    // Two full batches run from 0 s, and the 11th message waits in a window closing at 2 s. A maximum
    // concurrency of 2 set now leaves the window closed at 2 s with both batches running: it goes when they end at 3 s.
    sim.updateEventSourceMapping({ uuid: m.uuid, scalingConfig: { maximumConcurrency: 2 } })
    await sim.runUntilIdle()
    expect(starts).toEqual([
      [0, 5],
      [0, 5],
      [3_000, 1],
    ])
    expect(q.size).toBe(0)
  })

  it('a mapping pointed at another function while a batch runs frees the first function when the batch ends', async () => {
    const sim = createSimulator()
    const ran = slowPair(sim, T0)
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    q.sendMessage({ body: '1' })
    const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'f', batchSize: 1 })
    await sim.advanceBy(1_000)
    sim.updateEventSourceMapping({ uuid: m.uuid, functionName: 'g' })
    q.sendMessage({ body: '2' })
    await sim.advanceBy(20_000)
    expect(ran).toEqual(['f@0', 'g@1000'])
    // Both functions are idle again (probeIdle: one invocation fits a reservation of 1, a second does not).
    expect(await probeIdle(sim, 'f')).toEqual([200, 'TooManyRequestsException'])
    expect(await probeIdle(sim, 'g')).toEqual([200, 'TooManyRequestsException'])
  })

  it('a throttled batch backs off and retries while its messages stay hidden', async () => {
    const { peak: p, sim } = await peak({ reserved: 1, messages: 3, handlerMs: 1000 })
    expect(p).toBe(1)
    expect(esmEvents(sim, 'throttled').length).toBeGreaterThan(0)
    expect(sim.timeline.ofType('attempt-finished')).toHaveLength(3)
  })
})

describe('mapping API (spec §11.1)', () => {
  function setup() {
    const sim = createSimulator()
    sim.createFunction('consumer', async () => undefined)
    const q = sim.createQueue('jobs')
    const fifo = sim.createQueue('jobs.fifo')
    const stream = sim.createStream('clicks')
    const table = sim.createTableStream('orders')
    return { sim, q, fifo, stream, table }
  }

  it('defaults: batch size 10 for SQS and 100 for streams, window 0, no response types', () => {
    const { sim, q, stream } = setup()
    const a = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    expect(a).toMatchObject({ batchSize: 10, maximumBatchingWindowInSeconds: 0, functionResponseTypes: [], state: 'Creating', stateTransitionReason: 'USER_INITIATED', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:consumer' })
    expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const b = sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'consumer', startingPosition: 'LATEST' })
    expect(b).toMatchObject({ batchSize: 100, parallelizationFactor: 1, maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1, bisectBatchOnFunctionError: false, tumblingWindowInSeconds: 0, destinationConfig: { onFailure: {} }, startingPosition: 'LATEST' })
  })

  it('StateTransitionReason is "USER_INITIATED" for an SQS mapping and "User action" for Kinesis and DynamoDB mappings', async () => {
    const { sim, q, stream, table } = setup()
    const a = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    const b = sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'consumer', startingPosition: 'LATEST' })
    const c = sim.createEventSourceMapping({ eventSourceArn: table.arn, functionName: 'consumer', startingPosition: 'LATEST' })
    expect([a.stateTransitionReason, b.stateTransitionReason, c.stateTransitionReason]).toEqual(['USER_INITIATED', 'User action', 'User action'])
    await sim.runUntilIdle()
    expect(sim.updateEventSourceMapping({ uuid: c.uuid, enabled: false })).toMatchObject({ state: 'Disabling', stateTransitionReason: 'User action' })
    expect(sim.getEventSourceMapping({ uuid: b.uuid })).toMatchObject({ state: 'Enabled', stateTransitionReason: 'User action' })
    expect(sim.deleteEventSourceMapping({ uuid: b.uuid })).toMatchObject({ state: 'Deleting', stateTransitionReason: 'User action' })
    expect(sim.getEventSourceMapping({ uuid: a.uuid })).toMatchObject({ state: 'Enabled', stateTransitionReason: 'USER_INITIATED' })
  })

  it('an update to a maximum record age of 0 to 59 s is refused with AWS\'s text and changes nothing', async () => {
    const { sim, stream } = setup()
    const a = sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'consumer', startingPosition: 'LATEST', maximumRecordAgeInSeconds: 60 })
    await sim.runUntilIdle()
    for (const age of [0, 30, 59]) {
      expect(() => sim.updateEventSourceMapping({ uuid: a.uuid, maximumRecordAgeInSeconds: age })).toThrow(
        expect.objectContaining({ name: 'InvalidParameterValueException', message: 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)' }),
      )
    }
    expect(sim.getEventSourceMapping({ uuid: a.uuid })).toMatchObject({ state: 'Enabled', maximumRecordAgeInSeconds: 60 })
  })

  it('the same seed gives the same mapping UUIDs', () => {
    const a = setup()
    const b = setup()
    expect(a.sim.createEventSourceMapping({ eventSourceArn: a.q.arn, functionName: 'consumer' }).uuid).toBe(b.sim.createEventSourceMapping({ eventSourceArn: b.q.arn, functionName: 'consumer' }).uuid)
  })

  const cases: [string, (s: ReturnType<typeof setup>) => unknown, string, string][] = [
    ['batch size above 10,000', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', batchSize: 10_001 }), 'ValidationException', "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000"],
    ['batch size > 10 without a window', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', batchSize: 11 }), 'InvalidParameterValueException', 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'],
    ['window above 300', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', maximumBatchingWindowInSeconds: 301 }), 'ValidationException', "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300"],
    ['maximum concurrency 1', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', scalingConfig: { maximumConcurrency: 1 } }), 'ValidationException', "1 validation error detected: Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2"],
    ['missing starting position', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer' }), 'InvalidParameterValueException', "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."],
    ['bad starting position', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'EARLIEST' as never }), 'ValidationException', "1 validation error detected: Value 'EARLIEST' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"],
    ['AT_TIMESTAMP on DynamoDB', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.table.arn, functionName: 'consumer', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 }), 'InvalidParameterValueException', 'Unsupported starting position for arn type: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000'],
    ['a starting position on an SQS mapping', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', startingPosition: 'LATEST' }), 'InvalidParameterValueException', 'StartingPosition is not valid for SQS event sources.'],
    ['a starting position and a timestamp on an SQS mapping', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', startingPosition: 'LATEST', startingPositionTimestamp: T0 }), 'InvalidParameterValueException', 'StartingPosition is not valid for SQS event sources.'],
    ['a timestamp with LATEST on Kinesis', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'LATEST', startingPositionTimestamp: T0 }), 'InvalidParameterValueException', 'Timestamp only valid with StartingPosition AT_TIMESTAMP'],
    ['AT_TIMESTAMP with a negative timestamp on Kinesis', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: -1_767_225_600_000 }), 'InvalidParameterValueException', 'Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp'],
    ['AT_TIMESTAMP with a negative timestamp on DynamoDB (the starting position is named first)', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.table.arn, functionName: 'consumer', startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: -1_767_225_600_000 }), 'InvalidParameterValueException', 'Unsupported starting position for arn type: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000'],
    ['a timestamp with TRIM_HORIZON on DynamoDB', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.table.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', startingPositionTimestamp: T0 }), 'InvalidParameterValueException', 'Timestamp only valid with StartingPosition AT_TIMESTAMP'],
    ['a mapping without an event source', (s) => s.sim.createEventSourceMapping({ functionName: 'consumer' } as never), 'InvalidParameterValueException', 'Unrecognized event source.'],
    ['a function that does not exist', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'doesnotexist' }), 'InvalidParameterValueException', 'Function does not exist'],
    ['a function that does not exist, on a queue that does not exist', (s) => s.sim.createEventSourceMapping({ eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:somequeue', functionName: 'doesnotexist' }), 'InvalidParameterValueException', 'Function does not exist'],
    ['a function that does not exist, on a stream', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'doesnotexist', startingPosition: 'LATEST' }), 'InvalidParameterValueException', 'Function does not exist'],
    ['a destination on an SQS mapping of a function that does not exist', (s) => s.sim.createEventSourceMapping({ eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:somequeue', functionName: 'doesnotexist', destinationConfig: { onSuccess: { destination: s.q.arn } } }), 'InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.'],
    ['a destination on an SQS mapping', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', destinationConfig: { onFailure: { destination: s.q.arn } } }), 'InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.'],
    ['a missing queue', (s) => s.sim.createEventSourceMapping({ eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:nope', functionName: 'consumer' }), 'InvalidParameterValueException', 'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.'],
    ['parallelization factor 11', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'LATEST', parallelizationFactor: 11 }), 'ValidationException', "1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10"],
    ['maximum retry attempts 10,001', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'LATEST', maximumRetryAttempts: 10_001 }), 'ValidationException', "1 validation error detected: Value '10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000"],
    ['maximum record age 59', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'LATEST', maximumRecordAgeInSeconds: 59 }), 'InvalidParameterValueException', 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)'],
    ['tumbling window 901', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'LATEST', tumblingWindowInSeconds: 901 }), 'ValidationException', "1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"],
    ['OnSuccess destination', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.stream.arn, functionName: 'consumer', startingPosition: 'LATEST', destinationConfig: { onSuccess: { destination: s.q.arn } } }), 'InvalidParameterValueException', 'OnSuccess is not supported in CreateEventSourceMapping or UpdateEventSourceMapping'],
    ['a batching window on a FIFO queue', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.fifo.arn, functionName: 'consumer', maximumBatchingWindowInSeconds: 5 }), 'InvalidParameterValueException', 'Batching window is not supported for FIFO queues'],
    ['a batching window with batch size 100 on a FIFO queue (the window is named first)', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.fifo.arn, functionName: 'consumer', batchSize: 100, maximumBatchingWindowInSeconds: 5 }), 'InvalidParameterValueException', 'Batching window is not supported for FIFO queues'],
    ['FIFO batch size 11', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.fifo.arn, functionName: 'consumer', batchSize: 11 }), 'InvalidParameterValueException', 'BatchSize must be between 1 and 10 for FIFO queues, but was 11.'],
    ['two violations at once', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', batchSize: 0, maximumBatchingWindowInSeconds: -1 }), 'ValidationException', "2 validation errors detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '-1' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0"],
    ['an unknown function response type', (s) => s.sim.createEventSourceMapping({ eventSourceArn: s.q.arn, functionName: 'consumer', functionResponseTypes: ['Foo' as never] }), 'ValidationException', "1 validation error detected: Value '[Foo]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]"],
  ]
  for (const [name, call, exception, message] of cases) {
    it(`rejects ${name}`, () => {
      const s = setup()
      expect(() => call(s)).toThrow(expect.objectContaining({ name: exception, message }))
    })
  }

  it('a second SQS mapping of the same queue and function is a ResourceConflictException', () => {
    const { sim, q } = setup()
    const a = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })).toThrow(
      expect.objectContaining({
        name: 'ResourceConflictException',
        statusCode: 409,
        message: `An event source mapping with SQS arn (" ${q.arn} ") and function (" consumer ") already exists. Please update or delete the existing mapping with UUID ${a.uuid}`,
      }),
    )
  })

  it('a second Kinesis or DynamoDB mapping of the same stream and function is a ResourceConflictException; another function may map it', () => {
    const { sim, stream, table } = setup()
    sim.createFunction('other', async () => undefined)
    for (const arn of [stream.arn, table.arn]) {
      const a = sim.createEventSourceMapping({ eventSourceArn: arn, functionName: 'consumer', startingPosition: 'LATEST' })
      const before = sim.listEventSourceMappings().eventSourceMappings.length
      expect(() => sim.createEventSourceMapping({ eventSourceArn: arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON' })).toThrow(
        expect.objectContaining({
          name: 'ResourceConflictException',
          statusCode: 409,
          message: `The event source arn (" ${arn} ") and function (" consumer ") provided mapping already exists. Please update or delete the existing mapping with UUID ${a.uuid}`,
        }),
      )
      expect(sim.listEventSourceMappings().eventSourceMappings).toHaveLength(before)
      expect(sim.createEventSourceMapping({ eventSourceArn: arn, functionName: 'other', startingPosition: 'LATEST' }).eventSourceArn).toBe(arn)
    }
  })

  it('update merges, disabling pauses polling, enabling resumes it; delete removes the mapping', async () => {
    const { sim, q } = setup()
    let calls = 0
    sim.updateFunctionCode('consumer', async () => {
      calls++
    })
    const a = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 5 })
    await sim.runUntilIdle()
    const u = sim.updateEventSourceMapping({ uuid: a.uuid, enabled: false })
    expect(u.state).toBe('Disabling')
    expect(u.batchSize).toBe(5)
    await sim.runUntilIdle()
    expect(sim.getEventSourceMapping({ uuid: a.uuid }).state).toBe('Disabled')
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(calls).toBe(0)
    expect(sim.updateEventSourceMapping({ uuid: a.uuid, enabled: true }).state).toBe('Enabling')
    await sim.runUntilIdle()
    expect(calls).toBe(1)
    expect(sim.listEventSourceMappings({ functionName: 'consumer' }).eventSourceMappings.map((m) => m.uuid)).toEqual([a.uuid])
    expect(sim.deleteEventSourceMapping({ uuid: a.uuid }).state).toBe('Deleting')
    await sim.runUntilIdle()
    expect(() => sim.getEventSourceMapping({ uuid: a.uuid })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' }))
    expect(sim.listEventSourceMappings().eventSourceMappings).toEqual([])
  })

  it('listing by a function that does not exist (or by a queue without mappings) is an empty list, not an error', () => {
    const { sim, q, fifo } = setup()
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    expect(sim.listEventSourceMappings({ functionName: 'doesnotexist' })).toEqual({ eventSourceMappings: [] })
    expect(sim.listEventSourceMappings({ functionName: 'consumer:nosuchalias' })).toEqual({ eventSourceMappings: [] })
    expect(sim.listEventSourceMappings({ eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:somequeue' })).toEqual({ eventSourceMappings: [] })
    expect(sim.listEventSourceMappings({ eventSourceArn: fifo.arn, functionName: 'doesnotexist' })).toEqual({ eventSourceMappings: [] })
  })

  it('list pages with maxItems and nextMarker', () => {
    const { sim, q, fifo } = setup()
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    sim.createEventSourceMapping({ eventSourceArn: fifo.arn, functionName: 'consumer' })
    const p1 = sim.listEventSourceMappings({ maxItems: 1 })
    expect(p1.eventSourceMappings).toHaveLength(1)
    expect(p1.nextMarker).toBeDefined()
    const p2 = sim.listEventSourceMappings({ maxItems: 1, marker: p1.nextMarker as string })
    expect(p2.eventSourceMappings[0]?.eventSourceArn).toBe(fifo.arn)
    expect(p2.nextMarker).toBeUndefined()
    expect(sim.listEventSourceMappings({ eventSourceArn: q.arn }).eventSourceMappings).toHaveLength(1)
  })
})
