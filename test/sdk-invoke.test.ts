import {
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
  InvalidParameterValueException,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda'
import { describe, expect, test } from 'vitest'
import { createSimulator, LambdaError, type Simulator } from '../src/index.js'
import { lambdaClient, simulatorRequestHandler, virtualRetryStrategy } from '../src/sdk/index.js'
import { rejection } from './helpers/errors.js'

const START = Date.parse('2026-01-01T00:00:00.000Z')
const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8')
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64')

function setup(): { sim: Simulator; client: LambdaClient } {
  const sim = createSimulator()
  sim.createFunction('echo', async (event: unknown, context: { awsRequestId: string; functionVersion: string; clientContext?: unknown }) => {
    console.log('hello from echo')
    return { event, requestId: context.awsRequestId, version: context.functionVersion, clientContext: context.clientContext ?? null }
  })
  sim.createFunction('boom', async () => {
    throw new TypeError('x is not a function')
  })
  return { sim, client: lambdaClient(sim) }
}

describe('Invoke through the real LambdaClient', () => {
  test('a RequestResponse invoke answers 200 with the result, X-Amz-Executed-Version and the request id the handler saw', async () => {
    const { sim, client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ a: 1 }) }))
    expect(r.StatusCode).toBe(200)
    expect(r.ExecutedVersion).toBe('$LATEST')
    expect(r.FunctionError).toBeUndefined()
    expect(r.LogResult).toBeUndefined()
    const body = JSON.parse(text(r.Payload)) as { event: unknown; requestId: string; version: string }
    expect(body.event).toEqual({ a: 1 })
    expect(r.$metadata.requestId).toBe(body.requestId)
    expect(r.$metadata.requestId).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/)
    expect(sim.timeline.ofType('attempt-finished').map((e) => [e.requestId, e.outcome])).toEqual([[body.requestId, 'success']])
  })

  test('an invoke without a payload gives the handler {}', async () => {
    const { client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo' }))
    expect((JSON.parse(text(r.Payload)) as { event: unknown }).event).toEqual({})
  })

  test('a handler that throws answers 200 with X-Amz-Function-Error: Unhandled and the runtime error object', async () => {
    const { client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'boom' }))
    expect(r.StatusCode).toBe(200)
    expect(r.FunctionError).toBe('Unhandled')
    const payload = JSON.parse(text(r.Payload)) as { errorType: string; errorMessage: string; trace: string[] }
    expect(payload.errorType).toBe('TypeError')
    expect(payload.errorMessage).toBe('x is not a function')
    expect(payload.trace[0]).toBe('TypeError: x is not a function')
  })

  test('LogType Tail returns the base64 START/log/END/REPORT lines in X-Amz-Log-Result', async () => {
    const { client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', LogType: 'Tail' }))
    const log = Buffer.from(r.LogResult as string, 'base64').toString('utf8')
    const id = r.$metadata.requestId as string
    expect(log).toContain(`START RequestId: ${id} Version: $LATEST\n`)
    expect(log).toContain(`2026-01-01T00:00:00.000Z\t${id}\tINFO\thello from echo\n`)
    expect(log).toContain(`END RequestId: ${id}\n`)
    expect(log).toMatch(/REPORT RequestId: .*\tDuration: 0\.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB/)
  })

  test('an Event invoke answers 202 with an empty body and no executed-version header; the function runs when the clock is driven', async () => {
    const { sim, client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: '{"b":2}' }))
    expect(r.StatusCode).toBe(202)
    expect(text(r.Payload)).toBe('')
    expect(r.ExecutedVersion).toBeUndefined()
    expect(sim.timeline.ofType('accepted').map((e) => e.requestId)).toEqual([r.$metadata.requestId])
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(0)
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-finished').map((e) => [e.requestId, e.outcome])).toEqual([[r.$metadata.requestId, 'success']])
  })

  test('a DryRun answers 204 and does not run the function', async () => {
    const { sim, client } = setup()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }))
    expect(r.StatusCode).toBe(204)
    expect(text(r.Payload)).toBe('')
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(0)
  })

  test('Qualifier and name:qualifier both select a version; through an alias X-Amz-Executed-Version is the version it points to', async () => {
    const { sim, client } = setup()
    sim.publishVersion('echo')
    sim.createAlias('echo', { name: 'live', functionVersion: '1' })
    const byQuery = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '1' }))
    const byName = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:live' }))
    expect([byQuery.ExecutedVersion, byName.ExecutedVersion]).toEqual(['1', '1'])
    expect((JSON.parse(text(byName.Payload)) as { version: string }).version).toBe('1')
  })

  test('ClientContext (base64 JSON) reaches context.clientContext', async () => {
    const { client } = setup()
    const cc = { custom: { tenant: 't-1' }, env: { platform: 'test' } }
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', ClientContext: b64(cc) }))
    expect((JSON.parse(text(r.Payload)) as { clientContext: unknown }).clientContext).toEqual(cc)
  })

  test('the response body is the attempt output byte for byte (strings, null, unicode)', async () => {
    const sim = createSimulator()
    const client = lambdaClient(sim)
    sim.createFunction('str', async () => 'héllo \u2028 "q"')
    sim.createFunction('nothing', async () => undefined)
    expect(text((await client.send(new InvokeCommand({ FunctionName: 'str' }))).Payload)).toBe(JSON.stringify('héllo \u2028 "q"'))
    expect(text((await client.send(new InvokeCommand({ FunctionName: 'nothing' }))).Payload)).toBe('null')
  })
})

describe('Invoke through a weighted alias (spec §12)', () => {
  test('ExecutedVersion and the START … Version: line of LogResult name the version that ran', async () => {
    const { sim, client } = setup()
    sim.publishVersion('echo')
    sim.updateFunctionConfiguration('echo', { timeout: 5 })
    sim.publishVersion('echo')
    sim.createAlias('echo', { name: 'c', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    const ran: string[] = []
    for (let i = 0; i < 20; i++) {
      const r = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'c', LogType: 'Tail' }))
      const body = JSON.parse(text(r.Payload)) as { requestId: string; version: string }
      const log = Buffer.from(r.LogResult as string, 'base64').toString('utf8')
      expect(log.split('\n')[0]).toBe(`START RequestId: ${body.requestId} Version: ${r.ExecutedVersion as string}`)
      expect(body.version).toBe(r.ExecutedVersion)
      ran.push(r.ExecutedVersion as string)
    }
    expect(new Set(ran)).toEqual(new Set(['1', '2']))
  })
})

describe('ClientContext is for synchronous invocations only (API_Invoke)', () => {
  test('an Event invoke neither checks nor passes ClientContext; RequestResponse and DryRun check it', async () => {
    const { sim, client } = setup()
    const seen: unknown[] = []
    sim.createFunction('ctx', async (_e: unknown, context: { clientContext?: unknown }) => {
      seen.push(context.clientContext ?? null)
    })
    const valid = b64({ custom: { foo: 'bar' } })
    const tooLong = b64({ custom: { pad: 'x'.repeat(2700) } })
    expect(tooLong.length).toBe(3628)
    for (const clientContext of ['not base64 json', valid, tooLong]) {
      const r = await client.send(new InvokeCommand({ FunctionName: 'ctx', InvocationType: 'Event', ClientContext: clientContext }))
      expect(r.StatusCode).toBe(202)
    }
    await sim.runUntilIdle()
    expect(seen).toEqual([null, null, null])
    for (const type of ['RequestResponse', 'DryRun'] as const) {
      const bad = await rejection(client.send(new InvokeCommand({ FunctionName: 'ctx', InvocationType: type, ClientContext: 'not base64 json' })))
      expect(bad).toBeInstanceOf(InvalidRequestContentException)
      expect(bad.message).toBe('Client context must be a valid Base64-encoded JSON object.')
      const long = await rejection(client.send(new InvokeCommand({ FunctionName: 'ctx', InvocationType: type, ClientContext: tooLong })))
      expect([long.name, long.message]).toEqual(['ValidationException', "1 validation error detected: Value at 'clientContext' failed to satisfy constraint: Member must have length less than or equal to 3583"])
    }
    await client.send(new InvokeCommand({ FunctionName: 'ctx', ClientContext: valid }))
    expect(seen).toEqual([null, null, null, { custom: { foo: 'bar' } }])
  })
})

describe('Invoke error paths raise the SDK’s own exceptions', () => {
  test('an unknown function is ResourceNotFoundException (404) with the qualified ARN', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'nope' })))
    expect(e).toBeInstanceOf(ResourceNotFoundException)
    expect(e.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST')
    expect(e['Type']).toBe('User')
    expect((e['$metadata'] as { httpStatusCode: number }).httpStatusCode).toBe(404)
  })

  test('an unknown alias is ResourceNotFoundException naming the alias ARN', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'missing' })))
    expect(e).toBeInstanceOf(ResourceNotFoundException)
    expect(e.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:echo:missing')
  })

  test('a qualifier in the name that differs from Qualifier is InvalidParameterValueException', async () => {
    const { sim, client } = setup()
    sim.publishVersion('echo')
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo:1', Qualifier: '$LATEST' })))
    expect(e).toBeInstanceOf(InvalidParameterValueException)
    expect(e.message).toBe('The derived qualifier from the function name does not match the specified qualifier.')
  })

  test('a malformed function name is a ValidationException with AWS’s pattern text', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'bad name!' })))
    expect(e).toBeInstanceOf(LambdaServiceException)
    expect(e.name).toBe('ValidationException')
    expect(e.message).toMatch(/^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(arn:/)
    expect((e['$metadata'] as { httpStatusCode: number }).httpStatusCode).toBe(400)
  })

  test('an invocation type or log type outside the enum is a ValidationException', async () => {
    const { client } = setup()
    const t = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Later' as 'Event' })))
    expect([t.name, t.message]).toEqual(['ValidationException', "1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"])
    const l = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', LogType: 'All' as 'Tail' })))
    expect([l.name, l.message]).toEqual(['ValidationException', "1 validation error detected: Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]"])
  })

  test('a payload that is not JSON is InvalidRequestContentException (400)', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '{value' })))
    expect(e).toBeInstanceOf(InvalidRequestContentException)
    expect(e.message).toMatch(/^Could not parse request body into json: Could not parse payload into json: /)
  })

  test('a payload that is not UTF-8 is InvalidRequestContentException (400) and the function does not run', async () => {
    const { sim, client } = setup()
    // The bytes AWS CLI v2 sends for an inline payload without --cli-binary-format (LocalStack's AWS-validated test_lambda_invoke_payload_encoding_error).
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: new Uint8Array([0x99, 0xeb, 0x2c, 0x6a, 0x07, 0xa1, 0x7a, 0x59, 0x68]) })))
    expect(e).toBeInstanceOf(InvalidRequestContentException)
    expect(e.message).toBe('Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 start byte 0x99 at byte 0')
    const m = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]) })))
    expect(m.message).toBe('Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 middle byte 0x28 at byte 2')
    // A bad byte inside a JSON string used to be decoded to U+FFFD and the function ran with it.
    const inString = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: new Uint8Array([...Buffer.from('{"s":"'), 0xff, ...Buffer.from('"}')]) })))
    expect(inString.message).toBe('Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 start byte 0xff at byte 6')
    expect(sim.timeline.ofType('attempt-started')).toHaveLength(0)
    // Valid multi-byte UTF-8 still passes.
    const ok = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(JSON.stringify({ s: 'é€😀' }), 'utf8') }))
    expect((JSON.parse(text(ok.Payload)) as { event: unknown }).event).toEqual({ s: 'é€😀' })
  })

  test('a client context that is not base64 JSON is InvalidRequestContentException', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', ClientContext: Buffer.from('not json').toString('base64') })))
    expect(e).toBeInstanceOf(InvalidRequestContentException)
    expect(e.message).toBe('Client context must be a valid Base64-encoded JSON object.')
  })

  test('payloads over 6 MB (sync) and 1 MB (Event) are 413 RequestEntityTooLargeException, counted in raw bytes', async () => {
    const { client } = setup()
    // 1,048,577 bytes of JSON, nearly all whitespace: the raw body counts, not a re-serialisation (7 bytes).
    const big = `{"a":1${' '.repeat(1_048_570)}}`
    expect(Buffer.byteLength(big)).toBe(1_048_577)
    const e1 = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: big })))
    expect(e1.name).toBe('RequestEntityTooLargeException')
    expect(e1.message).toBe('1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)')
    expect((e1['$metadata'] as { httpStatusCode: number }).httpStatusCode).toBe(413)
    const sync = `"${'x'.repeat(6_291_456 - 1)}"`
    const e2 = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo', Payload: sync })))
    expect(e2.name).toBe('RequestEntityTooLargeException')
    expect(e2).not.toBeInstanceOf(RequestTooLargeException)
    expect(e2.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation')
  })

  test('a throttled invoke is TooManyRequestsException with Reason, Type and message "Rate Exceeded."', async () => {
    const { sim, client } = setup()
    sim.putFunctionConcurrency('echo', 0)
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    expect(e).toBeInstanceOf(TooManyRequestsException)
    expect(e.message).toBe('Rate Exceeded.')
    expect(e['Reason']).toBe('ReservedFunctionConcurrentInvocationLimitExceeded')
    expect(e['Type']).toBe('User')
    expect((e['$metadata'] as { httpStatusCode: number; attempts: number }).httpStatusCode).toBe(429)
    // The 429's request id is the one the timeline recorded for the throttled request.
    expect(sim.timeline.ofType('throttled').map((t) => t.requestId)).toEqual([(e['$metadata'] as { requestId: string }).requestId])
  })

  test('an injected service fault is the SDK’s ServiceException (500, Type Service)', async () => {
    const { sim, client } = setup()
    sim.faults.inject({ functionName: 'echo', count: 1 })
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    expect(e).toBeInstanceOf(ServiceException)
    expect(e['Type']).toBe('Service')
    expect(e.message).toBe('Lambda was unable to process the request (fault injected by lambda-sim).')
    expect(((await client.send(new InvokeCommand({ FunctionName: 'echo' }))) as InvokeCommandOutput).StatusCode).toBe(200)
  })

  test('every LambdaError maps generically: name → x-amzn-ErrorType, statusCode, Type, message, Reason', async () => {
    const sim = createSimulator()
    const handler = simulatorRequestHandler(sim)
    sim.putFunctionConcurrency = () => {
      throw new LambdaError('TooManyRequestsException', 429, 'Rate Exceeded.', { type: 'User', reason: 'CallerRateLimitExceeded' })
    }
    const { response } = await handler.handle({ method: 'PUT', path: '/2017-10-31/functions/f/concurrency', headers: {}, body: '{"ReservedConcurrentExecutions":1}' })
    expect(response.statusCode).toBe(429)
    expect(response.headers['x-amzn-errortype']).toBe('TooManyRequestsException')
    expect(response.headers['x-amzn-requestid']).toMatch(/^[a-f0-9-]{36}$/)
    expect(JSON.parse(Buffer.from(response.body).toString())).toEqual({ Type: 'User', message: 'Rate Exceeded.', Reason: 'CallerRateLimitExceeded' })
  })

  test("the error body names its message member as AWS's model does: Message for ResourceNotFoundException and ServiceException, message for the others", async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    const handler = simulatorRequestHandler(sim)
    const body = async (path: string, headers: Record<string, string> = {}, payload = ''): Promise<[number, unknown]> => {
      const { response } = await handler.handle({ method: 'POST', path, headers, body: payload })
      return [response.statusCode, JSON.parse(Buffer.from(response.body).toString())]
    }
    expect(await body('/2015-03-31/functions/ghost/invocations')).toEqual([404, { Type: 'User', Message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:$LATEST' }])
    sim.faults.inject({ functionName: 'f', count: 1 })
    expect(await body('/2015-03-31/functions/f/invocations')).toEqual([500, { Type: 'Service', Message: 'Lambda was unable to process the request (fault injected by lambda-sim).' }])
    expect(await body('/2015-03-31/functions/f/invocations', {}, '{bad')).toEqual([400, { Type: 'User', message: expect.stringMatching(/^Could not parse request body into json: Could not parse payload into json: /) as unknown }])
    sim.putFunctionConcurrency('f', 0)
    expect(await body('/2015-03-31/functions/f/invocations')).toEqual([429, { Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }])
  })
})

describe('the SDK’s retries and the virtual clock', () => {
  test('by default a throttled invoke rejects after one attempt, with no real or virtual waiting', async () => {
    const { sim, client } = setup()
    sim.putFunctionConcurrency('echo', 0)
    const realStart = performance.now()
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'echo' })))
    const realMs = performance.now() - realStart
    expect(e).toBeInstanceOf(TooManyRequestsException)
    expect(e['$metadata']).toMatchObject({ attempts: 1, totalRetryDelay: 0 })
    expect(sim.now()).toBe(START)
    expect(realMs).toBeLessThan(500)
  })

  test('maxAttempts: 3 retries a throttle 1 s then 2 s later on the virtual clock, and succeeds when the fault is gone', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    sim.faults.inject({ functionName: 'echo', count: 2, kind: 'TooManyRequestsException' })
    const realStart = performance.now()
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo' }))
    expect(performance.now() - realStart).toBeLessThan(500)
    expect(r.StatusCode).toBe(200)
    expect(r.$metadata.attempts).toBe(3)
    expect(sim.timeline.ofType('throttled').map((e) => e.time - START)).toEqual([0, 1000])
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - START)).toEqual([3000])
    expect(sim.now()).toBe(START + 3000)
  })

  test('a transient 500 is retried after 50 ms; client errors (404) are not retried', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    sim.faults.inject({ functionName: 'echo', count: 1 })
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo' }))
    expect(r.$metadata.attempts).toBe(2)
    expect(sim.now()).toBe(START + 50)
    const e = await rejection(client.send(new InvokeCommand({ FunctionName: 'nope' })))
    expect(e['$metadata']).toMatchObject({ attempts: 1 })
    expect(sim.now()).toBe(START + 50)
  })

  test('inside a handler, SDK backoff parks the calling attempt on the virtual clock', async () => {
    const sim = createSimulator()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    sim.createFunction('blocked', async () => 'never')
    sim.putFunctionConcurrency('blocked', 0)
    sim.createFunction(
      'caller',
      async () => {
        const before = sim.now()
        try {
          await client.send(new InvokeCommand({ FunctionName: 'blocked' }))
          return 'unexpected'
        } catch (error) {
          const e = error as TooManyRequestsException
          return { name: e.name, attempts: e.$metadata.attempts, waitedMs: sim.now() - before }
        }
      },
      { timeout: 10 },
    )
    const r = await sim.invoke('caller')
    expect(r.payload).toEqual({ name: 'TooManyRequestsException', attempts: 3, waitedMs: 3000 })
    expect(sim.now()).toBe(START + 3000)
  })

  test('virtualRetryStrategy validates maxAttempts', () => {
    const sim = createSimulator()
    expect(() => virtualRetryStrategy(sim, { maxAttempts: 0 })).toThrow('Invalid maxAttempts: expected an integer from 1 to 10, got 0')
  })
})

describe('handlers that use the SDK themselves', () => {
  function fanOut(sim: Simulator, client: LambdaClient): void {
    sim.createFunction('worker', async (event: { n: number }) => {
      await sim.sleep(1000 * event.n)
      return event.n * 10
    }, { timeout: 10 })
    sim.createFunction(
      'fanout',
      async () => {
        const results = await Promise.all(
          [1, 2, 3].map(async (n) => {
            const r = await client.send(new InvokeCommand({ FunctionName: 'worker', Payload: JSON.stringify({ n }) }))
            return JSON.parse(text(r.Payload)) as number
          }),
        )
        return { results, at: sim.now() - START }
      },
      { timeout: 30 },
    )
  }

  test('fan-out: a handler invoking three workers in parallel through the same client waits for the slowest (3 s)', async () => {
    const sim = createSimulator()
    const client = lambdaClient(sim)
    fanOut(sim, client)
    const r = await client.send(new InvokeCommand({ FunctionName: 'fanout' }))
    expect(JSON.parse(text(r.Payload))).toEqual({ results: [10, 20, 30], at: 3000 })
    expect(sim.now()).toBe(START + 3000)
    expect(sim.timeline.ofType('attempt-finished').map((e) => [e.functionName, e.time - START])).toEqual([
      ['worker', 1000],
      ['worker', 2000],
      ['worker', 3000],
      ['fanout', 3000],
    ])
  })

  test('chaining: a → b → c synchronously, each sleeping 100 ms, finishes at 300 ms; an Event invoke from a handler is queued', async () => {
    const sim = createSimulator()
    const client = lambdaClient(sim)
    const chain = (next: string | undefined) => async (event: { path: string[] }) => {
      await sim.sleep(100)
      const path = [...event.path, sim.now() - START]
      if (next === undefined) {
        await client.send(new InvokeCommand({ FunctionName: 'audit', InvocationType: 'Event', Payload: JSON.stringify({ path }) }))
        return path
      }
      const r = await client.send(new InvokeCommand({ FunctionName: next, Payload: JSON.stringify({ path }) }))
      return JSON.parse(text(r.Payload)) as unknown
    }
    const audited: unknown[] = []
    sim.createFunction('audit', async (e: unknown) => {
      audited.push(e)
    })
    sim.createFunction('c', chain(undefined))
    sim.createFunction('b', chain('c'))
    sim.createFunction('a', chain('b'))
    const r = await sim.invoke('a', { path: [] })
    // Each hop sleeps 100 ms before calling the next, so the stamps are taken at 100, 200, 300.
    expect(r.payload).toEqual([100, 200, 300])
    expect(sim.now()).toBe(START + 300)
    await sim.runUntilIdle()
    expect(audited).toEqual([{ path: [100, 200, 300] }])
  })

  test('parallel sends from a test each resolve with their own virtual finish time, as parallel sim.invoke calls do', async () => {
    const sim = createSimulator()
    sim.createFunction('w', async (e: { ms: number }) => {
      await sim.sleep(e.ms)
      return sim.now() - START
    }, { timeout: 10 })
    const client = lambdaClient(sim)
    const rs = await Promise.all([3000, 1000, 2000].map((ms) => client.send(new InvokeCommand({ FunctionName: 'w', Payload: JSON.stringify({ ms }) }))))
    expect(rs.map((r) => text(r.Payload))).toEqual(['3000', '1000', '2000'])
    expect(sim.now()).toBe(START + 3000)
  })

  test('a client the application builds itself with simulatorRequestHandler works the same', async () => {
    const sim = createSimulator()
    sim.createFunction('echo', async (e: unknown) => e)
    const client = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, requestHandler: simulatorRequestHandler(sim), maxAttempts: 1 })
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: '[1, 2]' }))
    expect(text(r.Payload)).toBe('[1,2]')
    client.destroy()
  })
})
