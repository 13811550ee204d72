import { describe, expect, it } from 'vitest'
import { createSimulator, type Delivery, type Destination } from '../src/index.js'

describe('an async destination is work in flight at its instant', () => {
  it('virtual time does not move while deliver() awaits real I/O: the delivery is recorded at the terminal instant', async () => {
    const sim = createSimulator()
    const seenAt: number[] = []
    const slow: Destination = {
      arn: 'arn:aws:sqs:us-east-1:123456789012:slow',
      async deliver(_d: Delivery) {
        await new Promise((resolve) => setImmediate(resolve)) // real I/O stand-in
        seenAt.push(sim.now())
      },
    }
    sim.createFunction('f', async () => {
      throw new Error('x')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: slow } } })
    sim.createFunction('later', async () => 'ok')
    const start = sim.now()
    await sim.invoke('f', {}, 'Event')
    await sim.invoke('later', {}, 'Event')
    await sim.advanceBy(10_000)
    expect(seenAt).toEqual([start])
    const delivered = sim.timeline.ofType('delivered')
    expect(delivered.map((e) => e.time - start)).toEqual([0])
  })

  it('a deliver() that never settles is reported after the real-time grace and does not stop the clock', async () => {
    const sim = createSimulator({ realTimeGraceMs: 20 })
    const stuck: Destination = { arn: 'arn:aws:sqs:us-east-1:123456789012:stuck', deliver: () => new Promise(() => {}) }
    sim.createFunction('f', async () => 'ok')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: stuck } } })
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(60_000)
    expect(sim.now() - sim.timeline.startTime).toBe(60_000)
    const warnings = sim.timeline.ofType('warning').map((w) => [w.kind, w.message])
    expect(warnings).toEqual([
      ['stuck-sink', `delivery of ${sim.timeline.ofType('accepted')[0]?.requestId} to arn:aws:sqs:us-east-1:123456789012:stuck: the destination's deliver() did not settle within the real-time grace period; virtual time moves on without it`],
    ])
  })
})
