import { LambdaError, SimulatorError } from '../errors.js'
import { nodeCrypto } from '../internal/node-crypto.js'
import { isPlainObject } from '../internal/plain-object.js'
import { describe, rejectUnknownKeys } from '../validation.js'
import { arnService, type Delivery, type Destination, type MessageAttribute } from './destination.js'
import type { SinkHost } from './sink-host.js'
import { Queue } from './queue.js'
import { checkFilterPolicyScope, compileFilterPolicy } from '../patterns/sns-filter-policy.js'
import type { CompiledFilterPolicy, FilterPolicyScope } from '../patterns/sns-filter-policy.js'

export type { FilterPolicyScope } from '../patterns/sns-filter-policy.js'

/** A message published to a {@link Topic} (frozen: a published message does not change). */
export interface TopicMessage {
  readonly messageId: string
  readonly message: string
  readonly subject: string | undefined
  readonly messageAttributes: Record<string, MessageAttribute>
  readonly timestamp: number
  /** FIFO topics only. */
  readonly messageGroupId?: string | undefined
  /** FIFO topics only. */
  readonly messageDeduplicationId?: string | undefined
  /**
   * FIFO topics only: the sequence number Publish answered, also the `SequenceNumber` of the notification
   * a subscribed queue receives. 20 digits, increasing per topic.
   */
  readonly sequenceNumber?: string | undefined
  /** `'json'` when published with `messageStructure: 'json'`: `message` is then the JSON object of per-protocol messages. */
  readonly messageStructure?: 'json' | undefined
}

/**
 * A subscription: a function (invoked asynchronously with an SNS event) or any destination. Read-only:
 * `arn` and `endpoint` cannot be reassigned; the filter attributes and `rawMessageDelivery` change
 * through `topic.setSubscriptionAttributes`, which updates this object.
 */
export interface Subscription {
  readonly arn: string
  readonly endpoint: string
  /** The filter policy's JSON, as given; absent when the subscription receives every message. */
  readonly filterPolicy?: string
  /** Where the policy looks; absent until set (SNS's default is `MessageAttributes`). */
  readonly filterPolicyScope?: FilterPolicyScope
  /**
   * SNS `RawMessageDelivery` (SQS endpoints): the queue receives the published message itself as the
   * body and its attributes as SQS message attributes. Absent until set (SNS's default is false).
   */
  readonly rawMessageDelivery?: boolean
}

/** A subscription as the topic keeps it (its filter attributes are the topic's to change). */
type StoredSubscription = { -readonly [K in keyof Subscription]: Subscription[K] }

/** Subscription attributes `topic.subscribe` takes (SNS Subscribe `Attributes`). */
export interface SubscribeOptions {
  /** A filter policy, as JSON or as an object: only matching messages are delivered. */
  filterPolicy?: string | Record<string, unknown>
  /** `MessageAttributes` (default) or `MessageBody` (the message must be a JSON object). */
  filterPolicyScope?: FilterPolicyScope
  /**
   * SNS `RawMessageDelivery`, for a queue (an SQS endpoint) only: `true` delivers the published message
   * itself as the SQS body, with the message attributes (at most 10) as SQS message attributes, instead
   * of the JSON notification. Refused for a function, as SNS refuses it for the `lambda` protocol.
   */
  rawMessageDelivery?: boolean
}

/** Options of `sim.createTopic` (SNS CreateTopic `Attributes`). https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html */
export interface TopicOptions {
  /**
   * FIFO topics: a publish without `messageDeduplicationId` is deduplicated by the SHA-256 (hex) of
   * the message body, as SNS's `ContentBasedDeduplication` attribute. @default false
   */
  contentBasedDeduplication?: boolean
}

/** Longest SNS subject, in characters (AWS refuses 101, accepts 100). */
const SNS_SUBJECT_MAX_CHARS = 100

/** SNS FIFO topics' deduplication interval: 5 minutes. */
const SNS_DEDUPLICATION_INTERVAL_MS = 300_000

/** A FIFO topic's first sequence number is this plus 1 (20 digits, as AWS's are: "a large, non-consecutive number", 128 bits at most). */
const SNS_SEQUENCE_BASE = 10_000_000_000_000_000_000n

/** Largest SNS message (256 KB). */
export const SNS_MAX_BYTES = 262_144

/** Where a filter policy object holds something that is not JSON (undefined, NaN, a BigInt, a cycle…), or undefined when it is all JSON. */
function policyValueProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${String(value)}`
  if (typeof value !== 'object') return `${path} is ${describe(value)}`
  if (seen.has(value)) return `${path} is circular`
  const proto: unknown = Object.getPrototypeOf(value)
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return `${path} is ${describe(value)}, not a plain object`
  seen.add(value)
  const entries: [string, unknown][] = Array.isArray(value) ? Array.from(value, (v: unknown, i) => [`[${i}]`, v] as [string, unknown]) : Object.entries(value).map(([k, v]) => [`.${k}`, v])
  for (const [key, v] of entries) {
    const problem = policyValueProblem(v, `${path}${key}`, seen)
    if (problem !== undefined) return problem
  }
  seen.delete(value)
  return undefined
}

/** What `topic.publish` takes (SNS Publish). */
export interface PublishInput {
  message: string
  subject?: string
  messageAttributes?: Record<string, MessageAttribute>
  /** Required on a FIFO topic; on a standard topic checked and not used. 1–128 ASCII letters, digits or punctuation. */
  messageGroupId?: string
  /**
   * FIFO topics only: required unless the topic has `contentBasedDeduplication` (the id is then the
   * SHA-256 of the message unless given); a repeat within 5 minutes is accepted and not delivered.
   */
  messageDeduplicationId?: string
  /**
   * Publish's `MessageStructure`: with `'json'`, `message` is a JSON object of per-protocol messages,
   * `{ "default": "…", "lambda": "…", "sqs": "…" }`: a function subscriber gets its `lambda` entry, a
   * queue its `sqs` entry, each the `default` one (required) when its own is missing.
   * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
   */
  messageStructure?: 'json'
}

/**
 * A MessageStructure json message: a JSON object of per-protocol string messages with a `default` entry,
 * or SNS's InvalidParameter (texts as moto and LocalStack give them). **Choice**: an entry that is not a
 * string is refused as a message that fails to parse.
 */
function parseMessageStructure(message: string): Record<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(message)
  } catch {
    parsed = undefined
  }
  if (!isPlainObject(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Message Structure - JSON message body failed to parse')
  }
  if (!Object.hasOwn(parsed, 'default')) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Message Structure - No default entry in JSON message body')
  return parsed as Record<string, string>
}

/** The message a subscription receives from a MessageStructure json publish: `lambda` for a function, `sqs` for a queue, else `default`. */
function messageForProtocol(perProtocol: Record<string, string>, endpoint: string): string {
  const service = endpoint.startsWith('arn:') ? arnService(endpoint) : 'lambda'
  const own = service === 'lambda' || service === 'sqs' ? perProtocol[service] : undefined
  return own ?? (perProtocol['default'] as string)
}

/** What `topic.publish` answers (SNS Publish's response). */
export interface PublishResult {
  messageId: string
  /** FIFO topics only: the message's sequence number (20 digits, increasing per topic). */
  sequenceNumber?: string
}

/**
 * The notification as an SQS queue (or an HTTP endpoint) receives it, SNS's "HTTP/HTTPS notification
 * JSON format" (https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html): `SigningCertURL`
 * and `UnsubscribeURL` where the Lambda record has `SigningCertUrl` and `UnsubscribeUrl`, no `Subject`
 * when none was published ("this name-value pair does not appear"), and `MessageAttributes` only when
 * the message has some (AWS's example has none and no such member). A FIFO topic's notification
 * (`sequenceNumber` given) has `SequenceNumber` after `MessageId` and no `SignatureVersion`,
 * `Signature` nor `SigningCertURL`, as AWS sends it (LocalStack's AWS-validated snapshots,
 * TestSNSSubscriptionSQSFifo: `Type, MessageId, SequenceNumber, TopicArn, Subject, Message, Timestamp,
 * UnsubscribeURL, MessageAttributes`).
 */
function sqsEnvelope(n: Record<string, unknown>, sequenceNumber: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: n['Type'], MessageId: n['MessageId'] }
  if (sequenceNumber !== undefined) out['SequenceNumber'] = sequenceNumber
  out['TopicArn'] = n['TopicArn']
  if (n['Subject'] !== null) out['Subject'] = n['Subject']
  out['Message'] = n['Message']
  out['Timestamp'] = n['Timestamp']
  if (sequenceNumber === undefined) {
    out['SignatureVersion'] = n['SignatureVersion']
    out['Signature'] = n['Signature']
    out['SigningCertURL'] = n['SigningCertUrl']
  }
  out['UnsubscribeURL'] = n['UnsubscribeUrl']
  const attributes = n['MessageAttributes'] as Record<string, unknown>
  if (Object.keys(attributes).length > 0) out['MessageAttributes'] = attributes
  return out
}

/** Whether a subscription endpoint is a function (a function ARN, or a name: lambda-sim's shorthand for one). */
function isFunctionEndpoint(endpoint: string): boolean {
  return !endpoint.startsWith('arn:') || arnService(endpoint) === 'lambda'
}

/** SQS takes at most 10 message attributes: a raw delivery of a message with more is discarded by SNS. */
const SQS_MAX_MESSAGE_ATTRIBUTES = 10

/** SNS's rule for `MessageGroupId` and `MessageDeduplicationId`: 1–128 ASCII letters, digits or punctuation (SNS Publish). */
function checkSnsFifoId(param: 'MessageGroupId' | 'MessageDeduplicationId', value: unknown): void {
  if (typeof value !== 'string' || !/^[\x21-\x7E]{1,128}$/.test(value)) {
    throw new LambdaError('InvalidParameter', 400, `Invalid parameter: ${param} Reason: ${param} can only include alphanumeric and punctuation characters. 1 to 128 in length. Got ${describe(value)}`)
  }
}

/**
 * SNS's checks of a published message's attributes (SNS Developer Guide, "Amazon SNS message
 * attributes"): a name of 1–256 letters, digits, `_`, `-` and `.`, not starting or ending with `.`
 * nor holding `..`; a type `String`, `Number` or `Binary` with an optional custom label; a non-empty
 * value in the field the type asks for (`binaryValue` for Binary, `stringValue` otherwise); a Number
 * that parses as one. SNS's `InvalidParameterValueException` (wire code `ParameterValueInvalid`).
 */
function checkSnsMessageAttributes(attributes: Record<string, MessageAttribute>): void {
  if (!isPlainObject(attributes)) {
    throw new SimulatorError('InvalidOption', `Invalid messageAttributes: expected an object of { dataType, stringValue | binaryValue }, got ${describe(attributes)}`)
  }
  const invalid = (message: string): LambdaError => new LambdaError('ParameterValueInvalid', 400, message)
  for (const name of Object.keys(attributes)) {
    const a = attributes[name] as MessageAttribute | null | undefined
    if (!isPlainObject(a)) throw new SimulatorError('InvalidOption', `Invalid message attribute '${name}': expected { dataType, stringValue | binaryValue }, got ${describe(a)}`)
    // SNS's MessageAttributeValue members, camel-cased: another (the SDK's `DataType`) used to be ignored and the attribute refused for its type.
    rejectUnknownKeys(`message attribute '${name}'`, a, ['dataType', 'stringValue', 'binaryValue'])
    if (Buffer.byteLength(name, 'utf8') > 256) throw invalid('Length of message attribute name must be less than 256 bytes.')
    if (name.length === 0) throw invalid('The request must contain non-empty message attribute names.')
    if (name.startsWith('.')) throw invalid("Invalid message attribute name starting with character '.' was found.")
    if (name.endsWith('.')) throw invalid("Invalid message attribute name ending with character '.' was found.")
    const bad = [...name].find((c) => !/[A-Za-z0-9_.-]/.test(c))
    if (bad !== undefined) {
      throw invalid(`Invalid non-alphanumeric character '#x${(bad.codePointAt(0) as number).toString(16).toUpperCase()}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`)
    }
    if (name.includes('..')) throw invalid("Message attribute name can not have successive '.' character.")
    const type: unknown = a.dataType
    if (typeof type !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw invalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`)
    }
    const field = type.startsWith('Binary') ? 'Binary' : 'String'
    const value: unknown = field === 'Binary' ? a.binaryValue : a.stringValue
    if (value === undefined) throw invalid(`The message attribute '${name}' with type '${type}' must use field '${field}'.`)
    const empty = field === 'Binary' ? !(value instanceof Uint8Array) || value.byteLength === 0 : typeof value !== 'string' || value.length === 0
    if (empty) throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`)
    if (type.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value as string)) {
      throw invalid(`Could not cast message attribute '${name}' value to number.`)
    }
  }
}

/**
 * A publish's size against SNS's 256 KB limit: the message's UTF-8 bytes plus, per attribute, its
 * name, data type and value ("All parts of the message attribute, including name, type, and value,
 * are included in the message size restriction", https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html).
 */
function publishSize(message: string, attributes: Record<string, MessageAttribute> | undefined): number {
  let size = Buffer.byteLength(message, 'utf8')
  if (attributes !== undefined) {
    for (const [name, a] of Object.entries(attributes)) {
      size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(String(a.dataType), 'utf8')
      if (a.stringValue !== undefined) size += Buffer.byteLength(a.stringValue, 'utf8')
      if (a.binaryValue !== undefined) size += a.binaryValue.byteLength
    }
  }
  return size
}

/**
 * A standard SNS-like topic in memory. Function subscribers are invoked asynchronously with the SNS
 * event shape, so retries, destinations and DLQs apply to them.
 */
export class Topic implements Destination {
  readonly name: string
  readonly arn: string
  readonly fifo: boolean
  /** SNS `ContentBasedDeduplication` (FIFO topics): false unless created with it. */
  readonly contentBasedDeduplication: boolean
  readonly #messages: TopicMessage[] = []
  readonly #subscriptions: StoredSubscription[] = []
  /** A frozen copy of `#subscriptions`, made on the first read after a subscribe. */
  #subscriptionsView: readonly Subscription[] | undefined = undefined
  readonly #destinations = new Map<string, Destination>()
  readonly #policies = new Map<string, CompiledFilterPolicy>()
  /** FIFO: deduplication ids seen in the last 5 minutes, with the message id and sequence number a repeat answers. */
  readonly #dedup = new Map<string, { expiresAt: number; messageId: string; sequenceNumber: string }>()
  /** FIFO: sequence numbers used so far. */
  #sequence = 0n
  readonly #host: SinkHost

  constructor(host: SinkHost, name: string, options?: TopicOptions) {
    // CreateTopic: "between 1 and 256 characters long"; a FIFO topic's name ends with .fifo, inside the 256.
    if (typeof name !== 'string') {
      throw new SimulatorError('InvalidOption', `Invalid topic name ${describe(name)}: expected a string of 1–256 letters, digits, hyphens or underscores (a FIFO topic ends with .fifo, inside the 256)`)
    }
    // SNS's own answer to a name outside the rule (AWS SDK error output; LocalStack's AWS-validated test_create_topic_name_constraints).
    if (name.length > 256 || !/^[a-zA-Z0-9_-]+(\.fifo)?$/.test(name)) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Topic Name')
    if (options !== undefined && !isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid createTopic options: expected an object, got ${describe(options)}`)
    if (options !== undefined) rejectUnknownKeys('createTopic', options, ['contentBasedDeduplication'])
    const cbd: unknown = options?.contentBasedDeduplication
    if (cbd !== undefined && typeof cbd !== 'boolean') throw new SimulatorError('InvalidOption', `Invalid contentBasedDeduplication for topic ${name}: expected true or false, got ${describe(cbd)}`)
    this.#host = host
    this.name = name
    this.fifo = name.endsWith('.fifo')
    // As createQueue's: only a FIFO topic deduplicates (SNS's answer for a standard topic is not recorded).
    if (cbd === true && !this.fifo) throw new SimulatorError('InvalidOption', `Invalid contentBasedDeduplication for topic ${name}: only FIFO topics deduplicate`)
    this.contentBasedDeduplication = cbd === true
    this.arn = `arn:aws:sns:${host.region}:${host.accountId}:${name}`
  }

  /**
   * The messages published, in order. Read-only: the topic's own array (reading costs no copy), typed
   * as a `ReadonlyArray`; each message is frozen.
   */
  get messages(): readonly TopicMessage[] {
    return this.#messages
  }

  /**
   * The subscriptions, in the order they were made. A frozen array (a copy made once per change), so a
   * caller cannot add, remove or reorder subscriptions; a subscription's `arn` and `endpoint` cannot
   * be reassigned.
   */
  get subscriptions(): readonly Subscription[] {
    return (this.#subscriptionsView ??= Object.freeze(this.#subscriptions.slice()))
  }

  /**
   * Subscribe a function (by handle, name or ARN) or a destination such as a queue, optionally with a
   * filter policy (`filterPolicy`, `filterPolicyScope`), validated as SNS does (`InvalidParameter`,
   * nothing subscribed). Subscribing an endpoint that is already subscribed returns its subscription
   * (SNS Subscribe is idempotent); with different filter attributes it is refused, as SNS does. A FIFO
   * topic takes SQS queues (standard or FIFO) only: a function is `InvalidParameter` "Invalid parameter:
   * Invalid protocol type: lambda", and a destination object that is not one of the simulator's queues
   * (whatever ARN it claims) a `SimulatorError`.
   */
  subscribe(target: string | { readonly name: string; readonly arn: string } | Destination, options: SubscribeOptions = {}): Subscription {
    if (typeof target !== 'string' && (!isPlainObject(target) || typeof (target as { arn?: unknown }).arn !== 'string')) {
      throw new SimulatorError('InvalidOption', `Invalid subscription target for topic ${this.name}: expected a function (handle, name or ARN) or a destination with an arn, got ${describe(target)}`)
    }
    const endpoint = typeof target === 'string' ? target : target.arn
    const { policyText, scope, compiled } = this.#filterAttributes(options)
    // A name must name a function (SNS takes only ARNs; a name is lambda-sim's shorthand for its function's).
    const key = endpoint.startsWith('arn:') ? endpoint : this.#host.resolveFunctionArn(endpoint, 'endpoint')
    // "FIFO SQS Queues can not be subscribed to standard SNS topics" (SNS's Subscribe answer).
    if (!this.fifo && key.startsWith('arn:aws:sqs:') && key.endsWith('.fifo')) {
      throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics')
    }
    // "Currently, the endpoint protocol must be Amazon SQS" on a FIFO topic; SNS's Subscribe answer names the protocol.
    if (this.fifo && /^arn:[^:]+:lambda:/.test(key)) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Invalid protocol type: lambda')
    // A FIFO topic delivers to SQS queues only, passing each message's group and deduplication IDs to a
    // FIFO queue: a destination object (whatever ARN it claims) cannot receive them through deliver().
    if (this.fifo && typeof target === 'object' && 'deliver' in target && !(target instanceof Queue)) {
      throw new SimulatorError('InvalidOption', `Invalid subscription target for FIFO topic ${this.name}: a FIFO topic delivers to SQS queues only, with each message's group and deduplication IDs, which a destination object's deliver() cannot receive; subscribe a queue from sim.createQueue (got a destination object with ARN ${endpoint})`)
    }
    const raw = options.rawMessageDelivery
    if (raw !== undefined) this.#checkRawEndpoint(key, 'Invalid parameter: Attributes Reason: ')
    const existing = this.#subscriptions.find((s) => this.#endpointKey(s.endpoint) === key)
    if (existing !== undefined) {
      // An attribute not given matches its default (SNS answers Subscribe again without attributes with the subscription).
      const sameRaw = raw === undefined || raw === (existing.rawMessageDelivery ?? false)
      if (policyText !== existing.filterPolicy || (options.filterPolicyScope !== undefined && scope !== (existing.filterPolicyScope ?? 'MessageAttributes')) || !sameRaw) {
        throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes')
      }
      return existing
    }
    const sub: StoredSubscription = { arn: `${this.arn}:${this.#host.uuid()}`, endpoint }
    // Delivery goes by arn and endpoint: a caller must not redirect it.
    Object.defineProperties(sub, { arn: { writable: false, configurable: false }, endpoint: { writable: false, configurable: false } })
    if (policyText !== undefined) sub.filterPolicy = policyText
    if (options.filterPolicyScope !== undefined || policyText !== undefined) sub.filterPolicyScope = scope
    if (raw !== undefined) sub.rawMessageDelivery = raw
    if (compiled !== undefined) this.#policies.set(sub.arn, compiled)
    if (typeof target === 'object' && 'deliver' in target) this.#destinations.set(sub.arn, target)
    this.#subscriptions.push(sub)
    this.#subscriptionsView = undefined
    return sub
  }

  /** Subscribe's filter attributes, validated (throws before anything changes). */
  #filterAttributes(options: SubscribeOptions): { policyText: string | undefined; scope: FilterPolicyScope; compiled: CompiledFilterPolicy | undefined } {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid subscribe options for topic ${this.name}: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('subscribe', options, ['filterPolicy', 'filterPolicyScope', 'rawMessageDelivery'])
    if (options.rawMessageDelivery !== undefined && typeof options.rawMessageDelivery !== 'boolean') {
      throw new SimulatorError('InvalidOption', `Invalid rawMessageDelivery for topic ${this.name}: expected true or false, got ${describe(options.rawMessageDelivery)}`)
    }
    const scope = options.filterPolicyScope === undefined ? 'MessageAttributes' : checkFilterPolicyScope(options.filterPolicyScope, 'Subscribe')
    const policy = options.filterPolicy
    if (policy === undefined) return { policyText: undefined, scope, compiled: undefined }
    if (typeof policy !== 'string' && !isPlainObject(policy)) {
      throw new SimulatorError('InvalidOption', `Invalid filterPolicy for topic ${this.name}: expected a JSON string or an object, got ${describe(policy)}`)
    }
    if (typeof policy !== 'string') {
      // An object is sent as its JSON: a value JSON cannot hold (or would silently drop or turn into null) is refused.
      const problem = policyValueProblem(policy, 'filterPolicy', new Set())
      if (problem !== undefined) throw new SimulatorError('InvalidOption', `Invalid filterPolicy for topic ${this.name}: ${problem}; a filter policy object must be plain JSON`)
    }
    const policyText = typeof policy === 'string' ? policy : JSON.stringify(policy)
    return { policyText, scope, compiled: compileFilterPolicy(policyText, scope, 'Subscribe') }
  }

  /**
   * SNS's answer to `RawMessageDelivery` on an endpoint that cannot take it: a function is SNS's
   * `InvalidParameter` (`prefix` is Subscribe's `Invalid parameter: Attributes Reason: ` or
   * SetSubscriptionAttributes' `Invalid parameter: `); another destination that is not an SQS queue
   * (SNS has no such protocol) a `SimulatorError`.
   */
  #checkRawEndpoint(endpoint: string, prefix: string): void {
    // AWS refuses the attribute for a protocol without raw delivery whatever its value, "false" included.
    if (isFunctionEndpoint(endpoint)) throw new LambdaError('InvalidParameter', 400, `${prefix}Delivery protocol [lambda] does not support raw message delivery.`)
    if (arnService(endpoint) !== 'sqs') {
      throw new SimulatorError('InvalidOption', `Invalid rawMessageDelivery for topic ${this.name}: raw message delivery applies to Amazon SQS endpoints (and HTTP/S and Firehose, not simulated); ${endpoint} is not an SQS queue`)
    }
  }

  /**
   * SNS SetSubscriptionAttributes: `FilterPolicy` (JSON; `''` removes the policy), `FilterPolicyScope`
   * (`MessageAttributes` | `MessageBody`; the current policy is checked again under the new scope) or
   * `RawMessageDelivery` (`true` | `false`, any case; an SQS endpoint's only). Invalid values are
   * refused with SNS's `InvalidParameter` text and nothing changes; an unknown subscription is
   * `NotFound` "Subscription does not exist". Applies to messages published afterwards.
   */
  setSubscriptionAttributes(subscriptionArn: string, attributeName: 'FilterPolicy' | 'FilterPolicyScope' | 'RawMessageDelivery', attributeValue: string): void {
    const sub = this.#subscriptions.find((s) => s.arn === subscriptionArn)
    if (sub === undefined) throw new LambdaError('NotFound', 404, 'Subscription does not exist')
    if (typeof attributeValue !== 'string') throw new SimulatorError('InvalidOption', `Invalid ${String(attributeName)} value: expected a string, got ${describe(attributeValue)}`)
    const scope = sub.filterPolicyScope ?? 'MessageAttributes'
    if (attributeName === 'FilterPolicy') {
      if (attributeValue === '') {
        delete sub.filterPolicy
        this.#policies.delete(sub.arn)
        return
      }
      const compiled = compileFilterPolicy(attributeValue, scope, 'SetSubscriptionAttributes')
      sub.filterPolicy = attributeValue
      sub.filterPolicyScope = scope
      this.#policies.set(sub.arn, compiled)
    } else if (attributeName === 'FilterPolicyScope') {
      const next = checkFilterPolicyScope(attributeValue, 'SetSubscriptionAttributes')
      const compiled = sub.filterPolicy === undefined ? undefined : compileFilterPolicy(sub.filterPolicy, next, 'SetSubscriptionAttributes')
      sub.filterPolicyScope = next
      if (compiled !== undefined) this.#policies.set(sub.arn, compiled)
    } else if (attributeName === 'RawMessageDelivery') {
      // SNS lower-cases the value ("TrUe" is taken); its texts (LocalStack's AWS-validated test_validate_set_sub_attributes).
      const value = attributeValue.toLowerCase()
      if (value !== 'true' && value !== 'false') throw new LambdaError('InvalidParameter', 400, `Invalid parameter: RawMessageDelivery: Invalid value [${attributeValue}]. Must be true or false.`)
      this.#checkRawEndpoint(this.#endpointKey(sub.endpoint), 'Invalid parameter: ')
      sub.rawMessageDelivery = value === 'true'
    } else {
      throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: AttributeName')
    }
  }

  /** An endpoint as an ARN: a function name (or name:qualifier) as its function's ARN, when it resolves. */
  #endpointKey(endpoint: string): string {
    if (endpoint.startsWith('arn:')) return endpoint
    try {
      return this.#host.resolveFunctionArn(endpoint, 'endpoint')
    } catch {
      return endpoint
    }
  }

  /**
   * SNS Publish: store the message and deliver it to every subscription. Refused with SNS's
   * `InvalidParameter` (nothing stored) for an empty message ("Invalid parameter: Empty message"),
   * more than 262,144 bytes of message and attributes ("Invalid parameter: Message too long"), or a
   * subject that is empty, longer than 100 characters or holds a line break or control character
   * ("Invalid parameter: Subject"). https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
   */
  publish(input: PublishInput): PublishResult {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid publish input for topic ${this.name}: expected { message, subject?, messageAttributes? }, got ${describe(input)}`)
    rejectUnknownKeys('publish', input, ['message', 'subject', 'messageAttributes', 'messageGroupId', 'messageDeduplicationId', 'messageStructure'])
    // "Valid value: json" (Publish's MessageStructure); a Choice: SNS's text for another value is not recorded.
    if (input.messageStructure !== undefined && input.messageStructure !== 'json') throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: MessageStructure')
    if (input.messageAttributes !== undefined) checkSnsMessageAttributes(input.messageAttributes)
    if (this.fifo) {
      // SNS's texts (Publish on a FIFO topic).
      if (input.messageGroupId === undefined) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics')
      checkSnsFifoId('MessageGroupId', input.messageGroupId)
      if (input.messageDeduplicationId === undefined) {
        if (!this.contentBasedDeduplication) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
      } else {
        checkSnsFifoId('MessageDeduplicationId', input.messageDeduplicationId)
      }
    } else {
      if (input.messageDeduplicationId !== undefined) {
        throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type')
      }
      if (input.messageGroupId !== undefined) checkSnsFifoId('MessageGroupId', input.messageGroupId)
    }
    const published = this.#publish(input)
    this.#host.observerBoundary()
    return published
  }

  /** Publish without the checks of the caller's attributes (a dead letter's, where `ErrorMessage` may be empty, are Lambda's). */
  #publish(input: PublishInput): PublishResult {
    if (typeof input.message !== 'string') throw new SimulatorError('InvalidOption', `Invalid message for topic ${this.name}: expected a string`)
    if (input.subject !== undefined) {
      if (typeof input.subject !== 'string') throw new SimulatorError('InvalidOption', `Invalid subject for topic ${this.name}: expected a string, got ${describe(input.subject)}`)
      // "UTF-8 text with no line breaks or control characters, and less than 100 characters long"; AWS accepts exactly 100.
      const chars = [...input.subject].length
      if (chars === 0 || chars > SNS_SUBJECT_MAX_CHARS || /\p{Cc}/u.test(input.subject)) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Subject')
    }
    // AWS's own texts (SNS Publish, InvalidParameter 400).
    if (input.message === '') throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Empty message')
    if (publishSize(input.message, input.messageAttributes) > SNS_MAX_BYTES) throw new LambdaError('InvalidParameter', 400, 'Invalid parameter: Message too long')
    const perProtocol = input.messageStructure === 'json' ? parseMessageStructure(input.message) : undefined
    const host = this.#host
    const now = host.now()
    // Content-based deduplication: "Amazon SNS uses a SHA-256 hash to generate the MessageDeduplicationId using the body of the message".
    const dedupId = this.fifo ? (input.messageDeduplicationId ?? (this.contentBasedDeduplication ? nodeCrypto.createHash('sha256').update(input.message).digest('hex') : undefined)) : undefined
    if (dedupId !== undefined) {
      // A FIFO topic accepts a repeat within the 5-minute deduplication interval and delivers nothing.
      const seen = this.#dedup.get(dedupId)
      // Choice: the first message's sequence number too, as SQS answers a FIFO duplicate.
      if (seen !== undefined && seen.expiresAt > now) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber }
    }
    const msg: { -readonly [K in keyof TopicMessage]: TopicMessage[K] } = { messageId: host.uuid(), message: input.message, subject: input.subject, messageAttributes: input.messageAttributes ?? {}, timestamp: now }
    if (perProtocol !== undefined) msg.messageStructure = 'json'
    if (dedupId !== undefined) {
      msg.messageGroupId = input.messageGroupId
      msg.messageDeduplicationId = dedupId
      msg.sequenceNumber = (SNS_SEQUENCE_BASE + ++this.#sequence).toString()
      this.#dedup.set(dedupId, { expiresAt: now + SNS_DEDUPLICATION_INTERVAL_MS, messageId: msg.messageId, sequenceNumber: msg.sequenceNumber })
    }
    this.#messages.push(Object.freeze(msg))
    host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: msg.messageId })
    for (const sub of this.#subscriptions) {
      // A message the subscription's filter policy rejects is not delivered to it, and SNS records it nowhere.
      const policy = this.#policies.get(sub.arn)
      // With MessageStructure json, each protocol's own message is delivered, and (a Choice) filtered.
      const text = perProtocol === undefined ? msg.message : messageForProtocol(perProtocol, sub.endpoint)
      if (policy !== undefined && !policy.matches(text, msg.messageAttributes)) continue
      // A failing subscriber is SNS's problem to retry, never the publisher's: it must not stop the other subscribers.
      try {
        const dest = this.#destinations.get(sub.arn) ?? this.#queueByArn(sub.endpoint)
        if (dest === undefined) {
          // A function. Key order of AWS's example event (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html).
          host.acceptAsync(sub.endpoint, JSON.stringify({ Records: [{ EventVersion: '1.0', EventSubscriptionArn: sub.arn, EventSource: 'aws:sns', Sns: this.#notification(msg, sub, text) }] }), { kind: 'sns', arn: this.arn })
          continue
        }
        // Raw message delivery: the message itself, its attributes as SQS message attributes (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html).
        const raw = sub.rawMessageDelivery === true
        const attributeCount = raw ? Object.keys(msg.messageAttributes).length : 0
        if (attributeCount > SQS_MAX_MESSAGE_ATTRIBUTES) {
          // "Messages with more than 10 message attributes directed towards Raw Message Delivery enabled Amazon SQS subscriptions will be discarded as client side errors."
          this.#subscriberFailed(sub, `message ${msg.messageId} has ${attributeCount} message attributes; raw message delivery to Amazon SQS sends at most ${SQS_MAX_MESSAGE_ATTRIBUTES}, and SNS discards the message for this subscription as a client-side error`)
          continue
        }
        const body = raw ? text : JSON.stringify(sqsEnvelope(this.#notification(msg, sub, text), msg.sequenceNumber))
        const attributes = attributeCount > 0 ? { ...msg.messageAttributes } : undefined
        if (dest instanceof Queue && dest.fifo && msg.messageGroupId !== undefined) {
          // "The SNS FIFO topic passes the group ID to the subscribed Amazon SQS FIFO queues", and the deduplication ID.
          const send: { body: string; messageGroupId: string; messageDeduplicationId: string; messageAttributes?: Record<string, MessageAttribute> } = { body, messageGroupId: msg.messageGroupId, messageDeduplicationId: msg.messageDeduplicationId as string }
          if (attributes !== undefined) send.messageAttributes = attributes
          dest.sendMessage(send)
        } else {
          const r = dest.deliver({ kind: 'on-success', body, messageAttributes: attributes, record: undefined, requestId: msg.messageId, functionArn: '', time: now })
          if (r !== undefined && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).then(undefined, (error: unknown) => this.#subscriberFailed(sub, error))
        }
      } catch (error) {
        this.#subscriberFailed(sub, error)
      }
    }
    return msg.sequenceNumber === undefined ? { messageId: msg.messageId } : { messageId: msg.messageId, sequenceNumber: msg.sequenceNumber }
  }

  /**
   * The queue a subscription made with an SQS ARN (a string) delivers to, looked up when a message is
   * published (SNS takes an endpoint that does not exist yet); undefined for any other endpoint.
   */
  #queueByArn(endpoint: string): Destination | undefined {
    if (arnService(endpoint) !== 'sqs') return undefined
    const sink = (this.#host as SinkHost & { destinationFor?(arn: string): Destination | undefined }).destinationFor?.(endpoint)
    if (sink === undefined) throw new Error(`No destination with ARN ${endpoint} exists in this simulator`)
    return sink
  }

  #subscriberFailed(sub: Subscription, error: unknown): void {
    this.#host.notice('subscriber-failed', `SNS topic ${this.arn} could not deliver to subscription ${sub.arn} (${sub.endpoint}): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { subscription: sub.arn, endpoint: sub.endpoint })
  }

  /**
   * The `Sns` object a subscribed function receives: `Subject` null when absent, binary attribute
   * values base64, a placeholder signature, and the regional certificate and unsubscribe URLs.
   */
  #notification(msg: TopicMessage, sub: Subscription, text: string): Record<string, unknown> {
    const attrs: Record<string, { Type: string; Value: string | undefined }> = {}
    for (const [k, a] of Object.entries(msg.messageAttributes)) {
      attrs[k] = { Type: a.dataType, Value: a.dataType === 'Binary' && a.binaryValue !== undefined ? Buffer.from(a.binaryValue).toString('base64') : a.stringValue }
    }
    const endpoint = `https://sns.${this.#host.region}.amazonaws.com`
    return {
      Type: 'Notification',
      MessageId: msg.messageId,
      TopicArn: this.arn,
      Subject: msg.subject ?? null,
      Message: text,
      Timestamp: this.#host.iso(msg.timestamp),
      SignatureVersion: '1',
      Signature: 'EXAMPLE',
      SigningCertUrl: `${endpoint}/SimpleNotificationService-0000000000000000000000000000000000.pem`,
      UnsubscribeUrl: `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`,
      MessageAttributes: attrs,
    }
  }

  deliver(delivery: Delivery): void {
    if (this.fifo) throw new Error(`FIFO topic ${this.arn} is not supported as a destination`)
    const input: { message: string; messageAttributes?: Record<string, MessageAttribute> } = { message: delivery.body }
    if (delivery.messageAttributes !== undefined) input.messageAttributes = delivery.messageAttributes
    this.#publish(input)
  }
}
