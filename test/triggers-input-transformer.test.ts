/**
 * EventBridge rule targets with PutTargets' `InputTransformer` (InputPathsMap + InputTemplate), as the
 * EventBridge user guide ("Amazon EventBridge input transformation"), the API reference (InputTransformer)
 * and LocalStack's AWS-validated snapshots (test_events_inputs) describe them.
 */
import { describe, expect, it } from 'vitest'
import { createSimulator, SimulatorError } from '../src/index.js'
import { thrownLambdaError as thrown } from './helpers/errors.js'

function setup() {
  const sim = createSimulator({ startTime: '2026-01-01T00:00:00Z' })
  const events: unknown[] = []
  const fn = sim.createFunction('job', async (event: unknown) => {
    events.push(event)
    return null
  })
  const queue = sim.createQueue('q')
  const bus = sim.createEventBus('shop')
  return { sim, fn, events, queue, bus }
}

const RULE_ARN = 'arn:aws:events:us-east-1:123456789012:rule/shop/r'
const detail = { id: 7, status: 'PAID', items: [{ sku: 'a' }, { sku: 'b' }], customer: { name: 'Ann' } }

describe('InputTransformer: the template filled from InputPathsMap', () => {
  it('a JSON template (the CDK fromObject pattern): a placeholder outside quotes becomes the value\'s JSON, inside a string its text; the result is minified', async () => {
    const { sim, fn, events, queue, bus } = setup()
    const inputTransformer = {
      inputPathsMap: { 'detail-id': '$.detail.id', status: '$.detail.status', items: '$.detail.items', customer: '$.detail.customer', sku: '$.detail.items[1].sku' },
      inputTemplate: '{ "id": <detail-id>, "status": <status>, "message": "order <detail-id> is <status>", "items": <items>, "customer": <customer>, "second": "<sku>", "rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>" }',
    }
    const rule = bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer }, { queue, inputTransformer }] })
    expect(rule.targetInputs).toEqual([{ inputTransformer }, { inputTransformer }])
    bus.putEvents([{ source: 'com.shop', detailType: 'Order Placed', detail }])
    await sim.runUntilIdle()
    const expected = { id: 7, status: 'PAID', message: 'order 7 is PAID', items: detail.items, customer: { name: 'Ann' }, second: 'b', rule: 'r', arn: RULE_ARN }
    expect(events).toEqual([expected])
    expect(queue.messages.map((m) => m.body)).toEqual([JSON.stringify(expected)])
  })

  it('a quoted string template (the CDK fromText pattern): a function gets the string; a queue body keeps the quotes (AWS-validated)', async () => {
    const { sim, fn, events, queue, bus } = setup()
    const inputTransformer = { inputPathsMap: { id: '$.detail.id', status: '$.detail.status' }, inputTemplate: '"Order <id> is <status>"' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer }, { queue, inputTransformer }] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail }])
    await sim.runUntilIdle()
    expect(events).toEqual(['Order 7 is PAID'])
    expect(queue.messages.map((m) => m.body)).toEqual(['"Order 7 is PAID"'])
  })

  it('a template that is not JSON is sent as text: a queue gets it as the body, a function as a JSON string; quoted lines are joined with newlines', async () => {
    const { sim, fn, events, queue, bus } = setup()
    const plain = { inputPathsMap: { id: '$.detail.id', status: '$.detail.status' }, inputTemplate: 'Order <id> is "<status>"\nThanks' }
    const lines = { inputPathsMap: { id: '$.detail.id' }, inputTemplate: '"Order <id> placed"\n""\n"By <aws.events.rule-name>"' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer: plain }, { queue, inputTransformer: plain }, { function: fn, inputTransformer: lines }, { queue, inputTransformer: lines }] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail }])
    await sim.runUntilIdle()
    expect(events).toEqual(['Order 7 is "PAID"\nThanks', 'Order 7 placed\n\nBy r'])
    expect(queue.messages.map((m) => m.body)).toEqual(['Order 7 is "PAID"\nThanks', 'Order 7 placed\n\nBy r'])
  })

  it('a path that selects nothing is an empty string: "" outside quotes, nothing inside a string (AWS-validated)', async () => {
    const { sim, fn, events, bus } = setup()
    const inputTransformer = { inputPathsMap: { command: '$.detail.notinmessage', status: '$.detail.status', nothing: '$.detail.status.x' }, inputTemplate: '{"command": <command>, "text": "[<command>] <status><nothing>", "n": <nothing>}' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer }] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail }])
    await sim.runUntilIdle()
    expect(events).toEqual([{ command: '', text: '[] PAID', n: '' }])
  })

  it('the predefined variables: the rule, the ingestion time, the event without detail (detailType) and the whole event', async () => {
    const { sim, queue, bus } = setup()
    await sim.advanceBy(90_000)
    const inputTransformer = { inputTemplate: '{"at": "<aws.events.event.ingestion-time>", "e": <aws.events.event>, "j": <aws.events.event.json>}' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ queue, inputTransformer }] })
    const { eventIds } = bus.putEvents([{ source: 'com.shop', detailType: 'Order Placed', detail: { id: 7 } }])
    await sim.runUntilIdle()
    const id = eventIds[0] as string
    const time = '2026-01-01T00:01:30Z'
    expect(queue.messages.map((m) => m.body)).toEqual([
      `{"at":"${time}","e":{"id":"${id}","account":"123456789012","detailType":"Order Placed","time":"${time}","source":"com.shop","region":"us-east-1","resources":[],"version":"0"},` +
        `"j":{"version":"0","id":"${id}","detail-type":"Order Placed","source":"com.shop","account":"123456789012","time":"${time}","region":"us-east-1","resources":[],"detail":{"id":7}}}`,
    ])
  })

  it('values are not escaped inside a string: an output that is not valid JSON sends nothing to that target, with a trigger-failed warning', async () => {
    const { sim, fn, events, bus } = setup()
    const inputTransformer = { inputPathsMap: { status: '$.detail.status' }, inputTemplate: '{"s": "<status>"}' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer }, fn] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail: { status: 'say "hi"' } }])
    await sim.runUntilIdle()
    expect(events).toHaveLength(1)
    expect(sim.timeline.ofType('warning').filter((w) => w.kind === 'trigger-failed').map((w) => w.message)).toEqual([
      `${RULE_ARN} could not send to ${fn.arn}: the InputTemplate's output is not valid JSON: {"s": "say "hi""}`,
    ])
  })
})

describe('InputTransformer: JSONPath wildcards in InputPathsMap (the user guide: "wildcards (*)")', () => {
  const put = (bus: ReturnType<typeof setup>['bus'], target: unknown) => thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [target as never] }))

  it('a wildcard path selects the array of its matches, in order: placed as JSON outside quotes and as JSON text in a text template', async () => {
    const { sim, fn, events, queue, bus } = setup()
    const inputTransformer = {
      inputPathsMap: { skus: '$.detail.items[*].sku', skus2: '$.detail.items.*.sku', items: '$.detail.items[*]', customer: '$.detail.customer.*', none: '$.detail.missing[*]', scalar: '$.detail.status[*]', literal: "$.detail['*']" },
      inputTemplate: '{"skus": <skus>, "skus2": <skus2>, "items": <items>, "customer": <customer>, "none": <none>, "scalar": <scalar>, "literal": <literal>}',
    }
    const text = { inputPathsMap: { skus: '$.detail.items[*].sku' }, inputTemplate: 'SKUs <skus> of order' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer }, { queue, inputTransformer }, { queue, inputTransformer: text }] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail: { ...detail, '*': 'star' } }])
    await sim.runUntilIdle()
    const expected = { skus: ['a', 'b'], skus2: ['a', 'b'], items: [{ sku: 'a' }, { sku: 'b' }], customer: ['Ann'], none: [], scalar: [], literal: 'star' }
    expect(events).toEqual([expected])
    expect(queue.messages.map((m) => m.body)).toEqual(['{"skus":["a","b"],"skus2":["a","b"],"items":[{"sku":"a"},{"sku":"b"}],"customer":["Ann"],"none":[],"scalar":[],"literal":"star"}', 'SKUs ["a","b"] of order'])
  })

  it('a wildcard at the top and two wildcards in one path: every match, depth first in document order', async () => {
    const { sim, fn, events, bus } = setup()
    const inputTransformer = { inputPathsMap: { all: '$.detail.*', grid: '$.detail.rows[*][*]' }, inputTemplate: '{"all": <all>, "grid": <grid>}' }
    bus.putRule({ name: 'r', eventPattern: { source: ['com.shop'] }, targets: [{ function: fn, inputTransformer }] })
    bus.putEvents([{ source: 'com.shop', detailType: 'x', detail: { a: 1, rows: [[1, 2], [3]] } }])
    await sim.runUntilIdle()
    expect(events).toEqual([{ all: [1, [[1, 2], [3]]], grid: [1, 2, 3] }])
  })

  it('a * that is not a whole step is not a JSONPath: ValidationException naming the key and the path', () => {
    const { fn, bus } = setup()
    const partial = put(bus, { function: fn, inputTransformer: { inputPathsMap: { skus: '$.detail.items[*' }, inputTemplate: '<skus>' } })
    expect([partial.name, partial.message]).toEqual(['ValidationException', 'Invalid InputPathsMap for target Target0: skus maps to $.detail.items[*, which is not a JSONPath (e.g. $.detail.status, $.detail.items[0])'])
    const inName = put(bus, { function: fn, inputTransformer: { inputPathsMap: { skus: '$.detail.it*ms' }, inputTemplate: '<skus>' } })
    expect([inName.name, inName.message]).toEqual(['ValidationException', 'Invalid InputPathsMap for target Target0: skus maps to $.detail.it*ms, which is not a JSONPath (e.g. $.detail.status, $.detail.items[0])'])
    expect(bus.rules).toEqual([])
  })
})

describe('InputTransformer: PutTargets validation (nothing is stored)', () => {
  const put = (bus: ReturnType<typeof setup>['bus'], target: unknown) => thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [target as never] }))

  it('a placeholder that is neither a key of inputPathsMap nor predefined: AWS\'s text', () => {
    const { fn, bus } = setup()
    const e = put(bus, { function: fn, inputTransformer: { inputPathsMap: { id: '$.detail.id' }, inputTemplate: '"Event <id> with <notdefinedkey>"' } })
    expect([e.name, e.message]).toEqual(['ValidationException', 'InputTemplate for target Target0 contains invalid placeholder notdefinedkey.'])
    expect(bus.rules).toEqual([])
  })

  it('inputTransformer with input or inputPath: only one of them', () => {
    const { fn, queue, bus } = setup()
    const e = put(bus, { queue, inputPath: '$.detail', inputTransformer: { inputTemplate: '"x"' } })
    expect([e.name, e.message]).toEqual(['ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided for target Target0.'])
    const f = put(bus, { function: fn, input: 1, inputTransformer: { inputTemplate: '"x"' } })
    expect(f.message).toBe('Only one of Input, InputPath, or InputTransformer must be provided for target Target0.')
  })

  it('the schema: inputTemplate required, 1–8,192 characters; at most 100 keys of [A-Za-z0-9_-], 1–256 characters (no aws. prefix); paths at most 256', () => {
    const { fn, bus } = setup()
    const missing = put(bus, { function: fn, inputTransformer: { inputPathsMap: {} } })
    expect(missing.message).toBe(`1 validation error detected: Value null at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null`)
    const long = put(bus, { function: fn, inputTransformer: { inputTemplate: `"${'a'.repeat(8191)}"` } })
    expect(long.message).toBe(`1 validation error detected: Value '"${'a'.repeat(8191)}"' at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must have length less than or equal to 8192`)
    const empty = put(bus, { function: fn, inputTransformer: { inputTemplate: '' } })
    expect(empty.message).toBe(`1 validation error detected: Value '' at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must have length greater than or equal to 1`)
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, k) => [`k${k}`, '$.detail']))
    const tooMany = put(bus, { function: fn, inputTransformer: { inputPathsMap: many, inputTemplate: '"x"' } })
    expect(tooMany.message).toBe(`1 validation error detected: Value with 101 entries at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Member must have length less than or equal to 100`)
    const keys = put(bus, { function: fn, inputTransformer: { inputPathsMap: { 'aws.events.rule-name': '$.detail', ok: `$.${'a'.repeat(255)}` }, inputTemplate: '"x"' } })
    expect(keys.message).toBe(
      `2 validation errors detected: Value 'aws.events.rule-name' at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]; ` +
        `Value '$.${'a'.repeat(255)}' at 'targets.1.member.inputTransformer.inputPathsMap' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256]`,
    )
    expect(bus.rules).toEqual([])
  })

  it('lambda-sim Choices: a path that is not a JSONPath, a JSON template that is not JSON, and values of the wrong type', () => {
    const { fn, bus } = setup()
    const path = put(bus, { function: fn, inputTransformer: { inputPathsMap: { status: 'detail.status' }, inputTemplate: '"<status>"' } })
    expect([path.name, path.message]).toEqual(['ValidationException', 'Invalid InputPathsMap for target Target0: status maps to detail.status, which is not a JSONPath (e.g. $.detail.status, $.detail.items[0])'])
    const json = put(bus, { function: fn, inputTransformer: { inputPathsMap: { s: '$.detail' }, inputTemplate: '{"a": <s>,}' } })
    expect([json.name, json.message]).toEqual(['ValidationException', 'Invalid InputTemplate for target Target0: a template that starts with { or [ must be JSON once its placeholders are filled: {"a": <s>,}'])
    const key = put(bus, { function: fn, inputTransformer: { inputPathsMap: { k: '$.detail.status' }, inputTemplate: '{"a": 1, <k> : 2}' } })
    expect([key.name, key.message]).toEqual(['ValidationException', 'Invalid InputTemplate for target Target0: placeholder <k> is used as an object key (a placeholder cannot be an object key)'])
    const simErr = (target: unknown): SimulatorError => {
      try {
        bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [target as never] })
      } catch (error) {
        if (error instanceof SimulatorError) return error
        throw error
      }
      throw new Error('expected a SimulatorError')
    }
    const type = simErr({ function: fn, inputTransformer: '{"a":1}' })
    expect([type.code, type.message]).toEqual(['InvalidOption', 'Invalid targets[0].inputTransformer: expected { inputPathsMap?, inputTemplate }, got "{\\"a\\":1}"'])
    const value = simErr({ function: fn, inputTransformer: { inputPathsMap: { a: 1 }, inputTemplate: '"x"' } })
    expect(value.message).toBe('Invalid targets[0].inputTransformer.inputPathsMap.a: expected a JSONPath string such as "$.detail.id", got 1')
    const template = simErr({ function: fn, inputTransformer: { inputTemplate: { a: 1 } } })
    expect(template.message).toBe('Invalid targets[0].inputTransformer.inputTemplate: expected a string, got {"a":1}')
    const unknown = simErr({ function: fn, inputTransformer: { inputTemplate: '"x"', inputPaths: {} } })
    expect(unknown.message).toBe('Unknown option "inputPaths" for putRule targets[0].inputTransformer; allowed: inputPathsMap, inputTemplate')
    expect(bus.rules).toEqual([])
  })
})

describe('docs/triggers.md: the CDK fromObject and fromText example', () => {
  it('notify gets the object, the queue the quoted string', async () => {
    const sim = createSimulator({ startTime: '2026-01-01T00:00:00Z' })
    const got: unknown[] = []
    const notify = sim.createFunction('notify', async (event: unknown) => {
      got.push(event)
      return null
    })
    const work = sim.createQueue('work')
    const bus = sim.createEventBus('default')
    bus.putRule({ name: 'order-placed', eventPattern: { source: ['shop.orders'] }, targets: [
      { function: notify, inputTransformer: {
        inputPathsMap: { 'detail-id': '$.detail.id', 'detail-status': '$.detail.status' },
        inputTemplate: '{"id":<detail-id>,"status":<detail-status>,"rule":<aws.events.rule-name>}',
      } },
      { queue: work, inputTransformer: {
        inputPathsMap: { 'detail-id': '$.detail.id', 'detail-status': '$.detail.status' },
        inputTemplate: '"Order <detail-id> is <detail-status>"',
      } },
    ] })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: { id: 7, status: 'PAID' } }])
    await sim.runUntilIdle()
    expect(got).toEqual([{ id: 7, status: 'PAID', rule: 'order-placed' }])
    expect(work.messages.map((m) => m.body)).toEqual(['"Order 7 is PAID"'])
  })
})
