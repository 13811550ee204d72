// The example of docs/sdk.md, kept running.
import { describe, expect, test } from 'vitest'
import { createSimulator } from '../src/index.js'
import { lambdaClientConfig } from '../src/sdk/index.js'
import { createOrderService } from './fixtures/order-service.js'

describe('docs/sdk.md: testing a module that owns its LambdaClient', () => {
  function setup() {
    const sim = createSimulator()
    const receiptFailures = sim.createQueue('receipt-failures')
    sim.createFunction('charge-card', async (order: { id: string; amountCents: number }) => {
      if (order.amountCents > 10_000) throw new Error('Card declined')
      return { chargeId: `ch_${order.id}` }
    })
    let receiptCalls = 0
    sim.createFunction('send-receipt', async () => {
      receiptCalls++
      if (receiptCalls === 1) throw new Error('SMTP unavailable')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'send-receipt', destinationConfig: { onFailure: { destination: receiptFailures } } })
    const service = createOrderService(lambdaClientConfig(sim))
    return { sim, service, receiptFailures, receiptCalls: () => receiptCalls }
  }

  test('a charged order sends its receipt; a failed receipt is retried 60 s later and nothing reaches the failure queue', async () => {
    const { sim, service, receiptFailures, receiptCalls } = setup()
    expect(await service.placeOrder({ id: 'o-1', amountCents: 500 })).toEqual({ status: 'charged', chargeId: 'ch_o-1' })
    await sim.runUntilIdle()
    expect(receiptCalls()).toBe(2)
    expect(sim.timeline.ofType('retry-scheduled').map((e) => e.delayMs)).toEqual([60_000])
    expect(receiptFailures.messages).toHaveLength(0)
  })

  test('a declined card and a throttled charge map to the service’s own statuses', async () => {
    const { sim, service } = setup()
    expect(await service.placeOrder({ id: 'o-2', amountCents: 50_000 })).toEqual({ status: 'declined' })
    sim.putFunctionConcurrency('charge-card', 0)
    expect(await service.placeOrder({ id: 'o-3', amountCents: 500 })).toEqual({ status: 'busy' })
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('accepted')).toHaveLength(0)
  })
})
