import type { APIGatewayProxyEvent, APIGatewayProxyResult, Callback, Context, Handler, SQSBatchResponse, SQSEvent, SQSHandler } from 'aws-lambda'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createSimulator, invoke, type FunctionHandle, type FunctionRef, type InvocationType, type InvokeResponse, type PureInvokeResponse, type SyncInvokeResponse } from '../src/index.js'

/**
 * The handle createFunction returns carries its handler's event and result types, so sim.invoke checks
 * the event and types the payload without a type argument (checked by tsc, which type-checks tests; the
 * runtime checks show the types describe what the simulator answers).
 */

type Order = { id: string; amount: number }

describe('function handle types: sim.invoke(handle, event) is typed by the handler', () => {
  it('createFunction returns FunctionHandle<Event, Result> and sim.invoke types the payload as the result, with no type argument', async () => {
    const sim = createSimulator()
    const orders = sim.createFunction('orders', async (event: Order) => ({ ok: event.amount <= 100, id: event.id }))
    expectTypeOf(orders).toEqualTypeOf<FunctionHandle<Order, { ok: boolean; id: string }>>()
    const res = await sim.invoke(orders, { id: 'o-1', amount: 50 })
    expectTypeOf(res).toEqualTypeOf<SyncInvokeResponse<{ ok: boolean; id: string }>>()
    expectTypeOf(res.payload).toEqualTypeOf<{ ok: boolean; id: string } | undefined>()
    expect(res.payload?.ok).toBe(true)
    expect(res.payload).toEqual({ ok: true, id: 'o-1' })
    // The handle is still just { name, arn } at runtime.
    expect(Object.keys(orders)).toEqual(['name', 'arn'])
  })

  it('an event of the wrong type, a missing required event and an extra member are refused by tsc; each call runs anyway', async () => {
    const sim = createSimulator()
    const orders = sim.createFunction('orders', async (event: Order) => event.amount)
    // @ts-expect-error amount is a number
    await sim.invoke(orders, { id: 'o-1', amount: '50' })
    // @ts-expect-error the handler needs an Order; an omitted event is {}
    await sim.invoke(orders)
    // @ts-expect-error not a member of Order
    await sim.invoke(orders, { id: 'o-1', amount: 5, extra: true })
    // @ts-expect-error the same check with 'Event'
    await sim.invoke(orders, { id: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-finished')).toHaveLength(4)
  })

  it('the event may be left out when {} is an event the handler takes (it is then {}), and any event goes to a handler whose event is unannotated or unknown', async () => {
    const sim = createSimulator()
    const optional = sim.createFunction('optional', async (event: { name?: string }) => event.name ?? 'nobody')
    const untyped = sim.createFunction('untyped', async (event) => event.whatever as unknown)
    const unknownEvent = sim.createFunction('unknown', async (event: unknown) => JSON.stringify(event))
    const none = sim.createFunction('none', async () => 1)
    expectTypeOf(untyped).toEqualTypeOf<FunctionHandle>()
    expectTypeOf(unknownEvent).toEqualTypeOf<FunctionHandle<unknown, string>>()
    expectTypeOf(none).toEqualTypeOf<FunctionHandle<unknown, number>>()
    expect((await sim.invoke(optional)).payload).toBe('nobody')
    expect((await sim.invoke(untyped, 42)).payload).toBeNull()
    expect((await sim.invoke(unknownEvent, [1])).payload).toBe('[1]')
    expect((await sim.invoke(none)).payload).toBe(1)
  })

  it('handlers typed with @types/aws-lambda: Handler<E, R> and SQSHandler give R | null (null when they resolve to nothing); a callback or void handler gives unknown', async () => {
    const sim = createSimulator()
    const api: Handler<APIGatewayProxyEvent, APIGatewayProxyResult> = async (_event, context) => ({ statusCode: 200, body: context.functionName })
    const sqs: SQSHandler = async () => {}
    const callback = (_event: unknown, _context: Context, cb: Callback<string>): void => cb(null, 'called back')
    const nothing = async (_event: SQSEvent): Promise<void> => {}
    const maybe = async (event: { hit?: boolean }): Promise<string | undefined> => (event.hit === true ? 'hit' : undefined)
    const apiFn = sim.createFunction('api', api)
    const sqsFn = sim.createFunction('sqs', sqs)
    const callbackFn = sim.createFunction('callback', callback)
    const nothingFn = sim.createFunction('nothing', nothing)
    const maybeFn = sim.createFunction('maybe', maybe)
    expectTypeOf(apiFn).toEqualTypeOf<FunctionHandle<APIGatewayProxyEvent, APIGatewayProxyResult | null>>()
    expectTypeOf(sqsFn).toEqualTypeOf<FunctionHandle<SQSEvent, SQSBatchResponse | null>>()
    expectTypeOf(callbackFn).toEqualTypeOf<FunctionHandle<unknown, unknown>>()
    expectTypeOf(nothingFn).toEqualTypeOf<FunctionHandle<SQSEvent, unknown>>()
    expectTypeOf(maybeFn).toEqualTypeOf<FunctionHandle<{ hit?: boolean }, string | null>>()
    const sqsEvent: SQSEvent = { Records: [] }
    expect((await sim.invoke(sqsFn, sqsEvent)).payload).toBeNull()
    expect((await sim.invoke(nothingFn, sqsEvent)).payload).toBeNull()
    expect((await sim.invoke(callbackFn, {})).payload).toBe('called back')
    expect((await sim.invoke(maybeFn)).payload).toBeNull()
    expect((await sim.invoke(maybeFn, { hit: true })).payload).toBe('hit')
    // @ts-expect-error an SQS handler takes an SQSEvent
    await sim.invoke(sqsFn, { Records: 'none' })
    // The one-line invoke types its payload the same way.
    const one = await invoke(maybe, {})
    expectTypeOf(one.payload).toEqualTypeOf<string | null | undefined>()
    expect(one.payload).toBeNull()
  })

  it('a plain FunctionHandle, a name or an ARN keep an unknown payload and take any event; sim.invoke<T> still sets the payload type and takes any event', async () => {
    const sim = createSimulator()
    const typed = sim.createFunction('f', async (event: Order) => event.id.length)
    const plain: FunctionHandle = typed
    expectTypeOf((await sim.invoke(plain, 'anything')).payload).toEqualTypeOf<unknown>()
    expectTypeOf((await sim.invoke('f', { id: 'o', amount: 1 })).payload).toEqualTypeOf<unknown>()
    expectTypeOf((await sim.invoke(typed.arn, { id: 'o', amount: 1 })).payload).toEqualTypeOf<unknown>()
    const explicit = await sim.invoke<{ errorType: string }>(typed, {})
    expectTypeOf(explicit.payload).toEqualTypeOf<{ errorType: string } | undefined>()
    expect(explicit.payload?.errorType).toBe('TypeError')
    expectTypeOf((await sim.invoke<string>('f', { id: 'o', amount: 1 })).payload).toEqualTypeOf<string | undefined>()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expectTypeOf((await sim.invoke<any>(typed, 'x')).payload).toBeAny()
    expectTypeOf((await sim.invoke<unknown>(typed, 'x')).payload).toEqualTypeOf<unknown>()
    // Event and DryRun take the same (checked) event and the same options.
    expect((await sim.invoke(typed, { id: 'o', amount: 1 }, 'DryRun', { qualifier: '$LATEST' })).statusCode).toBe(204)
  })

  it('handles of different handlers go in one array and one FunctionRef parameter; invoking an element takes an event every one takes and types the payload as the union', async () => {
    const sim = createSimulator()
    const orders = sim.createFunction('orders', async (event: { id: string }) => event.id.length)
    const payments = sim.createFunction('payments', async (event: { amount: number }) => ({ paid: event.amount }))
    const refs: FunctionRef[] = [orders, payments, 'orders']
    const handles = [orders, payments]
    const named = (ref: FunctionRef): string => (typeof ref === 'string' ? ref : ref.name)
    expect(refs.map(named)).toEqual(['orders', 'payments', 'orders'])
    for (const ref of refs) await sim.invoke(ref, {})
    const payloads: unknown[] = []
    for (const fn of handles) {
      const res = await sim.invoke(fn, { id: 'abc', amount: 7 })
      expectTypeOf(res.payload).toEqualTypeOf<number | { paid: number } | undefined>()
      payloads.push(res.payload)
    }
    expect(payloads).toEqual([3, { paid: 7 }])
    // A handle is still a destination and an event source mapping target.
    sim.putFunctionEventInvokeConfig({ functionName: orders, destinationConfig: { onFailure: { destination: payments } } })
    sim.updateFunctionCode(orders, async (event: { other: boolean }) => event.other)
  })

  it('sim.invoke of a bare handler types the payload from the handler and checks its event too', async () => {
    const sim = createSimulator()
    const res = await sim.invoke(async (event: Order, context) => `${context.functionName}:${event.id}`, { id: 'o-2', amount: 1 })
    expectTypeOf(res.payload).toEqualTypeOf<string | undefined>()
    expect(res.payload).toMatch(/:o-2$/)
    // @ts-expect-error amount is a number
    await sim.invoke(async (event: Order) => event.id, { id: 'o-3', amount: 'one' })
  })

  it('a RequestResponse sim.invoke (type omitted or RequestResponse) resolves with statusCode 200 and executedVersion: string, as the Invoke API always answers X-Amz-Executed-Version; Event, DryRun and a type known only as InvocationType keep InvokeResponse', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('weighted', async (_event: { n: number }, context) => context.functionVersion)
    sim.publishVersion(fn)
    sim.updateFunctionCode(fn, async (_event: { n: number }, context) => context.functionVersion)
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { 2: 0.5 } } })
    const counts: Record<string, number> = {}
    for (let n = 0; n < 20; n++) {
      const r = await sim.invoke(fn, { n }, 'RequestResponse', { qualifier: 'live' })
      expectTypeOf(r).toEqualTypeOf<SyncInvokeResponse<string>>()
      counts[r.executedVersion] = (counts[r.executedVersion] ?? 0) + 1 // strict TS refused an optional index
      expect(r.payload).toBe(r.executedVersion)
    }
    expect(Object.keys(counts).sort()).toEqual(['1', '2'])
    expect((counts['1'] ?? 0) + (counts['2'] ?? 0)).toBe(20)
    const omitted = await sim.invoke(fn, { n: 1 })
    expectTypeOf(omitted.statusCode).toEqualTypeOf<200>()
    expectTypeOf(omitted.executedVersion).toEqualTypeOf<string>()
    expect(omitted).toMatchObject({ statusCode: 200, executedVersion: '$LATEST' })
    // sim.invoke<T>: the same with RequestResponse; the general response (and any event) with Event.
    expectTypeOf(await sim.invoke<number>('weighted', {}, 'RequestResponse')).toEqualTypeOf<SyncInvokeResponse<number>>()
    expectTypeOf(await sim.invoke<number>('weighted', {}, 'Event')).toEqualTypeOf<InvokeResponse<number>>()
    const event = await sim.invoke(fn, { n: 1 }, 'Event')
    expectTypeOf(event).toEqualTypeOf<InvokeResponse<string>>()
    expect(event).toEqual({ statusCode: 202, requestId: event.requestId })
    const dry = await sim.invoke(fn, { n: 1 }, 'DryRun')
    expectTypeOf(dry.executedVersion).toEqualTypeOf<string | undefined>()
    expect(dry).toEqual({ statusCode: 204, requestId: dry.requestId })
    const type = 'RequestResponse' as InvocationType
    expectTypeOf(await sim.invoke(fn, { n: 1 }, type)).toEqualTypeOf<InvokeResponse<string>>()
    // The event check holds with either signature.
    // @ts-expect-error n is a number (RequestResponse)
    await sim.invoke(fn, { n: '1' }, 'RequestResponse')
    // @ts-expect-error n is a number (a type known only as InvocationType)
    await sim.invoke(fn, { n: '1' }, type)
    await sim.runUntilIdle()
  })
})

describe('the one-line invoke(handler, event) is typed as sim.invoke(handler, event) is', () => {
  it('an event of the wrong type, a missing required event and an extra member are refused by tsc, with every invocation type; each call runs anyway', async () => {
    const handler = async (event: Order) => event.amount
    // @ts-expect-error amount is a number
    await invoke(handler, { id: 'o-1', amount: '50' })
    // @ts-expect-error the handler needs an Order; an omitted event is {}
    await invoke(handler)
    // @ts-expect-error not a member of Order
    await invoke(handler, { id: 'o-1', amount: 5, extra: true })
    // @ts-expect-error the same check with 'Event'
    await invoke(handler, { id: 1 }, 'Event')
    // @ts-expect-error the same check with 'DryRun'
    await invoke(handler, { id: 1 }, 'DryRun')
    const ok = await invoke(handler, { id: 'o-1', amount: 5 }, 'RequestResponse', { seed: 1 })
    expectTypeOf(ok.payload).toEqualTypeOf<number | undefined>()
    expect(ok.payload).toBe(5)
    expect((await invoke(handler, { id: 'o-1', amount: 5 }, 'Event')).outcome.condition).toBe('Success')
  })

  it('the event may be left out when {} is an event the handler takes, and any event goes to a handler whose event is unannotated, any or unknown', async () => {
    expect((await invoke(async (event: { name?: string }) => event.name ?? 'nobody')).payload).toBe('nobody')
    expect((await invoke(async () => 1)).payload).toBe(1)
    expect((await invoke(async (event: { name?: string }) => event.name ?? 'nobody', undefined, 'Event')).result).toBe('nobody')
    // @ts-expect-error undefined (sent as {}) is no Order
    await invoke(async (event: Order) => event.id, undefined, 'DryRun')
    expect((await invoke(async (event) => event.whatever as unknown, 42)).payload).toBeNull()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((await invoke(async (event: any) => typeof event, 'text')).payload).toBe('string')
    expect((await invoke(async (event: unknown) => JSON.stringify(event), [1], 'Event')).result).toBe('[1]')
  })

  it('a handler typed with @types/aws-lambda SQSHandler requires an SQSEvent', async () => {
    const sqs: SQSHandler = async (event) => {
      expect(event.Records).toEqual([])
    }
    const sqsEvent: SQSEvent = { Records: [] }
    expect((await invoke(sqs, sqsEvent)).payload).toBeNull()
    // @ts-expect-error an SQS handler takes an SQSEvent
    await invoke(sqs, { Records: 'none' })
    // @ts-expect-error {} is no SQSEvent: the event may not be left out
    await invoke(sqs)
  })

  it('a RequestResponse result has statusCode 200 and executedVersion: string; DryRun keeps the general response', async () => {
    const h = async () => ({ n: 1 })
    const r = await invoke(h)
    expectTypeOf(r).toEqualTypeOf<PureInvokeResponse<{ n: number }> & SyncInvokeResponse<{ n: number }>>()
    expectTypeOf(r.statusCode).toEqualTypeOf<200>()
    expectTypeOf(r.executedVersion).toEqualTypeOf<string>()
    expect(r).toEqual({ statusCode: 200, payload: { n: 1 }, executedVersion: '$LATEST', requestId: r.requestId })
    const dry = await invoke(h, {}, 'DryRun')
    expectTypeOf(dry.executedVersion).toEqualTypeOf<string | undefined>()
    expect(dry).toEqual({ statusCode: 204, requestId: dry.requestId })
  })
})
