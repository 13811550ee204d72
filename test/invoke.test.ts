import fc from 'fast-check'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { invoke, LambdaError, Timeline, type Destination, type Delivery, type EventInvokeResult, type PureInvokeResponse, type SyncInvokeResponse, type WarningEvent } from '../src/index.js'

/** A handler that fails on the attempts whose plan entry is true, counting its own attempts. */
function planned(plan: readonly boolean[]) {
  let n = 0
  return async (event: { id: number }) => {
    const failing = plan[n++] ?? false
    if (failing) throw new Error(`attempt ${n} failed`)
    return { ok: event.id }
  }
}

const alwaysFails = async (): Promise<never> => {
  throw new TypeError('always')
}

describe('invoke(handler, event): RequestResponse', () => {
  it('resolves with 200, the parsed result, the executed version and the request id', async () => {
    const r = await invoke(async (e: { n: number }) => ({ doubled: e.n * 2 }), { n: 21 })
    expect(r.statusCode).toBe(200)
    expect(r.payload).toEqual({ doubled: 42 })
    expect(r.executedVersion).toBe('$LATEST')
    expect(r.requestId).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/)
    expect(r.functionError).toBeUndefined()
  })

  it('a handler failure is data: 200 with functionError Unhandled and the error payload', async () => {
    const r = await invoke(alwaysFails, {})
    expect(r.statusCode).toBe(200)
    expect(r.functionError).toBe('Unhandled')
    expect(r.payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'always' })
    expect(Object.keys(r.payload as object)).toEqual(['errorType', 'errorMessage', 'trace'])
  })

  it('a timeout resolves with the Sandbox.Timedout payload at the configured timeout', async () => {
    const r = await invoke(() => new Promise(() => {}), {}, 'RequestResponse', { timeout: 1, realTimeGraceMs: 20 })
    expect(r.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 1.00 seconds` })
  })
})

describe('invoke(handler, event, "DryRun")', () => {
  it('resolves with 204 and never runs the handler', async () => {
    let ran = false
    const r = await invoke(async () => {
      ran = true
    }, {}, 'DryRun')
    expect(r).toEqual({ statusCode: 204, requestId: expect.any(String) })
    expect(ran).toBe(false)
  })
})

describe('invoke(handler, event, "Event"): the whole async story', () => {
  it('a failing event runs two more times, 60 s then 120 s apart, and ends RetriesExhausted', async () => {
    const r = await invoke(alwaysFails, { id: 1 }, 'Event', { onFailure: true })
    expect(r.statusCode).toBe(202)
    expect(r.attempts.map((a) => a.offsetMs)).toEqual([0, 60_000, 180_000])
    expect(r.attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'error'])
    expect(r.outcome).toEqual({ condition: 'RetriesExhausted', approximateInvokeCount: 3, offsetMs: 180_000 })
    expect(r.records.onFailure).toHaveLength(1)
    expect(r.records.onFailure[0]?.requestContext).toEqual({
      requestId: r.requestId,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:alwaysFails:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    })
    expect(r.records.onFailure[0]?.timestamp).toBe('2026-01-01T00:03:00.000Z')
    expect(r.sinks.onFailure?.messages).toHaveLength(1)
  })

  it('an event that fails once then succeeds ends Success at 60 s with the result and an on-success record', async () => {
    const r = await invoke(planned([true]), { id: 7 }, 'Event', { onSuccess: true, onFailure: true })
    expect(r.attempts.map((a) => [a.offsetMs, a.outcome])).toEqual([
      [0, 'error'],
      [60_000, 'success'],
    ])
    expect(r.result).toEqual({ ok: 7 })
    expect(r.outcome).toEqual({ condition: 'Success', approximateInvokeCount: 2, offsetMs: 60_000 })
    expect(r.records.onSuccess.map((x) => x.responsePayload)).toEqual([{ ok: 7 }])
    expect(r.records.onFailure).toEqual([])
  })

  it('maximumEventAgeInSeconds 60 gives up right after the first failure with EventAgeExceeded', async () => {
    const r = await invoke(alwaysFails, {}, 'Event', { maximumEventAgeInSeconds: 60, onFailure: true })
    expect(r.attempts).toHaveLength(1)
    expect(r.outcome).toEqual({ condition: 'EventAgeExceeded', approximateInvokeCount: 1, offsetMs: 0 })
    expect(r.records.onFailure[0]?.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' })
  })

  it('reserved concurrency 0 ends ZeroReservedConcurrency with no attempt and no response fields', async () => {
    const r = await invoke(alwaysFails, { a: 1 }, 'Event', { reservedConcurrency: 0, onFailure: true, deadLetter: true })
    expect(r.attempts).toEqual([])
    expect(r.outcome).toEqual({ condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0, offsetMs: 0 })
    expect(Object.keys(r.records.onFailure[0] as object)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload'])
    expect(r.records.deadLetter).toEqual([
      {
        body: '{"a":1}',
        messageAttributes: {
          RequestID: { dataType: 'String', stringValue: r.requestId },
          ErrorCode: { dataType: 'Number', stringValue: '429' },
          ErrorMessage: { dataType: 'String', stringValue: 'Rate Exceeded.' },
        },
      },
    ])
  })

  it('maximumRetryAttempts 0 stops after one failed attempt', async () => {
    const r = await invoke(alwaysFails, {}, 'Event', { maximumRetryAttempts: 0 })
    expect(r.attempts.map((a) => a.offsetMs)).toEqual([0])
    expect(r.outcome.condition).toBe('RetriesExhausted')
  })

  it('an injected service fault delays the first attempt by the 1 s throttle backoff without using a retry', async () => {
    const r = await invoke(planned([]), { id: 1 }, 'Event', { faults: { count: 2 }, throttleJitter: false })
    expect(r.attempts.map((a) => a.offsetMs)).toEqual([3_000])
    expect(r.outcome).toEqual({ condition: 'Success', approximateInvokeCount: 1, offsetMs: 3_000 })
  })

  it('a user Destination receives the record object and is reported in records', async () => {
    const got: Delivery[] = []
    const mine: Destination = { arn: 'arn:aws:sqs:us-east-1:123456789012:mine', deliver: (d) => void got.push(d) }
    const r = await invoke(alwaysFails, { x: 1 }, 'Event', { onFailure: mine, maximumRetryAttempts: 1 })
    expect(got).toHaveLength(1)
    expect(got[0]?.kind).toBe('on-failure')
    expect(r.records.onFailure[0]?.requestContext.approximateInvokeCount).toBe(2)
    expect(r.sinks).toEqual({})
  })

  it('duplicates re-deliver a successful event on the timeline without a second terminal outcome', async () => {
    let runs = 0
    const handler = async () => {
      runs++
      return 'ok'
    }
    // The request id is drawn from the seed, so find it first with the same seed.
    const probe = await invoke(handler, {}, 'Event', { seed: 3 })
    runs = 0
    const r = await invoke(handler, {}, 'Event', { seed: 3, duplicates: { requestIds: [probe.requestId], delayMs: 5_000 } })
    expect(runs).toBe(2)
    expect(r.attempts.map((a) => [a.offsetMs, a.duplicate])).toEqual([
      [0, false],
      [5_000, true],
    ])
    expect(r.timeline.ofType('terminal')).toHaveLength(1)
  })
})

describe('invoke: invocation errors reject exactly as sim.invoke does', () => {
  it('a sync payload over 6,291,456 bytes rejects with RequestEntityTooLargeException (413)', async () => {
    const big = 'x'.repeat(6_291_456)
    await expect(invoke(async () => 1, big)).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      statusCode: 413,
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    })
  })

  it('an async payload over 1 MB rejects with the Event-type message', async () => {
    const big = 'x'.repeat(1_048_577)
    const error = await invoke(async () => 1, big, 'Event').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LambdaError)
    expect((error as LambdaError).message).toBe('1048579 byte payload is too large for the Event invocation type (limit 1048576 bytes)')
  })

  it('reserved concurrency 0 on a sync call rejects with TooManyRequestsException and the function-level reason', async () => {
    await expect(invoke(async () => 1, {}, 'RequestResponse', { reservedConcurrency: 0 })).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      statusCode: 429,
      message: 'Rate Exceeded.',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    })
  })

  it('an unknown option is rejected naming it and the allowed ones', async () => {
    await expect(invoke(async () => 1, {}, 'Event', { maxRetryAttempts: 1 } as never)).rejects.toThrow(/Unknown option "maxRetryAttempts" for invoke; allowed: seed, /)
  })

  it('options that are an array or a function are refused, not read as no options', async () => {
    await expect(invoke(async () => 1, {}, 'Event', [] as never)).rejects.toThrow('Invalid invoke options: expected an object, got []')
    await expect(invoke(async () => 1, {}, 'RequestResponse', (() => 1) as never)).rejects.toThrow('Invalid invoke options: expected an object, got a function')
  })

  it('a handler that is not a function is rejected with a clear error', async () => {
    await expect(invoke('nope' as never, {})).rejects.toThrow('Invalid handler: expected a function (event, context[, callback]), got "nope"')
  })
})

describe('invoke is pure', () => {
  it('the same arguments and seed give the same result, byte for byte', async () => {
    const run = () => invoke(planned([true, true]), { id: 1 }, 'Event', { seed: 42, onSuccess: true })
    const [a, b] = [await run(), await run()]
    const strip = (r: EventInvokeResult) => JSON.stringify({ ...r, sinks: undefined, attempts: r.attempts.map((x) => ({ ...x, payload: undefined })) })
    expect(strip(a)).toBe(strip(b))
    expect(JSON.stringify(a.timeline.entries.filter((e) => e.type !== 'attempt-finished'))).toBe(JSON.stringify(b.timeline.entries.filter((e) => e.type !== 'attempt-finished')))
  })

  it('concurrent calls do not touch each other', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => invoke(planned(i % 2 === 0 ? [true] : []), { id: i }, 'Event')))
    expect(results.map((r) => r.attempts.length)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 2 : 1)))
    expect(results.map((r) => r.result)).toEqual(Array.from({ length: 20 }, (_, i) => ({ ok: i })))
  })
})

describe('invoke: property', () => {
  it('for random failure plans, attempts never exceed maximumRetryAttempts + 1 and offsets are a prefix of 0, 60 s, 180 s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1000 }), async (plan, retries, seed) => {
        const r = await invoke(planned(plan), { id: 1 }, 'Event', { maximumRetryAttempts: retries, seed })
        expect(r.attempts.length).toBeLessThanOrEqual(retries + 1)
        expect(r.attempts.map((a) => a.offsetMs)).toEqual([0, 60_000, 180_000].slice(0, r.attempts.length))
        // Attempts past the end of the plan succeed.
        const firstSuccess = plan.includes(false) ? plan.indexOf(false) : plan.length
        expect(r.attempts.length).toBe(Math.min(firstSuccess + 1, retries + 1))
        expect(r.outcome.condition).toBe(r.attempts.at(-1)?.outcome === 'success' ? 'Success' : 'RetriesExhausted')
      }),
      { numRuns: 60 },
    )
  })
})

describe('invoke: types follow the invocation type', () => {
  it('Event gives an EventInvokeResult, the others an InvokeResponse (RequestResponse: statusCode 200, executedVersion: string), with the handler result type', () => {
    const h = async () => ({ n: 1 })
    expectTypeOf(invoke(h, {}, 'Event')).resolves.toEqualTypeOf<EventInvokeResult<{ n: number }>>()
    expectTypeOf(invoke(h, {})).resolves.toEqualTypeOf<PureInvokeResponse<{ n: number }> & SyncInvokeResponse<{ n: number }>>()
    expectTypeOf(invoke(h, {}, 'DryRun')).resolves.toEqualTypeOf<PureInvokeResponse<never>>()
    expect(typeof invoke).toBe('function')
  })
})

describe('invoke: warnings and the timeline reach the caller in every invocation type', () => {
  // A non-async two-parameter handler that returns a value: the forgotten `async`. Lambda answers null.
  const forgotAsync = ((event: { orderId: string }, _context: unknown) => ({ orderId: event.orderId, status: 'SHIPPED' })) as (event: { orderId: string }, context: unknown) => never

  it('RequestResponse: a forgotten async answers null and the result lists the ignored-return-value warning', async () => {
    const r = await invoke(forgotAsync, { orderId: 'o-1' })
    expect(r.payload).toBeNull()
    expect(r.warnings).toEqual([{
      type: 'warning',
      time: Date.parse('2026-01-01T00:00:00.000Z'),
      kind: 'ignored-return-value',
      message: `forgotAsync (${r.requestId}): the handler returned a non-promise value, which Lambda ignores (the response is null); make the handler async or use the callback`,
      requestId: r.requestId,
      functionName: 'forgotAsync',
      details: { functionName: 'forgotAsync', requestId: r.requestId },
    }])
    // whole-object assertions show it in the diff, where a test author is already looking
    expect(r).toEqual({ statusCode: 200, payload: null, executedVersion: '$LATEST', requestId: r.requestId, warnings: r.warnings })
  })

  it('RequestResponse: the result carries the run\'s timeline, not enumerable, so the response still equals and serialises as the Invoke API shape', async () => {
    const r = await invoke(async (e: { n: number }) => e.n + 1, { n: 1 })
    expect(r.timeline).toBeInstanceOf(Timeline)
    expect(r.timeline.ofType('attempt-finished').map((e) => e.requestId)).toEqual([r.requestId])
    expect(r.timeline.render()).toContain(`handler ${r.requestId}`)
    expect(Object.keys(r)).toEqual(['statusCode', 'payload', 'executedVersion', 'requestId'])
    expect(r).toEqual({ statusCode: 200, payload: 2, executedVersion: '$LATEST', requestId: r.requestId })
    expect(JSON.parse(JSON.stringify(r))).toEqual({ statusCode: 200, payload: 2, executedVersion: '$LATEST', requestId: r.requestId })
    expect(r.warnings).toBeUndefined()
  })

  it('DryRun: the result carries the timeline (the accepted-nothing run) and no warnings', async () => {
    const r = await invoke(async () => 1, {}, 'DryRun')
    expect(r).toEqual({ statusCode: 204, requestId: expect.any(String) })
    expect(r.timeline).toBeInstanceOf(Timeline)
    expect('warnings' in r).toBe(false)
  })

  it('Event: every warning of the run is listed on the result too, and only when there is one', async () => {
    const r = await invoke(forgotAsync, { orderId: 'o-2' }, 'Event')
    expect(r.outcome.condition).toBe('Success')
    expect(r.result).toBeNull()
    expect(r.warnings?.map((w) => [w.kind, w.requestId])).toEqual([['ignored-return-value', r.requestId]])
    const clean = await invoke(async () => 1, {}, 'Event')
    expect('warnings' in clean).toBe(false)
  })

  it('the warnings are typed as the timeline\'s warning events', () => {
    expectTypeOf<PureInvokeResponse['warnings']>().toEqualTypeOf<WarningEvent[] | undefined>()
    expectTypeOf<EventInvokeResult['warnings']>().toEqualTypeOf<WarningEvent[] | undefined>()
    expectTypeOf<PureInvokeResponse['timeline']>().toEqualTypeOf<Timeline>()
  })
})
