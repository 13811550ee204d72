import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { internals } from '../src/simulator.js'

describe("the simulator's ISO timestamps (written out instead of Date#toISOString)", () => {
  it('equal Date#toISOString for any instant, years 0001 to 9999 and beyond', () => {
    const sim = internals(createSimulator())
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), fc.integer({ min: -8.64e15, max: 8.64e15 })), (ms) => {
        expect(sim.iso(ms)).toBe(new Date(ms).toISOString())
      }),
      { numRuns: 2000 },
    )
  })

  it('pad every field: 2026-01-01T00:00:00.000Z, 0999-12-31T23:59:59.999Z, 1000-02-03T04:05:06.007Z, 9999-12-31T23:59:59.090Z', () => {
    const sim = internals(createSimulator())
    const instants = ['2026-01-01T00:00:00.000Z', '0999-12-31T23:59:59.999Z', '1000-02-03T04:05:06.007Z', '9999-12-31T23:59:59.090Z']
    expect(instants.map((s) => sim.iso(Date.parse(s)))).toEqual(instants)
  })
})
