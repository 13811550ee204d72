import { LambdaError, SimulatorError, validationException } from '../errors.js'
import type { EventSourceMappingConfiguration, EventSourceMappingInput, EventSourceMappingUpdate } from '../event-source-mappings/mappings.js'
import { isPlainObject } from '../internal/plain-object.js'
import type { SimulatorImpl } from '../simulator.js'
import { describe } from '../validation.js'
import type { WireRequest } from './routes.js'

/**
 * The event source mapping operations on the wire (spec §11.1). The simulator's API is a camelCase
 * mirror of AWS's PascalCase members; this module is the one place that converts between the two.
 * Status codes are the service model's: Create, Update and Delete answer 202, Get and List 200.
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */

/** How a request member is read from JSON. Timestamps are epoch seconds (REST-JSON's default format). */
type Kind = 'string' | 'integer' | 'boolean' | 'timestamp' | 'strings' | 'filterCriteria' | 'scalingConfig' | 'destinationConfig'

/** Request members lambda-sim models, by wire name: [camelCase name, kind]. */
const REQUEST_MEMBERS: Record<string, readonly [string, Kind]> = {
  FunctionName: ['functionName', 'string'],
  EventSourceArn: ['eventSourceArn', 'string'],
  Enabled: ['enabled', 'boolean'],
  BatchSize: ['batchSize', 'integer'],
  MaximumBatchingWindowInSeconds: ['maximumBatchingWindowInSeconds', 'integer'],
  FunctionResponseTypes: ['functionResponseTypes', 'strings'],
  FilterCriteria: ['filterCriteria', 'filterCriteria'],
  ScalingConfig: ['scalingConfig', 'scalingConfig'],
  StartingPosition: ['startingPosition', 'string'],
  StartingPositionTimestamp: ['startingPositionTimestamp', 'timestamp'],
  ParallelizationFactor: ['parallelizationFactor', 'integer'],
  BisectBatchOnFunctionError: ['bisectBatchOnFunctionError', 'boolean'],
  MaximumRetryAttempts: ['maximumRetryAttempts', 'integer'],
  MaximumRecordAgeInSeconds: ['maximumRecordAgeInSeconds', 'integer'],
  DestinationConfig: ['destinationConfig', 'destinationConfig'],
  TumblingWindowInSeconds: ['tumblingWindowInSeconds', 'integer'],
}

/** Members of the service model that lambda-sim does not simulate (Kafka, MQ, DocumentDB, KMS, metrics, ...). */
const UNMODELLED_MEMBERS = [
  'KMSKeyArn',
  'MetricsConfig',
  'LoggingConfig',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'SelfManagedEventSource',
  'AmazonManagedKafkaEventSourceConfig',
  'SelfManagedKafkaEventSourceConfig',
  'DocumentDBEventSourceConfig',
  'ProvisionedPollerConfig',
  'Tags',
]

/** Wire names that are not simply the camelCase name with a capital first letter. */
const IRREGULAR: Record<string, string> = { uuid: 'UUID' }
const IRREGULAR_BACK: Record<string, string> = Object.fromEntries(Object.entries(IRREGULAR).map(([k, v]) => [v, k]))

/** `batchSize` → `BatchSize`, `uuid` → `UUID`. */
export function toWireName(name: string): string {
  return IRREGULAR[name] ?? name.charAt(0).toUpperCase() + name.slice(1)
}

/** `BatchSize` → `batchSize`, `UUID` → `uuid`. */
export function fromWireName(name: string): string {
  return IRREGULAR_BACK[name] ?? name.charAt(0).toLowerCase() + name.slice(1)
}

/**
 * A configuration in wire form: every key PascalCase at every depth, `Date`s as epoch seconds, plus
 * `EventSourceMappingArn` (which AWS answers with and the in-process API does not carry).
 */
export function wireMapping(c: EventSourceMappingConfiguration, sim: SimulatorImpl): Record<string, unknown> {
  const out = toWire(c) as Record<string, unknown>
  out['EventSourceMappingArn'] = `arn:aws:lambda:${sim.region}:${sim.accountId}:event-source-mapping:${c.uuid}`
  return out
}

function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000
  if (Array.isArray(value)) return value.map(toWire)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[toWireName(k)] = toWire(v)
    return out
  }
  return value
}

/**
 * The camelCase input of a create or update request body. Members with the wrong JSON type are
 * rejected as the service's JSON reader rejects them (InvalidRequestContentException); members of
 * the model that lambda-sim does not simulate answer 501 naming the member; unknown members are ignored.
 */
function requestInput(operation: string, b: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const [wire, value] of Object.entries(b)) {
    if (value === null || value === undefined) continue
    if (UNMODELLED_MEMBERS.includes(wire)) {
      throw new LambdaError('NotImplementedException', 501, `lambda-sim does not implement the ${operation} member ${wire} (only SQS, Kinesis and DynamoDB stream sources are simulated)`, { type: 'User' })
    }
    const member = REQUEST_MEMBERS[wire]
    if (member === undefined) continue
    input[member[0]] = read(wire, value, member[1])
  }
  return input
}

function read(path: string, value: unknown, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : mismatch(path, value, 'a string')
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? value : mismatch(path, value, 'an integer')
    case 'boolean':
      return typeof value === 'boolean' ? value : mismatch(path, value, 'true or false')
    case 'timestamp':
      return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1000) : mismatch(path, value, 'a timestamp in epoch seconds')
    case 'strings':
      return Array.isArray(value) ? value.map((v, i) => read(`${path}[${i}]`, v, 'string')) : mismatch(path, value, 'a list of strings')
    case 'filterCriteria': {
      const o = object(path, value)
      if (o['Filters'] === undefined || o['Filters'] === null) return {}
      if (!Array.isArray(o['Filters'])) return mismatch(`${path}.Filters`, o['Filters'], 'a list')
      return {
        filters: o['Filters'].map((f, i) => {
          const filter = object(`${path}.Filters[${i}]`, f)
          return filter['Pattern'] === undefined || filter['Pattern'] === null ? {} : { pattern: read(`${path}.Filters[${i}].Pattern`, filter['Pattern'], 'string') }
        }),
      }
    }
    case 'scalingConfig': {
      const o = object(path, value)
      return o['MaximumConcurrency'] === undefined || o['MaximumConcurrency'] === null ? {} : { maximumConcurrency: read(`${path}.MaximumConcurrency`, o['MaximumConcurrency'], 'integer') }
    }
    case 'destinationConfig': {
      const o = object(path, value)
      const out: Record<string, unknown> = {}
      for (const side of ['OnSuccess', 'OnFailure']) {
        if (o[side] === undefined || o[side] === null) continue
        const s = object(`${path}.${side}`, o[side])
        out[fromWireName(side)] = s['Destination'] === undefined || s['Destination'] === null ? {} : { destination: read(`${path}.${side}.Destination`, s['Destination'], 'string') }
      }
      return out
    }
  }
}

function object(path: string, value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? (value as Record<string, unknown>) : mismatch(path, value, 'an object')
}

function mismatch(path: string, value: unknown, expected: string): never {
  throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${path} must be ${expected}, got ${describe(value)}`, { type: 'User' })
}

/**
 * Run a mapping call. A `SimulatorError` that gets past the wire checks means the simulator cannot do
 * what was asked (a tumbling window, say): it answers 501, never an exception thrown into the SDK.
 */
function call<T>(operation: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof SimulatorError) throw new LambdaError('NotImplementedException', 501, `lambda-sim does not simulate this ${operation} request: ${error.message}`, { type: 'User' })
    throw error
  }
}

/** CreateEventSourceMapping (answered 202): the body of the answer. */
export function createEventSourceMapping(sim: SimulatorImpl, b: Record<string, unknown>): Record<string, unknown> {
  const input = requestInput('CreateEventSourceMapping', b)
  if (input['functionName'] === undefined) throw validationException([`Value null at 'functionName' failed to satisfy constraint: Member must not be null`])
  return wireMapping(call('CreateEventSourceMapping', () => sim.createEventSourceMapping(input as unknown as EventSourceMappingInput)), sim)
}

/** UpdateEventSourceMapping (answered 202): the body of the answer. */
export function updateEventSourceMapping(sim: SimulatorImpl, uuid: string, b: Record<string, unknown>): Record<string, unknown> {
  const input = requestInput('UpdateEventSourceMapping', b)
  // EventSourceArn and the starting position are not in Update's model: ignored, as unknown members are.
  for (const k of ['eventSourceArn', 'startingPosition', 'startingPositionTimestamp']) delete input[k]
  input['uuid'] = uuid
  return wireMapping(call('UpdateEventSourceMapping', () => sim.updateEventSourceMapping(input as unknown as EventSourceMappingUpdate)), sim)
}

/** ListEventSourceMappings (answered 200), filtered by the `EventSourceArn` and `FunctionName` query parameters, paged by `Marker` and `MaxItems`. */
export function listEventSourceMappings(sim: SimulatorImpl, query: WireRequest['query']): Record<string, unknown> {
  const input: { eventSourceArn?: string; functionName?: string; marker?: string; maxItems?: number } = {}
  if (query['EventSourceArn'] !== undefined) input.eventSourceArn = query['EventSourceArn']
  if (query['FunctionName'] !== undefined) input.functionName = query['FunctionName']
  if (query['Marker'] !== undefined) input.marker = query['Marker']
  const maxItems = query['MaxItems']
  if (maxItems !== undefined) {
    if (!/^-?\d+$/.test(maxItems)) throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request: MaxItems must be an integer, got '${maxItems}'`, { type: 'User' })
    input.maxItems = Number(maxItems)
  }
  const r = sim.listEventSourceMappings(input)
  const out: Record<string, unknown> = {}
  if (r.nextMarker !== undefined) out['NextMarker'] = r.nextMarker
  out['EventSourceMappings'] = r.eventSourceMappings.map((m) => wireMapping(m, sim))
  return out
}
