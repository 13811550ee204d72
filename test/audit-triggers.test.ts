/**
 * An AWS user's audit of lambda-sim's triggers: S3 notifications, SNS subscriptions, EventBridge rules
 * and EventBridge Scheduler schedules, each compared with AWS's documented event shapes and rules.
 */
import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError, nextFireTime, parseScheduleExpression, type MessageAttribute } from '../src/index.js'
import { thrownLambdaError as thrown } from './helpers/errors.js'

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString())

function setup(startTime = '2026-01-01T00:00:00Z') {
  const sim = createSimulator({ startTime })
  const runs: { at: string; event: unknown }[] = []
  const fn = sim.createFunction('job', async (event: unknown) => {
    runs.push({ at: iso(sim.now()) as string, event })
    return null
  })
  return { sim, fn, runs }
}

/** The next `n` fire times of `expression` after `after`, in ISO form. */
function fires(expression: string, after: string, n: number, timezone?: string): (string | undefined)[] {
  const parsed = parseScheduleExpression(expression)
  const out: (string | undefined)[] = []
  let t = Date.parse(after)
  for (let i = 0; i < n; i++) {
    const next = nextFireTime(parsed, t, timezone === undefined ? {} : { timezone })
    out.push(iso(next))
    if (next === undefined) break
    t = next
  }
  return out
}

describe('S3 notifications, as the S3 event message structure documents them', () => {
  it('the record has the documented members; "red flower.jpg" becomes "red+flower.jpg"', async () => {
    const { sim, fn, runs } = setup()
    const bucket = sim.createBucket('photo-bucket')
    bucket.addNotification({ id: 'cfg', events: ['s3:ObjectCreated:*'], function: fn })
    bucket.putObject('red flower.jpg', 'abc')
    await sim.runUntilIdle()
    const event = runs[0]?.event as { Records: Record<string, unknown>[] }
    expect(Object.keys(event)).toEqual(['Records'])
    const record = event.Records[0] as Record<string, unknown>
    expect(Object.keys(record)).toEqual(['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3'])
    expect(record['eventName']).toBe('ObjectCreated:Put')
    expect(record['eventTime']).toBe('2026-01-01T00:00:00.000Z')
    const s3 = record['s3'] as { object: Record<string, unknown>; bucket: unknown; configurationId: string; s3SchemaVersion: string }
    expect(s3.s3SchemaVersion).toBe('1.0')
    expect(s3.configurationId).toBe('cfg')
    expect(s3.bucket).toEqual({ name: 'photo-bucket', ownerIdentity: { principalId: '123456789012' }, arn: 'arn:aws:s3:::photo-bucket' })
    expect(s3.object).toEqual({ key: 'red+flower.jpg', size: 3, eTag: '900150983cd24fb0d6963f7d28e17f72', sequencer: expect.stringMatching(/^[0-9A-F]+$/) })
  })

  it('key filters compare with the encoded key: a prefix with a space is written "+", "=" as %3D', async () => {
    const { sim, fn, runs } = setup()
    const bucket = sim.createBucket('bkt')
    bucket.addNotification({ id: 'a', events: ['s3:ObjectCreated:Put'], filter: { prefix: 'my+dir/', suffix: '.csv' }, function: fn })
    bucket.addNotification({ id: 'b', events: ['s3:ObjectCreated:Put'], filter: { prefix: 'year%3D2026/' }, function: fn })
    bucket.putObject('my dir/a.csv', 'x')
    bucket.putObject('my dir/a.txt', 'x')
    bucket.putObject('year=2026/b.txt', 'x')
    await sim.runUntilIdle()
    expect(runs.map((r) => (r.event as { Records: { s3: { object: { key: string } } }[] }).Records[0]?.s3.object.key)).toEqual(['my+dir/a.csv', 'year%3D2026/b.txt'])
  })

  it('overlapping configurations for the same event type are refused with S3\'s InvalidArgument, and nothing changes', () => {
    const { sim, fn } = setup()
    const bucket = sim.createBucket('bkt')
    bucket.addNotification({ id: 'jpg', events: ['s3:ObjectCreated:*'], filter: { prefix: 'images/', suffix: '.jpg' }, function: fn })
    const error = thrown(() => bucket.addNotification({ id: 'all', events: ['s3:ObjectCreated:Put'], filter: { prefix: 'images/' }, function: fn }))
    expect(error.name).toBe('InvalidArgument')
    expect(error.message).toMatch(/^Configuration is ambiguously defined\. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type\./)
    // Other event types, or prefixes that do not overlap, are fine.
    bucket.addNotification({ id: 'del', events: ['s3:ObjectRemoved:*'], filter: { prefix: 'images/' }, function: fn })
    bucket.addNotification({ id: 'docs', events: ['s3:ObjectCreated:Put'], filter: { prefix: 'docs/' }, function: fn })
  })
})

describe('SNS to Lambda, as the SNS Lambda event example documents it', () => {
  it('the record carries EventVersion, EventSubscriptionArn, EventSource and the Sns members; no subject is null; attributes are { Type, Value }', async () => {
    const { sim, fn, runs } = setup()
    const topic = sim.createTopic('sns-lambda')
    const sub = topic.subscribe(fn)
    topic.publish({ message: 'Hello from SNS!', messageAttributes: { Test: { dataType: 'String', stringValue: 'TestString' } } })
    topic.publish({ message: 'second', subject: 'TestInvoke' })
    await sim.runUntilIdle()
    const records = runs.map((r) => (r.event as { Records: Record<string, unknown>[] }).Records[0] as Record<string, unknown>)
    expect(records[0]).toMatchObject({ EventVersion: '1.0', EventSubscriptionArn: sub.arn, EventSource: 'aws:sns' })
    expect(sub.arn).toMatch(/^arn:aws:sns:us-east-1:123456789012:sns-lambda:[0-9a-f-]{36}$/)
    const sns = records[0]?.['Sns'] as Record<string, unknown>
    expect(sns).toMatchObject({
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:sns-lambda',
      Subject: null,
      Message: 'Hello from SNS!',
      Timestamp: '2026-01-01T00:00:00.000Z',
      SignatureVersion: '1',
      MessageAttributes: { Test: { Type: 'String', Value: 'TestString' } },
    })
    expect(sns['UnsubscribeUrl']).toBe(`https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`)
    expect((records[1]?.['Sns'] as Record<string, unknown>)['Subject']).toBe('TestInvoke')
    expect((records[1]?.['Sns'] as Record<string, unknown>)['MessageAttributes']).toEqual({})
  })

  it('filter policies: Number attributes compare numerically, String ones do not; a String.Array by element; MessageBody scope nested with exists false', async () => {
    const { sim, fn, runs } = setup()
    const topic = sim.createTopic('t')
    topic.subscribe(fn, { filterPolicy: { price: [{ numeric: ['>=', 100] }], interests: ['rugby'] } })
    const attr = (price: MessageAttribute): Record<string, MessageAttribute> => ({ price, interests: { dataType: 'String.Array', stringValue: '["tennis","rugby"]' } })
    topic.publish({ message: 'number', messageAttributes: attr({ dataType: 'Number', stringValue: '1.5e2' }) })
    topic.publish({ message: 'string', messageAttributes: attr({ dataType: 'String', stringValue: '150' }) })
    const body = sim.createTopic('body')
    body.subscribe(fn, { filterPolicyScope: 'MessageBody', filterPolicy: { order: { coupon: [{ exists: false }], total: [{ numeric: ['>', 0] }] } } })
    body.publish({ message: JSON.stringify({ order: { total: 5 } }) })
    body.publish({ message: JSON.stringify({ order: { total: 5, coupon: 'X' } }) })
    body.publish({ message: 'not json' })
    await sim.runUntilIdle()
    expect(runs.map((r) => (r.event as { Records: { Sns: { Message: string } }[] }).Records[0]?.Sns.Message)).toEqual(['number', '{"order":{"total":5}}'])
  })

  it('publish checks SNS limits: 262,144 bytes of message and attributes, an empty message, a subject over 100 characters', () => {
    const { sim } = setup()
    const topic = sim.createTopic('t')
    topic.publish({ message: 'x'.repeat(262_144) })
    expect(thrown(() => topic.publish({ message: 'x'.repeat(262_140), messageAttributes: { a: { dataType: 'String', stringValue: 'v' } } })).message).toBe('Invalid parameter: Message too long')
    expect(thrown(() => topic.publish({ message: '' })).message).toBe('Invalid parameter: Empty message')
    expect(thrown(() => topic.publish({ message: 'x', subject: 's'.repeat(101) })).message).toBe('Invalid parameter: Subject')
  })
})

describe('SNS Publish with MessageStructure json: a message per protocol', () => {
  it('a function gets the "lambda" entry, a queue the "sqs" entry, each the "default" one when its own is missing', async () => {
    const { sim, fn, runs } = setup()
    const topic = sim.createTopic('t')
    const queue = sim.createQueue('q')
    const raw = sim.createQueue('raw')
    topic.subscribe(fn)
    topic.subscribe(queue)
    topic.subscribe(raw, { rawMessageDelivery: true })
    const message = JSON.stringify({ default: 'for everyone', lambda: 'for functions', email: 'for people' })
    topic.publish({ message, messageStructure: 'json' })
    topic.publish({ message: JSON.stringify({ default: 'd', sqs: 'for queues' }), messageStructure: 'json' })
    await sim.runUntilIdle()
    expect(runs.map((r) => (r.event as { Records: { Sns: { Message: string } }[] }).Records[0]?.Sns.Message)).toEqual(['for functions', 'd'])
    expect(queue.messages.map((m) => (JSON.parse(m.body) as { Message: string }).Message)).toEqual(['for everyone', 'for queues'])
    expect(raw.messages.map((m) => m.body)).toEqual(['for everyone', 'for queues'])
    expect(topic.messages[0]?.message).toBe(message)
    expect(topic.messages[0]?.messageStructure).toBe('json')
  })

  it('a MessageBody filter policy looks at the message the subscription would receive', async () => {
    const { sim, fn, runs } = setup()
    const topic = sim.createTopic('t')
    topic.subscribe(fn, { filterPolicyScope: 'MessageBody', filterPolicy: { kind: ['order'] } })
    topic.publish({ message: JSON.stringify({ default: 'plain text', lambda: JSON.stringify({ kind: 'order' }) }), messageStructure: 'json' })
    topic.publish({ message: JSON.stringify({ default: JSON.stringify({ kind: 'order' }), lambda: 'no' }), messageStructure: 'json' })
    await sim.runUntilIdle()
    expect(runs.map((r) => (r.event as { Records: { Sns: { Message: string } }[] }).Records[0]?.Sns.Message)).toEqual(['{"kind":"order"}'])
  })

  it('a message that is not JSON, or has no "default" entry, is SNS\'s InvalidParameter and nothing is published', () => {
    const { sim } = setup()
    const topic = sim.createTopic('t')
    expect(thrown(() => topic.publish({ message: 'not json', messageStructure: 'json' })).message).toBe('Invalid parameter: Message Structure - JSON message body failed to parse')
    expect(thrown(() => topic.publish({ message: '{"lambda":"x"}', messageStructure: 'json' })).message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body')
    expect(thrown(() => topic.publish({ message: '{"default":"x"}', messageStructure: 'xml' as never })).message).toBe('Invalid parameter: MessageStructure')
    expect(topic.messages).toEqual([])
  })
})

describe('EventBridge rules: the envelope and the pattern operators', () => {
  it('a target receives the event envelope with version "0", the documented key order and second-precision time', async () => {
    const { sim, fn, runs } = setup()
    await sim.advanceBy(1234)
    const bus = sim.createEventBus('shop')
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [fn] })
    bus.putEvents([{ source: 'com.shop', detailType: 'Order Placed', detail: { id: 7 }, resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'] }])
    await sim.runUntilIdle()
    const event = runs[0]?.event as Record<string, unknown>
    expect(Object.keys(event)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'])
    expect(event).toMatchObject({ version: '0', 'detail-type': 'Order Placed', source: 'com.shop', account: '123456789012', time: '2026-01-01T00:00:01Z', region: 'us-east-1', resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'], detail: { id: 7 } })
  })

  it.each([
    ['prefix', { detail: { s: [{ prefix: 'ab' }] } }, { s: 'abc' }, true],
    ['suffix', { detail: { s: [{ suffix: '.png' }] } }, { s: 'a.PNG' }, false],
    ['suffix equals-ignore-case', { detail: { s: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, { s: 'a.PNG' }, true],
    ['anything-but list', { detail: { s: [{ 'anything-but': ['a', 'b'] }] } }, { s: 'b' }, false],
    ['anything-but prefix', { detail: { s: [{ 'anything-but': { prefix: 'init' } }] } }, { s: 'initializing' }, false],
    ['anything-but suffix', { detail: { s: [{ 'anything-but': { suffix: '.txt' } }] } }, { s: 'a.png' }, true],
    ['anything-but wildcard list', { detail: { s: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } }, { s: '/usr/bin/x' }, false],
    ['anything-but on a missing field', { detail: { s: [{ 'anything-but': 'x' }] } }, {}, false],
    ['numeric range', { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, { n: 5 }, true],
    ['numeric on a string', { detail: { n: [{ numeric: ['>', 0] }] } }, { n: '5' }, false],
    ['exists false on a nested field whose parent is missing', { detail: { a: { b: [{ exists: false }] } } }, { c: 1 }, true],
    ['exists true on an object (not a leaf)', { detail: { a: [{ exists: true }] } }, { a: { b: 1 } }, false],
    ['equals-ignore-case', { detail: { s: [{ 'equals-ignore-case': 'ALICE' }] } }, { s: 'alice' }, true],
    ['wildcard', { detail: { s: [{ wildcard: 'dir/*.png' }] } }, { s: 'dir/a/b.png' }, true],
    ['array value: any element', { detail: { s: ['b'] } }, { s: ['a', 'b'] }, true],
    ['$or', { detail: { $or: [{ a: ['1'] }, { b: [{ numeric: ['>', 1] }] }] } }, { b: 2 }, true],
    ['null matches null, not a missing field', { detail: { s: [null] } }, {}, false],
  ])('pattern %s', async (_name, eventPattern, detail, expected) => {
    const { sim, fn, runs } = setup()
    const bus = sim.createEventBus('b')
    bus.putRule({ name: 'r', eventPattern, targets: [fn] })
    bus.putEvents([{ source: 'x', detailType: 'y', detail }])
    await sim.runUntilIdle()
    expect(runs.length === 1).toBe(expected)
  })
})

describe('EventBridge rule targets: Input and InputPath (PutTargets)', () => {
  it('input replaces the event with constant JSON ("nothing from the event itself is passed to the target")', async () => {
    const { sim, fn, runs } = setup()
    const bus = sim.createEventBus('shop')
    const rule = bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, input: { job: 'reindex' } }] })
    expect(rule.targets).toEqual([fn.arn])
    expect(rule.targetInputs).toEqual([{ input: { job: 'reindex' } }])
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail: { a: 1 } }])
    await sim.runUntilIdle()
    expect(runs.map((r) => r.event)).toEqual([{ job: 'reindex' }])
  })

  it('inputPath passes the part of the event the JSONPath selects: $.detail, dot and bracket notation', async () => {
    const { sim, fn, runs } = setup()
    const queue = sim.createQueue('q')
    const bus = sim.createEventBus('shop')
    bus.putRule({
      name: 'r',
      eventPattern: { source: ['com.shop'] },
      targets: [{ function: fn, inputPath: '$.detail' }, { function: fn, inputPath: "$['detail-type']" }, { function: fn, inputPath: '$.detail.items[1].sku' }, { queue, inputPath: '$.detail.items' }],
    })
    bus.putEvents([{ source: 'com.shop', detailType: 'Order Placed', detail: { id: 7, items: [{ sku: 'a' }, { sku: 'b' }] } }])
    await sim.runUntilIdle()
    expect(runs.map((r) => r.event)).toEqual([{ id: 7, items: [{ sku: 'a' }, { sku: 'b' }] }, 'Order Placed', 'b'])
    expect(queue.messages.map((m) => m.body)).toEqual(['[{"sku":"a"},{"sku":"b"}]'])
  })

  it('an inputPath with a wildcard selects the array of its matches (Choice: as in InputPathsMap); one matching nothing selects []', async () => {
    const { sim, fn, runs } = setup()
    const queue = sim.createQueue('q')
    const bus = sim.createEventBus('shop')
    bus.putRule({
      name: 'r',
      eventPattern: { source: ['com.shop'] },
      targets: [{ function: fn, inputPath: '$.detail.items[*].sku' }, { function: fn, inputPath: '$.detail.missing[*]' }, { queue, inputPath: '$.detail.items.*' }],
    })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail: { id: 7, items: [{ sku: 'a' }, { sku: 'b' }] } }])
    await sim.runUntilIdle()
    expect(runs.map((r) => r.event)).toEqual([['a', 'b'], []])
    expect(queue.messages.map((m) => m.body)).toEqual(['[{"sku":"a"},{"sku":"b"}]'])
  })

  it('an inputPath that selects nothing: the target gets nothing and a trigger-failed warning names the rule and the path', async () => {
    const { sim, fn, runs } = setup()
    const bus = sim.createEventBus('shop')
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputPath: '$.detail.missing' }, fn] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail: { a: 1 } }])
    await sim.runUntilIdle()
    expect(runs).toHaveLength(1)
    expect(sim.timeline.ofType('warning').filter((w) => w.kind === 'trigger-failed').map((w) => w.message)).toEqual([
      `arn:aws:events:us-east-1:123456789012:rule/shop/r could not send to ${fn.arn}: InputPath $.detail.missing selects nothing in the event`,
    ])
  })

  it('input and inputPath together, or an inputPath that is not a JSONPath over 256 characters, are refused and nothing is stored', () => {
    const { sim, fn } = setup()
    const bus = sim.createEventBus('shop')
    const both = thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [{ function: fn, input: {}, inputPath: '$.detail' }] }))
    expect([both.name, both.message]).toEqual(['ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided for target Target0.'])
    const bad = thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn, { function: fn, inputPath: 'detail' }] }))
    expect([bad.name, bad.message]).toEqual(['ValidationException', 'Invalid InputPath for target Target1: detail is not a JSONPath (e.g. $.detail, $.detail.items[0], $[\'detail-type\'])'])
    const long = thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [{ function: fn, inputPath: `$.${'a'.repeat(255)}` }] }))
    expect(long.message).toBe(`1 validation error detected: Value '$.${'a'.repeat(255)}' at 'targets.1.member.inputPath' failed to satisfy constraint: Member must have length less than or equal to 256`)
    expect(bus.rules).toEqual([])
  })
})

describe('EventBridge Scheduler schedules', () => {
  it('rate(1 minute) is valid, rate(1 minutes) and rate(5 minute) are AWS\'s ValidationException', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toMatchObject({ kind: 'rate', everyMs: 60_000 })
    for (const expression of ['rate(1 minutes)', 'rate(5 minute)']) {
      const error = thrown(() => parseScheduleExpression(expression))
      expect([error.name, error.message]).toEqual(['ValidationException', `Invalid Schedule Expression ${expression}.`])
    }
  })

  it('cron: ? is required in day-of-month or day-of-week; L, W and # follow AWS\'s table', () => {
    expect(thrown(() => parseScheduleExpression('cron(0 12 * * * *)')).message).toBe('Invalid Schedule Expression cron(0 12 * * * *).')
    expect(fires('cron(0 10 ? * 6L *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-30T10:00:00.000Z', '2026-02-27T10:00:00.000Z']) // last Friday
    expect(fires('cron(0 10 L * ? *)', '2026-02-01T00:00:00Z', 1)).toEqual(['2026-02-28T10:00:00.000Z'])
    expect(fires('cron(0 10 3W * ? *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-02T10:00:00.000Z']) // 3 Jan is a Saturday
    expect(fires('cron(0 10 ? * 2#1 *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-05T10:00:00.000Z']) // first Monday
  })

  it('cron in a time zone: the spring-forward gap is skipped, the repeated fall-back hour runs once', () => {
    expect(fires('cron(30 2 * * ? *)', '2026-03-07T12:00:00Z', 2, 'America/New_York')).toEqual(['2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z'])
    expect(fires('cron(30 1 * * ? *)', '2026-10-31T12:00:00Z', 2, 'America/New_York')).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
  })

  it('startDate and endDate bound a rate schedule', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'rate(10 minutes)', target: fn, startDate: '2026-01-01T01:00:00Z', endDate: '2026-01-01T01:25:00Z' })
    await sim.advanceBy(3 * 3_600_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T01:10:00.000Z', '2026-01-01T01:20:00.000Z'])
  })

  it('input context attributes: <aws.scheduler.scheduled-time>, schedule-arn, execution-id and attempt-number are replaced at each fire', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({
      name: 'nightly',
      expression: 'cron(0 2 * * ? *)',
      target: fn,
      input: { at: '<aws.scheduler.scheduled-time>', arn: '<aws.scheduler.schedule-arn>', id: '<aws.scheduler.execution-id>', attempt: '<aws.scheduler.attempt-number>', text: 'run <aws.scheduler.scheduled-time>!' },
    })
    await sim.advanceTo('2026-01-02T03:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-02T02:00:00.000Z'])
    const events = runs.map((r) => r.event as Record<string, string>)
    expect(events[0]).toEqual({
      at: '2026-01-01T02:00:00Z',
      arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly',
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      attempt: '1',
      text: 'run 2026-01-01T02:00:00Z!',
    })
    expect(events[1]?.['at']).toBe('2026-01-02T02:00:00Z')
    expect(events[1]?.['id']).not.toBe(events[0]?.['id'])
  })

  it('input without context attributes is passed as given, and draws nothing from the seeded generator', async () => {
    const a = setup()
    a.sim.createSchedule({ expression: 'rate(1 hour)', target: a.fn, input: { plain: '<aws.other>' } })
    await a.sim.runUntilIdle()
    expect(a.runs[0]?.event).toEqual({ plain: '<aws.other>' })
  })

  it('ActionAfterCompletion DELETE: a one-time schedule is deleted after it fires; NONE (the default) keeps it', async () => {
    const { sim, fn, runs } = setup()
    const once = sim.createSchedule({ name: 'once', expression: 'at(2026-01-01T00:10:00)', target: fn, actionAfterCompletion: 'DELETE' })
    const kept = sim.createSchedule({ name: 'kept', expression: 'at(2026-01-01T00:10:00)', target: fn })
    await sim.advanceBy(3_600_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T00:10:00.000Z', '2026-01-01T00:10:00.000Z'])
    expect(once.state).toBe('DELETED')
    expect(kept.state).toBe('ENABLED')
    expect(kept.nextFireTime).toBeUndefined()
    expect(sim.listSchedules().map((s) => s.name)).toEqual(['kept'])
    // The name is free again, as after DeleteSchedule.
    sim.createSchedule({ name: 'once', expression: 'rate(1 day)', target: fn })
  })

  it('ActionAfterCompletion DELETE on a recurring schedule: deleted after its last fire before endDate', async () => {
    const { sim, fn, runs } = setup()
    const s = sim.createSchedule({ expression: 'rate(1 hour)', target: fn, endDate: '2026-01-01T02:30:00Z', actionAfterCompletion: 'DELETE' })
    await sim.advanceBy(2 * 3_600_000 - 1)
    expect(s.state).toBe('ENABLED')
    await sim.advanceBy(1)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z'])
    expect(s.state).toBe('DELETED')
  })

  it('ActionAfterCompletion outside NONE | DELETE is CreateSchedule\'s ValidationException, and nothing is created', () => {
    const { sim, fn } = setup()
    const error = thrown(() => sim.createSchedule({ expression: 'at(2026-01-01T00:10:00)', target: fn, actionAfterCompletion: 'delete' as never }))
    expect(error).toBeInstanceOf(LambdaError)
    expect([error.name, error.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value 'delete' at 'actionAfterCompletion' failed to satisfy constraint: Member must satisfy enum value set: [NONE, DELETE]",
    ])
    expect(sim.listSchedules()).toEqual([])
  })

  it('flexibleTimeWindow: OFF fires at the scheduled time; FLEXIBLE is accepted and fires at the start of its window', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'cron(0 2 * * ? *)', target: fn, flexibleTimeWindow: { mode: 'OFF' } })
    sim.createSchedule({ expression: 'cron(0 3 * * ? *)', target: fn, flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 15 } })
    await sim.advanceTo('2026-01-01T04:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z'])
  })

  it('flexibleTimeWindow is checked as CreateSchedule checks it, and nothing is created', () => {
    const { sim, fn } = setup()
    const bad = (flexibleTimeWindow: unknown) => thrown(() => sim.createSchedule({ expression: 'rate(1 hour)', target: fn, flexibleTimeWindow: flexibleTimeWindow as never }))
    expect(bad({ mode: 'ON' }).message).toBe("1 validation error detected: Value 'ON' at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must satisfy enum value set: [OFF, FLEXIBLE]")
    expect(bad({}).message).toBe("1 validation error detected: Value null at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must not be null")
    expect(bad({ mode: 'FLEXIBLE', maximumWindowInMinutes: 1441 }).message).toBe(
      "1 validation error detected: Value '1441' at 'flexibleTimeWindow.maximumWindowInMinutes' failed to satisfy constraint: Member must have value less than or equal to 1440",
    )
    expect(bad({ mode: 'FLEXIBLE' }).name).toBe('ValidationException')
    expect(sim.listSchedules()).toEqual([])
  })

  it('a one-time at() schedule fires once at its wall time in its time zone', async () => {
    const { sim, fn, runs } = setup()
    const s = sim.createSchedule({ expression: 'at(2026-01-01T10:00:00)', timezone: 'Asia/Tokyo', target: fn })
    await sim.advanceBy(86_400_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T01:00:00.000Z'])
    expect(s.fires).toBe(1)
  })
})

