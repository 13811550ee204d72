import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { arnService } from '../src/destinations/destination.js'
import { createSimulator, type Delivery, type Destination, type Simulator } from '../src/index.js'
import { errorJson, fixedError, T0 } from './helpers/async-dest.js'

const FN = 'arn:aws:lambda:us-east-1:123456789012:function'

/** The exact record AWS sends, built by hand in AWS's key order. */
function record(o: { time: string; requestId: string; arn: string; condition: string; count: number; request: string; response?: { version?: string; error: boolean; payload: string } }): string {
  let s = `{"version":"1.0","timestamp":"${o.time}","requestContext":{"requestId":"${o.requestId}","functionArn":"${o.arn}","condition":"${o.condition}","approximateInvokeCount":${o.count}},"requestPayload":${o.request}`
  if (o.response !== undefined) {
    s += `,"responseContext":{"statusCode":200,"executedVersion":"${o.response.version ?? '$LATEST'}"${o.response.error ? ',"functionError":"Unhandled"' : ''}},"responsePayload":${o.response.payload}`
  }
  return `${s}}`
}

function failing(sim: Simulator, name = 'f'): void {
  sim.createFunction(name, async () => {
    throw fixedError('boom')
  })
}

describe('invocation records on a queue', () => {
  it('Success: the whole record, byte for byte, at the instant the attempt ended (destination given by object)', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('ok')
    sim.createFunction('f', async (e: { n: number }) => {
      await sim.sleep(1500)
      return { doubled: e.n * 2 }
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: q } } })
    const { requestId } = await sim.invoke('f', { n: 21 }, 'Event')
    await sim.runUntilIdle()
    expect(q.messages.map((m) => [m.body, m.sentTimestamp, m.messageAttributes])).toEqual([
      [
        record({ time: '2026-01-01T00:00:01.500Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '{"n":21}', response: { error: false, payload: '{"doubled":42}' } }),
        T0 + 1500,
        {},
      ],
    ])
  })

  it('RetriesExhausted: count 3, functionError Unhandled, the error payload, at t = 180 s (destination given by ARN)', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('failed')
    failing(sim)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } } })
    const { requestId } = await sim.invoke('f', { order: 7 }, 'Event')
    await sim.runUntilIdle()
    expect(q.messages.map((m) => m.body)).toEqual([
      record({ time: '2026-01-01T00:03:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 3, request: '{"order":7}', response: { error: true, payload: errorJson('boom') } }),
    ])
  })

  it('a success record for a handler returning undefined carries responsePayload null', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('ok')
    sim.createFunction('f', async () => undefined)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: q } } })
    const { requestId } = await sim.invoke('f', undefined, 'Event')
    await sim.runUntilIdle()
    expect(q.messages[0]?.body).toBe(record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '{}', response: { error: false, payload: 'null' } }))
  })

  it('a published version: functionArn and executedVersion name the version', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('ok')
    sim.createFunction('f', async () => 1)
    sim.publishVersion('f')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1', destinationConfig: { onSuccess: { destination: q } } })
    const { requestId } = await sim.invoke('f', {}, 'Event', { qualifier: '1' })
    await sim.runUntilIdle()
    expect(q.messages[0]?.body).toBe(record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:1`, condition: 'Success', count: 1, request: '{}', response: { version: '1', error: false, payload: '1' } }))
  })

  it('synchronous invocations never produce records', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('all')
    sim.createFunction('ok', async () => 1)
    failing(sim, 'bad')
    for (const name of ['ok', 'bad']) sim.putFunctionEventInvokeConfig({ functionName: name, destinationConfig: { onSuccess: { destination: q }, onFailure: { destination: q } } })
    expect((await sim.invoke('ok', {})).payload).toBe(1)
    expect((await sim.invoke('bad', {})).functionError).toBe('Unhandled')
    await sim.runUntilIdle()
    expect(q.messages).toEqual([])
    expect(sim.timeline.ofType('delivered', 'delivery-failed')).toEqual([])
  })

  it('a record over the SQS limit of 1 MiB is a delivery failure', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('big')
    const half = 'x'.repeat(600_000)
    sim.createFunction('f', async () => half)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: q } } })
    const { requestId } = await sim.invoke('f', { half }, 'Event')
    await sim.runUntilIdle()
    expect(q.messages).toEqual([])
    expect(sim.metrics.destinationDeliveryFailures).toBe(1)
    expect(sim.timeline.ofType('delivery-failed')).toEqual([
      {
        type: 'delivery-failed',
        time: T0,
        requestId,
        functionName: 'f',
        kind: 'on-success',
        destination: q.arn,
        error: 'InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
      },
    ])
  })
})

describe('invocation records on a topic', () => {
  it('the SNS Message is the record; a function subscriber receives it asynchronously at the terminal instant', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('outcomes')
    failing(sim)
    const received: { Records: { EventSource: string; Sns: { Message: string; TopicArn: string } }[] }[] = []
    const sub = sim.createFunction('subscriber', async (e: (typeof received)[number]) => {
      received.push(e)
    })
    topic.subscribe(sub)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: topic } } })
    const { requestId } = await sim.invoke('f', { a: 'b' }, 'Event')
    await sim.runUntilIdle()
    const expected = record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 1, request: '{"a":"b"}', response: { error: true, payload: errorJson('boom') } })
    expect(topic.messages.map((m) => m.message)).toEqual([expected])
    expect(received.map((e) => [e.Records[0]?.EventSource, e.Records[0]?.Sns.TopicArn, e.Records[0]?.Sns.Message])).toEqual([['aws:sns', topic.arn, expected]])
    expect(sim.timeline.ofType('accepted').map((e) => [e.functionName, e.invocationType, e.time])).toEqual([
      ['f', 'Event', T0],
      ['subscriber', 'Event', T0],
    ])
  })

  it('over 256 KB, the SNS destination gets the record with requestPayload and responsePayload dropped', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('outcomes')
    const big = 'y'.repeat(150_000)
    sim.createFunction('f', async () => big)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: topic } } })
    const { requestId } = await sim.invoke('f', { big }, 'Event')
    await sim.runUntilIdle()
    expect(topic.messages.map((m) => m.message)).toEqual([
      `{"version":"1.0","timestamp":"2026-01-01T00:00:00.000Z","requestContext":{"requestId":"${requestId}","functionArn":"${FN}:f:$LATEST","condition":"Success","approximateInvokeCount":1},"responseContext":{"statusCode":200,"executedVersion":"$LATEST"}}`,
    ])
  })

  it('just under 256 KB the record is delivered whole', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('outcomes')
    sim.createFunction('f', async () => 'r')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: topic } } })
    const overhead = record({ time: '2026-01-01T00:00:00.000Z', requestId: '00000000-0000-4000-8000-000000000000', arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '""', response: { error: false, payload: '"r"' } }).length
    const fill = 'z'.repeat(262_144 - overhead)
    await sim.invoke('f', fill, 'Event')
    await sim.runUntilIdle()
    expect(Buffer.byteLength(topic.messages[0]?.message ?? '')).toBe(262_144)
    expect(topic.messages[0]?.message).toContain(`"requestPayload":"${fill}"`)
  })
})

describe('invocation records on an event bus', () => {
  it('success and failure envelopes: source "lambda", both detail-types, resources [bus, function], second-precision time', async () => {
    const sim = createSimulator({ startTime: '2026-03-04T05:06:07.890Z' })
    const bus = sim.createEventBus('results')
    let n = 0
    sim.createFunction('f', async () => {
      if (++n === 1) return 'fine'
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onSuccess: { destination: bus }, onFailure: { destination: bus.arn } } })
    const ok = await sim.invoke('f', { k: 1 }, 'Event')
    await sim.runUntilIdle()
    const bad = await sim.invoke('f', { k: 2 }, 'Event')
    await sim.runUntilIdle()
    const ids = bus.events.map((e) => e.id)
    const envelope = (id: string, kind: string, detail: string): string =>
      `{"version":"0","id":"${id}","detail-type":"Lambda Function Invocation Result - ${kind}","source":"lambda","account":"123456789012","time":"2026-03-04T05:06:07Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:event-bus/results","${FN}:f:$LATEST"],"detail":${detail}}`
    expect(bus.entries).toEqual([
      envelope(ids[0] as string, 'Success', record({ time: '2026-03-04T05:06:07.890Z', requestId: ok.requestId, arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '{"k":1}', response: { error: false, payload: '"fine"' } })),
      envelope(ids[1] as string, 'Failure', record({ time: '2026-03-04T05:06:07.890Z', requestId: bad.requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 1, request: '{"k":2}', response: { error: true, payload: errorJson('boom') } })),
    ])
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('ZeroReservedConcurrency on a bus: the failure envelope with a record that has no response fields', async () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('results')
    sim.createFunction('f', async () => 1)
    sim.putFunctionConcurrency('f', 0)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: bus } } })
    const { requestId } = await sim.invoke('f', [1, 2], 'Event')
    await sim.runUntilIdle()
    expect(bus.events).toEqual([
      {
        version: '0',
        id: bus.events[0]?.id,
        'detail-type': 'Lambda Function Invocation Result - Failure',
        source: 'lambda',
        account: '123456789012',
        time: '2026-01-01T00:00:00Z',
        region: 'us-east-1',
        resources: [bus.arn, `${FN}:f:$LATEST`],
        detail: { version: '1.0', timestamp: '2026-01-01T00:00:00.000Z', requestContext: { requestId, functionArn: `${FN}:f:$LATEST`, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 }, requestPayload: [1, 2] },
      },
    ])
  })
})

describe('invocation records in a bucket (on-failure only)', () => {
  it('an EventAgeExceeded record is stored as one JSON object under aws/lambda/async/<function>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID> (AWS\'s convention)', async () => {
    const sim = createSimulator()
    const bucket = sim.createBucket('failed-events')
    failing(sim)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 90, destinationConfig: { onFailure: { destination: bucket } } })
    const { requestId } = await sim.invoke('f', { p: true }, 'Event')
    await sim.runUntilIdle()
    const body = record({ time: '2026-01-01T00:01:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'EventAgeExceeded', count: 2, request: '{"p":true}', response: { error: true, payload: errorJson('boom') } })
    const [key] = bucket.objects.keys()
    expect(key).toMatch(/^aws\/lambda\/async\/f\/2026\/01\/01\/2026-01-01T00\.01\.00-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect([...bucket.objects.values()].map((o) => [o.key, o.body, o.size, o.lastModified])).toEqual([[key, body, Buffer.byteLength(body), T0 + 60_000]])
  })
})

describe('a function as destination', () => {
  it('the record is the destination function\'s async payload (its own request id, queued at the terminal instant)', async () => {
    const sim = createSimulator()
    failing(sim)
    const got: { event: unknown; requestId: string }[] = []
    sim.createFunction('audit', async (event: unknown, ctx: { awsRequestId: string }) => {
      got.push({ event, requestId: ctx.awsRequestId })
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: `${FN}:audit` } } })
    const { requestId } = await sim.invoke('f', { id: 'x' }, 'Event')
    await sim.runUntilIdle()
    expect(got).toHaveLength(1)
    expect(JSON.stringify(got[0]?.event)).toBe(record({ time: '2026-01-01T00:01:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 2, request: '{"id":"x"}', response: { error: true, payload: errorJson('boom') } }))
    expect(got[0]?.requestId).not.toBe(requestId)
    expect(sim.timeline.ofType('accepted').map((e) => [e.functionName, e.invocationType, e.time])).toEqual([
      ['f', 'Event', T0],
      ['audit', 'Event', T0 + 60_000],
    ])
  })

  it('a function destination that fails is itself retried (it is an ordinary async event)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    failing(sim, 'audit')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: `${FN}:audit` } } })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-started').filter((e) => e.functionName === 'audit').map((e) => (e.time - T0) / 1000)).toEqual([0, 60, 180])
  })
})

describe('custom destinations', () => {
  it('a user Destination with a synchronous deliver gets the Delivery (kind, body, parsed record, ids, time)', async () => {
    const sim = createSimulator()
    const got: Delivery[] = []
    const mine: Destination = { arn: 'arn:aws:sqs:us-east-1:123456789012:mine', deliver: (d) => void got.push(d) }
    sim.createFunction('f', async () => ({ ok: true }))
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: mine } } })
    const { requestId } = await sim.invoke('f', { q: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(got).toHaveLength(1)
    const d = got[0] as Delivery
    expect([d.kind, d.requestId, d.functionArn, d.time, d.messageAttributes]).toEqual(['on-success', requestId, `${FN}:f:$LATEST`, T0, undefined])
    expect(d.body).toBe(record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '{"q":1}', response: { error: false, payload: '{"ok":true}' } }))
    expect(d.record).toEqual(JSON.parse(d.body))
    expect(sim.timeline.ofType('delivered')).toEqual([{ type: 'delivered', time: T0, requestId, functionName: 'f', kind: 'on-success', destination: mine.arn, condition: 'Success' }])
  })

  it('a user Destination with an async deliver, registered first and then named by ARN', async () => {
    const sim = createSimulator()
    const bodies: string[] = []
    const mine: Destination = {
      arn: 'arn:aws:sns:us-east-1:123456789012:custom',
      deliver: async (d) => {
        await Promise.resolve()
        bodies.push(d.body)
      },
    }
    sim.registerDestination(mine)
    failing(sim)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: mine.arn } } })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    await Promise.resolve()
    expect(bodies).toEqual([record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 1, request: '{}', response: { error: true, payload: errorJson('boom') } })])
    expect(sim.timeline.ofType('delivered').map((e) => e.kind)).toEqual(['on-failure'])
  })

  it('two different objects with one ARN are refused', () => {
    const sim = createSimulator()
    sim.createQueue('q')
    expect(() => sim.registerDestination({ arn: 'arn:aws:sqs:us-east-1:123456789012:q', deliver: () => undefined })).toThrow('Another destination is already registered with ARN arn:aws:sqs:us-east-1:123456789012:q')
  })
})

describe('delivery failures are data, never crashes', () => {
  it('a sink that throws and a sink that rejects: delivery-failed events and DestinationDeliveryFailures; other events unaffected', async () => {
    const sim = createSimulator()
    const throwing: Destination = {
      arn: 'arn:aws:sqs:us-east-1:123456789012:throws',
      deliver: () => {
        throw new Error('sink down')
      },
    }
    const rejecting: Destination = { arn: 'arn:aws:sqs:us-east-1:123456789012:rejects', deliver: () => Promise.reject(new TypeError('no route')) }
    const good = sim.createQueue('good')
    sim.createFunction('a', async () => 'a')
    sim.createFunction('b', async () => 'b')
    sim.createFunction('c', async () => 'c')
    sim.putFunctionEventInvokeConfig({ functionName: 'a', destinationConfig: { onSuccess: { destination: throwing } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'b', destinationConfig: { onSuccess: { destination: rejecting } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'c', destinationConfig: { onSuccess: { destination: good } } })
    const a = await sim.invoke('a', {}, 'Event')
    const b = await sim.invoke('b', {}, 'Event')
    await sim.invoke('c', {}, 'Event')
    await sim.runUntilIdle()
    await new Promise((r) => setImmediate(r))
    expect(sim.timeline.ofType('delivery-failed').map((e) => [e.requestId, e.kind, e.destination, e.error])).toEqual([
      [a.requestId, 'on-success', throwing.arn, 'Error: sink down'],
      [b.requestId, 'on-success', rejecting.arn, 'TypeError: no route'],
    ])
    expect(sim.metrics.destinationDeliveryFailures).toBe(2)
    expect(good.messages).toHaveLength(1)
    expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(['Success', 'Success', 'Success'])
  })

  it('a FIFO queue and a FIFO topic are accepted by the config but every delivery fails', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs.fifo')
    const t = sim.createTopic('news.fifo')
    sim.createFunction('f', async () => 1)
    failing(sim, 'g')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: q } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'g', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: t } } })
    await sim.invoke('f', {}, 'Event')
    await sim.invoke('g', {}, 'Event')
    await sim.runUntilIdle()
    expect(q.messages).toEqual([])
    expect(t.messages).toEqual([])
    expect(sim.timeline.ofType('delivery-failed').map((e) => e.error)).toEqual([
      'Error: FIFO queue arn:aws:sqs:us-east-1:123456789012:jobs.fifo is not supported as a destination',
      'Error: FIFO topic arn:aws:sns:us-east-1:123456789012:news.fifo is not supported as a destination',
    ])
    expect(sim.metrics.destinationDeliveryFailures).toBe(2)
  })

  it('an ARN with no sink in the simulator is a delivery failure naming it', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: 'arn:aws:sqs:us-east-1:123456789012:ghost' } } })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('delivery-failed').map((e) => e.error)).toEqual(['Error: No destination with ARN arn:aws:sqs:us-east-1:123456789012:ghost exists in this simulator'])
  })

  it('a record over the 1 MB async limit cannot be queued for a function destination', async () => {
    const sim = createSimulator()
    const big = 'w'.repeat(600_000)
    sim.createFunction('f', async () => big)
    sim.createFunction('audit', async () => 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: `${FN}:audit` } } })
    await sim.invoke('f', { big }, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('delivery-failed').map((e) => e.error)).toEqual(['RequestEntityTooLargeException: 1200362 byte payload is too large for the Event invocation type (limit 1048576 bytes)'])
    expect(sim.timeline.ofType('accepted').map((e) => e.functionName)).toEqual(['f'])
  })

  it('a topic subscriber that throws does not stop the topic or the other subscribers', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('t')
    const q = sim.createQueue('q')
    topic.subscribe({ arn: 'arn:aws:sqs:us-east-1:123456789012:broken', deliver: () => Promise.reject(new Error('down')) })
    topic.subscribe({
      arn: 'arn:aws:sqs:us-east-1:123456789012:broken2',
      deliver: () => {
        throw new Error('down2')
      },
    })
    topic.subscribe(q)
    sim.createFunction('f', async () => 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: topic } } })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    await new Promise((r) => setImmediate(r))
    expect(q.messages).toHaveLength(1)
    expect(sim.timeline.ofType('warning').map((e) => e.kind)).toEqual(['subscriber-failed', 'subscriber-failed'])
    expect(sim.timeline.ofType('delivered')).toHaveLength(1)
  })
})

describe('the README example', () => {
  it('a failing handler runs at 0, 60 and 180 s and its on-failure record lands in a queue', async () => {
    const sim = createSimulator()
    const failures = sim.createQueue('failures')
    sim.createFunction('resize', async () => {
      throw new Error('image too large')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'resize', destinationConfig: { onFailure: { destination: failures } } })
    await sim.invoke('resize', { key: 'cat.png' }, 'Event')
    await sim.runUntilIdle()
    const starts = sim.timeline.ofType('attempt-started').map((e) => (e.time - T0) / 1000)
    const rec = failures.bodies[0] as { requestContext: { condition: string; approximateInvokeCount: number }; responsePayload: { errorMessage: string } }
    expect(starts).toEqual([0, 60, 180])
    expect([rec.requestContext.condition, rec.requestContext.approximateInvokeCount, rec.responsePayload.errorMessage]).toEqual(['RetriesExhausted', 3, 'image too large'])
  })
})

describe('the in-memory queue', () => {
  it('receive hides a message for the visibility timeout on the virtual clock; delete by receipt handle removes it', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('work', { visibilityTimeout: 30 })
    const { messageId } = q.sendMessage({ body: 'hello' })
    const [m] = q.receive()
    expect([m?.messageId, m?.body, m?.receiveCount, m?.receiptHandle]).toEqual([messageId, 'hello', 1, `${messageId}#1`])
    expect(q.receive()).toEqual([])
    await sim.advanceBy(30_000)
    const [again] = q.receive({ maxNumberOfMessages: 10 })
    expect([again?.receiveCount, again?.firstReceiveTimestamp]).toEqual([2, T0])
    expect(q.delete(`${messageId}#1`)).toBe(false)
    expect(q.delete(`${messageId}#2`)).toBe(true)
    expect(q.messages).toEqual([])
  })

  it('a message over 1 MiB (body plus attributes) is refused with SQS\'s text', () => {
    const sim = createSimulator()
    const q = sim.createQueue('work')
    expect(() => q.sendMessage({ body: 'b'.repeat(1_048_576) })).not.toThrow()
    expect(() => q.sendMessage({ body: 'b'.repeat(1_048_570), messageAttributes: { k: { dataType: 'String', stringValue: 'v' } } })).toThrow('One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.')
  })
})

describe('arnService', () => {
  it('is the ARN field between the first and second colons after "arn:" (same as /^arn:[^:]+:([^:]+):/), for any string', () => {
    const reference = (arn: string): string | undefined => /^arn:[^:]+:([^:]+):/.exec(arn)?.[1]
    const piece = fc.constantFrom('arn', 'aws', 'sqs', '', 'x', 'aws-cn', 'lambda')
    const arns = fc.oneof(fc.string(), fc.array(piece, { maxLength: 6 }).map((p) => p.join(':')))
    fc.assert(fc.property(arns, (arn) => arnService(arn) === reference(arn)), { numRuns: 2000 })
    expect(arnService('arn:aws:sqs:us-east-1:123456789012:q')).toBe('sqs')
  })
})
