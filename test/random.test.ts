import fc from 'fast-check'
import { customRandom } from 'nanoid'
import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { SeededRandom } from '../src/internal/random.js'

describe('SeededRandom.id (nanoid customRandom over the seeded bytes)', () => {
  it("gives nanoid customRandom's id for the same seed, alphabet and size, and leaves the generator in the same state", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.oneof(fc.constantFrom('0123456789abcdef', '01', 'abc', '0123456789', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'), fc.string({ minLength: 1, maxLength: 256, unit: 'binary' })),
        fc.integer({ min: 0, max: 80 }),
        (seed, alphabet, size) => {
          const ours = new SeededRandom(seed)
          const reference = new SeededRandom(seed)
          const expected = customRandom(alphabet, size, (n) => reference.bytes(n))()
          expect(ours.id(alphabet, size)).toBe(expected)
          expect(ours.uint32()).toBe(reference.uint32())
        },
      ),
      { numRuns: 300 },
    )
  })

  it('names the first log streams of seeds 1 and 42 as lambda-sim 0.1.0 did with nanoid', async () => {
    const names: unknown[] = []
    for (const seed of [1, 42]) {
      const sim = createSimulator({ seed })
      const r = await sim.invoke(async (_e: unknown, context: { logStreamName: string }) => context.logStreamName, {})
      names.push(r.payload)
    }
    expect(names).toEqual(['2026/01/01/[$LATEST]7dd22f7305622703bde201f81c76776b', '2026/01/01/[$LATEST]8a4a8865d28d6defdd789d7d58d02508'])
  })
})

describe('SeededRandom.uint32', () => {
  /** sfc32 as lambda-sim 0.1.0 wrote it, on unsigned words in plain numbers (the generator keeps int32 words in a typed array). */
  function referenceDraws(seed: number, n: number): number[] {
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    let a = next()
    let b = next()
    let c = next()
    let d = next()
    const out: number[] = []
    for (let i = 0; i < 12 + n; i++) {
      const t = (((a + b) >>> 0) + d) >>> 0
      d = (d + 1) >>> 0
      a = b ^ (b >>> 9)
      b = (c + (c << 3)) >>> 0
      c = (((c << 21) | (c >>> 11)) + t) >>> 0
      if (i >= 12) out.push(t)
    }
    return out
  }

  it('draws the same unsigned words as the reference sfc32 for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (seed) => {
        const r = new SeededRandom(seed)
        const ours = Array.from({ length: 300 }, () => r.uint32())
        expect(ours).toEqual(referenceDraws(seed, 300))
      }),
      { numRuns: 200 },
    )
  })
})
