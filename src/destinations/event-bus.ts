import { LambdaError, SimulatorError } from '../errors.js'
import { isPlainObject } from '../internal/plain-object.js'
import { describe, rejectUnknownKeys, Violations } from '../validation.js'
import { BusRules, type BusRule, type RuleOptions } from '../triggers/bus-rules.js'
import type { Delivery, Destination } from './destination.js'
import { destinationDetailType, eventBridgeEnvelopeJson } from './records.js'
import type { SinkHost } from './sink-host.js'

/** An event as EventBridge stores it (the full envelope). */
export interface BusEvent {
  version: '0'
  id: string
  'detail-type': string
  source: string
  account: string
  time: string
  region: string
  resources: string[]
  detail: unknown
}

/** One PutEvents entry. */
export interface PutEventsEntry {
  source: string
  detailType: string
  detail: unknown
  resources?: string[]
}

/**
 * One entry of PutEvents' answer, in the request's order: `eventId` for an entry put on the bus,
 * `errorCode` and `errorMessage` for one that was not.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
 */
export type PutEventsResultEntry = { eventId: string } | { errorCode: 'InvalidArgument' | 'MalformedDetail' | 'NotAuthorizedForSourceException'; errorMessage: string }

/** PutEvents' answer. */
export interface PutEventsResult {
  /** How many entries failed (were not put). */
  failedEntryCount: number
  /** One per request entry, in order. */
  entries: PutEventsResultEntry[]
  /** The ids of the entries that were put, in order (a lambda-sim convenience). */
  eventIds: string[]
}

/**
 * Why EventBridge refuses one entry (the others are still put), or undefined. Texts from LocalStack's
 * AWS-validated snapshots (test_events.py: test_put_events_without_source, …_without_detail_type,
 * …_without_detail, …_malformed_detail). An empty Source or DetailType counts as missing. A Source in
 * the reserved `aws.` namespace is `NotAuthorizedForSourceException` "Not authorized for the source."
 * (PutEventsResultEntry's ErrorCode list; text as the AWS CLI prints it), checked last (a choice).
 */
function putEventsEntryFailure(e: PutEventsEntry): PutEventsResultEntry | undefined {
  const missing = (field: string) => ({ errorCode: 'InvalidArgument' as const, errorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` })
  if (e.source === undefined || e.source === null || e.source === '') return missing('Source')
  if (e.detailType === undefined || e.detailType === null || e.detailType === '') return missing('DetailType')
  if (e.detail === undefined) return missing('Detail')
  // Detail is JSON text on the wire: judge what the value serialises to (a Date or a toJSON() can turn an object into a string or an array).
  if (typeof e.detail !== 'object' || e.detail === null || !JSON.stringify(e.detail)?.startsWith('{')) return { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' }
  // `aws.` is reserved for events AWS services emit: PutEvents refuses the entry (recorded CLI answers).
  if (e.source.startsWith('aws.')) return { errorCode: 'NotAuthorizedForSourceException', errorMessage: 'Not authorized for the source.' }
  return undefined
}

const ENTRY_KEYS = ['source', 'detailType', 'detail', 'resources'] as const

/**
 * The types of one entry, checked before anything is put: what the AWS SDK could not even send
 * (an entry that is not an object, a member of the wrong type, a `detail` JSON.stringify cannot
 * serialise) or that lambda-sim does not model (`time`, `eventBusName`, …) is a SimulatorError naming
 * `entries[i]`. What PutEvents itself refuses per entry (missing members, a malformed detail) is
 * left to {@link putEventsEntryFailure}.
 */
function checkEntryShape(e: unknown, i: number): void {
  const path = `entries[${i}]`
  if (!isPlainObject(e)) {
    throw new SimulatorError('InvalidOption', `Invalid putEvents ${path}: expected { source, detailType, detail, resources? }, got ${describe(e)}`)
  }
  rejectUnknownKeys(`putEvents ${path}`, e, ENTRY_KEYS)
  const entry = e as Record<string, unknown>
  for (const k of ['source', 'detailType'] as const) {
    const v = entry[k]
    if (v !== undefined && v !== null && typeof v !== 'string') throw new SimulatorError('InvalidOption', `Invalid putEvents ${path}.${k}: expected a string, got ${describe(v)}`)
  }
  const resources = entry['resources']
  if (resources !== undefined && (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string'))) {
    throw new SimulatorError('InvalidOption', `Invalid putEvents ${path}.resources: expected an array of strings (ARNs), got ${describe(resources)}`)
  }
  try {
    JSON.stringify(entry['detail'])
  } catch (error) {
    throw new SimulatorError('InvalidOption', `Invalid putEvents ${path}.detail: expected a JSON value, got ${describe(entry['detail'])} (${error instanceof Error ? error.message : String(error)})`)
  }
}

/** PutEvents: at most 10 entries per request. */
export const MAX_PUT_EVENTS_ENTRIES = 10
/** PutEvents: the entries of one request total at most 1 MB (256 KB before January 2026). */
export const MAX_PUT_EVENTS_BYTES = 1_048_576

/**
 * An entry's size as EventBridge counts it: the UTF-8 bytes of Source, DetailType, Detail (here its
 * JSON text) and each Resources entry (Time, 14 bytes, is not an input here).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
function entrySize(e: PutEventsEntry): number {
  return entryBytes(String(e.source ?? ''), String(e.detailType ?? ''), JSON.stringify(e.detail), (e.resources ?? []).map(String))
}

/** What an entry counts toward PutEvents' limit: UTF-8 bytes of its source, detail-type, detail (JSON) and resources. */
function entryBytes(source: string, detailType: string, detailJson: string | undefined, resources: readonly string[]): number {
  let size = Buffer.byteLength(source, 'utf8') + Buffer.byteLength(detailType, 'utf8')
  if (detailJson !== undefined) size += Buffer.byteLength(detailJson, 'utf8')
  for (const r of resources) size += Buffer.byteLength(r, 'utf8')
  return size
}

/** An entry as AWS's validation message prints it (the service's Java `toString`). */
function renderEntry(e: PutEventsEntry, busName: string): string {
  const resources = e.resources === undefined ? 'null' : `[${e.resources.join(', ')}]`
  const detail = JSON.stringify(e.detail) ?? 'null'
  return `PutEventsRequestEntry(time=null, source=${e.source ?? 'null'}, resources=${resources}, detailType=${e.detailType ?? 'null'}, detail=${detail}, eventBusName=${busName === 'default' ? 'null' : busName}, traceHeader=null, kmsKeyIdentifier=null, internalMetadata=null)`
}

/** CreateEventBus `Name`: 1–256 characters of this pattern (the text as AWS prints it in a violation). */
const BUS_NAME_REGEX = /^[/.\-_A-Za-z0-9]+$/
const BUS_NAME_PATTERN = '[/\\.\\-_A-Za-z0-9]+'

/**
 * CreateEventBus's checks of `Name`: the schema (1–256 characters of {@link BUS_NAME_PATTERN}, every
 * violation in one ValidationException), then "Custom event bus names can't contain the / character"
 * (only partner buses, not simulated, may). A name that is not a string is a simulator-level type error.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
 */
function checkBusName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid event bus name ${describe(name)}: expected a string`)
  const v = new Violations()
  v.minLength('name', name, 1)
  v.maxLength('name', name, 256)
  v.pattern('name', name, BUS_NAME_REGEX, BUS_NAME_PATTERN)
  v.throwIfAny()
  // The text moto and AWS-measured emulators give (AWS's own not recorded here).
  if (name.includes('/')) throw new LambdaError('ValidationException', 400, "Event bus name must not contain '/'.")
}

/** An EventBridge-like bus in memory. As a destination it wraps the record in Lambda's envelope. */
export class EventBus implements Destination {
  readonly name: string
  readonly arn: string
  /** Envelopes as JSON strings, in arrival order. */
  readonly entries: string[] = []
  readonly #host: SinkHost
  readonly #listeners: ((event: BusEvent, json: string) => void)[] = []

  constructor(host: SinkHost, name: string) {
    checkBusName(name)
    this.#host = host
    this.name = name
    this.arn = `arn:aws:events:${host.region}:${host.accountId}:event-bus/${name}`
  }

  /** Parsed envelopes. */
  get events(): BusEvent[] {
    return this.entries.map((e) => JSON.parse(e) as BusEvent)
  }

  #rules: BusRules | undefined

  // ---- rules (issue 9) ----

  /**
   * PutRule + PutTargets: events on this bus that match `eventPattern` invoke each target function
   * asynchronously with the event's envelope, and are sent to each target queue as its JSON body.
   * An existing rule of the same name is replaced.
   */
  putRule(options: RuleOptions): BusRule {
    const rules = this.#rules ?? new BusRules(this.#host, this)
    // Validated (and stored) first: a refused call registers nothing, not even the router.
    const rule = rules.put(options)
    if (this.#rules === undefined) {
      this.#rules = rules
      this.onEvent((event, json) => rules.route(event, json))
    }
    return rule
  }

  /** DeleteRule; returns whether the rule existed. */
  deleteRule(name: string): boolean {
    BusRules.checkDeleteName(name)
    return this.#rules?.delete(name) ?? false
  }

  /** The rules of this bus, in creation order. */
  get rules(): BusRule[] {
    return this.#rules?.all ?? []
  }

  /** Called for each event put on the bus (rules hook in here). */
  onEvent(listener: (event: BusEvent, json: string) => void): void {
    // Checked now: a non-function would make a later putEvents throw after putting its first entry.
    if (typeof listener !== 'function') throw new SimulatorError('InvalidOption', `Invalid onEvent listener: expected a function, got ${describe(listener)}`)
    this.#listeners.push(listener)
  }

  /**
   * PutEvents: puts each valid entry on the bus (rules see it at once) and answers per entry, in order:
   * an entry without `source`, `detailType` or `detail` fails with `InvalidArgument`, one whose
   * `detail` is not a JSON object with `MalformedDetail` ("Detail is malformed."); a failed entry is
   * not put, the others are. Refused as a whole, with nothing put, when
   * there are no entries or more than {@link MAX_PUT_EVENTS_ENTRIES} (`ValidationException` in AWS's
   * generic format) or the entries total more than {@link MAX_PUT_EVENTS_BYTES} ("Total size of the
   * entries in the request is over the limit."). https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
   */
  putEvents(entries: PutEventsEntry[]): PutEventsResult {
    if (!Array.isArray(entries)) throw new SimulatorError('InvalidOption', `Invalid putEvents entries: expected an array of 1–${MAX_PUT_EVENTS_ENTRIES} entries, got ${describe(entries)}`)
    // An index loop, not forEach: forEach skips the holes of a sparse array, which are entries too.
    for (let i = 0; i < entries.length; i++) checkEntryShape(entries[i], i)
    if (entries.length === 0 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
      const constraint = entries.length === 0 ? 'greater than or equal to 1' : `less than or equal to ${MAX_PUT_EVENTS_ENTRIES}`
      throw new LambdaError('ValidationException', 400, `1 validation error detected: Value '[${entries.map((e) => renderEntry(e, this.name)).join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length ${constraint}`)
    }
    let total = 0
    for (const e of entries) total += entrySize(e)
    if (total > MAX_PUT_EVENTS_BYTES) throw new LambdaError('ValidationException', 400, 'Total size of the entries in the request is over the limit.')
    const ids: string[] = []
    const results: PutEventsResultEntry[] = []
    for (const e of entries) {
      const failure = putEventsEntryFailure(e)
      if (failure !== undefined) {
        results.push(failure)
        continue
      }
      const host = this.#host
      const id = host.uuid()
      const envelope: BusEvent = {
        version: '0',
        id,
        'detail-type': e.detailType,
        source: e.source,
        account: host.accountId,
        time: `${host.iso(host.now()).slice(0, 19)}Z`,
        region: host.region,
        resources: e.resources ?? [],
        detail: e.detail,
      }
      this.#append(JSON.stringify(envelope), id)
      ids.push(id)
      results.push({ eventId: id })
    }
    this.#host.observerBoundary()
    return { failedEntryCount: entries.length - ids.length, entries: results, eventIds: ids }
  }

  #append(json: string, id: string): void {
    this.entries.push(json)
    this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: id })
    if (this.#listeners.length > 0) {
      const event = JSON.parse(json) as BusEvent
      for (const l of this.#listeners) {
        try {
          l(event, json)
        } catch (error) {
          this.#host.observerFailed(error, `bus.onEvent listener of ${this.name}`)
        }
      }
    }
  }

  deliver(delivery: Delivery): void {
    if (delivery.kind === 'dead-letter') throw new Error(`An event bus (${this.arn}) cannot be a dead-letter queue`)
    const success = delivery.kind === 'on-success'
    // Lambda sends the record with PutEvents, whose entry limit applies as to any other caller: a record
    // over it is a delivery failure (DestinationDeliveryFailures).
    if (entryBytes('lambda', destinationDetailType(success), delivery.body, [this.arn, delivery.functionArn]) > MAX_PUT_EVENTS_BYTES) {
      throw new LambdaError('ValidationException', 400, 'Total size of the entries in the request is over the limit.')
    }
    const host = this.#host
    const id = host.uuid()
    this.#append(
      eventBridgeEnvelopeJson({
        id,
        account: host.accountId,
        region: host.region,
        timeIso: host.iso(delivery.time),
        busArn: this.arn,
        functionArn: delivery.functionArn,
        success,
        recordJson: delivery.body,
      }),
      id,
    )
  }
}
