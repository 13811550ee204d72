// Examples of docs/testing.md, docs/triggers.md and docs/sdk.md, as a user copies them, with their
// comments turned into assertions. (README: readme-examples.test.ts; the order service of
// docs/sdk.md: sdk-docs-example.test.ts; the tumbling window: esm-tumbling.test.ts; the schedule:
// triggers-schedules.test.ts; the timeline picture: testing-delivery.test.ts.)
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InvokeCommand } from '@aws-sdk/client-lambda'
import { describe, expect, expectTypeOf, test } from 'vitest'
import { IdempotencyConfig, IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { BasePersistenceLayer, type IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence'
import type { Context } from 'aws-lambda'
import fc from 'fast-check'
import { checkIdempotency } from '../src/testing/index.js'
import { createSimulator, type SimContext } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'

/** The docs/testing.md handler: a 5 s `setTimeout` then `Date.now()`, under virtual globals. */
async function fiveSecondTimer(options?: { timeout: number }) {
  const sim = createSimulator()
  const restore = sim.useVirtualGlobals()
  try {
    sim.createFunction('f', async () => {
      await new Promise((r) => setTimeout(r, 5_000))
      return Date.now()
    }, options)
    return { sim, res: await sim.invoke('f', {}) }
  } finally {
    restore()
  }
}

// The Powertools example of docs/testing.md, as written there.
class MemoryPersistenceLayer extends BasePersistenceLayer {
  readonly items = new Map<string, IdempotencyRecord>()
  protected async _getRecord(key: string): Promise<IdempotencyRecord> {
    const record = this.items.get(key)
    if (record === undefined) throw new IdempotencyItemNotFoundError('Item does not exist in persistence store')
    return record
  }
  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.items.get(record.idempotencyKey)
    const now = Date.now()
    const expired = existing?.expiryTimestamp !== undefined && existing.expiryTimestamp < now / 1000
    const inProgressExpired = existing?.getStatus() === IdempotencyRecordStatus.INPROGRESS && existing.inProgressExpiryTimestamp !== undefined && existing.inProgressExpiryTimestamp < now
    if (existing !== undefined && !expired && !inProgressExpired) throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`, existing)
    this.items.set(record.idempotencyKey, record)
  }
  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.items.set(record.idempotencyKey, record)
  }
  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.items.delete(record.idempotencyKey)
  }
}

type Store = { layer: MemoryPersistenceLayer; charges: string[] }
const charge = (store: Store) =>
  makeIdempotent(async (event: { orderId: string }, _context: Context) => {
    store.charges.push(event.orderId)   // the side effect
    return { charged: true }
  }, { persistenceStore: store.layer, config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }) })

describe('docs/testing.md', () => {
  test('the Powertools idempotency example passes checkIdempotency (makeIdempotent over the in-memory persistence layer, virtualGlobals)', async () => {
    const result = await checkIdempotency(charge, {
      numRuns: 50,
      events: fc.record({ orderId: fc.constantFrom('o-1', 'o-2') }),
      setup: (): Store => ({ layer: new MemoryPersistenceLayer(), charges: [] }),
      state: (store) => [...store.charges].sort(),
      virtualGlobals: true,
    })
    expect(result.numRuns).toBe(50)
  })

  test('virtual time inside handler code: a 5 s setTimeout parks the attempt and Date.now() is start + 5000 (with a timeout above 5 s)', async () => {
    const { sim, res } = await fiveSecondTimer({ timeout: 10 })
    expect(res.payload).toBe(sim.timeline.startTime + 5_000)
  })

  test('virtual time inside handler code: with the default 3 s timeout the same handler times out (the note beside the example)', async () => {
    const { res } = await fiveSecondTimer()
    expect(res.functionError).toBe('Unhandled')
    expect(res.payload).toMatchObject({ errorType: 'Sandbox.Timedout' })
  })

  test('drops: 500 events against whenQueueDepthExceeds 100, 400 end Dropped', async () => {
    const sim = createSimulator({ drops: { whenQueueDepthExceeds: 100 } })
    const fn = sim.createFunction('f', async () => {
      await sim.sleep(1_000)
    })
    for (let i = 0; i < 500; i++) await sim.invoke(fn, { i }, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('terminal').filter((t) => t.condition === 'Dropped').length).toBe(400)
  })
})

describe('docs/testing.md: Warnings', () => {
  test('the table lists every warning kind src/ emits, and no other', () => {
    const src = resolve(import.meta.dirname, '../src')
    const code = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(src, f), 'utf8')).join('\n')
    const emitted = new Set([...code.matchAll(/notice\('([a-z-]+)'/g)].map((m) => m[1]))
    const doc = readFileSync(resolve(import.meta.dirname, '../docs/testing.md'), 'utf8')
    const section = doc.slice(doc.indexOf('## Warnings'), doc.indexOf('## Timeline pictures'))
    const listed = new Set([...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]).filter((k) => k !== 'kind'))
    expect(emitted.size).toBe(10)
    expect([...listed].sort()).toEqual([...emitted].sort())
  })
})

describe('docs/triggers.md', () => {
  test('queue targets: a standard queue and a FIFO queue with a message group receive the envelope; a mapping on the queue gives it to the consumer', async () => {
    const sim = createSimulator()
    const bodies: string[] = []
    sim.createFunction('consumer', async (event: { Records: { body: string }[] }) => {
      for (const r of event.Records) bodies.push(r.body)
    })
    const bus = sim.createEventBus('shop')
    const work = sim.createQueue('work')
    const ordered = sim.createQueue('orders.fifo', { contentBasedDeduplication: true })
    bus.putRule({ name: 'to-queues', eventPattern: { source: ['shop.orders'] }, targets: [work, { queue: ordered, messageGroupId: 'orders' }] })
    sim.createEventSourceMapping({ eventSourceArn: work.arn, functionName: 'consumer' })
    bus.putEvents([{ source: 'shop.orders', detailType: 'OrderPlaced', detail: { id: 1 } }])
    await sim.advanceBy(60_000)
    expect(bodies).toEqual(bus.entries)
    expect(ordered.messages.map((m) => [m.body, m.messageGroupId])).toEqual([[bus.entries[0], 'orders']])
    const fifoWithoutGroup = sim.createQueue('plain.fifo', { contentBasedDeduplication: true })
    expect(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['consumer', fifoWithoutGroup] })).toThrow('Parameter(s) SqsParameters must be specified for target: Target1.')
  })

  test('module state in init: context.init (an unannotated context is a SimContext) is the same object while warm; after a timeout init runs again', async () => {
    const sim = createSimulator()
    type Db = { query: (e: { ms: number }) => Promise<string> }
    const connect = (): Db => ({
      query: async (e) => {
        await sim.sleep(e.ms)
        return 'ok'
      },
    })
    let connections = 0
    sim.createFunction('api', async (event: { ms: number }, context) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      const db = context.init as Db
      return db.query(event)
    }, { init: async () => { connections++; return connect() }, timeout: 3 })
    expect((await sim.invoke('api', { ms: 10 })).payload).toBe('ok')
    expect((await sim.invoke('api', { ms: 10 })).payload).toBe('ok')
    expect(connections).toBe(1)
    expect((await sim.invoke('api', { ms: 5_000 })).payload).toMatchObject({ errorType: 'Sandbox.Timedout' })
    expect((await sim.invoke('api', { ms: 10 })).payload).toBe('ok')
    expect(connections).toBe(2)
  })

  test('object notifications: a string body; the record key is URL-encoded; a delete does not reach an ObjectCreated configuration', async () => {
    const sim = createSimulator()
    const keys: string[] = []
    const thumbnail = sim.createFunction('thumbnail', async (e: { Records: { eventName: string; s3: { object: { key: string } } }[] }) => {
      for (const r of e.Records) keys.push(`${r.eventName} ${r.s3.object.key}`)
    })
    const bucket = sim.createBucket('uploads')
    bucket.addNotification({ events: ['s3:ObjectCreated:*'], filter: { prefix: 'images/', suffix: '.jpg' }, function: thumbnail })
    bucket.putObject('images/my photo.jpg', 'jpeg…')
    bucket.deleteObject('images/my photo.jpg')
    await sim.runUntilIdle()
    expect(keys).toEqual(['ObjectCreated:Put images/my+photo.jpg'])
  })

  test('raw message delivery: the queue\'s body is the message and its attributes the SNS attributes; RawMessageDelivery false brings the JSON notification back', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('orders')
    const orders = sim.createQueue('orders')
    const sub = topic.subscribe(orders, { rawMessageDelivery: true })
    topic.publish({ message: '{"id":7}', messageAttributes: { kind: { dataType: 'String', stringValue: 'order' } } })
    await sim.runUntilIdle()
    expect(orders.messages[0]?.body).toBe('{"id":7}')
    expect(orders.messages[0]?.messageAttributes).toEqual({ kind: { dataType: 'String', stringValue: 'order' } })
    topic.setSubscriptionAttributes(sub.arn, 'RawMessageDelivery', 'false')
    topic.publish({ message: '{"id":8}' })
    await sim.runUntilIdle()
    expect((JSON.parse(orders.messages[1]?.body as string) as { Type: string; Message: string })).toMatchObject({ Type: 'Notification', Message: '{"id":8}' })
  })
})

describe('docs/sdk.md', () => {
  test('fan-out through the SDK from a handler: workers sleeping 1, 2 and 3 s in parallel, fanout finishes at +3 s', async () => {
    const sim = createSimulator()
    const lambda = lambdaClient(sim)
    sim.createFunction('worker', async (event: { n: number }) => {
      await sim.sleep(event.n * 1_000)
      return event.n
    }, { timeout: 10 })
    sim.createFunction('fanout', async () => {
      const results = await Promise.all([1, 2, 3].map((n) =>
        lambda.send(new InvokeCommand({ FunctionName: 'worker', Payload: JSON.stringify({ n }) }))))
      return results.map((r) => JSON.parse(new TextDecoder().decode(r.Payload)) as unknown)
    }, { timeout: 10 })
    const res = await sim.invoke('fanout', {})
    expect(res.payload).toEqual([1, 2, 3])
    expect(sim.now() - sim.timeline.startTime).toBe(3_000)
  })

  test('fan-out with the default 3 s timeouts: the 3 s worker and fanout both time out at +3 s (the note under the example)', async () => {
    const sim = createSimulator()
    const lambda = lambdaClient(sim)
    sim.createFunction('worker', async (event: { n: number }) => {
      await sim.sleep(event.n * 1_000)
      return event.n
    })
    sim.createFunction('fanout', async () => {
      const results = await Promise.all([1, 2, 3].map((n) =>
        lambda.send(new InvokeCommand({ FunctionName: 'worker', Payload: JSON.stringify({ n }) }))))
      return results.map((r) => r.FunctionError ?? 'ok')
    })
    const res = await sim.invoke('fanout', {})
    expect(res.payload).toMatchObject({ errorType: 'Sandbox.Timedout' })
    // sim.invoke resolves when fanout ends; the worker's own timeout, due at the same instant, is run here.
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-finished').filter((e) => e.functionName === 'worker').map((e) => e.outcome)).toEqual(['success', 'success', 'timeout'])
    expect(sim.now() - sim.timeline.startTime).toBe(3_000)
  })
})
