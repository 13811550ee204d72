import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError, SimulatorError, type SimulatorOptions } from '../src/index.js'
import { lambdaErr } from './helpers/errors.js'

function optionError(options: unknown): SimulatorError {
  try {
    createSimulator(options as SimulatorOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorError)
    expect((error as SimulatorError).code).toBe('InvalidOption')
    return error as SimulatorError
  }
  throw new Error('expected createSimulator to throw')
}

describe('simulator options are validated, naming option, value and range', () => {
  it.each([
    [{ seed: -1 }, 'Invalid option seed: expected an integer from 0 to 4294967295, got -1'],
    [{ seed: 1.5 }, 'Invalid option seed: expected an integer from 0 to 4294967295, got 1.5'],
    [{ seed: 2 ** 32 }, 'Invalid option seed: expected an integer from 0 to 4294967295, got 4294967296'],
    [{ seed: '1' }, 'Invalid option seed: expected an integer from 0 to 4294967295, got "1"'],
    [{ startTime: 'not a date' }, 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got "not a date"'],
    [{ startTime: Number.NaN }, 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got NaN'],
    [{ startTime: new Date(Number.NaN) }, 'Invalid startTime: expected epoch milliseconds, a Date or an ISO-8601 string, got Invalid Date'],
    [{ region: 'mars-1' }, 'Invalid option region: expected an AWS region such as "us-east-1", got "mars-1"'],
    [{ region: 'US-EAST-1' }, 'Invalid option region: expected an AWS region such as "us-east-1", got "US-EAST-1"'],
    [{ accountId: '1234' }, 'Invalid option accountId: expected a 12-digit account id, got "1234"'],
    [{ accountId: 123456789012 }, 'Invalid option accountId: expected a 12-digit account id, got 123456789012'],
    [{ accountConcurrency: 9 }, 'Invalid option accountConcurrency: expected an integer from 10 to 1000000, got 9'],
    [{ accountConcurrency: 1_000_001 }, 'Invalid option accountConcurrency: expected an integer from 10 to 1000000, got 1000001'],
    [{ asyncPayloadLimitBytes: 0 }, 'Invalid option asyncPayloadLimitBytes: expected an integer from 1 to 6291456 (bytes), got 0'],
    [{ asyncPayloadLimitBytes: 6_291_457 }, 'Invalid option asyncPayloadLimitBytes: expected an integer from 1 to 6291456 (bytes), got 6291457'],
    [{ realTimeGraceMs: 0 }, 'Invalid option realTimeGraceMs: expected an integer from 1 to 600000 (real milliseconds), got 0'],
    [{ loopLimit: 0 }, `Invalid option loopLimit: expected an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got 0`],
    [{ recordTimeline: 'yes' }, 'Invalid option recordTimeline: expected true or false, got "yes"'],
    [{ echoLogs: 1 }, 'Invalid option echoLogs: expected true or false, got 1'],
    [{ duplicates: 0.5 }, 'Invalid option duplicates: expected an object, got 0.5'],
    [{ duplicates: { probability: 2 } }, 'Invalid option duplicates.probability: expected a number from 0 to 1, got 2'],
    [{ duplicates: { requestIds: 'abc' } }, 'Invalid option duplicates.requestIds: expected an array of request id strings, got "abc"'],
    [{ duplicates: { delayMs: -5 } }, 'Invalid option duplicates.delayMs: expected an integer from 0 to 21600000 (ms), got -5'],
  ])('%j → %s', (options, message) => {
    expect(optionError(options).message).toBe(message)
  })

  it('unknown option keys are rejected with the list of allowed keys', () => {
    expect(optionError({ sed: 1 }).message).toBe(
      'Unknown option "sed" for createSimulator; allowed: seed, startTime, region, accountId, accountConcurrency, asyncPayloadLimitBytes, recordTimeline, echoLogs, realTimeGraceMs, loopLimit, duplicates, drops, strict, throttleJitter',
    )
    expect(optionError({ duplicates: { probabilty: 0.1 } }).message).toBe('Unknown option "probabilty" for duplicates; allowed: probability, requestIds, delayMs')
  })

  it('non-object options are rejected', () => {
    expect(optionError(null).message).toBe('Invalid simulator options: expected an object, got null')
    expect(optionError('fast').message).toBe('Invalid simulator options: expected an object, got "fast"')
  })

  it('valid edge values are accepted', () => {
    expect(() =>
      createSimulator({ seed: 0, region: 'us-gov-west-1', accountId: '000000000000', accountConcurrency: 100, asyncPayloadLimitBytes: 6_291_456, realTimeGraceMs: 1, loopLimit: 1 }),
    ).not.toThrow()
    expect(() => createSimulator({ seed: 4294967295, region: 'eu-central-2', accountConcurrency: 1_000_000 })).not.toThrow()
  })

  it('region and accountId show in ARNs', () => {
    const sim = createSimulator({ region: 'eu-west-1', accountId: '111122223333' })
    expect(sim.createFunction('f', async () => 1).arn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:f')
  })
})

describe('createFunction input', () => {
  it('a non-function handler is a SimulatorError naming the function and the value', () => {
    const sim = createSimulator()
    expect(() => sim.createFunction('f', 'index.handler' as never)).toThrow('Invalid handler for function "f": expected a function (event, context[, callback]), got "index.handler"')
    expect(() => sim.createFunction('g', undefined as never)).toThrow(SimulatorError)
  })

  it('an invalid function name is a ValidationException quoting the pattern', () => {
    const sim = createSimulator()
    let error: unknown
    try {
      sim.createFunction('my function', async () => 1)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LambdaError)
    expect((error as LambdaError).name).toBe('ValidationException')
    expect((error as LambdaError).message).toMatch(/^1 validation error detected: Value 'my function' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /)
    expect(() => sim.createFunction('a'.repeat(65), async () => 1)).toThrow(/at 'functionName' failed to satisfy constraint/)
    expect(() => sim.createFunction('', async () => 1)).toThrow(/Value '' at 'functionName'/)
    expect(() => sim.createFunction(42 as never, async () => 1)).toThrow('Invalid function name: expected a string, got 42')
    expect(sim.createFunction('a'.repeat(64), async () => 1).name).toHaveLength(64)
  })

  it("createFunction: a name over 64 characters is InvalidParameterValueException with the length text; a bad character quotes FunctionName's pattern", () => {
    const sim = createSimulator()
    const long = 'a'.repeat(65)
    expect(lambdaErr(() => sim.createFunction(long, async () => 1))).toEqual([
      'InvalidParameterValueException',
      400,
      `1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    ])
    expect(lambdaErr(() => sim.createFunction('my-function!', async () => 1))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value 'my-function!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
    ])
    expect(() => sim.createFunction('a'.repeat(64), async () => 1)).not.toThrow()
  })

  it('a duplicate function name is ResourceConflictException', () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 1)
    expect(() => sim.createFunction('f', async () => 2)).toThrow('Function already exist: f')
  })

  it('unknown function options are rejected; environment values must be strings', () => {
    const sim = createSimulator()
    expect(() => sim.createFunction('f', async () => 1, { timeOut: 3 } as never)).toThrow(
      'Unknown option "timeOut" for createFunction; allowed: timeout, memorySize, environment, deadLetterConfig, description, init',
    )
    expect(() => sim.createFunction('g', async () => 1, { environment: { NUM: 1 } } as never)).toThrow('Invalid environment variable "NUM": values must be strings, got 1')
    expect(() => sim.createFunction('h', async () => 1, { init: 'x' } as never)).toThrow('Invalid option init: expected a function, got "x"')
  })

  it('invoke options are validated', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    await expect(sim.invoke(fn, {}, 'RequestResponse', { qualifer: '1' } as never)).rejects.toThrow('Unknown option "qualifer" for invoke; allowed: qualifier, logType, clientContext')
    await expect(sim.invoke(fn, {}, 'RequestResponse', null as never)).rejects.toThrow('Invalid invoke options: expected an object, got null')
  })

  it('a client context that is not base64 JSON, or over 3,583 bytes, is rejected', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    const bad = await sim.invoke(fn, {}, 'RequestResponse', { clientContext: '%%%' }).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(LambdaError)
    expect((bad as LambdaError).name).toBe('InvalidRequestContentException')
    expect((bad as LambdaError).message).toBe('Client context must be a valid Base64-encoded JSON object.')
    const big = Buffer.from(JSON.stringify({ custom: { x: 'y'.repeat(3000) } })).toString('base64')
    await expect(sim.invoke(fn, {}, 'RequestResponse', { clientContext: big })).rejects.toThrow(
      "1 validation error detected: Value at 'clientContext' failed to satisfy constraint: Member must have length less than or equal to 3583",
    )
  })

  it('an Event invoke neither checks nor passes a client context (AWS passes it for synchronous invocations only)', async () => {
    const sim = createSimulator()
    const seen: unknown[] = []
    const fn = sim.createFunction('f', async (_e: unknown, context: { clientContext?: unknown }) => {
      seen.push(context.clientContext ?? null)
    })
    const big = Buffer.from(JSON.stringify({ custom: { x: 'y'.repeat(3000) } })).toString('base64')
    const valid = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64')
    for (const clientContext of ['%%%', valid, big]) {
      expect((await sim.invoke(fn, {}, 'Event', { clientContext })).statusCode).toBe(202)
    }
    await sim.runUntilIdle()
    expect(seen).toEqual([null, null, null])
    const dry = await sim.invoke(fn, {}, 'DryRun', { clientContext: '%%%' }).catch((e: unknown) => e)
    expect([(dry as LambdaError).name, (dry as LambdaError).message]).toEqual(['InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.'])
    await sim.invoke(fn, {}, 'RequestResponse', { clientContext: valid })
    expect(seen).toEqual([null, null, null, { custom: { a: 1 } }])
  })

  it('simulator misuse never leaves the clock moved', async () => {
    const sim = createSimulator()
    await expect(sim.invoke('nope', {})).rejects.toThrow(LambdaError)
    expect(() => sim.advanceBy(-5)).toThrow(SimulatorError)
    expect(sim.now()).toBe(Date.parse('2026-01-01T00:00:00.000Z'))
    sim.assertIdle()
  })
})
