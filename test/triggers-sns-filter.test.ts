import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import type { MessageAttribute, SubscribeOptions } from '../src/index.js'
import { lambdaErr } from './helpers/errors.js'

type Publish = { message: string; messageAttributes?: Record<string, MessageAttribute> }

/** The messages (their `Message`) a queue subscribed with `options` receives, of `publishes`. */
async function delivered(options: SubscribeOptions, publishes: Publish[]): Promise<string[]> {
  const sim = createSimulator()
  const q = sim.createQueue('q')
  const topic = sim.createTopic('t')
  topic.subscribe(q, options)
  for (const p of publishes) topic.publish(p)
  await sim.runUntilIdle()
  return q.messages.map((m) => (JSON.parse(m.body) as { Message: string }).Message)
}

const str = (stringValue: string): MessageAttribute => ({ dataType: 'String', stringValue })
const num = (stringValue: string): MessageAttribute => ({ dataType: 'Number', stringValue })
const arr = (values: unknown[]): MessageAttribute => ({ dataType: 'String.Array', stringValue: JSON.stringify(values) })

describe('SNS filter policies: attribute scope (the default)', () => {
  it('String attributes: exact (case-sensitive), prefix, suffix, equals-ignore-case, anything-but; a missing attribute never matches a value', async () => {
    const ps: Publish[] = [
      { message: 'red', messageAttributes: { color: str('red') } },
      { message: 'Red', messageAttributes: { color: str('Red') } },
      { message: 'reddish', messageAttributes: { color: str('reddish') } },
      { message: 'blue', messageAttributes: { color: str('blue') } },
      { message: 'none' },
      { message: 'other-key', messageAttributes: { shade: str('red') } },
    ]
    expect(await delivered({ filterPolicy: { color: ['red'] } }, ps)).toEqual(['red'])
    expect(await delivered({ filterPolicy: { color: [{ prefix: 'red' }] } }, ps)).toEqual(['red', 'reddish'])
    expect(await delivered({ filterPolicy: { color: [{ suffix: 'ue' }, 'Red'] } }, ps)).toEqual(['Red', 'blue'])
    expect(await delivered({ filterPolicy: { color: [{ 'equals-ignore-case': 'RED' }] } }, ps)).toEqual(['red', 'Red'])
    // anything-but needs the attribute; null does not match a missing attribute (AWS-validated, LocalStack test_filter_policy).
    expect(await delivered({ filterPolicy: JSON.stringify({ color: [null, { 'anything-but': ['red', 'blue'] }] }) }, ps)).toEqual(['Red', 'reddish'])
    expect(await delivered({ filterPolicy: { color: [{ 'anything-but': { prefix: 'red' } }] } }, ps)).toEqual(['Red', 'blue'])
    expect(await delivered({ filterPolicy: { color: [{ exists: false }] } }, ps)).toEqual(['none', 'other-key'])
    expect(await delivered({ filterPolicy: { color: [{ exists: true }] } }, ps)).toEqual(['red', 'Red', 'reddish', 'blue'])
  })

  it('keys are ANDed, values ORed; $or joins alternatives', async () => {
    const ps: Publish[] = [
      { message: 'a', messageAttributes: { kind: str('order'), region: str('eu') } },
      { message: 'b', messageAttributes: { kind: str('order'), region: str('us') } },
      { message: 'c', messageAttributes: { kind: str('refund'), region: str('us') } },
      { message: 'd', messageAttributes: { kind: str('order') } },
    ]
    expect(await delivered({ filterPolicy: { kind: ['order'], region: ['eu', 'ap'] } }, ps)).toEqual(['a'])
    expect(await delivered({ filterPolicy: { $or: [{ kind: ['refund'] }, { region: ['eu'] }] } }, ps)).toEqual(['a', 'c'])
  })

  it('String.Array: a JSON array in the attribute matches when any element matches', async () => {
    const ps: Publish[] = [
      { message: 'one', messageAttributes: { store: str('value1') } },
      { message: 'array-hit', messageAttributes: { store: arr(['value1', 'value2']) } },
      { message: 'array-miss', messageAttributes: { store: arr(['value2', 'value3']) } },
      { message: 'array-num', messageAttributes: { store: arr([5, 'x', true, null]) } },
    ]
    // LocalStack's AWS-validated test_exists_filter_policy_attributes_array: one, array-hit delivered; array-miss not.
    expect(await delivered({ filterPolicy: { store: ['value1'] } }, ps)).toEqual(['one', 'array-hit'])
    expect(await delivered({ filterPolicy: { store: [{ numeric: ['>', 1] }] } }, ps)).toEqual(['array-num'])
    expect(await delivered({ filterPolicy: { store: [{ 'anything-but': 'value1' }] } }, ps)).toEqual(['array-hit', 'array-miss', 'array-num'])
  })

  it('Number attributes match numerically (numeric ranges, exact numbers, 3.015e2 = 301.5); Binary attributes are ignored', async () => {
    const ps: Publish[] = [
      { message: '99', messageAttributes: { attr1: num('99') } },
      { message: '111', messageAttributes: { attr1: num('111') } },
      { message: '301.5', messageAttributes: { attr1: num('3.015e2') } },
      { message: 'string-99', messageAttributes: { attr1: str('99') } },
      { message: 'binary', messageAttributes: { attr1: { dataType: 'Binary', binaryValue: new Uint8Array([1]) } } },
    ]
    // LocalStack's AWS-validated test_filter_policy: 99 delivered, 111 not.
    expect(await delivered({ filterPolicy: { attr1: [{ numeric: ['>', 0, '<=', 100] }] } }, ps)).toEqual(['99'])
    expect(await delivered({ filterPolicy: { attr1: [{ numeric: ['=', 301.5] }, 111] } }, ps)).toEqual(['111', '301.5'])
    expect(await delivered({ filterPolicy: { attr1: [{ 'anything-but': [100, 500] }] } }, ps)).toEqual(['99', '111', '301.5', 'string-99'])
    expect(await delivered({ filterPolicy: { attr1: [{ exists: false }] } }, ps)).toEqual(['binary'])
  })

  it('function subscribers are filtered too, each subscription on its own', async () => {
    const sim = createSimulator()
    const seen: string[] = []
    const fn = sim.createFunction('f', async (e: { Records: { Sns: { Message: string } }[] }) => {
      seen.push(e.Records[0]?.Sns.Message ?? '')
      return null
    })
    const all = sim.createQueue('all')
    const topic = sim.createTopic('t')
    topic.subscribe(fn, { filterPolicy: '{"level":["high"]}' })
    topic.subscribe(all)
    topic.publish({ message: 'low', messageAttributes: { level: str('low') } })
    topic.publish({ message: 'high', messageAttributes: { level: str('high') } })
    await sim.runUntilIdle()
    expect(seen).toEqual(['high'])
    expect(all.messages).toHaveLength(2)
    expect(topic.messages).toHaveLength(2)
  })
})

describe('SNS filter policies: payload scope (MessageBody)', () => {
  const body = (o: unknown): Publish => ({ message: JSON.stringify(o) })

  it('nested keys match the JSON body; a body that is not a JSON object is not delivered (LocalStack AWS-validated test_filter_policy_on_message_body)', async () => {
    const policy = { object: { key: [{ prefix: 'auto-' }, 'hardcodedvalue'], nested_key: [{ exists: false }] }, test: [{ exists: false }] }
    const ps: Publish[] = [
      body({ object: { key: 'auto-test' } }),
      body({ object: { key: 'hardcodedvalue' } }),
      body({ object: { key: 'test-auto' } }),
      body({ object: { key: 'auto-test' }, test: 'just-exists' }),
      body({ object: { key: 'auto-test', nested_key: 'just-exists' } }),
      body({ object: { test: 'auto-test' } }),
      body({ test: 'auto-test' }),
      { message: 'Regular string message' },
      body('Regular string message'),
    ]
    expect(await delivered({ filterPolicy: policy, filterPolicyScope: 'MessageBody' }, ps)).toEqual([JSON.stringify({ object: { key: 'auto-test' } }), JSON.stringify({ object: { key: 'hardcodedvalue' } })])
  })

  it('attributes are not looked at; numbers, arrays of objects and dotted keys in the body', async () => {
    const ps: Publish[] = [
      { message: JSON.stringify({ price: 301.5, items: [{ sku: 'a' }, { sku: 'b' }] }), messageAttributes: { price: num('1') } },
      { message: JSON.stringify({ price: 5, items: [{ sku: 'c' }] }) },
      { message: JSON.stringify({ 'object.nested': 'string.value' }) },
    ]
    expect(await delivered({ filterPolicyScope: 'MessageBody', filterPolicy: { price: [{ numeric: ['>', 100] }] } }, ps)).toEqual([ps[0]?.message])
    expect(await delivered({ filterPolicyScope: 'MessageBody', filterPolicy: { items: { sku: ['b', 'c'] } } }, ps)).toEqual([ps[0]?.message, ps[1]?.message])
    expect(await delivered({ filterPolicyScope: 'MessageBody', filterPolicy: { object: { nested: ['string.value'] } } }, ps)).toEqual([ps[2]?.message])
  })
})

describe('SNS filter policies: validation (SNS InvalidParameter texts; nothing subscribed or changed)', () => {
  const sub = (policy: unknown, scope?: 'MessageAttributes' | 'MessageBody') => {
    const sim = createSimulator()
    const topic = sim.createTopic('t')
    const options: SubscribeOptions = { filterPolicy: typeof policy === 'string' ? policy : JSON.stringify(policy) }
    if (scope !== undefined) options.filterPolicyScope = scope
    const err = lambdaErr(() => topic.subscribe(sim.createQueue('q'), options))
    expect(topic.subscriptions).toEqual([])
    return err
  }
  const R = 'Invalid parameter: Attributes Reason: FilterPolicy: '

  it('refuses what AWS refused in LocalStack\'s AWS-validated TestSNSFilterPolicyConditions (recorded 2024-05), with its text', () => {
    const cases: [unknown, string][] = [
      [{ key: [['value']] }, 'Match value must be String, number, true, false, or null'],
      [{ key: [{ 'wrong-operator': true }] }, 'Unrecognized match type wrong-operator'],
      [{ key: [{ suffix: 'value', prefix: 'value2' }] }, 'Only one key allowed in match expression'],
      [{ key: [{ suffix: 100 }] }, 'suffix match pattern must be a string'],
      [{ key: [{ suffix: null }] }, 'suffix match pattern must be a string'],
      [{ key: [{ suffix: [] }] }, 'suffix match pattern must be a string'],
      [{ key: { suffix: 'value' } }, '"suffix" must be an object or an array'],
      [{ key: { 'not-an-operator': 'value' } }, '"not-an-operator" must be an object or an array'],
      [{ key: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
      [{ key: [{ numeric: ['operator'] }] }, 'Unrecognized numeric range operator: operator'],
      [{ key: [{ numeric: [1, '<='] }] }, 'Invalid member in numeric match: 1'],
      [{ key: [{ numeric: ['=', '000'] }] }, 'Value of equals must be numeric'],
      [{ key: [{ numeric: ['>='] }] }, 'Value of >= must be numeric'],
      [{ key: [{ numeric: ['<', 100, '>', 10] }] }, 'Too many elements in numeric expression'],
      [{ key: [{ numeric: ['>=', 1, '>', 2] }] }, 'Bad numeric range operator: >'],
      [{ key: [{ numeric: ['>', 3, '<', 1] }] }, 'Bottom must be less than top'],
      [{ key: [{ numeric: ['>', 20, '<='] }] }, 'Value of <= must be numeric'],
      [{ key: [{ numeric: ['>', 20, 30] }] }, 'Bad value in numeric range: 30'],
      [{ key: [{ numeric: ['>', 20, 'test'] }] }, 'Bad numeric range operator: test'],
      [{ key: [{ numeric: ['>', '20', '<', '30'] }] }, 'Value of > must be numeric'],
      [{ key: [{ numeric: ['>', 20, '<', '30'] }] }, 'Value of < must be numeric'],
      [{ key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] }, 'Too many terms in numeric range expression'],
      [{ key: [{ exists: null }] }, 'exists match pattern must be either true or false.'],
      [{ key: [{ exists: 'no' }] }, 'exists match pattern must be either true or false.'],
      [{ key: [{ 'anything-but': { suffix: 'test' } }] }, 'Unsupported anything-but pattern: suffix'],
      [{ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }, 'Filter policy can not have more than 5 keys'],
      [{ a: Array.from({ length: 151 }, (_, i) => String(i)) }, 'Filter policy is too complex'],
      [{ a: Array.from({ length: 13 }, (_, i) => String(i)), b: Array.from({ length: 12 }, (_, i) => String(i)) }, 'Filter policy is too complex'],
      [{ key: [] }, 'Empty arrays are not allowed'],
      ['{invalidjson}', 'failed to parse JSON.'],
      [{ key: [{ wildcard: 'a*' }] }, 'Unrecognized match type wildcard'],
    ]
    for (const [policy, reason] of cases) expect(sub(policy), JSON.stringify(policy)).toEqual(['InvalidParameter', 400, R + reason])
  })

  it('attribute scope refuses nesting; payload scope counts nested combinations as SNS (3 × 4 × 2 × 3 × 1 × 3 = 216 > 150)', () => {
    expect(sub({ object: { key: [{ prefix: 'auto-' }] } })).toEqual(['InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy'])
    const nested = { key_a: { key_b: { key_c: ['1', '2', '3', '4'] } }, key_d: { key_e: ['1', '2', '3'] }, key_f: ['1', '2', '3'] }
    expect(sub(nested, 'MessageBody')).toEqual(['InvalidParameter', 400, R + 'Filter policy is too complex'])
  })

  it('an invalid scope, and subscribing again with different filter attributes, are refused', () => {
    const sim = createSimulator()
    const topic = sim.createTopic('t')
    const q = sim.createQueue('q')
    expect(lambdaErr(() => topic.subscribe(q, { filterPolicyScope: 'Random' as 'MessageBody' }))).toEqual(['InvalidParameter', 400, 'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Random]. Please use either MessageBody or MessageAttributes'])
    const s = topic.subscribe(q, { filterPolicy: '{"a":["x"]}' })
    expect(s).toMatchObject({ filterPolicy: '{"a":["x"]}', filterPolicyScope: 'MessageAttributes' })
    expect(topic.subscribe(q, { filterPolicy: '{"a":["x"]}' })).toBe(s)
    expect(lambdaErr(() => topic.subscribe(q, { filterPolicy: '{"a":["y"]}' }))).toEqual(['InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes'])
    expect(lambdaErr(() => topic.subscribe(q))).toEqual(['InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes'])
    expect(topic.subscriptions).toEqual([s])
  })
})

describe('SNS filter policies: setSubscriptionAttributes', () => {
  it('sets, replaces and removes (\'\') the policy and changes the scope; invalid values change nothing', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    const topic = sim.createTopic('t')
    const s = topic.subscribe(q)
    const publish = (m: string, color?: string) => topic.publish(color === undefined ? { message: m } : { message: m, messageAttributes: { color: str(color) } })
    topic.setSubscriptionAttributes(s.arn, 'FilterPolicy', '{"color":["red"]}')
    publish('1', 'red')
    publish('2', 'blue')
    expect(lambdaErr(() => topic.setSubscriptionAttributes(s.arn, 'FilterPolicy', '{"color":{"x":["y"]}}'))).toEqual(['InvalidParameter', 400, 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy'])
    expect(lambdaErr(() => topic.setSubscriptionAttributes(s.arn, 'FilterPolicy', '{"color":"red"}'))).toEqual(['InvalidParameter', 400, 'Invalid parameter: FilterPolicy: "color" must be an object or an array'])
    expect(lambdaErr(() => topic.setSubscriptionAttributes(s.arn, 'FilterPolicyScope', 'RandomValue'))).toEqual(['InvalidParameter', 400, 'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes'])
    expect(lambdaErr(() => topic.setSubscriptionAttributes(`${topic.arn}:nope`, 'FilterPolicy', ''))).toEqual(['NotFound', 404, 'Subscription does not exist'])
    expect(s).toEqual({ arn: s.arn, endpoint: q.arn, filterPolicy: '{"color":["red"]}', filterPolicyScope: 'MessageAttributes' })
    publish('3', 'red')
    topic.setSubscriptionAttributes(s.arn, 'FilterPolicyScope', 'MessageBody')
    publish('4', 'red')
    topic.publish({ message: '{"color":"red"}' })
    topic.setSubscriptionAttributes(s.arn, 'FilterPolicy', '')
    publish('6')
    expect(s).toEqual({ arn: s.arn, endpoint: q.arn, filterPolicyScope: 'MessageBody' })
    await sim.runUntilIdle()
    expect(q.messages.map((m) => (JSON.parse(m.body) as { Message: string }).Message)).toEqual(['1', '3', '{"color":"red"}', '6'])
  })
})
