import { describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import { fixedError, T0, terminalOf } from './helpers/async-dest.js'
import { lambdaErr } from './helpers/errors.js'

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'
const PATTERN = '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)'

function setup(): Simulator {
  const sim = createSimulator()
  sim.createFunction('f', async () => 'ok')
  sim.createFunction('g', async () => 'g')
  return sim
}

describe('event invoke config: put, update, get, delete', () => {
  it('put returns the config with a qualified ARN, lastModified at the virtual now, and both destination sides', async () => {
    const sim = setup()
    await sim.advanceBy(5000)
    expect(sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 })).toEqual({
      functionArn: `${ARN}:f:$LATEST`,
      lastModified: new Date(T0 + 5000),
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 60,
      destinationConfig: { onSuccess: {}, onFailure: {} },
    })
  })

  it('put replaces the whole config: {retry 2, age 60} then put {retry 0} leaves only retry 0', () => {
    const sim = setup()
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60, destinationConfig: { onFailure: { destination: `${ARN}:g` } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    expect(sim.getFunctionEventInvokeConfig({ functionName: 'f' })).toEqual({
      functionArn: `${ARN}:f:$LATEST`,
      lastModified: new Date(T0),
      maximumRetryAttempts: 0,
      destinationConfig: { onSuccess: {}, onFailure: {} },
    })
  })

  it('update merges: {retry 2, age 60} then update {retry 0} gives {retry 0, age 60}', () => {
    const sim = setup()
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60 })
    expect(sim.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })).toMatchObject({ maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 })
  })

  it('update merges onSuccess and onFailure separately; an explicit {} clears one side (choice, open question 6)', () => {
    const sim = setup()
    const q = sim.createQueue('q')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: q.arn }, onFailure: { destination: `${ARN}:g` } } })
    expect(sim.updateFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: q } } }).destinationConfig).toEqual({
      onSuccess: { destination: q.arn },
      onFailure: { destination: q.arn },
    })
    expect(sim.updateFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: {} } }).destinationConfig).toEqual({ onSuccess: {}, onFailure: { destination: q.arn } })
    expect(sim.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 }).destinationConfig).toEqual({ onSuccess: {}, onFailure: { destination: q.arn } })
  })

  it('update with no settings is rejected like put (choice, open question 6)', () => {
    const sim = setup()
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    expect(lambdaErr(() => sim.updateFunctionEventInvokeConfig({ functionName: 'f' }))).toEqual(['InvalidParameterValueException', 400, 'You must specify at least one of error handling or destination setting.'])
  })

  it('delete removes the config; get then answers 404', () => {
    const sim = setup()
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    expect(sim.deleteFunctionEventInvokeConfig({ functionName: 'f' })).toBeUndefined()
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f' }))).toEqual(['ResourceNotFoundException', 404, `The function ${ARN}:f:$LATEST doesn't have an EventInvokeConfig`])
  })

  it('a destination given by object is stored and shown by its ARN', () => {
    const sim = setup()
    const bus = sim.createEventBus('b')
    expect(sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: bus } } }).destinationConfig).toEqual({
      onSuccess: { destination: 'arn:aws:events:us-east-1:123456789012:event-bus/b' },
      onFailure: {},
    })
  })
})

describe('event invoke config: qualifiers', () => {
  it('configs are stored per qualifier; $LATEST as qualifier is the same as none', () => {
    const sim = setup()
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1', maximumRetryAttempts: 1 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:live', maximumEventAgeInSeconds: 100 })
    expect(sim.getFunctionEventInvokeConfig({ functionName: 'f', qualifier: '$LATEST' })).toMatchObject({ functionArn: `${ARN}:f:$LATEST`, maximumRetryAttempts: 0 })
    expect(sim.getFunctionEventInvokeConfig({ functionName: 'f:1' })).toMatchObject({ functionArn: `${ARN}:f:1`, maximumRetryAttempts: 1 })
    expect(sim.getFunctionEventInvokeConfig({ functionName: `${ARN}:f`, qualifier: 'live' })).toEqual({
      functionArn: `${ARN}:f:live`,
      lastModified: new Date(T0),
      maximumEventAgeInSeconds: 100,
      destinationConfig: { onSuccess: {}, onFailure: {} },
    })
  })

  it('publishing a version copies nothing: get on the new version answers 404', () => {
    const sim = setup()
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    sim.publishVersion('f')
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1' }))).toEqual(['ResourceNotFoundException', 404, `The function ${ARN}:f:1 doesn't have an EventInvokeConfig`])
  })

  it('a version config applies to events invoked on that version only', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1', maximumRetryAttempts: 0 })
    const v1 = await sim.invoke('f:1', {}, 'Event')
    const latest = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(terminalOf(sim, v1.requestId)).toMatchObject({ approximateInvokeCount: 1 })
    expect(terminalOf(sim, latest.requestId)).toMatchObject({ approximateInvokeCount: 3 })
  })

  it('an alias without a config uses the config of the version it ran; its own config wins when set (choice, open question 8)', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    sim.createFunction('f', async () => {
      throw fixedError('boom')
    })
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:1', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: q } } })
    const a = await sim.invoke('f:live', {}, 'Event')
    await sim.runUntilIdle()
    expect(terminalOf(sim, a.requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 })
    // The record names the alias the event was invoked through.
    expect((q.bodies[0] as { requestContext: { functionArn: string } }).requestContext.functionArn).toBe(`${ARN}:f:live`)
    sim.putFunctionEventInvokeConfig({ functionName: 'f:live', maximumRetryAttempts: 1 })
    const b = await sim.invoke('f:live', {}, 'Event')
    await sim.runUntilIdle()
    expect(terminalOf(sim, b.requestId)).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 2 })
    expect(q.messages).toHaveLength(1)
  })

  it('a qualifier in the name that differs from the qualifier parameter is rejected', () => {
    const sim = setup()
    sim.publishVersion('f')
    const message = 'The derived qualifier from the function name does not match the specified qualifier.'
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f:1', qualifier: '$LATEST', maximumRetryAttempts: 1 }))).toEqual(['InvalidParameterValueException', 400, message])
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f:1', qualifier: '2' }))).toEqual(['InvalidParameterValueException', 400, message])
  })
})

describe('event invoke config: list', () => {
  it('lists every qualifier in creation order; maxItems 1 pages with an opaque nextMarker', () => {
    const sim = setup()
    sim.publishVersion('f')
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:live', maximumRetryAttempts: 0 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:1', maximumRetryAttempts: 2 })
    expect(sim.listFunctionEventInvokeConfigs({ functionName: 'f' }).functionEventInvokeConfigs.map((c) => c.functionArn)).toEqual([`${ARN}:f:live`, `${ARN}:f:$LATEST`, `${ARN}:f:1`])
    const seen: string[] = []
    let marker: string | undefined
    let pages = 0
    do {
      const page = sim.listFunctionEventInvokeConfigs(marker === undefined ? { functionName: 'f', maxItems: 1 } : { functionName: 'f', maxItems: 1, marker })
      expect(page.functionEventInvokeConfigs).toHaveLength(1)
      seen.push(...page.functionEventInvokeConfigs.map((c) => c.functionArn))
      marker = page.nextMarker
      pages++
    } while (marker !== undefined)
    expect(pages).toBe(3)
    expect(seen).toEqual([`${ARN}:f:live`, `${ARN}:f:$LATEST`, `${ARN}:f:1`])
    const two = sim.listFunctionEventInvokeConfigs({ functionName: 'f', maxItems: 2 })
    expect(two.functionEventInvokeConfigs).toHaveLength(2)
    expect(typeof two.nextMarker).toBe('string')
  })

  it('a marker that does not belong to this listing is InvalidParameterValueException', () => {
    const sim = setup()
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1 })
    expect(lambdaErr(() => sim.listFunctionEventInvokeConfigs({ functionName: 'f', marker: 'garbage' }))).toEqual(['InvalidParameterValueException', 400, 'Invalid marker: garbage'])
  })

  it('a function without configs lists [] with no nextMarker', () => {
    const sim = setup()
    expect(sim.listFunctionEventInvokeConfigs({ functionName: 'g' })).toEqual({ functionEventInvokeConfigs: [] })
  })

  it('maxItems outside 1–50 is a ValidationException; an unknown function is "The function doesn\'t exist."', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.listFunctionEventInvokeConfigs({ functionName: 'f', maxItems: 0 }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ])
    expect(lambdaErr(() => sim.listFunctionEventInvokeConfigs({ functionName: 'f', maxItems: 51 }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50",
    ])
    expect(lambdaErr(() => sim.listFunctionEventInvokeConfigs({ functionName: 'doesnotexist' }))).toEqual(['ResourceNotFoundException', 404, "The function doesn't exist."])
  })
})

describe('event invoke config: every error string of spec §6', () => {
  it('put or update on a function that does not exist: "The function doesn\'t exist."', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'doesnotexist', maximumRetryAttempts: 1 }))).toEqual(['ResourceNotFoundException', 404, "The function doesn't exist."])
    expect(lambdaErr(() => sim.updateFunctionEventInvokeConfig({ functionName: 'doesnotexist', maximumRetryAttempts: 1 }))).toEqual(['ResourceNotFoundException', 404, "The function doesn't exist."])
  })

  it('put on an alias that does not exist: "The function doesn\'t exist."', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'nosuchalias', maximumRetryAttempts: 1 }))).toEqual(['ResourceNotFoundException', 404, "The function doesn't exist."])
  })

  it('put with no setting at all, checked before the function exists', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'doesnotexist' }))).toEqual(['InvalidParameterValueException', 400, 'You must specify at least one of error handling or destination setting.'])
  })

  it('a Lambda destination that does not exist: "The destination ARN <arn> is invalid."', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: `${ARN}:nope` } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      `The destination ARN ${ARN}:nope is invalid.`,
    ])
  })

  it('the function itself as destination', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: `${ARN}:f` } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      "You can't specify the function as a destination for itself.",
    ])
  })

  it('a destination of an unsupported service: the DestinationConfig(...) text', () => {
    const sim = setup()
    const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/t'
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: arn } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${arn}), onFailure=null) is invalid.`,
    ])
  })

  it('an S3 bucket is on-failure only: as onSuccess it is an unsupported destination', () => {
    const sim = setup()
    const b = sim.createBucket('records')
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: b } } }))).toEqual([
      'InvalidParameterValueException',
      400,
      'The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=arn:aws:s3:::records), onFailure=null) is invalid.',
    ])
    expect(sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: b } } }).destinationConfig.onFailure).toEqual({ destination: 'arn:aws:s3:::records' })
  })

  it('a qualifier that fails AWS\'s qualifier pattern or is over 128 characters is a ValidationException (put, update, get, delete)', () => {
    const sim = setup()
    const pattern = "Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+"
    const bad = `1 validation error detected: Value 'bad!' at 'qualifier' failed to satisfy constraint: ${pattern}`
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'bad!', maximumRetryAttempts: 1 }))).toEqual(['ValidationException', 400, bad])
    expect(lambdaErr(() => sim.updateFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'bad!', maximumRetryAttempts: 1 }))).toEqual(['ValidationException', 400, bad])
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'bad!' }))).toEqual(['ValidationException', 400, bad])
    expect(lambdaErr(() => sim.deleteFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'bad!' }))).toEqual(['ValidationException', 400, bad])
    const long = 'q'.repeat(129)
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f', qualifier: long }))).toEqual([
      'ValidationException',
      400,
      `1 validation error detected: Value '${long}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`,
    ])
    // Validated with the other members, before the "at least one setting" check.
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'bad!', maximumRetryAttempts: 5 }))).toEqual([
      'ValidationException',
      400,
      `2 validation errors detected: Value 'bad!' at 'qualifier' failed to satisfy constraint: ${pattern}; Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2`,
    ])
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'bad!' }))?.[0]).toBe('ValidationException')
  })

  it('a destination that fails the ARN pattern is a ValidationException', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: 'not-an-arn' } } }))).toEqual([
      'ValidationException',
      400,
      `1 validation error detected: Value 'not-an-arn' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATTERN}`,
    ])
  })

  it('a destination ARN longer than 350 characters is a ValidationException, and nothing is stored', () => {
    const sim = setup()
    const long = `arn:aws:sqs:us-east-1:123456789012:${'q'.repeat(316)}`
    expect(long.length).toBe(351)
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: long } } }))).toEqual([
      'ValidationException',
      400,
      `1 validation error detected: Value '${long}' at 'destinationConfig.onSuccess.destination' failed to satisfy constraint: Member must have length less than or equal to 350`,
    ])
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f' }))?.[0]).toBe('ResourceNotFoundException')
    const fits = long.slice(0, 350)
    expect(sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: fits } } }).destinationConfig.onSuccess).toEqual({ destination: fits })
  })

  it('OnSuccess: {} / OnFailure: {} with no destination are accepted', () => {
    const sim = setup()
    expect(sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: {}, onFailure: {} } }).destinationConfig).toEqual({ onSuccess: {}, onFailure: {} })
  })

  it('get, update or delete with no config for the qualifier', () => {
    const sim = setup()
    sim.publishVersion('f')
    const message = `The function ${ARN}:f:1 doesn't have an EventInvokeConfig`
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1' }))).toEqual(['ResourceNotFoundException', 404, message])
    expect(lambdaErr(() => sim.updateFunctionEventInvokeConfig({ functionName: 'f:1', maximumRetryAttempts: 1 }))).toEqual(['ResourceNotFoundException', 404, message])
    expect(lambdaErr(() => sim.deleteFunctionEventInvokeConfig({ functionName: 'f:1' }))).toEqual(['ResourceNotFoundException', 404, message])
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'f' }))).toEqual(['ResourceNotFoundException', 404, `The function ${ARN}:f:$LATEST doesn't have an EventInvokeConfig`])
  })

  it('get or delete on a function that does not exist: the EventInvokeConfig text with doesnotexist:$LATEST', () => {
    const sim = setup()
    const message = `The function ${ARN}:doesnotexist:$LATEST doesn't have an EventInvokeConfig`
    expect(lambdaErr(() => sim.getFunctionEventInvokeConfig({ functionName: 'doesnotexist' }))).toEqual(['ResourceNotFoundException', 404, message])
    expect(lambdaErr(() => sim.deleteFunctionEventInvokeConfig({ functionName: 'doesnotexist' }))).toEqual(['ResourceNotFoundException', 404, message])
  })

  it('maximumRetryAttempts 5 and maximumEventAgeInSeconds 44444 each give one ValidationException', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 5 }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
    ])
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 44444 }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value '44444' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
    ])
  })

  it('values below the minimum: maximumRetryAttempts -1, maximumEventAgeInSeconds 59', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: -1 }))[2]).toBe(
      "1 validation error detected: Value '-1' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0",
    )
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 59 }))[2]).toBe(
      "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    )
  })

  it('two violations: "2 validation errors detected: <e1>; <e2>" (validated before the function exists)', () => {
    const sim = setup()
    expect(lambdaErr(() => sim.putFunctionEventInvokeConfig({ functionName: 'doesnotexist', maximumRetryAttempts: 5, maximumEventAgeInSeconds: 44444 }))).toEqual([
      'ValidationException',
      400,
      "2 validation errors detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2; Value '44444' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
    ])
  })

  it('a non-integer number is a SimulatorError naming the field and the range', () => {
    const sim = setup()
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1.5 })).toThrow('Invalid maximumRetryAttempts: expected an integer from 0 to 2, got 1.5')
  })
})

describe('event invoke config: a function handle as functionName', () => {
  it('put with the handle createFunction returned as functionName configures that function (as sim.invoke and putFunctionConcurrency take handles)', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('orders', async () => 'ok')
    expect(sim.putFunctionEventInvokeConfig({ functionName: fn, maximumRetryAttempts: 0 }).functionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST')
    expect(() => sim.putFunctionEventInvokeConfig({ functionName: 42 as never, maximumRetryAttempts: 0 })).toThrow('Invalid functionName: expected a function name, an ARN or a function handle, got 42')
  })

  it('get, delete and list given the handle itself (or any object with other members) name the unknown member instead of answering "functionName … got undefined"', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('orders', async () => 'ok')
    sim.putFunctionEventInvokeConfig({ functionName: 'orders', maximumRetryAttempts: 0 })
    const handle = fn as unknown as { functionName: string }
    expect(() => sim.getFunctionEventInvokeConfig(handle)).toThrow('Unknown option "name" for getFunctionEventInvokeConfig; allowed: functionName, qualifier')
    expect(() => sim.deleteFunctionEventInvokeConfig(handle)).toThrow('Unknown option "name" for deleteFunctionEventInvokeConfig; allowed: functionName, qualifier')
    expect(() => sim.listFunctionEventInvokeConfigs(handle)).toThrow('Unknown option "name" for listFunctionEventInvokeConfigs; allowed: functionName, marker, maxItems')
    expect(() => sim.getFunctionEventInvokeConfig({ functionName: 'orders', qualifer: '$LATEST' } as { functionName: string })).toThrow('Unknown option "qualifer" for getFunctionEventInvokeConfig')
    expect(sim.getFunctionEventInvokeConfig({ functionName: fn.name }).maximumRetryAttempts).toBe(0)
  })
})
