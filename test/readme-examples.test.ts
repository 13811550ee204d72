import { readFileSync } from 'node:fs'
import type { Context } from 'aws-lambda'
import { describe, expect, expectTypeOf, it } from 'vitest'
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

  it('invoke(): DryRun resolves { statusCode: 204, requestId } without running the handler, as the README says', async () => {
    let ran = false
    const r = await invoke(async () => {
      ran = true
    }, { orderId: 'o-1' }, 'DryRun')
    expect(r).toEqual({ statusCode: 204, requestId: expect.any(String) as string })
    expect(ran).toBe(false)
  })

  it('invoke(): a handler that forgot async answers null and the result lists the ignored-return-value warning, as the README says', async () => {
    const lookup = (e: { json: string }, ctx: Context) => JSON.parse(e.json)   // eslint-disable-line @typescript-eslint/no-unused-vars
    const r = await invoke(lookup, { json: '{"status":"SHIPPED"}' })
    expect(r.payload).toBeNull()
    expect(r.warnings?.[0]?.kind).toBe('ignored-return-value')
    expect(r.warnings?.[0]?.message).toBe(`lookup (${r.requestId}): the handler returned a non-promise value, which Lambda ignores (the response is null); make the handler async or use the callback`)
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

  it('typed handles: sim.invoke(orders, event) types the payload as the handler\'s result and refuses an event of the wrong type (checked by tsc)', async () => {
    const sim = createSimulator()
    const orders = sim.createFunction('orders', async (e: { amount: number }) => ({ ok: e.amount <= 100 }))
    const res = await sim.invoke(orders, { amount: 50 })
    expectTypeOf(res.payload).toEqualTypeOf<{ ok: boolean } | undefined>()
    expect(res.payload).toEqual({ ok: true })
    // @ts-expect-error Type 'string' is not assignable to type 'number'
    await sim.invoke(orders, { amount: '50' })
    expectTypeOf(res.executedVersion).toEqualTypeOf<string>()
    expect(res.executedVersion).toBe('$LATEST')
  })

  it('typed invoke: a RequestResponse result has executedVersion: string, so counts[r.executedVersion] compiles; the one-line invoke checks its event the same way (checked by tsc)', async () => {
    const sim = createSimulator()
    const orders = sim.createFunction('orders', async (e: { amount: number }) => ({ ok: e.amount <= 100 }))
    const counts: Record<string, number> = {}
    const r = await sim.invoke(orders, { amount: 1 })
    counts[r.executedVersion] = (counts[r.executedVersion] ?? 0) + 1
    expect(counts).toEqual({ $LATEST: 1 })
    expectTypeOf((await sim.invoke(orders, { amount: 1 }, 'Event')).executedVersion).toEqualTypeOf<string | undefined>()
    const one = await invoke(async (e: { amount: number }) => e.amount, { amount: 2 })
    expectTypeOf(one.executedVersion).toEqualTypeOf<string>()
    expect(one.payload).toBe(2)
    // @ts-expect-error Type 'string' is not assignable to type 'number'
    await invoke(async (e: { amount: number }) => e.amount, { amount: '50' })
    await sim.runUntilIdle()
  })
})

describe('README: find the bug that retries and duplicates cause', () => {
  it('checkIdempotency catches add-$10 and prints a replayable seed and path; set-to-$30 passes', async () => {
    const { default: fc } = await import('fast-check')
    const { checkIdempotency } = await import('../src/testing/index.js')
    const deposit = (db: Map<string, number>) => async (e: { account: string }) => {
      db.set(e.account, (db.get(e.account) ?? 20) + 10)
    }
    const options = {
      events: fc.record({ account: fc.constantFrom('a', 'b') }),
      setup: () => new Map<string, number>(),
      state: (db: Map<string, number>) => Object.fromEntries([...db].sort()),
    }
    const error = await checkIdempotency(deposit, options).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(error?.message).toMatch(/differs from the state after exactly-once delivery: the handler is not idempotent/)
    expect(error?.message).toMatch(/Replay it: {2}checkIdempotency\(handler, \{ \.\.\.options, replay: \{ seed: -?\d+, path: "[\d:]+" \} \}\)/)
    // The message the README prints, with seed 42, line for line up to the timeline.
    const seeded = await checkIdempotency(deposit, { ...options, seed: 42 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(seeded?.name).toBe('IdempotencyCheckError')
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const printed = /\n```\n(checkIdempotency: the state after delivery[^`]*?)\n```/.exec(readme)?.[1]
    expect(printed).toBeDefined()
    expect(seeded?.message.startsWith(`${printed ?? ''}\n`)).toBe(true)
    // docs/testing.md prints the same message with the start of its timeline, up to its '...'.
    const testingDoc = readFileSync(new URL('../docs/testing.md', import.meta.url), 'utf8')
    const printedWithTimeline = /\n```\n(checkIdempotency: the state after delivery[^`]*?)\n\.\.\.\n```/.exec(testingDoc)?.[1]
    expect(printedWithTimeline).toContain('lambda-sim timeline: 1 request')
    expect(seeded?.message.startsWith(`${printedWithTimeline ?? ''}\n`)).toBe(true)
    const setBalance = (db: Map<string, number>) => async (e: { account: string }) => {
      db.set(e.account, 30)
    }
    await expect(checkIdempotency(setBalance, options)).resolves.toMatchObject({ numRuns: 100 })
  })
})
