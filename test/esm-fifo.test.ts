import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
type Rec = { messageId: string; body: string; attributes: Record<string, string> }

describe('FIFO queues (spec §11.3)', () => {
  it('records carry SequenceNumber, MessageGroupId and MessageDeduplicationId in AWS order', async () => {
    const sim = createSimulator()
    const seen: Rec[] = []
    sim.createFunction('consumer', async (e: { Records: Rec[] }) => {
      seen.push(...e.Records)
    })
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer' })
    const sent = q.sendMessage({ body: 'a', messageGroupId: 'g1' })
    await sim.runUntilIdle()
    expect(Object.keys(seen[0]?.attributes ?? {})).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp'])
    expect(seen[0]?.attributes['SequenceNumber']).toBe(sent.sequenceNumber)
    expect(sent.sequenceNumber).toMatch(/^\d{20}$/)
    expect(seen[0]?.attributes['MessageDeduplicationId']).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb')
  })

  it('a duplicate within 5 minutes is accepted but not delivered; after 5 minutes it is a new message', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('orders.fifo')
    const a = q.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd1' })
    await sim.advanceBy(299_999)
    const b = q.sendMessage({ body: 'y', messageGroupId: 'g', messageDeduplicationId: 'd1' })
    expect(b.messageId).toBe(a.messageId)
    expect(q.messages).toHaveLength(1)
    q.delete(a.messageId)
    await sim.advanceBy(1)
    const c = q.sendMessage({ body: 'z', messageGroupId: 'g', messageDeduplicationId: 'd1' })
    expect(c.messageId).not.toBe(a.messageId)
    expect(q.messages.map((m) => m.body)).toEqual(['z'])
  })

  it('SQS errors: FIFO needs a group id and a dedup id, and takes no per-message delay', () => {
    const sim = createSimulator()
    const q = sim.createQueue('orders.fifo')
    expect(() => q.sendMessage({ body: 'x' })).toThrow(expect.objectContaining({ name: 'MissingParameter', message: 'The request must contain the parameter MessageGroupId.' }))
    expect(() => q.sendMessage({ body: 'x', messageGroupId: 'g' })).toThrow(
      expect.objectContaining({ name: 'InvalidParameterValue', message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly' }),
    )
    expect(() => q.sendMessage({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd', delaySeconds: 5 })).toThrow(expect.objectContaining({ name: 'InvalidParameterValue' }))
  })

  it('a group is blocked while its failed messages wait out the visibility timeout; other groups go on', async () => {
    const sim = createSimulator()
    const log: string[] = []
    let failOnce = true
    sim.createFunction('consumer', async (e: { Records: Rec[] }) => {
      for (const r of e.Records) log.push(`${(sim.now() - T0) / 1000}:${r.body}`)
      if (e.Records.some((r) => r.body === 'a1') && failOnce) {
        failOnce = false
        throw new Error('a1 fails')
      }
    })
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, visibilityTimeout: 20 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    q.sendMessage({ body: 'a1', messageGroupId: 'a' })
    q.sendMessage({ body: 'a2', messageGroupId: 'a' })
    q.sendMessage({ body: 'b1', messageGroupId: 'b' })
    q.sendMessage({ body: 'b2', messageGroupId: 'b' })
    await sim.runUntilIdle()
    expect(log).toEqual(['0:a1', '0:b1', '0:b2', '20:a1', '20:a2'])
  })

  it('a message SQS deletes at the end of its retention period while its batch still runs no longer locks its group: the next one is received at that instant', async () => {
    const sim = createSimulator()
    const log: string[] = []
    sim.createFunction(
      'consumer',
      async (e: { Records: Rec[] }) => {
        const body = (e.Records[0] as Rec).body
        log.push(`${(sim.now() - T0) / 1000}:${body} starts`)
        if (body === 'a1') await sim.sleep(90_000)
        log.push(`${(sim.now() - T0) / 1000}:${body} ends`)
      },
      { timeout: 100 },
    )
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, visibilityTimeout: 120, messageRetentionPeriod: 60 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    q.sendMessage({ body: 'a1', messageGroupId: 'a' })
    await sim.advanceBy(10_000)
    q.sendMessage({ body: 'a2', messageGroupId: 'a' })
    await sim.runUntilIdle()
    // a1, sent at 0 s, is deleted at 60 s while its batch sleeps; a2 (sent at 10 s, in flight until 70 s) is then received.
    expect(log).toEqual(['0:a1 starts', '60:a2 starts', '60:a2 ends', '90:a1 ends'])
    expect(q.size).toBe(0)
  })

  it('with ReportBatchItemFailures, the first failure and every later message of the batch are retried in order', async () => {
    const sim = createSimulator()
    const batches: string[][] = []
    let first = true
    sim.createFunction('consumer', async (e: { Records: Rec[] }) => {
      batches.push(e.Records.map((r) => r.body))
      if (!first) return {}
      first = false
      return { batchItemFailures: e.Records.slice(1).map((r) => ({ itemIdentifier: r.messageId })) }
    })
    const q = sim.createQueue('orders.fifo', { contentBasedDeduplication: true, visibilityTimeout: 30 })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', functionResponseTypes: ['ReportBatchItemFailures'] })
    for (const b of ['1', '2', '3']) q.sendMessage({ body: b, messageGroupId: 'g' })
    await sim.runUntilIdle()
    expect(batches).toEqual([['1', '2', '3'], ['2', '3']])
    expect(sim.now() - T0).toBe(30_000)
  })

  it('property: across random failure plans no message is lost and each group is processed in send order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        async (plan, batchSize, partial) => {
          const sim = createSimulator()
          const failuresLeft = new Map<string, number>()
          const processed: string[] = []
          sim.createFunction('consumer', async (e: { Records: Rec[] }) => {
            const failed: string[] = []
            for (const r of e.Records) {
              const left = failuresLeft.get(r.body) ?? 0
              if (failed.length > 0 || left > 0) {
                if (left > 0) failuresLeft.set(r.body, left - 1)
                failed.push(r.messageId)
                continue
              }
              processed.push(r.body)
            }
            if (failed.length === 0) return {}
            if (!partial) {
              // Whole-batch failure: nothing this batch did counts (SQS will redeliver all of it).
              processed.splice(processed.length - (e.Records.length - failed.length))
              throw new Error('batch failed')
            }
            return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) }
          })
          const dlq = sim.createQueue('dead.fifo')
          const q = sim.createQueue('work.fifo', { contentBasedDeduplication: true, visibilityTimeout: 10, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } })
          const input: Parameters<typeof sim.createEventSourceMapping>[0] = { eventSourceArn: q.arn, functionName: 'consumer', batchSize }
          if (partial) input.functionResponseTypes = ['ReportBatchItemFailures']
          sim.createEventSourceMapping(input)
          const sent: { body: string; group: string }[] = []
          plan.forEach(([group, failures], i) => {
            const body = `m${i}`
            failuresLeft.set(body, failures)
            sent.push({ body, group: `g${group}` })
            q.sendMessage({ body, messageGroupId: `g${group}` })
          })
          await sim.runUntilIdle()
          const dead = dlq.messages.map((m) => m.body)
          // Nothing lost: every message was processed or dead-lettered, exactly once, and the queue is empty.
          expect([...processed, ...dead].sort()).toEqual(sent.map((s) => s.body).sort())
          expect(q.messages).toHaveLength(0)
          // Group order: the processed messages of each group appear in send order.
          for (const g of new Set(sent.map((s) => s.group))) {
            const order = sent.filter((s) => s.group === g).map((s) => s.body)
            const got = processed.filter((b) => order.includes(b))
            expect(got).toEqual(order.filter((b) => got.includes(b)))
          }
        },
      ),
      { numRuns: 60, seed: 42 },
    )
  })
})

describe('Powertools batch processing (@aws-lambda-powertools/batch)', () => {
  it('processPartialResponse: only the failed message is redelivered, and the poison message reaches the DLQ after maxReceiveCount', async () => {
    const sim = createSimulator()
    const processor = new BatchProcessor(EventType.SQS)
    const handled: string[] = []
    const recordHandler = async (record: SQSRecord): Promise<void> => {
      if (record.body === 'poison') throw new Error(`cannot process ${record.messageId}`)
      handled.push(`${(sim.now() - T0) / 1000}:${record.body}:${record.attributes.ApproximateReceiveCount}`)
    }
    const receives: string[][] = []
    sim.createFunction('worker', async (event: SQSEvent, context: Context) => {
      receives.push(event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`))
      return processPartialResponse(event, recordHandler, processor, { context })
    })
    const dlq = sim.createQueue('worker-dlq')
    const q = sim.createQueue('worker-queue', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'worker', functionResponseTypes: ['ReportBatchItemFailures'] })
    q.sendMessageBatch([
      { id: '1', body: 'ok-1' },
      { id: '2', body: 'poison' },
      { id: '3', body: 'ok-2' },
    ])
    await sim.runUntilIdle()
    expect(handled).toEqual(['0:ok-1:1', '0:ok-2:1'])
    expect(receives).toEqual([['ok-1#1', 'poison#1', 'ok-2#1'], ['poison#2'], ['poison#3']])
    expect(dlq.bodies).toEqual(['poison'])
    expect(q.messages).toHaveLength(0)
    expect(sim.now() - T0).toBe(90_000)
  })
})
