import { Queue } from '../destinations/queue.js'
import { arnService, isDestination, type Destination } from '../destinations/destination.js'
import { invalidParameter, LambdaError, resourceConflict, resourceNotFound, SimulatorError, validationException } from '../errors.js'
import { functionRefText, type FunctionRef, type FunctionRegistry, type LambdaFunction } from '../functions.js'
import type { Task } from '../internal/heap.js'
import { isPlainObject } from '../internal/plain-object.js'
import { compileEventPattern, type CompiledPattern } from '../patterns/event-pattern.js'
import { describe, rejectUnknownKeys, toEpochMs, Violations } from '../validation.js'
import type { EsmHost } from './host.js'
import { SqsPoller } from './sqs-poller.js'
import { StreamPoller } from './stream-poller.js'
import type { StreamSource } from './streams.js'

/** `State` of an event source mapping. */
export type EventSourceMappingState = 'Creating' | 'Enabling' | 'Enabled' | 'Disabling' | 'Disabled' | 'Updating' | 'Deleting'

/** A destination given by ARN or by sink object. */
type DestinationRef = string | Destination

/**
 * Input of `createEventSourceMapping` (camelCase mirror of CreateEventSourceMapping).
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
export interface EventSourceMappingInput {
  /** ARN of a queue, stream or table stream created in this simulator. */
  eventSourceArn: string
  /** Name, ARN, or a version / alias qualified name or ARN; or the handle `createFunction` returned. */
  functionName: FunctionRef
  /** false pauses polling. @default true */
  enabled?: boolean
  /** 1–10,000 (FIFO queues: 1–10). @default 10 (SQS), 100 (Kinesis, DynamoDB) */
  batchSize?: number
  /** 0–300; must be ≥ 1 when batchSize > 10 (SQS); not supported for FIFO queues. @default 0 */
  maximumBatchingWindowInSeconds?: number
  /** `['ReportBatchItemFailures']` to accept partial batch responses. @default [] */
  functionResponseTypes?: 'ReportBatchItemFailures'[]
  /** Up to 5 EventBridge-style patterns (ORed); non-matching records are discarded (SQS: deleted). */
  filterCriteria?: { filters?: { pattern?: string }[] }
  /** SQS only: `maximumConcurrency` 2–1,000 caps concurrent invocations. `{}` removes it. */
  scalingConfig?: { maximumConcurrency?: number }
  /** Streams only (required). DynamoDB does not support AT_TIMESTAMP. */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP'
  /** With AT_TIMESTAMP: epoch ms, Date or ISO string, not in the future. */
  startingPositionTimestamp?: number | string | Date
  /** Streams: 1–10 concurrent batches per shard, keeping order per partition key. @default 1 */
  parallelizationFactor?: number
  /** Streams: split a failed batch in two (does not use a retry attempt). @default false */
  bisectBatchOnFunctionError?: boolean
  /** Streams: -1 (infinite) to 10,000. @default -1 */
  maximumRetryAttempts?: number
  /** Streams: -1 (infinite) or 60–604,800. @default -1 */
  maximumRecordAgeInSeconds?: number
  /** Streams: on-failure destination (SQS, SNS or S3). OnSuccess is not supported. */
  destinationConfig?: { onFailure?: { destination?: DestinationRef }; onSuccess?: { destination?: DestinationRef } }
  /**
   * Streams: 0–900; 0 = off. With a window, records are aggregated per window (aligned to multiples
   * of its length since the epoch, by arrival time): each invocation gets the `state` the previous
   * one returned, and the response must contain `state`. At the window's end a final invocation
   * (`isFinalInvokeForWindow: true`) gets the aggregate.
   * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
   * @default 0
   */
  tumblingWindowInSeconds?: number
}

/** Input of `updateEventSourceMapping`: the mutable members. */
export type EventSourceMappingUpdate = { uuid: string } & Partial<Omit<EventSourceMappingInput, 'eventSourceArn' | 'startingPosition' | 'startingPositionTimestamp'>>

/** A mapping as the API returns it (camelCase mirror of EventSourceMappingConfiguration). */
export interface EventSourceMappingConfiguration {
  uuid: string
  eventSourceArn: string
  functionArn: string
  state: EventSourceMappingState
  stateTransitionReason: string
  lastModified: Date
  batchSize: number
  maximumBatchingWindowInSeconds: number
  functionResponseTypes: string[]
  filterCriteria?: { filters: { pattern: string }[] }
  scalingConfig?: { maximumConcurrency?: number }
  startingPosition?: string
  startingPositionTimestamp?: Date
  parallelizationFactor?: number
  bisectBatchOnFunctionError?: boolean
  maximumRetryAttempts?: number
  maximumRecordAgeInSeconds?: number
  destinationConfig?: { onFailure: { destination?: string } }
  tumblingWindowInSeconds?: number
  lastProcessingResult?: string
}

/**
 * CreateEventSourceMapping and UpdateEventSourceMapping refuse an SQS queue whose visibility timeout is
 * less than the function's timeout (InvalidParameterValueException, 400, AWS's text as CloudFormation and
 * Terraform relay it; "Lambda validates this requirement when you create or update an event source
 * mapping", services-sqs-configure). **Choice**: for an alias, the longest timeout of the versions it
 * routes to; a later function or queue update is not refused (the effective-visibility rule applies).
 */
function refuseShortVisibilityTimeout(queue: Queue, fn: LambdaFunction, qualifier: string): void {
  const versionNames = fn.aliases.has(qualifier) ? aliasVersions(fn, qualifier) : [qualifier]
  let timeoutMs = 0
  for (const v of versionNames) {
    const version = v === '$LATEST' ? fn.latest : fn.versions.get(v)
    if (version !== undefined && version.timeoutMs > timeoutMs) timeoutMs = version.timeoutMs
  }
  const functionTimeout = timeoutMs / 1000
  if (queue.visibilityTimeout < functionTimeout) {
    throw invalidParameter(`Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${functionTimeout} seconds`)
  }
}

function aliasVersions(fn: LambdaFunction, name: string): string[] {
  const alias = fn.aliases.get(name)
  if (alias === undefined) return []
  return alias.additionalVersion === undefined ? [alias.functionVersion] : [alias.functionVersion, alias.additionalVersion]
}

/** Validated settings a poller runs with (read live, so updates apply to the next batch). */
export interface MappingSettings {
  enabled: boolean
  batchSize: number
  maximumBatchingWindowInSeconds: number
  reportBatchItemFailures: boolean
  filters: { pattern: string }[] | undefined
  compiledFilters: CompiledPattern[] | undefined
  maximumConcurrency: number | undefined
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP' | undefined
  startingPositionTimestamp: number | undefined
  parallelizationFactor: number
  bisectBatchOnFunctionError: boolean
  maximumRetryAttempts: number
  maximumRecordAgeInSeconds: number
  onFailure: string | undefined
  tumblingWindowInSeconds: number
}

/** One event source mapping. */
export class Mapping {
  readonly uuid: string
  readonly eventSourceArn: string
  readonly kind: 'sqs' | 'kinesis' | 'dynamodb'
  readonly source: Queue | StreamSource
  #fn: LambdaFunction
  readonly #lookup: (name: string) => LambdaFunction | undefined
  qualifier: string
  functionArn: string
  settings: MappingSettings
  state: EventSourceMappingState = 'Creating'
  lastModified: number
  lastProcessingResult = 'No records processed'
  poller: SqsPoller | StreamPoller | undefined
  /** The pending state transition (Creating → Enabled, …), a task at the instant of the API call. */
  readonly transition: Task & { next: EventSourceMappingState | 'gone' }

  constructor(init: { uuid: string; source: Queue | StreamSource; kind: Mapping['kind']; fn: LambdaFunction; lookup: (name: string) => LambdaFunction | undefined; qualifier: string; functionArn: string; settings: MappingSettings; now: number; onTransition: (m: Mapping) => void }) {
    this.uuid = init.uuid
    this.source = init.source
    this.eventSourceArn = init.source.arn
    this.kind = init.kind
    this.#fn = init.fn
    this.#lookup = init.lookup
    this.qualifier = init.qualifier
    this.functionArn = init.functionArn
    this.settings = init.settings
    this.lastModified = init.now
    this.transition = { heapIndex: -1, next: 'Enabled', fire: () => init.onTransition(this), describe: () => `event source mapping ${this.uuid} becoming ${this.transition.next}` }
  }

  /**
   * The function it invokes. A mapping names its function by ARN and outlives a DeleteFunction (AWS:
   * mappings are deleted with DeleteEventSourceMapping), so a function created again under that name
   * (the same ARN) is its function from then on; until then the deleted one, which invokes refuse.
   */
  get fn(): LambdaFunction {
    const fn = this.#fn
    if (!fn.deleted) return fn
    return (this.#fn = this.#lookup(fn.name) ?? fn)
  }

  set fn(fn: LambdaFunction) {
    this.#fn = fn
  }
}

const RBIF = 'ReportBatchItemFailures'
const STARTING_POSITIONS = ['LATEST', 'AT_TIMESTAMP', 'TRIM_HORIZON'] as const
const CREATE_KEYS = [
  'eventSourceArn',
  'functionName',
  'enabled',
  'batchSize',
  'maximumBatchingWindowInSeconds',
  'functionResponseTypes',
  'filterCriteria',
  'scalingConfig',
  'startingPosition',
  'startingPositionTimestamp',
  'parallelizationFactor',
  'bisectBatchOnFunctionError',
  'maximumRetryAttempts',
  'maximumRecordAgeInSeconds',
  'destinationConfig',
  'tumblingWindowInSeconds',
] as const
const UPDATE_KEYS = ['uuid', ...CREATE_KEYS.filter((k) => k !== 'eventSourceArn' && k !== 'startingPosition' && k !== 'startingPositionTimestamp')]
const STREAM_ONLY = [
  ['parallelizationFactor', 'ParallelizationFactor'],
  ['bisectBatchOnFunctionError', 'BisectBatchOnFunctionError'],
  ['maximumRetryAttempts', 'MaximumRetryAttempts'],
  ['maximumRecordAgeInSeconds', 'MaximumRecordAgeInSeconds'],
  ['tumblingWindowInSeconds', 'TumblingWindowInSeconds'],
  ['startingPosition', 'StartingPosition'],
  ['startingPositionTimestamp', 'StartingPositionTimestamp'],
] as const

/** The model's pattern for `EventSourceArn` (CreateEventSourceMapping, ListEventSourceMappings), as AWS's API reference prints it. */
const EVENT_SOURCE_ARN_PATTERN = 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)'
const EVENT_SOURCE_ARN = new RegExp(`^(?:${EVENT_SOURCE_ARN_PATTERN})$`)

/** The model constraints AWS checks first (ValidationException, all violations at once). */
function checkConstraints(input: Partial<EventSourceMappingInput>): void {
  const v = new Violations()
  if (typeof input.eventSourceArn === 'string') v.pattern('eventSourceArn', input.eventSourceArn, EVENT_SOURCE_ARN, EVENT_SOURCE_ARN_PATTERN)
  v.intRange('batchSize', input.batchSize, 1, 10_000)
  v.intRange('maximumBatchingWindowInSeconds', input.maximumBatchingWindowInSeconds, 0, 300)
  v.intRange('parallelizationFactor', input.parallelizationFactor, 1, 10)
  v.intRange('maximumRetryAttempts', input.maximumRetryAttempts, -1, 10_000)
  v.intRange('maximumRecordAgeInSeconds', input.maximumRecordAgeInSeconds, -1, 604_800)
  v.intRange('tumblingWindowInSeconds', input.tumblingWindowInSeconds, 0, 900)
  if (input.scalingConfig !== undefined) {
    if (!isPlainObject(input.scalingConfig)) throw new SimulatorError('InvalidOption', `Invalid scalingConfig: expected an object, got ${describe(input.scalingConfig)}`)
    // A misspelt member would otherwise read as "no maximum" and, on update, remove the one set.
    rejectUnknownKeys('scalingConfig', input.scalingConfig, ['maximumConcurrency'])
    v.intRange('scalingConfig.maximumConcurrency', input.scalingConfig.maximumConcurrency, 2, 1000)
  }
  v.enumValue('startingPosition', input.startingPosition, STARTING_POSITIONS)
  const types = input.functionResponseTypes
  if (types !== undefined) {
    if (!Array.isArray(types)) throw new SimulatorError('InvalidOption', `Invalid functionResponseTypes: expected an array, got ${describe(types)}`)
    if (types.length > 1) v.list.push(`Value '[${types.join(', ')}]' at 'functionResponseTypes' failed to satisfy constraint: Member must have length less than or equal to 1`)
    else if (types.some((t) => t !== RBIF)) {
      v.list.push(`Value '[${types.join(', ')}]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${RBIF}]]`)
    }
  }
  const criteria: unknown = input.filterCriteria
  if (criteria !== undefined && !isPlainObject(criteria)) {
    throw new SimulatorError('InvalidOption', `Invalid filterCriteria: expected an object { filters: [{ pattern }] }, got ${describe(criteria)}`)
  }
  // Misspelt nested members (`filter`, `Pattern`, `onfailure`, `Destination`) would otherwise read as
  // "none" and, on update, remove the filters or the destination set before.
  if (criteria !== undefined) rejectUnknownKeys('filterCriteria', criteria as object, ['filters'])
  const filters = input.filterCriteria?.filters
  if (filters !== undefined) {
    if (!Array.isArray(filters)) throw new SimulatorError('InvalidOption', `Invalid filterCriteria.filters: expected an array, got ${describe(filters)}`)
    for (const f of filters) if (f !== null && typeof f === 'object') rejectUnknownKeys('filterCriteria.filters', f, ['pattern'])
    filters.forEach((f, i) => {
      if (typeof f?.pattern === 'string') v.maxLength(`filterCriteria.filters.${i + 1}.member.pattern`, f.pattern, 4096)
    })
  }
  const dc: unknown = input.destinationConfig
  if (dc !== undefined) {
    if (!isPlainObject(dc)) throw new SimulatorError('InvalidOption', `Invalid destinationConfig: expected an object, got ${describe(dc)}`)
    rejectUnknownKeys('destinationConfig', dc, ['onFailure', 'onSuccess'])
    for (const side of ['onFailure', 'onSuccess'] as const) {
      const d: unknown = (dc as Record<string, unknown>)[side]
      if (d === undefined || d === null) continue
      if (!isPlainObject(d)) throw new SimulatorError('InvalidOption', `Invalid destinationConfig.${side}: expected an object { destination }, got ${describe(d)}`)
      rejectUnknownKeys(`destinationConfig.${side}`, d, ['destination'])
    }
  }
  if (input.bisectBatchOnFunctionError !== undefined && typeof input.bisectBatchOnFunctionError !== 'boolean') {
    throw new SimulatorError('InvalidOption', `Invalid bisectBatchOnFunctionError: expected true or false, got ${describe(input.bisectBatchOnFunctionError)}`)
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw new SimulatorError('InvalidOption', `Invalid enabled: expected true or false, got ${describe(input.enabled)}`)
  v.throwIfAny()
}

function compileFilters(filters: { pattern?: string }[] | undefined): { filters: { pattern: string }[] | undefined; compiled: CompiledPattern[] | undefined } {
  if (filters === undefined) return { filters: undefined, compiled: undefined }
  if (filters.length > 5) throw invalidParameter(`The maximum number of filters per event source mapping is 5, but ${filters.length} were provided.`)
  const out: { pattern: string }[] = []
  const compiled: CompiledPattern[] = []
  for (const f of filters) {
    const pattern = f?.pattern ?? ''
    try {
      compiled.push(compileEventPattern(pattern))
    } catch {
      throw invalidParameter('Invalid filter pattern definition.')
    }
    out.push({ pattern })
  }
  return out.length === 0 ? { filters: undefined, compiled: undefined } : { filters: out, compiled }
}

/** Event source mappings of one simulator: the API (spec §11.1) and the pollers behind it. */
export class EventSourceMappings {
  readonly #host: EsmHost
  readonly #registry: FunctionRegistry
  readonly #mappings = new Map<string, Mapping>()
  readonly #streams = new Map<string, StreamSource>()

  constructor(host: EsmHost, registry: FunctionRegistry) {
    this.#host = host
    this.#registry = registry
  }

  /** Whether a stream source with this ARN, or (for a DynamoDB table's stream) of this table ARN, exists. */
  hasStream(arn: string): boolean {
    if (this.#streams.has(arn)) return true
    for (const s of this.#streams.values()) if (s.arn.startsWith(`${arn}/stream/`)) return true
    return false
  }

  addStream(stream: StreamSource): void {
    if (this.#streams.has(stream.arn)) throw new SimulatorError('InvalidOption', `A stream with ARN ${stream.arn} already exists`)
    this.#streams.set(stream.arn, stream)
  }

  get all(): Mapping[] {
    return [...this.#mappings.values()]
  }

  create(input: EventSourceMappingInput): EventSourceMappingConfiguration {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid createEventSourceMapping input: expected an object, got ${describe(input)}`)
    rejectUnknownKeys('createEventSourceMapping', input, CREATE_KEYS)
    // As the SDK path answers a request without FunctionName (it was a TypeError in process).
    if (input.functionName === undefined || input.functionName === null) throw validationException([`Value null at 'functionName' failed to satisfy constraint: Member must not be null`])
    checkConstraints(input)
    // AWS's answer to a request without EventSourceArn (OBS-api test_event_source_mapping_exceptions).
    if (input.eventSourceArn === undefined) throw invalidParameter('Unrecognized event source.')
    if (typeof input.eventSourceArn !== 'string') throw new SimulatorError('InvalidOption', `Invalid eventSourceArn: expected an ARN string, got ${describe(input.eventSourceArn)}`)
    const host = this.#host
    const service = arnService(input.eventSourceArn)
    // AWS refuses a DestinationConfig on an SQS mapping before looking the function up, and a function
    // that does not exist before looking the queue up (OBS-api test_event_source_mapping_exceptions).
    if (service === 'sqs' && input.destinationConfig !== undefined) throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.')
    const fnText = functionRefText(input.functionName, 'functionName')
    if (this.#registry.get(this.#registry.parse(fnText).name) === undefined) throw invalidParameter('Function does not exist')
    const target = this.#registry.resolve(fnText)
    let source: Queue | StreamSource | undefined
    let kind: Mapping['kind']
    if (service === 'sqs') {
      kind = 'sqs'
      const q = host.destinationFor(input.eventSourceArn)
      if (!(q instanceof Queue)) {
        throw invalidParameter('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.')
      }
      source = q
    } else if (service === 'kinesis' || service === 'dynamodb') {
      kind = service
      source = this.#streams.get(input.eventSourceArn)
      if (source === undefined) throw invalidParameter(`Stream not found: ${input.eventSourceArn}`)
    } else {
      throw invalidParameter(`Unsupported event source type for ARN: ${input.eventSourceArn}`)
    }
    const isStream = kind !== 'sqs'
    if (!isStream && input.startingPosition !== undefined) throw invalidParameter('StartingPosition is not valid for SQS event sources.')
    if (isStream) {
      if (input.startingPosition === undefined) {
        throw invalidParameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.")
      }
      if (kind === 'dynamodb' && input.startingPosition === 'AT_TIMESTAMP') throw invalidParameter(`Unsupported starting position for arn type: ${input.eventSourceArn}`)
    }
    // (A timestamp alone on an SQS mapping is refused with the other stream-only members, in #settings.)
    let timestamp: number | undefined
    if (isStream && input.startingPositionTimestamp !== undefined) {
      timestamp = toEpochMs('startingPositionTimestamp', input.startingPositionTimestamp)
      if (input.startingPosition !== 'AT_TIMESTAMP') throw invalidParameter('Timestamp only valid with StartingPosition AT_TIMESTAMP')
      // AWS's answer to a negative epoch (LocalStack event_source_mapping/test_api.py, AWS-validated 2025-02).
      if (timestamp < 0) throw invalidParameter('Received Exception while reading from provided stream. class java.lang.Long can not be converted to a Timestamp')
      if (timestamp > host.now()) throw invalidParameter('The StartingPositionTimestamp can not be in the future.')
    } else if (input.startingPosition === 'AT_TIMESTAMP') {
      throw invalidParameter('StartingPositionTimestamp must be provided with StartingPosition AT_TIMESTAMP.')
    }
    const settings = this.#settings(input, kind, source, undefined)
    if (source instanceof Queue) refuseShortVisibilityTimeout(source, target.fn, target.qualifier)
    settings.startingPosition = input.startingPosition
    settings.startingPositionTimestamp = timestamp
    this.#refuseSecondMapping(source.arn, kind, target, undefined)
    const m = new Mapping({
      uuid: host.uuid(),
      source,
      kind,
      fn: target.fn,
      lookup: (name) => this.#registry.get(name),
      qualifier: target.qualifier,
      functionArn: target.qualified ? `${target.fn.arn}:${target.qualifier}` : target.fn.arn,
      settings,
      now: host.now(),
      onTransition: (x) => this.#transition(x),
    })
    this.#mappings.set(m.uuid, m)
    this.#moveTo(m, 'Creating', settings.enabled ? 'Enabled' : 'Disabled')
    return this.#view(m)
  }

  update(input: EventSourceMappingUpdate): EventSourceMappingConfiguration {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid updateEventSourceMapping input: expected an object, got ${describe(input)}`)
    rejectUnknownKeys('updateEventSourceMapping', input, UPDATE_KEYS)
    checkConstraints(input)
    const m = this.#get(input.uuid)
    // Everything is checked before anything changes: a refused update leaves the mapping as it was
    // (the new function used to be applied before the other members were checked).
    if (input.functionName === null) throw new SimulatorError('InvalidOption', 'Invalid functionName: expected a function name or ARN, got null (leave it out to keep the function)')
    const target = input.functionName === undefined ? undefined : this.#registry.resolve(input.functionName)
    const next = this.#settings(input, m.kind, m.source, m.settings)
    // **Choice**: an update cannot make a second mapping of one source and function either (create's text).
    if (target !== undefined) this.#refuseSecondMapping(m.eventSourceArn, m.kind, target, m)
    if (m.source instanceof Queue) refuseShortVisibilityTimeout(m.source, target?.fn ?? m.fn, target?.qualifier ?? m.qualifier)
    if (target !== undefined) {
      m.fn = target.fn
      m.qualifier = target.qualifier
      m.functionArn = target.qualified ? `${target.fn.arn}:${target.qualifier}` : target.fn.arn
    }
    const wasEnabled = m.settings.enabled
    m.settings = next
    m.lastModified = this.#host.now()
    if (next.enabled !== wasEnabled) this.#moveTo(m, next.enabled ? 'Enabling' : 'Disabling', next.enabled ? 'Enabled' : 'Disabled')
    else this.#moveTo(m, 'Updating', next.enabled ? 'Enabled' : 'Disabled')
    m.poller?.settingsChanged()
    return this.#view(m)
  }

  get(uuid: string): EventSourceMappingConfiguration {
    return this.#view(this.#get(uuid))
  }

  delete(uuid: string): EventSourceMappingConfiguration {
    const m = this.#get(uuid)
    this.#moveTo(m, 'Deleting', 'gone')
    m.poller?.stop()
    return this.#view(m)
  }

  list(input: { eventSourceArn?: string; functionName?: FunctionRef; marker?: string; maxItems?: number } = {}): { eventSourceMappings: EventSourceMappingConfiguration[]; nextMarker?: string } {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid listEventSourceMappings input: expected an object, got ${describe(input)}`)
    rejectUnknownKeys('listEventSourceMappings', input, ['eventSourceArn', 'functionName', 'marker', 'maxItems'])
    const v = new Violations()
    if (typeof input.eventSourceArn === 'string') v.pattern('eventSourceArn', input.eventSourceArn, EVENT_SOURCE_ARN, EVENT_SOURCE_ARN_PATTERN)
    v.intRange('maxItems', input.maxItems, 1, 10_000)
    v.throwIfAny()
    let items = [...this.#mappings.values()]
    if (input.eventSourceArn !== undefined) items = items.filter((m) => m.eventSourceArn === input.eventSourceArn)
    if (input.functionName !== undefined) {
      // A function (or qualifier) that does not exist lists nothing, without an error, as on AWS
      // (OBS-api test_event_source_mapping_exceptions). A malformed name is still a ValidationException.
      let target: ReturnType<FunctionRegistry['resolve']> | undefined
      try {
        target = this.#registry.resolve(input.functionName)
      } catch (error) {
        if (!(error instanceof LambdaError && error.name === 'ResourceNotFoundException')) throw error
      }
      items = target === undefined ? [] : items.filter((m) => m.fn === target.fn && (!target.qualified || m.qualifier === target.qualifier))
    }
    let start = 0
    if (input.marker !== undefined) {
      // The whole marker must be the decimal NextMarker gave (parseInt took "1abc" as 1).
      start = typeof input.marker === 'string' && /^\d{1,9}$/.test(input.marker) ? Number(input.marker) : -1
      if (start < 0 || start > items.length) throw invalidParameter(`Invalid marker: ${String(input.marker)}`)
    }
    const max = input.maxItems ?? 100
    const page = items.slice(start, start + max).map((m) => this.#view(m))
    const out: { eventSourceMappings: EventSourceMappingConfiguration[]; nextMarker?: string } = { eventSourceMappings: page }
    if (start + max < items.length) out.nextMarker = String(start + max)
    return out
  }

  /** One mapping per source and function (and qualifier), with AWS's texts (SQS: OBS-sqs; streams: OBS-kin, OBS-ddb). `except`: the mapping being updated. */
  #refuseSecondMapping(sourceArn: string, kind: Mapping['kind'], target: { fn: LambdaFunction; qualifier: string }, except: Mapping | undefined): void {
    for (const m of this.#mappings.values()) {
      if (m !== except && m.eventSourceArn === sourceArn && m.fn === target.fn && m.qualifier === target.qualifier) {
        throw resourceConflict(
          kind === 'sqs'
            ? `An event source mapping with SQS arn (" ${sourceArn} ") and function (" ${target.fn.name} ") already exists. Please update or delete the existing mapping with UUID ${m.uuid}`
            : `The event source arn (" ${sourceArn} ") and function (" ${target.fn.name} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${m.uuid}`,
        )
      }
    }
  }

  #get(uuid: unknown): Mapping {
    const m = typeof uuid === 'string' ? this.#mappings.get(uuid) : undefined
    if (m === undefined || m.transition.next === 'gone') throw resourceNotFound('The resource you requested does not exist.')
    return m
  }

  #settings(input: Partial<EventSourceMappingInput>, kind: Mapping['kind'], source: Queue | StreamSource, previous: MappingSettings | undefined): MappingSettings {
    const isStream = kind !== 'sqs'
    const fifo = source instanceof Queue && source.fifo
    if (!isStream) {
      for (const [key, name] of STREAM_ONLY) {
        if (input[key] !== undefined) throw invalidParameter(`Unsupported ${name} parameter for given event source mapping type.`)
      }
      if (input.destinationConfig !== undefined) throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.')
    } else if (input.scalingConfig !== undefined) {
      throw invalidParameter('Unsupported ScalingConfig parameter for given event source mapping type.')
    }
    const batchSize = input.batchSize ?? previous?.batchSize ?? (isStream ? 100 : 10)
    const window = input.maximumBatchingWindowInSeconds ?? previous?.maximumBatchingWindowInSeconds ?? 0
    if (fifo) {
      // AWS's text, and AWS names the window before a batch size over 10 (a request with both, relayed
      // by CloudFormation: aws/aws-lambda-dotnet#1758, 2024-06-12).
      if (input.maximumBatchingWindowInSeconds !== undefined && input.maximumBatchingWindowInSeconds > 0) {
        throw invalidParameter('Batching window is not supported for FIFO queues')
      }
      if (batchSize > 10) throw invalidParameter(`BatchSize must be between 1 and 10 for FIFO queues, but was ${batchSize}.`)
    } else if (!isStream && batchSize > 10 && window < 1) {
      throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10')
    }
    const age = input.maximumRecordAgeInSeconds ?? previous?.maximumRecordAgeInSeconds ?? -1
    // AWS's text, as quoted from an UpdateEventSourceMapping error in hashicorp/terraform-provider-aws#16113 (2021).
    if (age >= 0 && age < 60) throw invalidParameter('MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)')
    let onFailure = previous?.onFailure
    const dc = input.destinationConfig
    if (dc !== undefined) {
      if (!isPlainObject(dc)) throw new SimulatorError('InvalidOption', `Invalid destinationConfig: expected an object, got ${describe(dc)}`)
      if (dc.onSuccess?.destination !== undefined) throw invalidParameter('OnSuccess is not supported in CreateEventSourceMapping or UpdateEventSourceMapping')
      const d = dc.onFailure?.destination
      if (d === undefined) onFailure = undefined
      else {
        const arn = typeof d === 'string' ? d : isDestination(d) ? d.arn : undefined
        if (arn === undefined) throw new SimulatorError('InvalidOption', `Invalid destinationConfig.onFailure.destination: expected an ARN or a sink, got ${describe(d)}`)
        const svc = arnService(arn)
        if (svc !== 'sqs' && svc !== 'sns' && svc !== 's3') throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${arn})) is invalid.`)
        if (typeof d !== 'string' && this.#host.destinationFor(arn) === undefined) throw new SimulatorError('InvalidOption', `The destination ${arn} is not a sink of this simulator; create it with sim.createQueue / createTopic / createBucket`)
        onFailure = arn
      }
    }
    let filters = previous?.filters
    let compiledFilters = previous?.compiledFilters
    if (input.filterCriteria !== undefined) {
      const c = compileFilters(input.filterCriteria.filters)
      filters = c.filters
      compiledFilters = c.compiled
    }
    let maximumConcurrency = previous?.maximumConcurrency
    if (input.scalingConfig !== undefined) maximumConcurrency = input.scalingConfig.maximumConcurrency
    const tumbling = input.tumblingWindowInSeconds ?? previous?.tumblingWindowInSeconds ?? 0
    return {
      enabled: input.enabled ?? previous?.enabled ?? true,
      batchSize,
      maximumBatchingWindowInSeconds: window,
      reportBatchItemFailures: input.functionResponseTypes !== undefined ? input.functionResponseTypes.length > 0 : (previous?.reportBatchItemFailures ?? false),
      filters,
      compiledFilters,
      maximumConcurrency,
      startingPosition: previous?.startingPosition,
      startingPositionTimestamp: previous?.startingPositionTimestamp,
      parallelizationFactor: input.parallelizationFactor ?? previous?.parallelizationFactor ?? 1,
      bisectBatchOnFunctionError: input.bisectBatchOnFunctionError ?? previous?.bisectBatchOnFunctionError ?? false,
      maximumRetryAttempts: input.maximumRetryAttempts ?? previous?.maximumRetryAttempts ?? -1,
      maximumRecordAgeInSeconds: age,
      onFailure,
      tumblingWindowInSeconds: tumbling,
    }
  }

  /** Enter a transitional state now; the final state follows at the same instant, as a task. */
  #moveTo(m: Mapping, now: EventSourceMappingState, next: EventSourceMappingState | 'gone'): void {
    m.state = now
    m.transition.next = next
    const host = this.#host
    host.scheduler.schedule(m.transition, host.now())
    this.#emitState(m)
  }

  #transition(m: Mapping): void {
    const next = m.transition.next
    if (next === 'gone') {
      this.#mappings.delete(m.uuid)
      if (this.#host.observed) this.#host.emit({ type: 'esm', time: this.#host.now(), mappingId: m.uuid, functionName: m.fn.name, action: 'state', reason: 'Deleted' })
      return
    }
    m.state = next
    this.#emitState(m)
    if (next === 'Enabled') {
      if (m.poller === undefined) m.poller = m.source instanceof Queue ? new SqsPoller(this.#host, m, m.source) : new StreamPoller(this.#host, m, m.source)
      m.poller.start()
    } else if (next === 'Disabled') {
      m.poller?.pause()
    }
  }

  #emitState(m: Mapping): void {
    if (this.#host.observed) this.#host.emit({ type: 'esm', time: this.#host.now(), mappingId: m.uuid, functionName: m.fn.name, action: 'state', reason: m.state })
  }

  #view(m: Mapping): EventSourceMappingConfiguration {
    const s = m.settings
    const out: EventSourceMappingConfiguration = {
      uuid: m.uuid,
      eventSourceArn: m.eventSourceArn,
      functionArn: m.functionArn,
      state: m.state,
      // As AWS answers (LocalStack's AWS-validated snapshots, 2025-11): the two pollers word it differently.
      stateTransitionReason: m.kind === 'sqs' ? 'USER_INITIATED' : 'User action',
      lastModified: new Date(m.lastModified),
      batchSize: s.batchSize,
      maximumBatchingWindowInSeconds: s.maximumBatchingWindowInSeconds,
      functionResponseTypes: s.reportBatchItemFailures ? [RBIF] : [],
    }
    if (s.filters !== undefined) out.filterCriteria = { filters: s.filters.map((f) => ({ ...f })) }
    if (m.kind === 'sqs') {
      if (s.maximumConcurrency !== undefined) out.scalingConfig = { maximumConcurrency: s.maximumConcurrency }
      return out
    }
    out.startingPosition = s.startingPosition as string
    if (s.startingPositionTimestamp !== undefined) out.startingPositionTimestamp = new Date(s.startingPositionTimestamp)
    out.parallelizationFactor = s.parallelizationFactor
    out.bisectBatchOnFunctionError = s.bisectBatchOnFunctionError
    out.maximumRetryAttempts = s.maximumRetryAttempts
    out.maximumRecordAgeInSeconds = s.maximumRecordAgeInSeconds
    out.destinationConfig = { onFailure: s.onFailure === undefined ? {} : { destination: s.onFailure } }
    out.tumblingWindowInSeconds = s.tumblingWindowInSeconds
    out.lastProcessingResult = m.lastProcessingResult
    return out
  }
}
