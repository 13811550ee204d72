/**
 * The SDK audit: what a team whose production code calls Lambda through `@aws-sdk/client-lambda` v3
 * sees when its tests use lambda-sim's adapter, compared with what the SDK sees from AWS
 * (API reference: API_Invoke, API_GetFunction, API_PutFunctionEventInvokeConfig, ...).
 */
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaServiceException,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
  CreateFunctionCommand,
  UpdateFunctionConfigurationCommand,
  paginateListAliases,
  paginateListFunctions,
  paginateListVersionsByFunction,
  paginateListFunctionEventInvokeConfigs,
  waitUntilFunctionActive,
  waitUntilFunctionActiveV2,
  waitUntilFunctionExists,
  waitUntilFunctionUpdated,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  LambdaClient,
} from '@aws-sdk/client-lambda'
import { describe, expect, test } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import { lambdaClient, lambdaClientConfig, simulatorRequestHandler } from '../src/sdk/index.js'
import { rejection } from './helpers/errors.js'

const START = Date.parse('2026-01-01T00:00:00.000Z')
const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8')
const meta = (e: Record<string, unknown>): { httpStatusCode?: number; attempts?: number; requestId?: string } => e['$metadata'] as never

function setup(): { sim: Simulator; client: LambdaClient } {
  const sim = createSimulator()
  sim.createFunction('echo', async (event: unknown, context: { functionVersion: string }) => ({ event, version: context.functionVersion }))
  sim.createFunction('boom', async () => {
    throw new RangeError('out of range')
  })
  sim.createFunction('slow', async () => {
    await sim.sleep(1000)
    return 'slept'
  })
  return { sim, client: lambdaClient(sim) }
}

describe('InvokeCommand: payloads, status codes and response members', () => {
  test('Payload as a Uint8Array and as a string reach the handler alike; the response Payload is a Uint8Array', async () => {
    const { client } = setup()
    const a = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: new TextEncoder().encode('{"n":1}') }))
    const b = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{"n":1}' }))
    expect(a.Payload).toBeInstanceOf(Uint8Array)
    expect(text(a.Payload)).toBe('{"event":{"n":1},"version":"$LATEST"}')
    expect(text(b.Payload)).toBe(text(a.Payload))
    expect([a.StatusCode, a.ExecutedVersion, a.FunctionError, a.LogResult]).toEqual([200, '$LATEST', undefined, undefined])
  })

  test('Event answers 202 and DryRun 204, with an empty Payload and no ExecutedVersion', async () => {
    const { sim, client } = setup()
    const ev = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: '{}' }))
    expect([ev.StatusCode, ev.ExecutedVersion, ev.FunctionError, text(ev.Payload)]).toEqual([202, undefined, undefined, ''])
    const dry = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }))
    expect([dry.StatusCode, dry.ExecutedVersion, text(dry.Payload)]).toEqual([204, undefined, ''])
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(1)
  })

  test('a handler error answers 200 with FunctionError Unhandled and the error object as Payload', async () => {
    const { client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'boom' }))
    expect([r.StatusCode, r.FunctionError]).toEqual([200, 'Unhandled'])
    expect(JSON.parse(text(r.Payload))).toMatchObject({ errorType: 'RangeError', errorMessage: 'out of range' })
  })

  test('LogType Tail: LogResult is the base64 of the last 4,096 bytes of the log', async () => {
    const { sim, client } = setup()
    sim.createFunction('chatty', async () => {
      for (let i = 0; i < 200; i++) console.log(`line ${i} ${'x'.repeat(40)}`)
      return 'ok'
    })
    const r = await client.send(new InvokeCommand({ FunctionName: 'chatty', LogType: 'Tail' }))
    const log = Buffer.from(r.LogResult as string, 'base64')
    expect(log.length).toBe(4096)
    expect(log.toString('utf8')).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t(Init Duration: [\d.]+ ms\t)?\n$/)
    expect(log.toString('utf8')).toContain(`line 199 ${'x'.repeat(40)}`)
    expect(log.toString('utf8')).not.toContain('START RequestId')
  })

  test('Qualifier and a qualified name: ExecutedVersion names the version an alias resolved to', async () => {
    const { sim, client } = setup()
    sim.publishVersion('echo')
    sim.createAlias('echo', { name: 'live', functionVersion: '1' })
    const byQualifier = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'live' }))
    const byName = await client.send(new InvokeCommand({ FunctionName: 'echo:live' }))
    const byArn = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:1' }))
    expect([byQualifier.ExecutedVersion, byName.ExecutedVersion, byArn.ExecutedVersion]).toEqual(['1', '1', '1'])
    expect(JSON.parse(text(byName.Payload))).toEqual({ event: {}, version: '1' })
  })

  test('ClientContext: the longest base64 JSON under the 3,583-byte limit (3,580 characters: base64 comes in fours) reaches context.clientContext; 3,584 is refused', async () => {
    const { sim, client } = setup()
    let seen: unknown
    sim.createFunction('ctx', async (_e: unknown, context: { clientContext?: unknown }) => {
      seen = context.clientContext
    })
    const encode = (n: number): string => Buffer.from(JSON.stringify({ custom: { pad: 'y'.repeat(n) } })).toString('base64')
    let n = 0
    while (encode(n + 1).length <= 3583) n++
    expect(encode(n).length).toBe(3580)
    await client.send(new InvokeCommand({ FunctionName: 'ctx', ClientContext: encode(n) }))
    expect(seen).toEqual({ custom: { pad: 'y'.repeat(n) } })
    expect(encode(n + 1).length).toBe(3584)
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'ctx', ClientContext: encode(n + 1) })))
    expect([e.name, meta(e).httpStatusCode]).toEqual(['ValidationException', 400])
  })
})

describe('errors are the SDK’s modelled exception classes', () => {
  test('ResourceNotFoundException: instanceof, name, message, $fault client, httpStatusCode 404', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'ghost' })))
    expect(e).toBeInstanceOf(ResourceNotFoundException)
    expect(e).toBeInstanceOf(LambdaServiceException)
    expect([e.name, e['$fault'], meta(e).httpStatusCode, e.message]).toEqual(['ResourceNotFoundException', 'client', 404, 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:$LATEST'])
    expect(meta(e).requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('TooManyRequestsException: Reason, $fault client, 429; retryAfterSeconds absent (the adapter sends no Retry-After)', async () => {
    const { sim, client } = setup()
    sim.putFunctionConcurrency('echo', 0)
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    expect(e).toBeInstanceOf(TooManyRequestsException)
    expect([e.name, e['$fault'], meta(e).httpStatusCode, e['Reason'], e['retryAfterSeconds']]).toEqual(['TooManyRequestsException', 'client', 429, 'ReservedFunctionConcurrentInvocationLimitExceeded', undefined])
  })

  test('ServiceException: $fault server, 500', async () => {
    const { sim, client } = setup()
    sim.faults.inject({ functionName: 'echo', count: 1 })
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    expect(e).toBeInstanceOf(ServiceException)
    expect([e['$fault'], meta(e).httpStatusCode]).toEqual(['server', 500])
  })
})

describe('the SDK’s retries on throttles', () => {
  test('lambdaClient(sim, { maxAttempts: 2 }): one retry after 1 s of virtual time, no real waiting', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 2 })
    sim.putFunctionConcurrency('echo', 0)
    const t0 = performance.now()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    expect(performance.now() - t0).toBeLessThan(500)
    expect(meta(e).attempts).toBe(2)
    expect(sim.now() - START).toBe(1000)
  })

  test('maxAttempts given as a provider function is honoured like a number', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: () => Promise.resolve(3) })
    sim.putFunctionConcurrency('echo', 0)
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    expect(meta(e).attempts).toBe(3)
    expect(sim.now() - START).toBe(3000)
  })

  test('a throttle that clears while the SDK backs off: the retry runs the function', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    sim.putFunctionConcurrency('slow', 1)
    const [a, b] = await Promise.all([
      client.send(new InvokeCommand({ FunctionName: 'slow' })),
      client.send(new InvokeCommand({ FunctionName: 'slow' })),
    ])
    expect([a.StatusCode, b.StatusCode]).toEqual([200, 200])
    expect(b.$metadata.attempts).toBe(2)
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - START)).toEqual([0, 1000])
    expect(sim.now() - START).toBe(2000)
  })
})

describe('a client built with only simulatorRequestHandler keeps the SDK’s own retry strategy', () => {
  test('it retries a 500 after a real-time sleep; the virtual clock does not move', async () => {
    const { sim } = setup()
    const own = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: simulatorRequestHandler(sim) })
    sim.faults.inject({ functionName: 'echo', count: 1 })
    const r = await own.send(new InvokeCommand({ FunctionName: 'echo' }))
    expect(r.$metadata.attempts).toBe(2)
    expect(r.$metadata.totalRetryDelay).toBeGreaterThanOrEqual(0)
    expect(sim.now()).toBe(START)
  })
})

describe('concurrent sends', () => {
  test('three concurrent sends throttled together back off together: retries at +1 s and +3 s, as three clients on AWS would', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    sim.putFunctionConcurrency('echo', 0)
    const rs = await Promise.allSettled([1, 2, 3].map(() => client.send(new InvokeCommand({ FunctionName: 'echo' }))))
    expect(rs.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(sim.timeline.ofType('throttled').map((e) => e.time - START)).toEqual([0, 0, 0, 1000, 1000, 1000, 3000, 3000, 3000])
    expect(sim.now() - START).toBe(3000)
  })


  test('three concurrent RequestResponse sends run in parallel on the virtual clock', async () => {
    const { sim, client } = setup()
    const rs = await Promise.all([1, 2, 3].map(() => client.send(new InvokeCommand({ FunctionName: 'slow' }))))
    expect(rs.map((r) => text(r.Payload))).toEqual(['"slept"', '"slept"', '"slept"'])
    expect(sim.now() - START).toBe(1000)
  })

  test('three concurrent sends to a function with reserved concurrency 1 and maxAttempts 3: one runs, the others retry as it frees up', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    sim.putFunctionConcurrency('slow', 1)
    const rs = await Promise.allSettled([1, 2, 3].map(() => client.send(new InvokeCommand({ FunctionName: 'slow' }))))
    expect(rs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    // Both throttled at 0 retry at +1 s, when the first has just finished: one runs, the other backs off 2 s more.
    expect(sim.timeline.ofType('throttled').map((e) => e.time - START)).toEqual([0, 0, 1000])
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - START)).toEqual([0, 1000, 3000])
    expect(sim.now() - START).toBe(4000)
  })

  test('concurrent sends over reserved concurrency: the excess is throttled at the same instant', async () => {
    const { sim, client } = setup()
    sim.putFunctionConcurrency('slow', 2)
    const rs = await Promise.allSettled([1, 2, 3].map(() => client.send(new InvokeCommand({ FunctionName: 'slow' }))))
    expect(rs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect(sim.timeline.ofType('throttled').map((e) => e.time - START)).toEqual([0])
  })
})

describe('AbortSignal', () => {
  test('a signal aborted before send rejects with AbortError and nothing runs', async () => {
    const { sim, client } = setup()
    const controller = new AbortController()
    controller.abort()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' }), { abortSignal: controller.signal }))
    expect(e.name).toBe('AbortError')
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(0)
  })

  test('a signal aborted while the function runs rejects the send with AbortError; the function still finishes', async () => {
    const { sim, client } = setup()
    const controller = new AbortController()
    sim.on('attempt-started', () => controller.abort())
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'slow' }), { abortSignal: controller.signal }))
    expect([e.name, e.message, (e.cause as Error).name]).toEqual(['AbortError', 'Request aborted', 'AbortError'])
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-finished').map((a) => [a.outcome, a.time - START])).toEqual([['success', 1000]])
  })

  test('a client the application builds from lambdaClientConfig(sim) aborts the same way', async () => {
    const { sim } = setup()
    const own = new LambdaClient(lambdaClientConfig(sim))
    const controller = new AbortController()
    sim.on('attempt-started', () => controller.abort(new Error('shutting down')))
    const e = await rejection(own.send(new InvokeCommand({ FunctionName: 'slow' }), { abortSignal: controller.signal }))
    expect([e.name, e.message, (e.cause as Error).message]).toEqual(['AbortError', 'Request aborted', 'shutting down'])
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-finished').map((a) => [a.outcome, a.time - START])).toEqual([['success', 1000]])
  })

  test('a handler that aborts its own send after 200 ms catches AbortError at +200 ms; the callee runs to +1 s', async () => {
    const { sim, client } = setup()
    sim.createFunction(
      'caller',
      async () => {
        const controller = new AbortController()
        const pending = client.send(new InvokeCommand({ FunctionName: 'slow' }), { abortSignal: controller.signal })
        await sim.sleep(200)
        controller.abort('caller gave up')
        try {
          await pending
          return 'answered'
        } catch (error) {
          return [(error as Error).name, (error as Error).message, sim.now() - START]
        }
      },
      { timeout: 5 },
    )
    const r = await sim.invoke('caller')
    expect(r.payload).toEqual(['AbortError', 'caller gave up', 200])
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-finished').map((a) => [a.functionName, a.time - START])).toEqual([
      ['caller', 200],
      ['slow', 1000],
    ])
    expect(sim.pending()).toEqual([])
    sim.assertIdle()
  })

  test('a send frozen with its environment and aborted before the environment thaws is never sent', async () => {
    const { sim, client } = setup()
    const controller = new AbortController()
    let calls = 0
    sim.createFunction('fire', async () => {
      if (++calls === 1) void client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event' }), { abortSignal: controller.signal }).catch(() => undefined)
    })
    await sim.invoke('fire')
    // Let the request travel through the SDK's middleware and reach the adapter, where it is held.
    await new Promise((resolve) => setImmediate(resolve))
    controller.abort()
    await sim.invoke('fire')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('accepted').map((a) => a.functionName)).toEqual([])
    expect(sim.timeline.ofType('attempt-started').map((a) => a.functionName)).toEqual(['fire', 'fire'])
    expect(sim.pending()).toEqual([])
    sim.assertIdle()
  })
})

describe('middleware, logger and destroy', () => {
  test('a custom middleware sees the command and the response; a logger gets the SDK’s info lines', async () => {
    const { sim } = setup()
    const lines: unknown[] = []
    const logger = { debug: () => {}, info: (x: unknown) => lines.push(x), warn: () => {}, error: (x: unknown) => lines.push(x) }
    const client = lambdaClient(sim, { logger })
    const seen: string[] = []
    client.middlewareStack.add(
      (next, context) => async (args) => {
        seen.push(`before ${context.commandName as string}`)
        const out = await next(args)
        seen.push(`after ${(out.response as { statusCode: number }).statusCode}`)
        return out
      },
      { step: 'deserialize', name: 'auditMiddleware' },
    )
    await client.send(new InvokeCommand({ FunctionName: 'echo' }))
    expect(seen).toEqual(['before InvokeCommand', 'after 200'])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ clientName: 'LambdaClient', commandName: 'InvokeCommand', output: { StatusCode: 200 } })
  })

  test('client.destroy() then send: the client still answers (the adapter holds no sockets)', async () => {
    const { client } = setup()
    client.destroy()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo' }))
    expect(r.StatusCode).toBe(200)
  })
})

describe('waiters and paginators', () => {
  test('waitUntilFunctionActive / ActiveV2 / Exists / Updated / UpdatedV2 succeed at once for a simulated function', async () => {
    const { sim, client } = setup()
    const t0 = performance.now()
    for (const wait of [waitUntilFunctionActive, waitUntilFunctionActiveV2, waitUntilFunctionExists, waitUntilFunctionUpdated, waitUntilFunctionUpdatedV2]) {
      const r = await wait({ client, maxWaitTime: 30 }, { FunctionName: 'echo' })
      expect(r.state).toBe('SUCCESS')
    }
    sim.publishVersion('echo')
    expect((await waitUntilPublishedVersionActive({ client, maxWaitTime: 30 }, { FunctionName: 'echo', Qualifier: '1' })).state).toBe('SUCCESS')
    expect(performance.now() - t0).toBeLessThan(1000)
  })

  test('paginators walk aliases, versions and event invoke configs', async () => {
    const { sim, client } = setup()
    for (let i = 0; i < 3; i++) {
      sim.updateFunctionCode('echo', async () => i)
      sim.publishVersion('echo')
    }
    for (const name of ['a', 'b', 'c']) sim.createAlias('echo', { name, functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'echo', maximumRetryAttempts: 0 })
    sim.putFunctionEventInvokeConfig({ functionName: 'echo', qualifier: '1', maximumRetryAttempts: 1 })
    const aliases: string[] = []
    for await (const page of paginateListAliases({ client, pageSize: 2 }, { FunctionName: 'echo' })) aliases.push(...(page.Aliases ?? []).map((a) => a.Name as string))
    expect(aliases).toEqual(['a', 'b', 'c'])
    const versions: string[] = []
    for await (const page of paginateListVersionsByFunction({ client, pageSize: 2 }, { FunctionName: 'echo' })) versions.push(...(page.Versions ?? []).map((v) => v.Version as string))
    expect(versions).toEqual(['$LATEST', '1', '2', '3'])
    const configs: string[] = []
    for await (const page of paginateListFunctionEventInvokeConfigs({ client, pageSize: 1 }, { FunctionName: 'echo' })) configs.push(...(page.FunctionEventInvokeConfigs ?? []).map((c) => c.FunctionArn as string))
    expect(configs).toHaveLength(2)
  })
})

describe('configuration operations: response shapes against the API reference', () => {
  test('PutFunctionEventInvokeConfig on the unqualified function answers FunctionArn …:$LATEST', async () => {
    const { client } = setup()
    const r = await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'echo', MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 }))
    expect(r.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST')
    expect(r.LastModified).toBeInstanceOf(Date)
    expect([r.MaximumRetryAttempts, r.MaximumEventAgeInSeconds]).toEqual([0, 3600])
    expect(r.DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: {} })
  })

  test('PutFunctionConcurrency answers ReservedConcurrentExecutions', async () => {
    const { client } = setup()
    const r = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'echo', ReservedConcurrentExecutions: 5 }))
    expect(r.ReservedConcurrentExecutions).toBe(5)
  })

  test('GetFunction answers Configuration, Code and (when reserved) Concurrency', async () => {
    const { sim, client } = setup()
    sim.putFunctionConcurrency('echo', 7)
    const r = await client.send(new GetFunctionCommand({ FunctionName: 'echo' }))
    expect(r.Configuration).toMatchObject({ FunctionName: 'echo', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo', Runtime: 'nodejs22.x', Version: '$LATEST', State: 'Active', LastUpdateStatus: 'Successful', Timeout: 3, MemorySize: 128 })
    expect(r.Code?.RepositoryType).toBe('S3')
    expect(r.Concurrency).toEqual({ ReservedConcurrentExecutions: 7 })
    const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }))
    expect(c).toMatchObject(r.Configuration as object)
  })

  test('CreateFunction answers 501 NotImplementedException (code cannot come over the wire: sim.createFunction)', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new CreateFunctionCommand({ FunctionName: 'x', Role: 'arn:aws:iam::123456789012:role/r', Code: { ZipFile: new Uint8Array([1]) } })))
    expect([e.name, meta(e).httpStatusCode]).toEqual(['NotImplementedException', 501])
  })

  test('UpdateFunctionConfiguration changes $LATEST (Timeout, MemorySize, Description, Environment, DeadLetterConfig) and answers its FunctionConfiguration; waitUntilFunctionUpdatedV2 succeeds at once', async () => {
    const { sim, client } = setup()
    const dlq = sim.createQueue('dlq')
    const before = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }))
    const r = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', Timeout: 10, MemorySize: 256, Description: 'v2', Environment: { Variables: { STAGE: 'test' } }, DeadLetterConfig: { TargetArn: dlq.arn }, RevisionId: before.RevisionId }))
    expect(r).toMatchObject({ FunctionName: 'echo', Version: '$LATEST', Timeout: 10, MemorySize: 256, Description: 'v2', Environment: { Variables: { STAGE: 'test' } }, DeadLetterConfig: { TargetArn: dlq.arn }, State: 'Active', LastUpdateStatus: 'Successful' })
    expect(r.RevisionId).not.toBe(before.RevisionId)
    const after = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }))
    const { $metadata: _m1, ...answered } = r
    const { $metadata: _m2, ...got } = after
    expect(got).toEqual(answered)
    expect((await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: 'echo' })).state).toBe('SUCCESS')
    // Members left out keep their values; an empty TargetArn removes the DLQ; Variables {} removes the variables.
    const r2 = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', DeadLetterConfig: { TargetArn: '' }, Environment: { Variables: {} } }))
    expect([r2.Timeout, r2.Description, r2.DeadLetterConfig, r2.Environment]).toEqual([10, 'v2', undefined, undefined])
  })

  test('UpdateFunctionConfiguration errors: a stale RevisionId (412), a published version, an unknown function, a bad timeout, a member lambda-sim does not simulate (501)', async () => {
    const { sim, client } = setup()
    const stale = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', Timeout: 5, RevisionId: '00000000-0000-4000-8000-000000000000' })))
    expect([stale.name, meta(stale).httpStatusCode, stale.message]).toEqual(['PreconditionFailedException', 412, 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id'])
    sim.publishVersion('echo')
    const version = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo:1', Timeout: 5 })))
    expect([version.name, version.message]).toEqual(['InvalidParameterValueException', 'Current operation does not support versions other than $LATEST. Please set the version to $LATEST or do not set a version in your request.'])
    const missing = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ghost', Timeout: 5 })))
    expect(missing).toBeInstanceOf(ResourceNotFoundException)
    const timeout = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', Timeout: 901 })))
    expect([timeout.name, timeout.message]).toEqual(['ValidationException', "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"])
    const role = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'echo', Role: 'arn:aws:iam::123456789012:role/other', Timeout: 5 })))
    expect([role.name, meta(role).httpStatusCode, role.message]).toEqual(['NotImplementedException', 501, 'lambda-sim does not implement the UpdateFunctionConfiguration member Role (only Timeout, MemorySize, Description, Environment, DeadLetterConfig and LoggingConfig without LogGroup are simulated)'])
    // Nothing changed on any refusal.
    expect((await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'echo' }))).Timeout).toBe(3)
  })

  test('ListFunctions lists each function’s $LATEST by name, without State and LastUpdateStatus; paginateListFunctions pages through 50 at most', async () => {
    const { sim, client } = setup()
    for (let i = 0; i < 60; i++) sim.createFunction(`f${String(i).padStart(2, '0')}`, async () => i)
    sim.publishVersion('echo')
    const first = await client.send(new ListFunctionsCommand({}))
    expect(first.Functions).toHaveLength(50)
    expect(first.NextMarker).toEqual(expect.any(String))
    const echo = (await client.send(new GetFunctionCommand({ FunctionName: 'echo' }))).Configuration as Record<string, unknown>
    const { State: _s, LastUpdateStatus: _l, ...listed } = echo
    const names: string[] = []
    let echoListed: unknown
    for await (const page of paginateListFunctions({ client, pageSize: 25 }, {})) {
      for (const f of page.Functions ?? []) {
        names.push(f.FunctionName as string)
        if (f.FunctionName === 'echo') echoListed = f
      }
    }
    expect(names).toEqual([...['boom', 'echo'], ...Array.from({ length: 60 }, (_, i) => `f${String(i).padStart(2, '0')}`), 'slow'])
    expect(echoListed).toEqual(listed)
    expect(echoListed).not.toHaveProperty('State')
  })

  test('ListFunctions FunctionVersion ALL lists every version (qualified ARNs); a deleted function is gone; a bad marker or FunctionVersion is refused', async () => {
    const { sim, client } = setup()
    sim.publishVersion('echo')
    sim.deleteFunction('boom')
    const all = await client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }))
    expect(all.Functions?.map((f) => [f.FunctionName, f.Version, f.FunctionArn])).toEqual([
      ['echo', '$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST'],
      ['echo', '1', 'arn:aws:lambda:us-east-1:123456789012:function:echo:1'],
      ['slow', '$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:slow:$LATEST'],
    ])
    const plain = await client.send(new ListFunctionsCommand({}))
    expect(plain.Functions?.map((f) => f.FunctionArn)).toEqual(['arn:aws:lambda:us-east-1:123456789012:function:echo', 'arn:aws:lambda:us-east-1:123456789012:function:slow'])
    const badMarker = await rejection(client.send(new ListFunctionsCommand({ Marker: 'nope' })))
    expect([badMarker.name, badMarker.message]).toEqual(['InvalidParameterValueException', 'Invalid marker: nope'])
    const badVersion = await rejection(client.send(new ListFunctionsCommand({ FunctionVersion: 'LATEST' as 'ALL' })))
    expect([badVersion.name, badVersion.message]).toEqual(['ValidationException', "1 validation error detected: Value 'LATEST' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]"])
    const badMax = await rejection(client.send(new ListFunctionsCommand({ MaxItems: 0 })))
    expect([badMax.name, badMax.message]).toEqual(['ValidationException', "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"])
  })
})
