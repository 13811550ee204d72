import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'

/**
 * SNS → SQS: what a subscribed queue receives from a FIFO topic (the notification's FIFO envelope) and
 * with raw message delivery. AWS's shapes: LocalStack's AWS-validated snapshots
 * (tests/aws/services/sns/test_sns.snapshot.json, TestSNSSubscriptionSQSFifo, recorded against AWS
 * 2023-08 to 2025-12) and https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html.
 */

const unsubscribe = (subArn: string): string => `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subArn}`

describe('SNS FIFO topic → SQS: the notification envelope', () => {
  it('a FIFO topic\'s notification has SequenceNumber after MessageId, no SignatureVersion, Signature or SigningCertURL, and ends with UnsubscribeURL (then MessageAttributes when there are some)', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const q = sim.createQueue('orders.fifo')
    const sub = ft.subscribe(q)
    const plain = ft.publish({ message: 'Test', messageGroupId: 'g1', messageDeduplicationId: 'd1' })
    const rich = ft.publish({ message: 'Test Message with two attributes', subject: 'Subject', messageGroupId: 'g1', messageDeduplicationId: 'd2', messageAttributes: { attr2: { dataType: 'Number', stringValue: '109.12' }, attr1: { dataType: 'Number', stringValue: '99.12' } } })
    await sim.runUntilIdle()
    const [first, second] = q.messages.map((m) => JSON.parse(m.body) as Record<string, unknown>)
    expect(Object.keys(first as object)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL'])
    expect(first).toEqual({
      Type: 'Notification',
      MessageId: plain.messageId,
      SequenceNumber: '10000000000000000001',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders.fifo',
      Message: 'Test',
      Timestamp: '2026-01-01T00:00:00.000Z',
      UnsubscribeURL: unsubscribe(sub.arn),
    })
    expect(Object.keys(second as object)).toEqual(['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'UnsubscribeURL', 'MessageAttributes'])
    expect(second).toEqual({
      Type: 'Notification',
      MessageId: rich.messageId,
      SequenceNumber: '10000000000000000002',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders.fifo',
      Subject: 'Subject',
      Message: 'Test Message with two attributes',
      Timestamp: '2026-01-01T00:00:00.000Z',
      UnsubscribeURL: unsubscribe(sub.arn),
      MessageAttributes: { attr2: { Type: 'Number', Value: '109.12' }, attr1: { Type: 'Number', Value: '99.12' } },
    })
  })

  it('the envelope\'s SequenceNumber is the one Publish answered and topic.messages keeps, not the SQS FIFO queue\'s own sequence number for the message', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const q = sim.createQueue('orders.fifo')
    ft.subscribe(q)
    const published = [ft.publish({ message: 'a', messageGroupId: 'g1', messageDeduplicationId: 'd1' }), ft.publish({ message: 'b', messageGroupId: 'g2', messageDeduplicationId: 'd2' })]
    await sim.runUntilIdle()
    expect(published.map((p) => p.sequenceNumber)).toEqual(['10000000000000000001', '10000000000000000002'])
    expect(ft.messages.map((m) => m.sequenceNumber)).toEqual(['10000000000000000001', '10000000000000000002'])
    expect(q.messages.map((m) => (JSON.parse(m.body) as { SequenceNumber: string }).SequenceNumber)).toEqual(['10000000000000000001', '10000000000000000002'])
    expect(q.messages.map((m) => m.sequenceNumber)).toEqual(['18000000000000000001', '18000000000000000002'])
  })

  it('a repeated deduplication id within 5 minutes answers the first message\'s id and sequence number and uses no new sequence number', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const first = ft.publish({ message: 'a', messageGroupId: 'g', messageDeduplicationId: 'd' })
    expect(ft.publish({ message: 'again', messageGroupId: 'g', messageDeduplicationId: 'd' })).toEqual({ messageId: first.messageId, sequenceNumber: '10000000000000000001' })
    expect(ft.publish({ message: 'b', messageGroupId: 'g', messageDeduplicationId: 'e' }).sequenceNumber).toBe('10000000000000000002')
  })

  it('a standard topic answers Publish without a sequence number, and its messages and notifications carry none', async () => {
    const sim = createSimulator()
    const t = sim.createTopic('orders')
    const q = sim.createQueue('copies')
    t.subscribe(q)
    const r = t.publish({ message: 'a' })
    await sim.runUntilIdle()
    expect(Object.keys(r)).toEqual(['messageId'])
    expect(t.messages[0]).not.toHaveProperty('sequenceNumber')
    expect(JSON.parse(q.messages[0]?.body as string)).not.toHaveProperty('SequenceNumber')
  })

  it('a standard queue subscribed to a FIFO topic receives the same FIFO envelope (SequenceNumber, no signature), without a group id', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const q = sim.createQueue('copies')
    const sub = ft.subscribe(q)
    const r = ft.publish({ message: 'Test', messageGroupId: 'g1', messageDeduplicationId: 'd1' })
    await sim.runUntilIdle()
    expect(q.messages.map((m) => [JSON.parse(m.body) as unknown, m.messageGroupId])).toEqual([[{
      Type: 'Notification',
      MessageId: r.messageId,
      SequenceNumber: '10000000000000000001',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders.fifo',
      Message: 'Test',
      Timestamp: '2026-01-01T00:00:00.000Z',
      UnsubscribeURL: unsubscribe(sub.arn),
    }, undefined]])
  })
})
