/**
 * An audit, as a team that adopts lambda-sim would write it: versions, aliases, event invoke configs and
 * reserved concurrency, and what configuration changes do to events already in flight (spec §5, §6, §9,
 * §12, §14), in process and through `@aws-sdk/client-lambda` via lambda-sim's adapter.
 */
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  InvokeCommand,
  paginateListAliases,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda'
import type { Context } from 'aws-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError, type InvocationRecord, type Simulator } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'
import { attemptStarts, fixedError, T0, terminalOf } from './helpers/async-dest.js'
import { lambdaErr, lambdaRejection, rejection } from './helpers/errors.js'

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'

/** What a handler saw of its invocation. */
interface Seen {
  functionVersion: string
  invokedFunctionArn: string
}

/** `f` with versions 1 (answers 'v1') and 2 (answers 'v2'), `$LATEST` answering 'latest'; every attempt is recorded. */
function threeVersions(options: { seed?: number } = {}): { sim: Simulator; seen: Seen[] } {
  const sim = createSimulator({ seed: options.seed ?? 1 })
  const seen: Seen[] = []
  const handler = (label: string) => async (_e: unknown, ctx: Context) => {
    seen.push({ functionVersion: ctx.functionVersion, invokedFunctionArn: ctx.invokedFunctionArn })
    return label
  }
  sim.createFunction('f', handler('v1'))
  sim.publishVersion('f')
  sim.updateFunctionCode('f', handler('v2'))
  sim.publishVersion('f')
  sim.updateFunctionCode('f', handler('latest'))
  return { sim, seen }
}

const record = (body: unknown): InvocationRecord => body as InvocationRecord

describe('audit: what a handler, the Invoke answer and the record say about the version', () => {
  it('unqualified, $LATEST, version and alias invokes: ExecutedVersion, context.functionVersion, context.invokedFunctionArn', async () => {
    const { sim, seen } = threeVersions()
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    const cases: [string, string, string, string][] = [
      // reference, executed version, payload, invokedFunctionArn
      ['f', '$LATEST', 'latest', `${ARN}:f`],
      ['f:$LATEST', '$LATEST', 'latest', `${ARN}:f:$LATEST`],
      ['f:2', '2', 'v2', `${ARN}:f:2`],
      ['f:live', '1', 'v1', `${ARN}:f:live`],
      [`${ARN}:f:live`, '1', 'v1', `${ARN}:f:live`],
      [`${ARN}:f`, '$LATEST', 'latest', `${ARN}:f`],
    ]
    for (const [ref, version, payload, invoked] of cases) {
      seen.length = 0
      const r = await sim.invoke(ref, {})
      expect([ref, r.executedVersion, r.payload]).toEqual([ref, version, payload])
      expect(seen).toEqual([{ functionVersion: version, invokedFunctionArn: invoked }])
    }
    // The same through the qualifier option.
    const r = await sim.invoke('f', {}, 'RequestResponse', { qualifier: 'live' })
    expect(r.executedVersion).toBe('1')
  })

  it("the async record's requestContext.functionArn is the qualified ARN as invoked ($LATEST when unqualified); responseContext.executedVersion the version that ran", async () => {
    const { sim, seen } = threeVersions()
    const ok = sim.createQueue('ok')
    sim.createAlias('f', { name: 'live', functionVersion: '2' })
    for (const q of ['$LATEST', '1', '2', 'live']) sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: q, destinationConfig: { onSuccess: { destination: ok } } })
    for (const ref of ['f', 'f:$LATEST', 'f:1', 'f:live']) await sim.invoke(ref, { ref }, 'Event')
    await sim.runUntilIdle()
    expect(ok.bodies.map((b) => [record(b).requestPayload, record(b).requestContext.functionArn, record(b).responseContext?.executedVersion, record(b).responsePayload])).toEqual([
      [{ ref: 'f' }, `${ARN}:f:$LATEST`, '$LATEST', 'latest'],
      [{ ref: 'f:$LATEST' }, `${ARN}:f:$LATEST`, '$LATEST', 'latest'],
      [{ ref: 'f:1' }, `${ARN}:f:1`, '1', 'v1'],
      [{ ref: 'f:live' }, `${ARN}:f:live`, '2', 'v2'],
    ])
    expect(seen.map((s) => s.invokedFunctionArn)).toEqual([`${ARN}:f`, `${ARN}:f:$LATEST`, `${ARN}:f:1`, `${ARN}:f:live`])
  })

  it('an EventBridge destination names the qualified function ARN in resources; a version-qualified event names the version', async () => {
    const { sim } = threeVersions()
    const bus = sim.createEventBus('results')
    sim.putFunctionEventInvokeConfig({ functionName: 'f:1', destinationConfig: { onSuccess: { destination: bus } } })
    await sim.invoke('f:1', {}, 'Event')
    await sim.runUntilIdle()
    const events = bus.events as { resources: string[]; detail: InvocationRecord }[]
    expect(events.map((e) => e.resources)).toEqual([[bus.arn, `${ARN}:f:1`]])
    expect(events[0]?.detail.requestContext.functionArn).toBe(`${ARN}:f:1`)
  })
})

describe('audit: weighted alias routing (AdditionalVersionWeights)', () => {
  it('the same seed routes the same invokes to the same versions; another seed routes differently', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const { sim } = threeVersions({ seed })
      sim.createAlias('f', { name: 'canary', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
      const out: string[] = []
      for (let i = 0; i < 40; i++) out.push((await sim.invoke('f:canary', {})).executedVersion)
      return out
    }
    const a = await run(7)
    expect(await run(7)).toEqual(a)
    expect(await run(8)).not.toEqual(a)
    expect(new Set(a)).toEqual(new Set(['1', '2']))
  })

  it('async events through a weighted alias: each record names the alias, and its executedVersion is the version that handler saw', async () => {
    const { sim, seen } = threeVersions({ seed: 3 })
    const ok = sim.createQueue('ok')
    sim.createAlias('f', { name: 'canary', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:canary', destinationConfig: { onSuccess: { destination: ok } } })
    for (let i = 0; i < 20; i++) await sim.invoke('f:canary', { i }, 'Event')
    await sim.runUntilIdle()
    expect(ok.bodies).toHaveLength(20)
    const byEvent = ok.bodies.map((b) => [record(b).requestContext.functionArn, record(b).responseContext?.executedVersion, record(b).responsePayload])
    expect(new Set(byEvent.map((x) => x[0]))).toEqual(new Set([`${ARN}:f:canary`]))
    for (const [, version, payload] of byEvent) expect(payload).toBe(`v${version as string}`)
    expect(seen.map((s) => s.functionVersion).sort()).toEqual(byEvent.map((x) => x[1] as string).sort())
    expect(new Set(seen.map((s) => s.invokedFunctionArn))).toEqual(new Set([`${ARN}:f:canary`]))
  })
})

describe('audit: which event invoke config applies', () => {
  function failing(): { sim: Simulator } {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.updateFunctionConfiguration('f', { description: 'two' })
    sim.publishVersion('f')
    return { sim }
  }

  it('$LATEST, version and alias configs each apply to events invoked on that qualifier; an alias without one uses the config of the version it ran', async () => {
    const { sim } = failing()
    sim.createAlias('f', { name: 'own', functionVersion: '1' })
    sim.createAlias('f', { name: 'bare', functionVersion: '2' })
    sim.createAlias('f', { name: 'onlatest', functionVersion: '$LATEST' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1', maximumRetryAttempts: 1 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:2', maximumEventAgeInSeconds: 90 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:own', maximumRetryAttempts: 2 })
    const ids: Record<string, string> = {}
    for (const ref of ['f', 'f:$LATEST', 'f:1', 'f:2', 'f:own', 'f:bare', 'f:onlatest']) ids[ref] = (await sim.invoke(ref, {}, 'Event')).requestId
    await sim.runUntilIdle()
    const outcome = (ref: string): [string, number, number] => {
      const t = terminalOf(sim, ids[ref] as string)
      return [t?.condition as string, t?.approximateInvokeCount as number, ((t?.time as number) - T0) / 1000]
    }
    expect(outcome('f')).toEqual(['RetriesExhausted', 1, 0])
    expect(outcome('f:$LATEST')).toEqual(['RetriesExhausted', 1, 0])
    expect(outcome('f:1')).toEqual(['RetriesExhausted', 2, 60])
    // Version 2's own config: default retries, age 90 s: the 120 s wait would pass it.
    expect(outcome('f:2')).toEqual(['EventAgeExceeded', 2, 60])
    expect(outcome('f:own')).toEqual(['RetriesExhausted', 3, 180])
    expect(outcome('f:bare')).toEqual(['EventAgeExceeded', 2, 60])
    expect(outcome('f:onlatest')).toEqual(['RetriesExhausted', 1, 0])
  })

  it('put replaces (a destination left out is removed), update merges, delete falls back to the defaults: each read when the event is next processed', async () => {
    const sim = createSimulator()
    const q1 = sim.createQueue('q1')
    const q2 = sim.createQueue('q2')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: q1 } } })
    const a = await sim.invoke('f', { n: 'a' }, 'Event')
    await sim.advanceBy(30_000)
    // Update: the retry count stays 1, the destination moves to q2.
    expect(sim.updateFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: q2 } } })).toMatchObject({ maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: q2.arn } } })
    await sim.runUntilIdle()
    expect(attemptStarts(sim, a.requestId)).toEqual([0, 60])
    expect([q1.bodies.length, q2.bodies.length]).toEqual([0, 1])
    // Put with only the retry count: the destination is gone.
    const b = await sim.invoke('f', { n: 'b' }, 'Event')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    await sim.runUntilIdle()
    expect(terminalOf(sim, b.requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 2 })
    expect([q1.bodies.length, q2.bodies.length]).toEqual([0, 1])
    // Delete while a retry waits: the defaults (2 retries) apply from the next attempt.
    const c = await sim.invoke('f', { n: 'c' }, 'Event')
    await sim.advanceBy(1_000)
    sim.deleteFunctionEventInvokeConfig({ functionName: 'f' })
    await sim.runUntilIdle()
    expect(attemptStarts(sim, c.requestId).map((s) => s - attemptStarts(sim, c.requestId)[0]!)).toEqual([0, 60, 180])
  })
})

describe('audit: code and configuration changes while an async event waits for its retry (AWS reads them when it processes the event)', () => {
  it('an unqualified event retries with the code $LATEST has then (updateFunctionCode)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(30_000)
    sim.updateFunctionCode('f', async () => 'fixed')
    await sim.runUntilIdle()
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'Success', approximateInvokeCount: 2, time: T0 + 60_000 })
    expect(sim.timeline.ofType('attempt-started').map((e) => [e.attempt, e.coldStart])).toEqual([[1, true], [2, true]])
  })

  it('an unqualified event retries under the timeout $LATEST has then (updateFunctionConfiguration)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      await sim.sleep(2_000)
      throw fixedError('slow and failing')
    }, { timeout: 3 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(10_000)
    sim.updateFunctionConfiguration('f', { timeout: 1 })
    await sim.runUntilIdle()
    // Attempt 1 fails at 2 s; attempt 2 at 62 s times out at 63 s; attempt 3 at 183 s times out at 184 s.
    expect(attemptStarts(sim, requestId)).toEqual([0, 62, 183])
    expect(sim.timeline.ofType('attempt-finished').map((e) => [(e.time - T0) / 1000, e.errorType ?? 'ok'])).toEqual([
      [2, 'Error'],
      [63, 'Sandbox.Timedout'],
      [184, 'Sandbox.Timedout'],
    ])
  })

  it('a version-qualified event keeps the version it was invoked on: updating $LATEST changes nothing for its retry', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    const { requestId } = await sim.invoke('f:1', {}, 'Event')
    await sim.advanceBy(30_000)
    sim.updateFunctionCode('f', async () => 'fixed')
    sim.updateFunctionConfiguration('f', { timeout: 1 })
    await sim.runUntilIdle()
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3, time: T0 + 180_000 })
  })

  it('a DLQ set on $LATEST while an unqualified event waits receives it; a version keeps the DLQ it was published with', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:1', maximumRetryAttempts: 1 })
    await sim.invoke('f', { on: 'latest' }, 'Event')
    await sim.invoke('f:1', { on: '1' }, 'Event')
    await sim.advanceBy(30_000)
    sim.updateFunctionConfiguration('f', { deadLetterConfig: { targetArn: dlq.arn } })
    await sim.runUntilIdle()
    expect(dlq.bodies).toEqual([{ on: 'latest' }])
  })
})

describe('audit: reserved concurrency while events are queued (spec §5, §9)', () => {
  it('set to 0 while events wait in throttle backoff: each ends ZeroReservedConcurrency at its next dequeue, count 0; the running one finishes; raised again, new events run', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async () => {
      await sim.sleep(10_000)
      return 'done'
    }, { timeout: 30 })
    sim.putFunctionConcurrency('f', 1)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: failed } } })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await sim.invoke('f', { i }, 'Event')).requestId)
    await sim.advanceBy(500)
    sim.putFunctionConcurrency('f', 0)
    await sim.runUntilIdle()
    expect(ids.map((id) => terminalOf(sim, id)).map((t) => [t?.condition, t?.approximateInvokeCount, ((t?.time as number) - T0) / 1000])).toEqual([
      ['Success', 1, 10],
      ['ZeroReservedConcurrency', 0, 1],
      ['ZeroReservedConcurrency', 0, 1],
    ])
    expect(failed.bodies.map((b) => [record(b).requestContext.condition, record(b).responseContext])).toEqual([
      ['ZeroReservedConcurrency', undefined],
      ['ZeroReservedConcurrency', undefined],
    ])
    // A sync invoke at 0 is throttled with the function-level Reason.
    const e = await lambdaRejection(sim.invoke('f', {}))
    expect([e.name, e.statusCode, e.message, e.reason]).toEqual(['TooManyRequestsException', 429, 'Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded'])
    sim.putFunctionConcurrency('f', 2)
    const later = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(terminalOf(sim, later.requestId)).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 })
  })

  it('set to 0 while a retry waits: the retry does not run; ZeroReservedConcurrency with the count of the attempts that ran', async () => {
    const sim = createSimulator()
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: failed } } })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(30_000)
    sim.putFunctionConcurrency('f', 0)
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0])
    expect(terminalOf(sim, requestId)).toMatchObject({ condition: 'ZeroReservedConcurrency', approximateInvokeCount: 1, time: T0 + 60_000 })
    expect(failed.bodies.map((b) => record(b).requestContext)).toEqual([{ requestId, functionArn: `${ARN}:f:$LATEST`, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 1 }])
    // The attempt that ran is reported, as an EventAgeExceeded record after an attempt is.
    expect(failed.bodies.map((b) => record(b).responseContext)).toEqual([{ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }])
  })

  it('PutFunctionConcurrency: the unreserved minimum of 100 follows accountConcurrency, qualified names and negative values are refused with AWS texts', () => {
    const sim = createSimulator({ accountConcurrency: 150 })
    sim.createFunction('f', async () => 'ok')
    sim.createFunction('g', async () => 'ok')
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    const below = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
    expect(lambdaErr(() => sim.putFunctionConcurrency('f', 51))).toEqual(['InvalidParameterValueException', 400, below])
    expect(sim.putFunctionConcurrency('f', 50)).toEqual({ reservedConcurrentExecutions: 50 })
    expect(lambdaErr(() => sim.putFunctionConcurrency('g', 1))).toEqual(['InvalidParameterValueException', 400, below])
    expect(sim.putFunctionConcurrency('g', 0)).toEqual({ reservedConcurrentExecutions: 0 })
    // Lowering f frees room for g.
    sim.putFunctionConcurrency('f', 20)
    expect(sim.putFunctionConcurrency('g', 30)).toEqual({ reservedConcurrentExecutions: 30 })
    const qualified = 'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.'
    for (const ref of ['f:1', 'f:live', 'f:$LATEST', `${ARN}:f:live`]) expect(lambdaErr(() => sim.putFunctionConcurrency(ref, 1))).toEqual(['InvalidParameterValueException', 400, qualified])
    expect(lambdaErr(() => sim.putFunctionConcurrency('f', -1))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ])
    expect(lambdaErr(() => sim.putFunctionConcurrency('ghost', 1))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:ghost:$LATEST`])
    expect(sim.getFunctionConcurrency('f')).toEqual({ reservedConcurrentExecutions: 20 })
    sim.deleteFunctionConcurrency('f')
    expect(sim.getFunctionConcurrency('f')).toEqual({})
  })

  it('an account below 100 (new accounts get 10): the unreserved minimum is the whole limit, so nothing can be reserved but 0, and AWS names it ([10], [50])', async () => {
    const below = (n: number): string => `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${n}].`
    const sim = createSimulator({ accountConcurrency: 10, throttleJitter: false })
    sim.createFunction('f', async () => {
      await sim.sleep(5_000)
    })
    expect(lambdaErr(() => sim.putFunctionConcurrency('f', 1))).toEqual(['InvalidParameterValueException', 400, below(10)])
    expect(sim.putFunctionConcurrency('f', 0)).toEqual({ reservedConcurrentExecutions: 0 })
    sim.deleteFunctionConcurrency('f')
    for (let i = 0; i < 11; i++) await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(500)
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(10)
    expect(sim.timeline.ofType('throttled').map((t) => t.reason)).toEqual(['ConcurrentInvocationLimitExceeded'])
    const fifty = createSimulator({ accountConcurrency: 50 })
    fifty.createFunction('f', async () => 'ok')
    expect(lambdaErr(() => fifty.putFunctionConcurrency('f', 1))).toEqual(['InvalidParameterValueException', 400, below(50)])
  })

  it('functions without a reservation share what the reservations leave: 100 of 1,000 when 900 are reserved', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('big', async () => 'ok')
    sim.createFunction('small', async () => {
      await sim.sleep(10_000)
    })
    sim.putFunctionConcurrency('big', 900)
    for (let i = 0; i < 101; i++) await sim.invoke('small', {}, 'Event')
    await sim.advanceBy(500)
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(100)
    expect(sim.timeline.ofType('throttled').map((t) => t.reason)).toEqual(['ConcurrentInvocationLimitExceeded'])
    // The reserved function keeps its own capacity meanwhile.
    expect((await sim.invoke('big', {})).payload).toBe('ok')
  })
})

describe('audit: deleting an alias with events pending (the documented choice: Dropped, one terminal each)', () => {
  it('an event waiting for its retry through an alias that is deleted ends Dropped at the retry instant, once; the retry does not run on the version', async () => {
    const sim = createSimulator()
    const failed = sim.createQueue('failed')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:1', destinationConfig: { onFailure: { destination: failed } } })
    const { requestId } = await sim.invoke('f:live', {}, 'Event')
    await sim.advanceBy(30_000)
    sim.deleteAlias('f', 'live')
    await sim.runUntilIdle()
    expect(attemptStarts(sim, requestId)).toEqual([0])
    expect(sim.timeline.ofType('terminal').filter((t) => t.requestId === requestId)).toEqual([
      { type: 'terminal', time: T0 + 60_000, requestId, functionName: 'f', condition: 'Dropped', approximateInvokeCount: 1, reason: 'qualifier live no longer exists' },
    ])
    expect(failed.bodies).toEqual([])
    sim.assertIdle()
  })

  it('an alias deleted while its event runs: the attempt finishes; its failure is retried by the defaults (the alias config went with it) and the retry is Dropped, one terminal outcome', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      await sim.sleep(5_000)
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:live', maximumRetryAttempts: 0 })
    const { requestId } = await sim.invoke('f:live', {}, 'Event')
    await sim.advanceBy(1_000)
    sim.deleteAlias('f', 'live')
    await sim.runUntilIdle()
    // The alias's config went with it, so the timeout at 3 s is retried by the defaults; the retry finds no alias.
    expect(sim.timeline.ofType('terminal').filter((t) => t.requestId === requestId).map((t) => [t.condition, t.approximateInvokeCount, (t.time - T0) / 1000, t.reason])).toEqual([
      ['Dropped', 1, 63, 'qualifier live no longer exists'],
    ])
    expect(attemptStarts(sim, requestId)).toEqual([0])
  })
})

describe('audit: the SDK adapter for versions, aliases, configs and concurrency', () => {
  function setup(): { sim: Simulator; client: LambdaClient } {
    const { sim } = threeVersions()
    return { sim, client: lambdaClient(sim) }
  }

  const wire = async (p: Promise<unknown>): Promise<[string, number | undefined, string]> => {
    const e = await rejection(p)
    return [e.name, (e.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode, e.message]
  }

  it('Invoke through a version or alias answers X-Amz-Executed-Version; a missing version or alias is 404 naming the qualified ARN; a malformed qualifier is 400', async () => {
    const { sim, client } = setup()
    sim.createAlias('f', { name: 'live', functionVersion: '2' })
    expect((await client.send(new InvokeCommand({ FunctionName: 'f', Qualifier: 'live' }))).ExecutedVersion).toBe('2')
    expect((await client.send(new InvokeCommand({ FunctionName: 'f:1' }))).ExecutedVersion).toBe('1')
    expect((await client.send(new InvokeCommand({ FunctionName: 'f' }))).ExecutedVersion).toBe('$LATEST')
    expect(await wire(client.send(new InvokeCommand({ FunctionName: 'f', Qualifier: '9' })))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:f:9`])
    expect(await wire(client.send(new InvokeCommand({ FunctionName: 'f', Qualifier: 'gone' })))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:f:gone`])
    expect(await wire(client.send(new InvokeCommand({ FunctionName: 'f:1', Qualifier: '2' })))).toEqual([
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    ])
    expect(await wire(client.send(new InvokeCommand({ FunctionName: 'f', Qualifier: 'a.b' })))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value 'a.b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+",
    ])
  })

  it('CreateAlias / UpdateAlias routing errors: names, HTTP statuses and texts', async () => {
    const { client } = setup()
    const create = (input: Omit<ConstructorParameters<typeof CreateAliasCommand>[0], 'FunctionName'>): Promise<unknown> => client.send(new CreateAliasCommand({ FunctionName: 'f', ...input }))
    expect(await wire(create({ Name: 'a', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      '$LATEST is not supported for an alias pointing to more than 1 version',
    ])
    expect(await wire(create({ Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5, '3': 0.1 } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    ])
    expect(await wire(create({ Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
    ])
    expect(await wire(create({ Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': -0.5 } } }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '{2=-0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
    ])
    expect(await wire(create({ Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      'Invalid function version 1. Function version 1 is already included in routing configuration.',
    ])
    expect(await wire(create({ Name: 'a', FunctionVersion: '9' }))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:f:9`])
    expect(await wire(create({ Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '9': 0.5 } } }))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:f:9`])
    // An alias may point at $LATEST on its own.
    expect((await create({ Name: 'latest', FunctionVersion: '$LATEST' })) as { FunctionVersion?: string }).toMatchObject({ FunctionVersion: '$LATEST' })
    expect(await wire(client.send(new UpdateAliasCommand({ FunctionName: 'f', Name: 'latest', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })))).toEqual([
      'InvalidParameterValueException',
      400,
      '$LATEST is not supported for an alias pointing to more than 1 version',
    ])
    expect(await wire(client.send(new UpdateAliasCommand({ FunctionName: 'f', Name: 'nope', FunctionVersion: '1' })))).toEqual(['ResourceNotFoundException', 404, `Alias not found: ${ARN}:f:nope`])
    expect(await wire(client.send(new GetAliasCommand({ FunctionName: 'f', Name: 'nope' })))).toEqual(['ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN}:f:nope`])
  })

  it('PutFunctionConcurrency and the event invoke config operations: qualified names, missing qualifiers, over the unreserved minimum', async () => {
    const { client } = setup()
    expect(await wire(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'f:1', ReservedConcurrentExecutions: 1 })))).toEqual([
      'InvalidParameterValueException',
      400,
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    ])
    expect(await wire(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'f', ReservedConcurrentExecutions: 901 })))).toEqual([
      'InvalidParameterValueException',
      400,
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    ])
    expect(await wire(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'f', Qualifier: 'nope', MaximumRetryAttempts: 0 })))).toEqual(['ResourceNotFoundException', 404, "The function doesn't exist."])
    expect(await wire(client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'f', Qualifier: '1', MaximumRetryAttempts: 0 })))).toEqual([
      'ResourceNotFoundException',
      404,
      `The function ${ARN}:f:1 doesn't have an EventInvokeConfig`,
    ])
    expect(await wire(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'f:1', Qualifier: '2', MaximumRetryAttempts: 0 })))).toEqual([
      'InvalidParameterValueException',
      400,
      'The derived qualifier from the function name does not match the specified qualifier.',
    ])
  })
})

describe('audit: DeleteFunction with events pending (sim.deleteFunction, SDK DeleteFunction)', () => {
  /** `f` failing every time, versions 1 and 2, alias live → 1. */
  function deletable(): Simulator {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.updateFunctionConfiguration('f', { description: 'two' })
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    return sim
  }

  const terminals = (sim: Simulator, requestId: string): unknown[] =>
    sim.timeline.ofType('terminal').filter((t) => t.requestId === requestId).map((t) => [t.condition, t.approximateInvokeCount, (t.time - T0) / 1000, t.reason])

  it('deleting a version: an event queued on it and one waiting for its retry each end Dropped once, at their next dequeue; the version, its config and its invokes are gone', async () => {
    const sim = deletable()
    sim.putFunctionEventInvokeConfig({ functionName: 'f:2', maximumRetryAttempts: 1 })
    const waiting = await sim.invoke('f:2', { n: 1 }, 'Event')
    await sim.advanceBy(10_000)
    const queued = await sim.invoke('f:2', { n: 2 }, 'Event')
    const other = await sim.invoke('f:1', { n: 3 }, 'Event')
    sim.deleteFunction('f', { qualifier: '2' })
    await sim.runUntilIdle()
    expect(terminals(sim, waiting.requestId)).toEqual([['Dropped', 1, 60, 'qualifier 2 no longer exists']])
    expect(terminals(sim, queued.requestId)).toEqual([['Dropped', 0, 10, 'qualifier 2 no longer exists']])
    expect(terminals(sim, other.requestId)).toEqual([['RetriesExhausted', 3, 190, undefined]])
    expect(sim.listVersionsByFunction('f').versions.map((v) => v.version)).toEqual(['$LATEST', '1'])
    const e = await lambdaRejection(sim.invoke('f:2', {}))
    expect([e.name, e.statusCode, e.message]).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:f:2`])
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f:2' }))).toEqual(['ResourceNotFoundException', 404, `The function ${ARN}:f:2 doesn't have an EventInvokeConfig`])
    // Version numbers are not reused; with the last version gone, an unchanged $LATEST publishes the next number.
    expect(sim.publishVersion('f').version).toBe('3')
    expect(sim.publishVersion('f').version).toBe('3')
    sim.assertIdle()
  })

  it('deleting a version: the refusals (AWS texts), a version an alias routes to included; a version that does not exist is not an error', () => {
    const sim = deletable()
    sim.createAlias('f', { name: 'canary', functionVersion: '2', routingConfig: { additionalVersionWeights: { '1': 0.1 } } })
    expect(lambdaErr(() => sim.deleteFunction('f', { qualifier: '$LATEST' }))).toEqual(['InvalidParameterValueException', 400, '$LATEST version cannot be deleted without deleting the function.'])
    expect(lambdaErr(() => sim.deleteFunction('f:$LATEST'))).toEqual(['InvalidParameterValueException', 400, '$LATEST version cannot be deleted without deleting the function.'])
    expect(lambdaErr(() => sim.deleteFunction('f', { qualifier: 'live' }))).toEqual(['InvalidParameterValueException', 400, 'Deletion of aliases is not currently supported.'])
    expect(lambdaErr(() => sim.deleteFunction('f', { qualifier: '1' }))).toEqual(['ResourceConflictException', 409, 'Unable to delete version because the following aliases reference it: [canary, live]'])
    expect(lambdaErr(() => sim.deleteFunction('f:2'))).toEqual(['ResourceConflictException', 409, 'Unable to delete version because the following aliases reference it: [canary]'])
    expect(lambdaErr(() => sim.deleteFunction('f:1', { qualifier: '2' }))).toEqual(['InvalidParameterValueException', 400, 'The derived qualifier from the function name does not match the specified qualifier.'])
    expect(lambdaErr(() => sim.deleteFunction('ghost'))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:ghost`])
    expect(lambdaErr(() => sim.deleteFunction('f', { qualifier: 'a.b' }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value 'a.b' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+",
    ])
    expect(() => sim.deleteFunction('f', { qualifier: '9' })).not.toThrow()
    expect(sim.listVersionsByFunction('f').versions.map((v) => v.version)).toEqual(['$LATEST', '1', '2'])
  })

  it('deleting the function: queued, retrying and version- or alias-qualified events each end Dropped once; a running attempt finishes; the name is free again and a new function does not inherit them', async () => {
    const sim = createSimulator()
    let runs = 0
    sim.createFunction('f', async () => {
      runs++
      await sim.sleep(2_000)
      throw fixedError('boom')
    }, { timeout: 10 })
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    const retrying = await sim.invoke('f', { n: 1 }, 'Event')
    await sim.advanceBy(30_000)
    const running = await sim.invoke('f:live', { n: 2 }, 'Event')
    await sim.advanceBy(1_000)
    const queued = await sim.invoke('f:1', { n: 3 }, 'Event')
    sim.deleteFunction('f')
    const e = await lambdaRejection(sim.invoke('f', {}))
    expect([e.name, e.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:f:$LATEST`])
    let newRuns = 0
    sim.createFunction('f', async () => {
      newRuns++
    })
    await sim.runUntilIdle()
    expect(terminals(sim, retrying.requestId)).toEqual([['Dropped', 1, 62, 'function f no longer exists']])
    expect(terminals(sim, queued.requestId)).toEqual([['Dropped', 0, 31, 'function f no longer exists']])
    // The attempt running at the deletion ends at 32 s (its error); its retry is dropped a minute later.
    expect(sim.timeline.ofType('attempt-finished').filter((a) => a.requestId === running.requestId).map((a) => (a.time - T0) / 1000)).toEqual([32])
    expect(terminals(sim, running.requestId)).toEqual([['Dropped', 1, 92, 'function f no longer exists']])
    expect([runs, newRuns]).toEqual([2, 0])
    expect(sim.listVersionsByFunction('f').versions.map((v) => v.version)).toEqual(['$LATEST'])
    expect(sim.listAliases('f').aliases).toEqual([])
    sim.assertIdle()
  })

  it("deleting the function gives its reserved concurrency back to the account, and its slot once its running attempt ends", async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      await sim.sleep(5_000)
    })
    sim.createFunction('g', async () => 'ok')
    sim.putFunctionConcurrency('f', 900)
    await sim.invoke('f', {}, 'Event')
    await sim.advanceBy(1_000)
    sim.deleteFunction('f')
    expect(sim.putFunctionConcurrency('g', 900)).toEqual({ reservedConcurrentExecutions: 900 })
    await sim.runUntilIdle()
    sim.deleteFunctionConcurrency('g')
    expect(sim.putFunctionConcurrency('g', 900)).toEqual({ reservedConcurrentExecutions: 900 })
    expect((await sim.invoke('g', {})).payload).toBe('ok')
  })

  it('an SQS mapping of a deleted function stays (AWS: delete it with DeleteEventSourceMapping): its messages go back to the queue until the redrive policy moves them; a function created again under the name is its function', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('jobs-dlq')
    const jobs = sim.createQueue('jobs', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
    let runs = 0
    sim.createFunction('f', async () => {
      runs++
    })
    sim.createEventSourceMapping({ eventSourceArn: jobs.arn, functionName: 'f' })
    await sim.runUntilIdle()
    sim.deleteFunction('f')
    jobs.sendMessage({ body: 'job-1' })
    await sim.runUntilIdle()
    expect(runs).toBe(0)
    expect(dlq.bodies).toEqual(['job-1'])
    const returned = sim.timeline.ofType('esm').filter((e) => e.action === 'returned')
    expect(returned.map((e) => [(e.time - T0) / 1000, e.reason])).toEqual([
      [0, 'function f no longer exists'],
      [30, 'function f no longer exists'],
    ])
    // A function created again under the name has the same ARN: the mapping invokes it, and a second mapping is refused.
    const seen: string[] = []
    sim.createFunction('f', async (e: { Records: { body: string }[] }) => {
      seen.push(...e.Records.map((r) => r.body))
    })
    jobs.sendMessage({ body: 'job-2' })
    await sim.runUntilIdle()
    expect(seen).toEqual(['job-2'])
    expect(lambdaErr(() => sim.createEventSourceMapping({ eventSourceArn: jobs.arn, functionName: 'f' }))[0]).toBe('ResourceConflictException')
    expect(sim.listEventSourceMappings({ functionName: 'f' }).eventSourceMappings).toHaveLength(1)
  })

  it('through the SDK: DeleteFunction answers 204; its refusals carry the exception names, statuses and texts', async () => {
    const sim = deletable()
    const client = lambdaClient(sim)
    const ok = await client.send(new DeleteFunctionCommand({ FunctionName: 'f', Qualifier: '2' }))
    expect(ok.$metadata.httpStatusCode).toBe(204)
    const wire = async (p: Promise<unknown>): Promise<[string, number | undefined, string]> => {
      const e = await rejection(p)
      return [e.name, (e.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode, e.message]
    }
    expect(await wire(client.send(new DeleteFunctionCommand({ FunctionName: 'f', Qualifier: '1' })))).toEqual(['ResourceConflictException', 409, 'Unable to delete version because the following aliases reference it: [live]'])
    expect(await wire(client.send(new DeleteFunctionCommand({ FunctionName: 'f', Qualifier: '$LATEST' })))).toEqual(['InvalidParameterValueException', 400, '$LATEST version cannot be deleted without deleting the function.'])
    expect(await wire(client.send(new DeleteFunctionCommand({ FunctionName: 'f', Qualifier: 'live' })))).toEqual(['InvalidParameterValueException', 400, 'Deletion of aliases is not currently supported.'])
    expect(await wire(client.send(new DeleteFunctionCommand({ FunctionName: 'ghost' })))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:ghost`])
    expect((await client.send(new DeleteFunctionCommand({ FunctionName: `${ARN}:f` }))).$metadata.httpStatusCode).toBe(204)
    expect(await wire(client.send(new InvokeCommand({ FunctionName: 'f' })))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:f:$LATEST`])
  })
})

describe('audit: paging through a list while deleting what it listed (a clean-up script)', () => {
  function many(): Simulator {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    for (let i = 1; i <= 3; i++) {
      sim.updateFunctionConfiguration('f', { description: `v${i}` })
      sim.publishVersion('f')
    }
    return sim
  }

  it('ListAliases: deleting the alias just listed does not skip the next one', () => {
    const sim = many()
    for (const name of ['a', 'b', 'c']) sim.createAlias('f', { name, functionVersion: '1' })
    const seen: string[] = []
    let marker: string | undefined
    do {
      const page = sim.listAliases('f', marker === undefined ? { maxItems: 1 } : { maxItems: 1, marker })
      for (const a of page.aliases) {
        seen.push(a.name)
        sim.deleteAlias('f', a.name)
      }
      marker = page.nextMarker
    } while (marker !== undefined)
    expect(seen).toEqual(['a', 'b', 'c'])
    expect(sim.listAliases('f').aliases).toEqual([])
  })

  it('ListVersionsByFunction: deleting the versions just listed does not skip any', () => {
    const sim = many()
    const seen: string[] = []
    let marker: string | undefined
    do {
      const page = sim.listVersionsByFunction('f', marker === undefined ? { maxItems: 2 } : { maxItems: 2, marker })
      for (const v of page.versions) {
        seen.push(v.version)
        if (v.version !== '$LATEST') sim.deleteFunction('f', { qualifier: v.version })
      }
      marker = page.nextMarker
    } while (marker !== undefined)
    expect(seen).toEqual(['$LATEST', '1', '2', '3'])
    expect(sim.listVersionsByFunction('f').versions.map((v) => v.version)).toEqual(['$LATEST'])
  })

  it('ListFunctionEventInvokeConfigs: deleting the config just listed does not skip the next; a Put on an existing config keeps its place', () => {
    const sim = many()
    for (const qualifier of ['$LATEST', '1', '2', '3']) sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier, maximumRetryAttempts: 1 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1', maximumRetryAttempts: 0 })
    const seen: string[] = []
    let marker: string | undefined
    do {
      const page = sim.listFunctionEventInvokeConfigs(marker === undefined ? { functionName: 'f', maxItems: 1 } : { functionName: 'f', maxItems: 1, marker })
      for (const c of page.functionEventInvokeConfigs) {
        const qualifier = c.functionArn.split(':')[7] as string
        seen.push(qualifier)
        sim.deleteFunctionEventInvokeConfig({ functionName: 'f', qualifier })
      }
      marker = page.nextMarker
    } while (marker !== undefined)
    expect(seen).toEqual(['$LATEST', '1', '2', '3'])
  })

  it('through the SDK: paginateListAliases with a DeleteAlias per alias deletes them all', async () => {
    const sim = many()
    for (const name of ['a', 'b', 'c', 'd']) sim.createAlias('f', { name, functionVersion: '2' })
    const client = lambdaClient(sim)
    const seen: string[] = []
    for await (const page of paginateListAliases({ client, pageSize: 1 }, { FunctionName: 'f' })) {
      for (const a of page.Aliases ?? []) {
        seen.push(a.Name as string)
        await client.send(new DeleteAliasCommand({ FunctionName: 'f', Name: a.Name as string }))
      }
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd'])
    expect(sim.listAliases('f').aliases).toEqual([])
  })
})

describe('audit: random programs of version, alias, config, concurrency and delete changes with async events in flight', () => {
  type Op =
    | { op: 'invoke'; ref: number }
    | { op: 'publish' }
    | { op: 'alias'; name: number; version: number; weight: number | undefined }
    | { op: 'deleteAlias'; name: number }
    | { op: 'deleteVersion'; version: number }
    | { op: 'deleteFunction' }
    | { op: 'concurrency'; value: number | undefined }
    | { op: 'config'; qualifier: number; retries: number; age: number; mode: 'put' | 'update' | 'delete' }
    | { op: 'code'; fails: boolean; sleepMs: number; timeout: number }
    | { op: 'advance'; ms: number }
  const REFS = ['f', 'f:$LATEST', 'f:1', 'f:2', 'f:3', 'f:live', 'f:canary']
  const ALIASES = ['live', 'canary']
  const QUALIFIERS = ['$LATEST', '1', '2', 'live', 'canary']
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('invoke' as const), ref: fc.nat(REFS.length - 1) }), weight: 5 },
    fc.constant({ op: 'publish' as const }),
    fc.record({ op: fc.constant('alias' as const), name: fc.nat(1), version: fc.nat(3), weight: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }) }),
    fc.record({ op: fc.constant('deleteAlias' as const), name: fc.nat(1) }),
    fc.record({ op: fc.constant('deleteVersion' as const), version: fc.nat(3) }),
    fc.constant({ op: 'deleteFunction' as const }),
    fc.record({ op: fc.constant('concurrency' as const), value: fc.option(fc.nat(2), { nil: undefined }) }),
    fc.record({ op: fc.constant('config' as const), qualifier: fc.nat(QUALIFIERS.length - 1), retries: fc.nat(2), age: fc.integer({ min: 60, max: 400 }), mode: fc.constantFrom('put' as const, 'update' as const, 'delete' as const) }),
    fc.record({ op: fc.constant('code' as const), fails: fc.boolean(), sleepMs: fc.integer({ min: 0, max: 4_000 }), timeout: fc.integer({ min: 1, max: 3 }) }),
    { arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 200_000 })) }), weight: 3 },
  )

  async function run(seed: number, ops: Op[]): Promise<{ accepted: string[]; terminals: string[] }> {
    const sim = createSimulator({ seed })
    const dlq = sim.createQueue('dlq')
    const create = (): void => {
      sim.createFunction('f', async () => {
        throw fixedError('initial')
      }, { deadLetterConfig: { targetArn: dlq.arn } })
    }
    create()
    const accepted: string[] = []
    const tolerate = (f: () => unknown): void => {
      try {
        f()
      } catch (error) {
        // Refusals are LambdaErrors (AWS's answers); anything else is a bug.
        if (!(error instanceof LambdaError)) throw error
      }
    }
    for (const o of ops) {
      switch (o.op) {
        case 'invoke':
          try {
            accepted.push((await sim.invoke(REFS[o.ref] as string, {}, 'Event')).requestId)
          } catch (error) {
            if (!(error instanceof LambdaError)) throw error
          }
          break
        case 'publish':
          tolerate(() => sim.updateFunctionConfiguration('f', { description: `d${sim.now()}` }))
          tolerate(() => sim.publishVersion('f'))
          break
        case 'alias': {
          const name = ALIASES[o.name] as string
          const functionVersion = String(o.version)
          const routingConfig = o.weight === undefined ? {} : { additionalVersionWeights: { [String(o.version + 1)]: o.weight } }
          tolerate(() => {
            try {
              sim.getAlias('f', name)
            } catch {
              sim.createAlias('f', { name, functionVersion, routingConfig })
              return
            }
            sim.updateAlias('f', { name, functionVersion, routingConfig })
          })
          break
        }
        case 'deleteAlias':
          tolerate(() => sim.deleteAlias('f', ALIASES[o.name] as string))
          break
        case 'deleteVersion':
          tolerate(() => sim.deleteFunction('f', { qualifier: String(o.version) }))
          break
        case 'deleteFunction':
          tolerate(() => sim.deleteFunction('f'))
          tolerate(create)
          break
        case 'concurrency':
          tolerate(() => (o.value === undefined ? sim.deleteFunctionConcurrency('f') : sim.putFunctionConcurrency('f', o.value)))
          break
        case 'config': {
          const input = { functionName: 'f', qualifier: QUALIFIERS[o.qualifier] as string, maximumRetryAttempts: o.retries, maximumEventAgeInSeconds: o.age }
          tolerate(() => (o.mode === 'put' ? sim.putFunctionEventInvokeConfig(input) : o.mode === 'update' ? sim.updateFunctionEventInvokeConfig(input) : sim.deleteFunctionEventInvokeConfig({ functionName: 'f', qualifier: input.qualifier })))
          break
        }
        case 'code':
          tolerate(() =>
            sim.updateFunctionCode('f', async () => {
              await sim.sleep(o.sleepMs)
              if (o.fails) throw fixedError('code')
              return 'ok'
            }),
          )
          tolerate(() => sim.updateFunctionConfiguration('f', { timeout: o.timeout }))
          break
        case 'advance':
          await sim.advanceBy(o.ms)
          break
      }
    }
    await sim.runUntilIdle()
    sim.assertIdle()
    const terminals = sim.timeline.ofType('terminal').map((t) => `${t.requestId}:${t.condition}:${t.time}:${t.approximateInvokeCount}`)
    return { accepted, terminals }
  }

  it('every accepted event has exactly one terminal outcome, nothing but AWS errors is thrown, and a seed replays the same outcomes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), fc.array(opArb, { minLength: 1, maxLength: 40, size: 'max' }), async (seed, ops) => {
        const a = await run(seed, ops)
        const ids = a.terminals.map((t) => t.split(':')[0])
        expect([...ids].sort()).toEqual([...a.accepted].sort())
        expect((await run(seed, ops)).terminals).toEqual(a.terminals)
      }),
      { numRuns: 80 },
    )
  })
})
