/**
 * EventBridge and EventBridge Scheduler answers as AWS gives them: exception names and texts from
 * LocalStack's AWS-validated snapshots (tests/aws/services/events/*.snapshot.json,
 * tests/aws/services/scheduler/test_scheduler.snapshot.json) and AWS errors quoted in public issues.
 */
import { describe, expect, it, vi } from 'vitest'
import { createSimulator, LambdaError } from '../src/index.js'

function thrown(call: () => unknown): unknown {
  try {
    call()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

function world() {
  const sim = createSimulator({ startTime: '2026-01-01T00:00:00Z' })
  const runs: unknown[] = []
  const fn = sim.createFunction('f', async (event: unknown) => {
    runs.push(event)
    return null
  })
  const bus = sim.createEventBus('shop')
  return { sim, fn, bus, runs }
}

describe('EventBridge: at most 5 targets per rule', () => {
  it('more than 5 targets per rule: LimitExceededException "The requested resource exceeds the maximum number allowed." (AWS text, no suffix)', () => {
    const { fn, bus } = world()
    const error = thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn, fn, fn, fn, fn, fn] }))
    expect(error).toBeInstanceOf(LambdaError)
    expect(error).toMatchObject({ name: 'LimitExceededException', statusCode: 400, message: 'The requested resource exceeds the maximum number allowed.' })
    expect(bus.rules).toEqual([])
    // Exactly 5 is accepted.
    expect(bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn, fn, fn, fn, fn] }).targets).toHaveLength(5)
  })
})

describe('EventBridge: a refused putRule changes nothing', () => {
  it('a refused first putRule registers no event listener on the bus (validation before registration)', async () => {
    const { sim, fn, bus, runs } = world()
    const seen: string[] = []
    bus.onEvent((e) => seen.push(e.source))
    const onEvent = vi.spyOn(bus, 'onEvent')
    expect(() => bus.putRule({ name: 'bad name', eventPattern: { source: ['x'] }, targets: [fn] })).toThrow(
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    )
    expect(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['missing'] })).toThrow('Function not found')
    expect(bus.rules).toEqual([])
    // Nothing registered: the rules' router is hooked in only by a putRule that succeeds.
    expect(onEvent).not.toHaveBeenCalled()
    // The bus's listeners are the test's own only: one putEvents calls it once and invokes nothing.
    bus.putEvents([{ source: 'x', detailType: 'd', detail: {} }])
    await sim.runUntilIdle()
    expect(seen).toEqual(['x'])
    expect(runs).toEqual([])
    // A later valid putRule routes once per matching event (one listener, not one per attempt).
    bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn] })
    bus.putEvents([{ source: 'x', detailType: 'd', detail: {} }])
    await sim.runUntilIdle()
    expect(runs).toHaveLength(1)
    expect(seen).toEqual(['x', 'x'])
    expect(onEvent).toHaveBeenCalledTimes(1)
    onEvent.mockRestore()
  })
})
