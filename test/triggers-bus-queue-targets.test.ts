import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError, SimulatorError } from '../src/index.js'
import { thrownLambdaError as thrown } from './helpers/errors.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const RULE_ARN = 'arn:aws:events:us-east-1:123456789012:rule/shop/orders'

function world() {
  const sim = createSimulator({ startTime: T0 })
  const received: unknown[] = []
  const fn = sim.createFunction('audit', async (event: unknown) => {
    received.push(event)
    return null
  })
  const bus = sim.createEventBus('shop')
  return { sim, fn, received, bus }
}

const warnings = (sim: ReturnType<typeof createSimulator>) => sim.timeline.ofType('warning').filter((w) => w.kind === 'trigger-failed').map((w) => w.message)

describe('EventBridge rule targets: SQS queues', () => {
  it('a queue target (a Queue or its ARN) receives the matched event as the message body: the envelope JSON exactly as a function target receives it', async () => {
    const { sim, fn, received, bus } = world()
    const q1 = sim.createQueue('orders-a')
    const q2 = sim.createQueue('orders-b')
    const rule = bus.putRule({ name: 'orders', eventPattern: { source: ['shop.orders'] }, targets: [fn, q1, q2.arn] })
    expect(rule.targets).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:audit', q1.arn, q2.arn])
    await sim.advanceBy(3000)
    bus.putEvents([
      { source: 'shop.orders', detailType: 'OrderPlaced', detail: { total: 250 } },
      { source: 'shop.users', detailType: 'SignedUp', detail: {} },
    ])
    await sim.runUntilIdle()
    expect(received).toHaveLength(1)
    expect(q1.messages.map((m) => m.body)).toEqual([JSON.stringify(received[0])])
    expect(q2.messages.map((m) => m.body)).toEqual([bus.entries[0]])
    expect(JSON.parse(q1.messages[0]?.body as string)).toEqual({
      version: '0',
      id: bus.events[0]?.id,
      'detail-type': 'OrderPlaced',
      source: 'shop.orders',
      account: '123456789012',
      time: '2026-01-01T00:00:03Z',
      region: 'us-east-1',
      resources: [],
      detail: { total: 250 },
    })
    expect(q1.messages[0]?.sentTimestamp).toBe(T0 + 3000)
    expect(q1.messages[0]?.messageGroupId).toBeUndefined()
    expect(warnings(sim)).toEqual([])
  })

  it('EventBridge → SQS → Lambda: an event source mapping on the target queue gives the function the envelope as the record body', async () => {
    const { sim, bus } = world()
    const bodies: string[] = []
    sim.createFunction('consumer', async (event: { Records: { body: string }[] }) => {
      for (const r of event.Records) bodies.push(r.body)
    })
    const q = sim.createQueue('work')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    bus.putRule({ name: 'orders', eventPattern: { source: ['shop.orders'] }, targets: [q] })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: { total: 1 } }])
    await sim.advanceBy(60_000)
    expect(bodies).toEqual([bus.entries[0]])
  })

  it('a function → bus → queue → same function loop is one request chain: stopped at the 17th invocation, as the other bus-rule loops (the message carries the handler\'s lineage)', async () => {
    const sim = createSimulator()
    let invocations = 0
    const bus = sim.createEventBus('loop')
    const q = sim.createQueue('loop')
    sim.createFunction('looper', async () => {
      invocations++
      bus.putEvents([{ source: 'app', detailType: 'again', detail: {} }])
    })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'looper', batchSize: 1 })
    bus.putRule({ name: 'back', eventPattern: { source: ['app'] }, targets: [q] })
    bus.putEvents([{ source: 'app', detailType: 'start', detail: {} }])
    await sim.advanceBy(600_000)
    expect(invocations).toBe(16)
    expect(sim.timeline.ofType('esm').filter((e) => e.action === 'recursion-dropped').length).toBeGreaterThan(0)
  })

  it('queue and function targets count together toward the 5 targets per rule (LimitExceededException), and the refused call changes nothing', () => {
    const { sim, fn, bus } = world()
    const q = sim.createQueue('q')
    const error = thrown(() => bus.putRule({ name: 'orders', eventPattern: { source: ['x'] }, targets: [fn, fn, fn, q, q, { queue: q }] }))
    expect(error).toMatchObject({ name: 'LimitExceededException', statusCode: 400, message: 'The requested resource exceeds the maximum number allowed.' })
    expect(bus.putRule({ name: 'orders', eventPattern: { source: ['x'] }, targets: [fn, fn, q, q, { queue: q.arn }] }).targets).toHaveLength(5)
  })

  it('a FIFO queue target without messageGroupId is PutTargets\' ValidationException "Parameter(s) SqsParameters must be specified for target: Target<i>."; nothing is stored', () => {
    const { sim, fn, bus } = world()
    const fifo = sim.createQueue('orders.fifo', { contentBasedDeduplication: true })
    for (const target of [fifo, fifo.arn, { queue: fifo }]) {
      const error = thrown(() => bus.putRule({ name: 'orders', eventPattern: { source: ['x'] }, targets: [fn, target] }))
      expect(error).toMatchObject({ name: 'ValidationException', statusCode: 400, message: 'Parameter(s) SqsParameters must be specified for target: Target1.' })
    }
    expect(bus.rules).toEqual([])
  })

  it('a FIFO queue target with messageGroupId: each event in that group, deduplicated by the queue\'s content-based deduplication (SHA-256 of the body)', async () => {
    const { sim, bus } = world()
    const fifo = sim.createQueue('orders.fifo', { contentBasedDeduplication: true })
    const rule = bus.putRule({ name: 'orders', eventPattern: { source: ['shop.orders'] }, targets: [{ queue: fifo, messageGroupId: 'orders' }] })
    expect(rule.sqsParameters).toEqual([{ messageGroupId: 'orders' }])
    // A second rule matching the same events sends the same body: the queue keeps one copy.
    bus.putRule({ name: 'again', eventPattern: { source: ['shop.orders'] }, targets: [{ queue: fifo.arn, messageGroupId: 'orders' }] })
    bus.putEvents([
      { source: 'shop.orders', detailType: 'OrderPlaced', detail: { n: 1 } },
      { source: 'shop.orders', detailType: 'OrderPlaced', detail: { n: 2 } },
    ])
    await sim.runUntilIdle()
    expect(fifo.messages.map((m) => m.body)).toEqual(bus.entries)
    expect(fifo.messages.map((m) => m.messageGroupId)).toEqual(['orders', 'orders'])
    expect(fifo.messages.map((m) => m.messageDeduplicationId)).toEqual(bus.entries.map((e) => createHash('sha256').update(e).digest('hex')))
    expect(warnings(sim)).toEqual([])
  })

  it('a FIFO queue without content-based deduplication refuses each send (EventBridge passes no deduplication id): a trigger-failed warning, nothing delivered', async () => {
    const { sim, fn, received, bus } = world()
    const fifo = sim.createQueue('plain.fifo')
    bus.putRule({ name: 'orders', eventPattern: { source: ['shop.orders'] }, targets: [{ queue: fifo, messageGroupId: 'g' }, fn] })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: {} }])
    await sim.runUntilIdle()
    expect(fifo.messages).toEqual([])
    expect(received).toHaveLength(1)
    expect(warnings(sim)).toEqual([`${RULE_ARN} could not send to ${fifo.arn}: InvalidParameterValue: The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly`])
  })

  it('an event over the queue\'s maximum message size is not delivered to it: a trigger-failed warning; the rule\'s other targets receive it', async () => {
    const { sim, fn, received, bus } = world()
    const small = sim.createQueue('small', { maximumMessageSize: 1024 })
    const big = sim.createQueue('big')
    bus.putRule({ name: 'orders', eventPattern: { source: ['shop.orders'] }, targets: [small, fn, big] })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: { blob: 'x'.repeat(1000) } }])
    await sim.runUntilIdle()
    expect(small.messages).toEqual([])
    expect(big.messages).toHaveLength(1)
    expect(received).toHaveLength(1)
    const w = sim.timeline.ofType('warning').filter((e) => e.kind === 'trigger-failed')
    expect(w.map((e) => e.message)).toEqual([`${RULE_ARN} could not send to ${small.arn}: InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.`])
    expect(w[0]?.details).toEqual({ source: RULE_ARN, target: small.arn })
  })

  it('a standard queue target keeps a messageGroupId given (SQS fair queues)', async () => {
    const { sim, bus } = world()
    const q = sim.createQueue('q')
    bus.putRule({ name: 'orders', eventPattern: { source: ['shop.orders'] }, targets: [{ queue: q, messageGroupId: 'tenant-1' }] })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: {} }])
    await sim.runUntilIdle()
    expect(q.messages.map((m) => m.messageGroupId)).toEqual(['tenant-1'])
  })

  it('targets that are neither functions nor this simulator\'s queues are SimulatorErrors naming the target; nothing is stored', () => {
    const { sim, fn, bus } = world()
    const other = createSimulator().createQueue('elsewhere')
    const topic = sim.createTopic('t')
    const q = sim.createQueue('q')
    const cases: [unknown, string][] = [
      [topic, 'Invalid targets[1]: rule targets are functions and SQS queues; arn:aws:sns:us-east-1:123456789012:t is not supported as a target'],
      [topic.arn, 'Invalid targets[1]: rule targets are functions and SQS queues; arn:aws:sns:us-east-1:123456789012:t is not supported as a target'],
      ['arn:aws:sqs:us-east-1:123456789012:missing', 'Invalid targets[1]: no queue with ARN arn:aws:sqs:us-east-1:123456789012:missing exists in this simulator (create it with sim.createQueue first)'],
      [other, `Invalid targets[1]: queue ${other.arn} belongs to another simulator`],
      [{ queue: q, messageGroupId: 7 }, 'Invalid targets[1].messageGroupId: expected a string, got 7'],
      [{ queue: q, groupId: 'g' }, 'Unknown option "groupId" for putRule targets[1]'],
      [{ queue: 'q' }, 'Invalid targets[1].queue: expected a queue or an SQS queue ARN, got "q"'],
    ]
    for (const [target, message] of cases) {
      let error: unknown
      try {
        bus.putRule({ name: 'orders', eventPattern: { source: ['x'] }, targets: [fn, target as never] })
      } catch (e) {
        error = e
      }
      expect(error, message).toBeInstanceOf(SimulatorError)
      expect((error as Error).message).toContain(message)
    }
    expect(bus.rules).toEqual([])
    expect(() => bus.putRule({ name: 'orders', eventPattern: { source: ['x'] }, targets: [q] })).not.toThrow(LambdaError)
  })
})

describe('property: queue targets lose nothing and invent nothing', () => {
  it('for random rules (queue and function targets, enabled or disabled) and random events, each queue holds exactly the envelopes of the matching events of its enabled rules, in order, and each function target got the same events (100 runs)', async () => {
    const sources = ['a', 'b', 'c']
    const ruleArb = fc.record({ sources: fc.subarray(sources, { minLength: 1 }), queues: fc.subarray([0, 1, 2], { minLength: 1 }), fn: fc.boolean(), enabled: fc.boolean() })
    await fc.assert(
      fc.asyncProperty(fc.array(ruleArb, { minLength: 1, maxLength: 4 }), fc.array(fc.array(fc.constantFrom(...sources), { minLength: 1, maxLength: 10 }), { maxLength: 5 }), async (rules, batches) => {
        const sim = createSimulator({ startTime: T0, seed: 3 })
        const got: string[] = []
        sim.createFunction('f', async (e: unknown) => {
          got.push(JSON.stringify(e))
        })
        const bus = sim.createEventBus('b')
        const queues = [sim.createQueue('q0'), sim.createQueue('q1'), sim.createQueue('q2.fifo', { contentBasedDeduplication: true })]
        for (const [i, r] of rules.entries()) {
          const targets = r.queues.map((n) => (n === 2 ? { queue: queues[2] as never, messageGroupId: `g${i}` } : (queues[n] as never)))
          bus.putRule({ name: `r${i}`, eventPattern: { source: r.sources }, targets: r.fn ? [...targets, 'f'] : targets, state: r.enabled ? 'ENABLED' : 'DISABLED' })
        }
        for (const batch of batches) bus.putEvents(batch.map((source, n) => ({ source, detailType: 't', detail: { n } })))
        await sim.runUntilIdle()
        const matching = (r: (typeof rules)[number]) => bus.entries.filter((e) => r.enabled && r.sources.includes((JSON.parse(e) as { source: string }).source))
        for (const [n, q] of queues.entries()) {
          const expected: string[] = []
          for (const json of bus.entries) {
            const senders = rules.filter((r) => r.queues.includes(n) && matching(r).includes(json)).length
            // A FIFO queue with content-based deduplication keeps one copy of an event several rules send; a standard queue one per rule.
            for (let k = 0; k < (n === 2 ? Math.min(senders, 1) : senders); k++) expected.push(json)
          }
          expect(q.messages.map((m) => m.body)).toEqual(expected)
        }
        const fnExpected = rules.filter((r) => r.fn).flatMap((r) => matching(r))
        expect([...got].sort()).toEqual([...fnExpected].sort())
        expect(sim.timeline.ofType('warning')).toEqual([])
      }),
      { numRuns: 100, seed: 42 },
    )
  })
})
