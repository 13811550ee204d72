import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { attemptStarts, errorJson, fixedError, sec, T0, terminalOf, trace } from './helpers/async-dest.js'

describe('asynchronous invocation: acceptance and request ids', () => {
  it('an Event invoke answers 202 at once and runs nothing until the clock is driven', async () => {
    const sim = createSimulator()
    let runs = 0
    sim.createFunction('f', async () => {
      runs++
    })
    const r = await sim.invoke('f', { a: 1 }, 'Event')
    expect(r).toEqual({ statusCode: 202, requestId: r.requestId })
    expect(runs).toBe(0)
    await sim.runUntilIdle()
    expect(runs).toBe(1)
    expect(sim.now()).toBe(T0)
  })

  it('every attempt of one event carries the same awsRequestId', async () => {
    const sim = createSimulator()
    const seen: string[] = []
    sim.createFunction('f', async (_e: unknown, ctx: { awsRequestId: string }) => {
      seen.push(ctx.awsRequestId)
      throw fixedError('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(seen).toEqual([requestId, requestId, requestId])
  })
})

describe('asynchronous invocation: function-error retries', () => {
  it('a handler that fails every time runs at t = 0, 60 and 180 s, then RetriesExhausted with count 3', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60, 180])
    expect(trace(sim, ['attempt-started', 'retry-scheduled', 'terminal'])).toEqual([
      'attempt-started@0',
      'retry-scheduled@0',
      'attempt-started@60',
      'retry-scheduled@60',
      'attempt-started@180',
      'terminal@180',
    ])
    expect(sim.timeline.ofType('retry-scheduled').map((e) => [e.attempt, e.delayMs, sec(e.retryAt)])).toEqual([
      [2, 60_000, 60],
      [3, 120_000, 180],
    ])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 })
    expect(sim.now()).toBe(T0 + 180_000)
  })

  it('a synchronous throw counts as a function error', async () => {
    const sim = createSimulator()
    sim.createFunction('f', () => {
      throw fixedError('sync boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60, 180])
    expect(sim.timeline.ofType('attempt-finished').map((e) => [e.outcome, e.errorType, e.errorMessage])).toEqual(Array(3).fill(['error', 'Error', 'sync boom']))
  })

  it('a rejected promise counts as a function error', async () => {
    const sim = createSimulator()
    sim.createFunction('f', () => Promise.reject(fixedError('rejected', 'TypeError')))
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60, 180])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 })
  })

  it('a timeout counts as a function error: a 3 s timeout gives attempts at 0, 63 and 186 s', async () => {
    const sim = createSimulator()
    sim.createFunction(
      'f',
      async () => {
        await sim.sleep(10_000)
      },
      { timeout: 3 },
    )
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 63, 186])
    const finished = sim.timeline.ofType('attempt-finished')
    expect(finished.map((e) => [sec(e.time), e.outcome, e.errorType])).toEqual([
      [3, 'timeout', 'Sandbox.Timedout'],
      [66, 'timeout', 'Sandbox.Timedout'],
      [189, 'timeout', 'Sandbox.Timedout'],
    ])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3, time: T0 + 189_000 })
  })

  it('an unserialisable result counts as a function error', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      const cyclic: Record<string, unknown> = {}
      cyclic['self'] = cyclic
      return cyclic
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60, 180])
    expect(sim.timeline.ofType('attempt-finished').map((e) => e.errorMessage)).toEqual(Array(3).fill('Unable to stringify response body'))
  })

  it('a handler that fails twice then succeeds ends with Success and approximateInvokeCount 3 at t = 180 s', async () => {
    const sim = createSimulator()
    let n = 0
    sim.createFunction('f', async () => {
      if (++n < 3) throw fixedError('flaky')
      return 'ok'
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'Success', approximateInvokeCount: 3, time: T0 + 180_000 })
  })

  for (const [retries, starts] of [
    [0, [0]],
    [1, [0, 60]],
    [2, [0, 60, 180]],
  ] as const) {
    it(`maximumRetryAttempts ${retries} gives ${retries + 1} attempt(s) at ${starts.join(', ')} s`, async () => {
      const sim = createSimulator()
      sim.createFunction('f', async () => {
        throw fixedError('boom')
      })
      sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: retries })
      const { requestId } = await sim.invoke('f', {}, 'Event')
      await sim.runUntilIdle()
      expect(attemptStarts(sim, requestId)).toEqual([...starts])
      expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: retries + 1, time: T0 + (starts.at(-1) as number) * 1000 })
    })
  }
})

describe('asynchronous invocation: maximum event age', () => {
  it('age 60 s: EventAgeExceeded right after the first failure, count 1, with the last response', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('failures')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: q } } })
    const { requestId } = await sim.invoke('f', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0])
    expect(trace(sim, ['attempt-finished', 'retry-scheduled', 'expired', 'terminal'])).toEqual(['attempt-finished@0', 'expired@0', 'terminal@0'])
    expect(sim.timeline.ofType('expired')[0]).toEqual({ type: 'expired', time: T0, requestId, functionName: 'f', ageMs: 0, maximumEventAgeMs: 60_000, nextAttemptWouldBeAt: T0 + 60_000 })
    expect(q.messages.map((m) => m.body)).toEqual([
      `{"version":"1.0","timestamp":"2026-01-01T00:00:00.000Z","requestContext":{"requestId":"${requestId}","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","condition":"EventAgeExceeded","approximateInvokeCount":1},"requestPayload":{"n":1},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":${errorJson('boom')}}`,
    ])
  })

  it('age 90 s: one retry at 60 s, then EventAgeExceeded at 60 s with count 2 (the 120 s wait would pass the age)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 90 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 2, time: T0 + 60_000 })
  })

  it('the look-ahead uses >=: age 180 s gives up after the second attempt rather than retrying at exactly 180 s', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 180 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 2 })
  })

  it('age 181 s lets the third attempt run at 180 s', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 181 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60, 180])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 })
  })
})

describe('asynchronous invocation: configuration changes reach queued events', () => {
  it('lowering maximumRetryAttempts while a retry waits ends the event at the retry instant without running it', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(10_000)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1, time: T0 + 60_000 })
  })

  it('raising maximumRetryAttempts while a retry waits gives the event its extra retry', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(30_000)
    sim.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 2 })
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0, 60, 180])
  })

  it('lowering maximumEventAgeInSeconds while a retry waits expires the event when it is next dequeued', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(10_000)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60 })
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 1, time: T0 + 60_000 })
    expect(sim.timeline.ofType('expired')[0]).toMatchObject({ ageMs: 60_000, maximumEventAgeMs: 60_000 })
  })

  it('an on-failure destination set while the event waits receives its record', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('late')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(100_000)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: q.arn } } })
    await sim.runUntilIdle()
    expect(q.messages).toHaveLength(1)
    expect(q.messages[0]?.sentTimestamp).toBe(T0 + 180_000)
  })
})

describe('asynchronous invocation: the event stream and assertIdle', () => {
  it('the stream emits accepted, attempt-started, attempt-finished, retry-scheduled and terminal with virtual times', async () => {
    const sim = createSimulator({ recordTimeline: false })
    const seen: string[] = []
    const off = sim.on('invocation', (e) => seen.push(`${e.type}@${sec(e.time)}`))
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    off()
    expect(seen).toEqual(['accepted@0', 'attempt-started@0', 'attempt-finished@0', 'retry-scheduled@0', 'attempt-started@60', 'attempt-finished@60', 'terminal@60'])
    expect(sim.timeline.length).toBe(0)
  })

  it('the stream emits throttled and expired too, with virtual times', async () => {
    const sim = createSimulator({ throttleJitter: false, recordTimeline: false })
    const seen: string[] = []
    sim.on('invocation', (e) => {
      if (e.type === 'throttled' || e.type === 'expired' || e.type === 'terminal') seen.push(`${e.type}@${sec(e.time)}`)
    })
    sim.createFunction('f', async () => 'ok')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60 })
    sim.faults.inject({ functionName: 'f', count: 10 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(seen).toEqual(['throttled@0', 'throttled@1', 'throttled@3', 'throttled@7', 'throttled@15', 'throttled@31', 'expired@31', 'terminal@31'])
  })

  it('sim.on(type) delivers only that type', async () => {
    const sim = createSimulator()
    const terminals: unknown[] = []
    sim.on('terminal', (e) => terminals.push(e))
    sim.createFunction('f', async () => 'ok')
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(terminals).toEqual([{ type: 'terminal', time: T0, requestId, functionName: 'f', condition: 'Success', approximateInvokeCount: 1 }])
  })

  it('assertIdle lists a queued event and a waiting retry, then passes once the event is done', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    expect(() => sim.assertIdle()).toThrow(`The simulator is not idle at 2026-01-01T00:00:00.000Z; 1 pending:\n  2026-01-01T00:00:00.000Z: first attempt of f (${requestId})`)
    await sim.advanceBy(1000)
    expect(() => sim.assertIdle()).toThrow(`The simulator is not idle at 2026-01-01T00:00:01.000Z; 1 pending:\n  2026-01-01T00:01:00.000Z: retry 1 of f (${requestId})`)
    await sim.runUntilIdle()
    expect(() => sim.assertIdle()).not.toThrow()
  })

  it('the simulator counts Invocations and Errors per attempt', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.metrics).toMatchObject({ invocations: 3, errors: 3, throttles: 0 })
  })
})
