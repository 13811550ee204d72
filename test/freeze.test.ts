import { describe, expect, it } from 'vitest'
import { createSimulator, SimulatorError, type SimEvent } from '../src/index.js'
import type { SimContext } from '../src/context.js'

describe('execution environments', () => {
  it('two concurrent invocations make two environments; a later one reuses the most recently used', async () => {
    const sim = createSimulator()
    const streams: string[] = []
    sim.createFunction('work', async (e: { ms: number }, context: SimContext) => {
      streams.push(context.logStreamName)
      await sim.sleep(e.ms)
      return null
    })
    await Promise.all([sim.invoke('work', { ms: 1000 }), sim.invoke('work', { ms: 2000 })])
    expect(sim.now() - Date.parse('2026-01-01T00:00:00.000Z')).toBe(2000)
    await sim.invoke('work', { ms: 0 })
    expect(new Set(streams.slice(0, 2)).size).toBe(2)
    // The environment that finished last (the 2 s one) is reused.
    expect(streams[2]).toBe(streams[1])
    const started = sim.timeline.ofType('attempt-started')
    expect(started.map((e) => e.coldStart)).toEqual([true, true, false])
  })

  it('a timeout discards the environment: the next invocation is a cold start in a new one', async () => {
    const sim = createSimulator({ realTimeGraceMs: 20 })
    const streams: string[] = []
    sim.createFunction(
      'slow',
      async (e: { ms: number }, context: SimContext) => {
        streams.push(context.logStreamName)
        await sim.sleep(e.ms)
        return null
      },
      { timeout: 1 },
    )
    await sim.invoke('slow', { ms: 10 })
    await sim.invoke('slow', { ms: 10 })
    const timedOut = await sim.invoke('slow', { ms: 5000 })
    expect(timedOut.functionError).toBe('Unhandled')
    await sim.invoke('slow', { ms: 10 })
    expect(streams[1]).toBe(streams[0])
    expect(streams[2]).toBe(streams[0])
    expect(streams[3]).not.toBe(streams[0])
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, false, false, true])
  })

  it('a crash in init discards the environment too: init runs again on the next invocation', async () => {
    const sim = createSimulator()
    let inits = 0
    sim.createFunction('flaky', async (_e: unknown, context: SimContext) => context.init, {
      init: () => {
        inits++
        if (inits === 1) throw new Error('init failed')
        return { inits }
      },
    })
    const first = await sim.invoke('flaky', {})
    expect(first.payload).toMatchObject({ errorType: 'Error', errorMessage: 'init failed' })
    const second = await sim.invoke('flaky', {})
    expect(second.payload).toEqual({ inits: 2 })
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true])
  })
})

describe('module-level state: the init option', () => {
  it('runs once per environment, its result is context.init, and it runs again on a fresh environment after a timeout', async () => {
    const sim = createSimulator({ realTimeGraceMs: 20 })
    let inits = 0
    sim.createFunction(
      'counter',
      async (e: { ms?: number }, context: SimContext) => {
        const state = context.init as { id: number; calls: number }
        state.calls++
        if (e.ms !== undefined) await sim.sleep(e.ms)
        return { id: state.id, calls: state.calls }
      },
      { timeout: 2, init: () => ({ id: ++inits, calls: 0 }) },
    )
    expect((await sim.invoke('counter', {})).payload).toEqual({ id: 1, calls: 1 })
    expect((await sim.invoke('counter', {})).payload).toEqual({ id: 1, calls: 2 })
    const t0 = sim.now()
    const timeout = await sim.invoke('counter', { ms: 60_000 })
    expect(timeout.payload).toMatchObject({ errorType: 'Sandbox.Timedout' })
    expect(sim.now() - t0).toBe(2000)
    // Module state was lost with the environment: init ran again.
    expect((await sim.invoke('counter', {})).payload).toEqual({ id: 2, calls: 1 })
    expect(inits).toBe(2)
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, false, false, true])
  })

  it('an async init is awaited once; a handler without init gets no context.init', async () => {
    const sim = createSimulator()
    let inits = 0
    sim.createFunction('async-init', async (_e: unknown, context: SimContext) => context.init, {
      init: async () => {
        inits++
        await sim.sleep(500)
        return 'connected'
      },
    })
    sim.createFunction('plain', async (_e: unknown, context: SimContext) => ({ hasInit: 'init' in context }))
    const t0 = sim.now()
    expect((await sim.invoke('async-init', {})).payload).toBe('connected')
    expect(sim.now() - t0).toBe(500)
    expect((await sim.invoke('async-init', {})).payload).toBe('connected')
    expect(sim.now() - t0).toBe(500)
    expect(inits).toBe(1)
    expect((await sim.invoke('plain', {})).payload).toEqual({ hasInit: false })
  })
})

describe('code and configuration updates', () => {
  it('an environment still running when the function is updated is retired when its attempt ends: the next invocation is a cold start with the new code', async () => {
    const sim = createSimulator()
    let inits = 0
    const results: unknown[] = []
    const slow = (code: string) => async (_e: unknown, context: SimContext) => {
      await sim.sleep(1000)
      results.push({ code, init: context.init })
    }
    sim.createFunction('f', slow('old'), { init: () => ++inits })
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(500)
    sim.updateFunctionCode('f', slow('new'))
    await sim.runUntilIdle()
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(results).toEqual([{ code: 'old', init: 1 }, { code: 'new', init: 2 }])
    // The same across a configuration update.
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(500)
    sim.updateFunctionConfiguration('f', { timeout: 10 })
    await sim.runUntilIdle()
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(results.slice(2)).toEqual([{ code: 'new', init: 2 }, { code: 'new', init: 3 }])
    expect(sim.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, true, false, true])
  })
})

describe('the init phase (cold starts)', () => {
  function slowInit(sim: ReturnType<typeof createSimulator>, initMs: number, handlerMs: number): void {
    sim.createFunction('cold', async () => {
      await sim.sleep(handlerMs)
      return 'done'
    }, { timeout: 3, init: async () => { await sim.sleep(initMs) } })
  }

  it('an init of up to 10 s does not count toward the function timeout: 2 s of init then a 2.5 s handler succeed under a 3 s timeout', async () => {
    const sim = createSimulator()
    slowInit(sim, 2000, 2500)
    const t0 = sim.now()
    const r = await sim.invoke('cold', {}, 'RequestResponse', { logType: 'Tail' })
    expect(r.payload).toBe('done')
    expect(sim.now() - t0).toBe(4500)
    const finished = sim.timeline.ofType('attempt-finished')[0]
    expect(finished?.durationMs).toBe(2500)
    const report = Buffer.from(r.logResult as string, 'base64').toString('utf8').split('\n').find((l) => l.startsWith('REPORT'))
    expect(report).toBe(`REPORT RequestId: ${r.requestId}\tDuration: 2500.00 ms\tBilled Duration: 4500 ms\tMemory Size: 128 MB\tMax Memory Used: 0 MB\tInit Duration: 2000.00 ms\t`)
    // The timeout counts from the end of init: a 3.5 s handler times out 3 s after it started.
    const sim2 = createSimulator()
    slowInit(sim2, 2000, 3500)
    const t = await sim2.invoke('cold', {})
    expect(t.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${t.requestId} Error: Task timed out after 3.00 seconds` })
    expect(sim2.now() - sim2.timeline.ofType('attempt-started')[0]!.time).toBe(5000)
  })

  it('an init over 10 s is cut at 10 s and the rest of it counts toward the timeout: 11 s of init leave 2 s of a 3 s timeout', async () => {
    const sim = createSimulator()
    slowInit(sim, 11_000, 1500)
    const t0 = sim.now()
    expect((await sim.invoke('cold', {})).payload).toBe('done')
    expect(sim.now() - t0).toBe(12_500)
    const sim2 = createSimulator()
    slowInit(sim2, 11_000, 2500)
    const t = await sim2.invoke('cold', {})
    expect((t.payload as { errorType: string }).errorType).toBe('Sandbox.Timedout')
    expect(sim2.now() - sim2.timeline.ofType('attempt-started')[0]!.time).toBe(13_000)
    // An init that never finishes times out 10 s + the timeout after the cold start, and its handler never runs.
    const sim3 = createSimulator()
    let ran = false
    sim3.createFunction('stuck', async () => { ran = true }, { timeout: 3, init: async () => { await sim3.sleep(60_000) } })
    const s = await sim3.invoke('stuck', {})
    expect((s.payload as { errorMessage: string }).errorMessage).toBe(`RequestId: ${s.requestId} Error: Task timed out after 3.00 seconds`)
    expect(sim3.now() - sim3.timeline.ofType('attempt-started')[0]!.time).toBe(13_000)
    await sim3.runUntilIdle()
    expect(ran).toBe(false)
  })
})

describe('the init phase and code updates', () => {
  it('an attempt in its init phase keeps the code and timeout it started with when the function is updated meanwhile (found by fuzz-api)', async () => {
    const sim = createSimulator()
    sim.createFunction('cold', async () => 'old code', { timeout: 3, init: async () => { await sim.sleep(2000) } })
    await sim.invoke('cold', {}, 'Event')
    await sim.advanceBy(1000)
    // Mid-init: new code (which would outlive its 1 s timeout) and a new timeout.
    sim.updateFunctionCode('cold', async () => {
      await sim.sleep(5000)
      return 'new code'
    })
    sim.updateFunctionConfiguration('cold', { timeout: 1 })
    await sim.runUntilIdle()
    const finished = sim.timeline.ofType('attempt-finished')
    expect(finished.map((e) => [e.outcome, e.payload, e.time - sim.timeline.ofType('attempt-started')[0]!.time])).toEqual([['success', 'old code', 2000]])
  })

  it('an init past 10 s keeps the timeout the attempt started with', async () => {
    const sim = createSimulator()
    sim.createFunction('cold', async () => 'done', { timeout: 3, init: async () => { await sim.sleep(60_000) } })
    await sim.invoke('cold', {}, 'Event')
    await sim.advanceBy(1000)
    sim.updateFunctionConfiguration('cold', { timeout: 1 })
    await sim.advanceBy(20_000)
    const first = sim.timeline.ofType('attempt-finished')[0]
    expect(first?.outcome).toBe('timeout')
    expect(first?.errorMessage).toMatch(/Task timed out after 3\.00 seconds$/)
    expect(first!.time - sim.timeline.ofType('attempt-started')[0]!.time).toBe(13_000)
  })
})

describe('work left running: the freeze', () => {
  function forgetfulFunction(sim: ReturnType<typeof createSimulator>, log: string[], options: { timeout?: number } = {}) {
    sim.createFunction(
      'forgetful',
      async (e: { n: number; hang?: number }) => {
        log.push(`handler ${e.n} at ${sim.now() - T0}`)
        if (e.n === 1) {
          // The bug: not awaited.
          void sim.sleep(1000).then(() => log.push(`side effect at ${sim.now() - T0}`))
        }
        if (e.hang !== undefined) await sim.sleep(e.hang)
        return e.n
      },
      options,
    )
  }
  const T0 = Date.parse('2026-01-01T00:00:00.000Z')

  it('the unawaited side effect does not happen after 1 s of virtual time, but during the next invocation of that environment', async () => {
    const sim = createSimulator()
    const log: string[] = []
    forgetfulFunction(sim, log)
    const first = await sim.invoke('forgetful', { n: 1 })
    expect(first.payload).toBe(1)
    await sim.advanceBy(60_000)
    expect(log).toEqual(['handler 1 at 0'])
    await sim.runUntilIdle()
    expect(log).toEqual(['handler 1 at 0'])
    await sim.invoke('forgetful', { n: 2 })
    expect(log).toEqual(['handler 1 at 0', 'handler 2 at 60000', 'side effect at 60000'])
  })

  it('the event names the invocation that left the work, the environment and the count, on the stream and the timeline', async () => {
    const sim = createSimulator()
    const log: string[] = []
    const seen: SimEvent[] = []
    sim.on('work-left-running', (e) => seen.push(e))
    forgetfulFunction(sim, log)
    const first = await sim.invoke('forgetful', { n: 1 })
    const entries = sim.timeline.ofType('work-left-running')
    expect(entries).toEqual([
      {
        type: 'work-left-running',
        time: T0,
        requestId: first.requestId,
        functionName: 'forgetful',
        version: '$LATEST',
        environment: 1,
        pending: 1,
        message: `forgetful (${first.requestId}): the handler returned while 1 pending task (virtual timers) was still running; Lambda freezes that work with execution environment 1 and it resumes in the next invocation there`,
      },
    ])
    expect(seen).toEqual(entries)
    // The entry comes between the attempt's start and its finish.
    const types = sim.timeline.forRequest(first.requestId).map((e) => e.type)
    expect(types).toEqual(['attempt-started', 'work-left-running', 'attempt-finished'])
  })

  it('a timer not yet due when the environment thaws resumes on the virtual clock within the next invocation', async () => {
    const sim = createSimulator()
    const log: string[] = []
    forgetfulFunction(sim, log)
    await sim.invoke('forgetful', { n: 1 }) // timer due at 1000
    await sim.invoke('forgetful', { n: 2, hang: 2000 }) // thaws at 0, runs until 2000
    expect(log).toEqual(['handler 1 at 0', 'handler 2 at 0', 'side effect at 1000'])
    expect(sim.now() - T0).toBe(2000)
  })

  it('a timeout discards the frozen work: it never happens', async () => {
    const sim2 = createSimulator({ realTimeGraceMs: 20 })
    const log2: string[] = []
    sim2.createFunction(
      'leaky',
      async (e: { n: number }) => {
        log2.push(`handler ${e.n} at ${sim2.now() - T0}`)
        if (e.n === 1) void sim2.sleep(5000).then(() => log2.push(`side effect at ${sim2.now() - T0}`))
        if (e.n === 2) await sim2.sleep(60_000)
        return e.n
      },
      { timeout: 3 },
    )
    await sim2.invoke('leaky', { n: 1 }) // timer due at 5000, frozen
    const timedOut = await sim2.invoke('leaky', { n: 2 }) // thaws it, times out at 3000
    expect(timedOut.payload).toMatchObject({ errorType: 'Sandbox.Timedout' })
    expect(sim2.now() - T0).toBe(3000)
    await sim2.advanceBy(60_000)
    await sim2.invoke('leaky', { n: 3 })
    expect(log2).toEqual(['handler 1 at 0', 'handler 2 at 0', 'handler 3 at 63000'])
    expect(sim2.timeline.ofType('attempt-started').map((e) => e.coldStart)).toEqual([true, false, true])
  })
})

describe('strict mode: strict.leftoverWork', () => {
  it('the forgotten await fails the test at the invoke: "handler returned before awaiting 1 pending task"', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    let saved = 0
    sim.createFunction('save', async () => {
      void sim.sleep(100).then(() => saved++)
      return 'ok'
    })
    const error = await sim.invoke('save', {}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SimulatorError)
    expect(error).toMatchObject({ code: 'LeftoverWork' })
    expect((error as Error).message).toMatch(/^save \([0-9a-f-]{36}\): handler returned before awaiting 1 pending task \(virtual timer due in 100ms\)\. /)
    expect(saved).toBe(0)
  })

  it('counts several tasks in the plural, and an async invocation fails the next runUntilIdle', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    sim.createFunction('fanout', async () => {
      void sim.sleep(100)
      void sim.sleep(200)
      return 'ok'
    })
    await sim.invoke('fanout', {}, 'Event')
    await expect(sim.runUntilIdle()).rejects.toThrow(/handler returned before awaiting 2 pending tasks \(virtual timers due in 100ms and 200ms\)\./)
    // Reported once: the next drive succeeds.
    await expect(sim.runUntilIdle()).resolves.toBeUndefined()
  })

  it('the LeftoverWork message says when each forgotten virtual timer was due, so the test author can tell which one it is', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    sim.createFunction('fanout', async () => {
      await sim.sleep(50)
      void sim.sleep(1_500)
      void sim.sleep(100)
      return 'ok'
    })
    const { requestId } = await sim.invoke('fanout', {}, 'Event')
    await expect(sim.runUntilIdle()).rejects.toThrow(
      new SimulatorError(
        'LeftoverWork',
        `fanout#1 (${requestId}): handler returned before awaiting 2 pending tasks (virtual timers due in 100ms and 1.5s). On AWS that work is frozen and runs during a later invocation, if any. Await it (or turn off strict.leftoverWork).`,
      ),
    )
  })

  it('the awaited version passes; callbackWaitsForEmptyEventLoop = false (asking for the freeze) is not reported', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    sim.createFunction('careful', async () => {
      await sim.sleep(100)
      return 'ok'
    })
    sim.createFunction('callback', (_e: unknown, context: SimContext, callback: (err: Error | null, r: unknown) => void) => {
      context.callbackWaitsForEmptyEventLoop = false
      void sim.sleep(100)
      callback(null, 'done')
    })
    expect((await sim.invoke('careful', {})).payload).toBe('ok')
    expect((await sim.invoke('callback', {})).payload).toBe('done')
    expect(sim.timeline.ofType('work-left-running')).toHaveLength(1)
  })

  it('is off by default (the work is frozen and reported, not thrown) and validates its option', async () => {
    const sim = createSimulator()
    sim.createFunction('save', async () => {
      void sim.sleep(100)
      return 'ok'
    })
    expect((await sim.invoke('save', {})).payload).toBe('ok')
    expect(() => createSimulator({ strict: { leftoverWork: 'yes' as unknown as boolean } })).toThrow('Invalid option strict.leftoverWork: expected true or false, got "yes"')
    expect(() => createSimulator({ strict: { leftover: true } as never })).toThrow('Unknown option "leftover" for strict; allowed: leftoverWork')
  })
})
