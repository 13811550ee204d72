import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { describe, expect, test } from 'vitest'
import { createSimulator, SimulatorError, type Simulator } from '../src/index.js'
import { lambdaClientConfig, simulatorRequestHandler } from '../src/sdk/index.js'

/**
 * A `send` the handler does not await, through a client the application built from
 * `lambdaClientConfig(sim)` (or with `simulatorRequestHandler(sim)`) and no `sendTracking`: the
 * simulator does not see the send start, so the attempt's `work-left-running` does not count it. The
 * request reaches the request handler within microtasks after the attempt ended, still in that
 * attempt's async context: it is held, frozen with the environment, until the environment is next
 * invoked (or never), like the tracked case, and an `unawaited-sdk-request` warning names it
 * (docs/sdk.md, "A send the handler does not await").
 *
 * The first test of this file makes the first SDK request of its process (vitest runs each file in
 * its own process): its first run must match the later ones byte for byte.
 */

const START = Date.parse('2026-01-01T00:00:00.000Z')
const at = (t: number): number => t - START

function fireAndForget(sim: Simulator, client: LambdaClient, worked: number[]): void {
  sim.createFunction('worker', async () => {
    worked.push(at(sim.now()))
  })
  sim.createFunction('api', async () => {
    void client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: '{}' }))
    return 'ok'
  })
}

async function twoInvocations(options: { strict?: boolean } = {}): Promise<{ sim: Simulator; worked: number[] }> {
  const sim = createSimulator(options.strict === true ? { strict: { leftoverWork: true } } : {})
  const worked: number[] = []
  fireAndForget(sim, new LambdaClient(lambdaClientConfig(sim)), worked)
  await sim.invoke('api', {})
  await sim.runUntilIdle()
  await sim.advanceBy(60_000)
  await sim.invoke('api', {})
  await sim.runUntilIdle()
  return { sim, worked }
}

describe('an un-awaited send through a client without sendTracking', () => {
  test('is held, frozen with the environment, and sent when the environment is next invoked (+60 s); the timeline is byte for byte the same on every run, the first request of the process included', async () => {
    const runs: string[] = []
    for (let i = 0; i < 4; i++) {
      const { sim, worked } = await twoInvocations()
      expect(worked).toEqual([60_000])
      expect(sim.timeline.ofType('accepted').map((e) => [e.functionName, at(e.time)])).toEqual([['worker', 60_000]])
      runs.push(JSON.stringify(sim.timeline.toJSON()))
    }
    expect(new Set(runs).size).toBe(1)
  })

  test('an unawaited-sdk-request warning names the request id and function of the attempt that sent it, the environment, and the request', async () => {
    const { sim } = await twoInvocations()
    const apiRequests = sim.timeline.ofType('attempt-started').filter((e) => e.functionName === 'api').map((e) => e.requestId)
    const warnings = sim.timeline.ofType('warning')
    expect(warnings.map((w) => [w.kind, at(w.time), w.requestId, w.functionName])).toEqual([
      ['unawaited-sdk-request', 0, apiRequests[0], 'api'],
      ['unawaited-sdk-request', 60_000, apiRequests[1], 'api'],
    ])
    expect(warnings[0]?.message).toBe(
      `api (${apiRequests[0]}): an SDK request (POST /2015-03-31/functions/worker/invocations) reached the simulator after the handler returned without awaiting it. ` +
        'Lambda freezes it with execution environment 1: it goes out when that environment is next invoked, if ever. ' +
        'The client has no sendTracking(sim), so the attempt\'s work-left-running did not count it. Await the send.',
    )
    // The attempt's own work-left-running was decided when it ended, before the request arrived.
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
  })

  test('the same through requestHandler: simulatorRequestHandler(sim) alone (its first request may wait for real file I/O: held when it arrives)', async () => {
    const sim = createSimulator()
    const worked: number[] = []
    fireAndForget(sim, new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1, requestHandler: simulatorRequestHandler(sim) }), worked)
    // Without lambdaClientConfig's pinned settings the SDK may read the shared config files first: wait for the request itself.
    const arrived = new Promise<string>((resolve) => sim.on('warning', (w) => resolve(w.kind)))
    await sim.invoke('api', {})
    expect(await arrived).toBe('unawaited-sdk-request')
    await sim.advanceBy(60_000)
    expect(worked).toEqual([])
    await sim.invoke('api', {})
    await sim.runUntilIdle()
    expect(worked).toEqual([60_000])
  })

  test('an environment that is never invoked again never sends it (retired by updateFunctionCode)', async () => {
    const sim = createSimulator()
    const worked: number[] = []
    fireAndForget(sim, new LambdaClient(lambdaClientConfig(sim)), worked)
    await sim.invoke('api', {})
    await sim.runUntilIdle()
    sim.updateFunctionCode('api', async () => 'v2')
    await sim.invoke('api', {})
    await sim.advanceBy(600_000)
    expect(worked).toEqual([])
    expect(sim.timeline.ofType('accepted')).toEqual([])
  })

  test('strict.leftoverWork fails the invoke whose handler left it: LeftoverWork naming the request', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    fireAndForget(sim, new LambdaClient(lambdaClientConfig(sim)), [])
    const failure = await sim.invoke('api', {}).then(() => undefined, (e: unknown) => e)
    expect(failure).toBeInstanceOf(SimulatorError)
    expect((failure as SimulatorError).code).toBe('LeftoverWork')
    const id = sim.timeline.ofType('attempt-started')[0]?.requestId
    expect((failure as Error).message).toBe(
      `api (${id}): handler returned before awaiting an SDK request (POST /2015-03-31/functions/worker/invocations), sent through a client without sendTracking(sim). ` +
        'On AWS that work is frozen and runs during a later invocation, if any. Await it (or turn off strict.leftoverWork).',
    )
  })

  test('a callback handler that sets callbackWaitsForEmptyEventLoop = false asks for the freeze: the request is held and warned about, and strict mode does not fail', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    const client = new LambdaClient(lambdaClientConfig(sim))
    const worked: number[] = []
    sim.createFunction('worker', async () => {
      worked.push(at(sim.now()))
    })
    sim.createFunction('api', (_event: unknown, context: { callbackWaitsForEmptyEventLoop: boolean }, callback: (error: null, result: string) => void) => {
      context.callbackWaitsForEmptyEventLoop = false
      void client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: '{}' }))
      callback(null, 'ok')
    })
    await expect(sim.invoke('api', {})).resolves.toMatchObject({ statusCode: 200, payload: 'ok' })
    await sim.runUntilIdle()
    expect(worked).toEqual([])
    expect(sim.timeline.ofType('warning').map((e) => [e.kind, at(e.time)])).toEqual([['unawaited-sdk-request', 0]])
    await sim.advanceBy(60_000)
    await expect(sim.invoke('api', {})).resolves.toMatchObject({ payload: 'ok' })
    await sim.runUntilIdle()
    // The first request goes out when the environment is next invoked; the second is held in its turn.
    expect(worked).toEqual([60_000])
  })

  test('an awaited send through the same client is neither held nor warned about', async () => {
    const sim = createSimulator({ strict: { leftoverWork: true } })
    const client = new LambdaClient(lambdaClientConfig(sim))
    sim.createFunction('worker', async () => {})
    sim.createFunction('api', async () => {
      await client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: '{}' }))
      return 'ok'
    })
    await sim.invoke('api', {})
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('accepted').map((e) => at(e.time))).toEqual([0])
    expect(sim.timeline.ofType('warning')).toEqual([])
  })
})
