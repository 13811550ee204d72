import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { encodeS3Key } from '../src/triggers/bucket-notifications.js'

describe('trigger invariants', () => {
  it('rate(n minutes) over any span fires exactly at creation + k·n minutes, each fire one async invocation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 600 }), async (n, spanMinutes) => {
        const sim = createSimulator()
        const t0 = sim.now()
        const fn = sim.createFunction('tick', async () => null)
        sim.createSchedule({ expression: `rate(${n} minute${n === 1 ? '' : 's'})`, target: fn })
        await sim.advanceBy(spanMinutes * 60_000)
        const times = sim.timeline.ofType('attempt-started').map((e) => (e.time - t0) / 60_000)
        const expected = Array.from({ length: Math.floor(spanMinutes / n) + 1 }, (_, k) => k * n)
        expect(times).toEqual(expected)
        expect(sim.timeline.ofType('accepted')).toHaveLength(expected.length)
      }),
      { numRuns: 40 },
    )
  })

  it('an encoded S3 key decodes back to the key with decodeURIComponent(key.replace(/\\+/g, " ")) and never contains a space', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (key) => {
        const encoded = encodeS3Key(key)
        expect(encoded).not.toContain(' ')
        expect(decodeURIComponent(encoded.replace(/\+/g, ' '))).toBe(key)
      }),
      { numRuns: 300 },
    )
  })
})
