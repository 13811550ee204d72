import { describe, expect, it } from 'vitest'
import { createSimulator, type SimEvent } from '../src/index.js'

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
