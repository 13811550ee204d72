import { IdempotencyConfig, IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError, IdempotencyRecordStatus, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence'
import type { Context } from 'aws-lambda'
import fc from 'fast-check'
import { afterEach, describe, expect, test } from 'vitest'
import { createSimulator } from '../src/index.js'
import { checkIdempotency, expectAttempts, expectOutcome } from '../src/testing/index.js'

/** Powertools' persistence contract, in memory (the same conditions as its DynamoDB layer). */
class MemoryPersistenceLayer extends BasePersistenceLayer {
  readonly items = new Map<string, IdempotencyRecord>()

  protected async _getRecord(key: string): Promise<IdempotencyRecord> {
    const record = this.items.get(key)
    if (record === undefined) throw new IdempotencyItemNotFoundError('Item does not exist in persistence store')
    return record
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.items.get(record.idempotencyKey)
    if (existing !== undefined) {
      const now = Date.now()
      const expired = existing.expiryTimestamp !== undefined && existing.expiryTimestamp < now / 1000
      const inProgressExpired = existing.getStatus() === IdempotencyRecordStatus.INPROGRESS && existing.inProgressExpiryTimestamp !== undefined && existing.inProgressExpiryTimestamp < now
      if (!expired && !inProgressExpired) throw new IdempotencyItemAlreadyExistsError(`Failed to put record for already existing idempotency key: ${record.idempotencyKey}`, existing)
    }
    this.items.set(record.idempotencyKey, record)
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.items.set(record.idempotencyKey, record)
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.items.delete(record.idempotencyKey)
  }
}

type Order = { orderId: string; amount: number }

/** The side effect: charge a card (recorded), made idempotent per orderId by Powertools. */
function chargeHandler(store: { layer: MemoryPersistenceLayer; charges: string[] }, expiresAfterSeconds = 3600, paymentApiMs = 0) {
  return makeIdempotent(
    async (event: Order, _context: Context) => {
      if (paymentApiMs > 0) await new Promise((resolve) => setTimeout(resolve, paymentApiMs))
      store.charges.push(`${event.orderId}:${event.amount}`)
      return { charged: event.amount }
    },
    { persistenceStore: store.layer, config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId', expiresAfterSeconds }) },
  )
}

const start = Date.parse('2026-01-01T00:00:00.000Z')
let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

describe('Powertools idempotency (@aws-lambda-powertools/idempotency) under lambda-sim', () => {
  test('checkIdempotency passes a handler wrapped by makeIdempotent: retries after the charge and duplicates charge once', async () => {
    const result = await checkIdempotency((store: { layer: MemoryPersistenceLayer; charges: string[] }) => chargeHandler(store), {
      events: fc.record({ orderId: fc.constantFrom('o-1', 'o-2', 'o-3'), amount: fc.constant(25) }),
      setup: () => ({ layer: new MemoryPersistenceLayer(), charges: [] }),
      state: (store) => [...store.charges].sort(),
      virtualGlobals: true,
      numRuns: 60,
      seed: 2026,
    })
    expect(result.numRuns).toBe(60)
  })

  test('the same check fails without makeIdempotent (control)', async () => {
    const plain = (store: { charges: string[] }) => async (event: Order) => {
      store.charges.push(`${event.orderId}:${event.amount}`)
    }
    await expect(
      checkIdempotency(plain, { events: fc.record({ orderId: fc.constant('o-1'), amount: fc.constant(25) }), setup: () => ({ charges: [] as string[] }), state: (s) => s.charges, numRuns: 50, seed: 1 }),
    ).rejects.toThrow('the handler is not idempotent')
  })

  test('a duplicate delivered while the first attempt is still running fails with IdempotencyAlreadyInProgressError; the card is charged once', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const store = { layer: new MemoryPersistenceLayer(), charges: [] as string[] }
    // The payment API takes 200 ms: a duplicate 50 ms after acceptance finds the record INPROGRESS.
    sim.createFunction('charge', chargeHandler(store, 3600, 200))
    const { requestId } = await sim.invoke('charge', { orderId: 'o-9', amount: 40 }, 'Event')
    sim.deliverDuplicate(requestId, { when: 'now', delayMs: 50 })
    sim.deliverDuplicate(requestId, { delayMs: 1_000 })
    await sim.runUntilIdle()
    expect(store.charges).toEqual(['o-9:40'])
    const finished = sim.timeline.ofType('attempt-finished').map((e) => `${e.time - start} ${e.duplicate === true ? 'dup' : 'orig'} ${e.outcome}${e.errorType === undefined ? '' : ` ${e.errorType}`}`)
    expect(finished).toEqual(['50 dup error IdempotencyAlreadyInProgressError', '200 orig success', '1200 dup success'])
    expectOutcome(sim, requestId).is('Success')
  })

  test('a retry after the charge succeeded but the attempt failed returns the stored result without charging again', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const store = { layer: new MemoryPersistenceLayer(), charges: [] as string[] }
    const idempotent = chargeHandler(store)
    let attempt = 0
    const results: unknown[] = []
    sim.createFunction('charge', async (event: Order, context: Context) => {
      const r = await idempotent(event, context)
      results.push(r)
      if (++attempt === 1) throw new Error('the receipt email failed')
      return r
    })
    const { requestId } = await sim.invoke('charge', { orderId: 'o-1', amount: 10 }, 'Event')
    await sim.runUntilIdle()
    expectAttempts(sim, requestId).at([0, 60_000]).outcomes(['error', 'success'])
    expect(store.charges).toEqual(['o-1:10'])
    expect(results).toEqual([{ charged: 10 }, { charged: 10 }])
  })

  test('the expiry window (expiresAfterSeconds) follows virtual time: within it a duplicate is absorbed, after it the charge runs again', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const store = { layer: new MemoryPersistenceLayer(), charges: [] as string[] }
    sim.createFunction('charge', chargeHandler(store, 60))
    await sim.invoke('charge', { orderId: 'o-7', amount: 5 })
    const record = [...store.layer.items.values()][0] as IdempotencyRecord
    expect(record.expiryTimestamp).toBe(start / 1000 + 60)
    await sim.advanceBy(59_000)
    await sim.invoke('charge', { orderId: 'o-7', amount: 5 })
    expect(store.charges).toEqual(['o-7:5'])
    await sim.advanceBy(2_000) // now 61 s after the first charge: the record has expired
    const { requestId } = await sim.invoke('charge', { orderId: 'o-7', amount: 5 }, 'Event')
    sim.deliverDuplicate(requestId, { delayMs: 30_000 })
    sim.deliverDuplicate(requestId, { delayMs: 61_000 })
    await sim.runUntilIdle()
    // Charged again after expiry; the duplicate 30 s later is absorbed; the one 61 s later charges a third time.
    expect(store.charges).toEqual(['o-7:5', 'o-7:5', 'o-7:5'])
    expect(sim.now()).toBe(start + 61_000 + 61_000)
  })

  test('a handler that times out leaves an INPROGRESS record: with virtual globals its retry 60 s later finds it expired and succeeds; with the real Date the retries meet IdempotencyAlreadyInProgressError (docs/testing.md)', async () => {
    const run = async (virtual: boolean): Promise<{ condition: string | undefined; attempts: string[] }> => {
      const sim = createSimulator()
      restore = virtual ? sim.useVirtualGlobals() : undefined
      try {
        let first = true
        const handler = makeIdempotent(
          async (event: Order, _context: Context) => {
            if (first) {
              first = false
              await sim.sleep(10_000) // past the 3 s timeout
            }
            return { charged: event.amount }
          },
          { persistenceStore: new MemoryPersistenceLayer(), config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }) },
        )
        sim.createFunction('charge', handler, { timeout: 3 })
        const { requestId } = await sim.invoke('charge', { orderId: 'o-9', amount: 5 }, 'Event')
        await sim.runUntilIdle()
        return {
          condition: sim.timeline.ofType('terminal').find((t) => t.requestId === requestId)?.condition,
          attempts: sim.timeline.ofType('attempt-finished').map((a) => a.errorType ?? a.outcome),
        }
      } finally {
        restore?.()
        restore = undefined
      }
    }
    expect(await run(true)).toEqual({ condition: 'Success', attempts: ['Sandbox.Timedout', 'success'] })
    expect(await run(false)).toEqual({ condition: 'RetriesExhausted', attempts: ['Sandbox.Timedout', 'IdempotencyAlreadyInProgressError', 'IdempotencyAlreadyInProgressError'] })
  })
})
