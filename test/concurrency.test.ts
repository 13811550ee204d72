import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError } from '../src/index.js'
import { attemptStarts, fixedError, sec, T0, terminalOf } from './helpers/async-dest.js'
import { thrownLambdaError as syncError } from './helpers/errors.js'

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<LambdaError> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (error) {
    if (error instanceof LambdaError) return error
    throw error
  }
  throw new Error('expected a LambdaError')
}

const QUALIFIED = 'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.'
const UNRESERVED_MIN = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."

describe('reserved concurrency API', () => {
  it('put returns the value, get reads it back, delete removes it (get then returns {})', () => {
    const sim = createSimulator()
    const f = sim.createFunction('f', async () => 'ok')
    expect(sim.getFunctionConcurrency('f')).toEqual({})
    expect(sim.putFunctionConcurrency(f, 10)).toEqual({ reservedConcurrentExecutions: 10 })
    expect(sim.getFunctionConcurrency(f.arn)).toEqual({ reservedConcurrentExecutions: 10 })
    sim.deleteFunctionConcurrency('f')
    expect(sim.getFunctionConcurrency('f')).toEqual({})
  })

  it('900 of 1000 may be reserved; 901 leaves fewer than 100 unreserved', () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    expect(sim.putFunctionConcurrency('f', 900)).toEqual({ reservedConcurrentExecutions: 900 })
    const e = syncError(() => sim.putFunctionConcurrency('f', 901))
    expect([e.name, e.statusCode, e.message]).toEqual(['InvalidParameterValueException', 400, UNRESERVED_MIN])
    expect(sim.getFunctionConcurrency('f')).toEqual({ reservedConcurrentExecutions: 900 })
  })

  it('the 100 unreserved minimum counts every function reservation and follows accountConcurrency', () => {
    const sim = createSimulator({ accountConcurrency: 300 })
    sim.createFunction('a', async () => 'ok')
    sim.createFunction('b', async () => 'ok')
    sim.putFunctionConcurrency('a', 150)
    expect(syncError(() => sim.putFunctionConcurrency('b', 51)).message).toBe(UNRESERVED_MIN)
    expect(sim.putFunctionConcurrency('b', 50)).toEqual({ reservedConcurrentExecutions: 50 })
    // Replacing a's own reservation does not count the old value twice.
    expect(sim.putFunctionConcurrency('a', 150)).toEqual({ reservedConcurrentExecutions: 150 })
    sim.deleteFunctionConcurrency('a')
    expect(sim.putFunctionConcurrency('b', 200)).toEqual({ reservedConcurrentExecutions: 200 })
  })

  it('a qualified name (version, alias or $LATEST) is rejected with the functions-only message', () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    for (const ref of ['f:1', 'f:live', 'f:$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:f:1']) {
      for (const call of [() => sim.putFunctionConcurrency(ref, 5), () => sim.getFunctionConcurrency(ref), () => sim.deleteFunctionConcurrency(ref)]) {
        const e = syncError(call)
        expect([e.name, e.statusCode, e.message]).toEqual(['InvalidParameterValueException', 400, QUALIFIED])
      }
    }
  })

  it('a negative value is a ValidationException naming reservedConcurrentExecutions', () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    const e = syncError(() => sim.putFunctionConcurrency('f', -1))
    expect([e.name, e.statusCode, e.message]).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ])
  })

  it('an unknown function is ResourceNotFoundException', () => {
    const sim = createSimulator()
    const e = syncError(() => sim.putFunctionConcurrency('nope', 1))
    expect([e.name, e.statusCode, e.message]).toEqual(['ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST'])
  })
})

describe('synchronous invokes over the limit', () => {
  it('reserved concurrency full → TooManyRequestsException 429 "Rate Exceeded." with the function-level Reason', async () => {
    const sim = createSimulator()
    sim.createFunction(
      'f',
      async () => {
        await sim.sleep(10_000)
        return 'done'
      },
      { timeout: 30 },
    )
    sim.putFunctionConcurrency('f', 1)
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(1000)
    const e = await rejection(sim.invoke('f', {}))
    expect([e.name, e.statusCode, e.message, e.reason, e.type]).toEqual(['TooManyRequestsException', 429, 'Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded', 'User'])
    expect(sim.metrics.throttles).toBe(1)
    await sim.runUntilIdle()
    expect((await sim.invoke('f', {})).payload).toBe('done')
  })

  it('reserved concurrency 0 throttles every sync invoke', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    sim.putFunctionConcurrency('f', 0)
    const e = await rejection(sim.invoke('f', {}))
    expect([e.name, e.statusCode, e.message, e.reason]).toEqual(['TooManyRequestsException', 429, 'Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded'])
  })

  it('the account limit → Reason ConcurrentInvocationLimitExceeded; reserved functions keep their own capacity', async () => {
    const sim = createSimulator({ accountConcurrency: 110 })
    sim.createFunction('busy', async () => {
      await sim.sleep(60_000)
    })
    sim.createFunction('other', async () => 'other')
    sim.createFunction('reserved', async () => 'reserved')
    sim.putFunctionConcurrency('reserved', 10)
    for (let i = 0; i < 100; i++) await sim.invoke('busy', { i }, 'Event')
    await sim.advanceBy(1000)
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(100)
    const e = await rejection(sim.invoke('other', {}))
    expect([e.name, e.statusCode, e.message, e.reason]).toEqual(['TooManyRequestsException', 429, 'Rate Exceeded.', 'ConcurrentInvocationLimitExceeded'])
    expect((await sim.invoke('reserved', {})).payload).toBe('reserved')
  })

  it('reserved concurrency is function-wide: a running version fills the slot for $LATEST and aliases', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      await sim.sleep(5000)
      return 1
    })
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionConcurrency('f', 1)
    await sim.invoke('f:1', {}, 'Event')
    await sim.advanceBy(1)
    expect((await rejection(sim.invoke('f', {}))).reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded')
    expect((await rejection(sim.invoke('f:live', {}))).reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded')
  })
})

describe('reservations change while attempts run', () => {
  it('the shared pool holds exactly accountConcurrency attempts and gets every slot back when they finish', async () => {
    const sim = createSimulator({ accountConcurrency: 100 })
    sim.createFunction('f', async () => sim.sleep(10_000), { timeout: 30 })
    sim.createFunction('g', async () => sim.sleep(10_000), { timeout: 30 })
    await sim.invoke('f', {}, 'Event')
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(1000)
    for (let i = 0; i < 98; i++) await sim.invoke('g', { i }, 'Event')
    await sim.advanceBy(1000)
    expect((await rejection(sim.invoke('g', {}))).reason).toBe('ConcurrentInvocationLimitExceeded')
    await sim.runUntilIdle()
    // Everything finished: the whole pool is free again.
    for (let i = 0; i < 100; i++) await sim.invoke('g', { i }, 'Event')
    await sim.advanceBy(1)
    expect(sim.timeline.ofType('throttled').filter((e) => e.time === sim.now() - 1 && e.invocationType === 'Event')).toEqual([])
    await sim.runUntilIdle()
  })

  it('reserving while attempts run: in-flight attempts count against the new reservation, and the shared pool gets them back', async () => {
    const sim = createSimulator({ accountConcurrency: 200 })
    sim.createFunction('f', async () => sim.sleep(10_000), { timeout: 30 })
    sim.createFunction('g', async () => 'g')
    await sim.invoke('f', {}, 'Event')
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(1000)
    sim.putFunctionConcurrency('f', 1)
    // f has 2 running against a reservation of 1: a third is throttled.
    expect((await rejection(sim.invoke('f', {}))).reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded')
    await sim.runUntilIdle()
    // Both released from the reservation; one f fits again, and the shared pool (199) is intact.
    expect((await sim.invoke('g', {})).payload).toBe('g')
    sim.deleteFunctionConcurrency('f')
    for (let i = 0; i < 200; i++) await sim.invoke('f', { i }, 'Event')
    await sim.advanceBy(1)
    expect(sim.timeline.ofType('attempt-started').filter((e) => e.functionName === 'f' && e.time === sim.now() - 1)).toHaveLength(200)
    await sim.runUntilIdle()
  })
})

describe('asynchronous throttles', () => {
  it('reserved concurrency 0 sends the event straight to failure handling: ZeroReservedConcurrency, count 0, at once', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('failures')
    let runs = 0
    sim.createFunction('f', async () => {
      runs++
    })
    sim.putFunctionConcurrency('f', 0)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: q } } })
    const { requestId } = await sim.invoke('f', { x: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(runs).toBe(0)
    expect(sim.now()).toBe(T0)
    expect(terminalOf(sim, requestId)).toEqual({ type: 'terminal', time: T0, requestId, functionName: 'f', condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 })
    expect(q.messages[0]?.body).toBe(
      `{"version":"1.0","timestamp":"2026-01-01T00:00:00.000Z","requestContext":{"requestId":"${requestId}","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","condition":"ZeroReservedConcurrency","approximateInvokeCount":0},"requestPayload":{"x":1}}`,
    )
  })

  it('10 events against reserved concurrency 1 and a 20 s handler: backoff 1, 2, 4 ... s capped at 300 s', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction(
      'slow',
      async () => {
        await sim.sleep(20_000)
        return 'done'
      },
      { timeout: 60 },
    )
    sim.putFunctionConcurrency('slow', 1)
    const ids: string[] = []
    for (let i = 0; i < 10; i++) ids.push((await sim.invoke('slow', { i }, 'Event')).requestId)
    await sim.runUntilIdle()
    // Each waiting event retries at 1, 3, 7, 15, 31, 63, 127, 255, 511 s and then every 300 s; the
    // slot frees at 20 s after each start, so one event gets in at each of these instants.
    expect(ids.map((id) => attemptStarts(sim, id))).toEqual([[0], [31], [63], [127], [255], [511], [811], [1111], [1411], [1711]])
    const last = ids[9] as string
    expect(sim.timeline.ofType('throttled').filter((e) => e.requestId === last).map((e) => [sec(e.time), (e.delayMs ?? NaN) / 1000])).toEqual([
      [0, 1],
      [1, 2],
      [3, 4],
      [7, 8],
      [15, 16],
      [31, 32],
      [63, 64],
      [127, 128],
      [255, 256],
      [511, 300],
      [811, 300],
      [1111, 300],
      [1411, 300],
    ])
    expect(sim.timeline.ofType('throttled').every((e) => e.reason === 'ReservedFunctionConcurrentInvocationLimitExceeded' && e.invocationType === 'Event')).toBe(true)
    // Throttles never consume retry attempts: every event ran exactly once and succeeded.
    expect(ids.map((id) => terminalOf(sim, id)?.condition)).toEqual(Array(10).fill('Success'))
    expect(ids.map((id) => terminalOf(sim, id)?.approximateInvokeCount)).toEqual(Array(10).fill(1))
    expect(sim.metrics.throttles).toBe(sim.timeline.ofType('throttled').length)
    expect(sim.now()).toBe(T0 + 1731_000)
  })

  it('throttles do not consume retries: a failing handler throttled before its first retry still runs three times', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.faults.inject({ functionName: 'f', from: T0 + 60_000, until: T0 + 70_000 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    // Retry due at 60 s meets the fault window: backoff 1, 2, 4, 8 s → runs at 75 s, then 120 s later.
    expect(attemptStarts(sim, requestId)).toEqual([0, 75, 195])
    expect(sim.timeline.ofType('throttled').map((e) => [sec(e.time), e.reason])).toEqual([
      [60, 'ServiceException'],
      [61, 'ServiceException'],
      [63, 'ServiceException'],
      [67, 'ServiceException'],
    ])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 })
  })

  it('an event throttled until its age runs out expires with count 0 and no response (look-ahead on the backoff)', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const q = sim.createQueue('failures')
    sim.createFunction(
      'f',
      async () => {
        await sim.sleep(600_000)
      },
      { timeout: 900 },
    )
    sim.putFunctionConcurrency('f', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: q } } })
    await sim.invoke('f', { first: true }, 'Event')
    const { requestId } = await sim.invoke('f', { second: true }, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('throttled').filter((e) => e.requestId === requestId).map((e) => sec(e.time))).toEqual([0, 1, 3, 7, 15, 31])
    expect(sim.timeline.ofType('expired').find((e) => e.requestId === requestId)).toEqual({
      type: 'expired',
      time: T0 + 31_000,
      requestId,
      functionName: 'f',
      ageMs: 31_000,
      maximumEventAgeMs: 60_000,
      nextAttemptWouldBeAt: T0 + 63_000,
    })
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 0, time: T0 + 31_000 })
    expect(q.messages[0]?.body).toBe(
      `{"version":"1.0","timestamp":"2026-01-01T00:00:31.000Z","requestContext":{"requestId":"${requestId}","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","condition":"EventAgeExceeded","approximateInvokeCount":0},"requestPayload":{"second":true}}`,
    )
  })
})

describe('injected service faults', () => {
  it('count: the next 2 attempts fail with ServiceException and the event runs at 3 s, count 1', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('f', async () => 'ok')
    sim.faults.inject({ functionName: 'f', count: 2 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('throttled').map((e) => [sec(e.time), e.reason, e.delayMs])).toEqual([
      [0, 'ServiceException', 1000],
      [1, 'ServiceException', 2000],
    ])
    expect(attemptStarts(sim, requestId)).toEqual([3])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 })
    // Service faults are not throttles in the metrics.
    expect(sim.metrics.throttles).toBe(0)
  })

  it('window: attempts starting in [0, 10 s) fail; the event runs at 15 s', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('f', async () => 'ok')
    sim.faults.inject({ from: T0, until: '2026-01-01T00:00:10.000Z' })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('throttled').map((e) => sec(e.time))).toEqual([0, 1, 3, 7])
    expect(attemptStarts(sim, requestId)).toEqual([15])
  })

  it('a TooManyRequestsException fault follows the same path with Reason CallerRateLimitExceeded', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('f', async () => 'ok')
    sim.faults.inject({ count: 1, kind: 'TooManyRequestsException' })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('throttled').map((e) => [sec(e.time), e.reason])).toEqual([[0, 'CallerRateLimitExceeded']])
    expect(attemptStarts(sim, requestId)).toEqual([1])
    expect(sim.metrics.throttles).toBe(1)
  })

  it('a fault on a sync invoke rejects with ServiceException 500; a fault for another function does not apply', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    sim.createFunction('g', async () => 'g')
    sim.faults.inject({ functionName: 'f', count: 1 })
    expect((await sim.invoke('g', {})).payload).toBe('g')
    const e = await rejection(sim.invoke('f', {}))
    expect([e.name, e.statusCode, e.type]).toEqual(['ServiceException', 500, 'Service'])
    expect((await sim.invoke('f', {})).payload).toBe('ok')
  })

  it('bad fault specs are SimulatorErrors naming the field', () => {
    const sim = createSimulator()
    expect(() => sim.faults.inject({ count: 0 })).toThrow('Invalid fault count: expected a positive integer, got 0')
    expect(() => sim.faults.inject({})).toThrow('Invalid fault: give count, a from/until window, or both')
    expect(() => sim.faults.inject({ from: T0 + 10, until: T0 })).toThrow('Invalid fault window: until must be after from')
  })
})
