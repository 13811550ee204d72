import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { throttleBackoffMs } from '../src/async-invocations.js'

describe('async throttle backoff (spec §5, §14 item 13)', () => {
  it('each wait is between half and all of min(1 s × 2^n, 300 s), to the millisecond, and never below AWS\'s first interval of 1 s', () => {
    const draws = [0, 0.5, 0.999999]
    const waits = (n: number) => draws.map((u) => throttleBackoffMs(n, { next: () => u }))
    expect(waits(0)).toEqual([1000, 1000, 1000])
    expect(waits(1)).toEqual([1000, 1500, 2000])
    expect(waits(3)).toEqual([4000, 6000, 8000])
    expect(waits(8)).toEqual([128_000, 192_000, 256_000])
    expect(waits(9)).toEqual([150_000, 225_000, 300_000])
    expect(waits(30)).toEqual([150_000, 225_000, 300_000])
  })

  it('without jitter the waits double exactly: 1, 2, 4 … 256, then 300 s', () => {
    expect(Array.from({ length: 11 }, (_, n) => throttleBackoffMs(n, undefined) / 1000)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300])
  })

  it('the jittered waits come from the seed: the same seed gives the same throttle timeline', async () => {
    const run = async (seed: number) => {
      const sim = createSimulator({ seed })
      sim.createFunction('slow', async () => sim.sleep(30_000), { timeout: 60 })
      sim.putFunctionConcurrency('slow', 1)
      for (let i = 0; i < 3; i++) await sim.invoke('slow', {}, 'Event')
      await sim.runUntilIdle()
      return sim.timeline.ofType('throttled').map((e) => e.delayMs)
    }
    const a = await run(1)
    expect(await run(1)).toEqual(a)
    expect(await run(2)).not.toEqual(a)
    expect(a.every((d) => d !== undefined && d >= 1_000 && d <= 300_000)).toBe(true)
  })

  /** 1,000 events against reserved concurrency 10 and 2 s handlers: the terminal conditions and when it ended. */
  async function herd(options: { throttleJitter?: boolean }) {
    const sim = createSimulator({ recordTimeline: false, ...options })
    sim.createFunction('work', async () => {
      await sim.sleep(2_000)
      return 'done'
    })
    sim.putFunctionConcurrency('work', 10)
    const outcomes = new Map<string, number>()
    sim.on('terminal', (e) => outcomes.set(e.condition, (outcomes.get(e.condition) ?? 0) + 1))
    for (let i = 0; i < 1_000; i++) await sim.invoke('work', { i }, 'Event')
    await sim.runUntilIdle()
    return { outcomes: Object.fromEntries(outcomes), elapsedMs: sim.now() - Date.parse('2026-01-01T00:00:00Z') }
  }

  it('a throttled herd drains at the concurrency limit: 1,000 events, reserved concurrency 10, 2 s handlers all succeed', async () => {
    const { outcomes, elapsedMs } = await herd({})
    expect(outcomes).toEqual({ Success: 1_000 })
    // 1,000 events × 2 s / 10 slots = 200 s of work; the jittered backoff keeps the slots busy.
    expect(elapsedMs).toBeLessThan(30 * 60_000)
  })

  it('with throttleJitter: false the same herd comes back all at once, 10 per wave, and 210 events run out of event age', async () => {
    const { outcomes } = await herd({ throttleJitter: false })
    expect(outcomes).toEqual({ Success: 790, EventAgeExceeded: 210 })
  })
})
