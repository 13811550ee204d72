import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'

const escaped = collectEscapes()

/**
 * Simulators share one process: a test runner runs tests concurrently (`test.concurrent`), a test
 * drives two scenarios with `Promise.all`. Each simulator must give exactly the result it gives
 * alone, whatever another one does in between its steps: lambda-sim keeps some state per process
 * (the queue of attempts waiting for their first microtask, the async context that attributes
 * handler code to its attempt), and none of it may leak from one simulator into another.
 *
 * Programs: three functions (succeed, throw, sleep, callback, fail on odd payloads, async init that
 * sleeps), retries and reserved concurrency changed, `Event` and `RequestResponse` invokes, an SQS
 * mapping with ReportBatchItemFailures over a queue with a redrive policy, clock advances; every
 * handler logs a line. Each run's fingerprint is its timeline, its sink queues and the responses of
 * its synchronous invokes (with their log tails).
 * Invariant: two programs run at the same time, and the same program run twice at the same time,
 * give the fingerprints they give run alone, also when one of them has virtual globals on (its
 * handlers then wait on `setTimeout` and read `Date.now()`); nothing escapes.
 */
type Op =
  | { op: 'code'; fn: number; mode: number }
  | { op: 'retries'; fn: number; n: number }
  | { op: 'concurrency'; fn: number; n: number }
  | { op: 'invoke'; fn: number; type: 'Event' | 'RequestResponse'; v: number }
  | { op: 'send'; v: number; count: number }
  | { op: 'advance'; ms: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('code' as const), fn: fc.nat(2), mode: fc.nat(6) }),
  fc.record({ op: fc.constant('retries' as const), fn: fc.nat(2), n: fc.nat(2) }),
  fc.record({ op: fc.constant('concurrency' as const), fn: fc.nat(2), n: fc.integer({ min: -1, max: 2 }) }),
  { weight: 4, arbitrary: fc.record({ op: fc.constant('invoke' as const), fn: fc.nat(2), type: fc.constantFrom('Event' as const, 'Event' as const, 'RequestResponse' as const), v: fc.nat(9) }) },
  fc.record({ op: fc.constant('send' as const), v: fc.nat(9), count: fc.integer({ min: 1, max: 12 }) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 1, 500, 2_000, 60_000, 200_000) }) },
)
const programArb = fc.record({ seed: fc.nat(1000), ops: fc.array(opArb, { minLength: 1, maxLength: 25 }) })

const NAMES = ['a', 'b', 'c']

/**
 * Runs `ops` on a fresh simulator and returns its fingerprint. With `virtualGlobals`, handler code in
 * mode 6 uses `setTimeout` and `Date.now()` on the virtual clock; without, mode 6 behaves as mode 0
 * (only one simulator at a time can have virtual globals, and real timers would wait in real time).
 */
async function execute(seed: number, ops: Op[], virtualGlobals = false): Promise<string> {
  const sim = createSimulator({ seed })
  const restore = virtualGlobals ? sim.useVirtualGlobals() : undefined
  const dlq = sim.createQueue('dlq')
  const work = sim.createQueue('work', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
  const records = sim.createQueue('records')
  const modes = [0, 0, 0]
  const responses: unknown[] = []
  for (let k = 0; k < 3; k++) {
    const name = NAMES[k] as string
    const handler = (event: { v?: number; Records?: { messageId: string; body: string }[] }, _context: unknown, callback: (e: unknown, r?: unknown) => void): unknown => {
      const m = modes[k]
      console.log(`${name} mode ${m} got`, JSON.stringify(event).length)
      if (event.Records !== undefined) {
        // From the queue: report the messages whose value is odd as failures.
        return Promise.resolve({ batchItemFailures: event.Records.filter((r) => Number(r.body) % 2 === 1).map((r) => ({ itemIdentifier: r.messageId })) })
      }
      if (m === 1) return Promise.reject(new Error(`${name} fails`))
      if (m === 2) return sim.sleep(1_500).then(() => event.v)
      if (m === 3) {
        void sim.sleep(10).then(() => callback(null, { via: 'callback', v: event.v }))
        return undefined
      }
      if (m === 4 && ((event.v ?? 0) & 1) === 1) return Promise.reject(new Error('odd payload'))
      if (m === 6 && virtualGlobals) {
        const at = Date.now()
        return new Promise((resolve) => {
          const timer: unknown = setTimeout(() => resolve({ k, waited: Date.now() - at, at, timer: Number(timer) }), 700)
        })
      }
      return Promise.resolve({ k, v: event.v })
    }
    sim.createFunction(name, handler as never, { timeout: 3, ...(k === 2 ? { init: () => sim.sleep(200).then(() => 'ready') } : {}) })
    sim.putFunctionEventInvokeConfig({ functionName: name, destinationConfig: { onSuccess: { destination: records.arn }, onFailure: { destination: records.arn } } })
  }
  sim.createEventSourceMapping({ functionName: 'c', eventSourceArn: work.arn, batchSize: 5, functionResponseTypes: ['ReportBatchItemFailures'] })
  for (const op of ops) {
    try {
      const name = NAMES['fn' in op ? op.fn : 0] as string
      if (op.op === 'code') modes[op.fn] = op.mode
      else if (op.op === 'retries') sim.putFunctionEventInvokeConfig({ functionName: name, maximumRetryAttempts: op.n })
      else if (op.op === 'concurrency') {
        if (op.n < 0) sim.deleteFunctionConcurrency(name)
        else sim.putFunctionConcurrency(name, op.n)
      } else if (op.op === 'invoke') {
        const r = await sim.invoke(name, { v: op.v }, op.type, { logType: 'Tail' })
        if (op.type === 'RequestResponse') responses.push([sim.now(), r])
      } else if (op.op === 'send') {
        for (let i = 0; i < op.count; i++) work.sendMessage({ body: String(op.v + i) })
      } else await sim.advanceBy(op.ms)
    } catch (error) {
      responses.push([sim.now(), (error as Error).name, (error as Error).message])
    }
  }
  for (const name of NAMES) sim.deleteFunctionConcurrency(name)
  await sim.advanceBy(3_600_000)
  await sim.runUntilIdle()
  restore?.()
  const bodies = (q: typeof work): string[] => q.messages.map((m) => `${m.messageId} ${m.body}`)
  return JSON.stringify({ timeline: sim.timeline.entries, records: bodies(records), dlq: bodies(dlq), work: bodies(work), responses })
}

describe('fuzz: simulators running at the same time in one process', () => {
  let pairs = 0
  let entries = 0
  const count = (...fingerprints: string[]): void => {
    pairs++
    for (const f of fingerprints) entries += (JSON.parse(f) as { timeline: unknown[] }).timeline.length
  }
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (isolation): ${pairs} pairs of programs run at the same time, ${entries} timeline entries compared, 0 differences`)
  })

  it('each simulator gives the result it gives alone, whatever another simulator does at the same time', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, programArb, async (p, q) => {
        const aloneP = await execute(p.seed, p.ops)
        const aloneQ = await execute(q.seed, q.ops)
        const [withP, withQ] = await Promise.all([execute(p.seed, p.ops), execute(q.seed, q.ops)])
        expect(withP).toBe(aloneP)
        expect(withQ).toBe(aloneQ)
        // The same program twice at once: same seed, same request ids, same everything.
        const [twinA, twinB] = await Promise.all([execute(p.seed, p.ops), execute(p.seed, p.ops)])
        expect(twinA).toBe(aloneP)
        expect(twinB).toBe(aloneP)
        expect(escaped).toEqual([])
        count(aloneP, aloneQ)
      }),
      { numRuns: 100 },
    )
  })

  it('a simulator with virtual globals on gives the result it gives alone while another simulator runs at the same time', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, programArb, async (p, q) => {
        const aloneP = await execute(p.seed, p.ops, true)
        const aloneQ = await execute(q.seed, q.ops)
        const [withP, withQ] = await Promise.all([execute(p.seed, p.ops, true), execute(q.seed, q.ops)])
        expect(withP).toBe(aloneP)
        expect(withQ).toBe(aloneQ)
        expect(escaped).toEqual([])
        count(aloneP, aloneQ)
      }),
      { numRuns: 100 },
    )
  })
})
