// Run by test/testing-node-test.test.ts with `node --test` against the built package, imported by
// its own name (package self-reference through the "exports" map), as a user of node:test would.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createSimulator } from 'lambda-sim'
import { checkIdempotency, expectAttempts, IdempotencyCheckError } from 'lambda-sim/testing'

const deposits = fc.record({ account: fc.constantFrom('a', 'b') })
const options = { events: deposits, setup: () => new Map(), state: (db) => Object.fromEntries([...db].sort()), seed: 42 }

test('node:test: checkIdempotency catches add-$10 and passes set-to-$30', async () => {
  await assert.rejects(
    checkIdempotency((db) => async (e) => void db.set(e.account, (db.get(e.account) ?? 20) + 10), options),
    (error) => error instanceof IdempotencyCheckError && error.message.includes('replay: { seed: 42, path: '),
  )
  const result = await checkIdempotency((db) => async (e) => void db.set(e.account, 30), { ...options, numRuns: 30 })
  assert.equal(result.numRuns, 30)
})

test('node:test: assertion helpers throw plain errors', async () => {
  const sim = createSimulator()
  sim.createFunction('f', async () => {
    throw new Error('boom')
  })
  const { requestId } = await sim.invoke('f', {}, 'Event')
  await sim.runUntilIdle()
  expectAttempts(sim, requestId).at([0, 60_000, 180_000])
  assert.throws(() => expectAttempts(sim, requestId).count(1), { name: 'AssertionError' })
})
