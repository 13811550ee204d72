import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator, type Destination, type Simulator } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'

/**
 * Random programs against the public API: function creation, event invoke config and concurrency
 * changes, invokes of every type, clock advances, and sinks that fail (throw / reject). Invariants
 * checked after each program: nothing escapes to the process, every accepted async event has exactly
 * one terminal outcome, no attempt starts at or past the maximum event age, every record matches its
 * event, and the same seed gives the same timeline.
 */

const escaped = collectEscapes()

const FNS = ['f0', 'f1', 'f2'] as const
type Behaviour = 'ok' | 'throw' | 'throw-string' | 'sleep' | 'timeout' | 'callback-twice' | 'callback-error' | 'flaky'
type Op =
  | { op: 'create'; fn: number; behaviour: Behaviour; timeout: number }
  | { op: 'config'; fn: number; retries: number; ageSeconds: number; onSuccess: number; onFailure: number }
  | { op: 'concurrency'; fn: number; value: number }
  | { op: 'unreserve'; fn: number }
  | { op: 'invoke'; fn: number; type: 'Event' | 'RequestResponse' | 'DryRun'; payload: number }
  | { op: 'advance'; ms: number }

const behaviourArb = fc.constantFrom<Behaviour>('ok', 'throw', 'throw-string', 'sleep', 'timeout', 'callback-twice', 'callback-error', 'flaky')

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('invoke' as const), fn: fc.nat(2), type: fc.constantFrom('Event' as const, 'Event' as const, 'Event' as const, 'RequestResponse' as const, 'DryRun' as const), payload: fc.integer() }), weight: 6 },
  fc.record({ op: fc.constant('create' as const), fn: fc.nat(2), behaviour: behaviourArb, timeout: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('config' as const), fn: fc.nat(2), retries: fc.nat(2), ageSeconds: fc.integer({ min: 60, max: 21_600 }), onSuccess: fc.nat(3), onFailure: fc.nat(3) }),
  fc.record({ op: fc.constant('concurrency' as const), fn: fc.nat(2), value: fc.nat(3) }),
  fc.record({ op: fc.constant('unreserve' as const), fn: fc.nat(2) }),
  { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 400_000 }), fc.constant(21_600_000)) }), weight: 2 },
)

/** A program: usually the three functions first (random behaviours), then random operations. */
const programArb = (maxLength: number): fc.Arbitrary<Op[]> =>
  fc
    .tuple(fc.boolean(), fc.array(fc.record({ behaviour: behaviourArb, timeout: fc.integer({ min: 1, max: 5 }) }), { minLength: 3, maxLength: 3 }), fc.array(opArb, { minLength: 5, maxLength }))
    .map(([bare, creates, rest]) => (bare ? rest : [...creates.map((c, fn): Op => ({ op: 'create', fn, ...c })), ...rest]))

interface Run {
  sim: Simulator
  accepted: Map<string, { payload: number; time: number; fn: string }>
  /** Per function: [time of put, maximum age ms] in order. */
  ageHistory: Map<string, [number, number][]>
  records: { sink: string; body: string }[]
  operations: number
}

function handlerFor(sim: Simulator, behaviour: Behaviour): (event: { n?: number }, context: unknown, callback: (e: unknown, r?: unknown) => void) => unknown {
  switch (behaviour) {
    case 'ok':
      return async (e) => ({ echoed: e.n ?? null })
    case 'throw':
      return async () => {
        throw new RangeError('fuzzed failure')
      }
    case 'throw-string':
      return async () => {
        throw 'a string, not an Error'
      }
    case 'sleep':
      return async (e) => {
        await sim.sleep(1_500)
        return e.n ?? null
      }
    case 'timeout':
      return async () => {
        await sim.sleep(10_000)
      }
    case 'callback-twice':
      return (_e, _c, callback) => {
        callback(null, 'first')
        callback(new Error('second call is ignored'))
      }
    case 'callback-error':
      return (_e, _c, callback) => {
        callback(new Error('callback error'))
      }
    case 'flaky':
      return async (e) => {
        if (((e.n ?? 0) & 1) === 0) throw new Error('even payloads fail')
        return 'odd ok'
      }
  }
}

async function execute(seed: number, ops: Op[]): Promise<Run> {
  const sim = createSimulator({ seed })
  const run: Run = { sim, accepted: new Map(), ageHistory: new Map(), records: [], operations: 0 }
  const queue = sim.createQueue('records')
  const throwing: Destination = {
    arn: 'arn:aws:sqs:us-east-1:123456789012:throws',
    deliver() {
      throw new Error('sink throws')
    },
  }
  const rejecting: Destination = {
    arn: 'arn:aws:sqs:us-east-1:123456789012:rejects',
    deliver: async () => {
      throw new Error('sink rejects')
    },
  }
  const recording: Destination = {
    arn: 'arn:aws:sqs:us-east-1:123456789012:records-direct',
    deliver(d) {
      run.records.push({ sink: 'direct', body: d.body })
    },
  }
  const sinks = [undefined, queue.arn, throwing, rejecting, recording]
  const createdNames = new Set<string>()
  for (const op of ops) {
    run.operations++
    const name = FNS['fn' in op ? op.fn % 3 : 0] as string
    try {
      switch (op.op) {
        case 'create':
          // First time: create; afterwards: new code and timeout for the same function.
          if (createdNames.has(name)) {
            sim.updateFunctionCode(name, handlerFor(sim, op.behaviour) as never)
            sim.updateFunctionConfiguration(name, { timeout: op.timeout })
          } else {
            sim.createFunction(name, handlerFor(sim, op.behaviour) as never, { timeout: op.timeout })
            createdNames.add(name)
          }
          break
        case 'config': {
          const onSuccess = sinks[op.onSuccess]
          const onFailure = sinks[(op.onFailure + 1) % sinks.length]
          const destinationConfig: Record<string, { destination: string | Destination }> = {}
          if (onSuccess !== undefined) destinationConfig['onSuccess'] = { destination: onSuccess }
          if (onFailure !== undefined) destinationConfig['onFailure'] = { destination: onFailure }
          sim.putFunctionEventInvokeConfig({ functionName: name, maximumRetryAttempts: op.retries, maximumEventAgeInSeconds: op.ageSeconds, destinationConfig })
          const h = run.ageHistory.get(name) ?? []
          h.push([sim.now(), op.ageSeconds * 1000])
          run.ageHistory.set(name, h)
          break
        }
        case 'concurrency':
          sim.putFunctionConcurrency(name, op.value)
          break
        case 'unreserve':
          sim.deleteFunctionConcurrency(name)
          break
        case 'invoke': {
          const r = await sim.invoke(name, { n: op.payload }, op.type)
          if (op.type === 'Event') run.accepted.set(r.requestId, { payload: op.payload, time: sim.now(), fn: name })
          break
        }
        case 'advance':
          await sim.advanceBy(op.ms)
          break
      }
    } catch (error) {
      // Rejections of the operation itself (function not found, throttled sync invoke, ...) are
      // answers, not crashes: they must be lambda-sim's own error types.
      expect((error as Error).name).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  await sim.runUntilIdle()
  for (const m of queue.messages) run.records.push({ sink: 'queue', body: m.body })
  return run
}

function checkInvariants(run: Run): void {
  const { sim, accepted } = run
  const entries = sim.timeline.entries
  // Exactly one terminal outcome per accepted event.
  const terminals = new Map<string, number>()
  for (const e of entries) if (e.type === 'terminal') terminals.set(e.requestId, (terminals.get(e.requestId) ?? 0) + 1)
  for (const id of accepted.keys()) expect(terminals.get(id), `terminal outcomes of ${id}`).toBe(1)
  expect(terminals.size).toBe(accepted.size)
  // No attempt at or past the maximum age in force (the largest age that could apply at that instant).
  for (const e of entries) {
    if (e.type !== 'attempt-started' || e.invocationType !== 'Event') continue
    const a = accepted.get(e.requestId)
    expect(a).toBeDefined()
    const history = run.ageHistory.get(a?.fn ?? '') ?? []
    let bound = 21_600_000
    const candidates = history.filter(([t]) => t <= e.time)
    if (candidates.length > 0) {
      const lastTime = (candidates[candidates.length - 1] as [number, number])[0]
      const before = history.filter(([t]) => t < lastTime)
      bound = Math.max(...candidates.filter(([t]) => t === lastTime).map(([, age]) => age), before.length > 0 ? (before[before.length - 1] as [number, number])[1] : 21_600_000)
    }
    expect(e.time - (a?.time ?? 0)).toBeLessThan(bound)
  }
  // Records match their events.
  const conditions = new Map<string, string>()
  for (const e of entries) if (e.type === 'terminal') conditions.set(e.requestId, e.condition)
  for (const r of run.records) {
    const record = JSON.parse(r.body) as { requestContext: { requestId: string; condition: string }; requestPayload: { n: number } }
    const a = accepted.get(record.requestContext.requestId)
    expect(a, `record for an accepted event (${r.sink})`).toBeDefined()
    expect(record.requestPayload).toEqual({ n: a?.payload })
    expect(record.requestContext.condition).toBe(conditions.get(record.requestContext.requestId))
  }
  expect(sim.pending()).toEqual([])
}

describe('fuzz: random API programs', () => {
  let operations = 0
  let events = 0
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz: ${operations} operations, ${events} accepted async events, 0 lost`)
  })

  it('every accepted event ends in exactly one terminal outcome, no attempt after the maximum age, records match their events, nothing escapes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), programArb(40), async (seed, ops) => {
        const run = await execute(seed, ops)
        checkInvariants(run)
        operations += run.operations
        events += run.accepted.size
      }),
      { numRuns: 300 },
    )
    expect(escaped).toEqual([])
  })

  it('the same seed and program give the same timeline, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1000), programArb(30), async (seed, ops) => {
        const a = await execute(seed, ops)
        const b = await execute(seed, ops)
        expect(JSON.stringify(b.sim.timeline.entries)).toBe(JSON.stringify(a.sim.timeline.entries))
        operations += 2 * a.operations
      }),
      { numRuns: 100 },
    )
    expect(escaped).toEqual([])
  })
})
