// Run by test/audit-testing.test.ts with `node --test` against the built package, imported by its own
// name, as a team on node:test would: virtual globals, strict mode, assertions, a deterministic timeline.
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { createSimulator } from 'lambda-sim'
import { expectAttempts, expectEveryEventSettled, expectOutcome } from 'lambda-sim/testing'

let restore
afterEach(() => {
  restore?.()
  restore = undefined
})

test('node:test: virtual Date and timers in handler code, restored after', async () => {
  const realDate = Date
  const realSetTimeout = setTimeout
  const sim = createSimulator()
  restore = sim.useVirtualGlobals()
  sim.createFunction('f', async () => {
    await new Promise((r) => setTimeout(r, 5_000))
    await new Promise((r) => setImmediate(r))
    return Date.now()
  }, { timeout: 10 })
  const r = await sim.invoke('f', {})
  assert.equal(r.payload, Date.parse('2026-01-01T00:00:05.000Z'))
  restore()
  restore = undefined
  assert.equal(Date, realDate)
  assert.equal(setTimeout, realSetTimeout)
})

test('node:test: strict leftover work rejects with LeftoverWork', async () => {
  const sim = createSimulator({ strict: { leftoverWork: true } })
  sim.createFunction('f', async () => {
    void sim.sleep(100)
  })
  await assert.rejects(sim.invoke('f', {}), { name: 'SimulatorError', code: 'LeftoverWork' })
})

test('node:test: assertions and a deterministic timeline', async () => {
  const story = async () => {
    const sim = createSimulator({ seed: 5 })
    sim.createFunction('f', async () => {
      throw new Error('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    return { sim, requestId }
  }
  const a = await story()
  const b = await story()
  expectAttempts(a.sim, a.requestId).at([0, 60_000, 180_000]).outcomes(['error', 'error', 'error'])
  expectOutcome(a.sim, a.requestId).is('RetriesExhausted')
  expectEveryEventSettled(a.sim)
  assert.throws(() => expectOutcome(a.sim, a.requestId).is('Success'), { name: 'AssertionError', message: /at \+3m0s after acceptance/ })
  assert.equal(a.sim.timeline.render(), b.sim.timeline.render())
  assert.equal(JSON.stringify(a.sim.timeline.entries), JSON.stringify(b.sim.timeline.entries))
})
