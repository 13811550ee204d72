import { describe, expect, expectTypeOf, it } from 'vitest'
import { createSimulator, LambdaError, type Bucket, type BucketObject, type Subscription, type TopicMessage } from '../src/index.js'
import { thrownLambdaError as thrown } from './helpers/errors.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

function recorder(sim: ReturnType<typeof createSimulator>, name: string) {
  const events: { at: number; event: unknown }[] = []
  const fn = sim.createFunction(name, async (event: unknown) => {
    events.push({ at: sim.now() - T0, event })
    return null
  })
  return { fn, events }
}

describe('bucket notifications', () => {
  it('putObject invokes the function (Event type) with the S3 record: URL-encoded key, size, eTag, increasing sequencer', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'on-upload')
    const bucket = sim.createBucket('uploads')
    const id = bucket.addNotification({ id: 'images', events: ['s3:ObjectCreated:*'], filter: { prefix: 'images/', suffix: '.jpg' }, function: fn })
    expect(id).toBe('images')
    await sim.advanceBy(2000)
    bucket.putObject('images/my photo (1).jpg', 'hello')
    bucket.putObject('images/skip.png', 'no') // suffix does not match
    bucket.putObject('other/x.jpg', 'no') // prefix does not match
    bucket.putObject('images/b.jpg', 'second')
    await sim.runUntilIdle()
    expect(events.map((e) => e.at)).toEqual([2000, 2000])
    const record = (events[0]?.event as { Records: unknown[] }).Records[0]
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-01-01T00:00:02.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:123456789012' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': expect.stringMatching(/^[0-9A-F]{16}$/), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'images',
        bucket: { name: 'uploads', ownerIdentity: { principalId: '123456789012' }, arn: 'arn:aws:s3:::uploads' },
        object: { key: 'images/my+photo+%281%29.jpg', size: 5, eTag: '5d41402abc4b2a76b9719d911017c592', sequencer: '000000000000000001' },
      },
    })
    const second = (events[1]?.event as { Records: { s3: { object: { sequencer: string } } }[] }).Records[0]
    expect(second?.s3.object.sequencer).toBe('000000000000000004')
    expect(sim.timeline.ofType('accepted').map((e) => e.source)).toEqual(['arn:aws:s3:::uploads', 'arn:aws:s3:::uploads'])
  })

  it('deleteObject sends ObjectRemoved:Delete without size or eTag, only to removal configurations', async () => {
    const sim = createSimulator()
    const created = recorder(sim, 'created')
    const removed = recorder(sim, 'removed')
    const bucket = sim.createBucket('docs')
    bucket.putBucketNotificationConfiguration({
      lambdaFunctionConfigurations: [
        { id: 'c', lambdaFunctionArn: created.fn.arn, events: ['s3:ObjectCreated:Put'] },
        { id: 'r', lambdaFunctionArn: removed.fn.arn, events: ['s3:ObjectRemoved:Delete'], filter: { key: { filterRules: [{ name: 'Suffix', value: '.txt' }] } } },
      ],
    })
    bucket.putObject('a.txt', 'x')
    expect(bucket.deleteObject('a.txt')).toBe(true)
    expect(bucket.deleteObject('never.txt')).toBe(false)
    await sim.runUntilIdle()
    expect(created.events).toHaveLength(1)
    const objects = removed.events.map((e) => (e.event as { Records: { eventName: string; s3: { object: unknown } }[] }).Records[0])
    expect(objects.map((r) => [r?.eventName, r?.s3.object])).toEqual([
      ['ObjectRemoved:Delete', { key: 'a.txt', sequencer: '000000000000000002' }],
      ['ObjectRemoved:Delete', { key: 'never.txt', sequencer: '000000000000000003' }],
    ])
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations[1]).toEqual({
      id: 'r',
      lambdaFunctionArn: removed.fn.arn,
      events: ['s3:ObjectRemoved:Delete'],
      filter: { key: { filterRules: [{ name: 'Suffix', value: '.txt' }] } },
    })
  })

  it('rejects unsupported events, overlapping configurations and unknown functions with S3/Lambda errors', () => {
    const sim = createSimulator()
    const { fn } = recorder(sim, 'f')
    const bucket = sim.createBucket('strict-bucket')
    expect(() => bucket.addNotification({ events: ['s3:ObjectCreated:Nope' as never], function: fn })).toThrow(
      'The event is not supported for notifications (ArgumentName: Event, ArgumentValue: s3:ObjectCreated:Nope)',
    )
    bucket.addNotification({ id: 'a', events: ['s3:ObjectCreated:*'], filter: { prefix: 'in/' }, function: fn })
    let error: unknown
    try {
      bucket.addNotification({ id: 'b', events: ['s3:ObjectCreated:Put'], filter: { prefix: 'in/sub/' }, function: fn })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LambdaError)
    expect(error).toMatchObject({ name: 'InvalidArgument', statusCode: 400 })
    expect((error as Error).message).toMatch(/^Configuration is ambiguously defined\. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type\./)
    // Disjoint prefixes are fine.
    bucket.addNotification({ id: 'c', events: ['s3:ObjectCreated:Put'], filter: { prefix: 'out/' }, function: fn })
    expect(thrown(() => bucket.addNotification({ events: ['s3:ObjectRemoved:*'], function: 'ghost' }))).toMatchObject({
      name: 'InvalidArgument',
      statusCode: 400,
      message:
        'Unable to validate the following destination configurations (ArgumentName1: arn:aws:lambda:us-east-1:123456789012:function:ghost, null, ArgumentValue1: Not authorized to invoke function [arn:aws:lambda:us-east-1:123456789012:function:ghost])',
    })
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations.map((c) => c.id)).toEqual(['a', 'c'])
  })

  it('every S3 event type is accepted in a configuration (those lambda-sim never produces never fire); an unknown one is refused with InvalidArgument', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bucket = sim.createBucket('all-events')
    const never = [
      's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:ObjectRestore:Delete', 's3:ReducedRedundancyLostObject',
      's3:Replication:*', 's3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold', 's3:Replication:OperationNotTracked',
      's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated', 's3:LifecycleTransition', 's3:IntelligentTiering',
      's3:ObjectTagging:*', 's3:ObjectTagging:Put', 's3:ObjectTagging:Delete', 's3:ObjectAcl:Put',
    ] as const
    bucket.addNotification({ id: 'never', events: [...never], function: fn })
    bucket.putObject('a.txt', 'x')
    bucket.deleteObject('a.txt')
    await sim.runUntilIdle()
    expect(events).toEqual([])
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations[0]?.events).toEqual([...never])
    for (const bad of ['s3:ObjectCreated:Nope', 's3:ObjectRestore', 's3:TestEvent', 's3:Replication:OperationCompletedReplication', 'ObjectCreated:Put']) {
      expect(thrown(() => bucket.addNotification({ events: [bad as never], function: fn }))).toMatchObject({
        name: 'InvalidArgument',
        statusCode: 400,
        message: `The event is not supported for notifications (ArgumentName: Event, ArgumentValue: ${bad})`,
      })
    }
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations.map((c) => c.id)).toEqual(['never'])
  })

  it('a filter with two prefix rules or two suffix rules is refused with InvalidArgument, and the configuration is unchanged', () => {
    const sim = createSimulator()
    const { fn } = recorder(sim, 'f')
    const bucket = sim.createBucket('two-rules')
    bucket.addNotification({ id: 'kept', events: ['s3:ObjectCreated:*'], function: fn })
    const put = (filterRules: { name: 'prefix' | 'suffix' | 'Prefix' | 'Suffix'; value: string }[]) => () =>
      bucket.putBucketNotificationConfiguration({ lambdaFunctionConfigurations: [{ id: 'x', lambdaFunctionArn: fn.arn, events: ['s3:ObjectCreated:Put'], filter: { key: { filterRules } } }] })
    expect(thrown(put([{ name: 'prefix', value: 'a/' }, { name: 'Prefix', value: 'b/' }]))).toMatchObject({
      name: 'InvalidArgument',
      statusCode: 400,
      message: 'Cannot specify more than one prefix rule in a filter. (ArgumentName: FilterRule.Name, ArgumentValue: Prefix)',
    })
    expect(thrown(put([{ name: 'suffix', value: '.jpg' }, { name: 'prefix', value: 'a/' }, { name: 'suffix', value: '.png' }]))).toMatchObject({
      name: 'InvalidArgument',
      statusCode: 400,
      message: 'Cannot specify more than one suffix rule in a filter. (ArgumentName: FilterRule.Name, ArgumentValue: suffix)',
    })
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations.map((c) => c.id)).toEqual(['kept'])
  })
})

describe('bucket notifications: destination validation', () => {
  it('a LambdaFunctionArn that is not an ARN is InvalidArgument "The ARN could not be parsed", checked for every configuration before any function is looked up', () => {
    const sim = createSimulator()
    const { fn } = recorder(sim, 'f')
    const bucket = sim.createBucket('arns')
    bucket.addNotification({ id: 'kept', events: ['s3:ObjectCreated:*'], function: fn })
    const ghost = 'arn:aws:lambda:us-east-1:123456789012:function:ghost'
    for (const bad of ['invalid-queue', 'f', 'arn:aws:lambda']) {
      const put = () =>
        bucket.putBucketNotificationConfiguration({
          lambdaFunctionConfigurations: [
            { id: 'a', lambdaFunctionArn: ghost, events: ['s3:ObjectCreated:*'] },
            { id: 'b', lambdaFunctionArn: bad, events: ['s3:ObjectRemoved:*'] },
          ],
        })
      expect(thrown(put)).toMatchObject({ name: 'InvalidArgument', statusCode: 400, message: `The ARN could not be parsed (ArgumentName: CloudFunction, ArgumentValue: ${bad})` })
    }
    expect(thrown(() => bucket.addNotification({ events: ['s3:ObjectCreated:*'], function: 'arn:aws:lambda' }))).toMatchObject({
      name: 'InvalidArgument',
      message: 'The ARN could not be parsed (ArgumentName: CloudFunction, ArgumentValue: arn:aws:lambda)',
    })
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations.map((c) => c.id)).toEqual(['kept'])
  })

  it('functions S3 cannot invoke (missing, a missing version or alias, another region) are listed in one InvalidArgument "Unable to validate the following destination configurations"; nothing is stored', () => {
    const sim = createSimulator()
    const { fn } = recorder(sim, 'f')
    const bucket = sim.createBucket('destinations')
    bucket.addNotification({ id: 'kept', events: ['s3:ObjectCreated:*'], function: fn })
    const ghost = 'arn:aws:lambda:us-east-1:123456789012:function:ghost'
    const missingAlias = `${fn.arn}:live`
    const elsewhere = 'arn:aws:lambda:eu-west-1:123456789012:function:f'
    const error = thrown(() =>
      bucket.putBucketNotificationConfiguration({
        lambdaFunctionConfigurations: [
          { id: 'a', lambdaFunctionArn: ghost, events: ['s3:ObjectCreated:Put'] },
          { id: 'b', lambdaFunctionArn: fn.arn, events: ['s3:ObjectRemoved:*'] },
          { id: 'c', lambdaFunctionArn: missingAlias, events: ['s3:ObjectCreated:Copy'] },
          { id: 'd', lambdaFunctionArn: elsewhere, events: ['s3:ObjectCreated:Post'] },
        ],
      }),
    )
    expect(error).toMatchObject({
      name: 'InvalidArgument',
      statusCode: 400,
      message:
        'Unable to validate the following destination configurations (' +
        `ArgumentName1: ${ghost}, null, ArgumentValue1: Not authorized to invoke function [${ghost}], ` +
        `ArgumentName2: ${missingAlias}, null, ArgumentValue2: Not authorized to invoke function [${missingAlias}], ` +
        `ArgumentName3: ${elsewhere}, null, ArgumentValue3: Not authorized to invoke function [${elsewhere}])`,
    })
    expect(bucket.getBucketNotificationConfiguration().lambdaFunctionConfigurations.map((c) => c.id)).toEqual(['kept'])
    expect(thrown(() => bucket.addNotification({ events: ['s3:ObjectRemoved:*'], function: ghost })).message).toBe(
      `Unable to validate the following destination configurations (ArgumentName1: ${ghost}, null, ArgumentValue1: Not authorized to invoke function [${ghost}])`,
    )
    expect(() => bucket.putBucketNotificationConfiguration({ lambdaFunctionConfigurations: [{ events: ['s3:ObjectCreated:*'] } as never] })).toThrow(
      'Invalid LambdaFunctionArn: expected a function ARN, got undefined',
    )
  })
})

describe('bucket names and object keys', () => {
  it('createBucket refuses a name S3 refuses with InvalidBucketName "The specified bucket is not valid." (400); a non-string stays a SimulatorError', () => {
    const sim = createSimulator()
    const bad = [
      'ab', 'a'.repeat(64), 'Uploads', 'my_bucket', 'my bucket', '-bucket', 'bucket-', '.bucket', 'bucket.', 'my..bucket', '192.168.5.4',
      'xn--bucket', 'sthree-bucket', 'sthree-configurator-x', 'amzn-s3-demo-bucket', 'bucket-s3alias', 'bucket--ol-s3', 'bucket.mrap', 'bucket--usw2-az1--x-s3',
    ]
    for (const name of bad) {
      expect(thrown(() => sim.createBucket(name)), name).toMatchObject({ name: 'InvalidBucketName', statusCode: 400, message: 'The specified bucket is not valid.' })
    }
    for (const name of ['abc', 'a'.repeat(63), 'my.bucket-1', '1.2.3', 'a-.b', 'xn-bucket', 'bucket-s3', '192.168.5.4x']) expect(sim.createBucket(name).name).toBe(name)
    expect(() => sim.createBucket(7 as never)).toThrow(/Invalid bucket name 7: expected a string/)
  })

  it('object keys are 1–1,024 bytes of UTF-8: a longer key is KeyTooLongError "Your key is too long" (400) and nothing is stored or notified; an empty key is a SimulatorError', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bucket = sim.createBucket('keys')
    bucket.addNotification({ events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], function: fn })
    const max = 'é'.repeat(512) // 1,024 bytes in 512 characters
    expect(bucket.putObject(max, 'x').key).toBe(max)
    for (const key of [`${max}a`, 'a'.repeat(1025), '€'.repeat(342)]) {
      expect(thrown(() => bucket.putObject(key, 'x'))).toMatchObject({ name: 'KeyTooLongError', statusCode: 400, message: 'Your key is too long' })
      expect(thrown(() => bucket.deleteObject(key))).toMatchObject({ name: 'KeyTooLongError', statusCode: 400, message: 'Your key is too long' })
    }
    expect(() => bucket.putObject('', 'x')).toThrow('Invalid object key "": expected 1–1024 bytes')
    expect(() => bucket.deleteObject('')).toThrow('Invalid object key "": expected 1–1024 bytes')
    expect(() => bucket.putObject(3 as never, 'x')).toThrow('Invalid object key 3: expected a string')
    expect([...bucket.objects.keys()]).toEqual([max])
    await sim.runUntilIdle()
    expect(events).toHaveLength(1)
  })

  it('putObject takes a string or a Uint8Array (a Buffer too), in its type and at runtime; an object reads as text (body) and as bytes (bytes)', () => {
    expectTypeOf<Parameters<Bucket['putObject']>[1]>().toEqualTypeOf<string | Uint8Array>()
    expectTypeOf<BucketObject['body']>().toEqualTypeOf<string>()
    expectTypeOf<BucketObject['bytes']>().toEqualTypeOf<Uint8Array>()
    const bucket = createSimulator().createBucket('bytes')
    const text = bucket.putObject('a.txt', 'héllo')
    expect([text.body, text.bytes]).toEqual(['héllo', new Uint8Array(Buffer.from('héllo'))])
    const bytes = bucket.putObject('b.bin', new Uint8Array([0x68, 0x69, 0xff]))
    // Bytes that are not UTF-8 read as U+FFFD in body; bytes gives them back exactly.
    expect([bytes.body, bytes.bytes]).toEqual(['hi\uFFFD', new Uint8Array([0x68, 0x69, 0xff])])
    const buffer = bucket.putObject('c.txt', Buffer.from('héllo'))
    expect([buffer.body, buffer.bytes]).toEqual(['héllo', new Uint8Array(Buffer.from('héllo'))])
    expect([...bucket.objects.keys()]).toEqual(['a.txt', 'b.bin', 'c.txt'])
  })

  it('an object\'s size is the UTF-8 byte count of a string body and the byte count of bytes; the same content as text or bytes has the same size and eTag', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bucket = sim.createBucket('sizes')
    bucket.addNotification({ events: ['s3:ObjectCreated:*'], function: fn })
    const text = bucket.putObject('text', 'é€😀') // 3 characters, 4 UTF-16 units, 2 + 3 + 4 bytes
    const bytes = bucket.putObject('bytes', new TextEncoder().encode('é€😀'))
    const buffer = bucket.putObject('buffer', Buffer.from('é€😀'))
    expect([text.size, bytes.size, buffer.size]).toEqual([9, 9, 9])
    expect(new Set([text.eTag, bytes.eTag, buffer.eTag]).size).toBe(1)
    // A view of part of a buffer counts its own bytes only.
    const part = bucket.putObject('part', new Uint8Array(new ArrayBuffer(16), 4, 3))
    expect(part.size).toBe(3)
    await sim.runUntilIdle()
    const sizes = events.map((e) => (e.event as { Records: { s3: { object: { key: string; size: number } } }[] }).Records[0]?.s3.object)
    expect(sizes.map((o) => [o?.key, o?.size])).toEqual([['text', 9], ['bytes', 9], ['buffer', 9], ['part', 3]])
  })

  it('putObject stores a copy of the bytes, and bytes reads a copy: changing either array leaves the object as it was', () => {
    const bucket = createSimulator().createBucket('copies')
    const data = new Uint8Array([1, 2, 3])
    const obj = bucket.putObject('k', data)
    data[0] = 9
    const read = obj.bytes
    read[1] = 9
    expect(bucket.objects.get('k')?.bytes).toEqual(new Uint8Array([1, 2, 3]))
    expect(obj.eTag).toBe(bucket.putObject('k2', new Uint8Array([1, 2, 3])).eTag)
    const text = bucket.putObject('t', 'abc')
    const encoded = text.bytes
    encoded[0] = 0
    expect([text.body, text.bytes]).toEqual(['abc', new Uint8Array([0x61, 0x62, 0x63])])
  })

  it('a body that is neither a string nor a Uint8Array is refused naming the key and the value: "expected a string or a Uint8Array"; nothing is stored or notified', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bucket = sim.createBucket('refused')
    bucket.addNotification({ events: ['s3:ObjectCreated:*'], function: fn })
    expect(() => bucket.putObject('k', 42 as never)).toThrow('Invalid object body for key "k": expected a string or a Uint8Array, got 42')
    expect(() => bucket.putObject('k', new Uint16Array([1]) as never)).toThrow('Invalid object body for key "k": expected a string or a Uint8Array, got a Uint16Array of 2 bytes')
    expect(() => bucket.putObject('k', new DataView(new ArrayBuffer(2)) as never)).toThrow('Invalid object body for key "k": expected a string or a Uint8Array, got a DataView of 2 bytes')
    expect(() => bucket.putObject('k', new ArrayBuffer(2) as never)).toThrow('Invalid object body for key "k": expected a string or a Uint8Array, got an ArrayBuffer of 2 bytes')
    expect(bucket.objects.size).toBe(0)
    await sim.runUntilIdle()
    expect(events).toEqual([])
  })
})

describe('topic subscriptions', () => {
  it('a subscribed function receives the SNS record in AWS\'s shape', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'subscriber')
    const topic = sim.createTopic('alerts')
    const sub = topic.subscribe(fn)
    await sim.advanceBy(1500)
    const { messageId } = topic.publish({ message: 'disk full', messageAttributes: { level: { dataType: 'String', stringValue: 'high' } } })
    await sim.runUntilIdle()
    expect(events.map((e) => e.at)).toEqual([1500])
    const record = (events[0]?.event as { Records: Record<string, unknown>[] }).Records[0] as Record<string, unknown>
    expect(Object.keys(record)).toEqual(['EventVersion', 'EventSubscriptionArn', 'EventSource', 'Sns'])
    expect(record).toEqual({
      EventVersion: '1.0',
      EventSubscriptionArn: sub.arn,
      EventSource: 'aws:sns',
      Sns: {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
        Subject: null,
        Message: 'disk full',
        Timestamp: '2026-01-01T00:00:01.500Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000000.pem',
        UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`,
        MessageAttributes: { level: { Type: 'String', Value: 'high' } },
      },
    })
    expect(sub.arn).toMatch(/^arn:aws:sns:us-east-1:123456789012:alerts:[0-9a-f-]{36}$/)
  })
})

describe('topic subscriptions: the SQS message body', () => {
  it('a subscribed queue receives the notification in the SQS/HTTP JSON format: SigningCertURL and UnsubscribeURL (not the Lambda record\'s Url casing), no Subject when none was published, MessageAttributes only when there are some', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('alerts')
    const q = sim.createQueue('copies')
    const sub = topic.subscribe(q)
    const plain = topic.publish({ message: 'disk full' })
    const rich = topic.publish({ message: 'disk full', subject: 'ops', messageAttributes: { level: { dataType: 'String', stringValue: 'high' } } })
    await sim.runUntilIdle()
    const [first, second] = q.messages.map((m) => JSON.parse(m.body) as Record<string, unknown>)
    const cert = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000000.pem'
    const unsubscribe = `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`
    expect(Object.keys(first as object)).toEqual(['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL'])
    expect(first).toEqual({
      Type: 'Notification',
      MessageId: plain.messageId,
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
      Message: 'disk full',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
      Signature: 'EXAMPLE',
      SigningCertURL: cert,
      UnsubscribeURL: unsubscribe,
    })
    expect(Object.keys(second as object)).toEqual(['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes'])
    expect(second).toMatchObject({ MessageId: rich.messageId, Subject: 'ops', MessageAttributes: { level: { Type: 'String', Value: 'high' } } })
  })
})

describe('topic subscriptions by ARN', () => {
  it('a queue subscribed by its ARN (a string, as SNS Subscribe takes it) receives the notifications as one subscribed by handle, FIFO IDs included; an SQS ARN naming no queue in the simulator is a subscriber-failed warning naming it', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('copies')
    const fq = sim.createQueue('copies.fifo')
    const topic = sim.createTopic('alerts')
    const ft = sim.createTopic('alerts.fifo')
    const sub = topic.subscribe(q.arn)
    expect(topic.subscribe(q)).toBe(sub)
    ft.subscribe(fq.arn)
    topic.subscribe('arn:aws:sqs:us-east-1:123456789012:missing')
    topic.publish({ message: 'hello' })
    ft.publish({ message: 'ordered', messageGroupId: 'g1', messageDeduplicationId: 'd1' })
    await sim.runUntilIdle()
    expect(q.messages.map((m) => (JSON.parse(m.body) as { Message: string; TopicArn: string }).Message)).toEqual(['hello'])
    expect(fq.messages.map((m) => [(JSON.parse(m.body) as { Message: string }).Message, m.messageGroupId, m.messageDeduplicationId])).toEqual([['ordered', 'g1', 'd1']])
    expect(sim.timeline.ofType('warning').map((e) => [e.kind, e.message])).toEqual([
      ['subscriber-failed', `SNS topic ${topic.arn} could not deliver to subscription ${topic.subscriptions[1]?.arn} (arn:aws:sqs:us-east-1:123456789012:missing): Error: No destination with ARN arn:aws:sqs:us-east-1:123456789012:missing exists in this simulator`],
    ])
    expect(sim.metrics.invocations).toBe(0)
  })
})

describe('topic subscriptions: Subscribe is idempotent', () => {
  it('subscribing an endpoint that is already subscribed (by handle, name or ARN; a queue twice) returns its subscription, and each message reaches it once', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'subscriber')
    const q = sim.createQueue('copies')
    const topic = sim.createTopic('alerts')
    const first = topic.subscribe(fn)
    expect(topic.subscribe('subscriber')).toBe(first)
    expect(topic.subscribe(fn.arn)).toBe(first)
    const queueSub = topic.subscribe(q)
    expect(topic.subscribe(q)).toBe(queueSub)
    expect(topic.subscriptions).toEqual([first, queueSub])
    topic.publish({ message: 'once' })
    await sim.runUntilIdle()
    expect(events).toHaveLength(1)
    expect(q.messages).toHaveLength(1)
  })
})

describe('a topic\'s public members', () => {
  it('topic.subscriptions cannot be changed by callers: the list is frozen, a subscription\'s arn and endpoint cannot be reassigned, and publish still delivers to the subscriptions subscribe made', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'subscriber')
    const q = sim.createQueue('copies')
    const topic = sim.createTopic('alerts')
    const sub = topic.subscribe(fn)
    expectTypeOf(topic.subscriptions).toEqualTypeOf<readonly Subscription[]>()
    expectTypeOf<Readonly<Subscription>>().toEqualTypeOf<Subscription>()
    const list = topic.subscriptions as Subscription[]
    expect(() => list.push({ arn: `${topic.arn}:fake`, endpoint: 'subscriber' })).toThrow(TypeError)
    expect(() => list.splice(0, 1)).toThrow(TypeError)
    expect(() => {
      (sub as { endpoint: string }).endpoint = q.arn
    }).toThrow(TypeError)
    expect(() => {
      (sub as { arn: string }).arn = 'x'
    }).toThrow(TypeError)
    // Reading it twice costs no copy while nothing is subscribed in between.
    expect(topic.subscriptions).toBe(topic.subscriptions)
    const queueSub = topic.subscribe(q)
    expect(topic.subscriptions).toEqual([sub, queueSub])
    expect(list).toEqual([sub])
    topic.publish({ message: 'once' })
    await sim.runUntilIdle()
    expect(events).toHaveLength(1)
    expect(q.messages).toHaveLength(1)
  })

  it('topic.messages is read-only: its type is a ReadonlyArray of read-only messages, each message is frozen, and reading costs no copy', () => {
    const sim = createSimulator()
    const topic = sim.createTopic('alerts')
    topic.publish({ message: 'a' })
    expectTypeOf(topic.messages).toEqualTypeOf<readonly TopicMessage[]>()
    expectTypeOf<Readonly<TopicMessage>>().toEqualTypeOf<TopicMessage>()
    const m = topic.messages[0] as TopicMessage
    expect(Object.isFrozen(m)).toBe(true)
    expect(() => {
      (m as { message: string }).message = 'b'
    }).toThrow(TypeError)
    expect(topic.messages).toBe(topic.messages)
    expect(topic.messages.map((x) => x.message)).toEqual(['a'])
  })

  it('subscribe refuses an array as options with a SimulatorError, and subscribes nothing', () => {
    const sim = createSimulator()
    const topic = sim.createTopic('alerts')
    const q = sim.createQueue('copies')
    expect(() => topic.subscribe(q, [] as never)).toThrow(expect.objectContaining({ name: 'SimulatorError', message: 'Invalid subscribe options for topic alerts: expected an object, got []' }))
    expect(topic.subscriptions).toEqual([])
  })
})

describe('topic publish: size limits', () => {
  it('a message over 262,144 bytes (body plus attribute names, types and values) is refused with InvalidParameter "Invalid parameter: Message too long"; exactly 262,144 is accepted', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'subscriber')
    const topic = sim.createTopic('big')
    topic.subscribe(fn)
    expect(thrown(() => topic.publish({ message: 'x'.repeat(262_145) }))).toMatchObject({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: Message too long' })
    // 'é' is 2 bytes in UTF-8: 131,073 of them are 262,146 bytes.
    expect(thrown(() => topic.publish({ message: 'é'.repeat(131_073) }))).toMatchObject({ name: 'InvalidParameter', message: 'Invalid parameter: Message too long' })
    // name 'k' (1) + type 'String' (6) + value 'v' (1) = 8 bytes of attributes.
    const attrs = { k: { dataType: 'String' as const, stringValue: 'v' } }
    expect(thrown(() => topic.publish({ message: 'x'.repeat(262_137), messageAttributes: attrs }))).toMatchObject({ name: 'InvalidParameter', message: 'Invalid parameter: Message too long' })
    expect(topic.messages).toHaveLength(0)
    topic.publish({ message: 'x'.repeat(262_136), messageAttributes: attrs })
    topic.publish({ message: 'x'.repeat(262_144) })
    await sim.runUntilIdle()
    expect(topic.messages).toHaveLength(2)
    expect(events).toHaveLength(2)
  })

  it('an empty message is refused with InvalidParameter "Invalid parameter: Empty message"', () => {
    const sim = createSimulator()
    const topic = sim.createTopic('empty')
    expect(thrown(() => topic.publish({ message: '' }))).toMatchObject({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: Empty message' })
    expect(topic.messages).toHaveLength(0)
  })
})

describe('topic publish: subject', () => {
  it('a subject of 1 to 100 characters without line breaks or control characters is accepted; an empty, 101-character or multi-line subject is refused with InvalidParameter "Invalid parameter: Subject"', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'subscriber')
    const topic = sim.createTopic('subjects')
    topic.subscribe(fn)
    for (const subject of ['', 'a'.repeat(101), 'é'.repeat(101), 'line one\nline two', 'carriage\r', 'tab\there', 'bell\u0007', 'c1\u0085']) {
      expect(thrown(() => topic.publish({ message: 'm', subject }))).toMatchObject({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: Subject' })
    }
    expect(topic.messages).toHaveLength(0)
    // Characters, not bytes: 100 two-byte characters (200 bytes), and one emoji counted once.
    for (const subject of ['a'.repeat(100), 'é'.repeat(100), '😀'.repeat(100), 'Ünïcödé subject: ok!']) topic.publish({ message: 'm', subject })
    expect(() => topic.publish({ message: 'm', subject: 7 as unknown as string })).toThrow('Invalid subject for topic subjects: expected a string, got 7')
    await sim.runUntilIdle()
    expect(events.map((e) => (e.event as { Records: { Sns: { Subject: string } }[] }).Records[0]?.Sns.Subject.length)).toEqual([100, 100, 200, 20])
  })
})

describe('topic subscriptions: attributes and subject', () => {
  it('a Binary attribute arrives base64-encoded and a subject as given', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'subscriber')
    const topic = sim.createTopic('raw')
    topic.subscribe(fn)
    topic.publish({ message: 'm', subject: 'hello', messageAttributes: { blob: { dataType: 'Binary', binaryValue: new Uint8Array([1, 2, 255]) }, n: { dataType: 'Number', stringValue: '42' } } })
    await sim.runUntilIdle()
    const sns = (events[0]?.event as { Records: { Sns: { Subject: string; MessageAttributes: unknown } }[] }).Records[0]?.Sns
    expect(sns?.Subject).toBe('hello')
    expect(sns?.MessageAttributes).toEqual({ blob: { Type: 'Binary', Value: 'AQL/' }, n: { Type: 'Number', Value: '42' } })
  })
})

describe('creating a resource that exists', () => {
  it('createTopic with an existing name returns that topic (SNS CreateTopic is idempotent)', () => {
    const sim = createSimulator()
    const t = sim.createTopic('alerts')
    t.publish({ message: 'first' })
    expect(sim.createTopic('alerts')).toBe(t)
    expect(t.messages).toHaveLength(1)
  })

  it('createEventBus with an existing name is ResourceAlreadyExistsException "Event bus <name> already exists."', () => {
    const sim = createSimulator()
    sim.createEventBus('shop')
    expect(thrown(() => sim.createEventBus('shop'))).toMatchObject({ name: 'ResourceAlreadyExistsException', statusCode: 400, message: 'Event bus shop already exists.' })
  })

  it('createEventBus checks Name as CreateEventBus does: 1–256 characters of [/\\.\\-_A-Za-z0-9]+ (ValidationException in the generic format), and no / in a custom bus name', () => {
    const sim = createSimulator()
    const pattern = "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+"
    expect(thrown(() => sim.createEventBus('my bus'))).toMatchObject({ name: 'ValidationException', statusCode: 400, message: `1 validation error detected: Value 'my bus' at 'name' failed to satisfy constraint: ${pattern}` })
    expect(thrown(() => sim.createEventBus('x'.repeat(257)))).toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value '${'x'.repeat(257)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 256`,
    })
    expect(thrown(() => sim.createEventBus(''))).toMatchObject({
      name: 'ValidationException',
      message: `2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: ${pattern}`,
    })
    expect(thrown(() => sim.createEventBus('team/orders'))).toMatchObject({ name: 'ValidationException', statusCode: 400, message: "Event bus name must not contain '/'." })
    expect(sim.createEventBus('x'.repeat(256)).name).toHaveLength(256)
    expect(sim.createEventBus('a.b-c_D9').arn).toBe('arn:aws:events:us-east-1:123456789012:event-bus/a.b-c_D9')
  })

  it('createBucket with an existing name returns it in us-east-1 and is BucketAlreadyOwnedByYou (409) in other regions', () => {
    const sim = createSimulator()
    const b = sim.createBucket('reports')
    expect(sim.createBucket('reports')).toBe(b)
    const eu = createSimulator({ region: 'eu-west-1' })
    eu.createBucket('reports')
    expect(thrown(() => eu.createBucket('reports'))).toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
      statusCode: 409,
      message: 'Your previous request to create the named bucket succeeded and you already own it.',
    })
  })
})

describe('topic names', () => {
  it('a topic name is 1–256 letters, digits, hyphens or underscores, and a FIFO topic\'s .fifo suffix counts in the 256; another name is InvalidParameter "Invalid parameter: Topic Name"', () => {
    const sim = createSimulator()
    expect(sim.createTopic('a'.repeat(256)).fifo).toBe(false)
    const fifo = sim.createTopic(`${'b'.repeat(251)}.fifo`)
    expect([fifo.name.length, fifo.fifo]).toEqual([256, true])
    for (const name of ['', '.fifo', 'a'.repeat(257), `${'c'.repeat(252)}.fifo`, 'bad.name', 'bad name']) {
      // SNS's own answer (InvalidParameter 400), nothing created.
      expect(thrown(() => sim.createTopic(name))).toMatchObject({ name: 'InvalidParameter', statusCode: 400, message: 'Invalid parameter: Topic Name' })
    }
    expect(() => sim.createTopic(42 as never)).toThrow('Invalid topic name 42: expected a string of 1–256 letters, digits, hyphens or underscores (a FIFO topic ends with .fifo, inside the 256)')
  })
})

describe('event bus rules', () => {
  it('events matching a rule\'s pattern invoke its targets (Event type) with the EventBridge envelope; others do not', async () => {
    const sim = createSimulator()
    const orders = recorder(sim, 'orders')
    const audit = recorder(sim, 'audit')
    const bus = sim.createEventBus('shop')
    const rule = bus.putRule({ name: 'big-orders', eventPattern: { source: ['shop.orders'], detail: { total: [{ numeric: ['>=', 100] }] } }, targets: [orders.fn, audit.fn] })
    expect(rule.arn).toBe('arn:aws:events:us-east-1:123456789012:rule/shop/big-orders')
    await sim.advanceBy(3000)
    bus.putEvents([
      { source: 'shop.orders', detailType: 'OrderPlaced', detail: { total: 250 } },
      { source: 'shop.orders', detailType: 'OrderPlaced', detail: { total: 20 } },
      { source: 'shop.users', detailType: 'SignedUp', detail: { total: 500 } },
    ])
    await sim.runUntilIdle()
    expect(orders.events.map((e) => e.at)).toEqual([3000])
    expect(audit.events.map((e) => e.at)).toEqual([3000])
    expect(orders.events[0]?.event).toEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'OrderPlaced',
      source: 'shop.orders',
      account: '123456789012',
      time: '2026-01-01T00:00:03Z',
      region: 'us-east-1',
      resources: [],
      detail: { total: 250 },
    })
    expect(sim.timeline.ofType('accepted').map((e) => e.source)).toEqual([rule.arn, rule.arn])
    // Disabled and deleted rules route nothing.
    bus.putRule({ name: 'big-orders', eventPattern: { source: ['shop.orders'] }, targets: [orders.fn], state: 'DISABLED' })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: { total: 999 } }])
    expect(bus.deleteRule('big-orders')).toBe(true)
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: { total: 999 } }])
    await sim.runUntilIdle()
    expect(orders.events).toHaveLength(1)
    expect(bus.rules).toEqual([])
  })

  it('an invalid pattern is InvalidEventPatternException; more than 5 targets LimitExceededException', () => {
    const sim = createSimulator()
    const { fn } = recorder(sim, 'f')
    const bus = sim.createEventBus('b')
    expect(() => bus.putRule({ name: 'r', eventPattern: { source: 'not-an-array' }, targets: [fn] })).toThrow(/^Event pattern is not valid\. Reason: /)
    expect(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn, fn, fn, fn, fn, fn] })).toThrow(LambdaError)
    expect(() => bus.putRule({ name: 'bad name', eventPattern: { source: ['x'] }, targets: [fn] })).toThrow(
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    )
    expect(bus.rules).toEqual([])
  })

  it('an anything-but suffix rule matches an event whose field is a number (it is anything but a string ending so)', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bus = sim.createEventBus('b')
    bus.putRule({ name: 'not-png', eventPattern: { detail: { file: [{ 'anything-but': { suffix: '.png' } }] } }, targets: [fn] })
    bus.putEvents([
      { source: 's', detailType: 'd', detail: { file: 'a.png' } },
      { source: 's', detailType: 'd', detail: { file: 7 } },
      { source: 's', detailType: 'd', detail: { file: 'a.jpg' } },
    ])
    await sim.runUntilIdle()
    expect(events.map((e) => (e.event as { detail: unknown }).detail)).toEqual([{ file: 7 }, { file: 'a.jpg' }])
  })

  it('a rule joins keys with ".": a dotted pattern key matches nested detail fields and a nested pattern matches dotted detail keys (AWS-validated dot_joining cases)', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bus = sim.createEventBus('b')
    bus.putRule({ name: 'dotted', eventPattern: { 'detail.state.status': ['running'] }, targets: [fn] })
    bus.putRule({ name: 'nested', eventPattern: { detail: { state: { code: [7] } } }, targets: [fn] })
    bus.putEvents([
      { source: 's', detailType: 'd', detail: { state: { status: 'running' } } },
      { source: 's', detailType: 'd', detail: { 'state.status': { status: 'running' } } },
      { source: 's', detailType: 'd', detail: { 'state.code': 7 } },
      { source: 's', detailType: 'd', detail: { state: { status: 'stopped', code: 8 } } },
    ])
    await sim.runUntilIdle()
    expect(events.map((e) => (e.event as { detail: unknown }).detail)).toEqual([{ state: { status: 'running' } }, { 'state.code': 7 }])
  })

  it('PutEvents with no entries or more than 10 is refused with ValidationException in AWS\'s generic format, and nothing is put', () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('orders')
    const entry = { source: 'shop', detailType: 'OrderPlaced', detail: { id: 1 } }
    expect(thrown(() => bus.putEvents([]))).toMatchObject({
      name: 'ValidationException',
      statusCode: 400,
      message: "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    })
    const rendered = 'PutEventsRequestEntry(time=null, source=shop, resources=null, detailType=OrderPlaced, detail={"id":1}, eventBusName=orders, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)'
    expect(thrown(() => bus.putEvents(Array.from({ length: 11 }, () => entry)))).toMatchObject({
      name: 'ValidationException',
      statusCode: 400,
      message: `1 validation error detected: Value '[${Array.from({ length: 11 }, () => rendered).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`,
    })
    const withResources = sim.createEventBus('default')
    expect(thrown(() => withResources.putEvents(Array.from({ length: 11 }, () => ({ ...entry, resources: ['arn:a', 'arn:b'] })))).message).toContain(
      'PutEventsRequestEntry(time=null, source=shop, resources=[arn:a, arn:b], detailType=OrderPlaced, detail={"id":1}, eventBusName=null, ',
    )
    expect(thrown(() => bus.putEvents(Array.from({ length: 11 }, () => ({ detail: { id: 1 } }) as never))).message).toContain(
      'PutEventsRequestEntry(time=null, source=null, resources=null, detailType=null, detail={"id":1}, eventBusName=orders, ',
    )
    expect(bus.entries).toEqual([])
    expect(bus.putEvents(Array.from({ length: 10 }, () => entry)).eventIds).toHaveLength(10)
  })

  it('PutEvents whose entries total more than 1,048,576 bytes (Source + DetailType + Detail + Resources, UTF-8) is refused with ValidationException "Total size of the entries in the request is over the limit."; exactly 1,048,576 is accepted', () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('big')
    // source 's' (1) + detailType 'd' (1) + resource 'r' (1) + detail {"p":"…"} (8 + n) per entry.
    const entry = (n: number) => ({ source: 's', detailType: 'd', resources: ['r'], detail: { p: 'x'.repeat(n) } })
    const half = 1_048_576 / 2 - 11
    expect(thrown(() => bus.putEvents([entry(half), entry(half + 1)]))).toMatchObject({
      name: 'ValidationException',
      statusCode: 400,
      message: 'Total size of the entries in the request is over the limit.',
    })
    expect(bus.entries).toEqual([])
    expect(bus.putEvents([entry(half), entry(half)]).eventIds).toHaveLength(2)
  })

  it('PutEvents answers per entry, in order: an entry without Source or DetailType is InvalidArgument, a Detail that is not a JSON object is MalformedDetail, and a failed entry is not put (rules never see it)', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bus = sim.createEventBus('b')
    bus.putRule({ name: 'all', eventPattern: { source: ['s'] }, targets: [fn] })
    const ok = { source: 's', detailType: 'd', detail: { n: 1 } }
    const result = bus.putEvents([
      ok,
      { detailType: 'd', detail: { n: 2 } } as never,
      { source: '', detailType: 'd', detail: { n: 3 } },
      { source: 's', detailType: '', detail: { n: 4 } },
      { source: 's', detail: { n: 5 } } as never,
      { source: 's', detailType: 'd' } as never,
      { source: 's', detailType: 'd', detail: 'NotJSON' },
      { source: 's', detailType: 'd', detail: [] },
      { source: 's', detailType: 'd', detail: null },
      { ...ok, detail: {} },
    ])
    const source = { errorCode: 'InvalidArgument', errorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' }
    const detailType = { errorCode: 'InvalidArgument', errorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' }
    const malformed = { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' }
    expect(result.failedEntryCount).toBe(8)
    expect(result.entries).toEqual([
      { eventId: result.eventIds[0] },
      source,
      source,
      detailType,
      detailType,
      { errorCode: 'InvalidArgument', errorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      malformed,
      malformed,
      malformed,
      { eventId: result.eventIds[1] },
    ])
    expect(result.eventIds).toHaveLength(2)
    expect(bus.events.map((e) => [e.id, e.detail])).toEqual([[result.eventIds[0], { n: 1 }], [result.eventIds[1], {}]])
    await sim.runUntilIdle()
    expect(events.map((e) => (e.event as { detail: unknown }).detail)).toEqual([{ n: 1 }, {}])
    // With every entry put, FailedEntryCount is 0 and each entry holds its EventId.
    const all = bus.putEvents([ok, ok])
    expect(all).toEqual({ failedEntryCount: 0, entries: all.eventIds.map((eventId) => ({ eventId })), eventIds: [expect.any(String), expect.any(String)] })
  })

  it('a rule in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS is accepted and routes events like ENABLED', async () => {
    const sim = createSimulator()
    const { fn, events } = recorder(sim, 'f')
    const bus = sim.createEventBus('b')
    const rule = bus.putRule({ name: 'all', eventPattern: { source: ['app'] }, targets: [fn], state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' })
    expect(rule.state).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')
    bus.putEvents([{ source: 'app', detailType: 'd', detail: { n: 1 } }, { source: 'other', detailType: 'd', detail: { n: 2 } }])
    await sim.runUntilIdle()
    expect(events.map((e) => (e.event as { detail: unknown }).detail)).toEqual([{ n: 1 }])
    expect(() => bus.putRule({ name: 'bad', eventPattern: { source: ['app'] }, targets: [fn], state: 'enabled' as never })).toThrow(
      "1 validation error detected: Value 'enabled' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
    )
    expect(bus.rules.map((r) => r.name)).toEqual(['all'])
  })

  it('a rule whose event pattern is an empty object, or holds one, is refused with InvalidEventPatternException "Empty objects are not allowed"', () => {
    const sim = createSimulator()
    const { fn } = recorder(sim, 'f')
    const bus = sim.createEventBus('b')
    bus.putRule({ name: 'kept', eventPattern: { source: ['x'] }, targets: [fn] })
    const cases: [pattern: Record<string, unknown> | string, where: string][] = [
      [{}, 'Invalid event pattern: Empty objects are not allowed'],
      ['{}', 'Invalid event pattern: Empty objects are not allowed'],
      [{ source: ['x'], detail: {} }, 'Invalid event pattern at "detail": Empty objects are not allowed'],
      [{ detail: { a: { b: {} } } }, 'Invalid event pattern at "detail.a.b": Empty objects are not allowed'],
      [{ $or: [{ source: ['x'] }, {}] }, 'Invalid event pattern at "$or[1]": Empty objects are not allowed'],
    ]
    for (const [eventPattern, reason] of cases) {
      expect(thrown(() => bus.putRule({ name: 'kept', eventPattern, targets: [] }))).toMatchObject({
        name: 'InvalidEventPatternException',
        statusCode: 400,
        message: `Event pattern is not valid. Reason: ${reason}`,
      })
    }
    expect(bus.rules.map((r) => r.eventPattern)).toEqual([{ source: ['x'] }])
  })
})
