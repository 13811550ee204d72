import type { APIGatewayProxyEvent, APIGatewayProxyResult, Callback, Context, Handler, SQSEvent, SQSHandler } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createSimulator, invoke, type AnyHandler, type SimContext } from '../src/index.js'
import { checkIdempotency } from '../src/testing/index.js'

/**
 * The handler type of createFunction, updateFunctionCode, sim.invoke and the one-line invoke gives
 * an unannotated `context` the type SimContext (so `context.init` needs no annotation), and still
 * takes handlers typed with @types/aws-lambda (checked by tsc; the runtime checks are a smoke test).
 */

describe('handler types: context is a SimContext by inference', () => {
  it('createFunction infers context: SimContext for an unannotated handler, so context.init needs no annotation', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async (_event, context) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      return context.init
    }, { init: () => 'ready' })
    sim.createFunction('cb', (_event, context, callback) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      callback(null, context.init)
    }, { init: () => 'cb-ready' })
    expect((await sim.invoke('f', {})).payload).toBe('ready')
    expect((await sim.invoke('cb', {})).payload).toBe('cb-ready')
  })

  it('updateFunctionCode, sim.invoke of a bare handler and the one-line invoke infer context: SimContext too', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    sim.updateFunctionCode(fn, async (_event, context) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      return context.functionName
    })
    expect((await sim.invoke(fn, {})).payload).toBe('f')
    const bare = await sim.invoke(async (_event, context) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      return context.init ?? 'no init'
    }, {})
    expect(bare.payload).toBe('no init')
    const res = await invoke(async (_event, context) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      return context.memoryLimitInMB
    }, {})
    expectTypeOf(res.payload).toEqualTypeOf<string | undefined>()
    expect(res.payload).toBe('128')
  })

  it('handlers typed with @types/aws-lambda are accepted: SQSHandler, Handler<APIGatewayProxyEvent, …>, (event, context: Context) and callback handlers', async () => {
    expectTypeOf<SQSHandler>().toExtend<AnyHandler>()
    expectTypeOf<Handler<APIGatewayProxyEvent, APIGatewayProxyResult>>().toExtend<AnyHandler>()
    expectTypeOf<Handler>().toExtend<AnyHandler>()
    expectTypeOf<(event: SQSEvent, context: Context) => Promise<void>>().toExtend<AnyHandler>()
    expectTypeOf<(event: unknown, context: Context, callback: Callback<string>) => void>().toExtend<AnyHandler>()
    // And the other way: a handler typed AnyHandler is still an aws-lambda Handler (Context and SimContext differ only by the optional init).
    expectTypeOf<AnyHandler>().toExtend<Handler>()
    const sim = createSimulator()
    const sqs: SQSHandler = async (event) => {
      expect(event.Records).toEqual([])
    }
    const api: Handler<APIGatewayProxyEvent, APIGatewayProxyResult> = async (_event, context) => ({ statusCode: 200, body: context.functionName })
    const plain = async (_event: unknown, context: Context): Promise<string> => context.awsRequestId
    const callback = (_event: unknown, _context: Context, cb: Callback<string>): void => cb(null, 'called back')
    sim.createFunction('sqs', sqs)
    sim.createFunction('api', api)
    sim.createFunction('plain', plain)
    sim.createFunction('callback', callback)
    sim.updateFunctionCode('plain', plain)
    expect((await sim.invoke('sqs', { Records: [] })).payload).toBeNull()
    expect((await sim.invoke('api', {})).payload).toEqual({ statusCode: 200, body: 'api' })
    expect((await sim.invoke('callback', {})).payload).toBe('called back')
    // A partial event on purpose: this handler reads no field of it, and the test is about the handler's type.
    expect((await invoke(api, {} as APIGatewayProxyEvent)).payload).toEqual({ statusCode: 200, body: 'api' })
  })

  it('checkIdempotency takes a handler whose unannotated context is a SimContext', async () => {
    const seen: string[] = []
    const result = await checkIdempotency(async (event: { id: string }, context) => {
      expectTypeOf(context).toEqualTypeOf<SimContext>()
      seen.push(event.id)
    }, { events: fc.record({ id: fc.constantFrom('a', 'b') }), reset: () => void (seen.length = 0), state: () => [...new Set(seen)].sort(), numRuns: 2 })
    expect(result).toBeDefined()
  })
})
