import type { Callback, Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { createSimulator, SimulatorError, type AnyHandler, type SimEvent } from '../src/index.js'

const START = Date.parse('2026-01-01T00:00:00.000Z')

function warnings(sim: { timeline: { entries: SimEvent[] } }, kind: string): Extract<SimEvent, { type: 'warning' }>[] {
  return sim.timeline.entries.filter((e): e is Extract<SimEvent, { type: 'warning' }> => e.type === 'warning' && e.kind === kind)
}

describe('handler forms (spec §4.1)', () => {
  it('an async handler answers with its resolved value', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('a', async () => {
      await sim.sleep(10)
      return { done: true }
    })
    expect((await sim.invoke(fn, {})).payload).toEqual({ done: true })
    expect(sim.now()).toBe(START + 10)
  })

  it('a non-async handler that returns a promise is treated like async', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('p', () => sim.sleep(5).then(() => 'later'))
    expect((await sim.invoke(fn, {})).payload).toBe('later')
    expect(sim.now()).toBe(START + 5)
  })

  it('a promise rejected with an Error is a function error', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('p', () => Promise.reject(new Error('nope')))
    const res = await sim.invoke<{ errorType: string; errorMessage: string }>(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(res.payload?.errorType).toBe('Error')
    expect(res.payload?.errorMessage).toBe('nope')
  })

  it('a promise rejected with undefined reports the string "handled" (context.fail semantics)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('p', () => Promise.reject(undefined))
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe('{"errorType":"string","errorMessage":"handled","trace":[]}')
  })

  it('context.succeed answers at once even with virtual timers pending (only callback waits)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('legacy', (_e: unknown, ctx: Context, _cb: Callback) => {
      void sim.sleep(100)
      ctx.succeed('now')
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('now')
    expect(sim.now()).toBe(START)
  })

  it('an async handler that declares a callback answers when its promise settles, not when timers drain', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('asyncCb', async (_e: unknown, _c: Context, _cb: Callback) => {
      void sim.sleep(100)
      return 'settled'
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('settled')
    expect(sim.now()).toBe(START)
    expect(sim.timeline.ofType('work-left-running')).toHaveLength(1)
  })

  it('a callback handler answers with callback(null, result)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => {
      cb(null, { via: 'callback' })
    })
    expect((await sim.invoke(fn, {})).payload).toEqual({ via: 'callback' })
  })

  it('a callback handler: only the first completion counts (callback twice)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => {
      cb(null, 'first')
      cb(null, 'second')
      cb(new Error('third'))
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('first')
    expect(res.functionError).toBeUndefined()
  })

  it('first completion wins between callback and context.fail', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, ctx: Context, cb: Callback) => {
      ctx.fail('failed first')
      cb(null, 'too late')
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toEqual({ errorType: 'string', errorMessage: 'failed first', trace: [] })
  })

  it('an async handler that also takes a callback: whichever completes first wins', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('both', async (_e: unknown, _c: Context, cb: Callback) => {
      cb(null, 'from callback')
      await sim.sleep(1)
      return 'from promise'
    })
    expect((await sim.invoke(fn, {})).payload).toBe('from callback')
  })

  it('a callback called later on the virtual clock answers at that instant', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => {
      void sim.sleep(250).then(() => cb(null, 'late'))
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('late')
    expect(sim.now()).toBe(START + 250)
  })

  it('a sync non-async handler returning a value: AWS ignores it (payload null) and a warning says so', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('forgotAsync', (() => ({ lost: true })) as unknown as AnyHandler)
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBeNull()
    expect(res.functionError).toBeUndefined()
    const w = warnings(sim, 'ignored-return-value')
    expect(w).toHaveLength(1)
    expect(w[0]?.requestId).toBe(res.requestId)
    expect(w[0]?.message).toContain('Lambda ignores')
  })

  it('the ignored-return-value warning names the request and the function, and comes before the attempt ends', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('forgotAsync', (() => 42) as unknown as AnyHandler)
    const res = await sim.invoke(fn, {}, 'Event')
    await sim.runUntilIdle()
    const [w] = warnings(sim, 'ignored-return-value')
    expect([w?.requestId, w?.functionName]).toEqual([res.requestId, 'forgotAsync'])
    const kinds = sim.timeline.entries.filter((e) => 'requestId' in e && e.requestId === res.requestId).map((e) => (e.type === 'warning' ? e.kind : e.type))
    expect(kinds.indexOf('ignored-return-value')).toBe(kinds.indexOf('attempt-finished') - 1)
  })

  it('a non-async handler that returns a value with virtual timers pending is warned about when it answers null, at the instant its timers drain', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('forgotAsyncTimers', ((_e: unknown) => {
      void sim.sleep(300)
      return { lost: true }
    }) as unknown as AnyHandler)
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBeNull()
    const w = warnings(sim, 'ignored-return-value')
    expect(w.map((x) => [x.requestId, x.time - START])).toEqual([[res.requestId, 300]])
  })

  it('a non-async handler that returns a value but answers through context.succeed from a timer is not warned about: its response is not null', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('succeedsLater', ((_e: unknown, ctx: Context) => {
      void sim.sleep(100).then(() => ctx.succeed('late'))
      return 'ignored'
    }) as unknown as AnyHandler)
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('late')
    expect(warnings(sim, 'ignored-return-value')).toEqual([])
  })

  it('a callback handler that returns a value (such as a timer) and then calls back is not warned about: the callback answers', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cbTimer', (_e: unknown, _c: Context, cb: Callback) => sim.sleep(50).then(() => cb(null, 'done')) as unknown as void)
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('done')
    expect(warnings(sim, 'ignored-return-value')).toEqual([])
  })

  it('a sync non-async handler returning undefined gives null without a warning', async () => {
    const sim = createSimulator()
    const res = await sim.invoke(sim.createFunction('plain', () => undefined), {})
    expect(res.payload).toBeNull()
    expect(warnings(sim, 'ignored-return-value')).toHaveLength(0)
  })

  it('a sync handler that throws is a function error', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('syncThrow', () => {
      throw new SyntaxError('bad')
    })
    const res = await sim.invoke<{ errorType: string }>(fn, {})
    expect(res.payload?.errorType).toBe('SyntaxError')
  })

  it('a non-async handler that throws undefined synchronously answers null once its event loop drains (the runtime passes the throw to callback)', async () => {
    const sim = createSimulator()
    let flushed = false
    const fn = sim.createFunction('throwsUndefined', (() => {
      void sim.sleep(250).then(() => {
        flushed = true
      })
      throw undefined
    }) as unknown as AnyHandler)
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBeUndefined()
    expect(res.payload).toBeNull()
    expect(flushed).toBe(true)
    expect(sim.now()).toBe(START + 250)
  })

  it('a non-async handler that calls context.succeed or context.fail from a timer answers with it at that instant (the null default only applies if the event loop drains first)', async () => {
    const sim = createSimulator()
    const later = sim.createFunction('succeedsLater', ((_e: unknown, ctx: Context) => {
      void sim.sleep(100).then(() => ctx.succeed('late'))
      void sim.sleep(500)
    }) as unknown as AnyHandler)
    const ok = await sim.invoke(later, {})
    expect(ok.functionError).toBeUndefined()
    expect(ok.payload).toBe('late')
    expect(sim.now()).toBe(START + 100)
    const failing = sim.createFunction('failsLater', ((_e: unknown, ctx: Context) => {
      void sim.sleep(100).then(() => ctx.fail(new TypeError('late fail')))
    }) as unknown as AnyHandler)
    const bad = await sim.invoke<{ errorType: string; errorMessage: string }>(failing, {})
    expect(bad.functionError).toBe('Unhandled')
    expect([bad.payload?.errorType, bad.payload?.errorMessage]).toEqual(['TypeError', 'late fail'])
    expect(sim.now()).toBe(START + 200)
  })

  it('a callback handler that returns without calling back answers null once its event loop drains', async () => {
    const sim = createSimulator({ realTimeGraceMs: 50 })
    const fn = sim.createFunction('cbNever', (_e: unknown, _c: Context, _cb: Callback) => {
      void sim.sleep(100)
    })
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBeUndefined()
    expect(res.payload).toBeNull()
    expect(sim.now()).toBe(START + 100)
  })

  it('callbackWaitsForEmptyEventLoop (default true): the answer waits for pending virtual timers', async () => {
    const sim = createSimulator()
    let flushed = false
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => {
      void sim.sleep(100).then(() => {
        flushed = true
      })
      cb(null, 'answer')
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('answer')
    expect(flushed).toBe(true)
    expect(sim.now()).toBe(START + 100)
  })

  it('callbackWaitsForEmptyEventLoop waits for timers started after earlier ones fired', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, _c: Context, cb: Callback) => {
      void (async () => {
        await sim.sleep(100)
        await sim.sleep(100)
      })()
      cb(null, 'answer')
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('answer')
    expect(sim.now()).toBe(START + 200)
    expect(sim.timeline.entries.filter((e) => e.type === 'attempt-finished')).toEqual([expect.objectContaining({ outcome: 'success', durationMs: 200 })])
  })

  it('a non-async handler returning a value answers null once its virtual timers drain', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('plainWithTimer', (() => {
      void sim.sleep(300)
      return 'ignored'
    }) as unknown as AnyHandler)
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBeNull()
    expect(sim.now()).toBe(START + 300)
  })

  it('a callback handler that calls back after real I/O answers with that result', async () => {
    const sim = createSimulator()
    const { readFile } = await import('node:fs')
    const path = new URL(import.meta.url).pathname
    const fn = sim.createFunction('cbIo', (_e: unknown, _c: Context, cb: Callback) => {
      readFile(path, 'utf8', (err, text) => cb(err, text.length > 100))
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe(true)
    expect(sim.now()).toBe(START)
  })

  it('callbackWaitsForEmptyEventLoop = false answers at once and freezes the pending timer', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cb', (_e: unknown, ctx: Context, cb: Callback) => {
      ctx.callbackWaitsForEmptyEventLoop = false
      void sim.sleep(100)
      cb(null, 'now')
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toBe('now')
    expect(sim.now()).toBe(START)
    expect(sim.timeline.ofType('work-left-running')).toHaveLength(1)
  })
})

describe('context object (spec §4.2)', () => {
  it('has the fields of the Node.js runtime: memoryLimitInMB as a string, unqualified ARN, log group', async () => {
    const sim = createSimulator()
    let seen: Context | undefined
    const fn = sim.createFunction('ctx', async (_e: unknown, ctx: Context) => {
      seen = ctx
    })
    const res = await sim.invoke(fn, {})
    const ctx = seen as Context
    expect(ctx.functionName).toBe('ctx')
    expect(ctx.functionVersion).toBe('$LATEST')
    expect(ctx.memoryLimitInMB).toBe('128')
    expect(typeof ctx.memoryLimitInMB).toBe('string')
    expect(ctx.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:ctx')
    expect(ctx.awsRequestId).toBe(res.requestId)
    expect(ctx.logGroupName).toBe('/aws/lambda/ctx')
    expect(ctx.logStreamName).toMatch(/^2026\/01\/01\/\[\$LATEST\][0-9a-f]{32}$/)
    expect(ctx.callbackWaitsForEmptyEventLoop).toBe(true)
    expect(ctx.clientContext).toBeUndefined()
    expect(ctx.identity).toBeUndefined()
  })

  it('memorySize option shows as the string memoryLimitInMB', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('mem', async (_e: unknown, ctx: Context) => ctx.memoryLimitInMB, { memorySize: 1769 })
    expect((await sim.invoke(fn, {})).payload).toBe('1769')
  })

  it('a qualified invoke gives the qualified invokedFunctionArn and the executed functionVersion', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('ctx', async (_e: unknown, ctx: Context) => [ctx.invokedFunctionArn, ctx.functionVersion])
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'live', functionVersion: '1' })
    expect((await sim.invoke(fn, {}, 'RequestResponse', { qualifier: '1' })).payload).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:ctx:1', '1'])
    expect((await sim.invoke('ctx:live', {})).payload).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:ctx:live', '1'])
    expect((await sim.invoke('ctx:$LATEST', {})).payload).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:ctx:$LATEST', '$LATEST'])
  })

  it('async invokes give each event the invokedFunctionArn it was invoked with (events invoked the same way share it)', async () => {
    const sim = createSimulator()
    const seen: string[][] = []
    const fn = sim.createFunction('actx', async (_e: unknown, ctx: Context) => {
      seen.push([ctx.invokedFunctionArn, ctx.functionVersion])
    })
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'live', functionVersion: '1' })
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:actx'
    for (const [ref, qualifier] of [[fn, undefined], ['actx:live', undefined], [fn, '1'], ['actx', undefined], ['actx:$LATEST', undefined], [fn, 'live'], [`${arn}:1`, undefined]] as const) {
      await sim.invoke(ref, {}, 'Event', qualifier === undefined ? {} : { qualifier })
    }
    await sim.runUntilIdle()
    expect(seen).toEqual([
      [arn, '$LATEST'],
      [`${arn}:live`, '1'],
      [`${arn}:1`, '1'],
      [arn, '$LATEST'],
      [`${arn}:$LATEST`, '$LATEST'],
      [`${arn}:live`, '1'],
      [`${arn}:1`, '1'],
    ])
  })

  it('getRemainingTimeInMillis runs on the virtual clock: 3000 at start, 1000 after sleeping 2 s', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('remaining', async (_e: unknown, ctx: Context) => {
      const atStart = ctx.getRemainingTimeInMillis()
      await sim.sleep(2000)
      return [atStart, ctx.getRemainingTimeInMillis()]
    })
    expect((await sim.invoke(fn, {})).payload).toEqual([3000, 1000])
  })

  it('clientContext reaches the handler, given as an object or as base64 JSON', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('cc', async (_e: unknown, ctx: Context) => ctx.clientContext ?? 'none')
    const cc = { client: { installation_id: 'i-1', app_title: 'demo', app_version_name: '1', app_version_code: '1', app_package_name: 'p' }, env: { platform_version: '1', platform: 'x', make: 'm', model: 'm', locale: 'en' }, Custom: { k: 'v' } }
    expect((await sim.invoke(fn, {}, 'RequestResponse', { clientContext: cc as never })).payload).toEqual(cc)
    const b64 = Buffer.from(JSON.stringify(cc)).toString('base64')
    expect((await sim.invoke(fn, {}, 'RequestResponse', { clientContext: b64 })).payload).toEqual(cc)
  })
})

describe('timeouts (spec §4.3, §3.1)', () => {
  it('the default timeout is 3 s', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('slow', async () => {
      await sim.sleep(10_000)
    })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${res.requestId} Error: Task timed out after 3.00 seconds` })
    expect(sim.now()).toBe(START + 3000)
  })

  it('a handler sleeping 2 s under a 1 s timeout resolves with Sandbox.Timedout exactly 1000 ms later', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('slow', async () => {
      await sim.sleep(2000)
      return 'never'
    }, { timeout: 1 })
    const res = await sim.invoke(fn, {})
    expect(res.statusCode).toBe(200)
    expect(res.functionError).toBe('Unhandled')
    expect(JSON.stringify(res.payload)).toBe(`{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ${res.requestId} Error: Task timed out after 1.00 seconds"}`)
    expect(sim.now()).toBe(START + 1000)
    const finished = sim.timeline.entries.filter((e) => e.type === 'attempt-finished')
    expect(finished).toEqual([expect.objectContaining({ outcome: 'timeout', durationMs: 1000, errorType: 'Sandbox.Timedout' })])
    // The abandoned sleep does not keep the simulator busy.
    sim.assertIdle()
  })

  it('a handler finishing exactly at its deadline still times out (the timeout was scheduled first)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('edge', async () => {
      await sim.sleep(1000)
      return 'ok'
    }, { timeout: 1 })
    const res = await sim.invoke<{ errorType: string }>(fn, {})
    expect(res.payload?.errorType).toBe('Sandbox.Timedout')
  })

  it('a handler finishing 1 ms before its deadline succeeds', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('edge', async () => {
      await sim.sleep(999)
      return 'ok'
    }, { timeout: 1 })
    expect((await sim.invoke(fn, {})).payload).toBe('ok')
    expect(sim.now()).toBe(START + 999)
  })

  it('a timeout discards the environment: the next invoke is a cold start', async () => {
    const sim = createSimulator()
    let inits = 0
    const fn = sim.createFunction('slow', async (e: { wait: number }) => {
      await sim.sleep(e.wait)
    }, { timeout: 1, init: () => ++inits })
    await sim.invoke(fn, { wait: 10 })
    await sim.invoke(fn, { wait: 10 })
    expect(inits).toBe(1)
    await sim.invoke(fn, { wait: 5000 })
    await sim.invoke(fn, { wait: 10 })
    expect(inits).toBe(2)
  })

  it('a late settlement after the timeout is ignored', async () => {
    const sim = createSimulator({ realTimeGraceMs: 50 })
    let release: (v: string) => void = () => {}
    const gate = new Promise<string>((resolve) => {
      release = resolve
    })
    const fn = sim.createFunction('late', async () => gate, { timeout: 1 })
    const res = await sim.invoke<{ errorType: string }>(fn, {})
    expect(res.payload?.errorType).toBe('Sandbox.Timedout')
    release('too late')
    await gate
    await sim.runUntilIdle()
    expect(sim.timeline.entries.filter((e) => e.type === 'attempt-finished')).toHaveLength(1)
    expect(sim.now()).toBe(START + 1000)
  })

  it('timeout outside 1–900 s is a ValidationException with AWS text', () => {
    const sim = createSimulator()
    const h = async (): Promise<void> => {}
    expect(() => sim.createFunction('t0', h, { timeout: 0 })).toThrow("1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1")
    expect(() => sim.createFunction('t901', h, { timeout: 901 })).toThrow("1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900")
    expect(() => sim.createFunction('tf', h, { timeout: 1.5 })).toThrow('Invalid timeout: expected an integer from 1 to 900, got 1.5')
    expect(sim.createFunction('t900', h, { timeout: 900 }).name).toBe('t900')
  })

  it('memorySize outside 128–10240 is a ValidationException', () => {
    const sim = createSimulator()
    const h = async (): Promise<void> => {}
    expect(() => sim.createFunction('m', h, { memorySize: 64 })).toThrow("1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128")
    expect(() => sim.createFunction('m2', h, { timeout: 0, memorySize: 20000 })).toThrow(
      "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '20000' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
    )
  })

  it('a handler that throws SimulatorError misuse (sleep with a negative duration) fails as a function error, not at the test', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('bad', async () => {
      await sim.sleep(-1)
    })
    const res = await sim.invoke<{ errorType: string; errorMessage: string }>(fn, {})
    expect(res.functionError).toBe('Unhandled')
    expect(res.payload?.errorType).toBe('SimulatorError')
    expect(res.payload?.errorMessage).toBe('Invalid sleep(-1): expected a finite number of milliseconds >= 0')
    expect(SimulatorError).toBeDefined()
  })
})
