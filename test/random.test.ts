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
