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

const lambdaText = 'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.'

describe('SNS → SQS raw message delivery (RawMessageDelivery)', () => {
  it('with rawMessageDelivery the queue receives the published message itself as the body, and the SNS message attributes as SQS message attributes (same data types, Binary as its bytes); no Subject, no envelope', async () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const q = sim.createQueue('raw')
    const sub = t.subscribe(q, { rawMessageDelivery: true })
    expect(sub.rawMessageDelivery).toBe(true)
    t.publish({ message: 'This is a test message.', subject: 'TestSubject' })
    t.publish({
      message: '{"order":1}',
      messageAttributes: {
        level: { dataType: 'String', stringValue: 'high' },
        count: { dataType: 'Number', stringValue: '3' },
        bin: { dataType: 'Binary', binaryValue: new Uint8Array([2, 3, 4]) },
        tags: { dataType: 'String.Array', stringValue: '["a","b"]' },
      },
    })
    await sim.runUntilIdle()
    expect(q.messages.map((m) => m.body)).toEqual(['This is a test message.', '{"order":1}'])
    expect(q.messages[0]?.messageAttributes).toEqual({})
    expect(q.messages[0]?.md5OfMessageAttributes).toBeUndefined()
    expect(q.messages[1]?.messageAttributes).toEqual({
      level: { dataType: 'String', stringValue: 'high' },
      count: { dataType: 'Number', stringValue: '3' },
      bin: { dataType: 'Binary', binaryValue: new Uint8Array([2, 3, 4]) },
      tags: { dataType: 'String.Array', stringValue: '["a","b"]' },
    })
  })

  it('a raw SQS message\'s attributes have the MD5 AWS computed for them (attr1 Number 99.12, attr2 Number 109.12 → 9b720b3af309c1c4b0d395c53b08c502)', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('t.fifo')
    const q = sim.createQueue('q.fifo')
    ft.subscribe(q, { rawMessageDelivery: true })
    ft.publish({ message: 'Test Message with two attributes', messageGroupId: 'complexMessageGroupId', messageDeduplicationId: 'MessageDeduplicationId-1', messageAttributes: { attr1: { dataType: 'Number', stringValue: '99.12' }, attr2: { dataType: 'Number', stringValue: '109.12' } } })
    await sim.runUntilIdle()
    expect(q.messages.map((m) => [m.body, m.md5OfMessageAttributes])).toEqual([['Test Message with two attributes', '9b720b3af309c1c4b0d395c53b08c502']])
  })

  it('raw delivery from a FIFO topic to a FIFO queue keeps the message group and deduplication ids; to a standard queue it passes neither', async () => {
    const sim = createSimulator()
    const ft = sim.createTopic('orders.fifo')
    const fq = sim.createQueue('orders.fifo')
    const sq = sim.createQueue('orders-standard')
    ft.subscribe(fq, { rawMessageDelivery: true })
    ft.subscribe(sq, { rawMessageDelivery: true })
    ft.publish({ message: 'first', messageGroupId: 'g1', messageDeduplicationId: 'd1', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } })
    ft.publish({ message: 'second', messageGroupId: 'g2', messageDeduplicationId: 'd2' })
    ft.publish({ message: 'repeat', messageGroupId: 'g1', messageDeduplicationId: 'd1' })
    await sim.runUntilIdle()
    expect(fq.messages.map((m) => [m.body, m.messageGroupId, m.messageDeduplicationId, m.messageAttributes])).toEqual([
      ['first', 'g1', 'd1', { kind: { dataType: 'String', stringValue: 'order' } }],
      ['second', 'g2', 'd2', {}],
    ])
    expect(sq.messages.map((m) => [m.body, m.messageGroupId, m.messageDeduplicationId])).toEqual([['first', undefined, undefined], ['second', undefined, undefined]])
  })

  it('SNS → SQS (raw) → Lambda: the function\'s SQS record has the published message as its body and the SNS attributes as its messageAttributes', async () => {
    const sim = createSimulator()
    const seen: unknown[] = []
    sim.createFunction('consumer', async (event: { Records: { body: string; messageAttributes: unknown }[] }) => {
      for (const r of event.Records) seen.push([r.body, r.messageAttributes])
    })
    const t = sim.createTopic('orders')
    const q = sim.createQueue('orders')
    t.subscribe(q, { rawMessageDelivery: true })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    t.publish({ message: '{"id":7}', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } })
    await sim.runUntilIdle()
    expect(seen).toEqual([['{"id":7}', { kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' } }]])
  })

  it('the filter policy still applies to a raw subscription, in either scope', async () => {
    const sim = createSimulator()
    const t = sim.createTopic('orders')
    const byAttr = sim.createQueue('by-attr')
    const byBody = sim.createQueue('by-body')
    t.subscribe(byAttr, { rawMessageDelivery: true, filterPolicy: { kind: ['order'] } })
    t.subscribe(byBody, { rawMessageDelivery: true, filterPolicyScope: 'MessageBody', filterPolicy: { total: [{ numeric: ['>=', 100] }] } })
    t.publish({ message: '{"total":150}', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } })
    t.publish({ message: '{"total":50}', messageAttributes: { kind: { dataType: 'String', stringValue: 'refund' } } })
    t.publish({ message: '{"total":500}', messageAttributes: { kind: { dataType: 'String', stringValue: 'refund' } } })
    await sim.runUntilIdle()
    expect(byAttr.messages.map((m) => m.body)).toEqual(['{"total":150}'])
    expect(byBody.messages.map((m) => m.body)).toEqual(['{"total":150}', '{"total":500}'])
  })

  it('SQS takes at most 10 message attributes: a message with 11 is not delivered to a raw subscription (SNS discards it as a client-side error; a subscriber-failed warning names it), while 10 are delivered and a non-raw subscription gets all 11 in its envelope', async () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const raw = sim.createQueue('raw')
    const wrapped = sim.createQueue('wrapped')
    const sub = t.subscribe(raw, { rawMessageDelivery: true })
    t.subscribe(wrapped)
    const attrs = (n: number): Record<string, { dataType: 'String'; stringValue: string }> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { dataType: 'String' as const, stringValue: 'v' }]))
    const eleven = t.publish({ message: 'eleven', messageAttributes: attrs(11) })
    t.publish({ message: 'ten', messageAttributes: attrs(10) })
    await sim.runUntilIdle()
    expect(raw.messages.map((m) => [m.body, Object.keys(m.messageAttributes).length])).toEqual([['ten', 10]])
    expect(wrapped.messages.map((m) => Object.keys((JSON.parse(m.body) as { MessageAttributes: object }).MessageAttributes).length)).toEqual([11, 10])
    expect(sim.timeline.ofType('warning').map((e) => [e.kind, e.message])).toEqual([
      ['subscriber-failed', `SNS topic ${t.arn} could not deliver to subscription ${sub.arn} (${raw.arn}): message ${eleven.messageId} has 11 message attributes; raw message delivery to Amazon SQS sends at most 10, and SNS discards the message for this subscription as a client-side error`],
    ])
  })

  it('a destination object with an SQS ARN subscribed for raw delivery gets the message as the delivery body and the attributes as its messageAttributes', async () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const got: [string, unknown][] = []
    t.subscribe({ arn: 'arn:aws:sqs:us-east-1:123456789012:external', deliver: (d) => void got.push([d.body, d.messageAttributes]) }, { rawMessageDelivery: true })
    t.publish({ message: 'plain' })
    t.publish({ message: 'tagged', messageAttributes: { kind: { dataType: 'String', stringValue: 'x' } } })
    await sim.runUntilIdle()
    expect(got).toEqual([['plain', undefined], ['tagged', { kind: { dataType: 'String', stringValue: 'x' } }]])
  })

  it('a Lambda subscription refuses RawMessageDelivery (true or false) with SNS\'s InvalidParameter "Delivery protocol [lambda] does not support raw message delivery." and subscribes nothing', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('consumer', async () => null)
    const t = sim.createTopic('alerts')
    for (const target of [fn, 'consumer', fn.arn]) {
      for (const rawMessageDelivery of [true, false]) {
        expect(() => t.subscribe(target, { rawMessageDelivery })).toThrow(expect.objectContaining({ name: 'InvalidParameter', statusCode: 400, message: lambdaText }))
      }
    }
    expect(t.subscriptions).toEqual([])
  })

  it('rawMessageDelivery must be a boolean: a string such as \'true\' is refused naming the field, the value and the allowed values, and nothing is subscribed', () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const q = sim.createQueue('raw')
    expect(() => t.subscribe(q, { rawMessageDelivery: 'true' as never })).toThrow('Invalid rawMessageDelivery for topic alerts: expected true or false, got "true"')
    expect(t.subscriptions).toEqual([])
  })

  it('raw delivery is for SQS endpoints only here: a destination object of another service is refused with a SimulatorError naming its ARN', () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const bus = sim.createEventBus('shop')
    expect(() => t.subscribe(bus, { rawMessageDelivery: true })).toThrow(`Invalid rawMessageDelivery for topic alerts: raw message delivery applies to Amazon SQS endpoints (and HTTP/S and Firehose, not simulated); ${bus.arn} is not an SQS queue`)
    expect(t.subscriptions).toEqual([])
  })

  it('subscribing a queue again is idempotent when RawMessageDelivery is the same or not given, and refused ("Subscription already exists with different attributes") when it differs; the default is false', () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const q = sim.createQueue('raw')
    const plain = sim.createQueue('plain')
    const sub = t.subscribe(q, { rawMessageDelivery: true })
    expect(t.subscribe(q, { rawMessageDelivery: true })).toBe(sub)
    expect(t.subscribe(q)).toBe(sub)
    expect(() => t.subscribe(q, { rawMessageDelivery: false })).toThrow('Invalid parameter: Attributes Reason: Subscription already exists with different attributes')
    const plainSub = t.subscribe(plain)
    expect(plainSub).not.toHaveProperty('rawMessageDelivery')
    expect(t.subscribe(plain, { rawMessageDelivery: false })).toBe(plainSub)
    expect(() => t.subscribe(plain, { rawMessageDelivery: true })).toThrow('Subscription already exists with different attributes')
  })

  it('setSubscriptionAttributes RawMessageDelivery takes "true" or "false" in any case and applies to messages published afterwards', async () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    const q = sim.createQueue('q')
    const sub = t.subscribe(q)
    t.publish({ message: 'before' })
    t.setSubscriptionAttributes(sub.arn, 'RawMessageDelivery', 'TrUe')
    expect(sub.rawMessageDelivery).toBe(true)
    t.publish({ message: 'raw' })
    t.setSubscriptionAttributes(sub.arn, 'RawMessageDelivery', 'false')
    expect(sub.rawMessageDelivery).toBe(false)
    t.publish({ message: 'after' })
    await sim.runUntilIdle()
    expect(q.messages.map((m) => m.body.startsWith('{') ? (JSON.parse(m.body) as { Message: string }).Message : `raw:${m.body}`)).toEqual(['before', 'raw:raw', 'after'])
  })

  it('setSubscriptionAttributes RawMessageDelivery refuses a value other than true or false with SNS\'s text, and a Lambda subscription with "Delivery protocol [lambda] does not support raw message delivery."; nothing changes', () => {
    const sim = createSimulator()
    sim.createFunction('consumer', async () => null)
    const t = sim.createTopic('alerts')
    const q = sim.createQueue('q')
    const sub = t.subscribe(q)
    const fnSub = t.subscribe('consumer')
    expect(() => t.setSubscriptionAttributes(sub.arn, 'RawMessageDelivery', 'test-ValUe')).toThrow(expect.objectContaining({ name: 'InvalidParameter', message: 'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.' }))
    expect(() => t.setSubscriptionAttributes(sub.arn, 'RawMessageDelivery', '')).toThrow('Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.')
    expect(() => t.setSubscriptionAttributes(fnSub.arn, 'RawMessageDelivery', 'true')).toThrow(expect.objectContaining({ name: 'InvalidParameter', message: 'Invalid parameter: Delivery protocol [lambda] does not support raw message delivery.' }))
    expect(sub).not.toHaveProperty('rawMessageDelivery')
    expect(fnSub).not.toHaveProperty('rawMessageDelivery')
  })
})
