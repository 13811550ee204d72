import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { activityStorage } from '../src/scheduler.js'

// A handler starts in its attempt's async context through `enterWith` on the microtask that calls
// it (src/attempt.ts, startNext). These check that the context ends with that microtask, including
// for the first attempt in a process, when the AsyncLocalStorage hooks are turned on.
describe('the attempt async context', () => {
  it('ends with the attempt: test code after the first invoke in a process runs in no attempt', async () => {
    const sim = createSimulator()
    const seen: unknown[] = []
    const r = await sim.invoke(async () => {
      seen.push(activityStorage.getStore()?.label)
      return 'ok'
    }, {})
    expect(r.payload).toBe('ok')
    expect(seen).toEqual([expect.stringMatching(/^handler \(/)])
    expect(activityStorage.getStore()).toBeUndefined()
    const later = await Promise.all([
      new Promise((resolve) => setImmediate(() => resolve(activityStorage.getStore()))),
      new Promise((resolve) => process.nextTick(() => resolve(activityStorage.getStore()))),
      new Promise((resolve) => setTimeout(() => resolve(activityStorage.getStore()), 0)),
      Promise.resolve().then(() => activityStorage.getStore()),
    ])
    expect(later).toEqual([undefined, undefined, undefined, undefined])
  })

  it('carries the attempt across the handler\'s awaits and into the attempts it starts, and no further', async () => {
    const sim = createSimulator()
    const labels: (string | undefined)[] = []
    sim.createFunction('inner', async () => {
      labels.push(activityStorage.getStore()?.label)
      return 1
    })
    sim.createFunction('outer', async () => {
      labels.push(activityStorage.getStore()?.label)
      await sim.sleep(1000)
      labels.push(activityStorage.getStore()?.label)
      await sim.invoke('inner', {})
      labels.push(activityStorage.getStore()?.label)
      return 2
    })
    await sim.invoke('outer', {}, 'Event')
    await sim.runUntilIdle()
    expect(labels.map((l) => l?.replace(/ \(.*\)$/, ''))).toEqual(['outer#1', 'outer#1', 'inner', 'outer#1'])
    expect(activityStorage.getStore()).toBeUndefined()
  })
})
