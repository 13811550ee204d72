import type { Callback, Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { lambdaRejection } from './helpers/errors.js'

const UUID_V4 = /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/
const START = Date.parse('2026-01-01T00:00:00.000Z')

describe('invocation types (spec §1.2)', () => {
  it('RequestResponse answers 200 with the parsed JSON result and ExecutedVersion $LATEST', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('echo', async (event: { n: number }) => ({ doubled: event.n * 2, list: [1, 'a', null] }))
    const res = await sim.invoke(fn, { n: 21 })
    expect(res.statusCode).toBe(200)
    expect(res.payload).toEqual({ doubled: 42, list: [1, 'a', null] })
    expect(res.executedVersion).toBe('$LATEST')
    expect(res.functionError).toBeUndefined()
    expect(res.logResult).toBeUndefined()
    expect(Object.keys(res).sort()).toEqual(['executedVersion', 'payload', 'requestId', 'statusCode'])
  })

  it('a handler that returns nothing yields the payload null', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('nothing', async () => undefined)
    const res = await sim.invoke(fn, {})
    expect(res.statusCode).toBe(200)
    expect(res.payload).toBeNull()
  })

  it('a string result crosses as a JSON string', async () => {
    const sim = createSimulator()
    const res = await sim.invoke(sim.createFunction('s', async () => 'hello'), {})
    expect(res.payload).toBe('hello')
  })

  it('Event answers 202 with no payload and no executed version, and runs the handler only when time is driven', async () => {
    const sim = createSimulator()
    let ran = 0
    const fn = sim.createFunction('async', async () => {
      ran++
      return 'ignored'
    })
    const res = await sim.invoke(fn, { a: 1 }, 'Event')
    expect(res.statusCode).toBe(202)
    expect(res.payload).toBeUndefined()
    expect(res.executedVersion).toBeUndefined()
    expect(res.functionError).toBeUndefined()
    expect(res.requestId).toMatch(UUID_V4)
    expect(ran).toBe(0)
    await sim.runUntilIdle()
    expect(ran).toBe(1)
  })

  it('DryRun answers 204 and does not run the handler', async () => {
    const sim = createSimulator()
    let ran = 0
    const fn = sim.createFunction('dry', async () => {
      ran++
    })
    const res = await sim.invoke(fn, {}, 'DryRun')
    expect(res.statusCode).toBe(204)
    expect(res.payload).toBeUndefined()
    await sim.runUntilIdle()
    expect(ran).toBe(0)
    expect(sim.timeline.length).toBe(0)
  })

  it('DryRun still validates: an unknown function is ResourceNotFoundException', async () => {
    const sim = createSimulator()
    const e = await lambdaRejection(sim.invoke('missing', {}, 'DryRun'))
    expect(e.name).toBe('ResourceNotFoundException')
  })

  it('an unknown invocation type is a ValidationException naming the enum', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const e = await lambdaRejection(sim.invoke(fn, {}, 'Async' as never))
    expect(e.name).toBe('ValidationException')
    expect(e.message).toBe("1 validation error detected: Value 'Async' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
  })

  it('requestId equals context.awsRequestId and is a lowercase UUID v4', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('id', async (_e: unknown, ctx: { awsRequestId: string }) => ctx.awsRequestId)
    const res = await sim.invoke(fn, {})
    expect(res.requestId).toMatch(UUID_V4)
    expect(res.payload).toBe(res.requestId)
  })

  it('an async event keeps its 202 request id as context.awsRequestId', async () => {
    const sim = createSimulator()
    const seen: string[] = []
    const fn = sim.createFunction('id', async (_e: unknown, ctx: { awsRequestId: string }) => {
      seen.push(ctx.awsRequestId)
    })
    const res = await sim.invoke(fn, {}, 'Event')
    await sim.runUntilIdle()
    expect(seen).toEqual([res.requestId])
  })

  it('the same seed gives the same request ids; another seed gives others', async () => {
    const ids = async (seed: number): Promise<string[]> => {
      const sim = createSimulator({ seed })
      const fn = sim.createFunction('f', async () => null)
      const out: string[] = []
      for (let i = 0; i < 3; i++) out.push((await sim.invoke(fn, {})).requestId)
      out.push((await sim.invoke(fn, {}, 'Event')).requestId)
      return out
    }
    const a = await ids(7)
    expect(await ids(7)).toEqual(a)
    expect(new Set(a).size).toBe(4)
    expect(await ids(8)).not.toEqual(a)
  })

  it('an invoke without an event gives the handler {}', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async (e: unknown) => e)
    expect((await sim.invoke(fn)).payload).toEqual({})
  })

  it('a RequestResponse invoke does not move the clock when the handler does not wait', async () => {
    const sim = createSimulator()
    await sim.invoke(sim.createFunction('f', async () => 1), {})
    expect(sim.now()).toBe(START)
  })
})

describe('function error payloads (spec §3.1)', () => {
  it('a thrown Error gives {errorType, errorMessage, trace} in that key order and functionError Unhandled', async () => {
    const sim = createSimulator()
    const err = new TypeError('bad input')
    err.stack = 'TypeError: bad input\n    at handler (index.js:2:3)'
    const fn = sim.createFunction('throws', async () => {
      throw err
    })
    const res = await sim.invoke(fn, {})
    expect(res.statusCode).toBe(200)
    expect(res.functionError).toBe('Unhandled')
    expect(res.executedVersion).toBe('$LATEST')
    expect(JSON.stringify(res.payload)).toBe('{"errorType":"TypeError","errorMessage":"bad input","trace":["TypeError: bad input","    at handler (index.js:2:3)"]}')
  })

  it('custom enumerable properties of the error are not in the payload', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw Object.assign(new Error('x'), { code: 'E_CUSTOM' })
    })
    const res = await sim.invoke(fn, {})
    expect(Object.keys(res.payload as object)).toEqual(['errorType', 'errorMessage', 'trace'])
  })

  it('a custom Error subclass reports its name', async () => {
    class PaymentDeclined extends Error {
      override name = 'PaymentDeclined'
    }
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw new PaymentDeclined('card 4242')
    })
    const { payload } = await sim.invoke<{ errorType: string; errorMessage: string; trace: string[] }>(fn, {})
    expect(payload?.errorType).toBe('PaymentDeclined')
    expect(payload?.errorMessage).toBe('card 4242')
    expect(payload?.trace[0]).toBe('PaymentDeclined: card 4242')
  })

  it('a thrown string gives errorType "string" and an empty trace', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw 'boom'
    })
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe('{"errorType":"string","errorMessage":"boom","trace":[]}')
  })

  it('a thrown number gives errorType "number"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw 42
    })
    expect((await sim.invoke(fn, {})).payload).toEqual({ errorType: 'number', errorMessage: '42', trace: [] })
  })

  it('an error whose name, message or stack cannot be read gives the "handled" shape', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      const e = new Error('x')
      Object.defineProperty(e, 'stack', {
        get() {
          throw new Error('no stack for you')
        },
      })
      throw e
    })
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe(
      '{"errorType":"handled","errorMessage":"callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack"}',
    )
  })

  it('an object with empty name/message/stack is not an error: errorType "object"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw { name: '', message: '', stack: '' }
    })
    expect((await sim.invoke(fn, {})).payload).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] })
  })

  it('a plain object shaped like an error is reported as one', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw { name: 'Custom', message: 'shaped', stack: 'Custom: shaped' }
    })
    expect((await sim.invoke(fn, {})).payload).toEqual({ errorType: 'Custom', errorMessage: 'shaped', trace: ['Custom: shaped'] })
  })

  it('an object inheriting from Error.prototype without a stack is not an error: errorType "object", errorMessage from toString()', async () => {
    // The pre-ES2015 subclass pattern: instanceof Error, but not a native error and no stack, so the
    // runtime's toRapidResponse reports it by typeof (RIC Errors.js: isNativeError(e) || _isError(e)).
    function LegacyError(this: { name: string; message: string }, message: string): void {
      this.name = 'LegacyError'
      this.message = message
    }
    LegacyError.prototype = Object.create(Error.prototype) as object
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      throw new (LegacyError as unknown as new (m: string) => Error)('card declined')
    })
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe('{"errorType":"object","errorMessage":"LegacyError: card declined","trace":[]}')
  })

  it('a DEL character (0x7F) in an error\'s name, message or stack is sent as %7F', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      const e = new Error('bad\x7Fbyte')
      e.name = 'Del\x7FError'
      e.stack = 'Del\x7FError: bad\x7Fbyte\n    at handler (/var/task/index.js:1:1)'
      throw e
    })
    const res = await sim.invoke(fn, {})
    expect(JSON.stringify(res.payload)).toBe('{"errorType":"Del%7FError","errorMessage":"bad%7Fbyte","trace":["Del%7FError: bad%7Fbyte","    at handler (/var/task/index.js:1:1)"]}')
  })

  it('an Error whose name is not a string gives the "handled" shape', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('throws', async () => {
      const e = new Error('x')
      ;(e as unknown as { name: number }).name = 42
      throw e
    })
    expect(JSON.stringify((await sim.invoke(fn, {})).payload)).toBe(
      '{"errorType":"handled","errorMessage":"callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack"}',
    )
  })

  it('callback(err) reports the error like a throw', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => {
      const e = new RangeError('out of range')
      e.stack = 'RangeError: out of range'
      cb(e)
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toEqual({ errorType: 'RangeError', errorMessage: 'out of range', trace: ['RangeError: out of range'] })
    expect(res.functionError).toBe('Unhandled')
  })

  it('callback("boom") reports errorType "string"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => cb('boom'))
    expect((await sim.invoke(fn, {})).payload).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] })
  })

  it('context.fail() with no argument reports the string "handled"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('fail', (_e: unknown, ctx: Context) => {
      ;(ctx.fail as () => void)()
    })
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe('{"errorType":"string","errorMessage":"handled","trace":[]}')
  })

  it('context.succeed(value) answers with the value', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('ok', (_e: unknown, ctx: Context) => {
      ctx.succeed({ ok: true })
    })
    expect((await sim.invoke(fn, {})).payload).toEqual({ ok: true })
  })

  it('a result with a BigInt gives "Unable to stringify response body" (errorType Error)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('big', async () => ({ n: 10n }))
    const res = await sim.invoke<{ errorType: string; errorMessage: string; trace: string[] }>(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(res.payload?.errorType).toBe('Error')
    expect(res.payload?.errorMessage).toBe('Unable to stringify response body')
    expect(Object.keys(res.payload as object)).toEqual(['errorType', 'errorMessage', 'trace'])
  })

  it('a circular result gives "Unable to stringify response body"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('circ', async () => {
      const o: Record<string, unknown> = {}
      o['self'] = o
      return o
    })
    const res = await sim.invoke<{ errorMessage: string }>(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(res.payload?.errorMessage).toBe('Unable to stringify response body')
  })

  it('a response of exactly 6,291,556 bytes passes', async () => {
    const sim = createSimulator()
    const text = 'a'.repeat(6_291_556 - 2) // the JSON string literal adds two quotes
    const fn = sim.createFunction('big', async () => text)
    const res = await sim.invoke<string>(fn, {})
    expect(res.functionError).toBeUndefined()
    expect(res.payload?.length).toBe(6_291_554)
  })

  it('a response one byte over 6,291,556 gives Function.ResponseSizeTooLarge with AWS exact payload', async () => {
    const sim = createSimulator()
    const text = 'a'.repeat(6_291_556 - 1)
    const fn = sim.createFunction('big', async () => text)
    const res = await sim.invoke(fn, {})
    expect(res.statusCode).toBe(200)
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe('{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}')
  })

  it('the response limit counts UTF-8 bytes, not characters', async () => {
    const sim = createSimulator()
    const text = 'é'.repeat(3_145_778) // 2 bytes each: 6,291,556 + 2 quotes
    const fn = sim.createFunction('big', async () => text)
    const res = await sim.invoke<{ errorType: string }>(fn, {})
    expect(res.payload?.errorType).toBe('Function.ResponseSizeTooLarge')
  })
})

describe('payload limits (spec §2)', () => {
  it('a sync request of exactly 6,291,456 bytes is accepted', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async (e: string) => e.length)
    const res = await sim.invoke(fn, 'x'.repeat(6_291_456 - 2))
    expect(res.payload).toBe(6_291_454)
  })

  it('a sync request over 6,291,456 bytes is RequestEntityTooLargeException 413 with AWS text', async () => {
    const sim = createSimulator()
    let ran = 0
    const fn = sim.createFunction('f', async () => {
      ran++
    })
    const e = await lambdaRejection(sim.invoke(fn, 'x'.repeat(6_291_456 - 1)))
    expect(e.name).toBe('RequestEntityTooLargeException')
    expect(e.statusCode).toBe(413)
    expect(e.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation')
    expect(ran).toBe(0)
  })

  it('DryRun applies the sync request limit', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const e = await lambdaRejection(sim.invoke(fn, 'x'.repeat(6_291_456), 'DryRun'))
    expect(e.name).toBe('RequestEntityTooLargeException')
  })

  it('an async request over 1,048,576 bytes is RequestEntityTooLargeException with the byte count', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const ok = await sim.invoke(fn, 'x'.repeat(1_048_576 - 2), 'Event')
    expect(ok.statusCode).toBe(202)
    const e = await lambdaRejection(sim.invoke(fn, 'x'.repeat(1_048_576 - 1), 'Event'))
    expect(e.name).toBe('RequestEntityTooLargeException')
    expect(e.statusCode).toBe(413)
    expect(e.message).toBe('1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)')
  })

  it('asyncPayloadLimitBytes: 262144 restores the pre-2025 async limit', async () => {
    const sim = createSimulator({ asyncPayloadLimitBytes: 262_144 })
    const fn = sim.createFunction('f', async () => 1)
    expect((await sim.invoke(fn, 'x'.repeat(262_142), 'Event')).statusCode).toBe(202)
    const e = await lambdaRejection(sim.invoke(fn, 'x'.repeat(262_143), 'Event'))
    expect(e.message).toBe('262145 byte payload is too large for the Event invocation type (limit 262144 bytes)')
  })

  it('an event with a BigInt is InvalidRequestContentException 400', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const e = await lambdaRejection(sim.invoke(fn, { n: 1n }))
    expect(e.name).toBe('InvalidRequestContentException')
    expect(e.statusCode).toBe(400)
    expect(e.message.startsWith('Could not parse request body into json: ')).toBe(true)
  })

  it('a circular event is InvalidRequestContentException, for Event too', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const o: Record<string, unknown> = {}
    o['o'] = o
    const e = await lambdaRejection(sim.invoke(fn, o, 'Event'))
    expect(e.name).toBe('InvalidRequestContentException')
    expect(e.message.startsWith('Could not parse request body into json: ')).toBe(true)
  })

  it('a function as the event is InvalidRequestContentException', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const e = await lambdaRejection(sim.invoke(fn, () => 1))
    expect(e.name).toBe('InvalidRequestContentException')
  })
})

describe('payloads cross the boundary as JSON', () => {
  it('the handler gets its own copy of the event: its mutations do not reach the caller', async () => {
    const sim = createSimulator()
    const event = { items: [1, 2], when: new Date(0) }
    const fn = sim.createFunction('mutate', async (e: { items: number[]; when: unknown }) => {
      e.items.push(3)
      return typeof e.when
    })
    const res = await sim.invoke(fn, event)
    expect(event.items).toEqual([1, 2])
    expect(res.payload).toBe('string')
  })

  it('the caller gets a copy of the result: later mutations by the handler do not reach it', async () => {
    const sim = createSimulator()
    const state = { count: 1 }
    const fn = sim.createFunction('state', async () => state)
    const res = await sim.invoke<{ count: number }>(fn, {})
    state.count = 99
    expect(res.payload).toEqual({ count: 1 })
    expect(res.payload).not.toBe(state)
  })
})

describe('error traces (spec §3.1)', () => {
  it("the trace ends at the handler's own frames: lambda-sim's frames below it are cut, however the simulator was called", async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('deep', async () => {
      const inner = (): never => {
        throw new Error('deep')
      }
      inner()
    })
    const direct = await sim.invoke(fn, {})
    const trace = (direct.payload as { trace: string[] }).trace
    expect(trace[0]).toBe('Error: deep')
    expect(trace.length).toBeGreaterThanOrEqual(3)
    expect(trace.filter((line) => /src[\\/]attempt|src[\\/]simulator|src[\\/]scheduler/.test(line))).toEqual([])
    // The same handler invoked through another path gives the same trace line count.
    const viaBare = await sim.invoke('deep', {})
    expect((viaBare.payload as { trace: string[] }).trace.length).toBe(trace.length)
  })
})
