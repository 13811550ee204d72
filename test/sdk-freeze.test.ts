import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { describe, expect, test } from 'vitest'
import { createSimulator, SimulatorError, type Simulator } from '../src/index.js'
import { lambdaClient, lambdaClientConfig, sendTracking } from '../src/sdk/index.js'

/**
 * A `send` the handler does not await before it returns is work left running, like a forgotten
 * `sim.sleep`: Lambda freezes the environment when the handler returns, so the request goes out
 * during the next invocation of that environment, or never (docs/semantics.md, "Triggers and the
 * execution-environment freeze"; docs/sdk.md, "Await every send").
 *
 * The first test of this file is the first SDK request of its process. Before lambdaClientConfig
 * pinned the settings the SDK reads from the shared AWS config files, that request waited for real file
 * I/O (a macrotask turn or more); now every request reaches the simulator within microtasks. The
 * virtual times asserted are the same either way.
 */

const START = Date.parse('2026-01-01T00:00:00.000Z')
const at = (t: number): number => t - START

/** 'api' sends an Event invoke of 'worker' without awaiting it, then returns. */
function fireAndForget(sim: Simulator, client: LambdaClient, worked: number[]): void {
  sim.createFunction('worker', async () => {
    worked.push(at(sim.now()))
  })
  sim.createFunction('api', async (event: { sleepFirst?: number }) => {
    void client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: '{}' }))
    if (event.sleepFirst !== undefined) await sim.sleep(event.sleepFirst)
    return 'ok'
  })
}

/** The run the timeline tests look at: one invocation, a minute of virtual time, a second invocation. */
async function twoInvocations(): Promise<{ sim: Simulator; worked: number[] }> {
  const sim = createSimulator()
  const worked: number[] = []
  fireAndForget(sim, lambdaClient(sim), worked)
  await sim.invoke('api', {})
  await sim.runUntilIdle()
  await sim.advanceBy(60_000)
  await sim.invoke('api', {})
  await sim.runUntilIdle()
  return { sim, worked }
}

describe('the freeze: a send the handler does not await', () => {
  test('an un-awaited send is work left running: frozen when the handler returns and sent when the environment is next invoked, the same on every run', async () => {
    const runs: string[] = []
    for (let i = 0; i < 4; i++) {
      const { sim, worked } = await twoInvocations()
      // The first request is held from +0 to the second invocation, at +60 s; the second one is left
      // running in its turn (and frozen with the environment again).
      expect(worked).toEqual([60_000])
      expect(sim.timeline.ofType('work-left-running').map((e) => [at(e.time), e.environment, e.pending, e.sdkRequests])).toEqual([
        [0, 1, 1, 1],
        [60_000, 1, 1, 1],
      ])
      const accepted = sim.timeline.ofType('accepted')
      expect(accepted.map((e) => [e.functionName, at(e.time)])).toEqual([['worker', 60_000]])
      runs.push(JSON.stringify(sim.timeline.toJSON().map((e) => ({ ...e, requestId: undefined, message: undefined }))))
    }
    // Determinism: the same program gives the same timeline, whether or not the SDK did real I/O first.
    expect(new Set(runs).size).toBe(1)
  })

  test('the event counts SDK requests with virtual timers, names both in its message, and comes between the attempt start and finish', async () => {
    const sim = createSimulator()
    const client = lambdaClient(sim)
    sim.createFunction('worker', async () => {})
    sim.createFunction('both', async () => {
      void sim.sleep(1000)
      void client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event' }))
      void client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event' }))
      return 'ok'
    })
    const r = await sim.invoke('both', {})
    expect(sim.timeline.ofType('work-left-running')).toEqual([
      {
        type: 'work-left-running',
        time: START,
        requestId: r.requestId,
        functionName: 'both',
        version: '$LATEST',
        environment: 1,
        pending: 3,
        sdkRequests: 2,
        message: `both (${r.requestId}): the handler returned while 3 pending tasks (1 virtual timer, 2 SDK requests) were still running; Lambda freezes that work with execution environment 1 and it resumes in the next invocation there`,
      },
    ])
    expect(sim.timeline.forRequest(r.requestId).map((e) => e.type)).toEqual(['attempt-started', 'work-left-running', 'attempt-finished'])
    expect(sim.timeline.render()).toContain('returned with 3 pending tasks (2 SDK requests) frozen in environment 1')
  })

  test('the held request is sent when the environment thaws, at the start of its next invocation, before that invocation ends', async () => {
    const { sim } = await twoInvocations()
    const seq = sim.timeline.toJSON().filter((e) => e.type === 'attempt-started' || e.type === 'attempt-finished' || e.type === 'accepted')
    expect(seq.map((e) => [e.type, e.functionName, at(e.time)])).toEqual([
      ['attempt-started', 'api', 0],
      ['attempt-finished', 'api', 0],
      ['attempt-started', 'api', 60_000],
      ['accepted', 'worker', 60_000],
      ['attempt-finished', 'api', 60_000],
      ['attempt-started', 'worker', 60_000],
      ['attempt-finished', 'worker', 60_000],
    ])
  })

  test('an un-awaited RequestResponse send is frozen the same way: released at +60 s, the worker runs then and the answer reaches the code after the send', async () => {
    const sim = createSimulator()
    const client = lambdaClient(sim)
    const answers: [string, number][] = []
    sim.createFunction('worker', async () => at(sim.now()))
    sim.createFunction('api', async (event: { n: number }) => {
      if (event.n === 1) {
        void client.send(new InvokeCommand({ FunctionName: 'worker' })).then((r) => answers.push([Buffer.from(r.Payload ?? []).toString(), at(sim.now())]))
      }
      return 'ok'
    })
    await sim.invoke('api', { n: 1 })
    await sim.advanceBy(60_000)
    expect(answers).toEqual([])
    await sim.invoke('api', { n: 2 })
    await sim.runUntilIdle()
    expect(answers).toEqual([['60000', 60_000]])
    expect(sim.timeline.ofType('work-left-running').map((e) => [at(e.time), e.sdkRequests])).toEqual([[0, 1]])
    expect(sim.timeline.ofType('attempt-finished').map((e) => [e.functionName, at(e.time)])).toEqual([
      ['api', 0],
      ['api', 60_000],
      ['worker', 60_000],
    ])
  })

  test('an environment that is never invoked again never sends the frozen request (retired by updateFunctionCode)', async () => {
    const sim = createSimulator()
    const worked: number[] = []
    fireAndForget(sim, lambdaClient(sim), worked)
    await sim.invoke('api', {})
    sim.updateFunctionCode('api', async () => 'new code')
    await sim.advanceBy(60_000)
    expect((await sim.invoke('api', {})).payload).toBe('new code')
    await sim.runUntilIdle()
    expect(worked).toEqual([])
    expect(sim.timeline.ofType('attempt-started').map((e) => [e.functionName, e.coldStart])).toEqual([
      ['api', true],
      ['api', true],
    ])
  })

  test('a send the handler leaves running while it is itself still running (parked on the clock) goes out at once, not frozen', async () => {
    const sim = createSimulator()
    const worked: number[] = []
    fireAndForget(sim, lambdaClient(sim), worked)
    await sim.invoke('api', { sleepFirst: 100 })
    await sim.runUntilIdle()
    expect(worked).toEqual([0])
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
    expect(sim.timeline.ofType('attempt-finished').map((e) => [e.functionName, at(e.time)])).toEqual([
      ['worker', 0],
      ['api', 100],
    ])
  })

  test('an awaited send is not work left running and costs no virtual time', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    const client = lambdaClient(sim)
    sim.createFunction('worker', async () => {})
    sim.createFunction('careful', async () => {
      await client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event' }))
      await client.send(new InvokeCommand({ FunctionName: 'worker' }))
      return 'ok'
    })
    expect((await sim.invoke('careful', {})).payload).toBe('ok')
    await sim.runUntilIdle()
    expect(sim.now()).toBe(START)
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
    expect(sim.timeline.ofType('attempt-finished').map((e) => e.functionName)).toEqual(['worker', 'careful', 'worker'])
  })

  test('a send that fails before it reaches the simulator (a missing FunctionName) is not left running', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    const client = lambdaClient(sim)
    const errors: string[] = []
    sim.createFunction('sloppy', async () => {
      client.send(new InvokeCommand({ FunctionName: undefined as unknown as string })).catch((e: Error) => errors.push(e.name))
      await sim.sleep(10)
      return 'ok'
    })
    expect((await sim.invoke('sloppy', {})).payload).toBe('ok')
    expect(errors).toHaveLength(1)
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
  })
})

describe('clients the application builds', () => {
  test('a client built from lambdaClientConfig with sendTracking(sim) freezes an un-awaited send the same way', async () => {
    const sim = createSimulator()
    const client = new LambdaClient(lambdaClientConfig(sim))
    client.middlewareStack.use(sendTracking(sim))
    const worked: number[] = []
    fireAndForget(sim, client, worked)
    await sim.invoke('api', {})
    await sim.advanceBy(60_000)
    await sim.invoke('api', {})
    await sim.runUntilIdle()
    expect(worked).toEqual([60_000])
    expect(sim.timeline.ofType('work-left-running').map((e) => [at(e.time), e.sdkRequests])).toEqual([
      [0, 1],
      [60_000, 1],
    ])
  })

  test('without sendTracking the simulator does not see the send start: no work-left-running event, but an unawaited-sdk-request warning when the request arrives, and strict mode fails on it (docs/sdk.md; test/sdk-untracked-freeze.test.ts)', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    fireAndForget(sim, new LambdaClient(lambdaClientConfig(sim)), [])
    await expect(sim.invoke('api', {})).rejects.toThrow('handler returned before awaiting an SDK request (POST /2015-03-31/functions/worker/invocations), sent through a client without sendTracking(sim)')
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
    expect(sim.timeline.ofType('warning').map((w) => [w.kind, at(w.time), w.functionName])).toEqual([['unawaited-sdk-request', 0, 'api']])
  })
})

describe('sends inside sends', () => {
  test('a callee whose own client has no tracking does not disturb the tracked send that invoked it: the caller finishes at +1 s with no warning', async () => {
    const sim = createSimulator({ realTimeGraceMs: 20 })
    const tracked = lambdaClient(sim)
    const untracked = new LambdaClient(lambdaClientConfig(sim))
    sim.createFunction('c', async () => {})
    sim.createFunction('b', async () => {
      await untracked.send(new InvokeCommand({ FunctionName: 'c', InvocationType: 'Event' }))
      await sim.sleep(1000)
      return 'b done'
    })
    sim.createFunction('a', async () => {
      const r = await tracked.send(new InvokeCommand({ FunctionName: 'b' }))
      return Buffer.from(r.Payload ?? []).toString()
    })
    expect((await sim.invoke('a', {})).payload).toBe('"b done"')
    expect(sim.now()).toBe(START + 1000)
    expect(sim.timeline.ofType('warning')).toEqual([])
  })
})

describe('a handler\'s request that never reaches the simulator', () => {
  test('is given up after the real-time grace with a stuck-handler warning naming it; virtual time then moves on', async () => {
    const sim = createSimulator({ realTimeGraceMs: 20 })
    const client = lambdaClient(sim)
    // A middleware of the application's that never calls on: the request never reaches the simulator.
    client.middlewareStack.add(() => () => new Promise(() => undefined), { step: 'build', name: 'hangs' })
    const worked: number[] = []
    fireAndForget(sim, client, worked)
    const r = await sim.invoke('api', {})
    expect(r.payload).toBe('ok')
    const warnings = sim.timeline.ofType('warning')
    expect(warnings.map((e) => [e.kind, at(e.time), e.message])).toEqual([
      ['stuck-handler', 0, `SDK request sent by api (${r.requestId}): the request did not reach the simulator within the real-time grace period; virtual time moves on without it`],
    ])
    expect(sim.timeline.ofType('work-left-running').map((e) => e.sdkRequests)).toEqual([1])
    await sim.advanceBy(1000)
    expect(sim.now()).toBe(START + 1000)
    expect(worked).toEqual([])
  })
})

describe('strict mode: strict.leftoverWork and un-awaited sends', () => {
  test('an un-awaited send fails the test at the invoke: "handler returned before awaiting 1 pending task"', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    const worked: number[] = []
    fireAndForget(sim, lambdaClient(sim), worked)
    const error = await sim.invoke('api', {}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SimulatorError)
    expect(error).toMatchObject({ code: 'LeftoverWork' })
    expect((error as Error).message).toMatch(
      /^api \([0-9a-f-]{36}\): handler returned before awaiting 1 pending task \(an SDK request\)\. On AWS that work is frozen and runs during a later invocation, if any\. Await it \(or turn off strict\.leftoverWork\)\.$/,
    )
    await sim.runUntilIdle()
    expect(worked).toEqual([])
  })
})
