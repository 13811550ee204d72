/**
 * Audit of asynchronous invocation (InvocationType 'Event') from a Lambda user's point of view: the
 * tests a team adopting lambda-sim would write, each compared with AWS (spec §2, §5–§10, §14 and the
 * AWS developer guide). Public API only, as the README shows it.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createSimulator, invoke, LambdaError, type InvocationRecord } from '../src/index.js'
import { checkIdempotency, expectAttempts, expectOutcome, expectRecord, IdempotencyCheckError } from '../src/testing/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const FN = 'arn:aws:lambda:us-east-1:123456789012:function'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** An error with a fixed stack, so the record's responsePayload can be asserted byte for byte. */
function fixedError(message: string, name = 'Error'): Error {
  const e = new Error(message)
  e.name = name
  e.stack = `${name}: ${message}\n    at handler (index.mjs:1:1)`
  return e
}

/** AWS's documented record, built by hand in AWS's key order (invocation-async-retain-records example). */
function record(o: { time: string; requestId: string; arn: string; condition: string; count: number; request: string; response?: { version?: string; error: boolean; payload: string } }): string {
  let s = `{"version":"1.0","timestamp":"${o.time}","requestContext":{"requestId":"${o.requestId}","functionArn":"${o.arn}","condition":"${o.condition}","approximateInvokeCount":${o.count}},"requestPayload":${o.request}`
  if (o.response !== undefined) {
    s += `,"responseContext":{"statusCode":200,"executedVersion":"${o.response.version ?? '$LATEST'}"${o.response.error ? ',"functionError":"Unhandled"' : ''}},"responsePayload":${o.response.payload}`
  }
  return `${s}}`
}

const errorPayload = (message: string, name = 'Error'): string =>
  JSON.stringify({ errorType: name, errorMessage: message, trace: [`${name}: ${message}`, '    at handler (index.mjs:1:1)'] })

const secs = (sim: { timeline: { ofType(t: 'attempt-started'): { time: number; functionName: string }[] } }, fn = 'f'): number[] =>
  sim.timeline.ofType('attempt-started').filter((e) => e.functionName === fn).map((e) => (e.time - T0) / 1000)

describe('audit: the retry timeline (spec §5)', () => {
  it('default: attempts at 0, 60 and 180 s, then RetriesExhausted with count 3 (one-line invoke)', async () => {
    const r = await invoke(async () => { throw new Error('payment service unavailable') }, { orderId: 'o-1' }, 'Event', { onFailure: true })
    expect(r.attempts.map((a) => [a.offsetMs, a.outcome, a.errorMessage])).toEqual([
      [0, 'error', 'payment service unavailable'],
      [60_000, 'error', 'payment service unavailable'],
      [180_000, 'error', 'payment service unavailable'],
    ])
    expect(r.outcome).toEqual({ condition: 'RetriesExhausted', approximateInvokeCount: 3, offsetMs: 180_000 })
    expect(r.records.onFailure.map((x) => [x.requestContext.condition, x.requestContext.approximateInvokeCount, x.timestamp])).toEqual([['RetriesExhausted', 3, '2026-01-01T00:03:00.000Z']])
  })

  for (const [retries, starts] of [[0, [0]], [1, [0, 60_000]], [2, [0, 60_000, 180_000]]] as const) {
    it(`MaximumRetryAttempts ${retries}: attempts at ${starts.join(', ')} ms`, async () => {
      const r = await invoke(async () => { throw new Error('x') }, {}, 'Event', { maximumRetryAttempts: retries, onFailure: true })
      expect(r.attempts.map((a) => a.offsetMs)).toEqual(starts)
      expect(r.outcome).toEqual({ condition: 'RetriesExhausted', approximateInvokeCount: retries + 1, offsetMs: starts.at(-1) })
    })
  }

  it('the waits count from the end of the failed attempt: a 2.5 s handler runs at 0, 62.5 and 185 s', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      await sim.sleep(2_500)
      throw new Error('slow failure')
    })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(secs(sim)).toEqual([0, 62.5, 185])
  })

  it('MaximumEventAgeInSeconds 60: EventAgeExceeded right after the first failure (look-ahead), count 1, with the last response', async () => {
    const r = await invoke(async () => { throw fixedError('boom') }, { a: 1 }, 'Event', { maximumEventAgeInSeconds: 60, onFailure: true })
    expect(r.attempts.map((a) => a.offsetMs)).toEqual([0])
    expect(r.outcome).toEqual({ condition: 'EventAgeExceeded', approximateInvokeCount: 1, offsetMs: 0 })
    expect(JSON.stringify(r.records.onFailure[0])).toBe(record({ time: '2026-01-01T00:00:00.000Z', requestId: r.requestId, arn: `${FN}:handler:$LATEST`, condition: 'EventAgeExceeded', count: 1, request: '{"a":1}', response: { error: true, payload: errorPayload('boom') } }))
  })

  it('MaximumEventAgeInSeconds outside 60–21600 is AWS\'s ValidationException naming the member and the bound', () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    const err = (v: number): unknown => {
      try {
        sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: v })
      } catch (e) {
        return [(e as LambdaError).name, (e as LambdaError).statusCode, (e as Error).message]
      }
      return 'accepted'
    }
    expect(err(59)).toEqual(['ValidationException', 400, "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60"])
    expect(err(21_601)).toEqual(['ValidationException', 400, "1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600"])
    expect(err(60)).toBe('accepted')
    expect(err(21_600)).toBe('accepted')
  })

  it('age expiring while throttled before the first attempt: EventAgeExceeded, count 0, no response fields (open question 5, the documented choice)', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async (e: { hold?: number }) => {
      if (e.hold !== undefined) await sim.sleep(e.hold)
      return 'ok'
    }, { timeout: 900 })
    sim.putFunctionConcurrency('f', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: failed } } })
    await sim.invoke('f', { hold: 600_000 }, 'Event')
    const { requestId } = await sim.invoke('f', { n: 2 }, 'Event')
    await sim.runUntilIdle()
    // Throttled at 0, 1, 3, 7, 15, 31 s (waits 1, 2, 4, 8, 16 s); the next wait (32 s) would land at 63 s ≥ 60 s.
    expect(sim.timeline.ofType('throttled').filter((e) => e.requestId === requestId).map((e) => [(e.time - T0) / 1000, e.delayMs])).toEqual([
      [0, 1000], [1, 2000], [3, 4000], [7, 8000], [15, 16000], [31, 32000],
    ])
    expect(failed.bodies).toEqual([JSON.parse(record({ time: '2026-01-01T00:00:31.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'EventAgeExceeded', count: 0, request: '{"n":2}' }))])
    expect(failed.messages[0]?.body).toBe(record({ time: '2026-01-01T00:00:31.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'EventAgeExceeded', count: 0, request: '{"n":2}' }))
  })

  it('age expiring while a retry is throttled: the record keeps count 1 and the first attempt\'s error (throttles never count)', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async (e: { hold?: number }) => {
      if (e.hold !== undefined) {
        await sim.sleep(e.hold)
        return 'held'
      }
      throw fixedError('first try fails')
    }, { timeout: 900 })
    sim.putFunctionConcurrency('f', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 120, destinationConfig: { onFailure: { destination: failed } } })
    const { requestId } = await sim.invoke('f', { n: 1 }, 'Event')
    await sim.advanceBy(1) // the first attempt failed at 0 s; its retry waits until 60 s
    await sim.invoke('f', { hold: 300_000 }, 'Event')
    await sim.runUntilIdle()
    const t = sim.timeline.ofType('terminal').find((e) => e.requestId === requestId)
    expect([t?.condition, t?.approximateInvokeCount]).toEqual(['EventAgeExceeded', 1])
    const body = failed.messages[0]?.body ?? ''
    const rec = JSON.parse(body) as InvocationRecord
    expect(rec.requestContext.approximateInvokeCount).toBe(1)
    expect(rec.responsePayload).toEqual(JSON.parse(errorPayload('first try fails')))
  })
})

describe('audit: the testing assertions on the documented outcomes', () => {
  it('expectAttempts, expectOutcome and expectRecord on the default timeline', async () => {
    const sim = createSimulator()
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async () => { throw new Error('x') })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: failed } } })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expectAttempts(sim, requestId).at([0, 60_000, 180_000]).outcomes(['error', 'error', 'error'])
    expect(expectOutcome(sim, requestId).is('RetriesExhausted').approximateInvokeCount).toBe(3)
    expect(expectRecord(failed).withCondition('RetriesExhausted', { requestId, approximateInvokeCount: 3 }).timestamp).toBe('2026-01-01T00:03:00.000Z')
  })

  it('expectRecord accepts approximateInvokeCount 0, the documented count of a record where nothing ran (ZeroReservedConcurrency, EventAgeExceeded while throttled)', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async () => 'ok')
    sim.createFunction('busy', async () => { await sim.sleep(600_000) }, { timeout: 900 })
    sim.putFunctionConcurrency('f', 0)
    sim.putFunctionConcurrency('busy', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: failed } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'busy', maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: failed } } })
    const zero = await sim.invoke('f', {}, 'Event')
    await sim.invoke('busy', {}, 'Event')
    const aged = await sim.invoke('busy', {}, 'Event')
    await sim.runUntilIdle()
    expect(expectRecord(failed).withCondition('ZeroReservedConcurrency', { requestId: zero.requestId, approximateInvokeCount: 0 }).requestContext.requestId).toBe(zero.requestId)
    expect(expectRecord(failed).withCondition('EventAgeExceeded', { requestId: aged.requestId, approximateInvokeCount: 0 }).timestamp).toBe('2026-01-01T00:00:31.000Z')
    expect(() => expectRecord(failed).withCondition('ZeroReservedConcurrency', { approximateInvokeCount: -1 })).toThrow('expectRecord(...).withCondition: approximateInvokeCount must be an integer >= 0, got -1')
  })
})

describe('audit: throttling of async events (spec §5, §9)', () => {
  it('reserved concurrency 1: backoff 1 s doubling to the 5 min cap, nothing lost, each count 1', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const ok = sim.createQueue('ok')
    sim.createFunction('f', async (e: { hold: number }) => {
      await sim.sleep(e.hold)
      return e.hold
    }, { timeout: 900 })
    sim.putFunctionConcurrency('f', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: ok } } })
    await sim.invoke('f', { hold: 899_000 }, 'Event')
    const second = await sim.invoke('f', { hold: 1_000 }, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('throttled').filter((e) => e.requestId === second.requestId).map((e) => (e.delayMs ?? 0) / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300])
    expect(secs(sim)).toEqual([0, 1111])
    expect(ok.bodies.map((b) => [(b as InvocationRecord).requestContext.approximateInvokeCount, (b as InvocationRecord).responsePayload])).toEqual([[1, 899_000], [1, 1_000]])
    expect(sim.metrics.throttles).toBe(11)
    sim.assertIdle()
  })

  it('with the default jitter every throttle wait stays inside AWS\'s documented range: at least 1 s, at most 5 min', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const sim = createSimulator({ seed })
      sim.createFunction('f', async () => {
        await sim.sleep(2_000)
      })
      sim.putFunctionConcurrency('f', 1)
      for (let i = 0; i < 20; i++) await sim.invoke('f', { i }, 'Event')
      await sim.runUntilIdle()
      const waits = sim.timeline.ofType('throttled').map((e) => e.delayMs ?? 0)
      expect(waits.length).toBeGreaterThan(20)
      expect(Math.min(...waits), `seed ${seed}`).toBeGreaterThanOrEqual(1_000)
      expect(Math.max(...waits), `seed ${seed}`).toBeLessThanOrEqual(300_000)
      expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(Array(20).fill('Success'))
    }
  })

  it('account concurrency (10, no reservation): 25 events of 20 s all succeed once; throttles name ConcurrentInvocationLimitExceeded', async () => {
    const sim = createSimulator({ accountConcurrency: 10 })
    const ok = sim.createQueue('ok')
    let running = 0
    let peak = 0
    sim.createFunction('f', async () => {
      peak = Math.max(peak, ++running)
      await sim.sleep(20_000)
      running--
    }, { timeout: 30 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: ok } } })
    for (let i = 0; i < 25; i++) await sim.invoke('f', { i }, 'Event')
    await sim.runUntilIdle()
    expect(peak).toBe(10)
    expect(ok.bodies.map((b) => (b as InvocationRecord).requestContext.approximateInvokeCount)).toEqual(Array(25).fill(1))
    expect(new Set(ok.bodies.map((b) => JSON.stringify((b as InvocationRecord).requestPayload))).size).toBe(25)
    expect(new Set(sim.timeline.ofType('throttled').map((e) => e.reason))).toEqual(new Set(['ConcurrentInvocationLimitExceeded']))
    expect(sim.timeline.ofType('terminal')).toHaveLength(25)
  })

  it('a retry that is throttled does not use a retry attempt: 3 attempts ran, count 3', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('f', async () => { throw new Error('x') })
    sim.faults.inject({ functionName: 'f', kind: 'TooManyRequestsException', from: T0 + 60_000, until: T0 + 70_000 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    // Retry 1 is due at 60 s; throttled at 60, 61, 63, 67 s; runs at 75 s; retry 2 at 195 s.
    expect(secs(sim)).toEqual([0, 75, 195])
    const t = sim.timeline.ofType('terminal').find((e) => e.requestId === requestId)
    expect([t?.condition, t?.approximateInvokeCount]).toEqual(['RetriesExhausted', 3])
  })
})

describe('audit: the invocation record on every destination type (spec §7; AWS\'s documented example)', () => {
  it('SQS on-failure through an alias: functionArn carries the alias, executedVersion the version; responsePayload is the Node.js runtime\'s (errorType, errorMessage, trace)', async () => {
    const sim = createSimulator()
    const failed = sim.createQueue('failed')
    sim.createFunction('my-function', async () => { throw fixedError('order 9e07af03 not found', 'OrderNotFound') })
    sim.publishVersion('my-function')
    sim.createAlias('my-function', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'my-function', qualifier: 'live', destinationConfig: { onFailure: { destination: failed } } })
    const event = { ORDER_IDS: ['9e07af03-ce31-4ff3-xmpl-36dce652cb4f', '637de236-e7b2-464e-xmpl-baf57f86bb53'] }
    const { requestId } = await sim.invoke('my-function:live', event, 'Event')
    await sim.runUntilIdle()
    expect(failed.messages.map((m) => [m.body, m.messageAttributes])).toEqual([[
      record({ time: '2026-01-01T00:03:00.000Z', requestId, arn: `${FN}:my-function:live`, condition: 'RetriesExhausted', count: 3, request: JSON.stringify(event), response: { version: '1', error: true, payload: errorPayload('order 9e07af03 not found', 'OrderNotFound') } }),
      {},
    ]])
    const parsed = failed.bodies[0] as { responsePayload: Record<string, unknown> }
    expect(Object.keys(parsed.responsePayload)).toEqual(['errorType', 'errorMessage', 'trace'])
    expect(requestId).toMatch(UUID)
  })

  it('SNS on-success: the Message is the record', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('ok')
    sim.createFunction('f', async (e: { n: number }) => ({ doubled: e.n * 2 }))
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: topic } } })
    const { requestId } = await sim.invoke('f', { n: 21 }, 'Event')
    await sim.runUntilIdle()
    expect(topic.messages.map((m) => m.message)).toEqual([record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '{"n":21}', response: { error: false, payload: '{"doubled":42}' } })])
  })

  it('Lambda on-success: the record is the destination function\'s event, invoked asynchronously', async () => {
    const sim = createSimulator()
    const got: unknown[] = []
    sim.createFunction('f', async () => 'done')
    const audit = sim.createFunction('audit', async (e: unknown) => { got.push(e) })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: audit } } })
    const { requestId } = await sim.invoke('f', { x: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(got.map((e) => JSON.stringify(e))).toEqual([record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'Success', count: 1, request: '{"x":1}', response: { error: false, payload: '"done"' } })])
  })

  it('EventBridge on-failure: detail is the record, detail-type "… - Failure", resources [bus, function]', async () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('results')
    sim.createFunction('f', async () => { throw fixedError('boom') })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: bus } } })
    const { requestId } = await sim.invoke('f', { k: 1 }, 'Event')
    await sim.runUntilIdle()
    const e = bus.events[0]
    expect([e?.['detail-type'], e?.source, e?.resources]).toEqual(['Lambda Function Invocation Result - Failure', 'lambda', [bus.arn, `${FN}:f:$LATEST`]])
    expect(JSON.stringify(e?.detail)).toBe(record({ time: '2026-01-01T00:00:00.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 1, request: '{"k":1}', response: { error: true, payload: errorPayload('boom') } }))
  })

  it('S3 on-failure: the object key follows AWS\'s convention aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>', async () => {
    const sim = createSimulator({ startTime: '2026-03-04T05:06:07.890Z' })
    const bucket = sim.createBucket('failed-events')
    sim.createFunction('f', async () => { throw fixedError('boom') })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: bucket } } })
    const { requestId } = await sim.invoke('f', { p: true }, 'Event')
    await sim.runUntilIdle()
    const objects = [...bucket.objects.values()]
    expect(objects).toHaveLength(1)
    const key = objects[0]?.key ?? ''
    expect(key).toMatch(/^aws\/lambda\/async\/f\/2026\/03\/04\/2026-03-04T05\.09\.07-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(key.endsWith(requestId)).toBe(false) // a random UUID, not the request id
    expect(objects[0]?.body).toBe(record({ time: '2026-03-04T05:09:07.890Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'RetriesExhausted', count: 3, request: '{"p":true}', response: { error: true, payload: errorPayload('boom') } }))
    // Same seed, same key (the UUID comes from the seeded source).
    const again = createSimulator({ startTime: '2026-03-04T05:06:07.890Z' })
    const b2 = again.createBucket('failed-events')
    again.createFunction('f', async () => { throw fixedError('boom') })
    again.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: b2 } } })
    await again.invoke('f', { p: true }, 'Event')
    await again.runUntilIdle()
    expect([...b2.objects.keys()]).toEqual([key])
  })

  it('S3 as an on-success destination is refused by the config API (on-failure only)', () => {
    const sim = createSimulator()
    const bucket = sim.createBucket('records')
    sim.createFunction('f', async () => 1)
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: bucket } } })).toThrow(
      'The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:s3:::records), onFailure=null) is invalid.',
    )
  })

  it('DLQ and on-failure destination together: both at the terminal instant; DLQ attributes RequestID (String), ErrorCode (Number "200"), ErrorMessage (String)', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async () => { throw fixedError('card declined') }, { deadLetterConfig: { targetArn: dlq.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: failed } } })
    const { requestId } = await sim.invoke('f', { card: 'x' }, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.body, m.messageAttributes, m.sentTimestamp])).toEqual([[
      '{"card":"x"}',
      { RequestID: { dataType: 'String', stringValue: requestId }, ErrorCode: { dataType: 'Number', stringValue: '200' }, ErrorMessage: { dataType: 'String', stringValue: 'card declined' } },
      T0 + 180_000,
    ]])
    expect(failed.messages.map((m) => m.sentTimestamp)).toEqual([T0 + 180_000])
  })
})

describe('audit: DLQ and on-failure destination where nothing ran (choices of docs/semantics.md)', () => {
  it('an event throttled until it expires: the record has count 0 and no response; the DLQ message ErrorCode "429", ErrorMessage "Rate Exceeded."', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const dlq = sim.createQueue('dlq')
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async (e: { hold?: number }) => { if (e.hold !== undefined) await sim.sleep(e.hold) }, { timeout: 900, deadLetterConfig: { targetArn: dlq.arn } })
    sim.putFunctionConcurrency('f', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: failed } } })
    await sim.invoke('f', { hold: 600_000 }, 'Event')
    const { requestId } = await sim.invoke('f', { n: 2 }, 'Event')
    await sim.runUntilIdle()
    expect(failed.messages.map((m) => [m.body, m.sentTimestamp])).toEqual([[record({ time: '2026-01-01T00:00:31.000Z', requestId, arn: `${FN}:f:$LATEST`, condition: 'EventAgeExceeded', count: 0, request: '{"n":2}' }), T0 + 31_000]])
    expect(dlq.messages.map((m) => [m.body, m.messageAttributes, m.sentTimestamp])).toEqual([[
      '{"n":2}',
      { RequestID: { dataType: 'String', stringValue: requestId }, ErrorCode: { dataType: 'Number', stringValue: '429' }, ErrorMessage: { dataType: 'String', stringValue: 'Rate Exceeded.' } },
      T0 + 31_000,
    ]])
  })
})

describe('audit: payload limits (spec §2)', () => {
  const rejection = async (p: Promise<unknown>): Promise<unknown> => {
    try {
      await p
    } catch (e) {
      return [(e as LambdaError).name, (e as LambdaError).statusCode, (e as Error).message]
    }
    return 'accepted'
  }
  /** A JSON string event of exactly `bytes` UTF-8 bytes. */
  const ofBytes = (bytes: number): string => 'x'.repeat(bytes - 2)

  it('Event: 1,048,576 bytes accepted, 1,048,577 refused with 413 RequestEntityTooLargeException and AWS\'s text', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    expect(await rejection(sim.invoke('f', ofBytes(1_048_576), 'Event'))).toBe('accepted')
    expect(await rejection(sim.invoke('f', ofBytes(1_048_577), 'Event'))).toEqual(['RequestEntityTooLargeException', 413, '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)'])
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('accepted')).toHaveLength(1)
  })

  it('RequestResponse: 6,291,456 bytes accepted, one more refused with "Request must be smaller than 6291456 bytes for the InvokeFunction operation"', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    expect(await rejection(sim.invoke('f', ofBytes(6_291_456)))).toBe('accepted')
    expect(await rejection(sim.invoke('f', ofBytes(6_291_457)))).toEqual(['RequestEntityTooLargeException', 413, 'Request must be smaller than 6291456 bytes for the InvokeFunction operation'])
  })

  it('an async response over 6,291,556 bytes is a function error (Function.ResponseSizeTooLarge), retried like any other', async () => {
    const r = await invoke(async () => 'y'.repeat(6_291_556), {}, 'Event', { onFailure: true })
    expect(r.attempts.map((a) => [a.offsetMs, a.errorType, a.errorMessage])).toEqual([
      [0, 'Function.ResponseSizeTooLarge', 'Response payload size exceeded maximum allowed payload size (6291556 bytes).'],
      [60_000, 'Function.ResponseSizeTooLarge', 'Response payload size exceeded maximum allowed payload size (6291556 bytes).'],
      [180_000, 'Function.ResponseSizeTooLarge', 'Response payload size exceeded maximum allowed payload size (6291556 bytes).'],
    ])
    expect(r.records.onFailure[0]?.responsePayload).toEqual({ errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', errorType: 'Function.ResponseSizeTooLarge' })
  })

  it('a non-JSON-serialisable Event (BigInt, circular) is refused with 400 InvalidRequestContentException; nothing is queued', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    const circular: Record<string, unknown> = {}
    circular.self = circular
    for (const bad of [{ n: 1n }, circular]) {
      const r = (await rejection(sim.invoke('f', bad, 'Event'))) as [string, number, string]
      expect([r[0], r[1]]).toEqual(['InvalidRequestContentException', 400])
      expect(r[2]).toMatch(/^Could not parse request body into json: /)
    }
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('accepted')).toEqual([])
  })

  it('an event whose JSON form is nothing (a function, toJSON returning undefined) is refused naming what it is, in English', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    expect(await rejection(sim.invoke('f', (() => 1) as unknown as object, 'Event'))).toEqual(['InvalidRequestContentException', 400, 'Could not parse request body into json: a function is not JSON'])
    expect(await rejection(sim.invoke('f', { toJSON: () => undefined }, 'Event'))).toEqual(['InvalidRequestContentException', 400, 'Could not parse request body into json: an object is not JSON'])
  })
})

describe('audit: a destination that fails (spec §7)', () => {
  it('a FIFO queue as on-failure destination: the delivery fails (DestinationDeliveryFailures), the DLQ still gets the event, one terminal outcome', async () => {
    const sim = createSimulator()
    const fifo = sim.createQueue('failed.fifo', { fifo: true })
    const dlq = sim.createQueue('dlq')
    sim.createFunction('f', async () => { throw new Error('x') }, { deadLetterConfig: { targetArn: dlq.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: fifo } } })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(fifo.messages).toEqual([])
    expect(dlq.messages).toHaveLength(1)
    expect(sim.metrics.destinationDeliveryFailures).toBe(1)
    expect(sim.timeline.ofType('terminal').filter((e) => e.requestId === requestId)).toHaveLength(1)
    expect(sim.timeline.ofType('delivery-failed').map((e) => [e.kind, e.destination])).toEqual([['on-failure', fifo.arn]])
  })

  it('a destination ARN with no queue behind it (the queue was deleted): delivery fails, one terminal outcome', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: 'arn:aws:sqs:us-east-1:123456789012:gone' } } })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.metrics.destinationDeliveryFailures).toBe(1)
    expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(['Success'])
    sim.assertIdle()
  })

  it('a record over SQS\'s 1 MiB (a 1 MB event plus its response) is lost; the event still ends once', async () => {
    const sim = createSimulator()
    const ok = sim.createQueue('ok')
    sim.createFunction('f', async (e: string) => e.length)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: ok } } })
    await sim.invoke('f', 'x'.repeat(1_048_574), 'Event')
    await sim.runUntilIdle()
    expect(ok.messages).toEqual([])
    expect(sim.metrics.destinationDeliveryFailures).toBe(1)
    expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(['Success'])
  })
  it('a record over EventBridge\'s PutEvents limit (1 MB) is lost as the bus\'s own PutEvents would refuse it; the event still ends once', async () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('results')
    sim.createFunction('f', async () => 'ok')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: bus } } })
    const { requestId } = await sim.invoke('f', 'x'.repeat(1_048_500), 'Event')
    await sim.runUntilIdle()
    expect(bus.events).toEqual([])
    expect(sim.metrics.destinationDeliveryFailures).toBe(1)
    expect(sim.timeline.ofType('delivery-failed').map((e) => [e.requestId, e.kind, e.destination, e.error])).toEqual([[requestId, 'on-success', bus.arn, 'ValidationException: Total size of the entries in the request is over the limit.']])
    expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(['Success'])
    // The same detail through the bus's own PutEvents is refused with that text.
    expect(() => bus.putEvents([{ source: 'lambda', detailType: 'Lambda Function Invocation Result - Success', detail: JSON.parse(JSON.stringify({ big: 'x'.repeat(1_048_550) })) as Record<string, unknown> }])).toThrow('Total size of the entries in the request is over the limit.')
  })

  it('a record just under EventBridge\'s limit is delivered whole', async () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('results')
    sim.createFunction('f', async () => 'ok')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: bus } } })
    await sim.invoke('f', 'x'.repeat(1_047_000), 'Event')
    await sim.runUntilIdle()
    expect(bus.events).toHaveLength(1)
    expect(sim.metrics.destinationDeliveryFailures).toBe(0)
  })
})

describe('audit: recursive loop detection (spec §10)', () => {
  it('a function that invokes itself asynchronously runs 16 times; the 17th is dropped with a RecursiveInvocationDropped record and a DLQ message', async () => {
    const sim = createSimulator()
    const failed = sim.createQueue('failed')
    const dlq = sim.createQueue('dlq')
    let runs = 0
    sim.createFunction('loop', async (e: { n: number }) => {
      runs++
      await sim.invoke('loop', { n: e.n + 1 }, 'Event')
    }, { deadLetterConfig: { targetArn: dlq.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'loop', destinationConfig: { onFailure: { destination: failed } } })
    await sim.invoke('loop', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(runs).toBe(16)
    const rec = failed.bodies[0] as InvocationRecord
    expect([rec.requestContext.condition, rec.requestContext.approximateInvokeCount, rec.requestPayload, 'responseContext' in rec]).toEqual(['RecursiveInvocationDropped', 0, { n: 17 }, false])
    expect(dlq.messages.map((m) => [m.body, m.messageAttributes.ErrorCode?.stringValue, m.messageAttributes.ErrorMessage?.stringValue])).toEqual([['{"n":17}', '400', 'RecursiveInvocationException']])
  })

  it('a function that sends to the queue it consumes is stopped at its 17th invocation', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs')
    let runs = 0
    sim.createFunction('worker', async () => {
      runs++
      q.sendMessage({ body: 'again' })
    })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 1 })
    q.sendMessage({ body: 'start' })
    await sim.advanceBy(60_000)
    expect(runs).toBe(16)
  })
})

describe('audit: at-least-once delivery (spec §5 Duplicates)', () => {
  it('duplicates: a non-idempotent handler is caught by the simulator (a duplicate delivery after success reuses the request id)', async () => {
    const sim = createSimulator({ duplicates: { probability: 1 } })
    const balance = new Map<string, number>()
    const ids: string[] = []
    sim.createFunction('deposit', async (e: { account: string }, ctx: { awsRequestId: string }) => {
      ids.push(ctx.awsRequestId)
      balance.set(e.account, (balance.get(e.account) ?? 0) + 10)
    })
    const { requestId } = await sim.invoke('deposit', { account: 'a' }, 'Event')
    await sim.runUntilIdle()
    expect(balance.get('a')).toBe(20)
    expect(ids).toEqual([requestId, requestId])
    expect(sim.timeline.ofType('terminal').map((e) => [e.requestId, e.condition])).toEqual([[requestId, 'Success']])
  })

  it('checkIdempotency rejects the non-idempotent deposit and passes the idempotent one', async () => {
    const deposit = (db: Map<string, number>) => async (e: { account: string }) => {
      db.set(e.account, (db.get(e.account) ?? 20) + 10)
    }
    const setBalance = (db: Map<string, number>) => async (e: { account: string }) => {
      db.set(e.account, 30)
    }
    const options = {
      events: fc.record({ account: fc.constantFrom('a', 'b') }),
      setup: () => new Map<string, number>(),
      state: (db: Map<string, number>) => Object.fromEntries([...db].sort()),
      seed: 42,
    }
    await expect(checkIdempotency(deposit, options)).rejects.toBeInstanceOf(IdempotencyCheckError)
    await expect(checkIdempotency(setBalance, options)).resolves.toBeDefined()
  })
})

describe('audit: every event has exactly one outcome, seen the same way by the record, the DLQ and the timeline (property)', () => {
  it('random ages, retries, reserved concurrency, throttling faults, failure plans and duplicates (60 runs; passed 1,500 locally)', async () => {
    const planArb = fc.record({
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      retries: fc.integer({ min: 0, max: 2 }),
      age: fc.oneof(fc.integer({ min: 60, max: 400 }), fc.constant(21_600)),
      reserved: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      throttles: fc.integer({ min: 0, max: 6 }),
      duplicates: fc.boolean(),
      events: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 90 }), plan: fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 })), { minLength: 3, maxLength: 3 }) }), { minLength: 1, maxLength: 6 }),
    })
    await fc.assert(
      fc.asyncProperty(planArb, async (p) => {
        const sim = createSimulator({ seed: p.seed, ...(p.duplicates ? { duplicates: { probability: 0.5 } } : {}) })
        const ok = sim.createQueue('ok')
        const failed = sim.createQueue('failed')
        const dlq = sim.createQueue('dlq')
        const calls = new Map<number, number>()
        sim.createFunction('f', async (e: { i: number }) => {
          const n = calls.get(e.i) ?? 0
          calls.set(e.i, n + 1)
          const [fails, seconds] = p.events[e.i]?.plan[Math.min(n, 2)] ?? [false, 0]
          await sim.sleep(seconds * 1000)
          if (fails) throw fixedError(`event ${e.i}`)
          return e.i
        }, { timeout: 20, deadLetterConfig: { targetArn: dlq.arn } })
        if (p.reserved !== undefined) sim.putFunctionConcurrency('f', p.reserved)
        if (p.throttles > 0) sim.faults.inject({ functionName: 'f', count: p.throttles, kind: 'TooManyRequestsException' })
        sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: p.retries, maximumEventAgeInSeconds: p.age, destinationConfig: { onSuccess: { destination: ok }, onFailure: { destination: failed } } })
        const accepted = new Map<string, number>()
        for (let i = 0; i < p.events.length; i++) {
          await sim.advanceBy((p.events[i]?.gap ?? 0) * 1000)
          accepted.set((await sim.invoke('f', { i }, 'Event')).requestId, sim.now())
        }
        await sim.runUntilIdle()
        sim.assertIdle()
        const records = [...ok.messages, ...failed.messages].map((m) => [JSON.parse(m.body) as InvocationRecord, m.sentTimestamp] as const)
        for (const [requestId, at] of accepted) {
          const terminals = sim.timeline.ofType('terminal').filter((e) => e.requestId === requestId)
          expect(terminals).toHaveLength(1)
          const t = terminals[0]!
          const ran = sim.timeline.ofType('attempt-started').filter((e) => e.requestId === requestId && e.duplicate !== true)
          expect(t.approximateInvokeCount).toBe(ran.length)
          expect(ran.length).toBeLessThanOrEqual(p.retries + 1)
          for (const a of ran) expect(a.time - at).toBeLessThan(p.age * 1000)
          const mine = records.filter(([r]) => r.requestContext.requestId === requestId)
          expect(mine).toHaveLength(1)
          const [rec, sentAt] = mine[0]!
          expect([rec.requestContext.condition, rec.requestContext.approximateInvokeCount, rec.timestamp, sentAt]).toEqual([t.condition, t.approximateInvokeCount, new Date(t.time).toISOString(), t.time])
          expect('responseContext' in rec).toBe(t.approximateInvokeCount > 0)
          const dead = dlq.messages.filter((m) => m.messageAttributes.RequestID?.stringValue === requestId)
          if (t.condition === 'Success') {
            expect(dead).toEqual([])
            expect(ok.messages.some((m) => m.body.includes(requestId))).toBe(true)
          } else {
            expect(dead.map((m) => [m.body, m.sentTimestamp, m.messageAttributes.ErrorCode?.stringValue])).toEqual([[rec.requestPayload === undefined ? '' : JSON.stringify(rec.requestPayload), t.time, t.approximateInvokeCount > 0 ? '200' : '429']])
          }
        }
      }),
      { numRuns: 60, seed: 20261207 },
    )
  })
})
