import { describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'

/** Everything observable about a simulator's state, to prove a rejected call changed nothing. */
function snapshot(sim: Simulator): string {
  return JSON.stringify({
    now: sim.now(),
    pending: sim.pending(),
    timeline: sim.timeline.entries,
    concurrency: sim.getFunctionConcurrency('f'),
    config: (() => {
      try {
        return sim.getFunctionEventInvokeConfig({ functionName: 'f' })
      } catch (error) {
        return (error as Error).name
      }
    })(),
  })
}

function setup(): Simulator {
  const sim = createSimulator({ seed: 7 })
  sim.createFunction('f', async (e: unknown) => e)
  return sim
}

const circular: Record<string, unknown> = { a: 1 }
circular['self'] = circular

/** [label, call, expected error name, text the message must contain]. */
const catalogue: [string, (sim: Simulator) => unknown, string, string][] = [
  ['function name with a space', (s) => s.createFunction('bad name', async () => null), 'ValidationException', 'functionName'],
  ['function name of 141 characters', (s) => s.createFunction('x'.repeat(141), async () => null), 'ValidationException', 'functionName'],
  ['empty function name', (s) => s.createFunction('', async () => null), 'ValidationException', 'functionName'],
  ['function name that is not a string', (s) => s.createFunction(42 as never, async () => null), 'SimulatorError', '42'],
  ['handler that is not a function', (s) => s.createFunction('g', 'nope' as never), 'SimulatorError', 'handler'],
  ['duplicate function', (s) => s.createFunction('f', async () => null), 'ResourceConflictException', 'f'],
  ['timeout 0', (s) => s.createFunction('g', async () => null, { timeout: 0 }), 'ValidationException', 'timeout'],
  ['timeout 901', (s) => s.createFunction('g', async () => null, { timeout: 901 }), 'ValidationException', 'timeout'],
  ['memory 127', (s) => s.createFunction('g', async () => null, { memorySize: 127 }), 'ValidationException', 'memorySize'],
  ['malformed ARN', (s) => s.invoke('arn:aws:lambda:us-east-1:12:function:f', {}), 'ValidationException', 'functionName'],
  ['ARN of another service', (s) => s.invoke('arn:aws:sqs:us-east-1:123456789012:f', {}), 'ValidationException', 'functionName'],
  ['unknown function', (s) => s.invoke('nope', {}), 'ResourceNotFoundException', 'nope'],
  ['unknown qualifier', (s) => s.invoke('f', {}, 'RequestResponse', { qualifier: 'prod' }), 'ResourceNotFoundException', 'prod'],
  ['invalid qualifier characters', (s) => s.invoke('f', {}, 'RequestResponse', { qualifier: 'a b' }), 'ValidationException', 'qualifier'],
  ['unknown invocation type', (s) => s.invoke('f', {}, 'Later' as never), 'ValidationException', 'invocationType'],
  ['unknown invoke option', (s) => s.invoke('f', {}, 'RequestResponse', { retries: 3 } as never), 'SimulatorError', 'retries'],
  ['circular payload', (s) => s.invoke('f', circular), 'InvalidRequestContentException', 'circular'],
  ['BigInt payload', (s) => s.invoke('f', { n: 1n }), 'InvalidRequestContentException', 'BigInt'],
  ['function as payload', (s) => s.invoke('f', () => 1), 'InvalidRequestContentException', 'function'],
  ['async payload over 1 MB', (s) => s.invoke('f', 'x'.repeat(1_048_577), 'Event'), 'RequestEntityTooLargeException', 'Event'],
  ['sync payload over 6 MB', (s) => s.invoke('f', 'x'.repeat(6_291_457)), 'RequestEntityTooLargeException', '6291456'],
  ['negative reserved concurrency', (s) => s.putFunctionConcurrency('f', -1), 'ValidationException', 'reservedConcurrentExecutions'],
  ['fractional reserved concurrency', (s) => s.putFunctionConcurrency('f', 1.5), 'SimulatorError', 'reservedConcurrentExecutions'],
  ['reserved concurrency leaving < 100 unreserved', (s) => s.putFunctionConcurrency('f', 901), 'InvalidParameterValueException', '100'],
  ['maximumRetryAttempts 3', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 3 }), 'ValidationException', 'maximumRetryAttempts'],
  ['maximumEventAgeInSeconds 59', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 59 }), 'ValidationException', 'maximumEventAgeInSeconds'],
  ['maximumEventAgeInSeconds 21601', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 21_601 }), 'ValidationException', 'maximumEventAgeInSeconds'],
  ['advanceBy(-1)', (s) => s.advanceBy(-1), 'SimulatorError', '-1'],
  ['advanceBy(NaN)', (s) => s.advanceBy(Number.NaN), 'SimulatorError', 'NaN'],
  ['advanceTo the past', (s) => s.advanceTo('2025-12-31T23:59:59.000Z'), 'SimulatorError', 'backwards'],
  ['sleep(Infinity)', (s) => s.sleep(Number.POSITIVE_INFINITY), 'SimulatorError', 'Infinity'],
  ['advanceTo past the last instant a Date can hold', (s) => s.advanceTo(1e16), 'SimulatorError', 'Invalid advanceTo time 10000000000000000: outside the range of a Date (±8640000000000000 epoch milliseconds)'],
  ['advanceBy that would take the clock past the last instant a Date can hold', (s) => s.advanceBy(8.64e15), 'SimulatorError', 'Invalid advanceBy(8640000000000000): the clock would pass the last instant a Date can hold (+275760-09-13T00:00:00.000Z)'],
  ['sleep that would take the clock past the last instant a Date can hold', (s) => s.sleep(8.64e15), 'SimulatorError', 'Invalid sleep(8640000000000000): the clock would pass the last instant a Date can hold (+275760-09-13T00:00:00.000Z)'],
  ['startTime past the last instant a Date can hold', () => createSimulator({ startTime: -1e16 }), 'SimulatorError', 'Invalid startTime -10000000000000000: outside the range of a Date'],
  ['seed out of range', () => createSimulator({ seed: -1 }), 'SimulatorError', 'seed'],
  ['unknown simulator option', () => createSimulator({ colour: 'blue' } as never), 'SimulatorError', 'colour'],
]

describe('bad input: a clear error and nothing changed', () => {
  it.each(catalogue)('%s', async (_label, call, name, text) => {
    const sim = setup()
    const before = snapshot(sim)
    let error: unknown
    try {
      await call(sim)
    } catch (e) {
      error = e
    }
    expect(error, 'the call must fail').toBeInstanceOf(Error)
    expect((error as Error).name).toBe(name)
    expect((error as Error).message).toContain(text)
    expect(snapshot(sim)).toBe(before)
  })
})

describe('odd but valid input is data, never a crash', () => {
  it('a payload with lone surrogates reaches the handler as JSON.stringify escapes them', async () => {
    const sim = setup()
    const r = await sim.invoke('f', { s: 'a\uD800b\uDC00' })
    expect(r.payload).toEqual({ s: 'a\uD800b\uDC00' })
  })

  it('a __proto__ key is data: the handler receives it and Object.prototype is unchanged', async () => {
    const sim = createSimulator()
    let seen: unknown
    sim.createFunction('p', async (e: Record<string, unknown>) => {
      seen = Object.keys(e)
      return (e as { __proto__?: unknown }).__proto__ === Object.prototype ? 'prototype' : 'data'
    })
    const before = Object.getOwnPropertyNames(Object.prototype).sort().join()
    const r = await sim.invoke('p', JSON.parse('{"__proto__":{"polluted":true},"x":1}'))
    expect(seen).toEqual(['__proto__', 'x'])
    expect(r.payload).toBe('data')
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(before)
  })

  it('a thrown non-Error becomes Lambda\'s typeof payload (errorType "string")', async () => {
    const sim = createSimulator()
    const r = await sim.invoke(async () => {
      throw 'plain string'
    }, {})
    expect(r.functionError).toBe('Unhandled')
    expect(r.payload).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] })
  })

  it('a callback called twice answers with the first call', async () => {
    const sim = createSimulator()
    const r = await sim.invoke((_e: unknown, _c: unknown, cb: (e: unknown, r?: unknown) => void) => {
      cb(null, 'first')
      cb(new Error('second'))
    }, {})
    expect(r.payload).toBe('first')
  })

  it('a result settled after the timeout is ignored: the attempt timed out at the deadline', async () => {
    const sim = createSimulator()
    sim.createFunction('late', async () => {
      await sim.sleep(5_000)
      return 'too late'
    }, { timeout: 1 })
    const r = await sim.invoke('late', {})
    expect(r.payload).toMatchObject({ errorType: 'Sandbox.Timedout' })
    expect(sim.now()).toBe(Date.parse('2026-01-01T00:00:01.000Z'))
    await sim.runUntilIdle()
    expect(sim.pending()).toEqual([])
  })

  it('a callback handler that fails synchronously is still retried by runUntilIdle (60 s, then 120 s)', async () => {
    const sim = createSimulator()
    let calls = 0
    sim.createFunction('cb', (_e: unknown, _c: unknown, cb: (e: Error | null) => void) => {
      calls++
      cb(new Error('no'))
    })
    await sim.invoke('cb', {}, 'Event')
    await sim.runUntilIdle()
    expect(calls).toBe(3)
    expect(sim.now()).toBe(Date.parse('2026-01-01T00:03:00.000Z'))
  })

  it('a throwing sink and a rejecting sink do not disturb the other events', async () => {
    const sim = createSimulator()
    const good = sim.createQueue('good')
    sim.createFunction('ok', async (e: unknown) => e)
    sim.createFunction('bad', async (e: unknown) => e)
    sim.putFunctionEventInvokeConfig({ functionName: 'ok', destinationConfig: { onSuccess: { destination: good.arn } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'bad', destinationConfig: { onSuccess: { destination: { arn: 'arn:aws:sqs:us-east-1:123456789012:throws', deliver: () => { throw new Error('boom') } } } } })
    await sim.invoke('bad', { n: 0 }, 'Event')
    await sim.invoke('ok', { n: 1 }, 'Event')
    await sim.invoke('bad', { n: 2 }, 'Event')
    await sim.invoke('ok', { n: 3 }, 'Event')
    await sim.runUntilIdle()
    expect(good.bodies.map((b) => (b as { requestPayload: unknown }).requestPayload)).toEqual([{ n: 1 }, { n: 3 }])
    expect(sim.metrics.destinationDeliveryFailures).toBe(2)
  })
})
