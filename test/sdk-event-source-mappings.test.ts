import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvalidParameterValueException,
  LambdaServiceException,
  ListEventSourceMappingsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
  paginateListEventSourceMappings,
  type CreateEventSourceMappingCommandInput,
  type EventSourceMappingConfiguration as WireConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda'
import { describe, expect, test } from 'vitest'
import { createSimulator, type EventSourceMappingConfiguration, type Simulator } from '../src/index.js'
import { lambdaClient, simulatorRequestHandler } from '../src/sdk/index.js'
import { rejection } from './helpers/errors.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function'
const ESM_ARN = 'arn:aws:lambda:us-east-1:123456789012:event-source-mapping'
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:jobs'
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks'

/** Two simulators with the same seed and the same resources: one driven through the SDK, one in process. */
function setup(): { sim: Simulator; twin: Simulator; client: LambdaClient } {
  const make = (): Simulator => {
    const sim = createSimulator()
    sim.createFunction('consumer', async () => undefined)
    sim.createFunction('other', async () => undefined)
    sim.publishVersion('consumer')
    sim.createAlias('consumer', { name: 'live', functionVersion: '1' })
    sim.createQueue('jobs')
    sim.createQueue('jobs.fifo')
    sim.createQueue('failures')
    sim.createStream('clicks')
    sim.createTableStream('orders')
    sim.createQueue('short', { visibilityTimeout: 2 })
    return sim
  }
  const sim = make()
  return { sim, twin: make(), client: lambdaClient(sim) }
}

/**
 * What the SDK should give for an in-process configuration, written out member by member (an
 * independent check of the adapter's name conversion), with `$metadata` left out.
 */
function expectedWire(c: EventSourceMappingConfiguration): WireConfiguration {
  const out: WireConfiguration = {
    UUID: c.uuid,
    EventSourceArn: c.eventSourceArn,
    FunctionArn: c.functionArn,
    State: c.state,
    StateTransitionReason: c.stateTransitionReason,
    LastModified: c.lastModified,
    BatchSize: c.batchSize,
    MaximumBatchingWindowInSeconds: c.maximumBatchingWindowInSeconds,
    FunctionResponseTypes: c.functionResponseTypes as 'ReportBatchItemFailures'[],
    EventSourceMappingArn: `${ESM_ARN}:${c.uuid}`,
  }
  if (c.filterCriteria !== undefined) out.FilterCriteria = { Filters: c.filterCriteria.filters.map((f) => ({ Pattern: f.pattern })) }
  if (c.scalingConfig !== undefined) out.ScalingConfig = c.scalingConfig.maximumConcurrency === undefined ? {} : { MaximumConcurrency: c.scalingConfig.maximumConcurrency }
  if (c.startingPosition !== undefined) out.StartingPosition = c.startingPosition as 'LATEST'
  if (c.startingPositionTimestamp !== undefined) out.StartingPositionTimestamp = c.startingPositionTimestamp
  if (c.parallelizationFactor !== undefined) out.ParallelizationFactor = c.parallelizationFactor
  if (c.bisectBatchOnFunctionError !== undefined) out.BisectBatchOnFunctionError = c.bisectBatchOnFunctionError
  if (c.maximumRetryAttempts !== undefined) out.MaximumRetryAttempts = c.maximumRetryAttempts
  if (c.maximumRecordAgeInSeconds !== undefined) out.MaximumRecordAgeInSeconds = c.maximumRecordAgeInSeconds
  if (c.destinationConfig !== undefined) out.DestinationConfig = { OnFailure: c.destinationConfig.onFailure.destination === undefined ? {} : { Destination: c.destinationConfig.onFailure.destination } }
  if (c.tumblingWindowInSeconds !== undefined) out.TumblingWindowInSeconds = c.tumblingWindowInSeconds
  if (c.lastProcessingResult !== undefined) out.LastProcessingResult = c.lastProcessingResult
  return out
}

function withoutMetadata<T extends { $metadata?: unknown }>(r: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = r
  return rest
}

describe('CreateEventSourceMapping through the SDK', () => {
  test('an SQS mapping answers 202 in state Creating with the SQS defaults, equal to the in-process result', async () => {
    const { sim, twin, client } = setup()
    await sim.advanceBy(1500)
    await twin.advanceBy(1500)
    const r = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    const c = twin.createEventSourceMapping({ eventSourceArn: QUEUE_ARN, functionName: 'consumer' })
    expect(r.$metadata.httpStatusCode).toBe(202)
    expect(withoutMetadata(r)).toEqual(expectedWire(c))
    expect(r).toMatchObject({ State: 'Creating', StateTransitionReason: 'USER_INITIATED', BatchSize: 10, MaximumBatchingWindowInSeconds: 0, FunctionResponseTypes: [], FunctionArn: `${FN_ARN}:consumer`, EventSourceArn: QUEUE_ARN })
    expect(r.LastModified).toEqual(new Date(T0 + 1500))
    expect(r.UUID).toBe(c.uuid)
    expect(r.StartingPosition).toBeUndefined()
  })

  test('every SQS member round-trips: window, batch size, response types, filters, maximum concurrency, alias ARN', async () => {
    const { sim, twin, client } = setup()
    const input: CreateEventSourceMappingCommandInput = {
      EventSourceArn: QUEUE_ARN,
      FunctionName: `${FN_ARN}:consumer:live`,
      Enabled: false,
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["a"]}}' }, { Pattern: '{"body":{"kind":["b"]}}' }] },
      ScalingConfig: { MaximumConcurrency: 5 },
    }
    const r = await client.send(new CreateEventSourceMappingCommand(input))
    const c = twin.createEventSourceMapping({
      eventSourceArn: QUEUE_ARN,
      functionName: `${FN_ARN}:consumer:live`,
      enabled: false,
      batchSize: 50,
      maximumBatchingWindowInSeconds: 20,
      functionResponseTypes: ['ReportBatchItemFailures'],
      filterCriteria: { filters: [{ pattern: '{"body":{"kind":["a"]}}' }, { pattern: '{"body":{"kind":["b"]}}' }] },
      scalingConfig: { maximumConcurrency: 5 },
    })
    expect(withoutMetadata(r)).toEqual(expectedWire(c))
    expect(r).toMatchObject({ FunctionArn: `${FN_ARN}:consumer:live`, BatchSize: 50, MaximumBatchingWindowInSeconds: 20, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } })
    expect(r.FilterCriteria).toEqual({ Filters: [{ Pattern: '{"body":{"kind":["a"]}}' }, { Pattern: '{"body":{"kind":["b"]}}' }] })
    await sim.runUntilIdle()
    expect(sim.getEventSourceMapping({ uuid: r.UUID as string }).state).toBe('Disabled')
  })

  test('a Kinesis mapping carries the stream members: AT_TIMESTAMP as a Date, parallelization, bisect, retries, age, on-failure destination', async () => {
    const { sim, twin, client } = setup()
    await sim.advanceBy(60_000)
    await twin.advanceBy(60_000)
    const failures = 'arn:aws:sqs:us-east-1:123456789012:failures'
    const r = await client.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: STREAM_ARN,
        FunctionName: 'consumer',
        StartingPosition: 'AT_TIMESTAMP',
        StartingPositionTimestamp: new Date(T0 + 30_000),
        BatchSize: 500,
        ParallelizationFactor: 4,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 2,
        MaximumRecordAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: failures } },
        TumblingWindowInSeconds: 0,
      }),
    )
    const c = twin.createEventSourceMapping({
      eventSourceArn: STREAM_ARN,
      functionName: 'consumer',
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: T0 + 30_000,
      batchSize: 500,
      parallelizationFactor: 4,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 2,
      maximumRecordAgeInSeconds: 3600,
      destinationConfig: { onFailure: { destination: failures } },
      tumblingWindowInSeconds: 0,
    })
    expect(r.$metadata.httpStatusCode).toBe(202)
    expect(withoutMetadata(r)).toEqual(expectedWire(c))
    expect(r).toMatchObject({
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: new Date(T0 + 30_000),
      ParallelizationFactor: 4,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 2,
      MaximumRecordAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: failures } },
      TumblingWindowInSeconds: 0,
      LastProcessingResult: 'No records processed',
    })
  })

  test('a DynamoDB stream mapping defaults to batch size 100 and an empty OnFailure', async () => {
    const { sim, client } = setup()
    const arn = sim.createTableStream('ledger').arn
    const r = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: arn, FunctionName: 'consumer', StartingPosition: 'TRIM_HORIZON' }))
    expect(r).toMatchObject({ BatchSize: 100, ParallelizationFactor: 1, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: false, DestinationConfig: { OnFailure: {} }, StartingPosition: 'TRIM_HORIZON' })
  })

  test('the wire answer is PascalCase with LastModified in epoch seconds and the mapping ARN', async () => {
    const { sim } = setup()
    await sim.advanceBy(2500)
    const { response } = await simulatorRequestHandler(sim).handle({
      method: 'POST',
      path: '/2015-03-31/event-source-mappings',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer', ScalingConfig: { MaximumConcurrency: 2 } }),
    })
    expect(response.statusCode).toBe(202)
    const body = JSON.parse(Buffer.from(response.body).toString()) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['UUID', 'EventSourceArn', 'FunctionArn', 'State', 'StateTransitionReason', 'LastModified', 'BatchSize', 'MaximumBatchingWindowInSeconds', 'FunctionResponseTypes', 'ScalingConfig', 'EventSourceMappingArn'])
    expect(body['LastModified']).toBe((T0 + 2500) / 1000)
    expect(body['ScalingConfig']).toEqual({ MaximumConcurrency: 2 })
    expect(body['EventSourceMappingArn']).toBe(`${ESM_ARN}:${body['UUID'] as string}`)
  })

  test('a second mapping of the same queue and function is ResourceConflictException (409) naming the first UUID', async () => {
    const { client } = setup()
    const first = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    const e = await rejection(client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' })))
    expect(e).toBeInstanceOf(ResourceConflictException)
    expect((e as unknown as ResourceConflictException).$metadata.httpStatusCode).toBe(409)
    expect(e.message).toBe(`An event source mapping with SQS arn (" ${QUEUE_ARN} ") and function (" consumer ") already exists. Please update or delete the existing mapping with UUID ${first.UUID as string}`)
  })
})

describe('CreateEventSourceMapping errors through the SDK match the in-process API', () => {
  type Case = [string, CreateEventSourceMappingCommandInput, Record<string, unknown>, string, string]
  const Q = { EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }
  const S = { EventSourceArn: STREAM_ARN, FunctionName: 'consumer' }
  const cases: Case[] = [
    ['batch size above 10,000', { ...Q, BatchSize: 10_001 }, { batchSize: 10_001 }, 'ValidationException', "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000"],
    ['batch size > 10 without a window', { ...Q, BatchSize: 11 }, { batchSize: 11 }, 'InvalidParameterValueException', 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'],
    ['two violations at once', { ...Q, BatchSize: 0, MaximumBatchingWindowInSeconds: -1 }, { batchSize: 0, maximumBatchingWindowInSeconds: -1 }, 'ValidationException', "2 validation errors detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '-1' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 0"],
    ['maximum concurrency 1', { ...Q, ScalingConfig: { MaximumConcurrency: 1 } }, { scalingConfig: { maximumConcurrency: 1 } }, 'ValidationException', "1 validation error detected: Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2"],
    ['an unknown function response type', { ...Q, FunctionResponseTypes: ['Foo' as never] }, { functionResponseTypes: ['Foo'] }, 'ValidationException', "1 validation error detected: Value '[Foo]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]"],
    ['a destination on an SQS mapping', { ...Q, DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } } }, { destinationConfig: { onFailure: { destination: QUEUE_ARN } } }, 'InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.'],
    ['a stream member on an SQS mapping', { ...Q, ParallelizationFactor: 2 }, { parallelizationFactor: 2 }, 'InvalidParameterValueException', 'Unsupported ParallelizationFactor parameter for given event source mapping type.'],
    ['a missing queue', { ...Q, EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:nope' }, { eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:nope' }, 'InvalidParameterValueException', 'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.'],
    ['a queue visibility timeout below the function timeout', { ...Q, EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:short' }, { eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:short' }, 'InvalidParameterValueException', 'Queue visibility timeout: 2 seconds is less than Function timeout: 3 seconds'],
    ['a missing function', { ...Q, FunctionName: 'nope' }, { functionName: 'nope' }, 'InvalidParameterValueException', 'Function does not exist'],
    ['six filters', { ...Q, FilterCriteria: { Filters: Array.from({ length: 6 }, () => ({ Pattern: '{}' })) } }, { filterCriteria: { filters: Array.from({ length: 6 }, () => ({ pattern: '{}' })) } }, 'InvalidParameterValueException', 'The maximum number of filters per event source mapping is 5, but 6 were provided.'],
    ['an invalid filter pattern', { ...Q, FilterCriteria: { Filters: [{ Pattern: 'not json' }] } }, { filterCriteria: { filters: [{ pattern: 'not json' }] } }, 'InvalidParameterValueException', 'Invalid filter pattern definition.'],
    ['a FIFO batch size of 11', { ...Q, EventSourceArn: `${QUEUE_ARN}.fifo`, BatchSize: 11 }, { eventSourceArn: `${QUEUE_ARN}.fifo`, batchSize: 11 }, 'InvalidParameterValueException', 'BatchSize must be between 1 and 10 for FIFO queues, but was 11.'],
    ['a missing starting position', S, {}, 'InvalidParameterValueException', "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."],
    ['a bad starting position', { ...S, StartingPosition: 'EARLIEST' as never }, { startingPosition: 'EARLIEST' }, 'ValidationException', "1 validation error detected: Value 'EARLIEST' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"],
    ['AT_TIMESTAMP without a timestamp', { ...S, StartingPosition: 'AT_TIMESTAMP' }, { startingPosition: 'AT_TIMESTAMP' }, 'InvalidParameterValueException', 'StartingPositionTimestamp must be provided with StartingPosition AT_TIMESTAMP.'],
    ['a negative timestamp', { ...S, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(-1_767_225_600_000) }, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: -1_767_225_600_000 }, 'InvalidParameterValueException', 'Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp'],
    ['a timestamp in the future', { ...S, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(T0 + 1000) }, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 + 1000 }, 'InvalidParameterValueException', 'The StartingPositionTimestamp can not be in the future.'],
    ['a record age of 59 s', { ...S, StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 59 }, { startingPosition: 'LATEST', maximumRecordAgeInSeconds: 59 }, 'InvalidParameterValueException', 'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)'],
    ['an OnSuccess destination', { ...S, StartingPosition: 'LATEST', DestinationConfig: { OnSuccess: { Destination: QUEUE_ARN } } }, { startingPosition: 'LATEST', destinationConfig: { onSuccess: { destination: QUEUE_ARN } } }, 'InvalidParameterValueException', 'OnSuccess is not supported in CreateEventSourceMapping or UpdateEventSourceMapping'],
    ['a tumbling window of 901 s', { ...S, StartingPosition: 'LATEST', TumblingWindowInSeconds: 901 }, { startingPosition: 'LATEST', tumblingWindowInSeconds: 901 }, 'ValidationException', "1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"],
  ]
  for (const [name, wire, inProcess, exception, message] of cases) {
    test(`rejects ${name} with ${exception}`, async () => {
      const { twin, client } = setup()
      const e = await rejection(client.send(new CreateEventSourceMappingCommand(wire)))
      expect(e.name).toBe(exception)
      expect(e.message).toBe(message)
      expect(e).toBeInstanceOf(LambdaServiceException)
      const base = wire.EventSourceArn === STREAM_ARN ? { eventSourceArn: STREAM_ARN, functionName: 'consumer' } : { eventSourceArn: QUEUE_ARN, functionName: 'consumer' }
      expect(() => twin.createEventSourceMapping({ ...base, ...inProcess } as never)).toThrow(expect.objectContaining({ name: exception, message }))
    })
  }

  test('the SDK raises its typed exceptions with AWS status codes', async () => {
    const { client } = setup()
    const bad = await rejection(client.send(new CreateEventSourceMappingCommand({ ...Q, BatchSize: 11 })))
    expect(bad).toBeInstanceOf(InvalidParameterValueException)
    expect((bad as unknown as InvalidParameterValueException).$metadata.httpStatusCode).toBe(400)
    expect((bad as unknown as InvalidParameterValueException).Type).toBe('User')
    const missing = await rejection(client.send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-4000-8000-000000000000' })))
    expect(missing).toBeInstanceOf(ResourceNotFoundException)
    expect((missing as unknown as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404)
  })

  test('a request without FunctionName is a ValidationException naming functionName', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN } as never)))
    expect(e.name).toBe('ValidationException')
    expect(e.message).toBe("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
  })

  test('a request without EventSourceArn is an InvalidParameterValueException "Unrecognized event source.", also for a function that does not exist', async () => {
    const { client } = setup()
    for (const FunctionName of ['consumer', 'doesnotexist']) {
      const e = await rejection(client.send(new CreateEventSourceMappingCommand({ FunctionName })))
      expect(e).toBeInstanceOf(InvalidParameterValueException)
      expect(e.message).toBe('Unrecognized event source.')
    }
  })

  test('a member lambda-sim does not simulate (Kafka Topics, Tags, ...) answers 501 naming it; nothing is created', async () => {
    const { sim, client } = setup()
    const e = await rejection(client.send(new CreateEventSourceMappingCommand({ ...Q, Topics: ['orders'] })))
    expect(e.name).toBe('NotImplementedException')
    expect((e as unknown as LambdaServiceException).$metadata.httpStatusCode).toBe(501)
    expect(e.message).toBe('lambda-sim does not implement the CreateEventSourceMapping member Topics (only SQS, Kinesis and DynamoDB stream sources are simulated)')
    const tags = await rejection(client.send(new CreateEventSourceMappingCommand({ ...Q, Tags: { team: 'a' } })))
    expect(tags.message).toMatch(/member Tags /)
    expect(sim.listEventSourceMappings().eventSourceMappings).toEqual([])
  })

  test('a tumbling window travels as TumblingWindowInSeconds and matches the in-process mapping', async () => {
    const { client, sim } = setup()
    const created = await client.send(new CreateEventSourceMappingCommand({ ...S, StartingPosition: 'LATEST', TumblingWindowInSeconds: 60 }))
    expect(created.TumblingWindowInSeconds).toBe(60)
    expect(sim.getEventSourceMapping({ uuid: created.UUID as string }).tumblingWindowInSeconds).toBe(60)
    const bad = await rejection(client.send(new CreateEventSourceMappingCommand({ ...S, StartingPosition: 'LATEST', TumblingWindowInSeconds: 901 })))
    expect(bad.name).toBe('ValidationException')
    expect(bad.message).toBe("1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900")
  })

  test('a member of the wrong JSON type is InvalidRequestContentException naming the member and value', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new CreateEventSourceMappingCommand({ ...Q, BatchSize: '10' as never })))
    expect(e.name).toBe('InvalidRequestContentException')
    expect(e.message).toBe('Could not parse request body into json: BatchSize must be an integer, got "10"')
    const nested = await rejection(client.send(new CreateEventSourceMappingCommand({ ...Q, ScalingConfig: { MaximumConcurrency: 2.5 } })))
    expect(nested.message).toBe('Could not parse request body into json: ScalingConfig.MaximumConcurrency must be an integer, got 2.5')
  })
})

describe('Get, Update, Delete and List through the SDK', () => {
  test('Get answers 200 with the same configuration as the in-process API, Enabled once the creation task ran', async () => {
    const { sim, client } = setup()
    const { UUID } = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    await sim.runUntilIdle()
    const r = await client.send(new GetEventSourceMappingCommand({ UUID }))
    expect(r.$metadata.httpStatusCode).toBe(200)
    expect(r.State).toBe('Enabled')
    expect(withoutMetadata(r)).toEqual(expectedWire(sim.getEventSourceMapping({ uuid: UUID as string })))
  })

  test('Get of an unknown UUID is ResourceNotFoundException (404) "The resource you requested does not exist."', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-4000-8000-000000000000' })))
    expect(e).toBeInstanceOf(ResourceNotFoundException)
    expect((e as unknown as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404)
    expect(e.message).toBe('The resource you requested does not exist.')
  })

  test('Update answers 202: Disabling then Disabled, only the given members change, ScalingConfig {} removes the cap', async () => {
    const { sim, twin, client } = setup()
    const created = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer', ScalingConfig: { MaximumConcurrency: 3 }, BatchSize: 5 }))
    const c = twin.createEventSourceMapping({ eventSourceArn: QUEUE_ARN, functionName: 'consumer', scalingConfig: { maximumConcurrency: 3 }, batchSize: 5 })
    await sim.advanceBy(10_000)
    await twin.advanceBy(10_000)
    const r = await client.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false, ScalingConfig: {}, FunctionResponseTypes: ['ReportBatchItemFailures'], FilterCriteria: { Filters: [{ Pattern: '{"body":{"n":[1]}}' }] } }))
    const u = twin.updateEventSourceMapping({ uuid: c.uuid, enabled: false, scalingConfig: {}, functionResponseTypes: ['ReportBatchItemFailures'], filterCriteria: { filters: [{ pattern: '{"body":{"n":[1]}}' }] } })
    expect(r.$metadata.httpStatusCode).toBe(202)
    expect(withoutMetadata(r)).toEqual(expectedWire(u))
    expect(r).toMatchObject({ State: 'Disabling', BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'], FilterCriteria: { Filters: [{ Pattern: '{"body":{"n":[1]}}' }] } })
    expect(r.ScalingConfig).toBeUndefined()
    expect(r.LastModified).toEqual(new Date(T0 + 10_000))
    await sim.runUntilIdle()
    expect((await client.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe('Disabled')
  })

  test('Update can point the mapping at another function (FunctionArn follows) and says Updating', async () => {
    const { sim, client } = setup()
    const { UUID } = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    await sim.runUntilIdle()
    const r = await client.send(new UpdateEventSourceMappingCommand({ UUID, FunctionName: 'other', BatchSize: 7 }))
    expect(r).toMatchObject({ State: 'Updating', FunctionArn: `${FN_ARN}:other`, BatchSize: 7 })
  })

  test('Update errors: unknown UUID, out-of-range value, stream member on SQS, the FIFO window', async () => {
    const { client } = setup()
    const gone = await rejection(client.send(new UpdateEventSourceMappingCommand({ UUID: '00000000-0000-4000-8000-000000000000', BatchSize: 5 })))
    expect(gone).toBeInstanceOf(ResourceNotFoundException)
    expect(gone.message).toBe('The resource you requested does not exist.')
    const { UUID } = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    const range = await rejection(client.send(new UpdateEventSourceMappingCommand({ UUID, MaximumBatchingWindowInSeconds: 301 })))
    expect(range.name).toBe('ValidationException')
    expect(range.message).toBe("1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300")
    const stream = await rejection(client.send(new UpdateEventSourceMappingCommand({ UUID, BisectBatchOnFunctionError: true })))
    expect(stream).toBeInstanceOf(InvalidParameterValueException)
    expect(stream.message).toBe('Unsupported BisectBatchOnFunctionError parameter for given event source mapping type.')
    const fifo = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: `${QUEUE_ARN}.fifo`, FunctionName: 'consumer' }))
    const window = await rejection(client.send(new UpdateEventSourceMappingCommand({ UUID: fifo.UUID, MaximumBatchingWindowInSeconds: 5 })))
    expect(window.message).toBe('Batching window is not supported for FIFO queues')
  })

  test('Delete answers 202 in state Deleting; after the transition Get and Delete are ResourceNotFoundException', async () => {
    const { sim, twin, client } = setup()
    const { UUID } = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    const c = twin.createEventSourceMapping({ eventSourceArn: QUEUE_ARN, functionName: 'consumer' })
    await sim.runUntilIdle()
    await twin.runUntilIdle()
    const r = await client.send(new DeleteEventSourceMappingCommand({ UUID }))
    const d = twin.deleteEventSourceMapping({ uuid: c.uuid })
    expect(r.$metadata.httpStatusCode).toBe(202)
    expect(r.State).toBe('Deleting')
    expect(withoutMetadata(r)).toEqual(expectedWire(d))
    await sim.runUntilIdle()
    const get = await rejection(client.send(new GetEventSourceMappingCommand({ UUID })))
    expect(get).toBeInstanceOf(ResourceNotFoundException)
    const again = await rejection(client.send(new DeleteEventSourceMappingCommand({ UUID })))
    expect(again).toBeInstanceOf(ResourceNotFoundException)
    expect(again.message).toBe('The resource you requested does not exist.')
  })

  test('List answers 200 and filters by EventSourceArn and FunctionName (query parameters), like the in-process API', async () => {
    const { sim, client } = setup()
    const a = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'consumer' }))
    const b = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: QUEUE_ARN, FunctionName: 'other' }))
    const c = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: STREAM_ARN, FunctionName: 'consumer', StartingPosition: 'LATEST' }))
    const all = await client.send(new ListEventSourceMappingsCommand({}))
    expect(all.$metadata.httpStatusCode).toBe(200)
    expect(all.EventSourceMappings?.map((m) => m.UUID)).toEqual([a.UUID, b.UUID, c.UUID])
    expect(all.NextMarker).toBeUndefined()
    expect(all.EventSourceMappings).toEqual(sim.listEventSourceMappings().eventSourceMappings.map(expectedWire))
    const byQueue = await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: QUEUE_ARN }))
    expect(byQueue.EventSourceMappings?.map((m) => m.UUID)).toEqual([a.UUID, b.UUID])
    const byFunction = await client.send(new ListEventSourceMappingsCommand({ FunctionName: 'consumer' }))
    expect(byFunction.EventSourceMappings?.map((m) => m.UUID)).toEqual([a.UUID, c.UUID])
    const both = await client.send(new ListEventSourceMappingsCommand({ FunctionName: `${FN_ARN}:other`, EventSourceArn: QUEUE_ARN }))
    expect(both.EventSourceMappings?.map((m) => m.UUID)).toEqual([b.UUID])
    const none = await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: STREAM_ARN, FunctionName: 'other' }))
    expect(none.EventSourceMappings).toEqual([])
  })

  test('List pages with MaxItems and Marker, and the SDK paginator walks every page', async () => {
    const { sim, client } = setup()
    const uuids: string[] = []
    for (const name of ['q1', 'q2', 'q3', 'q4', 'q5']) {
      const q = sim.createQueue(name)
      uuids.push((await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: q.arn, FunctionName: 'consumer' }))).UUID as string)
    }
    const first = await client.send(new ListEventSourceMappingsCommand({ MaxItems: 2 }))
    expect(first.EventSourceMappings?.map((m) => m.UUID)).toEqual(uuids.slice(0, 2))
    expect(first.NextMarker).toBe(sim.listEventSourceMappings({ maxItems: 2 }).nextMarker)
    const second = await client.send(new ListEventSourceMappingsCommand({ MaxItems: 2, Marker: first.NextMarker }))
    expect(second.EventSourceMappings?.map((m) => m.UUID)).toEqual(uuids.slice(2, 4))
    const pages: string[][] = []
    for await (const page of paginateListEventSourceMappings({ client, pageSize: 2 }, {})) pages.push((page.EventSourceMappings ?? []).map((m) => m.UUID as string))
    expect(pages).toEqual([uuids.slice(0, 2), uuids.slice(2, 4), uuids.slice(4)])
  })

  test('List errors: MaxItems 0 is a ValidationException and a bad Marker is rejected; an unknown function lists nothing', async () => {
    const { client } = setup()
    const zero = await rejection(client.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })))
    expect(zero.name).toBe('ValidationException')
    expect(zero.message).toBe("1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")
    const marker = await rejection(client.send(new ListEventSourceMappingsCommand({ Marker: 'x' })))
    expect(marker).toBeInstanceOf(InvalidParameterValueException)
    expect(marker.message).toBe('Invalid marker: x')
    const fn = await client.send(new ListEventSourceMappingsCommand({ FunctionName: 'nope' }))
    expect(fn.EventSourceMappings).toEqual([])
    expect(fn.NextMarker).toBeUndefined()
  })
})

describe('a mapping created through the SDK runs like one created in process', () => {
  test('an SQS mapping drains the queue: one batch of two messages at 5 s (the batching window), then both deleted', async () => {
    const run = async (viaSdk: boolean): Promise<{ sim: Simulator; uuid: string; ids: string[] }> => {
      const sim = createSimulator()
      sim.createFunction('consumer', async (event: { Records: { body: string }[] }) => event.Records.map((r) => r.body))
      const q = sim.createQueue('jobs')
      const uuid = viaSdk
        ? ((await lambdaClient(sim).send(new CreateEventSourceMappingCommand({ EventSourceArn: q.arn, FunctionName: 'consumer', BatchSize: 3, MaximumBatchingWindowInSeconds: 5 }))).UUID as string)
        : sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 3, maximumBatchingWindowInSeconds: 5 }).uuid
      await sim.advanceBy(0)
      const ids = [q.sendMessage({ body: 'a' }).messageId]
      await sim.advanceBy(1000)
      ids.push(q.sendMessage({ body: 'b' }).messageId)
      await sim.runUntilIdle()
      expect(q.messages).toHaveLength(0)
      return { sim, uuid, ids }
    }
    const { sim, uuid, ids } = await run(true)
    const batches = sim.timeline.ofType('esm').filter((e) => e.action === 'batch')
    expect(batches).toHaveLength(1)
    expect(batches[0]).toMatchObject({ time: T0 + 5000, mappingId: uuid, functionName: 'consumer', ids })
    const finished = sim.timeline.ofType('attempt-finished')
    expect(finished).toHaveLength(1)
    expect(finished[0]).toMatchObject({ time: T0 + 5000, requestId: batches[0]?.requestId, invocationType: 'RequestResponse', outcome: 'success', payload: ['a', 'b'] })
    expect(sim.timeline.ofType('esm').filter((e) => e.action === 'deleted')).toEqual([expect.objectContaining({ time: T0 + 5000, ids })])
    // Byte for byte the timeline of the same program run in process.
    const inProcess = await run(false)
    expect(JSON.stringify(sim.timeline.ofType('esm'))).toBe(JSON.stringify(inProcess.sim.timeline.ofType('esm')))
    expect(JSON.stringify(sim.timeline.ofType('attempt-finished'))).toBe(JSON.stringify(inProcess.sim.timeline.ofType('attempt-finished')))
  })

  test('a mapping disabled through the SDK stops polling until it is enabled again', async () => {
    const sim = createSimulator()
    const seen: number[] = []
    sim.createFunction('consumer', async () => {
      seen.push(sim.now() - T0)
    })
    const q = sim.createQueue('jobs')
    const client = lambdaClient(sim)
    const { UUID } = await client.send(new CreateEventSourceMappingCommand({ EventSourceArn: q.arn, FunctionName: 'consumer', Enabled: false }))
    q.sendMessage({ body: 'x' })
    await sim.advanceBy(60_000)
    expect(seen).toEqual([])
    expect(q.messages).toHaveLength(1)
    await client.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }))
    await sim.runUntilIdle()
    expect(seen).toEqual([60_000])
    expect(q.messages).toHaveLength(0)
  })
})
