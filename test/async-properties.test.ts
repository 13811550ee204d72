import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, type SimEvent } from '../src/index.js'

interface Plan {
  seed: number
  maximumRetryAttempts: number | undefined
  maximumEventAgeInSeconds: number | undefined
  reserved: number | undefined
  faults: number
  /** Per event: when it is sent (s after the previous one) and, per attempt, [fails, duration s]. */
  events: { gapSeconds: number; attempts: [boolean, number][] }[]
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  maximumRetryAttempts: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  maximumEventAgeInSeconds: fc.option(fc.oneof(fc.integer({ min: 60, max: 400 }), fc.constant(21_600)), { nil: undefined }),
  reserved: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  faults: fc.integer({ min: 0, max: 4 }),
  events: fc.array(
    fc.record({
      gapSeconds: fc.integer({ min: 0, max: 90 }),
      attempts: fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 25 })), { minLength: 3, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
})

/** Run one plan; return the timeline and the records the destinations received. */
async function run(plan: Plan): Promise<{ timeline: SimEvent[]; records: string[]; accepted: Map<string, number> }> {
  const sim = createSimulator({ seed: plan.seed })
  const sink = sim.createQueue('outcomes')
  const calls = new Map<number, number>()
  sim.createFunction(
    'f',
    async (e: { i: number }) => {
      const n = calls.get(e.i) ?? 0
      calls.set(e.i, n + 1)
      const [fails, seconds] = plan.events[e.i]?.attempts[n] ?? [false, 0]
      await sim.sleep(seconds * 1000)
      if (fails) throw new Error(`event ${e.i} attempt ${n + 1}`)
      return { i: e.i, n }
    },
    { timeout: 20 },
  )
  if (plan.reserved !== undefined) sim.putFunctionConcurrency('f', plan.reserved)
  const config: Parameters<typeof sim.putFunctionEventInvokeConfig>[0] = { functionName: 'f', destinationConfig: { onSuccess: { destination: sink }, onFailure: { destination: sink } } }
  if (plan.maximumRetryAttempts !== undefined) config.maximumRetryAttempts = plan.maximumRetryAttempts
  if (plan.maximumEventAgeInSeconds !== undefined) config.maximumEventAgeInSeconds = plan.maximumEventAgeInSeconds
  sim.putFunctionEventInvokeConfig(config)
  if (plan.faults > 0) sim.faults.inject({ functionName: 'f', count: plan.faults })
  const accepted = new Map<string, number>()
  for (let i = 0; i < plan.events.length; i++) {
    await sim.advanceBy((plan.events[i]?.gapSeconds ?? 0) * 1000)
    const { requestId } = await sim.invoke('f', { i }, 'Event')
    accepted.set(requestId, sim.now())
  }
  await sim.runUntilIdle()
  sim.assertIdle()
  return { timeline: JSON.parse(JSON.stringify(sim.timeline)) as SimEvent[], records: sink.messages.map((m) => m.body), accepted }
}

describe('async engine invariants (property)', () => {
  it('one terminal outcome per event, attempts ≤ retries + 1, none at or after the maximum age, one record each, same seed → same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const { timeline, records, accepted } = await run(plan)
        const maxAttempts = (plan.maximumRetryAttempts ?? 2) + 1
        const maxAgeMs = (plan.maximumEventAgeInSeconds ?? 21_600) * 1000
        const terminals = timeline.filter((e): e is Extract<SimEvent, { type: 'terminal' }> => e.type === 'terminal')
        expect(terminals.map((t) => t.requestId).sort()).toEqual([...accepted.keys()].sort())
        for (const [requestId, acceptedAt] of accepted) {
          const starts = timeline.filter((e) => e.type === 'attempt-started' && e.requestId === requestId)
          const finishes = timeline.filter((e): e is Extract<SimEvent, { type: 'attempt-finished' }> => e.type === 'attempt-finished' && e.requestId === requestId)
          const terminal = terminals.find((t) => t.requestId === requestId) as Extract<SimEvent, { type: 'terminal' }>
          expect(starts.length).toBeLessThanOrEqual(maxAttempts)
          expect(terminal.approximateInvokeCount).toBe(starts.length)
          for (const s of starts) expect(s.time).toBeLessThan(acceptedAt + maxAgeMs)
          // Success exactly when the last attempt succeeded; otherwise a failure condition.
          const last = finishes.at(-1)
          if (last?.outcome === 'success') expect(terminal.condition).toBe('Success')
          else expect(['RetriesExhausted', 'EventAgeExceeded', 'ZeroReservedConcurrency']).toContain(terminal.condition)
          if (terminal.condition === 'ZeroReservedConcurrency') expect(starts).toHaveLength(0)
          if (terminal.condition === 'RetriesExhausted') expect(starts).toHaveLength(maxAttempts)
        }
        // Every terminal outcome produced exactly one record, with the same condition and count.
        const recordKeys = records.map((r) => {
          const rec = JSON.parse(r) as { requestContext: { requestId: string; condition: string; approximateInvokeCount: number } }
          return `${rec.requestContext.requestId} ${rec.requestContext.condition} ${rec.requestContext.approximateInvokeCount}`
        })
        expect(recordKeys.sort()).toEqual(terminals.map((t) => `${t.requestId} ${t.condition} ${t.approximateInvokeCount}`).sort())
        const again = await run(plan)
        expect(JSON.stringify(again.timeline)).toBe(JSON.stringify(timeline))
        expect(again.records).toEqual(records)
      }),
      { numRuns: 60, seed: 20260101 },
    )
  })

  it('configuration changed while events wait: still one terminal and one record each, and every attempt obeys the config in force when it starts', async () => {
    const changeArb = fc.record({
      atSeconds: fc.integer({ min: 0, max: 400 }),
      maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
      maximumEventAgeInSeconds: fc.integer({ min: 60, max: 400 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 6 }), fc.array(changeArb, { maxLength: 4 }), async (sends, changes) => {
        const sim = createSimulator()
        const sink = sim.createQueue('outcomes')
        sim.createFunction('f', async () => {
          throw new Error('always')
        })
        sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: sink } } })
        const T = sim.now()
        const actions = [...sends.map((s) => ({ at: s, kind: 'send' as const })), ...changes.map((c) => ({ at: c.atSeconds, kind: 'change' as const, c }))].sort((a, b) => a.at - b.at)
        const accepted = new Map<string, number>()
        const applied: { at: number; retries: number; ageMs: number }[] = []
        for (const a of actions) {
          await sim.advanceTo(T + a.at * 1000)
          if (a.kind === 'send') accepted.set((await sim.invoke('f', {}, 'Event')).requestId, sim.now())
          else {
            sim.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: a.c.maximumRetryAttempts, maximumEventAgeInSeconds: a.c.maximumEventAgeInSeconds })
            applied.push({ at: sim.now(), retries: a.c.maximumRetryAttempts, ageMs: a.c.maximumEventAgeInSeconds * 1000 })
          }
        }
        await sim.runUntilIdle()
        const timeline = sim.timeline.entries
        const terminals = sim.timeline.ofType('terminal')
        expect(terminals.map((t) => t.requestId).sort()).toEqual([...accepted.keys()].sort())
        expect(sink.messages).toHaveLength(terminals.length)
        for (const e of sim.timeline.ofType('attempt-started')) {
          if (applied.some((c) => c.at === e.time)) continue
          const inForce = applied.filter((c) => c.at < e.time).at(-1) ?? { retries: 2, ageMs: 21_600_000 }
          expect(e.attempt).toBeLessThanOrEqual(inForce.retries + 1)
          expect(e.time).toBeLessThan((accepted.get(e.requestId) as number) + inForce.ageMs)
        }
        expect(timeline.filter((e) => e.type === 'attempt-started').length).toBe(terminals.reduce((n, t) => n + t.approximateInvokeCount, 0))
      }),
      { numRuns: 60, seed: 7 },
    )
  })
})
