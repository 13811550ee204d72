import type { Delivery, DestinationCondition, InvocationRecord, MessageAttribute } from './destination.js'

/** What a record is built from: the serialised event and, if the function ran, its last response. */
export interface RecordInput {
  timestampIso: string
  requestId: string
  functionArn: string
  condition: DestinationCondition
  approximateInvokeCount: number
  requestPayloadJson: string
  response: { executedVersion: string; functionError: string | undefined; payloadJson: string } | undefined
}

/**
 * The invocation record of spec §7.1 as the exact JSON string AWS sends: key order `version,
 * timestamp, requestContext, requestPayload, responseContext, responsePayload`; `functionError` left
 * out on success; no response fields when the function never ran. Built by concatenation from the
 * already-serialised payloads, so a record costs no parse or re-stringify.
 */
export function invocationRecordJson(r: RecordInput, options: { dropPayloads?: boolean } = {}): string {
  let s =
    `{"version":"1.0","timestamp":${JSON.stringify(r.timestampIso)},"requestContext":{"requestId":${JSON.stringify(r.requestId)},` +
    `"functionArn":${JSON.stringify(r.functionArn)},"condition":"${r.condition}","approximateInvokeCount":${r.approximateInvokeCount}}`
  if (options.dropPayloads !== true) s += `,"requestPayload":${r.requestPayloadJson}`
  if (r.response !== undefined) {
    s += `,"responseContext":{"statusCode":200,"executedVersion":${JSON.stringify(r.response.executedVersion)}`
    if (r.response.functionError !== undefined) s += `,"functionError":${JSON.stringify(r.response.functionError)}`
    s += '}'
    if (options.dropPayloads !== true) s += `,"responsePayload":${r.response.payloadJson}`
  }
  return `${s}}`
}

/** The `detail-type` of the event Lambda puts on a bus destination. */
export function destinationDetailType(success: boolean): string {
  return success ? 'Lambda Function Invocation Result - Success' : 'Lambda Function Invocation Result - Failure'
}

/**
 * The EventBridge event Lambda puts on a bus destination: `source` "lambda", the two detail-types
 * (ASCII hyphen, as observed on the wire), `resources` = [bus ARN, function ARN].
 */
export function eventBridgeEnvelopeJson(input: { id: string; account: string; region: string; timeIso: string; busArn: string; functionArn: string; success: boolean; recordJson: string }): string {
  const detailType = destinationDetailType(input.success)
  // EventBridge `time` has second precision.
  const time = `${input.timeIso.slice(0, 19)}Z`
  return (
    `{"version":"0","id":${JSON.stringify(input.id)},"detail-type":"${detailType}","source":"lambda","account":${JSON.stringify(input.account)},` +
    `"time":"${time}","region":${JSON.stringify(input.region)},"resources":[${JSON.stringify(input.busArn)},${JSON.stringify(input.functionArn)}],"detail":${input.recordJson}}`
  )
}

/** The first 1 KB (1024 bytes, cut on a character boundary) of a DLQ error message. */
export function firstKilobyte(text: string): string {
  const buf = Buffer.from(text, 'utf8')
  if (buf.length <= 1024) return text
  let end = 1024
  // Step back over UTF-8 continuation bytes so no character is split.
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--
  return buf.subarray(0, end).toString('utf8')
}

/** DLQ message attributes: `RequestID` (String), `ErrorCode` (Number), `ErrorMessage` (String, first 1 KB). */
export function deadLetterAttributes(requestId: string, errorCode: string, errorMessage: string): Record<string, MessageAttribute> {
  return {
    RequestID: { dataType: 'String', stringValue: requestId },
    ErrorCode: { dataType: 'Number', stringValue: errorCode },
    ErrorMessage: { dataType: 'String', stringValue: firstKilobyte(errorMessage) },
  }
}

/** The invocation record's source: what a {@link RecordDelivery} keeps to build the body when it is read. */
export interface RecordSource {
  readonly requestId: string
  /** Unqualified function ARN and the qualifier as invoked: the record's `functionArn` is both. */
  readonly fnArn: string
  readonly qualifier: string
  readonly eventJson: string
}

/**
 * What an invocation record is built from (spec §7.1): kept instead of the record's JSON, which is
 * built when first read. A {@link RecordDelivery} and a queue's record message both hold these.
 */
export interface RecordFacts {
  readonly source: RecordSource
  /** Virtual epoch ms of the terminal outcome (the record's `timestamp`). */
  readonly time: number
  readonly condition: DestinationCondition
  readonly approximateInvokeCount: number
  /** The last attempt's executed version, or undefined when the function never ran. */
  readonly executedVersion: string | undefined
  /** The last attempt failed (`functionError: "Unhandled"`). */
  readonly failed: boolean
  /** The last attempt's response payload ('' when the function never ran). */
  readonly payloadJson: string
}

/** The record JSON of `f`; `dropPayloads` leaves out both payloads (SNS over 256 KB). */
export function recordJsonOf(f: RecordFacts, dropPayloads: boolean): string {
  const v = f.executedVersion
  const s = f.source
  return invocationRecordJson(
    {
      timestampIso: new Date(f.time).toISOString(),
      requestId: s.requestId,
      functionArn: `${s.fnArn}:${s.qualifier}`,
      condition: f.condition,
      approximateInvokeCount: f.approximateInvokeCount,
      requestPayloadJson: s.eventJson,
      response: v === undefined ? undefined : { executedVersion: v, functionError: f.failed ? 'Unhandled' : undefined, payloadJson: f.payloadJson },
    },
    { dropPayloads },
  )
}

/**
 * One delivery to a sink. A destination record's body is built on first read, from the event (an old
 * object, kept anyway until the event ends) and the few values of the outcome: a large run puts
 * ~100,000 records on a queue and reads a few of them, and a record held as a 400-byte string would
 * be copied by every young-generation collection it survives. The body is the same string whenever it
 * is read (every input is fixed when the delivery is made). A dead-letter delivery carries the event.
 */
export class RecordDelivery implements Delivery, RecordFacts {
  readonly kind: Delivery['kind']
  readonly messageAttributes: Delivery['messageAttributes']
  readonly time: number
  // The record's facts are private fields with getters: a delivery prints and compares as before.
  readonly #source: RecordSource
  readonly #condition: DestinationCondition
  readonly #count: number
  readonly #executedVersion: string | undefined
  readonly #failed: boolean
  readonly #payloadJson: string
  #dropPayloads = false
  #body: string | undefined
  #parsed: InvocationRecord | undefined

  constructor(
    kind: Delivery['kind'],
    source: RecordSource,
    time: number,
    condition: DestinationCondition,
    approximateInvokeCount: number,
    response: { executedVersion: string; ok: boolean; payloadJson: string } | undefined,
    messageAttributes: Delivery['messageAttributes'],
  ) {
    this.kind = kind
    this.#source = source
    this.time = time
    this.#condition = condition
    this.#count = approximateInvokeCount
    this.#executedVersion = response?.executedVersion
    this.#failed = response !== undefined && !response.ok
    this.#payloadJson = response === undefined ? '' : response.payloadJson
    this.messageAttributes = messageAttributes
  }

  get source(): RecordSource {
    return this.#source
  }

  get condition(): DestinationCondition {
    return this.#condition
  }

  get approximateInvokeCount(): number {
    return this.#count
  }

  get executedVersion(): string | undefined {
    return this.#executedVersion
  }

  get failed(): boolean {
    return this.#failed
  }

  get payloadJson(): string {
    return this.#payloadJson
  }

  get requestId(): string {
    return this.source.requestId
  }

  /** Qualified ARN used in records: the qualifier as invoked (`$LATEST` when unqualified). */
  get functionArn(): string {
    return `${this.source.fnArn}:${this.source.qualifier}`
  }

  /** The invocation record JSON (spec §7.1), or for a dead-letter delivery the original event. */
  get body(): string {
    if (this.#body !== undefined) return this.#body
    if (this.kind === 'dead-letter') return (this.#body = this.source.eventJson)
    return (this.#body = recordJsonOf(this, this.#dropPayloads))
  }

  /**
   * An upper bound of the body's UTF-8 size without building it (3 bytes per UTF-16 unit, plus the
   * fixed keys, the ISO time, the ids and ARN, which are ASCII).
   */
  maxBytes(): number {
    if (this.#body !== undefined) return this.#body.length * 3
    const s = this.#source
    if (this.kind === 'dead-letter') return s.eventJson.length * 3
    return 400 + s.requestId.length + s.fnArn.length + s.qualifier.length + (this.#executedVersion?.length ?? 0) + 3 * (s.eventJson.length + this.#payloadJson.length)
  }

  /** Whether the body leaves out the payloads (see dropPayloads). */
  get payloadsDropped(): boolean {
    return this.#dropPayloads
  }

  /** Build the body without the payloads (SNS: "Lambda will drop the payload" over 256 KB). */
  dropPayloads(): void {
    this.#dropPayloads = true
    this.#body = undefined
  }

  get record(): InvocationRecord | undefined {
    if (this.kind === 'dead-letter') return undefined
    return (this.#parsed ??= JSON.parse(this.body) as InvocationRecord)
  }
}
