import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator, type SimEvent } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'

const escaped = collectEscapes()

/**
 * Observer code a test registers (sim.on listeners, queue.onChange, bus.onEvent, stream.onRecord) never
 * leaves an operation half-done: the operation completes, every observer sees every event, and the first
 * error is rethrown once, to the test code that called the operation or (for observers called inside the
 * clock's loop) by the call that drives the clock. Each failure is also a `warning` of kind `observer-failed`.
 */
describe('a throwing observer never leaves an operation half-done', () => {
  afterAll(() => {
    expect(escaped).toEqual([])
  })

  it("a sim.on('message') listener that throws during putRecords leaves all records appended and the error reaches the caller once", () => {
    const sim = createSimulator()
    const stream = sim.createStream('clicks', { shards: 1 })
    const seen: string[] = []
    sim.on('message', (e) => {
      seen.push(e.messageId)
      if (seen.length === 1) throw new Error('listener boom')
    })
    expect(() => stream.putRecords({ records: [{ partitionKey: 'a', data: '1' }, { partitionKey: 'b', data: '2' }, { partitionKey: 'c', data: '3' }] })).toThrow('listener boom')
    expect(stream.shards[0]?.records.length).toBe(3)
    expect(seen.length).toBe(3)
    expect(sim.timeline.ofType('message').length).toBe(3)
    const warnings = sim.timeline.ofType('warning').filter((w) => w.kind === 'observer-failed')
    expect(warnings.map((w) => w.message)).toEqual([`sim.on('message') listener threw Error: listener boom; the operation went on without it and the error is rethrown to the test`])
    // Reported once: the next operation does not throw it again.
    expect(() => stream.putRecord({ partitionKey: 'd', data: '4' })).not.toThrow()
    expect(stream.shards[0]?.records.length).toBe(4)
  })

  it('sim.on refuses a listener that is not a function (it was registered, and every later event threw a TypeError from the emitter)', () => {
    const sim = createSimulator()
    expect(() => sim.on('message', 5 as never)).toThrow(expect.objectContaining({ name: 'SimulatorError', message: 'Invalid sim.on listener for "message": expected a function, got 5' }))
    const q = sim.createQueue('jobs')
    expect(() => q.sendMessage({ body: 'x' })).not.toThrow()
    expect(sim.timeline.ofType('warning')).toEqual([])
  })

  it('stream.onRecord refuses a listener that is not a function, as queue.onChange and bus.onEvent do', () => {
    const sim = createSimulator()
    const stream = sim.createStream('clicks')
    const table = sim.createTableStream('orders')
    expect(() => stream.onRecord('x' as never)).toThrow(expect.objectContaining({ name: 'SimulatorError', message: 'Invalid onRecord listener for stream clicks: expected a function, got "x"' }))
    expect(() => table.onRecord(null as never)).toThrow(expect.objectContaining({ name: 'SimulatorError', message: 'Invalid onRecord listener for table orders: expected a function, got null' }))
    expect(() => stream.putRecord({ partitionKey: 'k', data: 'd' })).not.toThrow()
    expect(() => table.putItem({ id: 'a' })).not.toThrow()
    expect(sim.timeline.ofType('warning')).toEqual([])
  })

  it('a throwing listener does not keep the other listeners, or the invocation listener, from the event', () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs')
    const second: string[] = []
    const all: string[] = []
    sim.on('message', () => {
      throw new Error('first listener')
    })
    sim.on('message', (e) => second.push(e.messageId))
    sim.on('invocation', (e) => all.push(e.type))
    expect(() => q.sendMessage({ body: 'x' })).toThrow('first listener')
    expect(q.size).toBe(1)
    expect(second.length).toBe(1)
    expect(all).toEqual(['message', 'warning'])
  })

  it('a queue.onChange listener that throws during sendMessageBatch: every entry is stored, the error reaches the caller once', () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs')
    let calls = 0
    q.onChange(() => {
      calls++
      throw new TypeError(`change ${calls}`)
    })
    expect(() => q.sendMessageBatch([{ id: 'a', body: '1' }, { id: 'b', body: '2' }])).toThrow('change 1')
    expect(q.size).toBe(2)
    expect(calls).toBe(2)
    expect(sim.timeline.ofType('warning').filter((w) => w.kind === 'observer-failed').map((w) => w.message)).toEqual([
      'queue.onChange listener of jobs threw TypeError: change 1; the operation went on without it and the error is rethrown to the test',
      'queue.onChange listener of jobs threw TypeError: change 2; the operation went on without it and the error is rethrown to the test',
    ])
  })

  it('a bus.onEvent listener that throws during putEvents: every entry is put and routed by the rules', async () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('shop')
    const got: unknown[] = []
    const fn = sim.createFunction('audit', async (e: { detail: unknown }) => {
      got.push(e.detail)
    })
    bus.putRule({ name: 'all', eventPattern: { source: ['shop'] }, targets: [fn] })
    bus.onEvent(() => {
      throw new Error('onEvent boom')
    })
    expect(() => bus.putEvents([{ source: 'shop', detailType: 'x', detail: { n: 1 } }, { source: 'shop', detailType: 'x', detail: { n: 2 } }])).toThrow('onEvent boom')
    expect(bus.entries.length).toBe(2)
    await sim.runUntilIdle()
    expect(got).toEqual([{ n: 1 }, { n: 2 }])
  })

  it("topic.publish and bucket.deleteObject: a throwing 'accepted' listener; every subscriber and notification is accepted, the call throws once", async () => {
    const sim = createSimulator()
    const a = sim.createFunction('a', async () => null)
    const b = sim.createFunction('b', async () => null)
    const topic = sim.createTopic('orders')
    topic.subscribe(a)
    topic.subscribe(b)
    const bucket = sim.createBucket('uploads')
    bucket.addNotification({ events: ['s3:ObjectRemoved:*'], function: a })
    const off = sim.on('accepted', (e) => {
      throw new Error(`accepted ${e.functionName}`)
    })
    expect(() => topic.publish({ message: 'm' })).toThrow('accepted a')
    expect(() => bucket.deleteObject('k')).toThrow('accepted a')
    off()
    expect(sim.timeline.ofType('accepted').map((e) => e.functionName)).toEqual(['a', 'b', 'a'])
    expect(topic.messages.length).toBe(1)
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(['Success', 'Success', 'Success'])
  })

  it('a stream.onRecord listener that throws: the record is appended and the DynamoDB item written', () => {
    const sim = createSimulator()
    const table = sim.createTableStream('orders', { keySchema: ['pk'] })
    table.onRecord(() => {
      throw new Error('onRecord boom')
    })
    expect(() => table.putItem({ pk: 'a', v: 1 })).toThrow('onRecord boom')
    expect(table.items.size).toBe(1)
    expect(table.shards[0]?.records.length).toBe(1)
  })

  it("a sim.on('accepted') listener that throws during an Event invoke: the event is accepted, runs and ends once; invoke throws the error", async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 'ok')
    const off = sim.on('accepted', () => {
      throw new Error('accepted boom')
    })
    await expect(sim.invoke(fn, {}, 'Event')).rejects.toThrow('accepted boom')
    off()
    await sim.runUntilIdle()
    const terminals = sim.timeline.ofType('terminal')
    expect(terminals.map((t) => t.condition)).toEqual(['Success'])
    expect(sim.timeline.ofType('accepted').length).toBe(1)
  })

  it("a sim.on('terminal') listener that throws inside the clock's loop: every event still ends once, and the call driving the clock rejects with the first error once", async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => {
      await sim.sleep(1000)
      throw new Error('handler fails')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    let n = 0
    sim.on('terminal', () => {
      n++
      throw new Error(`terminal listener ${n}`)
    })
    for (let i = 0; i < 3; i++) await sim.invoke(fn, { i }, 'Event')
    await expect(sim.runUntilIdle()).rejects.toThrow('terminal listener 1')
    expect(n).toBe(3)
    expect(sim.timeline.ofType('terminal').map((t) => t.condition)).toEqual(['RetriesExhausted', 'RetriesExhausted', 'RetriesExhausted'])
    expect(sim.timeline.ofType('attempt-started').length).toBe(6)
    expect(sim.timeline.ofType('warning').filter((w) => w.kind === 'observer-failed').length).toBe(3)
    // Given once: the next call that drives the clock resolves.
    await expect(sim.advanceBy(1000)).resolves.toBeUndefined()
    sim.assertIdle()
  })

  it('a listener that throws inside the loop fails a RequestResponse invoke only after its answer is complete', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 'ok')
    sim.on('attempt-finished', () => {
      throw new Error('finished boom')
    })
    await expect(sim.invoke(fn, {})).rejects.toThrow('finished boom')
    expect(sim.timeline.ofType('attempt-finished').map((e) => e.outcome)).toEqual(['success'])
    sim.assertIdle()
  })

  it('a listener that throws on an event a handler causes (a send from handler code) is not the handler\'s error: the handler succeeds, the test gets it', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('out')
    const fn = sim.createFunction('f', async () => {
      q.sendMessage({ body: 'from handler' })
      return 'sent'
    })
    sim.on('message', () => {
      throw new Error('message boom')
    })
    await expect(sim.invoke(fn, {})).rejects.toThrow('message boom')
    expect(q.size).toBe(1)
    expect(sim.timeline.ofType('attempt-finished').map((e) => e.outcome)).toEqual(['success'])
  })

  it("a sim.on('message') listener that throws on a bucket's on-failure record: the record is stored and delivered (not a delivery failure); the driving call gets the error", async () => {
    const sim = createSimulator()
    const bucket = sim.createBucket('failures')
    const fn = sim.createFunction('f', async () => {
      throw new Error('fails')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: bucket.arn } } })
    sim.on('message', () => {
      throw new Error('record listener')
    })
    await sim.invoke(fn, {}, 'Event')
    await expect(sim.runUntilIdle()).rejects.toThrow('record listener')
    expect(bucket.objects.size).toBe(1)
    expect(sim.timeline.ofType('delivered').map((d) => d.kind)).toEqual(['on-failure'])
    expect(sim.timeline.ofType('delivery-failed')).toEqual([])
    expect(sim.metrics.destinationDeliveryFailures).toBe(0)
  })

  it("a listener that throws on a stream mapping's on-failure record in a bucket: the object is stored, no delivery failure; the driving call gets the error", async () => {
    const sim = createSimulator()
    const s = sim.createStream('clicks')
    const bucket = sim.createBucket('failures-bucket')
    sim.createFunction('consumer', async () => {
      throw new Error('always')
    })
    sim.createEventSourceMapping({ eventSourceArn: s.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: bucket.arn } } })
    s.putRecord({ partitionKey: 'k', data: 'x' })
    sim.on('message', (e) => {
      if (e.sink === bucket.arn) throw new Error('bucket listener')
    })
    await expect(sim.runUntilIdle()).rejects.toThrow('bucket listener')
    expect(bucket.objects.size).toBe(1)
    expect(sim.timeline.ofType('delivery-failed')).toEqual([])
    expect(sim.timeline.ofType('esm').filter((e) => e.action === 'on-failure').length).toBe(1)
  })

  it("queue.receive's accept hook is a predicate, not an observer: its error propagates from receive; what that call already took stays in flight until its visibility timeout", async () => {
    const sim = createSimulator()
    const q = sim.createQueue('jobs', { visibilityTimeout: 30 })
    for (const body of ['1', '2', '3']) q.sendMessage({ body })
    expect(() =>
      q.receive({
        maxNumberOfMessages: 3,
        accept: (m) => {
          if (m.body === '2') throw new Error('accept boom')
          return true
        },
      }),
    ).toThrow('accept boom')
    expect([q.inFlightCount, q.visibleCount]).toEqual([1, 2])
    await sim.advanceBy(30_000)
    expect([q.inFlightCount, q.visibleCount]).toEqual([0, 3])
    expect(q.receive({ maxNumberOfMessages: 3 }).map((m) => m.body)).toEqual(['1', '2', '3'])
  })

  it('property: random operations with observers that throw at random leave no half-applied operation, one terminal per accepted event, nothing escaping', async () => {
    type Op = { op: 'send' | 'put' | 'events' | 'invoke' | 'advance'; n: number }
    const opArb: fc.Arbitrary<Op> = fc.record({ op: fc.constantFrom('send', 'put', 'events', 'invoke', 'advance'), n: fc.integer({ min: 1, max: 3 }) })
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 12 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), async (ops, throws) => {
        const sim = createSimulator({ seed: 7 })
        let k = 0
        const maybeThrow = (): void => {
          if (throws[k++ % throws.length] === true) throw new Error(`observer ${k}`)
        }
        const fn = sim.createFunction('f', async (e: { fail?: boolean }) => {
          await sim.sleep(10)
          if (e.fail === true) throw new Error('fails')
        })
        sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
        const q = sim.createQueue('q')
        const stream = sim.createStream('s', { shards: 2 })
        const bus = sim.createEventBus('b')
        bus.putRule({ name: 'r', eventPattern: { source: ['t'] }, targets: [fn] })
        sim.on('invocation', (e: SimEvent) => {
          if (e.type !== 'warning') maybeThrow()
        })
        q.onChange(maybeThrow)
        stream.onRecord(maybeThrow)
        bus.onEvent(maybeThrow)
        let sent = 0
        let records = 0
        let busEntries = 0
        const attempt = async (f: () => unknown): Promise<void> => {
          try {
            await f()
          } catch (error) {
            expect((error as Error).message).toMatch(/^observer \d+$/)
          }
        }
        for (const { op, n } of ops) {
          if (op === 'send') {
            sent += n
            await attempt(() => q.sendMessageBatch(Array.from({ length: n }, (_, i) => ({ id: `m${i}`, body: 'x' }))))
          } else if (op === 'put') {
            records += n
            await attempt(() => stream.putRecords({ records: Array.from({ length: n }, (_, i) => ({ partitionKey: `k${i}`, data: 'd' })) }))
          } else if (op === 'events') {
            busEntries += n
            await attempt(() => bus.putEvents(Array.from({ length: n }, (_, i) => ({ source: 't', detailType: 'x', detail: { fail: i === 0 } }))))
          } else if (op === 'invoke') {
            for (let i = 0; i < n; i++) await attempt(() => sim.invoke(fn, { fail: i % 2 === 0 }, 'Event'))
          } else {
            await attempt(() => sim.advanceBy(n * 30_000))
          }
          expect(q.size).toBe(sent)
          expect(stream.shards.reduce((s, sh) => s + sh.records.length, 0)).toBe(records)
          expect(bus.entries.length).toBe(busEntries)
        }
        await attempt(() => sim.runUntilIdle())
        await attempt(() => sim.runUntilIdle())
        sim.assertIdle()
        const accepted = sim.timeline.ofType('accepted').map((e) => e.requestId)
        const terminals = sim.timeline.ofType('terminal').map((e) => e.requestId)
        expect(terminals.sort()).toEqual([...accepted].sort())
        expect(new Set(accepted).size).toBe(accepted.length)
      }),
      { numRuns: 60, seed: 11 },
    )
  })
})
