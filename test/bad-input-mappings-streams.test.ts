import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError, type Queue, type Simulator, type Stream, type TableStream } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'
import { toWireName } from '../src/sdk/event-source-mappings.js'
import { wireRequest as wire } from './helpers/wire.js'

/**
 * "A refused call changes nothing", for event source mappings and streams: every call below is
 * refused with a clear error, and afterwards the simulator is byte-for-byte what it was (snapshot)
 * and behaves exactly like a twin that never saw the call (same next UUIDs, sequence numbers,
 * shard ids and timeline 40 virtual seconds on: nothing was drawn from the seeded generator,
 * no poller started, no record appended).
 */

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

interface Setup {
  seed: number
  shards: number
  records: { partitionKey: string; data: string }[]
  items: { id: string; n: number }[]
  messages: number
  sqsBatch: number
  sqsWindow: number
  kinesisBatch: number
  parallelization: number
}

const DEFAULT_SETUP: Setup = {
  seed: 7,
  shards: 2,
  records: [
    { partitionKey: 'a', data: '{"n":1}' },
    { partitionKey: 'b', data: '{"n":2}' },
    { partitionKey: 'c', data: 'not json' },
  ],
  items: [{ id: '1', n: 1 }],
  messages: 2,
  sqsBatch: 20,
  sqsWindow: 2,
  kinesisBatch: 50,
  parallelization: 2,
}

interface World {
  sim: Simulator
  jobs: Queue
  fifo: Queue
  failures: Queue
  spare: Queue
  clicks: Stream
  orders: TableStream
  /** Mapping UUIDs: jobs → f, clicks → f, orders → g, jobs.fifo → g, orders → f:live, and one deleted in setup. */
  sqs: string
  kinesis: string
  ddb: string
  fifoMapping: string
  gone: string
  /** orders → f:live */
  live: string
}

/** A simulator with queues, a two-shard stream, a table, four mappings of every kind (one deleted), records and messages, a second into its life. */
async function world(setup: Setup = DEFAULT_SETUP): Promise<World> {
  const sim = createSimulator({ seed: setup.seed })
  sim.createFunction('f', async () => undefined)
  sim.createFunction('g', async () => undefined)
  sim.publishVersion('f')
  sim.createAlias('f', { name: 'live', functionVersion: '1' })
  const jobs = sim.createQueue('jobs')
  const fifo = sim.createQueue('jobs.fifo')
  const failures = sim.createQueue('failures')
  const spare = sim.createQueue('spare')
  const clicks = sim.createStream('clicks', { shards: setup.shards })
  const orders = sim.createTableStream('orders')
  const sqs = sim.createEventSourceMapping({
    eventSourceArn: jobs.arn,
    functionName: 'f',
    batchSize: setup.sqsBatch,
    maximumBatchingWindowInSeconds: setup.sqsWindow,
    scalingConfig: { maximumConcurrency: 5 },
    filterCriteria: { filters: [{ pattern: '{"body":{"n":[{"numeric":[">",0]}]}}' }] },
  }).uuid
  const kinesis = sim.createEventSourceMapping({
    eventSourceArn: clicks.arn,
    functionName: 'f',
    startingPosition: 'TRIM_HORIZON',
    batchSize: setup.kinesisBatch,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 2,
    maximumRecordAgeInSeconds: 3600,
    parallelizationFactor: setup.parallelization,
    destinationConfig: { onFailure: { destination: failures.arn } },
  }).uuid
  const ddb = sim.createEventSourceMapping({ eventSourceArn: orders.arn, functionName: 'g', startingPosition: 'LATEST', functionResponseTypes: ['ReportBatchItemFailures'], tumblingWindowInSeconds: 30 }).uuid
  const fifoMapping = sim.createEventSourceMapping({ eventSourceArn: fifo.arn, functionName: 'g' }).uuid
  const live = sim.createEventSourceMapping({ eventSourceArn: orders.arn, functionName: 'f:live', startingPosition: 'TRIM_HORIZON' }).uuid
  const gone = sim.createEventSourceMapping({ eventSourceArn: spare.arn, functionName: 'g' }).uuid
  sim.deleteEventSourceMapping({ uuid: gone })
  for (let i = 0; i < setup.messages; i++) jobs.sendMessage({ body: JSON.stringify({ n: i + 1 }) })
  for (const r of setup.records) clicks.putRecord(r)
  for (const item of setup.items) orders.putItem(item)
  await sim.advanceBy(1_000)
  return { sim, jobs, fifo, failures, spare, clicks, orders, sqs, kinesis, ddb, fifoMapping, gone, live }
}

/** Everything observable: mappings as get and list answer them, stream records per shard, table items, queue messages, clock, pending work, timeline. */
function snapshot(w: World): string {
  const { sim } = w
  const get = (uuid: string): unknown => {
    try {
      return sim.getEventSourceMapping({ uuid })
    } catch (error) {
      return (error as Error).name
    }
  }
  const shards = (s: Stream | TableStream): unknown =>
    s.shards.map((sh) => ({ shardId: sh.shardId, records: sh.records.map((r) => [r.sequenceNumber, r.partitionKey, r.arrivalTime, r.recordJson, String(r.lineage)]) }))
  return JSON.stringify({
    now: sim.now(),
    pending: sim.pending(),
    timeline: sim.timeline.entries,
    list: sim.listEventSourceMappings(),
    get: [w.sqs, w.kinesis, w.ddb, w.fifoMapping, w.gone, w.live].map(get),
    clicks: shards(w.clicks),
    orders: shards(w.orders),
    items: [...w.orders.items],
    queues: [w.jobs, w.fifo, w.failures, w.spare].map((q) => q.messages),
  })
}

/**
 * What happens next, as a string: the next Kinesis sequence number, DynamoDB record (event id and
 * sequence number), mapping UUID, stream and table (shard id), message id, then 40 virtual seconds (past the tumbling window)
 * and the whole snapshot. A refused call that drew from the seeded generator, started a poller or
 * registered anything shows here against a twin that never saw the call.
 */
async function future(w: World): Promise<string> {
  const { sim } = w
  const out: unknown[] = []
  const attempt = (f: () => unknown): void => {
    try {
      out.push(f())
    } catch (error) {
      out.push(`${(error as Error).name}: ${(error as Error).message}`)
    }
  }
  attempt(() => w.clicks.putRecord({ partitionKey: 'probe', data: { n: 9 } }))
  attempt(() => {
    w.orders.putItem({ id: 'probe', n: 9 })
    return w.orders.shards[0]?.records.at(-1)?.recordJson
  })
  attempt(() => sim.createEventSourceMapping({ eventSourceArn: w.spare.arn, functionName: 'f' }).uuid)
  attempt(() => sim.createStream('fresh').arn)
  attempt(() => sim.createTableStream('fresh-table').shards[0]?.shardId)
  attempt(() => w.jobs.sendMessage({ body: '{"n":3}' }).messageId)
  await sim.advanceBy(40_000)
  out.push(snapshot(w))
  return JSON.stringify(out)
}

async function errorOf(call: () => unknown): Promise<Error | undefined> {
  try {
    await call()
  } catch (error) {
    return error as Error
  }
  return undefined
}

const circular: Record<string, unknown> = { a: 1 }
circular['self'] = circular

type Entry = [label: string, call: (w: World) => unknown, name: string, texts: string[]]

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'
const NO_UUID = '00000000-0000-4000-8000-000000000000'
const sqsOn = (w: World, extra: object = {}): Record<string, unknown> => ({ eventSourceArn: w.spare.arn, functionName: 'f', ...extra })
const kinOn = (w: World, extra: object = {}): Record<string, unknown> => ({ eventSourceArn: w.clicks.arn, functionName: 'g', startingPosition: 'LATEST', ...extra })
const ddbOn = (w: World, extra: object = {}): Record<string, unknown> => ({ eventSourceArn: w.orders.arn, functionName: 'f', startingPosition: 'LATEST', ...extra })
const create = (w: World, input: Record<string, unknown>): unknown => w.sim.createEventSourceMapping(input as never)
const update = (w: World, input: Record<string, unknown>): unknown => w.sim.updateEventSourceMapping(input as never)
const mib = (n: number): string => 'x'.repeat(n)

/** Refused CreateEventSourceMapping inputs: [label, input, error name, texts]. */
const createInputs: [label: string, input: (w: World) => Record<string, unknown>, name: string, texts: string[]][] = [
  // batch size and batching window, per source type
  ['SQS batch size 0', (w) => sqsOn(w, { batchSize: 0 }), 'ValidationException', ["'0'", 'batchSize', 'greater than or equal to 1']],
  ['SQS batch size 10,001', (w) => sqsOn(w, { batchSize: 10_001, maximumBatchingWindowInSeconds: 1 }), 'ValidationException', ["'10001'", 'batchSize', 'less than or equal to 10000']],
  ['Kinesis batch size 10,001', (w) => kinOn(w, { batchSize: 10_001 }), 'ValidationException', ["'10001'", 'batchSize']],
  ['DynamoDB batch size 0', (w) => ddbOn(w, { batchSize: 0 }), 'ValidationException', ["'0'", 'batchSize']],
  ['a fractional batch size', (w) => sqsOn(w, { batchSize: 1.5 }), 'SimulatorError', ['batchSize', '1.5', '1 to 10000']],
  ['a batch size given as a string', (w) => sqsOn(w, { batchSize: '10' }), 'SimulatorError', ['batchSize', '"10"']],
  ['SQS batch size 11 without a batching window', (w) => sqsOn(w, { batchSize: 11 }), 'InvalidParameterValueException', ['Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10']],
  ['batching window 301', (w) => sqsOn(w, { maximumBatchingWindowInSeconds: 301 }), 'ValidationException', ["'301'", 'maximumBatchingWindowInSeconds', 'less than or equal to 300']],
  ['batching window -1 on a stream', (w) => kinOn(w, { maximumBatchingWindowInSeconds: -1 }), 'ValidationException', ["'-1'", 'maximumBatchingWindowInSeconds']],
  ['FIFO batch size 11', (w) => ({ eventSourceArn: w.fifo.arn, functionName: 'f', batchSize: 11 }), 'InvalidParameterValueException', ['BatchSize', '11', 'FIFO']],
  ['FIFO batching window 1', (w) => ({ eventSourceArn: w.fifo.arn, functionName: 'f', maximumBatchingWindowInSeconds: 1 }), 'InvalidParameterValueException', ['Batching window is not supported for FIFO queues']],
  ['two violations at once', (w) => sqsOn(w, { batchSize: 0, maximumBatchingWindowInSeconds: 400 }), 'ValidationException', ['2 validation errors detected', 'batchSize', 'maximumBatchingWindowInSeconds']],
  // options that do not apply to the source type
  ['ParallelizationFactor on SQS', (w) => sqsOn(w, { parallelizationFactor: 2 }), 'InvalidParameterValueException', ['Unsupported ParallelizationFactor parameter']],
  ['BisectBatchOnFunctionError on SQS', (w) => sqsOn(w, { bisectBatchOnFunctionError: false }), 'InvalidParameterValueException', ['Unsupported BisectBatchOnFunctionError parameter']],
  ['MaximumRetryAttempts on SQS', (w) => sqsOn(w, { maximumRetryAttempts: 1 }), 'InvalidParameterValueException', ['Unsupported MaximumRetryAttempts parameter']],
  ['MaximumRecordAgeInSeconds on SQS', (w) => sqsOn(w, { maximumRecordAgeInSeconds: 60 }), 'InvalidParameterValueException', ['Unsupported MaximumRecordAgeInSeconds parameter']],
  ['TumblingWindowInSeconds on SQS', (w) => sqsOn(w, { tumblingWindowInSeconds: 10 }), 'InvalidParameterValueException', ['Unsupported TumblingWindowInSeconds parameter']],
  ['StartingPosition on SQS', (w) => sqsOn(w, { startingPosition: 'LATEST' }), 'InvalidParameterValueException', ['StartingPosition is not valid for SQS event sources.']],
  ['StartingPositionTimestamp alone on SQS', (w) => sqsOn(w, { startingPositionTimestamp: T0 }), 'InvalidParameterValueException', ['Unsupported StartingPositionTimestamp parameter']],
  ['DestinationConfig on SQS', (w) => sqsOn(w, { destinationConfig: { onFailure: { destination: w.failures.arn } } }), 'InvalidParameterValueException', ['Unsupported DestinationConfig parameter']],
  ['ScalingConfig on Kinesis', (w) => kinOn(w, { scalingConfig: { maximumConcurrency: 5 } }), 'InvalidParameterValueException', ['Unsupported ScalingConfig parameter']],
  ['ScalingConfig on DynamoDB', (w) => ddbOn(w, { scalingConfig: {} }), 'InvalidParameterValueException', ['Unsupported ScalingConfig parameter']],
  // scaling config, response types, filters, flags
  ['maximum concurrency 1', (w) => sqsOn(w, { scalingConfig: { maximumConcurrency: 1 } }), 'ValidationException', ["'1'", 'scalingConfig.maximumConcurrency', 'greater than or equal to 2']],
  ['maximum concurrency 1,001', (w) => sqsOn(w, { scalingConfig: { maximumConcurrency: 1001 } }), 'ValidationException', ["'1001'", 'scalingConfig.maximumConcurrency']],
  ['a scaling config that is not an object', (w) => sqsOn(w, { scalingConfig: 5 }), 'SimulatorError', ['scalingConfig', '5']],
  ['an unknown function response type', (w) => sqsOn(w, { functionResponseTypes: ['ReportBatchItemFailure'] }), 'ValidationException', ['[ReportBatchItemFailure]', 'functionResponseTypes']],
  ['two function response types', (w) => kinOn(w, { functionResponseTypes: ['ReportBatchItemFailures', 'ReportBatchItemFailures'] }), 'ValidationException', ['functionResponseTypes', 'length less than or equal to 1']],
  ['function response types that are not a list', (w) => sqsOn(w, { functionResponseTypes: 'ReportBatchItemFailures' }), 'SimulatorError', ['functionResponseTypes', '"ReportBatchItemFailures"']],
  ['six filters', (w) => sqsOn(w, { filterCriteria: { filters: Array.from({ length: 6 }, () => ({ pattern: '{}' })) } }), 'InvalidParameterValueException', ['maximum number of filters', '5', '6']],
  ['a filter pattern that is not JSON', (w) => sqsOn(w, { filterCriteria: { filters: [{ pattern: '{"body":' }] } }), 'InvalidParameterValueException', ['Invalid filter pattern definition.']],
  ['a filter pattern with an unknown operator', (w) => kinOn(w, { filterCriteria: { filters: [{ pattern: '{"data":{"n":[{"bogus":1}]}}' }] } }), 'InvalidParameterValueException', ['Invalid filter pattern definition.']],
  ['a filter without a pattern', (w) => ddbOn(w, { filterCriteria: { filters: [{}] } }), 'InvalidParameterValueException', ['Invalid filter pattern definition.']],
  ['a second filter that is invalid (the first is fine)', (w) => sqsOn(w, { filterCriteria: { filters: [{ pattern: '{"body":{"n":[1]}}' }, { pattern: '[1]' }] } }), 'InvalidParameterValueException', ['Invalid filter pattern definition.']],
  ['a filter pattern over 4,096 characters', (w) => sqsOn(w, { filterCriteria: { filters: [{ pattern: `{"body":{"s":["${'x'.repeat(4100)}"]}}` }] } }), 'ValidationException', ['filterCriteria.filters.1.member.pattern', 'length less than or equal to 4096']],
  ['filters that are not a list', (w) => sqsOn(w, { filterCriteria: { filters: '{}' } }), 'SimulatorError', ['filterCriteria.filters', '"{}"']],
  ['enabled given as a string', (w) => sqsOn(w, { enabled: 'yes' }), 'SimulatorError', ['enabled', '"yes"']],
  ['bisect given as a number', (w) => kinOn(w, { bisectBatchOnFunctionError: 1 }), 'SimulatorError', ['bisectBatchOnFunctionError', '1']],
  ['an unknown member', (w) => sqsOn(w, { batchsize: 5 }), 'SimulatorError', ['"batchsize"', 'createEventSourceMapping']],
  // Found by this catalogue: these were TypeErrors from deep inside (and the first disagreed with the SDK).
  ['no function name (as through the SDK)', (w) => ({ eventSourceArn: w.spare.arn }), 'ValidationException', ["Value null at 'functionName'", 'must not be null']],
  ['a function name that is null', (w) => ({ eventSourceArn: w.clicks.arn, functionName: null, startingPosition: 'LATEST' }), 'ValidationException', ["Value null at 'functionName'"]],
  ['a function name that is a number', (w) => sqsOn(w, { functionName: 42 }), 'SimulatorError', ['Invalid functionName: expected a function name, an ARN or a function handle, got 42']],
  ['a function name that is an array carrying a name', (w) => sqsOn(w, { functionName: Object.assign([], { name: 'g' }) }), 'SimulatorError', ['Invalid functionName: expected a function name, an ARN or a function handle, got []']],
  ['the handle of a function this simulator does not have', (w) => sqsOn(w, { functionName: { name: 'nope', arn: `${ARN}:nope` } }), 'InvalidParameterValueException', ['Function does not exist']],
  ['filter criteria that are null', (w) => sqsOn(w, { filterCriteria: null }), 'SimulatorError', ['filterCriteria', 'null']],
  ['filter criteria that are a string', (w) => kinOn(w, { filterCriteria: '{"data":{}}' }), 'SimulatorError', ['filterCriteria', '"{\\"data\\":{}}"']],
  // sources and functions
  ['no event source', () => ({ functionName: 'f' }), 'InvalidParameterValueException', ['Unrecognized event source.']],
  ['an event source that is not a string', () => ({ eventSourceArn: 42, functionName: 'f' }), 'SimulatorError', ['eventSourceArn', '42']],
  ['an SNS topic as event source', () => ({ eventSourceArn: 'arn:aws:sns:us-east-1:123456789012:t', functionName: 'f' }), 'InvalidParameterValueException', ['arn:aws:sns:us-east-1:123456789012:t']],
  // Found by this catalogue: a source that is not an ARN was lambda-sim's own "Unsupported event source type" (and listed nothing on List).
  ['an event source that is not an ARN', () => ({ eventSourceArn: 'jobs', functionName: 'f' }), 'ValidationException', ["Value 'jobs' at 'eventSourceArn'", 'regular expression pattern: arn:(aws[a-zA-Z0-9-]*):']],
  ['an event source that is not an ARN, with a batch size of 0', () => ({ eventSourceArn: 'stream/clicks', functionName: 'f', batchSize: 0 }), 'ValidationException', ['2 validation errors detected', "'batchSize'", "'eventSourceArn'"]],
  ['a queue that does not exist', () => ({ eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:nope', functionName: 'f' }), 'InvalidParameterValueException', ['NonExistentQueue']],
  ['a stream that does not exist', () => ({ eventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/nope', functionName: 'f', startingPosition: 'LATEST' }), 'InvalidParameterValueException', ['Stream not found', 'stream/nope']],
  ['a function that does not exist', (w) => sqsOn(w, { functionName: 'nope' }), 'InvalidParameterValueException', ['Function does not exist']],
  ['an alias that does not exist', (w) => sqsOn(w, { functionName: 'f:nope' }), 'ResourceNotFoundException', [`${ARN}:f:nope`]],
  ['a malformed function name', (w) => sqsOn(w, { functionName: 'bad name' }), 'ValidationException', ["'bad name'", 'functionName']],
  ['a second mapping of a queue and function', (w) => ({ eventSourceArn: w.jobs.arn, functionName: 'f' }), 'ResourceConflictException', ['jobs', ' f ', 'UUID']],
  ['a second mapping of a stream and function', (w) => ({ eventSourceArn: w.clicks.arn, functionName: 'f', startingPosition: 'LATEST' }), 'ResourceConflictException', ['stream/clicks', ' f ', 'UUID']],
  // starting positions
  ['Kinesis without a starting position', (w) => ({ eventSourceArn: w.clicks.arn, functionName: 'g' }), 'InvalidParameterValueException', ["Value null at 'startingPosition'"]],
  ['DynamoDB without a starting position', (w) => ({ eventSourceArn: w.orders.arn, functionName: 'f' }), 'InvalidParameterValueException', ["Value null at 'startingPosition'"]],
  ['an unknown starting position', (w) => kinOn(w, { startingPosition: 'EARLIEST' }), 'ValidationException', ["'EARLIEST'", 'startingPosition']],
  ['AT_TIMESTAMP on DynamoDB', (w) => ddbOn(w, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 }), 'InvalidParameterValueException', ['Unsupported starting position', 'table/orders/stream']],
  ['AT_TIMESTAMP without a timestamp', (w) => kinOn(w, { startingPosition: 'AT_TIMESTAMP' }), 'InvalidParameterValueException', ['StartingPositionTimestamp', 'AT_TIMESTAMP']],
  ['a timestamp with LATEST', (w) => kinOn(w, { startingPositionTimestamp: T0 }), 'InvalidParameterValueException', ['Timestamp only valid with StartingPosition AT_TIMESTAMP']],
  ['a timestamp in the future', (w) => kinOn(w, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: T0 + 60_000 }), 'InvalidParameterValueException', ['StartingPositionTimestamp can not be in the future']],
  ['a negative timestamp', (w) => kinOn(w, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: -1 }), 'InvalidParameterValueException', ['Timestamp']],
  ['a timestamp that is not a date', (w) => kinOn(w, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 'yesterday' }), 'SimulatorError', ['startingPositionTimestamp', '"yesterday"']],
  // stream options
  ['parallelization factor 11', (w) => kinOn(w, { parallelizationFactor: 11 }), 'ValidationException', ["'11'", 'parallelizationFactor']],
  ['parallelization factor 0', (w) => ddbOn(w, { parallelizationFactor: 0 }), 'ValidationException', ["'0'", 'parallelizationFactor']],
  ['maximum retry attempts -2', (w) => kinOn(w, { maximumRetryAttempts: -2 }), 'ValidationException', ["'-2'", 'maximumRetryAttempts']],
  ['maximum retry attempts 10,001', (w) => ddbOn(w, { maximumRetryAttempts: 10_001 }), 'ValidationException', ["'10001'", 'maximumRetryAttempts']],
  ['maximum record age 59', (w) => kinOn(w, { maximumRecordAgeInSeconds: 59 }), 'InvalidParameterValueException', ['MaximumRecordAgeInSeconds', '60 and 604800']],
  ['maximum record age 0', (w) => ddbOn(w, { maximumRecordAgeInSeconds: 0 }), 'InvalidParameterValueException', ['MaximumRecordAgeInSeconds']],
  ['maximum record age 604,801', (w) => kinOn(w, { maximumRecordAgeInSeconds: 604_801 }), 'ValidationException', ["'604801'", 'maximumRecordAgeInSeconds']],
  ['maximum record age -2', (w) => kinOn(w, { maximumRecordAgeInSeconds: -2 }), 'ValidationException', ["'-2'", 'maximumRecordAgeInSeconds']],
  ['tumbling window 901', (w) => ddbOn(w, { tumblingWindowInSeconds: 901 }), 'ValidationException', ["'901'", 'tumblingWindowInSeconds']],
  ['tumbling window -1', (w) => kinOn(w, { tumblingWindowInSeconds: -1 }), 'ValidationException', ["'-1'", 'tumblingWindowInSeconds']],
  // destinations
  ['an OnSuccess destination', (w) => kinOn(w, { destinationConfig: { onSuccess: { destination: w.failures.arn } } }), 'InvalidParameterValueException', ['OnSuccess is not supported']],
  ['an on-failure destination that is a function', (w) => kinOn(w, { destinationConfig: { onFailure: { destination: `${ARN}:f` } } }), 'InvalidParameterValueException', [`destination=${ARN}:f`]],
  ['an on-failure destination that is not an ARN', (w) => ddbOn(w, { destinationConfig: { onFailure: { destination: 'failures' } } }), 'InvalidParameterValueException', ['destination=failures']],
  ['an on-failure sink of another simulator', (w) => kinOn(w, { destinationConfig: { onFailure: { destination: createSimulator().createQueue('elsewhere') } } }), 'SimulatorError', ['elsewhere', 'not a sink of this simulator']],
  ['an on-failure destination that is a number', (w) => kinOn(w, { destinationConfig: { onFailure: { destination: 7 } } }), 'SimulatorError', ['destinationConfig.onFailure.destination', '7']],
  ['a destination config that is not an object', (w) => kinOn(w, { destinationConfig: 'failures' }), 'SimulatorError', ['destinationConfig', '"failures"']],
  // an array where an object is expected: refused, never read as an empty object (the SDK sends such an array as {}, see below)
  ['a scaling config that is an array (no maximum concurrency before)', (w) => sqsOn(w, { scalingConfig: [] }), 'SimulatorError', ['Invalid scalingConfig: expected an object, got []']],
  ['a destination config that is an array (no destination before)', (w) => kinOn(w, { destinationConfig: [] }), 'SimulatorError', ['Invalid destinationConfig: expected an object, got []']],
  ['an on-failure destination config that is an array (no destination before)', (w) => kinOn(w, { destinationConfig: { onFailure: [] } }), 'SimulatorError', ['Invalid destinationConfig.onFailure: expected an object { destination }, got []']],
  ['filter criteria that are an array', (w) => sqsOn(w, { filterCriteria: [] }), 'SimulatorError', ['Invalid filterCriteria: expected an object { filters: [{ pattern }] }, got []']],
]

const createCatalogue: Entry[] = [
  ...createInputs.map(([label, input, name, texts]): Entry => [label, (w) => create(w, input(w)), name, texts]),
  ['input that is not an object', (w) => w.sim.createEventSourceMapping('jobs' as never), 'SimulatorError', ['createEventSourceMapping', '"jobs"']],
  ['input that is an array', (w) => w.sim.createEventSourceMapping([] as never), 'SimulatorError', ['Invalid createEventSourceMapping input: expected an object, got []']],
  ['input that is a function', (w) => w.sim.createEventSourceMapping((() => 1) as never), 'SimulatorError', ['Invalid createEventSourceMapping input: expected an object, got a function']],
]

/** Refused UpdateEventSourceMapping inputs: [label, input with uuid, error name, texts]. */
const updateInputs: [label: string, input: (w: World) => Record<string, unknown>, name: string, texts: string[]][] = [
  ['update of an unknown UUID', () => ({ uuid: NO_UUID, batchSize: 5 }), 'ResourceNotFoundException', ['The resource you requested does not exist.']],
  ['update of a deleted mapping', (w) => ({ uuid: w.gone, enabled: false }), 'ResourceNotFoundException', ['The resource you requested does not exist.']],
  ['update with a UUID that is not a string', () => ({ uuid: 42, batchSize: 5 }), 'ResourceNotFoundException', ['does not exist']],
  ['update to an SQS window of 0 while the batch size is 20', (w) => ({ uuid: w.sqs, maximumBatchingWindowInSeconds: 0 }), 'InvalidParameterValueException', ['Maximum batch window in seconds must be greater than 0']],
  ['update of an SQS batch size to 11 with the window set to 0 (both fields given)', (w) => ({ uuid: w.sqs, batchSize: 11, maximumBatchingWindowInSeconds: 0 }), 'InvalidParameterValueException', ['Maximum batch window']],
  ['update: enabled false (valid) with a parallelization factor on SQS (invalid)', (w) => ({ uuid: w.sqs, enabled: false, parallelizationFactor: 2 }), 'InvalidParameterValueException', ['Unsupported ParallelizationFactor parameter']],
  ['update: batch size 5 (valid) with six filters (invalid)', (w) => ({ uuid: w.sqs, batchSize: 5, filterCriteria: { filters: Array.from({ length: 6 }, () => ({ pattern: '{}' })) } }), 'InvalidParameterValueException', ['maximum number of filters']],
  ['update: a new filter (valid) with maximum concurrency 1 (invalid)', (w) => ({ uuid: w.sqs, filterCriteria: { filters: [{ pattern: '{}' }] }, scalingConfig: { maximumConcurrency: 1 } }), 'ValidationException', ['scalingConfig.maximumConcurrency']],
  ['update: Kinesis batch size 10 (valid) with a record age of 30 s (invalid)', (w) => ({ uuid: w.kinesis, batchSize: 10, maximumRecordAgeInSeconds: 30 }), 'InvalidParameterValueException', ['MaximumRecordAgeInSeconds']],
  ['update: Kinesis bisect off (valid) with an OnSuccess destination (invalid)', (w) => ({ uuid: w.kinesis, bisectBatchOnFunctionError: false, destinationConfig: { onSuccess: { destination: w.failures.arn } } }), 'InvalidParameterValueException', ['OnSuccess is not supported']],
  ['update: Kinesis retries 5 (valid) with a function destination (invalid)', (w) => ({ uuid: w.kinesis, maximumRetryAttempts: 5, destinationConfig: { onFailure: { destination: `${ARN}:g` } } }), 'InvalidParameterValueException', [`destination=${ARN}:g`]],
  ['update: Kinesis disabled (valid) with scaling config (invalid)', (w) => ({ uuid: w.kinesis, enabled: false, scalingConfig: { maximumConcurrency: 3 } }), 'InvalidParameterValueException', ['Unsupported ScalingConfig parameter']],
  ['update: DynamoDB tumbling window 901', (w) => ({ uuid: w.ddb, tumblingWindowInSeconds: 901 }), 'ValidationException', ["'901'", 'tumblingWindowInSeconds']],
  ['update: DynamoDB filter (valid) with parallelization 0 (invalid)', (w) => ({ uuid: w.ddb, filterCriteria: { filters: [{ pattern: '{"eventName":["INSERT"]}' }] }, parallelizationFactor: 0 }), 'ValidationException', ["'0'", 'parallelizationFactor']],
  ['update: FIFO batching window 5', (w) => ({ uuid: w.fifoMapping, maximumBatchingWindowInSeconds: 5 }), 'InvalidParameterValueException', ['Batching window is not supported for FIFO queues']],
  ['update: FIFO batch size 11 (disabled, valid, with it)', (w) => ({ uuid: w.fifoMapping, enabled: false, batchSize: 11 }), 'InvalidParameterValueException', ['BatchSize', '11', 'FIFO']],
  ['update of the event source (not an update member)', (w) => ({ uuid: w.sqs, eventSourceArn: w.spare.arn }), 'SimulatorError', ['"eventSourceArn"', 'updateEventSourceMapping']],
  ['update of the starting position (not an update member)', (w) => ({ uuid: w.kinesis, startingPosition: 'LATEST' }), 'SimulatorError', ['"startingPosition"']],
  ['update to a function that does not exist', (w) => ({ uuid: w.sqs, functionName: 'nope' }), 'ResourceNotFoundException', [`${ARN}:nope`]],
  ['update to a malformed function name', (w) => ({ uuid: w.kinesis, functionName: 'a b', batchSize: 5 }), 'ValidationException', ["'a b'", 'functionName']],
  // Found by this catalogue: the new function was applied before the other members were checked.
  ['update: function g (valid) with an SQS window of 0 under batch size 20 (invalid): the function is not applied', (w) => ({ uuid: w.sqs, functionName: 'g', maximumBatchingWindowInSeconds: 0 }), 'InvalidParameterValueException', ['Maximum batch window']],
  ['update: alias f:live (valid) with a Kinesis record age of 30 s (invalid): the function is not applied', (w) => ({ uuid: w.kinesis, functionName: 'f:live', maximumRecordAgeInSeconds: 30 }), 'InvalidParameterValueException', ['MaximumRecordAgeInSeconds']],
  ['update: function f (valid) with six DynamoDB filters (invalid): the function is not applied', (w) => ({ uuid: w.ddb, functionName: 'f', filterCriteria: { filters: Array.from({ length: 6 }, () => ({ pattern: '{}' })) } }), 'InvalidParameterValueException', ['maximum number of filters']],
  // Found by this catalogue: an update could make a second mapping of one source and function, which create refuses.
  ['update of a DynamoDB mapping to a function the stream is already mapped to', (w) => ({ uuid: w.live, functionName: 'g' }), 'ResourceConflictException', ['table/orders/stream', ' g ', 'UUID']],
  ['update of a DynamoDB mapping to that function by its ARN, with a batch size (valid)', (w) => ({ uuid: w.live, functionName: `${ARN}:g`, batchSize: 10 }), 'ResourceConflictException', ['provided mapping already exists']],
  ['update with a function name that is null', (w) => ({ uuid: w.sqs, functionName: null }), 'SimulatorError', ['functionName', 'null']],
  ['update with a function name that is a number (with a valid batch size)', (w) => ({ uuid: w.sqs, functionName: 7, batchSize: 5 }), 'SimulatorError', ['Invalid functionName: expected a function name, an ARN or a function handle, got 7']],
  ['update to the handle of a function this simulator does not have', (w) => ({ uuid: w.sqs, functionName: { name: 'nope', arn: `${ARN}:nope` } }), 'ResourceNotFoundException', [`${ARN}:nope`]],
  ['update: batch size 5 (valid) with filter criteria that are null', (w) => ({ uuid: w.sqs, batchSize: 5, filterCriteria: null }), 'SimulatorError', ['filterCriteria', 'null']],
  // Found by this catalogue: a misspelt nested member was ignored, so the update removed the setting it meant to change.
  ['update with a misspelt onfailure: the on-failure destination is not removed', (w) => ({ uuid: w.kinesis, destinationConfig: { onfailure: { destination: w.spare.arn } } }), 'SimulatorError', ['"onfailure"', 'destinationConfig']],
  ['update with a misspelt filter list (filter): the filters are not removed', (w) => ({ uuid: w.sqs, filterCriteria: { filter: [{ pattern: '{}' }] } }), 'SimulatorError', ['"filter"', 'filterCriteria']],
  ['update with a misspelt maximumconcurrency: the maximum concurrency is not removed', (w) => ({ uuid: w.sqs, scalingConfig: { maximumconcurrency: 3 } }), 'SimulatorError', ['"maximumconcurrency"', 'scalingConfig']],
  ['update with a filter given as Pattern (PascalCase)', (w) => ({ uuid: w.sqs, filterCriteria: { filters: [{ Pattern: '{}' }] } }), 'SimulatorError', ['"Pattern"', 'filterCriteria.filters']],
  ['update with an on-failure destination given as Destination (PascalCase)', (w) => ({ uuid: w.kinesis, destinationConfig: { onFailure: { Destination: w.spare.arn } } }), 'SimulatorError', ['"Destination"', 'destinationConfig.onFailure']],
  ['update with enabled given as a string', (w) => ({ uuid: w.sqs, enabled: 'false' }), 'SimulatorError', ['enabled', '"false"']],
  // an array where an object is expected: refused, never read as an empty object (which removed the setting before)
  ['update with a scaling config that is an array (removed the maximum concurrency before)', (w) => ({ uuid: w.sqs, scalingConfig: [] }), 'SimulatorError', ['Invalid scalingConfig: expected an object, got []']],
  ['update with a destination config that is an array (removed the on-failure destination before)', (w) => ({ uuid: w.kinesis, destinationConfig: [] }), 'SimulatorError', ['Invalid destinationConfig: expected an object, got []']],
  ['update with an on-failure destination config that is an array', (w) => ({ uuid: w.kinesis, destinationConfig: { onFailure: [] } }), 'SimulatorError', ['Invalid destinationConfig.onFailure: expected an object { destination }, got []']],
]

const updateCatalogue: Entry[] = [
  ...updateInputs.map(([label, input, name, texts]): Entry => [label, (w) => update(w, input(w)), name, texts]),
  ['update with input that is not an object', (w) => w.sim.updateEventSourceMapping(null as never), 'SimulatorError', ['updateEventSourceMapping', 'null']],
  ['update with input that is an array', (w) => w.sim.updateEventSourceMapping([] as never), 'SimulatorError', ['Invalid updateEventSourceMapping input: expected an object, got []']],
]

const deleteGetListCatalogue: Entry[] = [
  ['delete of an unknown UUID', (w) => w.sim.deleteEventSourceMapping({ uuid: NO_UUID }), 'ResourceNotFoundException', ['The resource you requested does not exist.']],
  ['delete of a deleted mapping', (w) => w.sim.deleteEventSourceMapping({ uuid: w.gone }), 'ResourceNotFoundException', ['does not exist']],
  ['delete without a UUID', (w) => w.sim.deleteEventSourceMapping({} as never), 'ResourceNotFoundException', ['does not exist']],
  ['get of an unknown UUID', (w) => w.sim.getEventSourceMapping({ uuid: 'not-a-uuid' }), 'ResourceNotFoundException', ['does not exist']],
  ['list with maxItems 0', (w) => w.sim.listEventSourceMappings({ maxItems: 0 }), 'ValidationException', ["'0'", 'maxItems']],
  ['list with maxItems 10,001', (w) => w.sim.listEventSourceMappings({ maxItems: 10_001 }), 'ValidationException', ["'10001'", 'maxItems']],
  ['list with a marker that is not one', (w) => w.sim.listEventSourceMappings({ marker: 'abc' }), 'InvalidParameterValueException', ['Invalid marker', 'abc']],
  // Found by this catalogue: parseInt read a number off the front of the marker.
  ['list with a marker that only starts with a number', (w) => w.sim.listEventSourceMappings({ marker: '1abc' }), 'InvalidParameterValueException', ['Invalid marker', '1abc']],
  ['list with a marker in exponent form', (w) => w.sim.listEventSourceMappings({ marker: '1e0' }), 'InvalidParameterValueException', ['Invalid marker', '1e0']],
  ['list with an unknown member', (w) => w.sim.listEventSourceMappings({ functionname: 'f' } as never), 'SimulatorError', ['"functionname"']],
  ['list with input that is null', (w) => w.sim.listEventSourceMappings(null as never), 'SimulatorError', ['listEventSourceMappings', 'null']],
  ['list with input that is an array (listed all before)', (w) => w.sim.listEventSourceMappings([] as never), 'SimulatorError', ['Invalid listEventSourceMappings input: expected an object, got []']],
  ['list by a function name that is null (a TypeError before)', (w) => w.sim.listEventSourceMappings({ functionName: null as never }), 'SimulatorError', ['Invalid functionName: expected a function name, an ARN or a function handle, got null']],
  ['list by a function name that is an array carrying a name', (w) => w.sim.listEventSourceMappings({ functionName: Object.assign([], { name: 'f' }) as never }), 'SimulatorError', ['Invalid functionName: expected a function name, an ARN or a function handle, got []']],
  ['list by an event source that is not an ARN', (w) => w.sim.listEventSourceMappings({ eventSourceArn: 'jobs' }), 'ValidationException', ["Value 'jobs' at 'eventSourceArn'", 'regular expression pattern']],
  ['list by a malformed function name', (w) => w.sim.listEventSourceMappings({ functionName: 'a b' }), 'ValidationException', ["'a b'", 'functionName']],
]

const streamCatalogue: Entry[] = [
  ['a stream that exists', (w) => w.sim.createStream('clicks'), 'ResourceInUseException', ['clicks', 'already exists']],
  ['a stream name with a space', (w) => w.sim.createStream('fresh stream'), 'SimulatorError', ['"fresh stream"']],
  ['a stream of 0 shards', (w) => w.sim.createStream('fresh', { shards: 0 }), 'SimulatorError', ['shards', '0', '1 to 500']],
  ['a stream of 501 shards', (w) => w.sim.createStream('fresh', { shards: 501 }), 'SimulatorError', ['shards', '501']],
  ['a retention of 23 hours', (w) => w.sim.createStream('fresh', { retentionPeriodHours: 23 }), 'SimulatorError', ['retentionPeriodHours', '23']],
  ['a table that exists', (w) => w.sim.createTableStream('orders'), 'ResourceInUseException', ['Table already exists: orders']],
  ['a table name of 2 characters', (w) => w.sim.createTableStream('ab'), 'SimulatorError', ['"ab"']],
  ['an unknown stream view type', (w) => w.sim.createTableStream('fresh-table', { streamViewType: 'NEW' as never }), 'SimulatorError', ['streamViewType', '"NEW"']],
  ['a key schema of three attributes', (w) => w.sim.createTableStream('fresh-table', { keySchema: ['a', 'b', 'c'] }), 'SimulatorError', ['keySchema', '["a","b","c"]']],
  // Found by this catalogue: null options were TypeErrors and misspelt options were silently ignored.
  ['stream options that are null', (w) => w.sim.createStream('fresh', null as never), 'SimulatorError', ['createStream', 'null']],
  ['a misspelt stream option (shard)', (w) => w.sim.createStream('fresh', { shard: 3 } as never), 'SimulatorError', ['"shard"', 'createStream']],
  ['table options that are null', (w) => w.sim.createTableStream('fresh-table', null as never), 'SimulatorError', ['createTableStream', 'null']],
  ['a misspelt table option (streamViewtype)', (w) => w.sim.createTableStream('fresh-table', { streamViewtype: 'KEYS_ONLY' } as never), 'SimulatorError', ['"streamViewtype"', 'createTableStream']],
  ['stream options that are an array (a one-shard stream before)', (w) => w.sim.createStream('fresh', [] as never), 'SimulatorError', ['Invalid options for createStream fresh: expected an object, got []']],
  ['table options that are an array', (w) => w.sim.createTableStream('fresh-table', [] as never), 'SimulatorError', ['Invalid options for createTableStream fresh-table: expected an object, got []']],
  ['a key schema naming one attribute twice', (w) => w.sim.createTableStream('fresh-table', { keySchema: ['id', 'id'] }), 'SimulatorError', ['keySchema', '["id","id"]']],
  // PutRecord
  ['an empty partition key', (w) => w.clicks.putRecord({ partitionKey: '', data: 'x' }), 'ValidationException', ["Value ''", 'partitionKey', 'greater than or equal to 1']],
  ['a partition key of 257 characters', (w) => w.clicks.putRecord({ partitionKey: 'k'.repeat(257), data: 'x' }), 'ValidationException', ['partitionKey', 'less than or equal to 256']],
  ['no partition key', (w) => w.clicks.putRecord({ data: 'x' } as never), 'ValidationException', ["Value null at 'partitionKey'"]],
  ['a partition key that is a number', (w) => w.clicks.putRecord({ partitionKey: 7, data: 'x' } as never), 'SimulatorError', ['partitionKey', '7']],
  ['no data', (w) => w.clicks.putRecord({ partitionKey: 'a' } as never), 'ValidationException', ["Value null at 'data'"]],
  ['data over 1 MiB', (w) => w.clicks.putRecord({ partitionKey: 'a', data: mib(1_048_577) }), 'ValidationException', ["'data'", '1048576']],
  ['data of 1 MiB with a partition key (together over 1 MiB)', (w) => w.clicks.putRecord({ partitionKey: 'a', data: new Uint8Array(1_048_576) }), 'ValidationException', ["'data'", '1048576']],
  ['an explicit hash key that is not a decimal', (w) => w.clicks.putRecord({ partitionKey: 'a', data: 'x', explicitHashKey: '0x10' }), 'ValidationException', ["'0x10'", 'explicitHashKey']],
  ['an explicit hash key of 2^128', (w) => w.clicks.putRecord({ partitionKey: 'a', data: 'x', explicitHashKey: (1n << 128n).toString() }), 'InvalidArgumentException', ['ExplicitHashKey', (1n << 128n).toString()]],
  ['an explicit hash key that is a number', (w) => w.clicks.putRecord({ partitionKey: 'a', data: 'x', explicitHashKey: 5 } as never), 'SimulatorError', ['explicitHashKey', '5']],
  ['a sequence number for ordering that is not one', (w) => w.clicks.putRecord({ partitionKey: 'a', data: 'x', sequenceNumberForOrdering: 'next' }), 'ValidationException', ["'next'", 'sequenceNumberForOrdering']],
  ['a put that is not an object', (w) => w.clicks.putRecord('x' as never), 'SimulatorError', ['putRecord', 'clicks', '"x"']],
  ['a put that is an array', (w) => w.clicks.putRecord([] as never), 'SimulatorError', ['Invalid putRecord input for stream clicks: expected an object, got []']],
  // Found by this catalogue: data JSON cannot serialise, and bad shardFor arguments, were TypeErrors (a SyntaxError for the hash key).
  ['data that is a function', (w) => w.clicks.putRecord({ partitionKey: 'a', data: (() => 1) as never }), 'SimulatorError', ["'data'", 'a function']],
  ['data that is a symbol', (w) => w.clicks.putRecord({ partitionKey: 'a', data: Symbol('s') as never }), 'SimulatorError', ["'data'", 'Symbol(s)']],
  ['data holding a BigInt', (w) => w.clicks.putRecord({ partitionKey: 'a', data: { n: 1n } as never }), 'SimulatorError', ["'data'", 'BigInt']],
  ['data that is circular', (w) => w.clicks.putRecord({ partitionKey: 'a', data: circular }), 'SimulatorError', ["'data'", 'circular']],
  ['shardFor without a partition key', (w) => w.clicks.shardFor(undefined as never), 'SimulatorError', ['partitionKey', 'undefined']],
  ['shardFor with an explicit hash key that is not a decimal', (w) => w.clicks.shardFor('a', 'zz'), 'SimulatorError', ['explicitHashKey', '"zz"']],
  // Found by this catalogue: a misspelt member was ignored (a misspelt explicitHashKey silently picked another shard).
  ['a put with a misspelt explicitHashkey', (w) => w.clicks.putRecord({ partitionKey: 'a', data: 'x', explicitHashkey: '0' } as never), 'SimulatorError', ['"explicitHashkey"', 'putRecord']],
  ['PutRecords whose second record has a misspelt member', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, { partitionKey: 'b', data: 'y', explicitHashkey: '0' } as never] }), 'SimulatorError', ['"explicitHashkey"', 'putRecords']],
  ['PutRecords with a sequence number for ordering (PutRecord only)', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x', sequenceNumberForOrdering: '1' } as never] }), 'SimulatorError', ['"sequenceNumberForOrdering"']],
  // PutRecords
  ['PutRecords of no records', (w) => w.clicks.putRecords({ records: [] }), 'ValidationException', ["'records'", 'greater than or equal to 1']],
  ['PutRecords of 501 records', (w) => w.clicks.putRecords({ records: Array.from({ length: 501 }, (_, i) => ({ partitionKey: `k${i}`, data: 'x' })) }), 'ValidationException', ["'records'", 'less than or equal to 500']],
  ['PutRecords whose second record has an empty partition key', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, { partitionKey: '', data: 'y' }, { partitionKey: 'c', data: 'z' }] }), 'ValidationException', ["'records.2.member.partitionKey'"]],
  ['PutRecords whose third record has no data', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, { partitionKey: 'b', data: 'y' }, { partitionKey: 'c' } as never] }), 'ValidationException', ["Value null at 'records.3.member.data'"]],
  ['PutRecords over 5 MiB in all', (w) => w.clicks.putRecords({ records: Array.from({ length: 6 }, (_, i) => ({ partitionKey: `k${i}`, data: mib(1_000_000) })) }), 'InvalidArgumentException', ['Records size exceeds 5 MB limit']],
  ['PutRecords whose last record has an explicit hash key of 2^128', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, { partitionKey: 'b', data: 'y', explicitHashKey: (1n << 128n).toString() }] }), 'InvalidArgumentException', ['ExplicitHashKey']],
  ['PutRecords whose records are not a list', (w) => w.clicks.putRecords({ records: 'x' } as never), 'SimulatorError', ['records', 'clicks', '"x"']],
  ['PutRecords with a record that is null', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, null] } as never), 'SimulatorError', ['record 2', 'null']],
  ['PutRecords with a record that is an array', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, []] } as never), 'SimulatorError', ['Invalid record 2 for stream clicks: expected an object, got []']],
  ['PutRecords whose second record holds a function as data', (w) => w.clicks.putRecords({ records: [{ partitionKey: 'a', data: 'x' }, { partitionKey: 'b', data: (() => 1) as never }] }), 'SimulatorError', ["'records.2.member.data'", 'a function']],
  // table writes
  // Found by this catalogue: these were lambda-sim's own SimulatorErrors, and a key with extra attributes was accepted.
  ['an item without its key attribute', (w) => w.orders.putItem({ n: 1 }), 'ValidationException', ['One or more parameter values were invalid: Missing the key id in the item']],
  ['an item with NaN', (w) => w.orders.putItem({ id: '2', n: Number.NaN }), 'SimulatorError', ['NaN', '"n"']],
  ['an item with Infinity in a nested map', (w) => w.orders.putItem({ id: '2', m: { deep: Number.POSITIVE_INFINITY } }), 'SimulatorError', ['Infinity', '"m.deep"']],
  ['an item with an empty set', (w) => w.orders.putItem({ id: '2', tags: new Set() }), 'SimulatorError', ['empty set', '"tags"']],
  ['an item with a set of mixed types', (w) => w.orders.putItem({ id: '2', tags: new Set(['a', 1]) }), 'SimulatorError', ['mixed types', '"tags"']],
  ['an item with a function', (w) => w.orders.putItem({ id: '2', f: () => 1 }), 'SimulatorError', ['a function', '"f"']],
  ['an update of an existing item with NaN', (w) => w.orders.updateItem({ id: '1' }, { n: Number.NaN }), 'SimulatorError', ['NaN', '"n"']],
  ['an update without the key attribute', (w) => w.orders.updateItem({ n: 1 }, { m: 2 }), 'ValidationException', ['The provided key element does not match the schema']],
  ['a delete without the key attribute', (w) => w.orders.deleteItem({ key: '1' }), 'ValidationException', ['The provided key element does not match the schema']],
  ['a delete whose key has an attribute besides the key (the item exists)', (w) => w.orders.deleteItem({ id: '1', n: 1 }), 'ValidationException', ['The provided key element does not match the schema']],
  ['an update whose key has an attribute besides the key', (w) => w.orders.updateItem({ id: '1', n: 1 }, { m: 2 }), 'ValidationException', ['The provided key element does not match the schema']],
  // Found by this catalogue: these were TypeErrors, or (a string) silently spread into attributes "0", "1", ...
  ['an item that is null', (w) => w.orders.putItem(null as never), 'SimulatorError', ['putItem', 'orders', 'null']],
  ['an item that is a list', (w) => w.orders.putItem([{ id: '2' }] as never), 'SimulatorError', ['putItem', '[{"id":"2"}]']],
  ['a delete without a key', (w) => w.orders.deleteItem(undefined as never), 'SimulatorError', ['deleteItem', 'undefined']],
  ['an update whose changes are a string', (w) => w.orders.updateItem({ id: '1' }, 'n=2' as never), 'SimulatorError', ['updateItem', 'changes', '"n=2"']],
  ['an update whose key is null', (w) => w.orders.updateItem(null as never, { n: 2 }), 'SimulatorError', ['updateItem', 'null']],
  ['a stream record without keys', (w) => w.orders.recordChange({ eventName: 'INSERT' } as never), 'SimulatorError', ['recordChange', 'keys', 'undefined']],
  ['a stream record whose new image is a string', (w) => w.orders.recordChange({ eventName: 'INSERT', keys: { id: '9' }, newImage: 'id=9' as never }), 'SimulatorError', ['newImage', '"id=9"']],
  ['a stream record whose keys are an array', (w) => w.orders.recordChange({ eventName: 'INSERT', keys: [] as never }), 'SimulatorError', ['Invalid keys for recordChange on table orders: expected an object of attributes, got []']],
  // Found by this catalogue: DynamoDB's item and key limits were not applied (the write was stored and streamed).
  ['an item over 400 KB', (w) => w.orders.putItem({ id: '2', s: mib(409_597) }), 'ValidationException', ['Item size has exceeded the maximum allowed size']],
  ['an update that takes an item over 400 KB', (w) => w.orders.updateItem({ id: '1' }, { s: mib(409_600) }), 'ValidationException', ['Item size to update has exceeded the maximum allowed size']],
  ['an item whose key is an empty string', (w) => w.orders.putItem({ id: '', n: 1 }), 'ValidationException', ['The AttributeValue for a key attribute cannot contain an empty string value. Key: id']],
  ['an item whose key is empty bytes', (w) => w.orders.putItem({ id: new Uint8Array(0) }), 'ValidationException', ['cannot contain an empty binary value. Key: id']],
  ['an item whose partition key is over 2,048 bytes', (w) => w.orders.putItem({ id: 'é'.repeat(1025) }), 'ValidationException', ['Size of hashkey has exceeded the maximum size limit of2048 bytes']],
  ['an update whose key is an empty string', (w) => w.orders.updateItem({ id: '' }, { n: 2 }), 'ValidationException', ['empty string value. Key: id']],
  ['a delete whose key is an empty string', (w) => w.orders.deleteItem({ id: '' }), 'ValidationException', ['empty string value. Key: id']],
  // Found by this catalogue: a key attribute among the changes was silently ignored (the key kept its value).
  ['an update whose changes set the key attribute', (w) => w.orders.updateItem({ id: '1' }, { id: '2', n: 5 }), 'ValidationException', ['Cannot update attribute id. This attribute is part of the key']],
  ['an update whose changes repeat the key attribute', (w) => w.orders.updateItem({ id: '1' }, { id: '1', n: 5 }), 'ValidationException', ['One or more parameter values were invalid: Cannot update attribute id']],
  ['a stream record with an unknown event name', (w) => w.orders.recordChange({ eventName: 'UPSERT' as never, keys: { id: '1' } }), 'SimulatorError', ['eventName', '"UPSERT"']],
  ['a stream record whose new image holds NaN', (w) => w.orders.recordChange({ eventName: 'INSERT', keys: { id: '9' }, newImage: { id: '9', n: Number.NaN } }), 'SimulatorError', ['NaN', '"n"']],
  ['a stream record whose old image holds an empty set', (w) => w.orders.recordChange({ eventName: 'REMOVE', keys: { id: '9' }, oldImage: { id: '9', s: new Set() } }), 'SimulatorError', ['empty set', '"s"']],
]

describe('DynamoDB item and key limits at their boundaries', () => {
  it('an item of exactly 400 KB (409,600 bytes: names and values) is stored; one byte more is refused and changes nothing', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('sized')
    table.putItem({ id: '2', s: mib(409_596) })
    expect(table.items.size).toBe(1)
    expect(table.shards[0]?.records).toHaveLength(1)
    const error = await errorOf(() => table.putItem({ id: '3', s: mib(409_597) }))
    expect([error?.name, error?.message]).toEqual(['ValidationException', 'Item size has exceeded the maximum allowed size'])
    expect(table.items.size).toBe(1)
    expect(table.shards[0]?.records).toHaveLength(1)
  })

  it('a sort key of 1,024 bytes is stored, 1,025 bytes is refused; a partition key of 2,048 bytes is stored', async () => {
    const sim = createSimulator()
    const table = sim.createTableStream('ranged', { keySchema: ['pk', 'sk'] })
    table.putItem({ pk: 'k'.repeat(2048), sk: 's'.repeat(1024) })
    const error = await errorOf(() => table.putItem({ pk: 'a', sk: 's'.repeat(1025) }))
    expect([error?.name, error?.message]).toEqual(['ValidationException', 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes'])
    const empty = await errorOf(() => table.putItem({ pk: 'a', sk: '' }))
    expect(empty?.message).toBe('One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk')
    expect(table.items.size).toBe(1)
    expect(table.shards[0]?.records).toHaveLength(1)
  })
})

/** Refused in process: the error names the field and value, the snapshot is unchanged, the future is the twin's. */
async function expectRefusedAndUnchanged(call: (w: World) => unknown, name: string, texts: string[], setup: Setup = DEFAULT_SETUP): Promise<void> {
  const w = await world(setup)
  const twin = await world(setup)
  const before = snapshot(w)
  expect(before).toBe(snapshot(twin))
  const error = await errorOf(() => call(w))
  expect(error, 'the call must be refused').toBeInstanceOf(Error)
  expect(error?.name, error?.stack).toBe(name)
  for (const text of texts) expect(error?.message).toContain(text)
  expect(snapshot(w)).toBe(before)
  expect(await future(w)).toBe(await future(twin))
}

describe('a refused event source mapping call changes nothing (in process)', () => {
  it.each(createCatalogue)('create: %s', async (_label, call, name, texts) => {
    await expectRefusedAndUnchanged(call, name, texts)
  })
  it.each(updateCatalogue)('%s', async (_label, call, name, texts) => {
    await expectRefusedAndUnchanged(call, name, texts)
  })
  it.each(deleteGetListCatalogue)('%s', async (_label, call, name, texts) => {
    await expectRefusedAndUnchanged(call, name, texts)
  })
})

describe('a refused stream, table or record call changes nothing', () => {
  it.each(streamCatalogue)('%s', async (_label, call, name, texts) => {
    await expectRefusedAndUnchanged(call, name, texts)
  })
})

/** [label, the SDK call, the same request in process (or undefined: the wire has no equivalent), error name, texts]. */
type SdkEntry = [label: string, send: (w: World, client: LambdaClient) => Promise<unknown>, inProcess: ((w: World) => unknown) | undefined, name: string, texts: string[]]

const sdkCatalogue: SdkEntry[] = [
  ['CreateEventSourceMapping with BatchSize 0', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'f', BatchSize: 0 })), (w) => create(w, sqsOn(w, { batchSize: 0 })), 'ValidationException', ["'0'", 'batchSize']],
  ['CreateEventSourceMapping of SQS with BatchSize 11 and no window', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'f', BatchSize: 11 })), (w) => create(w, sqsOn(w, { batchSize: 11 })), 'InvalidParameterValueException', ['Maximum batch window']],
  ['CreateEventSourceMapping of SQS with ParallelizationFactor', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'f', ParallelizationFactor: 2 })), (w) => create(w, sqsOn(w, { parallelizationFactor: 2 })), 'InvalidParameterValueException', ['Unsupported ParallelizationFactor parameter']],
  ['CreateEventSourceMapping of Kinesis without StartingPosition', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.clicks.arn, FunctionName: 'g' })), (w) => create(w, { eventSourceArn: w.clicks.arn, functionName: 'g' }), 'InvalidParameterValueException', ["Value null at 'startingPosition'"]],
  ['CreateEventSourceMapping with six filters', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'f', FilterCriteria: { Filters: Array.from({ length: 6 }, () => ({ Pattern: '{}' })) } })), (w) => create(w, sqsOn(w, { filterCriteria: { filters: Array.from({ length: 6 }, () => ({ pattern: '{}' })) } })), 'InvalidParameterValueException', ['maximum number of filters', '6']],
  ['CreateEventSourceMapping with a filter that is not JSON', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.clicks.arn, FunctionName: 'g', StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: 'nope' }] } })), (w) => create(w, kinOn(w, { filterCriteria: { filters: [{ pattern: 'nope' }] } })), 'InvalidParameterValueException', ['Invalid filter pattern definition.']],
  ['CreateEventSourceMapping with a record age of 59 s', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.orders.arn, FunctionName: 'f', StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 59 })), (w) => create(w, ddbOn(w, { maximumRecordAgeInSeconds: 59 })), 'InvalidParameterValueException', ['MaximumRecordAgeInSeconds']],
  ['CreateEventSourceMapping with a function destination', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.clicks.arn, FunctionName: 'g', StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Destination: `${ARN}:f` } } })), (w) => create(w, kinOn(w, { destinationConfig: { onFailure: { destination: `${ARN}:f` } } })), 'InvalidParameterValueException', [`${ARN}:f`]],
  ['CreateEventSourceMapping of a queue already mapped to the function', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.jobs.arn, FunctionName: 'f' })), (w) => create(w, { eventSourceArn: w.jobs.arn, functionName: 'f' }), 'ResourceConflictException', ['UUID']],
  ['CreateEventSourceMapping of a function that does not exist', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'nope' })), (w) => create(w, sqsOn(w, { functionName: 'nope' })), 'InvalidParameterValueException', ['Function does not exist']],
  ['CreateEventSourceMapping with BatchSize as a string', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'f', BatchSize: '5' as never })), undefined, 'InvalidRequestContentException', ['BatchSize', '"5"']],
  ['CreateEventSourceMapping with a Kafka member', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn, FunctionName: 'f', Topics: ['t'] })), undefined, 'NotImplementedException', ['Topics']],
  ['CreateEventSourceMapping without FunctionName', (w, c) => c.send(new CreateEventSourceMappingCommand({ EventSourceArn: w.spare.arn } as never)), (w) => create(w, { eventSourceArn: w.spare.arn }), 'ValidationException', ["Value null at 'functionName'"]],
  ['UpdateEventSourceMapping of an unknown UUID', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: NO_UUID, BatchSize: 5 })), (w) => update(w, { uuid: NO_UUID, batchSize: 5 }), 'ResourceNotFoundException', ['does not exist']],
  ['UpdateEventSourceMapping: Enabled false (valid) with BisectBatchOnFunctionError on SQS (invalid)', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.sqs, Enabled: false, BisectBatchOnFunctionError: true })), (w) => update(w, { uuid: w.sqs, enabled: false, bisectBatchOnFunctionError: true }), 'InvalidParameterValueException', ['Unsupported BisectBatchOnFunctionError parameter']],
  ['UpdateEventSourceMapping: Kinesis BatchSize 10 (valid) with MaximumRecordAgeInSeconds 30 (invalid)', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.kinesis, BatchSize: 10, MaximumRecordAgeInSeconds: 30 })), (w) => update(w, { uuid: w.kinesis, batchSize: 10, maximumRecordAgeInSeconds: 30 }), 'InvalidParameterValueException', ['MaximumRecordAgeInSeconds']],
  ['UpdateEventSourceMapping: FunctionName g (valid) with MaximumBatchingWindowInSeconds 0 under batch size 20 (invalid)', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.sqs, FunctionName: 'g', MaximumBatchingWindowInSeconds: 0 })), (w) => update(w, { uuid: w.sqs, functionName: 'g', maximumBatchingWindowInSeconds: 0 }), 'InvalidParameterValueException', ['Maximum batch window']],
  ['UpdateEventSourceMapping to a function the stream is already mapped to', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.live, FunctionName: 'g' })), (w) => update(w, { uuid: w.live, functionName: 'g' }), 'ResourceConflictException', ['provided mapping already exists']],
  ['UpdateEventSourceMapping of the FIFO window', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.fifoMapping, MaximumBatchingWindowInSeconds: 5 })), (w) => update(w, { uuid: w.fifoMapping, maximumBatchingWindowInSeconds: 5 }), 'InvalidParameterValueException', ['Batching window is not supported for FIFO queues']],
  ['UpdateEventSourceMapping with TumblingWindowInSeconds 901', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.ddb, TumblingWindowInSeconds: 901 })), (w) => update(w, { uuid: w.ddb, tumblingWindowInSeconds: 901 }), 'ValidationException', ["'901'", 'tumblingWindowInSeconds']],
  ['UpdateEventSourceMapping with ScalingConfig.MaximumConcurrency as a fraction', (w, c) => c.send(new UpdateEventSourceMappingCommand({ UUID: w.sqs, ScalingConfig: { MaximumConcurrency: 2.5 } })), undefined, 'InvalidRequestContentException', ['ScalingConfig.MaximumConcurrency', '2.5']],
  ['DeleteEventSourceMapping of an unknown UUID', (w, c) => c.send(new DeleteEventSourceMappingCommand({ UUID: NO_UUID })), (w) => w.sim.deleteEventSourceMapping({ uuid: NO_UUID }), 'ResourceNotFoundException', ['does not exist']],
  ['DeleteEventSourceMapping of a deleted mapping', (w, c) => c.send(new DeleteEventSourceMappingCommand({ UUID: w.gone })), (w) => w.sim.deleteEventSourceMapping({ uuid: w.gone }), 'ResourceNotFoundException', ['does not exist']],
  ['GetEventSourceMapping of an unknown UUID', (w, c) => c.send(new GetEventSourceMappingCommand({ UUID: NO_UUID })), (w) => w.sim.getEventSourceMapping({ uuid: NO_UUID }), 'ResourceNotFoundException', ['does not exist']],
  ['ListEventSourceMappings with MaxItems 0', (w, c) => c.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })), (w) => w.sim.listEventSourceMappings({ maxItems: 0 }), 'ValidationException', ["'0'", 'maxItems']],
  ['ListEventSourceMappings with a bad Marker', (w, c) => c.send(new ListEventSourceMappingsCommand({ Marker: 'abc' })), (w) => w.sim.listEventSourceMappings({ marker: 'abc' }), 'InvalidParameterValueException', ['Invalid marker']],
  ['ListEventSourceMappings by an EventSourceArn that is not an ARN', (w, c) => c.send(new ListEventSourceMappingsCommand({ EventSourceArn: 'jobs' })), (w) => w.sim.listEventSourceMappings({ eventSourceArn: 'jobs' }), 'ValidationException', ["'eventSourceArn'"]],
  ['ListEventSourceMappings by a malformed FunctionName', (w, c) => c.send(new ListEventSourceMappingsCommand({ FunctionName: 'a b' })), (w) => w.sim.listEventSourceMappings({ functionName: 'a b' }), 'ValidationException', ["'a b'", 'functionName']],
  // Hand-built bodies: the SDK sends an array given for a structure as {}, so only these put one on the wire.
  ['wire CreateEventSourceMapping with a ScalingConfig that is an array', (w) => wire(w.sim, 'POST', '/2015-03-31/event-source-mappings', { EventSourceArn: w.spare.arn, FunctionName: 'f', ScalingConfig: [] }), undefined, 'InvalidRequestContentException', ['Could not parse request body into json: ScalingConfig must be an object, got []']],
  ['wire CreateEventSourceMapping with a FilterCriteria that is an array', (w) => wire(w.sim, 'POST', '/2015-03-31/event-source-mappings', { EventSourceArn: w.spare.arn, FunctionName: 'f', FilterCriteria: [] }), undefined, 'InvalidRequestContentException', ['Could not parse request body into json: FilterCriteria must be an object, got []']],
  ['wire UpdateEventSourceMapping with a DestinationConfig that is an array', (w) => wire(w.sim, 'PUT', `/2015-03-31/event-source-mappings/${w.kinesis}`, { DestinationConfig: [] }), undefined, 'InvalidRequestContentException', ['Could not parse request body into json: DestinationConfig must be an object, got []']],
  ['wire UpdateEventSourceMapping with a DestinationConfig.OnFailure that is an array', (w) => wire(w.sim, 'PUT', `/2015-03-31/event-source-mappings/${w.kinesis}`, { DestinationConfig: { OnFailure: [] } }), undefined, 'InvalidRequestContentException', ['Could not parse request body into json: DestinationConfig.OnFailure must be an object, got []']],
  ['wire CreateEventSourceMapping with a body that is an array', (w) => wire(w.sim, 'POST', '/2015-03-31/event-source-mappings', [{ EventSourceArn: w.spare.arn, FunctionName: 'f' }]), undefined, 'InvalidRequestContentException', ['Could not parse request body into json: the request body must be an object, got [{"EventSourceArn":']],
]

describe('a refused mapping call through the SDK changes nothing and answers as the in-process call does', () => {
  it.each(sdkCatalogue)('%s', async (_label, send, inProcess, name, texts) => {
    const w = await world()
    const twin = await world()
    const before = snapshot(w)
    const error = (await errorOf(() => send(w, lambdaClient(w.sim)))) as (Error & { $metadata?: { httpStatusCode?: number } }) | undefined
    expect(error, 'the request must be refused').toBeInstanceOf(Error)
    expect(error?.name).toBe(name)
    for (const text of texts) expect(error?.message).toContain(text)
    expect(snapshot(w)).toBe(before)
    if (inProcess !== undefined) {
      // Same exception, text and status in process (on a third simulator: the twin must stay untouched).
      const local = await errorOf(async () => inProcess(await world()))
      expect(local).toBeInstanceOf(LambdaError)
      expect([error?.name, error?.message, error?.$metadata?.httpStatusCode]).toEqual([local?.name, local?.message, (local as LambdaError).statusCode])
    }
    expect(await future(w)).toBe(await future(twin))
  })
})

describe('property: a random valid setup and a random refused call', () => {
  // The entries that build megabytes of input are left to the catalogue above, to keep this quick.
  const heavy = /MiB|400 KB|4,096|501 records|2,048 bytes/
  const allEntries = [...createCatalogue, ...updateCatalogue, ...deleteGetListCatalogue, ...streamCatalogue].filter(([label]) => !heavy.test(label))
  const setupArb: fc.Arbitrary<Setup> = fc.record({
    seed: fc.integer({ min: 0, max: 0xffff_ffff }),
    shards: fc.integer({ min: 1, max: 4 }),
    records: fc.array(fc.record({ partitionKey: fc.string({ minLength: 1, maxLength: 8 }), data: fc.oneof(fc.string(), fc.json()) }), { maxLength: 6 }),
    items: fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), n: fc.integer() }), { maxLength: 4, selector: (i) => i.id }),
    messages: fc.integer({ min: 0, max: 4 }),
    // Kept above 10 (with a window) so that every catalogue entry stays a refusal in every setup.
    sqsBatch: fc.integer({ min: 11, max: 10_000 }),
    sqsWindow: fc.integer({ min: 1, max: 300 }),
    kinesisBatch: fc.integer({ min: 1, max: 10_000 }),
    parallelization: fc.integer({ min: 1, max: 10 }),
  })

  it('leaves the snapshot unchanged and the next ids equal to a twin\'s (100 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, fc.constantFrom(...allEntries), async (setup, [label, call, name]) => {
        const w = await world(setup)
        const twin = await world(setup)
        const before = snapshot(w)
        const error = await errorOf(() => call(w))
        expect(error?.name, label).toBe(name)
        expect(snapshot(w), label).toBe(before)
        expect(await future(w), label).toBe(await future(twin))
      }),
      { numRuns: 100, seed: 20261206 },
    )
  })
})

/** A camelCase input as the SDK's PascalCase request (timestamps as Dates), or undefined when it has no JSON form (a sink object, a Set, a function). */
function asWire(value: unknown, key = ''): unknown {
  if (key === 'startingPositionTimestamp' && typeof value === 'number') return new Date(value)
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (Array.isArray(value)) {
    const items = value.map((v) => asWire(v))
    return items.includes(undefined) ? undefined : items
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const wire = asWire(v, k)
      if (wire === undefined) return undefined
      out[toWireName(k)] = wire
    }
    return out
  }
  return undefined
}

describe('every refused create input answers the same through the SDK, and changes nothing there either', () => {
  // The SDK serialises only the members of its model (an unknown camelCase member never reaches the
  // wire) and leaves out null members (null filter criteria are no filter criteria there).
  // An array given for a structure is sent as {} (the wire entries above cover an array on the wire).
  // A function handle is an in-process reference: the wire's FunctionName is a string.
  const wireable = createInputs.filter(([label]) => label !== 'an unknown member' && label !== 'filter criteria that are null' && !/that (is|are) an array|the handle of/.test(label))
  it.each(wireable)('%s', async (label, input, name) => {
    const w = await world()
    const wire = asWire(input(w))
    if (wire === undefined) {
      expect(label, 'only a sink object has no JSON form').toMatch(/sink of another simulator/)
      return
    }
    const before = snapshot(w)
    const error = (await errorOf(() => lambdaClient(w.sim).send(new CreateEventSourceMappingCommand(wire as never)))) as (Error & { $metadata?: { httpStatusCode?: number } }) | undefined
    expect(error, 'the request must be refused').toBeInstanceOf(Error)
    expect(snapshot(w)).toBe(before)
    const local = await errorOf(async () => create(await world(), input(w)))
    if (local instanceof LambdaError) {
      expect([error?.name, error?.message, error?.$metadata?.httpStatusCode]).toEqual([local.name, local.message, local.statusCode])
    } else {
      // A wrong type in process is the service's JSON reader's refusal on the wire.
      expect(local?.name).toBe(name)
      expect(error?.name).toBe('InvalidRequestContentException')
    }
  })
})

describe('every refused update input answers the same through the SDK, and changes nothing there either', () => {
  // Members that are not in UpdateEventSourceMapping's model (or null) never reach the wire.
  // An array given for a structure is sent as {} (the wire entries above cover an array on the wire).
  // A function handle is an in-process reference: the wire's FunctionName is a string.
  const notOnTheWire = /not an update member|misspelt|PascalCase|function name that is null|filter criteria that are null|that is an array|the handle of/
  const wireable = updateInputs.filter(([label]) => !notOnTheWire.test(label))
  it.each(wireable)('%s', async (label, input, name) => {
    const w = await world()
    const { uuid, ...rest } = input(w)
    const wire = asWire(rest) as Record<string, unknown>
    expect(wire, label).toBeDefined()
    const before = snapshot(w)
    const error = (await errorOf(() => lambdaClient(w.sim).send(new UpdateEventSourceMappingCommand({ UUID: uuid as string, ...wire })))) as (Error & { $metadata?: { httpStatusCode?: number } }) | undefined
    expect(error, 'the request must be refused').toBeInstanceOf(Error)
    expect(snapshot(w)).toBe(before)
    const local = await errorOf(async () => update(await world(), input(w)))
    if (local instanceof LambdaError) {
      expect([error?.name, error?.message, error?.$metadata?.httpStatusCode]).toEqual([local.name, local.message, local.statusCode])
    } else {
      expect(local?.name).toBe(name)
      expect(['InvalidRequestContentException', 'ResourceNotFoundException']).toContain(error?.name)
    }
  })
})
