// Run by test/testing-node-test.test.ts with `node --test` against the built package: node:test fails
// the test any `unhandledRejection` it hears comes from, so an attempt's unhandled rejection, which
// lambda-sim turns into the invocation's error as the Lambda runtime does, must never reach it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSimulator } from 'lambda-sim'

test('node:test: an unhandled rejection in handler code is the invocation error, not a test failure', async () => {
  const sim = createSimulator()
  sim.createFunction('f', async () => {
    void Promise.reject(new Error('background write failed'))
    await sim.sleep(10)
    return 'never'
  })
  const r = await sim.invoke('f', {})
  assert.equal(r.functionError, 'Unhandled')
  assert.equal(r.payload.errorType, 'Runtime.UnhandledPromiseRejection')
  assert.equal(r.payload.errorMessage, 'Error: background write failed')
  await new Promise((resolve) => setImmediate(resolve))
})
