import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'

const escaped = collectEscapes()

/**
 * Handler code on virtual time (`sim.useVirtualGlobals()`): random plans of `setTimeout`,
 * `setInterval` (cleared after 1–4 ticks), awaited timers, throws and timers left running when the
 * handler returns (frozen with the environment, run when it is next used), in async or callback
 * handlers with a 3 s timeout, invoked `Event` and `RequestResponse` between random clock advances.
 * Invariants: every accepted event has exactly one terminal outcome, nothing is pending at the end,
 * nothing escapes to the process, and the same seed gives the same timeline and the same timer fires
 * (each recorded with its virtual `Date.now()`).
 */
type Step = { kind: 'timeout'; ms: number } | { kind: 'interval'; ms: number; n: number } | { kind: 'await'; ms: number } | { kind: 'throw' } | { kind: 'leave'; ms: number }
type Op = { op: 'invoke'; type: 'Event' | 'RequestResponse'; plan: number } | { op: 'advance'; ms: number }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('timeout' as const), ms: fc.constantFrom(0, 10, 500, 2_000) }),
  fc.record({ kind: fc.constant('interval' as const), ms: fc.constantFrom(5, 100, 700), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('await' as const), ms: fc.constantFrom(0, 100, 1_500, 4_000) }),
  fc.record({ kind: fc.constant('throw' as const) }),
  fc.record({ kind: fc.constant('leave' as const), ms: fc.constantFrom(50, 1_000, 10_000) }),
)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('invoke' as const), type: fc.constantFrom('Event' as const, 'Event' as const, 'RequestResponse' as const), plan: fc.nat(3) }) },
  fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 100, 1_000, 60_000, 300_000) }),
)

async function execute(seed: number, plans: Step[][], ops: Op[], callbackStyle: boolean) {
  const sim = createSimulator({ seed })
  const restore = sim.useVirtualGlobals()
  const fired: string[] = []
  try {
    const run = async (plan: Step[], tag: number): Promise<unknown> => {
      for (const s of plan) {
        if (s.kind === 'timeout') setTimeout(() => fired.push(`t${tag}@${Date.now()}`), s.ms)
        else if (s.kind === 'interval') {
          let k = 0
          const h = setInterval(() => {
            fired.push(`i${tag}@${Date.now()}`)
            if (++k >= s.n) clearInterval(h)
          }, s.ms)
        } else if (s.kind === 'await') await new Promise((r) => setTimeout(r, s.ms))
        else if (s.kind === 'throw') throw new Error(`plan ${tag} throws`)
        else setTimeout(() => fired.push(`left${tag}@${Date.now()}`), s.ms)
      }
      return tag
    }
    sim.createFunction(
      'f',
      callbackStyle
        ? ((e: { plan: number }, _c: unknown, cb: (err: unknown, r?: unknown) => void) => {
            run(plans[e.plan % plans.length] ?? [], e.plan).then((r) => cb(null, r), (err: unknown) => cb(err))
          }) as never
        : (async (e: { plan: number }) => run(plans[e.plan % plans.length] ?? [], e.plan)) as never,
      { timeout: 3 },
    )
    const accepted = new Set<string>()
    for (const op of ops) {
      if (op.op === 'invoke') {
        const r = await sim.invoke('f', { plan: op.plan }, op.type)
        if (op.type === 'Event') accepted.add(r.requestId)
      } else await sim.advanceBy(op.ms)
    }
    await sim.runUntilIdle()
    await sim.advanceBy(3_600_000)
    return { sim, accepted, fired, timeline: JSON.stringify(sim.timeline.entries) }
  } finally {
    restore()
  }
}

describe('fuzz: handler timers on the virtual clock', () => {
  let events = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (timers): ${events} accepted async events, 0 lost`)
  })

  it('every event ends once with timers awaited, left running, frozen and thawed; nothing escapes; same seed, same timeline and fires', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), fc.array(fc.array(stepArb, { maxLength: 5 }), { minLength: 1, maxLength: 4 }), fc.array(opArb, { minLength: 1, maxLength: 15 }), fc.boolean(), async (seed, plans, ops, cbStyle) => {
        const run = await execute(seed, plans, ops, cbStyle)
        events += run.accepted.size
        const terminals = new Map<string, number>()
        for (const e of run.sim.timeline.entries) if (e.type === 'terminal') terminals.set(e.requestId, (terminals.get(e.requestId) ?? 0) + 1)
        for (const id of run.accepted) expect(terminals.get(id), `terminals of ${id}`).toBe(1)
        expect(run.sim.pending()).toEqual([])
        expect(escaped).toEqual([])
        const again = await execute(seed, plans, ops, cbStyle)
        expect(again.timeline).toBe(run.timeline)
        expect(again.fired).toEqual(run.fired)
      }),
      { numRuns: 150 },
    )
  })
})
