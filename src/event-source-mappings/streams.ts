import { createHash } from '../internal/node-crypto.js'
import { LambdaError, SimulatorError, validationException } from '../errors.js'
import type { SinkHost } from '../destinations/sink-host.js'
import { isPlainObject } from '../internal/plain-object.js'
import { describe, rejectUnknownKeys } from '../validation.js'
import { currentLineage, type Lineage } from './recursion.js'

/** One record in a shard, as a stream event source mapping reads it. */
export interface ShardRecord {
  /** Kinesis: 56 digits; DynamoDB: 21 digits. Increasing within the shard. */
  sequenceNumber: string
  /** Kinesis partition key; for a table, the item's key attributes as JSON. */
  partitionKey: string
  /** Virtual epoch ms the record arrived. */
  arrivalTime: number
  /** The Lambda event record as JSON, ready to embed in `{"Records":[…]}`. */
  recordJson: string
  /** What event filtering sees (Kinesis `data` decoded as JSON when it is JSON; DynamoDB `dynamodb`). */
  filterView: unknown
  /** Recursive-loop tracking (spec §10): the lineage of the request chain that wrote it (empty from test code). */
  lineage: Lineage
}

/** One record of `putRecord` / `putRecords`. */
export interface PutRecordInput {
  /** 1–256 characters; its MD5 picks the shard. */
  partitionKey: string
  /** A string (UTF-8), bytes, or any JSON value (serialised). With the partition key, at most 1 MiB. */
  data: string | Uint8Array | object
  /** A decimal 0 … 2^128−1 that picks the shard instead of the partition key's hash. */
  explicitHashKey?: string
  /**
   * `putRecord` only: the sequence number of the record this one must follow; the new record's
   * number is greater ("guarantees strictly increasing sequence numbers"). Numbers always increase
   * in the simulator, so this matters only for a number from elsewhere.
   */
  sequenceNumberForOrdering?: string
}

/** A record's data and partition key together: at most 1 MiB, a stream's default maximum record size. */
const MAX_RECORD_BYTES = 1_048_576
const EXPLICIT_HASH_KEY = /^(?:0|[1-9]\d{0,38})$/
const SEQUENCE_NUMBER = /^(?:0|[1-9]\d{0,128})$/

/** A record's data as bytes (`undefined` when missing). `at` prefixes the member name in errors. */
function kinesisDataBytes(data: PutRecordInput['data'] | null | undefined, at: string): Buffer | undefined {
  if (data === undefined || data === null) return undefined
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (data instanceof Uint8Array) return Buffer.from(data)
  // A function, a symbol, a BigInt or a circular value has no JSON (these were TypeErrors from Buffer or JSON).
  let json: string | undefined
  let why = ''
  try {
    json = JSON.stringify(data) as string | undefined
  } catch (error) {
    why = ` (${(error as Error).message.split('\n')[0] ?? ''})`
  }
  if (json === undefined) throw new SimulatorError('InvalidOption', `Invalid '${at}data': expected a string, bytes or a JSON value, got ${describe(data)}${why}`)
  return Buffer.from(json, 'utf8')
}

/**
 * The constraint violations of one PutRecord(s) entry, in AWS's words, appended to `into` (created
 * on the first one). `at` prefixes member names (`records.3.member.` in PutRecords, 1-based).
 * The record size counts data and partition key ("the total size must not exceed the maximum
 * record size (1 MiB)"); **choice**: that is reported with the data length text AWS gives for data
 * alone over 1 MiB. Wrong types are misuse of the simulator (a SimulatorError).
 */
function kinesisEntryViolations(input: PutRecordInput, bytes: Buffer | undefined, at: string, into: string[] | undefined): string[] | undefined {
  let list = into
  const key: unknown = input.partitionKey
  const hashKey: unknown = input.explicitHashKey
  if (bytes === undefined) list = withViolation(list, `Value null at '${at}data' failed to satisfy constraint: Member must not be null`)
  else if (bytes.length + (typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : 0) > MAX_RECORD_BYTES) {
    list = withViolation(list, `Value at '${at}data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`)
  }
  if (key === undefined || key === null) list = withViolation(list, `Value null at '${at}partitionKey' failed to satisfy constraint: Member must not be null`)
  else if (typeof key !== 'string') throw new SimulatorError('InvalidOption', `Invalid ${at}partitionKey: expected a string of 1–256 characters, got ${describe(key)}`)
  else if (key.length < 1) list = withViolation(list, `Value '' at '${at}partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1`)
  else if (key.length > 256) list = withViolation(list, `Value '${key}' at '${at}partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256`)
  if (hashKey !== undefined) {
    if (typeof hashKey !== 'string') throw new SimulatorError('InvalidOption', `Invalid ${at}explicitHashKey: expected a decimal string from 0 to 2^128-1, got ${describe(hashKey)}`)
    if (!EXPLICIT_HASH_KEY.test(hashKey)) list = withViolation(list, `Value '${hashKey}' at '${at}explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})`)
  }
  return list
}

function withViolation(list: string[] | undefined, text: string): string[] {
  if (list === undefined) return [text]
  list.push(text)
  return list
}

/** A shard: an append-only list of records. */
export interface Shard {
  readonly shardId: string
  readonly records: ShardRecord[]
}

/** What stream pollers need from a stream. */
export interface StreamSource {
  readonly kind: 'kinesis' | 'dynamodb'
  readonly arn: string
  readonly shards: readonly Shard[]
  /** Records older than this many ms are trimmed (retention). */
  readonly retentionMs: number
  onRecord(listener: (shard: Shard, record: ShardRecord) => void): () => void
}

const TWO_128 = 1n << 128n
/** Kinesis sequence numbers are 56 decimal digits (AWS's example: `49590338271490256608559692538361571095921575989136588898`). */
const KINESIS_SEQUENCE_BASE = 496n * 10n ** 53n

/** Options of `sim.createStream`. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html */
export interface StreamOptions {
  /** Number of shards, 1–500. Shard i's hash-key range starts at i × ⌊2^128 / shards⌋ (the last ends at 2^128−1), as CreateStream splits it. @default 1 */
  shards?: number
  /** Hours records are kept, 24–8760. @default 24 */
  retentionPeriodHours?: number
}

/**
 * A Kinesis-like data stream in memory: `putRecord` hashes the partition key with MD5 to a 128-bit
 * integer and appends to the shard whose hash-key range holds it; sequence numbers increase.
 */
export class Stream implements StreamSource {
  readonly kind = 'kinesis'
  readonly name: string
  readonly arn: string
  readonly shards: Shard[]
  readonly retentionMs: number
  readonly #host: SinkHost
  readonly #listeners = new Set<(shard: Shard, record: ShardRecord) => void>()
  #sequence = 0n
  readonly #hashStep: bigint
  readonly #lastShard: bigint

  constructor(host: SinkHost, name: string, options: StreamOptions = {}) {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) {
      throw new SimulatorError('InvalidOption', `Invalid stream name ${JSON.stringify(name)}: 1–128 letters, digits, underscores, hyphens or dots`)
    }
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid options for createStream ${name}: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('createStream', options, ['shards', 'retentionPeriodHours'])
    const n = options.shards ?? 1
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new SimulatorError('InvalidOption', `Invalid shards for stream ${name}: expected an integer from 1 to 500, got ${describe(n)}`)
    const hours = options.retentionPeriodHours ?? 24
    if (!Number.isInteger(hours) || hours < 24 || hours > 8760) {
      throw new SimulatorError('InvalidOption', `Invalid retentionPeriodHours for stream ${name}: expected an integer from 24 to 8760, got ${describe(hours)}`)
    }
    this.#host = host
    this.name = name
    this.arn = `arn:aws:kinesis:${host.region}:${host.accountId}:stream/${name}`
    this.retentionMs = hours * 3_600_000
    this.shards = Array.from({ length: n }, (_, i) => ({ shardId: `shardId-${String(i).padStart(12, '0')}`, records: [] }))
    this.#hashStep = TWO_128 / BigInt(n)
    this.#lastShard = BigInt(n - 1)
  }

  /** The shard a partition key (or explicit hash key, a decimal string) maps to. */
  shardFor(partitionKey: string, explicitHashKey?: string): Shard {
    if (explicitHashKey === undefined && typeof partitionKey !== 'string') throw new SimulatorError('InvalidOption', `Invalid partitionKey for stream ${this.name}: expected a string, got ${describe(partitionKey)}`)
    if (explicitHashKey !== undefined && (typeof explicitHashKey !== 'string' || !EXPLICIT_HASH_KEY.test(explicitHashKey))) {
      throw new SimulatorError('InvalidOption', `Invalid explicitHashKey for stream ${this.name}: expected a decimal string from 0 to 2^128-1, got ${describe(explicitHashKey)}`)
    }
    const hash = explicitHashKey !== undefined ? BigInt(explicitHashKey) : BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`)
    if (hash < 0n || hash >= TWO_128) throw new LambdaError('InvalidArgumentException', 400, `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicitHashKey ?? ''}`)
    // Shard i's range starts at i × ⌊2^128 / N⌋; the last one runs on to 2^128 − 1.
    const index = hash / this.#hashStep
    return this.shards[index >= this.#lastShard ? this.shards.length - 1 : Number(index)] as Shard
  }

  /**
   * Append a record. `data` is a string (UTF-8), bytes, or any JSON value (serialised).
   * Checked as PutRecord checks it: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html
   */
  putRecord(input: PutRecordInput): { shardId: string; sequenceNumber: string } {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid putRecord input for stream ${this.name}: expected an object, got ${describe(input)}`)
    rejectUnknownKeys(`putRecord on stream ${this.name}`, input, ['partitionKey', 'data', 'explicitHashKey', 'sequenceNumberForOrdering'])
    const bytes = kinesisDataBytes(input.data, '')
    let violations = kinesisEntryViolations(input, bytes, '', undefined)
    const ordering: unknown = input.sequenceNumberForOrdering
    if (ordering !== undefined) {
      if (typeof ordering !== 'string') throw new SimulatorError('InvalidOption', `Invalid sequenceNumberForOrdering: expected a sequence number string, got ${describe(ordering)}`)
      if (!SEQUENCE_NUMBER.test(ordering)) violations = withViolation(violations, `Value '${ordering}' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})`)
    }
    if (violations !== undefined) throw validationException(violations)
    const shard = this.shardFor(input.partitionKey, input.explicitHashKey)
    if (ordering !== undefined) {
      // The record numbers above the one it is ordered after (ours always increase; this covers a foreign one).
      const after = BigInt(ordering as string) - KINESIS_SEQUENCE_BASE
      if (after > this.#sequence) this.#sequence = after
    }
    const appended = this.#append(shard, input.partitionKey, bytes as Buffer)
    this.#host.observerBoundary()
    return appended
  }

  #append(shard: Shard, partitionKey: string, bytes: Buffer): { shardId: string; sequenceNumber: string } {
    const now = this.#host.now()
    const sequenceNumber = (KINESIS_SEQUENCE_BASE + ++this.#sequence).toString()
    const data = bytes.toString('base64')
    const text = bytes.toString('utf8')
    let filterData: unknown
    try {
      filterData = JSON.parse(text) as unknown
    } catch {
      filterData = undefined
    }
    const kinesis = { kinesisSchemaVersion: '1.0', partitionKey, sequenceNumber, data, approximateArrivalTimestamp: now / 1000 }
    const record = {
      kinesis,
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shard.shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${this.#host.accountId}:role/lambda-role`,
      awsRegion: this.#host.region,
      eventSourceARN: this.arn,
    }
    const r: ShardRecord = {
      sequenceNumber,
      partitionKey,
      arrivalTime: now,
      recordJson: JSON.stringify(record),
      // Filters match the record with its data decoded under a top-level `data` key, AWS's documented
      // form (`{"data": {"order": {"type": ["buy"]}}}`); `kinesis.data` stays the base64 string.
      filterView: { ...record, data: filterData },
      lineage: currentLineage(this.#host.scheduler),
    }
    shard.records.push(r)
    this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: sequenceNumber })
    notifyRecordListeners(this.#host, this.#listeners, shard, r, this.name)
    return { shardId: shard.shardId, sequenceNumber }
  }

  /**
   * Append 1–500 records of at most 5 MiB in all (data and partition keys); every one succeeds in the
   * simulator. Every record is checked before any is appended: a bad one fails the whole request.
   * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
   */
  putRecords(input: { records: Omit<PutRecordInput, 'sequenceNumberForOrdering'>[] }): { failedRecordCount: number; records: { shardId: string; sequenceNumber: string }[] } {
    const records = input?.records
    if (!Array.isArray(records)) throw new SimulatorError('InvalidOption', `Invalid records for stream ${this.name}: expected an array of 1–500 records, got ${describe(records)}`)
    if (records.length < 1 || records.length > 500) {
      const bound = records.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 500'
      throw validationException([`Value at 'records' failed to satisfy constraint: Member must have length ${bound}`])
    }
    const bytes: Buffer[] = []
    let violations: string[] | undefined
    let total = 0
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as PutRecordInput
      if (!isPlainObject(r)) throw new SimulatorError('InvalidOption', `Invalid record ${i + 1} for stream ${this.name}: expected an object, got ${describe(r)}`)
      rejectUnknownKeys(`putRecords record ${i + 1} on stream ${this.name}`, r, ['partitionKey', 'data', 'explicitHashKey'])
      const b = kinesisDataBytes(r.data, `records.${i + 1}.member.`)
      violations = kinesisEntryViolations(r, b, `records.${i + 1}.member.`, violations)
      if (b === undefined) continue
      bytes.push(b)
      if (typeof r.partitionKey === 'string') total += b.length + Buffer.byteLength(r.partitionKey, 'utf8')
    }
    if (violations !== undefined) throw validationException(violations)
    // AWS's text (an InvalidArgumentException, not a validation error), as AWS answered a real PutRecords.
    if (total > 5 * MAX_RECORD_BYTES) throw new LambdaError('InvalidArgumentException', 400, 'Records size exceeds 5 MB limit')
    const shards = records.map((r) => this.shardFor(r.partitionKey, r.explicitHashKey))
    const appended = records.map((r, i) => this.#append(shards[i] as Shard, r.partitionKey, bytes[i] as Buffer))
    this.#host.observerBoundary()
    return { failedRecordCount: 0, records: appended }
  }

  onRecord(listener: (shard: Shard, record: ShardRecord) => void): () => void {
    // Checked now, as queue.onChange and bus.onEvent check theirs: a non-function would fail every later append.
    if (typeof listener !== 'function') throw new SimulatorError('InvalidOption', `Invalid onRecord listener for stream ${this.name}: expected a function, got ${describe(listener)}`)
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** `StreamViewType` of a DynamoDB stream. */
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES'

/** Options of `sim.createTableStream`. */
export interface TableStreamOptions {
  /** What each record carries. @default 'NEW_AND_OLD_IMAGES' */
  streamViewType?: StreamViewType
  /** Names of the key attributes (partition key, then optional sort key). @default ['id'] */
  keySchema?: string[]
}

/** A DynamoDB attribute value (`{"S":"x"}`, `{"N":"1"}`, …). */
export type AttributeValue = Record<string, unknown>

/**
 * Plain JavaScript value → DynamoDB JSON, the way the document client marshals it. Values DynamoDB
 * cannot store are refused (as `@aws-sdk/util-dynamodb`'s marshall refuses them): NaN and ±Infinity,
 * empty sets, sets mixing types, functions and symbols.
 */
export function marshall(value: unknown): AttributeValue {
  return marshallAt(value, '')
}

function ddbRefusal(value: unknown, path: string, why: string): SimulatorError {
  return new SimulatorError('InvalidOption', `Cannot store ${value} in a DynamoDB item${path === '' ? '' : ` (attribute ${JSON.stringify(path)})`}${why}`)
}

function marshallAt(value: unknown, path: string): AttributeValue {
  if (value === null || value === undefined) return { NULL: true }
  if (typeof value === 'string') return { S: value }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw ddbRefusal(String(value), path, ': special numeric values are not allowed')
    return { N: String(value) }
  }
  if (typeof value === 'bigint') return { N: String(value) }
  if (typeof value === 'boolean') return { BOOL: value }
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') }
  if (value instanceof Set) {
    const items = [...(value as Set<unknown>)]
    if (items.length === 0) throw ddbRefusal('an empty set', path, ': sets must not be empty')
    if (items.every((x) => typeof x === 'string')) return { SS: items }
    if (items.every((x) => typeof x === 'number' || typeof x === 'bigint')) {
      for (const x of items) if (!Number.isFinite(Number(x))) throw ddbRefusal(String(x), path, ': special numeric values are not allowed')
      return { NS: items.map(String) }
    }
    if (items.every((x) => x instanceof Uint8Array)) return { BS: items.map((x) => Buffer.from(x as Uint8Array).toString('base64')) }
    throw ddbRefusal('a set of mixed types', path, ': only string, number or binary sets are allowed')
  }
  if (Array.isArray(value)) return { L: value.map((x, i) => marshallAt(x, `${path}[${i}]`)) }
  if (typeof value === 'object') return { M: marshallItemAt(value as Record<string, unknown>, path) }
  throw ddbRefusal(describe(value), path, '')
}

/**
 * The DynamoDB size of an item (attribute names and values), by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html.
 * A stream record's `SizeBytes` is this size of its `Keys` plus that of each image it carries, which
 * matches AWS's recorded values (LocalStack's AWS-validated DynamoDB stream snapshots).
 */
function ddbItemBytes(item: Record<string, AttributeValue>): number {
  let total = 0
  for (const name in item) total += Buffer.byteLength(name, 'utf8') + ddbValueBytes(item[name] as AttributeValue)
  return total
}

function ddbNumberBytes(n: string): number {
  // "1 byte per two significant digits + 1 byte"; leading and trailing zeros are trimmed. **Choice**: rounded up, sign free.
  const digits = (n.split(/[eE]/)[0] ?? '').replace(/[^0-9]/g, '').replace(/^0+/, '').replace(/0+$/, '')
  return Math.ceil(digits.length / 2) + 1
}

function ddbValueBytes(v: AttributeValue): number {
  if ('S' in v) return Buffer.byteLength(v['S'] as string, 'utf8')
  if ('N' in v) return ddbNumberBytes(v['N'] as string)
  if ('B' in v) return Buffer.from(v['B'] as string, 'base64').length
  if ('BOOL' in v || 'NULL' in v) return 1
  if ('SS' in v) return (v['SS'] as string[]).reduce((t, x) => t + Buffer.byteLength(x, 'utf8'), 0)
  if ('NS' in v) return (v['NS'] as string[]).reduce((t, x) => t + ddbNumberBytes(x), 0)
  if ('BS' in v) return (v['BS'] as string[]).reduce((t, x) => t + Buffer.from(x, 'base64').length, 0)
  // A list or map: 3 bytes, plus 1 byte and the size of each element.
  if ('L' in v) return (v['L'] as AttributeValue[]).reduce((t, x) => t + 1 + ddbValueBytes(x), 3)
  const m = v['M'] as Record<string, AttributeValue>
  let total = 3
  for (const name in m) total += 1 + Buffer.byteLength(name, 'utf8') + ddbValueBytes(m[name] as AttributeValue)
  return total
}

/** Whether two items hold the same attributes and values (maps and sets compare without order, lists in order). */
function sameDdbItem(a: Record<string, AttributeValue>, b: Record<string, AttributeValue>): boolean {
  const names = Object.keys(a)
  if (names.length !== Object.keys(b).length) return false
  for (const name of names) {
    const other = b[name]
    if (other === undefined || !sameDdbValue(a[name] as AttributeValue, other)) return false
  }
  return true
}

function sameDdbValue(a: AttributeValue, b: AttributeValue): boolean {
  const type = Object.keys(a)[0] as string
  if (!(type in b)) return false
  const x = a[type]
  const y = b[type]
  if (type === 'M') return sameDdbItem(x as Record<string, AttributeValue>, y as Record<string, AttributeValue>)
  if (type === 'L') {
    const l = x as AttributeValue[]
    const r = y as AttributeValue[]
    return l.length === r.length && l.every((v, i) => sameDdbValue(v, r[i] as AttributeValue))
  }
  if (type === 'SS' || type === 'NS' || type === 'BS') {
    const l = new Set(x as string[])
    const r = y as string[]
    return l.size === new Set(r).size && r.every((v) => l.has(v))
  }
  return x === y
}

/** A plain item → a map of attribute values. */
export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  return marshallItemAt(item, '')
}

function marshallItemAt(item: Record<string, unknown>, path: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(item)) if (v !== undefined) out[k] = marshallAt(v, path === '' ? k : `${path}.${k}`)
  return out
}

/** DynamoDB's maximum item size, 400 KB: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
const MAX_ITEM_BYTES = 409_600

/** A DynamoDB `ValidationException` (400) with DynamoDB's own text (no Lambda-style "N validation errors" prefix). */
function dynamodbValidation(message: string): LambdaError {
  return new LambdaError('ValidationException', 400, message)
}

/** `value` if it is an object with attributes (not null, not a list), else a SimulatorError naming the call and member. */
function tableArgument(value: unknown, table: string, call: string, member: string): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new SimulatorError('InvalidOption', `Invalid ${member} for ${call} on table ${table}: expected an object of attributes, got ${describe(value)}`)
  }
  return value as Record<string, unknown>
}

/**
 * A DynamoDB table with a stream, in memory: `putItem` / `updateItem` / `deleteItem` change the table
 * and append INSERT / MODIFY / REMOVE records (`eventVersion` "1.1", as observed on AWS) to its one
 * shard. `recordChange` appends a record without a table. Items are plain objects, marshalled to
 * DynamoDB JSON in the records.
 */
export class TableStream implements StreamSource {
  readonly kind = 'dynamodb'
  readonly tableName: string
  readonly arn: string
  readonly tableArn: string
  readonly streamViewType: StreamViewType
  readonly keySchema: readonly string[]
  readonly shards: Shard[]
  readonly retentionMs = 86_400_000
  /** Current items by key. */
  readonly items = new Map<string, Record<string, unknown>>()
  readonly #host: SinkHost
  readonly #listeners = new Set<(shard: Shard, record: ShardRecord) => void>()
  #sequence = 0n

  constructor(host: SinkHost, tableName: string, options: TableStreamOptions = {}) {
    if (typeof tableName !== 'string' || !/^[a-zA-Z0-9_.-]{3,255}$/.test(tableName)) {
      throw new SimulatorError('InvalidOption', `Invalid table name ${JSON.stringify(tableName)}: 3–255 letters, digits, underscores, hyphens or dots`)
    }
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid options for createTableStream ${tableName}: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('createTableStream', options, ['streamViewType', 'keySchema'])
    const view = options.streamViewType ?? 'NEW_AND_OLD_IMAGES'
    if (!['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'].includes(view)) {
      throw new SimulatorError('InvalidOption', `Invalid streamViewType for table ${tableName}: expected KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES, got ${describe(view)}`)
    }
    const keys = options.keySchema ?? ['id']
    if (!Array.isArray(keys) || keys.length < 1 || keys.length > 2 || keys.some((k) => typeof k !== 'string' || k === '') || keys[0] === keys[1]) {
      throw new SimulatorError('InvalidOption', `Invalid keySchema for table ${tableName}: expected one or two different attribute names, got ${describe(keys)}`)
    }
    this.#host = host
    this.tableName = tableName
    this.streamViewType = view
    this.keySchema = [...keys]
    this.tableArn = `arn:aws:dynamodb:${host.region}:${host.accountId}:table/${tableName}`
    const label = host.iso(host.now()).slice(0, 23)
    this.arn = `${this.tableArn}/stream/${label}`
    const shardTime = String(host.now()).padStart(20, '0')
    this.shards = [{ shardId: `shardId-${shardTime}-${host.uuid().slice(0, 8)}`, records: [] }]
  }

  /**
   * The key of an item, checked as DynamoDB checks key attributes (its texts, as DynamoDB answers
   * PutItem, UpdateItem and DeleteItem): not an empty string or empty binary, a partition key of at
   * most 2,048 bytes and a sort key of at most 1,024.
   */
  #keyOf(item: Record<string, unknown>, given: 'item' | 'key'): { key: string; keys: Record<string, unknown> } {
    // A `Key` (UpdateItem, DeleteItem) holds exactly the key attributes; an `Item` (PutItem) holds them all.
    if (given === 'key' && (Object.keys(item).filter((name) => item[name] !== undefined).length !== this.keySchema.length || this.keySchema.some((k) => item[k] === undefined))) {
      throw dynamodbValidation('The provided key element does not match the schema')
    }
    const keys: Record<string, unknown> = {}
    this.keySchema.forEach((k, i) => {
      if (item[k] === undefined) throw dynamodbValidation(`One or more parameter values were invalid: Missing the key ${k} in the item`)
      const value = marshallAt(item[k], k)
      if (value['S'] === '' || value['B'] === '') {
        throw dynamodbValidation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${value['S'] === '' ? 'string' : 'binary'} value. Key: ${k}`)
      }
      const size = ddbValueBytes(value)
      if (i === 0 && size > 2048) throw dynamodbValidation('One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes')
      if (i === 1 && size > 1024) throw dynamodbValidation('One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes')
      keys[k] = item[k]
    })
    return { key: JSON.stringify(this.keySchema.map((k) => keys[k])), keys }
  }

  /** Write an item: INSERT when new, MODIFY when it replaces a different item, no record when unchanged. */
  putItem(item: Record<string, unknown>): void {
    tableArgument(item, this.tableName, 'putItem', 'item')
    this.#write(item, 'Item size has exceeded the maximum allowed size')
  }

  /** `tooBig`: DynamoDB's text for an item over 400 KB (PutItem and UpdateItem word it differently). */
  #write(item: Record<string, unknown>, tooBig: string): void {
    const { key, keys } = this.#keyOf(item, 'item')
    const image = marshallItem(item) // refuses what DynamoDB cannot store, before anything changes
    // "The maximum item size in DynamoDB is 400 KB, which includes both attribute name binary length (UTF-8 length) and attribute value lengths."
    if (ddbItemBytes(image) > MAX_ITEM_BYTES) throw dynamodbValidation(tooBig)
    const old = this.items.get(key)
    this.items.set(key, { ...item })
    if (old !== undefined && sameDdbItem(marshallItem(old), image)) return
    this.recordChange({ eventName: old === undefined ? 'INSERT' : 'MODIFY', keys, newImage: item, ...(old === undefined ? {} : { oldImage: old }) })
  }

  /** Merge `changes` into the item with `key` (created when missing). `changes` may not hold a key attribute. */
  updateItem(key: Record<string, unknown>, changes: Record<string, unknown>): void {
    tableArgument(key, this.tableName, 'updateItem', 'key')
    tableArgument(changes, this.tableName, 'updateItem', 'changes')
    const k = this.#keyOf(key, 'key')
    // DynamoDB's answer to an UpdateItem that sets a key attribute, whatever the value (it was silently ignored).
    for (const name of this.keySchema) {
      if (changes[name] !== undefined) throw dynamodbValidation(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`)
    }
    const old = this.items.get(k.key)
    this.#write({ ...(old ?? {}), ...changes, ...k.keys }, 'Item size to update has exceeded the maximum allowed size')
  }

  /** Delete the item with `key`: a REMOVE record when it existed. */
  deleteItem(key: Record<string, unknown>): void {
    tableArgument(key, this.tableName, 'deleteItem', 'key')
    const k = this.#keyOf(key, 'key')
    const old = this.items.get(k.key)
    if (old === undefined) return
    this.items.delete(k.key)
    this.recordChange({ eventName: 'REMOVE', keys: k.keys, oldImage: old })
  }

  /** Append a stream record directly (no table state). Images are plain objects. */
  recordChange(input: { eventName: 'INSERT' | 'MODIFY' | 'REMOVE'; keys: Record<string, unknown>; newImage?: Record<string, unknown>; oldImage?: Record<string, unknown> }): { sequenceNumber: string } {
    if (!['INSERT', 'MODIFY', 'REMOVE'].includes(input?.eventName)) {
      throw new SimulatorError('InvalidOption', `Invalid eventName for table ${this.tableName}: expected INSERT, MODIFY or REMOVE, got ${describe(input?.eventName)}`)
    }
    tableArgument(input.keys, this.tableName, 'recordChange', 'keys')
    if (input.newImage !== undefined) tableArgument(input.newImage, this.tableName, 'recordChange', 'newImage')
    if (input.oldImage !== undefined) tableArgument(input.oldImage, this.tableName, 'recordChange', 'oldImage')
    const host = this.#host
    const now = host.now()
    const shard = this.shards[0] as Shard
    const view = this.streamViewType
    const dynamodb: Record<string, unknown> = { ApproximateCreationDateTime: Math.floor(now / 1000), Keys: marshallItem(input.keys) }
    if (input.newImage !== undefined && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb['NewImage'] = marshallItem(input.newImage)
    if (input.oldImage !== undefined && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb['OldImage'] = marshallItem(input.oldImage)
    // Numbered once the images are known to be storable (a refused one leaves the stream as it was).
    const sequenceNumber = (100_000_000_000_000_000_000n + ++this.#sequence).toString()
    dynamodb['SequenceNumber'] = sequenceNumber
    let size = ddbItemBytes(dynamodb['Keys'] as Record<string, AttributeValue>)
    if (dynamodb['NewImage'] !== undefined) size += ddbItemBytes(dynamodb['NewImage'] as Record<string, AttributeValue>)
    if (dynamodb['OldImage'] !== undefined) size += ddbItemBytes(dynamodb['OldImage'] as Record<string, AttributeValue>)
    dynamodb['SizeBytes'] = size
    dynamodb['StreamViewType'] = view
    const record = {
      eventID: host.uuid().replaceAll('-', ''),
      eventName: input.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: host.region,
      dynamodb,
      eventSourceARN: this.arn,
    }
    const r: ShardRecord = {
      sequenceNumber,
      partitionKey: JSON.stringify(input.keys),
      arrivalTime: now,
      recordJson: JSON.stringify(record),
      filterView: record,
      lineage: currentLineage(this.#host.scheduler),
    }
    shard.records.push(r)
    host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: sequenceNumber })
    notifyRecordListeners(host, this.#listeners, shard, r, this.tableName)
    host.observerBoundary()
    return { sequenceNumber }
  }

  onRecord(listener: (shard: Shard, record: ShardRecord) => void): () => void {
    if (typeof listener !== 'function') throw new SimulatorError('InvalidOption', `Invalid onRecord listener for table ${this.tableName}: expected a function, got ${describe(listener)}`)
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** Tell a stream's onRecord listeners; one that throws is reported and does not stop the append or the others (docs/testing.md). */
function notifyRecordListeners(host: SinkHost, listeners: ReadonlySet<(shard: Shard, record: ShardRecord) => void>, shard: Shard, record: ShardRecord, name: string): void {
  for (const l of listeners) {
    try {
      l(shard, record)
    } catch (error) {
      host.observerFailed(error, `onRecord listener of ${name}`)
    }
  }
}
