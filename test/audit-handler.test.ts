// An audit of how faithfully lambda-sim runs Node.js handlers, written the way a Node.js Lambda
// developer adopting it would test it: handler forms, error payloads, the context object, timeouts,
// logs, and failures that escape the handler (uncaught exceptions, unhandled rejections). Each test
// names the rule it checks (spec §3, §4; the Node.js runtime interface client, RIC, as it runs in the
// nodejs20.x / nodejs22.x runtimes).
import type { Callback, Context } from 'aws-lambda'
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulator, invoke } from '../src/index.js'

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8')
type ErrorBody = { errorType: string; errorMessage: string; trace?: string[] }

let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

describe('handler forms (spec §4.1, RIC Runtime.js / CallbackContext.js)', () => {
  it('async handler: the resolved value is the payload, no X-Amz-Function-Error', async () => {
    const r = await invoke(async (e: { n: number }) => ({ doubled: e.n * 2 }), { n: 21 })
    expect(r.statusCode).toBe(200)
    expect(r.payload).toEqual({ doubled: 42 })
    expect(r.functionError).toBeUndefined()
  })

  it('callback(null, v) answers v; callback(err) answers the error payload', async () => {
    const ok = await invoke((_e: unknown, _c: Context, cb: Callback) => cb(null, { ok: true }), {})
    expect(ok.payload).toEqual({ ok: true })
    const bad = await invoke((_e: unknown, _c: Context, cb: Callback) => cb(new RangeError('bad range')), {})
    expect(bad.functionError).toBe('Unhandled')
    expect((bad.payload as ErrorBody).errorType).toBe('RangeError')
    expect((bad.payload as ErrorBody).errorMessage).toBe('bad range')
  })

  it('callback called twice: only the first call counts, the second is ignored silently', async () => {
    const sim = createSimulator()
    sim.createFunction('twice', (_e: unknown, _c: Context, cb: Callback) => {
      cb(null, 'first')
      cb(new Error('second'))
      cb(null, 'third')
    })
    const r = await sim.invoke('twice', {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.payload).toBe('first')
    expect(r.functionError).toBeUndefined()
    // The RIC wraps callback/succeed/fail/done in one "only the first call" flag: no log line for the others.
    expect(decode(r.logResult)).not.toContain('ERROR')
  })

  it('an async handler that declares a callback and returns a promise: the first completion wins', async () => {
    const viaCallback = await invoke(async (_e: unknown, _c: Context, cb: Callback) => {
      cb(null, 'from callback')
      return 'from promise'
    }, {})
    // The callback waits for the (empty) event loop, the promise settles a microtask later; the RIC answers
    // on the promise's succeed only if the callback has not been called: the callback was first.
    expect(viaCallback.payload).toBe('from callback')
    const viaPromise = await invoke(async (_e: unknown, _c: Context, cb: Callback) => {
      setTimeout(() => cb(null, 'late callback'), 0)
      return 'from promise'
    }, {})
    expect(viaPromise.payload).toBe('from promise')
  })

  it('a non-async handler returning a value answers null (the runtime ignores it), with a warning', async () => {
    // Strict TypeScript refuses this handler (AnyHandler returns void or a promise): a plain-JS mistake.
    const forgotAsync = ((_e: unknown) => ({ ignored: true })) as unknown as (e: unknown) => void
    const r = await invoke(forgotAsync, {})
    expect(r.payload).toBeNull()
    expect(r.functionError).toBeUndefined()
    expect(r.warnings?.map((w) => w.kind)).toEqual(['ignored-return-value'])
  })

  it('returning undefined from an async handler answers null', async () => {
    const r = await invoke(async () => undefined, {})
    expect(r.payload).toBeNull()
    expect(r.functionError).toBeUndefined()
  })

  it('a result JSON.stringify cannot serialise is the "Unable to stringify response body" function error', async () => {
    const r = await invoke(async () => ({ id: 1n }), {})
    expect(r.functionError).toBe('Unhandled')
    expect(r.payload).toEqual({ errorType: 'Error', errorMessage: 'Unable to stringify response body', trace: ['Error: Unable to stringify response body'] })
  })

  it('a result of the stringify failure is logged as an Invoke Error, as the RIC\'s .catch(context.fail) does', async () => {
    const sim = createSimulator()
    sim.createFunction('big', async () => ({ id: 1n }))
    const r = await sim.invoke('big', {}, 'RequestResponse', { logType: 'Tail' })
    const lines = decode(r.logResult).split('\n')
    expect(lines[1]).toBe(`2026-01-01T00:00:00.000Z\t${r.requestId}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"Unable to stringify response body","stack":["Error: Unable to stringify response body"]}`)
  })

  it('callback(null, v) with an unserialisable v, waiting for the event loop: the runtime setImmediate throws, an Uncaught Exception that ends the environment', async () => {
    const sim = createSimulator()
    sim.createFunction('cb-bigint', (_e: unknown, _c: Context, cb: Callback) => cb(null, { n: 1n }))
    const r = await sim.invoke('cb-bigint', {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.payload).toEqual({ errorType: 'Error', errorMessage: 'Unable to stringify response body', trace: ['Error: Unable to stringify response body'] })
    expect(decode(r.logResult).split('\n')[1]).toBe(`2026-01-01T00:00:00.000Z\t${r.requestId}\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"Unable to stringify response body","stack":["Error: Unable to stringify response body"]}`)
    await sim.invoke('cb-bigint', {})
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true])
  })

  it('a function or a symbol as the result serialises to nothing, answered as null', async () => {
    const fn = await invoke(async () => () => 1, {})
    expect(fn.payload).toBeNull()
    const date = await invoke(async () => new Date(Date.UTC(2026, 0, 2)), {})
    expect(date.payload).toBe('2026-01-02T00:00:00.000Z')
  })
})

describe('error payloads of sync invokes (spec §3.1, RIC Errors.js toRapidResponse)', () => {
  it('an Error subclass: errorType is its name, errorMessage its message, trace its stack lines', async () => {
    class PaymentDeclined extends Error {
      override name = 'PaymentDeclined'
    }
    const r = await invoke(async () => {
      throw new PaymentDeclined('card expired')
    }, {})
    expect(r.functionError).toBe('Unhandled')
    const p = r.payload as ErrorBody
    expect(Object.keys(p)).toEqual(['errorType', 'errorMessage', 'trace'])
    expect(p.errorType).toBe('PaymentDeclined')
    expect(p.errorMessage).toBe('card expired')
    // V8 formats the stack's header when it is first read, after the class field set the name.
    expect(p.trace?.[0]).toBe('PaymentDeclined: card expired')
    expect(p.trace?.[1]).toMatch(/^ {4}at /)
  })

  it('an error whose name was set on the prototype shows it in errorType and in the trace header', async () => {
    class NotFound extends Error {}
    NotFound.prototype.name = 'NotFound'
    const r = await invoke(async () => {
      throw new NotFound('no such order')
    }, {})
    const p = r.payload as ErrorBody
    expect(p.errorType).toBe('NotFound')
    expect(p.trace?.[0]).toBe('NotFound: no such order')
  })

  it.each([
    ['a string', 'boom', { errorType: 'string', errorMessage: 'boom', trace: [] }],
    ['a number', 42, { errorType: 'number', errorMessage: '42', trace: [] }],
    ['a plain object', { code: 7 }, { errorType: 'object', errorMessage: '[object Object]', trace: [] }],
    ['a boolean', false, { errorType: 'boolean', errorMessage: 'false', trace: [] }],
  ])('an async handler throwing %s: errorType is typeof, errorMessage String(v), trace []', async (_what, value, expected) => {
    const r = await invoke(async () => {
      throw value
    }, {})
    expect(r.functionError).toBe('Unhandled')
    expect(r.payload).toEqual(expected)
  })

  it('an async handler throwing null or undefined reports the string "handled" (the RIC maps fail(null) to fail("handled"))', async () => {
    for (const value of [null, undefined]) {
      const r = await invoke(async () => {
        throw value
      }, {})
      expect(r.functionError).toBe('Unhandled')
      expect(r.payload).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] })
    }
  })

  it('an object with a null prototype cannot be converted: the "handled" shape without trace', async () => {
    const r = await invoke(async () => {
      throw Object.create(null) as object
    }, {})
    expect(r.payload).toEqual({ errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' })
  })

  it('an error with a cause: the payload carries the outer error only; the cause is not in the log JSON (it is not enumerable)', async () => {
    const sim = createSimulator()
    sim.createFunction('caused', async () => {
      throw new Error('order failed', { cause: new Error('db down') })
    })
    const r = await sim.invoke('caused', {}, 'RequestResponse', { logType: 'Tail' })
    const p = r.payload as ErrorBody
    expect(p.errorType).toBe('Error')
    expect(p.errorMessage).toBe('order failed')
    expect(JSON.stringify(p)).not.toContain('db down')
    const errorLine = decode(r.logResult).split('\n')[1] as string
    expect(errorLine).toContain('\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"order failed","stack":["Error: order failed"')
    expect(errorLine).not.toContain('db down')
  })

  it('an AggregateError reports errorType AggregateError and its own message; the inner errors are not in the payload', async () => {
    const r = await invoke(async () => {
      throw new AggregateError([new Error('a'), new Error('b')], 'all failed')
    }, {})
    const p = r.payload as ErrorBody
    expect(p.errorType).toBe('AggregateError')
    expect(p.errorMessage).toBe('all failed')
    expect(p.trace?.[0]).toBe('AggregateError: all failed')
    // Promise.any rejects with one whose message is Node's.
    const any = await invoke(async () => Promise.any([Promise.reject(new Error('x'))]), {})
    expect((any.payload as ErrorBody).errorType).toBe('AggregateError')
    expect((any.payload as ErrorBody).errorMessage).toBe('All promises were rejected')
  })

  it('X-Amz-Function-Error is "Unhandled" for every function error, and absent on success and on Event', async () => {
    const sim = createSimulator()
    sim.createFunction('fails', async () => {
      throw new Error('x')
    })
    sim.createFunction('times-out', async () => sim.sleep(5_000), { timeout: 1 })
    expect((await sim.invoke('fails', {})).functionError).toBe('Unhandled')
    expect((await sim.invoke('times-out', {})).functionError).toBe('Unhandled')
    const ev = await sim.invoke('fails', {}, 'Event')
    expect(ev).toEqual({ statusCode: 202, requestId: ev.requestId })
  })
})

describe('timeouts (spec §3.1, §4.1, §4.3)', () => {
  it('Sandbox.Timedout payload with the elapsed seconds to two decimals, at exactly the deadline', async () => {
    const sim = createSimulator()
    sim.createFunction('slow', async () => sim.sleep(10_000), { timeout: 2 })
    const r = await sim.invoke('slow', {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 2.00 seconds` })
    expect(sim.now() - Date.parse('2026-01-01T00:00:00Z')).toBe(2_000)
    const lines = decode(r.logResult).split('\n')
    expect(lines[1]).toBe(`2026-01-01T00:00:02.000Z ${r.requestId} Task timed out after 2.00 seconds`)
    expect(lines[3]).toBe(`REPORT RequestId: ${r.requestId}\tDuration: 2000.00 ms\tBilled Duration: 2000 ms\tMemory Size: 128 MB\tMax Memory Used: 0 MB\tInit Duration: 0.00 ms\t`)
  })

  it('a handler awaiting a virtual timer longer than its timeout times out; the next invoke is a cold start where the old timer never fires', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: string[] = []
    sim.createFunction('leaky', async (e: { tag: string }) => {
      // Due after the 10 s timeout for the first invoke: it would fire 2 s into the second one if the
      // environment (and its timers) survived the timeout.
      setTimeout(() => fired.push(e.tag), e.tag === 'first' ? 12_000 : 5_000)
      if (e.tag === 'first') await new Promise((resolve) => setTimeout(resolve, 60_000))
      else await new Promise((resolve) => setTimeout(resolve, 6_000))
      return e.tag
    }, { timeout: 10 })
    const first = await sim.invoke('leaky', { tag: 'first' })
    expect((first.payload as ErrorBody).errorType).toBe('Sandbox.Timedout')
    const second = await sim.invoke('leaky', { tag: 'second' })
    expect(second.payload).toBe('second')
    expect(fired).toEqual(['second'])
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true])
  })

  it('a timer left by a successful invoke is frozen and fires, overdue, in the next invoke of that environment', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: number[] = []
    sim.createFunction('fire-and-forget', async () => {
      setTimeout(() => fired.push(sim.now()), 1_000)
      return 'ok'
    })
    await sim.invoke('fire-and-forget', {})
    await sim.advanceBy(60_000)
    expect(fired).toEqual([])
    await sim.invoke('fire-and-forget', {})
    expect(fired).toEqual([Date.parse('2026-01-01T00:01:00Z')])
  })

  it('a callback handler whose event loop never drains (an interval, a pool keeping a socket) times out even after calling back', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('pool', (_e: unknown, _c: Context, cb: Callback) => {
      setInterval(() => undefined, 100)
      cb(null, 'answered too early')
    }, { timeout: 3 })
    const start = sim.now()
    const r = await sim.invoke('pool', {})
    expect(r.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 3.00 seconds` })
    expect(sim.now() - start).toBe(3_000)
  })

  it('a handler that is not a function is refused when the function is created (Runtime.HandlerNotFound has no counterpart: there is no module to load)', () => {
    const sim = createSimulator()
    expect(() => sim.createFunction('x', 'index.handler' as never)).toThrow('Invalid handler for function "x": expected a function (event, context[, callback]), got "index.handler"')
  })

  it('getRemainingTimeInMillis decreases with virtual time, also when read through the virtual Date', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const seen: number[] = []
    sim.createFunction('clock', async (_e: unknown, ctx: Context) => {
      seen.push(ctx.getRemainingTimeInMillis())
      await new Promise((resolve) => setTimeout(resolve, 1_250))
      seen.push(ctx.getRemainingTimeInMillis())
      await sim.sleep(700)
      seen.push(ctx.getRemainingTimeInMillis())
    }, { timeout: 5 })
    await sim.invoke('clock', {})
    expect(seen).toEqual([5_000, 3_750, 3_050])
  })
})

describe('the context object (spec §4.2, RIC InvokeContext.js)', () => {
  it('every field of a Node.js context, as the RIC builds it', async () => {
    const sim = createSimulator({ region: 'eu-west-1', accountId: '111122223333' })
    let seen: Context | undefined
    sim.createFunction('ctx', async (_e: unknown, ctx: Context) => {
      seen = ctx
    }, { memorySize: 512 })
    const r = await sim.invoke('ctx', {})
    const c = seen as Context
    expect(c.functionName).toBe('ctx')
    expect(c.functionVersion).toBe('$LATEST')
    expect(c.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:ctx')
    expect(c.memoryLimitInMB).toBe('512')
    expect(c.awsRequestId).toBe(r.requestId)
    expect(c.logGroupName).toBe('/aws/lambda/ctx')
    expect(c.logStreamName).toMatch(/^2026\/01\/01\/\[\$LATEST\][0-9a-f]{32}$/)
    expect(c.callbackWaitsForEmptyEventLoop).toBe(true)
    expect(typeof c.done).toBe('function')
    expect(typeof c.succeed).toBe('function')
    expect(typeof c.fail).toBe('function')
  })

  it('identity and clientContext are own keys of the context, undefined when not given (the RIC assigns both)', async () => {
    let seen: Context | undefined
    await invoke(async (_e: unknown, ctx: Context) => {
      seen = ctx
    }, {})
    const c = seen as Context
    expect('identity' in c).toBe(true)
    expect(c.identity).toBeUndefined()
    expect('clientContext' in c).toBe(true)
    expect(c.clientContext).toBeUndefined()
  })

  it('the same environment keeps its logStreamName; a new environment gets another', async () => {
    const sim = createSimulator()
    const streams: string[] = []
    sim.createFunction('s', async (_e: unknown, ctx: Context) => {
      streams.push(ctx.logStreamName)
      await sim.sleep(100)
    })
    await sim.invoke('s', {})
    await sim.invoke('s', {})
    await Promise.all([sim.invoke('s', {}), sim.invoke('s', {})])
    expect(streams[0]).toBe(streams[1])
    expect(new Set(streams).size).toBe(2)
  })

  it('context.done(null, v), context.succeed(v) and context.fail(err) answer at once', async () => {
    const done = await invoke((_e: unknown, ctx: Context) => ctx.done(undefined, 'via done'), {})
    expect(done.payload).toBe('via done')
    const succeed = await invoke((_e: unknown, ctx: Context) => ctx.succeed('via succeed'), {})
    expect(succeed.payload).toBe('via succeed')
    const fail = await invoke((_e: unknown, ctx: Context) => ctx.fail(new TypeError('via fail')), {})
    expect((fail.payload as ErrorBody).errorType).toBe('TypeError')
    const failString = await invoke((_e: unknown, ctx: Context) => ctx.fail('nope'), {})
    expect(failString.payload).toEqual({ errorType: 'string', errorMessage: 'nope', trace: [] })
  })

  it('callbackWaitsForEmptyEventLoop = false answers at once; true waits for the virtual timers', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const start = sim.now()
    sim.createFunction('wait', (e: { wait: boolean }, ctx: Context, cb: Callback) => {
      ctx.callbackWaitsForEmptyEventLoop = e.wait
      setTimeout(() => undefined, 400)
      cb(null, 'done')
    })
    await sim.invoke('wait', { wait: false })
    expect(sim.now() - start).toBe(0)
    const t = sim.now()
    await sim.invoke('wait', { wait: true })
    expect(sim.now() - t).toBe(400)
  })
})

describe('logs: LogType Tail, START/END/REPORT (spec §1.2)', () => {
  it('console.log/info/warn/error/debug/trace lines carry the ISO time, the request id and the level', async () => {
    const sim = createSimulator()
    sim.createFunction('levels', async () => {
      console.log('l')
      console.info('i')
      console.warn('w')
      console.error('e')
      console.debug('d')
      console.trace('t')
    })
    const r = await sim.invoke('levels', {}, 'RequestResponse', { logType: 'Tail' })
    const id = r.requestId
    expect(decode(r.logResult).split('\n').slice(1, 7)).toEqual(
      ['INFO\tl', 'INFO\ti', 'WARN\tw', 'ERROR\te', 'DEBUG\td', 'TRACE\tt'].map((s) => `2026-01-01T00:00:00.000Z\t${id}\t${s}`),
    )
  })

  it('the Tail is the last 4096 bytes of the log, base64', async () => {
    const sim = createSimulator()
    sim.createFunction('chatty', async () => {
      for (let i = 0; i < 200; i++) console.log(`line ${i} ${'x'.repeat(40)}`)
    })
    const r = await sim.invoke('chatty', {}, 'RequestResponse', { logType: 'Tail' })
    const raw = Buffer.from(r.logResult ?? '', 'base64')
    expect(raw.length).toBe(4096)
    expect(raw.toString('utf8').endsWith(`\tInit Duration: 0.00 ms\t\n`)).toBe(true)
  })

  it('REPORT on a cold start with a 1.5 s init: Init Duration, and Billed Duration includes the init (billed since 2025-08-01)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cold', async () => sim.sleep(200), { init: async () => sim.sleep(1_500) })
    const cold = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const report = decode(cold.logResult).split('\n').find((l) => l.startsWith('REPORT')) as string
    expect(report).toBe(`REPORT RequestId: ${cold.requestId}\tDuration: 200.00 ms\tBilled Duration: 1700 ms\tMemory Size: 128 MB\tMax Memory Used: 0 MB\tInit Duration: 1500.00 ms\t`)
    const warm = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const warmReport = decode(warm.logResult).split('\n').find((l) => l.startsWith('REPORT')) as string
    expect(warmReport).toBe(`REPORT RequestId: ${warm.requestId}\tDuration: 200.00 ms\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 0 MB\t`)
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, false])
  })
})

describe('work left running that resumes in a later invocation', () => {
  it('a console line of frozen work that resumes in the next invocation is in that invocation\'s log, with its request id', async () => {
    const sim = createSimulator()
    sim.createFunction('late-log', async (e: { first: boolean }) => {
      if (e.first) {
        void (async () => {
          await sim.sleep(500)
          console.log('flushed metrics')
        })()
        return 'first'
      }
      await sim.sleep(1_000)
      return 'second'
    })
    const first = await sim.invoke('late-log', { first: true }, 'RequestResponse', { logType: 'Tail' })
    expect(decode(first.logResult)).not.toContain('flushed metrics')
    await sim.advanceBy(10_000)
    const second = await sim.invoke('late-log', { first: false }, 'RequestResponse', { logType: 'Tail' })
    expect(decode(second.logResult).split('\n').slice(0, 2)).toEqual([
      `START RequestId: ${second.requestId} Version: $LATEST`,
      `2026-01-01T00:00:10.000Z\t${second.requestId}\tINFO\tflushed metrics`,
    ])
  })
})

describe('init code (the init phase of a cold start)', () => {
  it('console output of init code is logged before START with the request id "undefined": the runtime has no request yet', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('init-logs', async () => {
      console.log('handling')
    }, {
      init: async () => {
        console.log('loading config')
        await sim.sleep(300)
        console.warn('config loaded')
        return 1
      },
    })
    const r = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const id = r.requestId
    expect(decode(r.logResult).split('\n').slice(0, 4)).toEqual([
      '2026-01-01T00:00:00.000Z\tundefined\tINFO\tloading config',
      '2026-01-01T00:00:00.300Z\tundefined\tWARN\tconfig loaded',
      `START RequestId: ${id} Version: $LATEST`,
      `2026-01-01T00:00:00.300Z\t${id}\tINFO\thandling`,
    ])
    const warm = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(decode(warm.logResult).split('\n')[0]).toBe(`START RequestId: ${warm.requestId} Version: $LATEST`)
  })

  it('an init that throws: the invoke answers the error, logged before START as an Uncaught Exception of request "undefined"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('bad-init', async () => 'never', {
      init: () => {
        const e = new Error('missing TABLE_NAME')
        e.stack = 'Error: missing TABLE_NAME\n    at init (index.mjs:3:9)'
        throw e
      },
    })
    const r = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.functionError).toBe('Unhandled')
    expect(r.payload).toEqual({ errorType: 'Error', errorMessage: 'missing TABLE_NAME', trace: ['Error: missing TABLE_NAME', '    at init (index.mjs:3:9)'] })
    const lines = decode(r.logResult).split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '2026-01-01T00:00:00.000Z\tundefined\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"missing TABLE_NAME","stack":["Error: missing TABLE_NAME","    at init (index.mjs:3:9)"]}',
      `START RequestId: ${r.requestId} Version: $LATEST`,
      `END RequestId: ${r.requestId}`,
    ])
  })
})

describe('failures that escape the handler (RIC index.mjs process listeners)', () => {
  it('an unhandled rejection in init code: Runtime.UnhandledPromiseRejection, logged before START for request "undefined"', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('init-rejects', async () => 'never', {
      init: async () => {
        void Promise.reject('no config')
        await sim.sleep(100)
      },
    })
    const r = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.payload).toEqual({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'no config', trace: ['Runtime.UnhandledPromiseRejection: no config'] })
    expect(decode(r.logResult).split('\n').slice(0, 2)).toEqual([
      '2026-01-01T00:00:00.000Z\tundefined\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"no config","reason":"no config","promise":{},"stack":["Runtime.UnhandledPromiseRejection: no config"]}',
      `START RequestId: ${r.requestId} Version: $LATEST`,
    ])
  })

  it('an exception thrown in a virtual setTimeout callback: the attempt ends with that error at that instant, logged as Uncaught Exception, and the environment is discarded', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const start = sim.now()
    sim.createFunction('timer-throws', async () => {
      setTimeout(() => {
        throw new TypeError('late failure')
      }, 50)
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      return 'never'
    })
    const r = await sim.invoke('timer-throws', {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.functionError).toBe('Unhandled')
    expect((r.payload as ErrorBody).errorType).toBe('TypeError')
    expect(sim.now() - start).toBe(50)
    const line = decode(r.logResult).split('\n')[1] as string
    expect(line.startsWith(`2026-01-01T00:00:00.050Z\t${r.requestId}\tERROR\tUncaught Exception \t{"errorType":"TypeError","errorMessage":"late failure","stack":["TypeError: late failure"`)).toBe(true)
    await sim.invoke('timer-throws', {}).catch(() => undefined)
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true])
  })

  it('an unhandled rejection while the handler waits: Runtime.UnhandledPromiseRejection, at that instant, and the environment is discarded', async () => {
    const sim = createSimulator()
    const start = sim.now()
    sim.createFunction('forgot-catch', async () => {
      void (async () => {
        await sim.sleep(100)
        throw new Error('background write failed')
      })()
      await sim.sleep(1_000)
      return 'never'
    })
    const r = await sim.invoke('forgot-catch', {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.functionError).toBe('Unhandled')
    expect(r.payload).toEqual({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: background write failed',
      trace: ['Runtime.UnhandledPromiseRejection: Error: background write failed'],
    })
    expect(sim.now() - start).toBe(100)
    const line = decode(r.logResult).split('\n')[1] as string
    expect(line.startsWith(`2026-01-01T00:00:00.100Z\t${r.requestId}\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: background write failed","reason":{"errorType":"Error","errorMessage":"background write failed","stack":["Error: background write failed"`)).toBe(true)
    expect(line.endsWith(`"promise":{},"stack":["Runtime.UnhandledPromiseRejection: Error: background write failed"]}`)).toBe(true)
    await sim.invoke('forgot-catch', {})
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true])
  })

  it('an unhandled rejection with a non-Error reason: errorMessage is String(reason)', async () => {
    const sim = createSimulator()
    sim.createFunction('rejects-string', async () => {
      void Promise.reject('plain string')
      await sim.sleep(10)
    })
    const r = await sim.invoke('rejects-string', {})
    expect(r.payload).toEqual({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'plain string', trace: ['Runtime.UnhandledPromiseRejection: plain string'] })
  })

  it('an unhandled rejection in an async event: a function error, retried like any other', async () => {
    const sim = createSimulator()
    sim.createFunction('async-rejects', async () => {
      void Promise.reject(new Error('x'))
      await sim.sleep(10)
    })
    const { requestId } = await sim.invoke('async-rejects', {}, 'Event')
    await sim.runUntilIdle()
    const finished = sim.timeline.ofType('attempt-finished').filter((e) => e.requestId === requestId)
    expect(finished.map((e) => [e.attempt, e.errorType])).toEqual([
      [1, 'Runtime.UnhandledPromiseRejection'],
      [2, 'Runtime.UnhandledPromiseRejection'],
      [3, 'Runtime.UnhandledPromiseRejection'],
    ])
  })

  it('a rejection handled later in the same turn is not unhandled', async () => {
    const sim = createSimulator()
    sim.createFunction('handled', async () => {
      const p = Promise.reject(new Error('caught'))
      await sim.sleep(10)
      return p.catch((e: Error) => e.message)
    })
    // A rejection without a handler at the end of a turn is "unhandled" to Node even if a handler comes
    // later (it then emits rejectionHandled); on Lambda the runtime has already failed the invocation.
    const r = await sim.invoke('handled', {})
    expect((r.payload as ErrorBody).errorType).toBe('Runtime.UnhandledPromiseRejection')
    const sameTurn = await invoke(async () => {
      const p = Promise.reject(new Error('caught'))
      return p.catch((e: Error) => e.message)
    }, {})
    expect(sameTurn.payload).toBe('caught')
  })

  it('an unhandled rejection after the handler answered: the answer stands, a warning names it, and the environment is not reused', async () => {
    const sim = createSimulator()
    sim.createFunction('answers-then-rejects', async () => {
      void Promise.reject(new Error('metrics flush failed'))
      return 'ok'
    })
    const r = await sim.invoke('answers-then-rejects', {})
    expect(r.payload).toBe('ok')
    expect(r.functionError).toBeUndefined()
    await new Promise((resolve) => setImmediate(resolve))
    const warnings = sim.timeline.ofType('warning').filter((w) => w.kind === 'unhandled-rejection')
    expect(warnings.map((w) => [w.requestId, w.functionName])).toEqual([[r.requestId, 'answers-then-rejects']])
    expect(warnings[0]?.message).toContain('(Error: metrics flush failed)')
    await sim.invoke('answers-then-rejects', {})
    await new Promise((resolve) => setImmediate(resolve))
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true])
  })

  it('work frozen with the environment that rejects when it resumes fails the invocation running then', async () => {
    const sim = createSimulator()
    sim.createFunction('thawed-rejects', async (e: { first: boolean }) => {
      if (e.first) {
        void (async () => {
          await sim.sleep(500)
          throw new Error('late write failed')
        })()
        return 'first ok'
      }
      await sim.sleep(1_000)
      return 'second ok'
    })
    expect((await sim.invoke('thawed-rejects', { first: true })).payload).toBe('first ok')
    await sim.advanceBy(10_000)
    const second = await sim.invoke('thawed-rejects', { first: false })
    expect(second.payload).toEqual({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: late write failed', trace: ['Runtime.UnhandledPromiseRejection: Error: late write failed'] })
  })

  it('an unhandled rejection in test code (outside any handler) is left to the test runner, and lambda-sim adds no listener', async () => {
    const sim = createSimulator()
    sim.createFunction('fine', async () => {
      await sim.sleep(10)
      return 'ok'
    })
    // vitest reports a rejection only when its own listener is the only one, and node:test fails the test
    // on any rejection its listener hears: lambda-sim must neither add a listener nor let them hear an
    // attempt's rejection.
    const before = process.listeners('unhandledRejection')
    const seen: unknown[] = []
    const listener = (reason: unknown): void => {
      seen.push(reason)
    }
    process.on('unhandledRejection', listener)
    try {
      sim.createFunction('rejects', async () => {
        void Promise.reject(new Error('attempt code'))
        await sim.sleep(10)
      })
      expect((await sim.invoke('rejects', {})).functionError).toBe('Unhandled')
      const pending = sim.invoke('fine', {})
      void Promise.reject(new Error('test code'))
      expect((await pending).payload).toBe('ok')
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('unhandledRejection', listener)
    }
    expect(seen.map((e) => (e as Error).message)).toEqual(['test code'])
    expect(process.listeners('unhandledRejection')).toEqual(before)
  })
})
