import { DeleteFunctionConcurrencyCommand, InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createSimulator, type Queue, type Simulator } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'

type Fn = 'ok' | 'fail' | 'slow'
type Op =
  | { kind: 'invoke'; fn: Fn; type: 'RequestResponse' | 'Event' | 'DryRun'; tail: boolean; payload: unknown }
  | { kind: 'config'; fn: Fn; retries: number; toQueue: boolean }
  | { kind: 'concurrency'; fn: Fn; value: number | undefined }
  | { kind: 'advance'; ms: number }

/** What one operation answered, in a form both APIs can produce. */
type Outcome = Record<string, unknown>

function world(seed: number): { sim: Simulator; failures: Queue } {
  const sim = createSimulator({ seed })
  const failures = sim.createQueue('failures')
  sim.createFunction('ok', async (event: unknown) => {
    console.log('event', JSON.stringify(event))
    return { event }
  })
  sim.createFunction('fail', async () => {
    throw new RangeError('bad input')
  })
  sim.createFunction(
    'slow',
    async () => {
      await sim.sleep(2500)
      return 'done'
    },
    { timeout: 2 },
  )
  return { sim, failures }
}

const errorOutcome = (e: unknown): Outcome => {
  const err = e as Error & { Reason?: string; reason?: string }
  return { error: err.name, message: err.message, reason: err.Reason ?? err.reason ?? null }
}

async function inProcess(sim: Simulator, op: Op): Promise<Outcome> {
  try {
    switch (op.kind) {
      case 'invoke': {
        const r = await sim.invoke(op.fn, op.payload, op.type, { logType: op.tail ? 'Tail' : 'None' })
        return { status: r.statusCode, requestId: r.requestId, payload: r.payload ?? null, functionError: r.functionError ?? null, version: r.executedVersion ?? null, log: r.logResult ?? null }
      }
      case 'config':
        sim.putFunctionEventInvokeConfig({ functionName: op.fn, maximumRetryAttempts: op.retries, ...(op.toQueue ? { destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } } } : {}) })
        return { config: op.fn }
      case 'concurrency':
        if (op.value === undefined) sim.deleteFunctionConcurrency(op.fn)
        else sim.putFunctionConcurrency(op.fn, op.value)
        return { concurrency: op.value ?? null }
      case 'advance':
        await sim.advanceBy(op.ms)
        return { now: sim.now() }
    }
  } catch (error) {
    return errorOutcome(error)
  }
}

async function throughSdk(sim: Simulator, client: LambdaClient, op: Op): Promise<Outcome> {
  try {
    switch (op.kind) {
      case 'invoke': {
        const r = await client.send(new InvokeCommand({ FunctionName: op.fn, InvocationType: op.type, LogType: op.tail ? 'Tail' : 'None', Payload: JSON.stringify(op.payload) }))
        const body = Buffer.from(r.Payload ?? new Uint8Array()).toString('utf8')
        return { status: r.StatusCode, requestId: r.$metadata.requestId, payload: body === '' ? null : (JSON.parse(body) as unknown), functionError: r.FunctionError ?? null, version: r.ExecutedVersion ?? null, log: r.LogResult ?? null }
      }
      case 'config':
        await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: op.fn, MaximumRetryAttempts: op.retries, ...(op.toQueue ? { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } } } : {}) }))
        return { config: op.fn }
      case 'concurrency':
        if (op.value === undefined) await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: op.fn }))
        else await client.send(new PutFunctionConcurrencyCommand({ FunctionName: op.fn, ReservedConcurrentExecutions: op.value }))
        return { concurrency: op.value ?? null }
      case 'advance':
        await sim.advanceBy(op.ms)
        return { now: sim.now() }
    }
  } catch (error) {
    return errorOutcome(error)
  }
}

async function run(seed: number, ops: Op[], viaSdk: boolean): Promise<{ outcomes: Outcome[]; timeline: string; queue: unknown[]; now: number }> {
  const { sim, failures } = world(seed)
  const client = lambdaClient(sim)
  const outcomes: Outcome[] = []
  for (const op of ops) outcomes.push(viaSdk ? await throughSdk(sim, client, op) : await inProcess(sim, op))
  await sim.runUntilIdle()
  return { outcomes, timeline: JSON.stringify(sim.timeline), queue: failures.messages.map((m) => m.body), now: sim.now() }
}

const fnArb = fc.constantFrom<Fn>('ok', 'fail', 'slow')
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('invoke' as const), fn: fnArb, type: fc.constantFrom('RequestResponse' as const, 'Event' as const, 'DryRun' as const), tail: fc.boolean(), payload: fc.jsonValue({ maxDepth: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('config' as const), fn: fnArb, retries: fc.integer({ min: 0, max: 3 }), toQueue: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('concurrency' as const), fn: fnArb, value: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 200_000 }) }) },
)

describe('the SDK path and the in-process API agree', () => {
  test('a fixed program: same request ids, payloads, log tails, errors and timeline byte for byte', async () => {
    const program: Op[] = [
      { kind: 'invoke', fn: 'ok', type: 'RequestResponse', tail: true, payload: { a: 1 } },
      { kind: 'config', fn: 'fail', retries: 1, toQueue: true },
      { kind: 'invoke', fn: 'fail', type: 'Event', tail: false, payload: [1, 2] },
      { kind: 'invoke', fn: 'fail', type: 'RequestResponse', tail: true, payload: 'x' },
      { kind: 'invoke', fn: 'slow', type: 'RequestResponse', tail: false, payload: null },
      { kind: 'concurrency', fn: 'ok', value: 0 },
      { kind: 'invoke', fn: 'ok', type: 'RequestResponse', tail: false, payload: {} },
      { kind: 'invoke', fn: 'ok', type: 'Event', tail: false, payload: {} },
      { kind: 'invoke', fn: 'ok', type: 'DryRun', tail: false, payload: {} },
      { kind: 'config', fn: 'ok', retries: 3, toQueue: false },
    ]
    const a = await run(7, program, false)
    const b = await run(7, program, true)
    expect(b.outcomes).toEqual(a.outcomes)
    expect(b.timeline).toBe(a.timeline)
    expect(b.now).toBe(a.now)
    expect(b.queue).toEqual(a.queue)
    expect(a.queue).toHaveLength(1)
    // Spot-check that the program exercised what it claims.
    expect(a.outcomes[6]).toEqual({ error: 'TooManyRequestsException', message: 'Rate Exceeded.', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' })
    expect(a.outcomes[9]).toMatchObject({ error: 'ValidationException' })
    expect((a.outcomes[4] as { payload: { errorType: string } }).payload.errorType).toBe('Sandbox.Timedout')
  })

  test('property: any program of invokes, configs, reservations and clock moves gives identical outcomes and timelines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.array(opArb, { maxLength: 12 }), async (seed, ops) => {
        const a = await run(seed, ops, false)
        const b = await run(seed, ops, true)
        expect(b.outcomes).toEqual(a.outcomes)
        expect(b.timeline).toBe(a.timeline)
        expect(b.queue).toEqual(a.queue)
      }),
      { numRuns: 25 },
    )
  })
})
