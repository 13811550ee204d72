import { describe, expect, it } from 'vitest'
import { createSimulator, invoke, type InvocationRecord } from '../src/index.js'

// The README's examples, line for line, with their comments turned into assertions.
describe('README examples', () => {
  it('first example: a failing handler runs at 0, 60 and 180 s and ends RetriesExhausted with an on-failure record', async () => {
    const handler = async () => {
      throw new Error('payment service unavailable')
    }
    const r = await invoke(handler, { orderId: 'o-1' }, 'Event', { onFailure: true })

    expect(r.attempts.map((a) => a.offsetMs)).toEqual([0, 60_000, 180_000])
    expect(r.outcome).toEqual({ condition: 'RetriesExhausted', approximateInvokeCount: 3, offsetMs: 180_000 })
    expect(r.records.onFailure[0]?.requestContext.condition).toBe('RetriesExhausted')
  })

  it('simulator example: two attempts of a 2 s handler, the record on the queue after five virtual minutes, then idle', async () => {
    const sim = createSimulator({ seed: 1, startTime: '2026-01-01T00:00:00Z' })
    const failed = sim.createQueue('orders-failed')
    const orders = sim.createFunction(
      'orders',
      async (event: { amount: number }) => {
        await sim.sleep(2_000)
        if (event.amount > 100) throw new Error('limit exceeded')
        return { ok: true }
      },
      { timeout: 3 },
    )
    sim.putFunctionEventInvokeConfig({ functionName: 'orders', maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: failed } } })

    const ack = await sim.invoke(orders, { amount: 500 }, 'Event')
    expect(ack.statusCode).toBe(202)
    await sim.advanceBy(5 * 60_000)
    const record = failed.bodies[0] as InvocationRecord
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 2 })
    expect(record.timestamp).toBe('2026-01-01T00:01:04.000Z')
    expect(sim.now()).toBe(Date.parse('2026-01-01T00:05:00Z'))
    expect(() => sim.assertIdle()).not.toThrow()
  })
})
