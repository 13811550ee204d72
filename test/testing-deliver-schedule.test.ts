import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createSimulator } from '../src/index.js'
import { deliverSchedule, deliverySchedule, expectOutcome, type DeliverySchedule } from '../src/testing/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

/** A deposit handler that is not idempotent: every run adds the amount again. */
function bank(): { balances: Map<string, number>; handler: (e: { account: string; amount: number }) => Promise<void> } {
  const balances = new Map<string, number>()
  return {
    balances,
    handler: async (e) => {
      balances.set(e.account, (balances.get(e.account) ?? 0) + e.amount)
    },
  }
}

describe('deliverSchedule: a schedule delivered to your own simulator, as checkIdempotency delivers it', () => {
  test('a failure injected after the handler ran is retried 60 s later, so a non-idempotent deposit is applied twice; request ids come back in the schedule order', async () => {
    const sim = createSimulator({ seed: 7 })
    const { balances, handler } = bank()
    const schedule: DeliverySchedule<{ account: string; amount: number }> = {
      deliveries: [
        { event: { account: 'a', amount: 5 }, acceptAtMs: 1000, failures: [], duplicates: [] },
        { event: { account: 'b', amount: 10 }, acceptAtMs: 0, failures: [{ attempt: 1, kind: 'error', phase: 'after' }], duplicates: [] },
      ],
    }
    const { functionName, requestIds } = await deliverSchedule(sim, handler, schedule)
    expect(functionName).toBe('handler')
    expect(requestIds).toHaveLength(2)
    expect(Object.fromEntries(balances)).toEqual({ a: 5, b: 20 })
    expectOutcome(sim, requestIds[0] as string).is('Success')
    expectOutcome(sim, requestIds[1] as string).is('Success')
    const b = sim.timeline.ofType('attempt-finished').filter((a) => a.requestId === requestIds[1])
    expect(b.map((a) => [a.attempt, a.outcome, a.errorType, a.time - T0])).toEqual([
      [1, 'error', 'InjectedFailure', 0],
      [2, 'success', undefined, 60_000],
    ])
    expect(sim.timeline.ofType('accepted').map((a) => [a.requestId, a.time - T0])).toEqual([
      [requestIds[1], 0],
      [requestIds[0], 1000],
    ])
  })

  test('a failure before the handler runs leaves no side effect; a timeout failure hangs until the function timeout; a duplicate after success runs the handler again, unfailed', async () => {
    const sim = createSimulator({ seed: 7 })
    const { balances, handler } = bank()
    const { requestIds } = await deliverSchedule(
      sim,
      handler,
      {
        deliveries: [
          { event: { account: 'a', amount: 1 }, acceptAtMs: 0, failures: [{ attempt: 1, kind: 'error', phase: 'before' }, { attempt: 2, kind: 'timeout', phase: 'before' }], duplicates: [{ when: 'after-success', delayMs: 500 }] },
        ],
      },
      { timeout: 5, functionName: 'deposit' },
    )
    const id = requestIds[0] as string
    const attempts = sim.timeline.ofType('attempt-finished').filter((a) => a.requestId === id)
    expect(attempts.map((a) => [a.attempt, a.duplicate === true, a.outcome, a.time - T0])).toEqual([
      [1, false, 'error', 0],
      [2, false, 'timeout', 65_000],
      [3, false, 'success', 185_000],
      [4, true, 'success', 185_500],
    ])
    // Applied by the third attempt and again by the duplicate.
    expect(balances.get('a')).toBe(2)
    expect(sim.timeline.ofType('accepted').map((a) => a.functionName)).toEqual(['deposit'])
  })

  test('maximumRetryAttempts is the function\'s: with 0 a failed first attempt ends RetriesExhausted', async () => {
    const sim = createSimulator()
    const { handler } = bank()
    const { requestIds } = await deliverSchedule(sim, handler, { deliveries: [{ event: { account: 'a', amount: 1 }, acceptAtMs: 0, failures: [{ attempt: 1, kind: 'error', phase: 'after' }], duplicates: [] }] }, { maximumRetryAttempts: 0 })
    expectOutcome(sim, requestIds[0] as string).is('RetriesExhausted')
  })

  test('acceptAtMs counts from the call, not from the simulator\'s start', async () => {
    const sim = createSimulator()
    await sim.advanceBy(90_000)
    const { handler } = bank()
    await deliverSchedule(sim, handler, { deliveries: [{ event: { account: 'a', amount: 1 }, acceptAtMs: 250, failures: [], duplicates: [] }] })
    expect(sim.timeline.ofType('accepted').map((a) => a.time - T0)).toEqual([90_250])
  })

  test('a callback handler is called with its callback, as Lambda would', async () => {
    const sim = createSimulator()
    const seen: number[] = []
    const handler = (e: { n: number }, _c: unknown, cb: (err: Error | null, r?: unknown) => void): void => {
      seen.push(e.n)
      cb(null, 'ok')
    }
    const { requestIds } = await deliverSchedule(sim, handler, { deliveries: [{ event: { n: 1 }, acceptAtMs: 0, failures: [], duplicates: [] }] })
    expect(seen).toEqual([1])
    expectOutcome(sim, requestIds[0] as string).is('Success')
  })

  test('the same schedule and seed give the same timeline, byte for byte', async () => {
    const run = async (): Promise<string> => {
      const sim = createSimulator({ seed: 11 })
      await deliverSchedule(sim, bank().handler, {
        deliveries: [
          { event: { account: 'a', amount: 1 }, acceptAtMs: 0, failures: [{ attempt: 1, kind: 'error', phase: 'after' }], duplicates: [{ when: 'now', delayMs: 0 }] },
          { event: { account: 'b', amount: 2 }, acceptAtMs: 3, failures: [], duplicates: [] },
        ],
      })
      return sim.timeline.render()
    }
    expect(await run()).toBe(await run())
  })

  test('in a fast-check property over deliverySchedule, the non-idempotent deposit is caught and shrinks to one event with one retry or duplicate', async () => {
    const result = await fc.check(
      fc.asyncProperty(deliverySchedule(fc.record({ account: fc.constant('a'), amount: fc.integer({ min: 1, max: 9 }) })), async (schedule) => {
        const sim = createSimulator()
        const { balances, handler } = bank()
        await deliverSchedule(sim, handler, schedule)
        const expected = schedule.deliveries.reduce((sum, d) => sum + d.event.amount, 0)
        return (balances.get('a') ?? 0) === expected
      }),
      { seed: 42, numRuns: 200 },
    )
    expect(result.failed).toBe(true)
    const [schedule] = result.counterexample as [DeliverySchedule<{ amount: number }>]
    expect(schedule.deliveries).toHaveLength(1)
    const d = schedule.deliveries[0] as DeliverySchedule<{ amount: number }>['deliveries'][number]
    expect(d.failures.filter((f) => f.phase === 'after').length + d.duplicates.length).toBe(1)
  })

  test('bad arguments are refused before anything changes, naming the argument, the value and what is allowed', async () => {
    const sim = createSimulator()
    const ok = { deliveries: [] }
    const h = async (): Promise<void> => {}
    const refusal = async (f: () => Promise<unknown>): Promise<string> => f().then(() => 'accepted', (e: Error) => `${e.name}: ${e.message}`)
    expect(await refusal(() => deliverSchedule({} as never, h, ok))).toBe('TypeError: deliverSchedule: sim must be a simulator from createSimulator(), got {}')
    expect(await refusal(() => deliverSchedule(sim, 'h' as never, ok))).toBe('TypeError: deliverSchedule: handler must be a function, got "h"')
    expect(await refusal(() => deliverSchedule(sim, h, { deliveries: [{ event: 1, acceptAtMs: -1, failures: [], duplicates: [] }] }))).toBe('TypeError: deliverSchedule: schedule: deliveries[0].acceptAtMs must be an integer >= 0 (virtual ms after the start), got -1')
    expect(await refusal(() => deliverSchedule(sim, h, { deliveries: [{ event: 1, acceptAtMs: 0, failures: [{ attempt: 2, kind: 'error', phase: 'after' }], duplicates: [] }] }, { maximumRetryAttempts: 0 }))).toBe(
      'TypeError: deliverSchedule: schedule: deliveries[0].failures has {"attempt":2,"kind":"error","phase":"after"}: expected { attempt: 1 to 1, kind: \'error\' | \'timeout\', phase: \'before\' | \'after\' }',
    )
    expect(await refusal(() => deliverSchedule(sim, h, ok, { maximumRetryAttempts: 3 }))).toBe('RangeError: deliverSchedule: options.maximumRetryAttempts must be an integer from 0 to 2, got 3')
    expect(await refusal(() => deliverSchedule(sim, h, ok, { timeout: 0 }))).toBe('RangeError: deliverSchedule: options.timeout must be an integer from 1 to 900 (seconds), got 0')
    expect(await refusal(() => deliverSchedule(sim, h, ok, { functionName: 7 as never }))).toBe('TypeError: deliverSchedule: options.functionName must be a function name (a string), got 7')
    expect(await refusal(() => deliverSchedule(sim, h, ok, { retries: 1 } as never))).toMatch(/^TypeError: deliverSchedule: unknown option "retries"/)
    // Nothing was created by the refusals (the default name is free); a name in use is the simulator's own refusal.
    expect(() => sim.createFunction('handler', h)).not.toThrow()
    sim.createFunction('taken', h)
    expect(await refusal(() => deliverSchedule(sim, h, ok, { functionName: 'taken' }))).toMatch(/^ResourceConflictException: /)
    expect(sim.timeline.ofType('accepted')).toEqual([])
  })
})
