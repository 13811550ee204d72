// An audit of the SQS event source mapping as a team adopting lambda-sim would test an SQS-triggered
// function: standard and FIFO queues, redrive, partial batch responses, batching, scaling, filtering
// and the record shape, each compared with AWS (spec §11.1–11.3, 11.5, 11.6).
import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch'
import type { SQSBatchResponse, SQSEvent, SQSHandler, SQSRecord } from 'aws-lambda'
import { UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { describe, expect, it } from 'vitest'
import { createSimulator, type SimEvent, type Simulator } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

function esm(sim: Simulator, action?: string): Extract<SimEvent, { type: 'esm' }>[] {
  return sim.timeline.ofType('esm').filter((e) => action === undefined || e.action === action)
}

/** Offsets (ms since T0) of each invocation a mapping made, with the bodies it got. */
function recorder(sim: Simulator): { calls: { at: number; bodies: string[]; counts: string[] }[]; handler: (e: SQSEvent) => Promise<void> } {
  const calls: { at: number; bodies: string[]; counts: string[] }[] = []
  return {
    calls,
    handler: async (e: SQSEvent) => {
      calls.push({ at: sim.now() - T0, bodies: e.Records.map((r) => r.body), counts: e.Records.map((r) => r.attributes.ApproximateReceiveCount) })
    },
  }
}

describe('redrive: visibility timeout, ApproximateReceiveCount and the DLQ', () => {
  it('a failing message is received at 0, 30 and 60 s with counts 1, 2, 3 and moves to the DLQ at 90 s (visibilityTimeout 30, maxReceiveCount 3)', async () => {
    const sim = createSimulator()
    const seen: { at: number; count: string }[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      for (const r of e.Records) seen.push({ at: sim.now() - T0, count: r.attributes.ApproximateReceiveCount })
      throw new Error('poison')
    })
    const dlq = sim.createQueue('worker-dlq')
    const q = sim.createQueue('worker-queue', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    const sent = q.sendMessage({ body: '{"id":1}', messageAttributes: { tenant: { dataType: 'String', stringValue: 't-1' } } })
    await sim.runUntilIdle()
    expect(seen).toEqual([{ at: 0, count: '1' }, { at: 30_000, count: '2' }, { at: 60_000, count: '3' }])
    const moves = sim.timeline.ofType('message').filter((e) => e.sink === dlq.arn)
    expect(moves.map((e) => e.time - T0)).toEqual([90_000])
    expect(q.messages).toHaveLength(0)
    const m = dlq.messages[0]
    expect(m?.messageId).toBe(sent.messageId)
    expect(m?.body).toBe('{"id":1}')
    expect(m?.messageAttributes).toEqual({ tenant: { dataType: 'String', stringValue: 't-1' } })
    expect(m?.md5OfMessageAttributes).toBe(sent.md5OfMessageAttributes)
    expect(m?.sentTimestamp).toBe(T0)
  })

  it('a message moved to a DLQ carries DeadLetterQueueSourceArn and keeps its ApproximateReceiveCount and ApproximateFirstReceiveTimestamp (first DLQ receive: maxReceiveCount + 1)', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {
      throw new Error('poison')
    })
    const dlqRecords: SQSRecord[] = []
    sim.createFunction('dlq-worker', async (e: SQSEvent) => {
      dlqRecords.push(...e.Records)
    })
    const dlq = sim.createQueue('worker-dlq')
    const q = sim.createQueue('worker-queue', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    await sim.advanceBy(1_000)
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(dlq.messages[0]?.deadLetterQueueSourceArn).toBe(q.arn)
    sim.createEventSourceMapping({ eventSourceArn: dlq.arn, functionName: 'dlq-worker' })
    await sim.runUntilIdle()
    expect(dlqRecords).toHaveLength(1)
    expect(dlqRecords[0]?.attributes).toEqual({
      DeadLetterQueueSourceArn: q.arn,
      ApproximateReceiveCount: '3',
      SentTimestamp: String(T0 + 1_000),
      SenderId: '123456789012',
      ApproximateFirstReceiveTimestamp: String(T0 + 1_000),
    })
  })

  it('a DLQ with its own redrive policy compares the carried receive count (choice): maxReceiveCount 2 then 3 moves on after one receive in the first DLQ', async () => {
    const sim = createSimulator()
    const last = sim.createQueue('last')
    const dlq = sim.createQueue('dlq', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: last.arn, maxReceiveCount: 3 } })
    const q = sim.createQueue('src', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
    q.sendMessage({ body: 'x' })
    const counts: number[] = []
    for (const queue of [q, q, q, dlq, dlq]) {
      for (const m of queue.receive()) counts.push(m.receiveCount)
      await sim.advanceBy(30_000)
    }
    expect(counts).toEqual([1, 2, 3])
    expect(last.messages.map((m) => [m.body, m.receiveCount, m.deadLetterQueueSourceArn])).toEqual([['x', 3, dlq.arn]])
  })

  it('the DLQ message can still be read with the queue API and deleted; nothing is left behind', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {
      throw new Error('poison')
    })
    const dlq = sim.createQueue('worker-dlq')
    const q = sim.createQueue('worker-queue', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(sim.now() - T0).toBe(30_000)
    const [got] = dlq.receive()
    expect(got?.receiveCount).toBe(2)
    expect(dlq.delete(got?.receiptHandle as string)).toBe(true)
    expect(dlq.size).toBe(0)
    sim.assertIdle()
  })
})

describe('ReportBatchItemFailures', () => {
  function setup(response: (e: SQSEvent) => unknown): { sim: Simulator; q: ReturnType<Simulator['createQueue']>; got: string[][] } {
    const sim = createSimulator()
    const got: string[][] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      got.push(e.Records.map((r) => r.body))
      return got.length === 1 ? response(e) : undefined
    })
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] })
    for (const body of ['a', 'b', 'c']) q.sendMessage({ body })
    return { sim, q, got }
  }

  it('only the reported messages come back, after the visibility timeout; the others are deleted at once', async () => {
    const { sim, q, got } = setup((e) => ({ batchItemFailures: [{ itemIdentifier: e.Records[1]?.messageId }] }))
    await sim.advanceBy(1)
    expect(q.messages.map((m) => m.body)).toEqual(['b'])
    await sim.runUntilIdle()
    expect(got).toEqual([['a', 'b', 'c'], ['b']])
    expect(sim.now() - T0).toBe(30_000)
    expect(q.size).toBe(0)
  })

  for (const [what, response] of [
    ['an unknown itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] })],
    ['an empty itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ['a null itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: null }] })],
    ['a wrong key name', (e: SQSEvent) => ({ batchItemFailures: [{ itemIdentifer: e.Records[0]?.messageId }] })],
    ['a string response', () => 'ok'],
    ['batchItemFailures that is not a list', () => ({ batchItemFailures: 'a' })],
  ] as [string, (e: SQSEvent) => unknown][]) {
    it(`${what} fails the whole batch: every message comes back at 30 s`, async () => {
      const { sim, got } = setup(response)
      await sim.runUntilIdle()
      expect(got).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']])
      expect(esm(sim, 'returned')[0]?.reason).toMatch(/^invalid partial batch response/)
    })
  }

  for (const [what, response] of [
    ['null', () => null],
    ['{}', () => ({})],
    ['an empty list', () => ({ batchItemFailures: [] })],
    ['batchItemFailures: null', () => ({ batchItemFailures: null })],
  ] as [string, () => unknown][]) {
    it(`${what} is complete success`, async () => {
      const { sim, got, q } = setup(response)
      await sim.runUntilIdle()
      expect(got).toEqual([['a', 'b', 'c']])
      expect(q.size).toBe(0)
    })
  }

  it('a thrown error fails the whole batch even with ReportBatchItemFailures', async () => {
    const { sim, got } = setup(() => {
      throw new Error('boom')
    })
    await sim.runUntilIdle()
    expect(got).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']])
  })

  it('the Powertools pattern (BatchProcessor + processPartialResponse) returns the failed ids; those are retried and the rest deleted', async () => {
    const sim = createSimulator()
    const processed: string[] = []
    const processor = new BatchProcessor(EventType.SQS)
    const recordHandler = async (r: SQSRecord): Promise<void> => {
      if (r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1') throw new Error('transient')
      processed.push(`${r.body}@${sim.now() - T0}`)
    }
    const handler: SQSHandler = async (event, context) => processPartialResponse(event, recordHandler, processor, { context })
    sim.createFunction('worker', handler)
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] })
    q.sendMessageBatch([{ id: '1', body: 'ok1' }, { id: '2', body: 'bad' }, { id: '3', body: 'ok2' }])
    await sim.runUntilIdle()
    expect(processed).toEqual(['ok1@0', 'ok2@0', 'bad@30000'])
    expect(q.size).toBe(0)
  })
})

describe('batching, the 6 MB cap and concurrency', () => {
  it('BatchSize 10,000 with a 20 s window: 2,500 messages sent at 0 arrive in one batch at 20 s', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', handler)
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 10_000, maximumBatchingWindowInSeconds: 20 })
    await sim.runUntilIdle()
    for (let i = 0; i < 250; i++) q.sendMessageBatch(Array.from({ length: 10 }, (_, k) => ({ id: `m${k}`, body: `m${i * 10 + k}` })))
    await sim.runUntilIdle()
    expect(calls.map((c) => [c.at, c.bodies.length])).toEqual([[20_000, 2_500]])
  })

  it('BatchSize over 10 without a window is refused with AWS text', () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    const q = sim.createQueue('jobs')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 100 })).toThrow('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10')
  })

  it('a 6 MB batch cap: 10 messages of 1 MiB arrive in batches that each stay within 6,291,456 bytes, none lost', async () => {
    const sim = createSimulator()
    const sizes: number[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      sizes.push(e.Records.length)
      expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThanOrEqual(6_291_456)
    })
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 100, maximumBatchingWindowInSeconds: 1 })
    await sim.runUntilIdle()
    for (let i = 0; i < 10; i++) q.sendMessage({ body: String(i).repeat(1_000_000) })
    await sim.runUntilIdle()
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10)
    expect(sizes).toEqual([6, 4])
  })

  it('ScalingConfig.MaximumConcurrency 2 keeps at most 2 invocations running', async () => {
    const sim = createSimulator()
    let running = 0
    let peak = 0
    sim.createFunction('worker', async () => {
      running++
      peak = Math.max(peak, running)
      await sim.sleep(1_000)
      running--
    })
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 1, scalingConfig: { maximumConcurrency: 2 } })
    for (let i = 0; i < 6; i++) q.sendMessage({ body: String(i) })
    await sim.runUntilIdle()
    expect(peak).toBe(2)
    expect(sim.now() - T0).toBe(3_000)
    expect(q.size).toBe(0)
  })

  it('UpdateEventSourceMapping checks the queue visibility timeout against the function timeout too (AWS: "when you create or update an event source mapping"); nothing changes', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {}, { timeout: 20 })
    sim.createFunction('slow', async () => {}, { timeout: 60 })
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    await sim.runUntilIdle()
    q.visibilityTimeout = 10
    expect(() => sim.updateEventSourceMapping({ uuid: m.uuid, batchSize: 5 })).toThrow(expect.objectContaining({ name: 'InvalidParameterValueException', message: 'Queue visibility timeout: 10 seconds is less than Function timeout: 20 seconds' }))
    expect(sim.getEventSourceMapping({ uuid: m.uuid }).batchSize).toBe(10)
    q.visibilityTimeout = 30
    expect(() => sim.updateEventSourceMapping({ uuid: m.uuid, functionName: 'slow' })).toThrow('Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds')
    expect(sim.getEventSourceMapping({ uuid: m.uuid }).functionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:worker')
    expect(sim.updateEventSourceMapping({ uuid: m.uuid, batchSize: 5 }).batchSize).toBe(5)
  })

  it('UpdateEventSourceMapping through the SDK refuses it too (400 InvalidParameterValueException)', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {}, { timeout: 20 })
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    await sim.runUntilIdle()
    q.visibilityTimeout = 10
    const error = await lambdaClient(sim).send(new UpdateEventSourceMappingCommand({ UUID: m.uuid, BatchSize: 5 })).then(() => undefined, (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } })
    expect([error?.name, error?.message, error?.$metadata.httpStatusCode]).toEqual(['InvalidParameterValueException', 'Queue visibility timeout: 10 seconds is less than Function timeout: 20 seconds', 400])
    expect(sim.getEventSourceMapping({ uuid: m.uuid }).batchSize).toBe(10)
  })

  it('ScalingConfig {} on update removes MaximumConcurrency (AWS: send an empty object to remove it)', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    const q = sim.createQueue('jobs')
    const m = sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', scalingConfig: { maximumConcurrency: 5 } })
    expect(m.scalingConfig).toEqual({ maximumConcurrency: 5 })
    await sim.runUntilIdle()
    expect(sim.updateEventSourceMapping({ uuid: m.uuid, scalingConfig: {} }).scalingConfig).toBeUndefined()
  })

  it('MaximumConcurrency outside 2–1,000 is refused', () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    const q = sim.createQueue('jobs')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', scalingConfig: { maximumConcurrency: 1 } })).toThrow(/maximumConcurrency/)
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', scalingConfig: { maximumConcurrency: 1001 } })).toThrow(/maximumConcurrency/)
  })

  it('reserved concurrency 1 throttles the poller: messages are not lost, all are processed once', async () => {
    const sim = createSimulator()
    const done: string[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      await sim.sleep(2_000)
      for (const r of e.Records) done.push(r.body)
    }, { timeout: 10 })
    sim.putFunctionConcurrency('worker', 1)
    const q = sim.createQueue('jobs', { visibilityTimeout: 60 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 1 })
    for (let i = 0; i < 5; i++) q.sendMessage({ body: String(i) })
    await sim.runUntilIdle()
    expect(done.slice().sort()).toEqual(['0', '1', '2', '3', '4'])
    expect(esm(sim, 'throttled').length).toBeGreaterThan(0)
    expect(q.size).toBe(0)
  })

  it('reserved concurrency 0: the batch is returned to the queue after its visibility timeout and, with a redrive policy, ends in the DLQ', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    sim.putFunctionConcurrency('worker', 0)
    const dlq = sim.createQueue('dlq')
    const q = sim.createQueue('jobs', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(dlq.bodies).toEqual(['x'])
    expect(sim.timeline.ofType('message').filter((e) => e.sink === dlq.arn).map((e) => e.time - T0)).toEqual([60_000])
  })
})

describe('delays, retention and long handlers', () => {
  it('the queue DelaySeconds and a per-message DelaySeconds delay the first delivery', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', handler)
    const q = sim.createQueue('jobs', { delaySeconds: 10 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'queue-delay' })
    q.sendMessage({ body: 'own-delay', delaySeconds: 3 })
    q.sendMessage({ body: 'no-delay', delaySeconds: 0 })
    await sim.runUntilIdle()
    expect(calls.map((c) => [c.at, c.bodies])).toEqual([[0, ['no-delay']], [3_000, ['own-delay']], [10_000, ['queue-delay']]])
  })

  it('a message that keeps failing without a DLQ is deleted at the end of the retention period (60 s), received at 0, 30 s', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', async (e: SQSEvent) => {
      await handler(e)
      throw new Error('no')
    })
    const q = sim.createQueue('jobs', { visibilityTimeout: 30, messageRetentionPeriod: 60 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(calls.map((c) => c.at)).toEqual([0, 30_000])
    expect(q.size).toBe(0)
  })

  it('a handler running past a visibility timeout lowered after the mapping was created: the message is received again while it runs (at-least-once)', async () => {
    const sim = createSimulator()
    const starts: { at: number; count: string }[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      starts.push({ at: sim.now() - T0, count: e.Records[0]?.attributes.ApproximateReceiveCount as string })
      await sim.sleep(20_000)
    }, { timeout: 30 })
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    await sim.runUntilIdle()
    q.visibilityTimeout = 10
    q.sendMessage({ body: 'slow' })
    await sim.runUntilIdle()
    // Lambda's effective visibility for the mapping: window + function timeout + 30 s = 60 s when the queue's is shorter.
    expect(starts).toEqual([{ at: 0, count: '1' }])
    expect(q.size).toBe(0)
  })
})

describe('receipt handles of a batch held past its visibility timeout', () => {
  it('a batch deletes with the receipt handle it received: when its message was received again meanwhile, the stale handle deletes nothing and the newer batch decides (DeleteMessage needs the most recent handle)', async () => {
    const sim = createSimulator()
    const runs: string[] = []
    sim.createFunction('worker', async (e: SQSEvent | Record<string, never>) => {
      if (!('Records' in e)) {
        await sim.sleep(14_500)
        return
      }
      const count = e.Records[0]?.attributes.ApproximateReceiveCount as string
      runs.push(`${count}@${sim.now() - T0}`)
      await sim.sleep(20_000)
      if (count === '2') throw new Error('the second receive fails')
    }, { timeout: 30 })
    sim.putFunctionConcurrency('worker', 1)
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    const deletions: number[] = []
    sim.on('esm', (e) => {
      if (e.action === 'deleted') deletions.push(e.time - T0)
    })
    await sim.runUntilIdle()
    await sim.invoke('worker', {}, 'Event')
    q.sendMessage({ body: 'm' })
    await sim.advanceBy(36_000)
    // The first batch (received at 0, throttled until 15 s) ended at 35 s; the message was received again at 30 s.
    expect(q.size).toBe(1)
    await sim.runUntilIdle()
    expect(runs).toEqual(['1@15000', '2@37000', '3@60000'])
    expect(q.size).toBe(0)
    // The stale batch's success at 35 s deleted nothing, so only the third receive's batch reports a delete.
    expect(deletions).toEqual([80_000])
  })
})

describe('FIFO queues', () => {
  it('per-group order: a failing message blocks its group until it succeeds; the other group goes on', async () => {
    const sim = createSimulator()
    const order: string[] = []
    let failedOnce = false
    sim.createFunction('worker', async (e: SQSEvent) => {
      for (const r of e.Records) {
        if (r.body === 'a1' && !failedOnce) {
          failedOnce = true
          throw new Error('a1 fails once')
        }
      }
      for (const r of e.Records) order.push(`${r.body}@${sim.now() - T0}`)
    })
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 1 })
    q.sendMessage({ body: 'a1', messageGroupId: 'A' })
    q.sendMessage({ body: 'a2', messageGroupId: 'A' })
    q.sendMessage({ body: 'b1', messageGroupId: 'B' })
    q.sendMessage({ body: 'b2', messageGroupId: 'B' })
    await sim.runUntilIdle()
    expect(order).toEqual(['b1@0', 'b2@0', 'a1@30000', 'a2@30000'])
  })

  it('FIFO record attributes are in AWS order with SequenceNumber, MessageGroupId and MessageDeduplicationId', async () => {
    const sim = createSimulator()
    const recs: SQSRecord[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      recs.push(...e.Records)
    })
    const q = sim.createQueue('orders.fifo')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    const sent = q.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd-1' })
    await sim.runUntilIdle()
    expect(Object.keys(recs[0]?.attributes ?? {})).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp'])
    expect(recs[0]?.attributes.SequenceNumber).toBe(sent.sequenceNumber)
    expect(recs[0]?.attributes.MessageGroupId).toBe('g')
    expect(recs[0]?.attributes.MessageDeduplicationId).toBe('d-1')
  })

  it('deduplication: the same MessageDeduplicationId within 5 minutes is accepted and dropped (same message id); at exactly 5 minutes it is a new message', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', handler)
    const q = sim.createQueue('orders.fifo')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    const first = q.sendMessage({ body: 'one', messageGroupId: 'g', messageDeduplicationId: 'd' })
    await sim.runUntilIdle()
    await sim.advanceBy(299_999)
    const dup = q.sendMessage({ body: 'two', messageGroupId: 'g', messageDeduplicationId: 'd' })
    expect(dup.messageId).toBe(first.messageId)
    await sim.advanceBy(1)
    const fresh = q.sendMessage({ body: 'three', messageGroupId: 'g', messageDeduplicationId: 'd' })
    expect(fresh.messageId).not.toBe(first.messageId)
    await sim.runUntilIdle()
    expect(calls.map((c) => [c.at, c.bodies])).toEqual([[0, ['one']], [300_000, ['three']]])
  })

  it('content-based deduplication uses the body only: the same body with other attributes is a duplicate', () => {
    const sim = createSimulator()
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true })
    const a = q.sendMessage({ body: 'same', messageGroupId: 'g1', messageAttributes: { k: { dataType: 'String', stringValue: '1' } } })
    const b = q.sendMessage({ body: 'same', messageGroupId: 'g2' })
    expect(b.messageId).toBe(a.messageId)
    expect(q.size).toBe(1)
  })

  it('SqsFifoPartialProcessorAsync: the batch stops at the first failure, that message and the rest of the batch are retried in order', async () => {
    const sim = createSimulator()
    const processed: string[] = []
    const processor = new SqsFifoPartialProcessorAsync()
    let failed = false
    const recordHandler = async (r: SQSRecord): Promise<void> => {
      if (r.body === 'a2' && !failed) {
        failed = true
        throw new Error('a2 fails once')
      }
      processed.push(`${r.body}@${sim.now() - T0}`)
    }
    sim.createFunction('worker', async (event: SQSEvent, context) => processPartialResponse(event, recordHandler, processor, { context }) as Promise<SQSBatchResponse>)
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] })
    for (const body of ['a1', 'a2', 'a3']) q.sendMessage({ body, messageGroupId: 'A' })
    await sim.runUntilIdle()
    expect(processed).toEqual(['a1@0', 'a2@30000', 'a3@30000'])
  })

  it('SqsFifoPartialProcessorAsync with skipGroupOnError: a failing group is skipped within a mixed batch, the other group is processed and deleted', async () => {
    const sim = createSimulator()
    const processed: string[] = []
    const processor = new SqsFifoPartialProcessorAsync()
    let failed = false
    const recordHandler = async (r: SQSRecord): Promise<void> => {
      if (r.body === 'a1' && !failed) {
        failed = true
        throw new Error('a1 fails once')
      }
      processed.push(`${r.body}@${sim.now() - T0}`)
    }
    sim.createFunction('worker', async (event: SQSEvent, context) => processPartialResponse(event, recordHandler, processor, { context, skipGroupOnError: true }) as Promise<SQSBatchResponse>)
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] })
    q.sendMessage({ body: 'a1', messageGroupId: 'A' })
    q.sendMessage({ body: 'b1', messageGroupId: 'B' })
    q.sendMessage({ body: 'a2', messageGroupId: 'A' })
    q.sendMessage({ body: 'b2', messageGroupId: 'B' })
    await sim.runUntilIdle()
    expect(processed).toEqual(['b1@0', 'b2@0', 'a1@30000', 'a2@30000'])
    expect(esm(sim, 'returned').map((e) => e.ids?.length)).toEqual([2])
  })

  it('FIFO: BatchSize over 10 and a batching window are refused', () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    const q = sim.createQueue('orders.fifo')
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', batchSize: 11, maximumBatchingWindowInSeconds: 0 })).toThrow(/BatchSize/)
    expect(() => sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', maximumBatchingWindowInSeconds: 1 })).toThrow('Batching window is not supported for FIFO queues')
  })

  it('a FIFO DLQ message keeps its group and deduplication id and carries DeadLetterQueueSourceArn', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {
      throw new Error('poison')
    })
    const dlq = sim.createQueue('orders-dlq.fifo')
    const q = sim.createQueue('orders.fifo', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd' })
    await sim.runUntilIdle()
    const m = dlq.messages[0]
    expect([m?.body, m?.messageGroupId, m?.messageDeduplicationId, m?.deadLetterQueueSourceArn]).toEqual(['x', 'g', 'd', q.arn])
  })
})

describe('filter criteria (spec §11.5)', () => {
  it('non-matching messages are deleted at receive, not delivered and not left in the queue; matching ones are delivered', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', handler)
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', filterCriteria: { filters: [{ pattern: JSON.stringify({ body: { type: ['order'] } }) }] } })
    const skipped = q.sendMessage({ body: '{"type":"refund"}' })
    q.sendMessage({ body: '{"type":"order"}' })
    q.sendMessage({ body: 'plain text' })
    await sim.runUntilIdle()
    expect(calls.map((c) => c.bodies)).toEqual([['{"type":"order"}']])
    expect(q.size).toBe(0)
    expect(esm(sim, 'filtered')[0]?.ids).toContain(skipped.messageId)
  })

  it('a plain-string pattern on body matches a non-JSON body (prefix)', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', handler)
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', filterCriteria: { filters: [{ pattern: JSON.stringify({ body: [{ prefix: 'Result: ' }] }) }] } })
    q.sendMessage({ body: 'Result: ok' })
    q.sendMessage({ body: 'Other' })
    await sim.runUntilIdle()
    expect(calls.map((c) => c.bodies)).toEqual([['Result: ok']])
    expect(q.size).toBe(0)
  })

  it("AWS's body-format table: a plain-string pattern filters plain bodies and drops JSON ones; a JSON pattern drops plain bodies; a pattern without body filters on the other fields", async () => {
    const run = async (pattern: object): Promise<string[]> => {
      const sim = createSimulator()
      const { calls, handler } = recorder(sim)
      sim.createFunction('worker', handler)
      const q = sim.createQueue('jobs')
      sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', filterCriteria: { filters: [{ pattern: JSON.stringify(pattern) }] } })
      for (const body of ['ping', 'pong', '{"type":"order"}', '{"type":"refund"}']) q.sendMessage(body.includes('order') || body === 'pong' ? { body, messageAttributes: { k: { dataType: 'String', stringValue: 'v' } } } : { body })
      await sim.runUntilIdle()
      expect(q.size).toBe(0)
      return calls.flatMap((c) => c.bodies)
    }
    expect(await run({ body: [{ 'anything-but': ['ping'] }] })).toEqual(['pong'])
    expect(await run({ body: { type: ['order'] } })).toEqual(['{"type":"order"}'])
    expect(await run({ messageAttributes: { k: { stringValue: ['v'] } } })).toEqual(['pong', '{"type":"order"}'])
  })

  it('a numeric filter on a JSON body', async () => {
    const sim = createSimulator()
    const { calls, handler } = recorder(sim)
    sim.createFunction('worker', handler)
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', filterCriteria: { filters: [{ pattern: JSON.stringify({ body: { RecordNumber: [{ numeric: ['>', 9999] }] } }) }] } })
    q.sendMessage({ body: '{"RecordNumber": 1234}' })
    q.sendMessage({ body: '{"RecordNumber": 10000}' })
    await sim.runUntilIdle()
    expect(calls.map((c) => c.bodies)).toEqual([['{"RecordNumber": 10000}']])
  })
})

describe('record shape (spec §11.6, with-sqs example)', () => {
  it('a standard record has AWS keys in order, string attributes, messageAttributes with list fields and md5s', async () => {
    const sim = createSimulator()
    const recs: SQSRecord[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      recs.push(...e.Records)
    })
    const q = sim.createQueue('my-queue')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    await sim.advanceBy(5)
    const sent = q.sendMessage({
      body: 'Test message.',
      messageAttributes: { myAttribute: { dataType: 'String', stringValue: 'myValue' }, bin: { dataType: 'Binary', binaryValue: new Uint8Array([1, 2, 3]) }, n: { dataType: 'Number.int', stringValue: '7' } },
    })
    await sim.runUntilIdle()
    const r = recs[0] as SQSRecord
    expect(Object.keys(r)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion'])
    expect(r.messageId).toBe(sent.messageId)
    expect(typeof r.receiptHandle).toBe('string')
    expect(r.attributes).toEqual({ ApproximateReceiveCount: '1', SentTimestamp: String(T0 + 5), SenderId: '123456789012', ApproximateFirstReceiveTimestamp: String(T0 + 5) })
    expect(r.messageAttributes).toEqual({
      myAttribute: { stringValue: 'myValue', stringListValues: [], binaryListValues: [], dataType: 'String' },
      bin: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      n: { stringValue: '7', stringListValues: [], binaryListValues: [], dataType: 'Number.int' },
    })
    expect(r.md5OfBody).toBe('e4e68fb7bd0e697a0ae8f1bb342846b3')
    expect(r.md5OfMessageAttributes).toBe(sent.md5OfMessageAttributes)
    expect([r.eventSource, r.eventSourceARN, r.awsRegion]).toEqual(['aws:sqs', 'arn:aws:sqs:us-east-1:123456789012:my-queue', 'us-east-1'])
  })

  it('without message attributes md5OfMessageAttributes is null and messageAttributes is {}', async () => {
    const sim = createSimulator({ region: 'eu-west-1' })
    const recs: SQSRecord[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      recs.push(...e.Records)
    })
    const q = sim.createQueue('my-queue')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(recs[0]?.md5OfMessageAttributes).toBeNull()
    expect(recs[0]?.messageAttributes).toEqual({})
    expect(recs[0]?.awsRegion).toBe('eu-west-1')
    expect(recs[0]?.eventSourceARN).toBe('arn:aws:sqs:eu-west-1:123456789012:my-queue')
  })

  it('ApproximateFirstReceiveTimestamp stays the first receive on a retry; the receipt handle changes', async () => {
    const sim = createSimulator()
    const recs: SQSRecord[] = []
    sim.createFunction('worker', async (e: SQSEvent) => {
      recs.push(...e.Records)
      if (recs.length === 1) throw new Error('once')
    })
    const q = sim.createQueue('my-queue', { visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker' })
    q.sendMessage({ body: 'x' })
    await sim.runUntilIdle()
    expect(recs.map((r) => [r.attributes.ApproximateReceiveCount, r.attributes.ApproximateFirstReceiveTimestamp])).toEqual([['1', String(T0)], ['2', String(T0)]])
    expect(recs[0]?.receiptHandle).not.toBe(recs[1]?.receiptHandle)
  })
})
