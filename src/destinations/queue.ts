import { nodeCrypto } from '../internal/node-crypto.js'
import { LambdaError, SimulatorError } from '../errors.js'
import { currentLineage, type Lineage } from '../event-source-mappings/recursion.js'
import { isPlainObject } from '../internal/plain-object.js'
import { describe, rejectUnknownKeys } from '../validation.js'
import type { Delivery, Destination, DestinationCondition, MessageAttribute } from './destination.js'
import type { SinkHost } from './sink-host.js'
import { formatUuid, type SeededRandom } from '../internal/random.js'
import { RecordDelivery, recordJsonOf, type RecordFacts, type RecordSource } from './records.js'

/** What a receive is about to set on a message (see Queue.receive's `fits`). */
export interface ReceivedAs {
  receiveCount: number
  receiptHandle: string
  firstReceiveTimestamp: number
}

/** A message held by a {@link Queue}. */
export interface QueueMessage {
  readonly messageId: string
  readonly body: string
  readonly messageAttributes: Record<string, MessageAttribute>
  readonly md5OfBody: string
  /** MD5 of the message attributes as SQS computes it; undefined when there are none. */
  readonly md5OfMessageAttributes: string | undefined
  /** Virtual epoch ms when it was sent. */
  readonly sentTimestamp: number
  /** How many times it was received. */
  readonly receiveCount: number
  /** Virtual epoch ms from which it is visible to receivers. */
  readonly visibleAt: number
  readonly receiptHandle: string | undefined
  readonly firstReceiveTimestamp: number | undefined
  /** FIFO, or a standard (fair) queue's message sent with one. */
  readonly messageGroupId: string | undefined
  /** FIFO only. */
  readonly messageDeduplicationId: string | undefined
  /** FIFO only: 20-digit, increasing per queue. */
  readonly sequenceNumber: string | undefined
  /** The ARN of the queue whose redrive policy moved it here (SQS's `DeadLetterQueueSourceArn`); undefined for a message sent here. */
  readonly deadLetterQueueSourceArn: string | undefined
  /**
   * Recursive-loop tracking (spec §10): how many times each function has run in the request chain
   * that produced this message (AWS's X-Ray `Lineage`; empty when sent from test code).
   */
  readonly lineage: Lineage
  /** How many invocations that request chain has made, all functions together (`lineage.total`). */
  readonly chainDepth: number
}

/** What a queue shares with its messages: those whose visibility moved, and how many moves there were. */
interface QueueState {
  readonly hidden: Set<StoredMessage>
  epoch: number
}

/** The clock a message's times count from: its simulator's start (see Scheduler.epoch). */
interface MessageClock {
  readonly epoch: number
}

/** Attributes of a message sent without any (shared: nothing writes to a stored message's attributes). */
const NO_ATTRIBUTES: Record<string, MessageAttribute> = Object.freeze({}) as Record<string, MessageAttribute>

/** What few messages have: FIFO fields and the computed strings, once read (one object, made on demand). */
class MessageExtras {
  messageId: string | undefined = undefined
  md5: string | undefined = undefined
  /** null: not computed yet (undefined is a result: no attributes). */
  md5OfAttributes: string | undefined | null = null
  messageGroupId: string | undefined = undefined
  messageDeduplicationId: string | undefined = undefined
  sequenceNumber: string | undefined = undefined
  /** Epoch ms its retention counts from when that is not its send (a FIFO message moved to a dead-letter queue). */
  enqueuedAt: number | undefined = undefined
  /** Receipt handles the queues it was moved from issued (`<id>#1` … `<id>#<handleBase>`): this queue's count on from there. */
  handleBase = 0
  /** The ARN of the queue whose redrive policy moved it here. */
  deadLetterQueueSourceArn: string | undefined = undefined
}

/**
 * A stored message. Its id, body and MD5s are computed on first read: a queue used as a destination
 * in a large run holds ~100,000 records of which a test reads a few, and every object and string held
 * per message is copied by each young-generation collection until it is promoted. The id's four words
 * are drawn from the seeded source when the message is sent (so ids do not depend on what is read, or
 * when). The fields most messages never set live in one {@link MessageExtras}, made on demand.
 */
class StoredMessage implements QueueMessage {
  readonly messageAttributes: Record<string, MessageAttribute>
  receiveCount = 0
  receiptHandle: string | undefined = undefined
  firstReceiveTimestamp: number | undefined = undefined
  readonly lineage: Lineage
  #id0: number
  #id1: number
  #id2: number
  #id3: number
  /** The body, or undefined until a subclass builds it (see buildBody). */
  #body: string | undefined
  readonly #clock: MessageClock
  // Both times as ms since the clock's epoch: small integers, kept in the field itself (an epoch-ms
  // double in a field is a separate boxed number, one more object per message for every scavenge).
  readonly #sent: number
  #visible: number
  /** When its current receive happened (ms since the clock's epoch; 0 until received): ChangeMessageVisibility's 12 hours count from it. */
  #received = 0
  #extras: MessageExtras | undefined = undefined
  /** Its queue's record of visibility moves (see Queue.receive and nextVisibleAt); undefined once deleted. */
  queueState: QueueState | undefined = undefined
  /** Deleted from its queue (entries are removed from the queue's array in batches). */
  deleted = false

  constructor(clock: MessageClock, random: SeededRandom | StoredMessage, body: string | undefined, attributes: Record<string, MessageAttribute>, sentTimestamp: number, visibleAt: number, lineage: Lineage) {
    if (random instanceof StoredMessage) {
      // A redriven message keeps its id (and its computed strings).
      this.#id0 = random.#id0
      this.#id1 = random.#id1
      this.#id2 = random.#id2
      this.#id3 = random.#id3
      const x = random.#extras
      if (x !== undefined) {
        const mine = this.#more()
        mine.messageId = x.messageId
        mine.md5 = x.md5
        mine.md5OfAttributes = x.md5OfAttributes
      }
    } else {
      this.#id0 = random.uint32() | 0
      this.#id1 = random.uint32() | 0
      this.#id2 = random.uint32() | 0
      this.#id3 = random.uint32() | 0
    }
    this.#body = body
    this.messageAttributes = attributes
    this.#clock = clock
    this.#sent = sentTimestamp - clock.epoch
    this.#visible = visibleAt - clock.epoch
    this.lineage = lineage
  }

  get chainDepth(): number {
    return this.lineage.total
  }

  /** Virtual epoch ms when it was sent. */
  get sentTimestamp(): number {
    return this.#clock.epoch + this.#sent
  }

  #more(): MessageExtras {
    return (this.#extras ??= new MessageExtras())
  }

  /** Virtual epoch ms from which it is visible to receivers. */
  get visibleAt(): number {
    return this.#clock.epoch + this.#visible
  }

  set visibleAt(at: number) {
    this.#visible = at - this.#clock.epoch
    const q = this.queueState
    if (q !== undefined) {
      q.hidden.add(this)
      q.epoch++
    }
  }

  /** Virtual epoch ms of its current receive (meaningful once received). */
  get lastReceivedAt(): number {
    return this.#clock.epoch + this.#received
  }

  set lastReceivedAt(at: number) {
    this.#received = at - this.#clock.epoch
  }

  get messageGroupId(): string | undefined {
    return this.#extras?.messageGroupId
  }

  get messageDeduplicationId(): string | undefined {
    return this.#extras?.messageDeduplicationId
  }

  get sequenceNumber(): string | undefined {
    return this.#extras?.sequenceNumber
  }

  get deadLetterQueueSourceArn(): string | undefined {
    return this.#extras?.deadLetterQueueSourceArn
  }

  /**
   * Receipt handles issued to it before it came to this queue (a redriven message keeps its id and
   * its receive count, and the queues it left issued `<id>#1` … `<id>#<handleBase>`): this queue's
   * handles number on from there, so that no handle of another queue is one of this queue's.
   */
  get handleBase(): number {
    return this.#extras?.handleBase ?? 0
  }

  /** The receipt handle of the receive that makes its receive count `receive` (counted across the queues it was moved from). */
  handleFor(receive: number): string {
    return `${this.messageId}#${receive}`
  }

  set sequenceNumber(value: string | undefined) {
    this.#more().sequenceNumber = value
  }

  /** FIFO fields, set once when the message is sent. */
  setFifo(groupId: string | undefined, dedupId: string | undefined): void {
    if (groupId === undefined && dedupId === undefined) return
    const x = this.#more()
    x.messageGroupId = groupId
    x.messageDeduplicationId = dedupId
  }

  get messageId(): string {
    const x = this.#more()
    return (x.messageId ??= formatUuid(this.#id0, this.#id1, this.#id2, this.#id3))
  }

  get body(): string {
    return (this.#body ??= this.buildBody())
  }

  /** The body of a message stored without one (a record message builds its record). */
  protected buildBody(): string {
    throw new Error('a stored message has a body or builds one')
  }

  get md5OfBody(): string {
    const x = this.#more()
    return (x.md5 ??= md5(this.body))
  }

  get md5OfMessageAttributes(): string | undefined {
    const x = this.#more()
    if (x.md5OfAttributes === null) x.md5OfAttributes = md5OfMessageAttributes(this.messageAttributes)
    return x.md5OfAttributes
  }

  /** Epoch ms its retention period counts from: when it was sent, or when it moved to a FIFO dead-letter queue. */
  get enqueuedTimestamp(): number {
    return this.#extras?.enqueuedAt ?? this.sentTimestamp
  }

  /**
   * The same message (id, body, attributes, receive count, first receive) as a dead-letter queue
   * takes it on redrive from `sourceArn`, which it names as its `DeadLetterQueueSourceArn`. A FIFO
   * dead-letter queue restarts its retention (`reenqueue`); a standard one keeps the original.
   */
  redriven(now: number, reenqueue: boolean, sourceArn: string): StoredMessage {
    const m = new StoredMessage(this.#clock, this, this.body, this.messageAttributes, this.sentTimestamp, now, this.lineage)
    m.setFifo(this.messageGroupId, this.messageDeduplicationId)
    // SQS keeps ApproximateReceiveCount (the first receive in the DLQ says maxReceiveCount + 1) and
    // ApproximateFirstReceiveTimestamp; the handles the source queue issued stay the source's.
    m.receiveCount = this.receiveCount
    m.firstReceiveTimestamp = this.firstReceiveTimestamp
    const more = m.#more()
    more.handleBase = this.receiveCount
    more.deadLetterQueueSourceArn = sourceArn
    if (reenqueue) more.enqueuedAt = now
    return m
  }

  /** Own enumerable fields plus the computed ones, so that the message prints and compares as a plain record. */
  toJSON(): Record<string, unknown> {
    return {
      messageId: this.messageId,
      body: this.body,
      messageAttributes: this.messageAttributes,
      md5OfBody: this.md5OfBody,
      md5OfMessageAttributes: this.md5OfMessageAttributes,
      sentTimestamp: this.sentTimestamp,
      receiveCount: this.receiveCount,
      visibleAt: this.visibleAt,
      receiptHandle: this.receiptHandle,
      firstReceiveTimestamp: this.firstReceiveTimestamp,
      messageGroupId: this.messageGroupId,
      messageDeduplicationId: this.messageDeduplicationId,
      sequenceNumber: this.sequenceNumber,
      deadLetterQueueSourceArn: this.deadLetterQueueSourceArn,
      chainDepth: this.chainDepth,
      lineage: this.lineage.toString(),
    }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
    return this.toJSON()
  }
}

/**
 * A destination record stored as a message: one object that keeps the record's facts (not the
 * delivery, which is garbage once delivered, nor the event, which is garbage once ended) and builds
 * the record JSON on first read of the body. Its `time` is the instant it was sent.
 */
class RecordMessage extends StoredMessage implements RecordFacts, RecordSource {
  // The event's four facts (shared strings) are copied: the record is its own source.
  readonly requestId: string
  readonly fnArn: string
  readonly qualifier: string
  readonly eventJson: string
  readonly condition: DestinationCondition
  readonly approximateInvokeCount: number
  readonly executedVersion: string | undefined
  readonly failed: boolean
  readonly payloadJson: string

  constructor(clock: MessageClock, random: SeededRandom, facts: RecordFacts, sentTimestamp: number, visibleAt: number, lineage: Lineage) {
    super(clock, random, undefined, NO_ATTRIBUTES, sentTimestamp, visibleAt, lineage)
    const source = facts.source
    this.requestId = source.requestId
    this.fnArn = source.fnArn
    this.qualifier = source.qualifier
    this.eventJson = source.eventJson
    this.condition = facts.condition
    this.approximateInvokeCount = facts.approximateInvokeCount
    this.executedVersion = facts.executedVersion
    this.failed = facts.failed
    this.payloadJson = facts.payloadJson
  }

  get source(): RecordSource {
    return this
  }

  get time(): number {
    return this.sentTimestamp
  }

  protected override buildBody(): string {
    return recordJsonOf(this, false)
  }
}

/** Largest SQS message, body plus attributes (1 MiB since August 2025). https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html */
export const SQS_MAX_BYTES = 1_048_576

/** Redrive policy of a source queue (SQS `RedrivePolicy`). */
export interface RedrivePolicy {
  /** ARN of the dead-letter queue: a queue of the same type, created in this simulator before this one. */
  deadLetterTargetArn: string
  /** Receives before a message moves to the DLQ, 1–1000. */
  maxReceiveCount: number
}

/** Options of `sim.createQueue`. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html */
export interface QueueOptions {
  /** Seconds, 0–43200. @default 30 */
  visibilityTimeout?: number
  /** A FIFO queue (the name must end in `.fifo`). @default name.endsWith('.fifo') */
  fifo?: boolean
  /** Move a message to `deadLetterTargetArn` once it has been received `maxReceiveCount` times. @default none */
  redrivePolicy?: RedrivePolicy
  /** FIFO: deduplicate by the SHA-256 of the body when no `messageDeduplicationId` is given. @default false */
  contentBasedDeduplication?: boolean
  /** Default delay of new messages, 0–900 seconds. @default 0 */
  delaySeconds?: number
  /** Seconds a message is kept before SQS deletes it, 60–1209600. @default 345600 (4 days) */
  messageRetentionPeriod?: number
  /** Largest message (body plus attributes) the queue takes, in bytes, 1024–1048576. @default 1048576 */
  maximumMessageSize?: number
}

/** One message of `sendMessage` / `sendMessageBatch`. */
export interface SendMessageInput {
  body: string
  messageAttributes?: Record<string, MessageAttribute>
  /** 0–900 seconds; standard queues only (FIFO queues take the queue's delay, and accept only 0, which means it). @default the queue's `delaySeconds` */
  delaySeconds?: number
  /** Required on FIFO queues; on a standard queue kept with the message (fair queues) and ordering nothing. */
  messageGroupId?: string
  /** FIFO: required unless the queue has content-based deduplication. */
  messageDeduplicationId?: string
}

/** Options of `queue.receive` (SQS ReceiveMessage). */
export interface ReceiveOptions {
  /** 1–10. @default 1 */
  maxNumberOfMessages?: number
  /** Seconds the received messages stay hidden, 0–43200. @default the queue's `visibilityTimeout` */
  visibilityTimeout?: number
  /** Testing hook: a message for which it returns false is deleted instead of received (event filtering). */
  accept?: (m: QueueMessage) => boolean
  /** Testing hook: the first message for which it returns false stops the receive (a size limit). */
  fits?: (m: QueueMessage, received: ReceivedAs) => boolean
}

/** The members of {@link SendMessageInput} (an unknown one, such as a misspelt `messageGroupID`, is refused). */
const SEND_MESSAGE_KEYS = ['body', 'messageAttributes', 'delaySeconds', 'messageGroupId', 'messageDeduplicationId'] as const

/** The shape of lambda-sim's receipt handles (`<message id>#<n>`, n counting the message's receives in every queue it was in) and message ids. */
const RECEIPT_HANDLE_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(#[1-9]\d*)?$/

/** What `sendMessage` returns. */
export interface SendMessageResult {
  messageId: string
  md5OfMessageBody: string
  md5OfMessageAttributes?: string
  /** FIFO only. */
  sequenceNumber?: string
}

/** The FIFO deduplication interval: 5 minutes. */
export const DEDUPLICATION_INTERVAL_MS = 300_000

/** The event source mapping's access to a queue's receive and delete without SQS's per-call limits (set by Queue's static block). */
let queueForMapping: {
  receive(queue: Queue, options: ReceiveOptions): QueueMessage[]
  deleteReceived(queue: Queue, handles: ReadonlySet<string>): number
  send(queue: Queue, input: SendMessageInput): SendMessageResult
}

/**
 * A message another service sends (an EventBridge rule's queue target): SQS's checks of `sendMessage`
 * (size, FIFO group and deduplication ids), thrown as SQS's errors, but no observer boundary in the
 * middle of the sending service's own operation. Internal to lambda-sim.
 */
export function sendFromService(queue: Queue, input: SendMessageInput): SendMessageResult {
  return queueForMapping.send(queue, input)
}

/**
 * The event source mapping's receive: `receive` without SQS's per-call limits (batches of up to
 * 10,000 messages, a hiding time the poller computes). Internal to lambda-sim: not a member of a
 * queue, so a test cannot call it with unchecked options.
 */
export function receiveForMapping(queue: Queue, options: ReceiveOptions): QueueMessage[] {
  return queueForMapping.receive(queue, options)
}

/**
 * The event source mapping's delete after a batch: deletes by exact receipt handle (a stale, or on a
 * FIFO queue expired, handle deletes nothing); returns how many were deleted. Internal to lambda-sim.
 */
export function deleteReceivedByMapping(queue: Queue, handles: ReadonlySet<string>): number {
  return queueForMapping.deleteReceived(queue, handles)
}

/** What a queue needs from its host beyond {@link SinkHost}: finding the DLQ by ARN. */
interface QueueHost extends SinkHost {
  destinationFor?(arn: string): Destination | undefined
}

/**
 * An SQS-like queue in memory, standard or FIFO, on the virtual clock: visibility timeouts, delays,
 * `ApproximateReceiveCount`, redrive to a dead-letter queue after `maxReceiveCount` receives, and for
 * FIFO queues ordering per message group (a group with a message in flight is locked), the 5-minute
 * deduplication window and sequence numbers. Visibility is computed lazily from `visibleAt`: nothing
 * is scheduled per message.
 *
 * As an async destination it receives the invocation record (or, as a DLQ, the original event) as
 * the message body. FIFO queues are not valid destinations: delivery fails, as on AWS.
 */
export class Queue implements Destination {
  static {
    // The mapping's own receive and delete reach the private methods through these (not members of a Queue).
    queueForMapping = { receive: (q, options) => q.#receiveUpTo(options), deleteReceived: (q, handles) => q.#deleteReceived(handles), send: (q, input) => q.#send(input, 'lambda') }
  }

  readonly name: string
  readonly arn: string
  readonly url: string
  readonly fifo: boolean
  #visibilityTimeout: number
  readonly delaySeconds: number
  readonly messageRetentionPeriod: number
  /** Bytes, body plus attributes (SQS `MaximumMessageSize`). */
  readonly maximumMessageSize: number
  readonly contentBasedDeduplication: boolean
  readonly redrivePolicy: RedrivePolicy | undefined
  /**
   * The stored messages in the order they were sent, deleted ones included until the next compaction:
   * deleting is marking (O(1) per message), and the array is compacted once deleted entries outnumber
   * live ones, so that a drain of n messages costs O(n), not O(n²). `#head` skips the deleted prefix.
   */
  readonly #items: StoredMessage[] = []
  #head = 0
  #live = 0
  #deleted = 0
  /** Messages whose visibility moved (a superset of the hidden ones; pruned on read), and a count of such moves. */
  readonly #state: QueueState = { hidden: new Set<StoredMessage>(), epoch: 0 }
  /** See receive: items before `#cursor` were all deleted or hidden (until at least `#cursorVisible`) at state epoch `#cursorEpoch`. */
  #cursor = 0
  #cursorVisible = 0
  #cursorSent = 0
  #cursorEpoch = -1
  /** At most the earliest retention start (`enqueuedTimestamp`) among live messages; Infinity when none was pushed since the last exact count. */
  #oldest = Infinity
  /** Current receipt handles (a stale handle is not here). */
  readonly #byHandle = new Map<string, StoredMessage>()
  /**
   * The receipt handles this queue issued to messages no longer in it (deleted, expired, moved to the
   * dead-letter queue): message id → the handle numbers it issued, `<id>#<base + 1>` … `<id>#<top>`.
   * SQS's handles name their queue; lambda-sim's (`<message id>#<n>`) do not, and a message moved to a
   * dead-letter queue keeps its id there, so its numbers go on from the source queue's (see
   * `handleBase`) and each queue keeps what it issued. One entry per message that was received and is
   * gone; messages never received cost nothing.
   */
  readonly #issuedToGone = new Map<string, { base: number; top: number }>()
  #redriven = 0
  readonly #host: QueueHost
  readonly #dedup = new Map<string, { expiresAt: number; messageId: string; sequenceNumber: string | undefined }>()
  #sequence = 0n
  readonly #listeners = new Set<() => void>()

  constructor(host: SinkHost, name: string, options: QueueOptions = {}) {
    // The .fifo suffix counts towards the 80 characters (SQS FIFO quotas, "Queue name").
    if (typeof name !== 'string' || name.length > 80 || !/^[a-zA-Z0-9_-]+(\.fifo)?$/.test(name)) {
      const got = typeof name === 'string' && name.length > 80 ? `, got ${name.length}` : ''
      throw new SimulatorError('InvalidOption', `Invalid queue name ${JSON.stringify(name)}: 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue's .fifo suffix counts)${got}`)
    }
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid options for queue ${name}: expected an object, got ${describe(options)}`)
    for (const key of Object.keys(options)) {
      if (!['visibilityTimeout', 'fifo', 'redrivePolicy', 'contentBasedDeduplication', 'delaySeconds', 'messageRetentionPeriod', 'maximumMessageSize'].includes(key)) {
        throw new SimulatorError('InvalidOption', `Unknown option ${JSON.stringify(key)} for createQueue; allowed: visibilityTimeout, fifo, redrivePolicy, contentBasedDeduplication, delaySeconds, messageRetentionPeriod, maximumMessageSize`)
      }
    }
    const vt = options.visibilityTimeout ?? 30
    if (!Number.isInteger(vt) || vt < 0 || vt > 43200) {
      throw new SimulatorError('InvalidOption', `Invalid visibilityTimeout for queue ${name}: expected an integer from 0 to 43200 (seconds), got ${String(vt)}`)
    }
    const delay = options.delaySeconds ?? 0
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
      throw new SimulatorError('InvalidOption', `Invalid delaySeconds for queue ${name}: expected an integer from 0 to 900 (seconds), got ${describe(delay)}`)
    }
    const retention = options.messageRetentionPeriod ?? 345_600
    if (!Number.isInteger(retention) || retention < 60 || retention > 1_209_600) {
      throw new SimulatorError('InvalidOption', `Invalid messageRetentionPeriod for queue ${name}: expected an integer from 60 to 1209600 (seconds), got ${describe(retention)}`)
    }
    const maxSize = options.maximumMessageSize ?? SQS_MAX_BYTES
    if (!Number.isInteger(maxSize) || maxSize < 1024 || maxSize > SQS_MAX_BYTES) {
      throw new SimulatorError('InvalidOption', `Invalid maximumMessageSize for queue ${name}: expected an integer from 1024 to ${SQS_MAX_BYTES} (bytes), got ${describe(maxSize)}`)
    }
    if (options.fifo !== undefined && typeof options.fifo !== 'boolean') {
      throw new SimulatorError('InvalidOption', `Invalid fifo for queue ${name}: expected true or false, got ${describe(options.fifo)}`)
    }
    const fifo = options.fifo ?? name.endsWith('.fifo')
    if (fifo !== name.endsWith('.fifo')) {
      throw new SimulatorError('InvalidOption', `Invalid queue ${name}: ${fifo ? 'the name of a FIFO queue must end with the .fifo suffix' : 'a standard queue name cannot end with .fifo'}`)
    }
    if (options.contentBasedDeduplication !== undefined && typeof options.contentBasedDeduplication !== 'boolean') {
      throw new SimulatorError('InvalidOption', `Invalid contentBasedDeduplication for queue ${name}: expected true or false, got ${describe(options.contentBasedDeduplication)}`)
    }
    if (options.contentBasedDeduplication === true && !fifo) {
      throw new SimulatorError('InvalidOption', `Invalid contentBasedDeduplication for queue ${name}: only FIFO queues deduplicate`)
    }
    const rp = options.redrivePolicy
    if (rp !== undefined) {
      if (!isPlainObject(rp)) {
        throw new SimulatorError('InvalidOption', `Invalid redrivePolicy for queue ${name}: expected { deadLetterTargetArn, maxReceiveCount }, got ${describe(rp)}`)
      }
      rejectUnknownKeys('redrivePolicy', rp, ['deadLetterTargetArn', 'maxReceiveCount'])
      // SQS's text for a policy missing either member (it quotes the policy as given).
      for (const member of ['deadLetterTargetArn', 'maxReceiveCount'] as const) {
        if (rp[member] === undefined) throw new LambdaError('InvalidParameterValue', 400, `Value ${JSON.stringify(rp)} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: ${member}.`)
      }
      if (typeof rp.deadLetterTargetArn !== 'string') {
        throw new SimulatorError('InvalidOption', `Invalid redrivePolicy.deadLetterTargetArn for queue ${name}: expected a queue ARN, got ${describe(rp.deadLetterTargetArn)}`)
      }
      if (!Number.isInteger(rp.maxReceiveCount) || rp.maxReceiveCount < 1 || rp.maxReceiveCount > 1000) {
        throw new SimulatorError('InvalidOption', `Invalid redrivePolicy.maxReceiveCount for queue ${name}: expected an integer from 1 to 1000, got ${describe(rp.maxReceiveCount)}`)
      }
    }
    this.#host = host
    this.name = name
    this.fifo = fifo
    this.arn = `arn:aws:sqs:${host.region}:${host.accountId}:${name}`
    this.url = `https://sqs.${host.region}.amazonaws.com/${host.accountId}/${name}`
    this.#visibilityTimeout = vt
    this.delaySeconds = delay
    this.messageRetentionPeriod = retention
    this.maximumMessageSize = maxSize
    this.contentBasedDeduplication = options.contentBasedDeduplication ?? false
    this.redrivePolicy = rp === undefined ? undefined : { deadLetterTargetArn: rp.deadLetterTargetArn, maxReceiveCount: rp.maxReceiveCount }
    if (rp !== undefined && rp.deadLetterTargetArn === this.arn) {
      throw new SimulatorError('InvalidOption', `Invalid redrivePolicy for queue ${name}: a queue cannot be its own dead-letter queue`)
    }
    const findDlq = (host as QueueHost).destinationFor
    const dlq = rp === undefined || findDlq === undefined ? undefined : findDlq.call(host, rp.deadLetterTargetArn)
    if (rp !== undefined && findDlq !== undefined && !(dlq instanceof Queue)) {
      // "You must first create the queue before using it as a dead-letter queue" (SQS DG); the text is SQS's.
      const policy = JSON.stringify({ deadLetterTargetArn: rp.deadLetterTargetArn, maxReceiveCount: rp.maxReceiveCount })
      throw new LambdaError('InvalidParameterValue', 400, `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`)
    }
    if (dlq instanceof Queue && dlq.fifo !== fifo) {
      throw new SimulatorError('InvalidOption', `Invalid redrivePolicy for queue ${name}: the dead-letter queue of a ${fifo ? 'FIFO' : 'standard'} queue must also be a ${fifo ? 'FIFO' : 'standard'} queue`)
    }
  }

  /** Messages moved to the dead-letter queue so far (read-only). */
  get redrivenCount(): number {
    return this.#redriven
  }

  /** Seconds a received message stays hidden, 0–43200 (SQS `VisibilityTimeout`). */
  get visibilityTimeout(): number {
    return this.#visibilityTimeout
  }

  /**
   * SetQueueAttributes `VisibilityTimeout`: applies to later receives. A value outside 0–43,200 (or
   * not an integer) is SQS's `InvalidAttributeValue` `Invalid value for the parameter VisibilityTimeout.`
   * and the queue keeps its value.
   */
  set visibilityTimeout(seconds: number) {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) {
      throw new LambdaError('InvalidAttributeValue', 400, `Invalid value for the parameter VisibilityTimeout. (got ${describe(seconds)}; 0 to 43200 seconds)`)
    }
    this.#visibilityTimeout = seconds
  }

  /**
   * Messages not yet deleted, in the order they were sent. This is the queue's own array: deleted
   * entries are removed from it when it is read (deleting is O(1), and draining a long queue stays
   * linear), so read `queue.messages` again after the clock moves rather than keeping the array.
   * Read-only (its type is a `ReadonlyArray`): reading costs no copy, and the queue alone changes it.
   */
  get messages(): readonly QueueMessage[] {
    this.#expire()
    if (this.#deleted > 0) this.#compact()
    return this.#items
  }

  /** Number of messages not yet deleted (nor past the retention period). */
  get size(): number {
    this.#expire()
    return this.#live
  }

  /**
   * Delete the messages past the retention period, as SQS does whether or not anything receives
   * (receive also drops those it meets). One comparison unless the earliest live message may have
   * expired; then one pass, which also makes `#oldest` exact again.
   */
  #expire(): void {
    const expiredBefore = this.#host.now() - this.messageRetentionPeriod * 1000
    if (this.#oldest > expiredBefore) return
    let oldest = Infinity
    const items = this.#items
    for (let i = this.#head; i < items.length; i++) {
      const m = items[i] as StoredMessage
      if (m.deleted) continue
      const t = this.fifo ? m.enqueuedTimestamp : m.sentTimestamp
      if (t <= expiredBefore) this.#remove(m)
      else if (t < oldest) oldest = t
    }
    this.#oldest = oldest
  }

  /** Message bodies, parsed as JSON where they are JSON (convenient in assertions). */
  get bodies(): unknown[] {
    return this.messages.map((m) => {
      try {
        return JSON.parse(m.body) as unknown
      } catch {
        return m.body
      }
    })
  }

  /** Messages visible now (not in flight, not delayed). */
  get visibleCount(): number {
    const now = this.#host.now()
    let n = 0
    for (const m of this.messages) if (m.visibleAt <= now) n++
    return n
  }

  /** Whether any message is visible now (stops at the first: the in-flight prefix is all it reads). */
  hasVisible(): boolean {
    this.#expire()
    const now = this.#host.now()
    const items = this.#items
    // The prefix receive found deleted or hidden needs no second look while it is still valid.
    const start = this.#cursorEpoch === this.#state.epoch && now < this.#cursorVisible && this.#cursor > this.#head ? this.#cursor : this.#head
    for (let i = start; i < items.length; i++) {
      const m = items[i] as StoredMessage
      if (!m.deleted && m.visibleAt <= now) return true
    }
    return false
  }

  /** Messages received and not yet deleted nor visible again (`ApproximateNumberOfMessagesNotVisible`, delayed ones excluded). */
  get inFlightCount(): number {
    const now = this.#host.now()
    let n = 0
    for (const m of this.messages) if (m.visibleAt > now && m.receiveCount > 0) n++
    return n
  }

  /**
   * Send one message. Errors are SQS's: `MissingParameter` for a FIFO message without a group id,
   * `InvalidParameterValue` for a FIFO message without a deduplication id (and no content-based
   * deduplication) or with a per-message delay. A FIFO duplicate within 5 minutes is accepted and
   * not delivered: the result carries the original message's id.
   */
  sendMessage(input: SendMessageInput): SendMessageResult {
    const r = this.#send(input, 'api')
    this.#host.observerBoundary()
    return r
  }

  /**
   * `sendMessage` (`api`), an entry of `sendMessageBatch` (`batch`), or a message Lambda itself sends
   * (`lambda`: a dead letter's attributes, where `ErrorMessage` may be empty, are Lambda's, not checked).
   */
  #send(input: SendMessageInput, mode: 'api' | 'batch' | 'lambda'): SendMessageResult {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid sendMessage input for queue ${this.name}: expected { body: string, … }, got ${describe(input)}`)
    if (mode === 'api') rejectUnknownKeys('sendMessage', input, SEND_MESSAGE_KEYS)
    if (typeof input.body !== 'string') throw new SimulatorError('InvalidOption', `Invalid message body for queue ${this.name}: expected a string, got ${describe(input.body)}`)
    if (input.body.length === 0) throw new LambdaError('MissingParameter', 400, 'The request must contain the parameter MessageBody.')
    if (NOT_SQS_TEXT.test(input.body)) throw invalidCharacter(input.body, 'the message body')
    if (input.messageAttributes !== undefined && mode !== 'lambda') checkMessageAttributes(input.messageAttributes)
    if (messageSize(input.body, input.messageAttributes) > this.maximumMessageSize) {
      // SendMessageBatch words an entry's failure differently (SQS's own texts).
      const how = mode === 'batch' ? 'cannot be validated' : 'are invalid'
      throw new LambdaError('InvalidParameterValue', 400, `One or more parameters ${how}. Reason: Message must be shorter than ${this.maximumMessageSize} bytes.`)
    }
    const now = this.#host.now()
    let groupId: string | undefined
    let dedupId: string | undefined
    if (this.fifo) {
      groupId = input.messageGroupId
      if (groupId === undefined) throw new LambdaError('MissingParameter', 400, 'The request must contain the parameter MessageGroupId.')
      checkFifoId('MessageGroupId', groupId)
      // DelaySeconds 0 is accepted and means the queue's delay (any other value is refused).
      if (input.delaySeconds !== undefined && input.delaySeconds !== 0) {
        throw new LambdaError('InvalidParameterValue', 400, `Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`)
      }
      if (input.messageDeduplicationId !== undefined) checkFifoId('MessageDeduplicationId', input.messageDeduplicationId)
      dedupId = input.messageDeduplicationId ?? (this.contentBasedDeduplication ? nodeCrypto.createHash('sha256').update(input.body).digest('hex') : undefined)
      if (dedupId === undefined) {
        throw new LambdaError('InvalidParameterValue', 400, 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
      }
      const seen = this.#dedup.get(dedupId)
      if (seen !== undefined && seen.expiresAt > now) {
        const r: SendMessageResult = { messageId: seen.messageId, md5OfMessageBody: md5(input.body) }
        if (seen.sequenceNumber !== undefined) r.sequenceNumber = seen.sequenceNumber
        return r
      }
    } else if (input.messageGroupId !== undefined || input.messageDeduplicationId !== undefined) {
      // Standard queues keep MessageGroupId (fair queues: it orders nothing); MessageDeduplicationId is rejected.
      if (input.messageDeduplicationId !== undefined) {
        throw new LambdaError('InvalidParameterValue', 400, 'The request include parameter that is not valid for this queue type')
      }
      if (input.messageGroupId !== undefined) checkFifoId('MessageGroupId', input.messageGroupId)
      groupId = input.messageGroupId
    }
    const delay = this.fifo ? this.delaySeconds : (input.delaySeconds ?? this.delaySeconds)
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${String(delay)} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`)
    }
    const message = new StoredMessage(this.#host.scheduler, this.#host.random, input.body, input.messageAttributes ?? NO_ATTRIBUTES, now, now + delay * 1000, currentLineage(this.#host.scheduler))
    message.setFifo(groupId, dedupId)
    if (this.fifo) message.sequenceNumber = (18_000_000_000_000_000_000n + ++this.#sequence).toString()
    if (dedupId !== undefined) this.#dedup.set(dedupId, { expiresAt: now + DEDUPLICATION_INTERVAL_MS, messageId: message.messageId, sequenceNumber: message.sequenceNumber })
    this.#push(message)
    const r: SendMessageResult = { messageId: message.messageId, md5OfMessageBody: message.md5OfBody }
    if (message.md5OfMessageAttributes !== undefined) r.md5OfMessageAttributes = message.md5OfMessageAttributes
    if (message.sequenceNumber !== undefined) r.sequenceNumber = message.sequenceNumber
    return r
  }

  /**
   * Send up to 10 messages, each with an `id` unique in the batch. Entries that fail come back in
   * `failed` (SQS's `BatchResultErrorEntry`) and do not stop the others.
   */
  sendMessageBatch(entries: (SendMessageInput & { id: string })[]): {
    successful: (SendMessageResult & { id: string })[]
    failed: { id: string; code: string; message: string; senderFault: boolean }[]
  } {
    if (!Array.isArray(entries) || entries.length === 0) throw new LambdaError('EmptyBatchRequest', 400, 'There should be at least one SendMessageBatchRequestEntry in the request.')
    if (entries.length > 10) throw new LambdaError('TooManyEntriesInBatchRequest', 400, `Maximum number of entries per request are 10. You have sent ${entries.length}.`)
    // What fails the whole request is checked before any entry is sent.
    const ids = new Set<string>()
    let total = 0
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as (SendMessageInput & { id: string }) | null
      if (!isPlainObject(e)) throw new SimulatorError('InvalidOption', `Invalid sendMessageBatch entry ${i}: expected { id, body, … }, got ${describe(e)}`)
      if (typeof e.id !== 'string' || !/^[a-zA-Z0-9_-]{1,80}$/.test(e.id)) {
        throw new LambdaError('InvalidBatchEntryId', 400, 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.')
      }
      if (typeof e.body !== 'string') throw new SimulatorError('InvalidOption', `Invalid message body for queue ${this.name}: expected a string, got ${describe(e.body)}`)
      rejectUnknownKeys(`sendMessageBatch entry ${e.id}`, e, ['id', ...SEND_MESSAGE_KEYS])
      const attributes = e.messageAttributes
      if (attributes !== undefined && !isPlainObject(attributes)) {
        throw new SimulatorError('InvalidOption', `Invalid messageAttributes: expected an object of { dataType, stringValue | binaryValue }, got ${describe(attributes)}`)
      }
      if (attributes !== undefined) rejectUnknownAttributeMembers(attributes)
      if (this.fifo) {
        if (e.messageGroupId === undefined) throw new LambdaError('InvalidParameterValue', 400, 'The request must contain the parameter MessageGroupId.')
        if (e.messageDeduplicationId === undefined && !this.contentBasedDeduplication) {
          throw new LambdaError('InvalidParameterValue', 400, 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly')
        }
      }
      if (ids.has(e.id)) throw new LambdaError('BatchEntryIdsNotDistinct', 400, `Id ${e.id} repeated.`)
      ids.add(e.id)
      total += messageSize(e.body, attributes)
    }
    if (total > SQS_MAX_BYTES) throw new LambdaError('BatchRequestTooLong', 400, `Batch requests cannot be longer than ${SQS_MAX_BYTES} bytes. You have sent ${total} bytes.`)
    const successful: (SendMessageResult & { id: string })[] = []
    const failed: { id: string; code: string; message: string; senderFault: boolean }[] = []
    for (const { id, ...input } of entries) {
      try {
        successful.push({ id, ...this.#send(input, 'batch') })
      } catch (error) {
        if (!(error instanceof LambdaError)) throw error
        failed.push({ id, code: error.name, message: error.message, senderFault: true })
      }
    }
    this.#host.observerBoundary()
    return { successful, failed }
  }

  /**
   * Receive up to `maxNumberOfMessages` (1–10, default 1) visible messages, hiding them for
   * `visibilityTimeout` seconds (0–43,200, default the queue's). A message already received
   * `maxReceiveCount` times moves to the dead-letter queue instead. On a FIFO queue, messages come in
   * order per group and a group with a message in flight is skipped. Values out of range are SQS's
   * `InvalidParameterValue`, refused before anything is received.
   */
  receive(options: ReceiveOptions = {}): QueueMessage[] {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid receive options for queue ${this.name}: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('receive', options, ['maxNumberOfMessages', 'visibilityTimeout', 'accept', 'fits'])
    const max = options.maxNumberOfMessages
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10)) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${String(max)} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`)
    }
    const vt = options.visibilityTimeout
    if (vt !== undefined && (typeof vt !== 'number' || !Number.isInteger(vt) || vt < 0 || vt > 43_200)) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${String(vt)} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`)
    }
    for (const hook of ['accept', 'fits'] as const) {
      if (options[hook] !== undefined && typeof options[hook] !== 'function') throw new SimulatorError('InvalidOption', `Invalid receive option ${hook} for queue ${this.name}: expected a function, got ${describe(options[hook])}`)
    }
    const received = this.#receiveUpTo(options)
    this.#host.observerBoundary()
    return received
  }

  /**
   * `receive` without SQS's per-call limits, for the event source mapping's poller (whose batches
   * hold up to 10,000 messages and whose hiding time it computes itself): see {@link receiveForMapping}.
   */
  #receiveUpTo(options: ReceiveOptions): QueueMessage[] {
    const now = this.#host.now()
    const max = options.maxNumberOfMessages ?? 1
    const hide = (options.visibilityTimeout ?? this.visibilityTimeout) * 1000
    const out: QueueMessage[] = []
    const blocked = this.fifo ? new Set<string>() : undefined
    const redrive = this.redrivePolicy
    const expiredBefore = now - this.messageRetentionPeriod * 1000
    if (this.#deleted > 1024 && this.#deleted > this.#live) this.#compact()
    const items = this.#items
    const state = this.#state
    // Skip the prefix a previous receive found all deleted or hidden (a standard queue whose failed
    // messages wait out their visibility timeout at the front would otherwise be read again by every
    // receive): valid while nothing in it can be visible or expired yet, and no visibility was moved
    // since by anything but a receive (which only hides).
    let i = this.#head
    let prefixVisible = Infinity
    let prefixSent = Infinity
    if (blocked === undefined && this.#cursorEpoch === state.epoch && now < this.#cursorVisible && this.#cursorSent > expiredBefore && this.#cursor > i) {
      i = this.#cursor
      prefixVisible = this.#cursorVisible
      prefixSent = this.#cursorSent
    }
    let cursor = i
    let extending = blocked === undefined
    for (; i < items.length && out.length < max; i++) {
      const m = items[i] as StoredMessage
      if (m.deleted) {
        if (i === this.#head) this.#head++
        if (extending) cursor = i + 1
        continue
      }
      if ((blocked === undefined ? m.sentTimestamp : m.enqueuedTimestamp) <= expiredBefore) {
        // Past the retention period: SQS deletes it. (Only FIFO messages can have moved to a DLQ's clock.)
        this.#remove(m)
        if (extending) cursor = i + 1
        continue
      }
      if (blocked !== undefined && blocked.has(m.messageGroupId as string)) continue
      if (m.visibleAt > now) {
        blocked?.add(m.messageGroupId as string)
        if (extending) {
          cursor = i + 1
          if (m.visibleAt < prefixVisible) prefixVisible = m.visibleAt
          if (m.sentTimestamp < prefixSent) prefixSent = m.sentTimestamp
        }
        continue
      }
      if (redrive !== undefined && m.receiveCount >= redrive.maxReceiveCount && this.#redrive(m, redrive)) {
        this.#remove(m)
        if (extending) cursor = i + 1
        continue
      }
      if (options.accept !== undefined && !options.accept(m)) {
        this.#remove(m)
        if (extending) cursor = i + 1
        continue
      }
      // The receiver's size limit: the message stays visible, not received, and so do those after it.
      if (options.fits !== undefined) {
        const count = m.receiveCount + 1
        if (!options.fits(m, { receiveCount: count, receiptHandle: m.handleFor(count), firstReceiveTimestamp: m.firstReceiveTimestamp ?? now })) break
      }
      if (m.receiptHandle !== undefined) this.#byHandle.delete(m.receiptHandle)
      m.receiveCount++
      m.firstReceiveTimestamp ??= now
      m.lastReceivedAt = now
      m.visibleAt = now + hide
      m.receiptHandle = m.handleFor(m.receiveCount)
      this.#byHandle.set(m.receiptHandle, m)
      out.push(m)
      if (extending) {
        if (hide > 0) {
          // Now hidden until now + hide: still part of the prefix.
          cursor = i + 1
          if (now + hide < prefixVisible) prefixVisible = now + hide
          if (m.sentTimestamp < prefixSent) prefixSent = m.sentTimestamp
        } else extending = false
      }
    }
    this.#cursor = cursor
    this.#cursorVisible = prefixVisible
    this.#cursorSent = prefixSent
    this.#cursorEpoch = blocked === undefined ? state.epoch : -1
    return out
  }

  /** Mark `m` deleted (its array entry goes at the next compaction). */
  #remove(m: StoredMessage): void {
    if (m.deleted) return
    m.deleted = true
    m.queueState = undefined
    if (m.receiptHandle !== undefined) {
      this.#byHandle.delete(m.receiptHandle)
      this.#issuedToGone.set(m.messageId, { base: m.handleBase, top: m.receiveCount })
    }
    this.#live--
    this.#deleted++
  }

  /** Drop deleted entries, in place (the array `messages` returns stays the same object). */
  #compact(): void {
    const items = this.#items
    let w = 0
    for (let r = this.#head; r < items.length; r++) {
      const m = items[r] as StoredMessage
      if (!m.deleted) items[w++] = m
    }
    items.length = w
    this.#head = 0
    this.#deleted = 0
    this.#cursorEpoch = -1
  }

  #redrive(m: QueueMessage, policy: RedrivePolicy): boolean {
    const dlq = this.#host.destinationFor?.(policy.deadLetterTargetArn)
    if (!(dlq instanceof Queue)) return false
    dlq.#accept(m, this.arn)
    this.#redriven++
    return true
  }

  /** Take a redriven message as it is (same id, body, attributes; SQS keeps the message id on redrive). */
  #accept(m: QueueMessage, sourceArn: string): void {
    // "For FIFO queues, the enqueue timestamp resets when the message is moved to a dead-letter queue."
    const moved = (m as StoredMessage).redriven(this.#host.now(), this.fifo, sourceArn)
    if (this.fifo) moved.sequenceNumber = (18_000_000_000_000_000_000n + ++this.#sequence).toString()
    if (moved.enqueuedTimestamp < this.#oldest) this.#oldest = moved.enqueuedTimestamp
    this.#push(moved)
  }

  #push(message: StoredMessage): void {
    this.#items.push(message)
    this.#live++
    // New sends are never older than earlier ones, so only the first since an exact count (or a redrive) can lower the bound.
    if (this.#oldest === Infinity) this.#oldest = message.enqueuedTimestamp
    message.queueState = this.#state
    if (message.visibleAt > this.#host.now()) this.#state.hidden.add(message)
    if (this.#host.observed) this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: message.messageId })
    this.#changed()
  }

  /**
   * Delete by receipt handle or message id; returns whether a message was removed. On a FIFO queue a
   * handle whose visibility timeout has passed is refused (`InvalidParameterValue`, "The receipt
   * handle has expired."). A stale handle this queue issued (its message deleted or received again)
   * deletes nothing (`false`), as SQS answers; an empty string is `MissingParameter`, a handle another
   * queue issued `ReceiptHandleIsInvalid` "… is not valid for this queue." and a string that is no
   * handle or message id at all `ReceiptHandleIsInvalid` "… is not a valid receipt handle."
   */
  delete(receiptHandleOrMessageId: string): boolean {
    if (typeof receiptHandleOrMessageId !== 'string') {
      throw new SimulatorError('InvalidOption', `Invalid receipt handle for queue ${this.name}: expected a receipt handle or a message id, got ${describe(receiptHandleOrMessageId)}`)
    }
    if (receiptHandleOrMessageId === '') throw new LambdaError('MissingParameter', 400, 'The request must contain the parameter ReceiptHandle.')
    const byHandle = this.#byHandle.get(receiptHandleOrMessageId)
    if (byHandle !== undefined && !byHandle.deleted && this.#handleExpired(byHandle)) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${receiptHandleOrMessageId} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`)
    }
    const m = byHandle ?? this.#items.find((x) => !x.deleted && x.messageId === receiptHandleOrMessageId)
    if (m === undefined && !RECEIPT_HANDLE_SHAPE.test(receiptHandleOrMessageId)) {
      // A stale handle (or a deleted message's id) deletes nothing, as SQS answers; anything else is not a handle at all.
      throw new LambdaError('ReceiptHandleIsInvalid', 400, `The input receipt handle "${receiptHandleOrMessageId}" is not a valid receipt handle.`)
    }
    if (m === undefined && receiptHandleOrMessageId.includes('#') && !this.#issued(receiptHandleOrMessageId)) throw notThisQueues(receiptHandleOrMessageId)
    if (m === undefined || m.deleted) return false
    this.#remove(m)
    this.#changed()
    this.#host.observerBoundary()
    return true
  }

  /**
   * A FIFO message's receipt handle expires when the message is visible again (SQS then refuses to
   * delete with it); a standard queue's stays usable until the message is received again.
   */
  #handleExpired(m: StoredMessage): boolean {
    return this.fifo && m.visibleAt <= this.#host.now()
  }

  /**
   * Delete several messages by exact receipt handle (a stale or, on a FIFO queue, expired handle
   * deletes nothing, as on SQS): the mapping's delete after a batch, see {@link deleteReceivedByMapping}.
   */
  #deleteReceived(handles: ReadonlySet<string>): number {
    if (handles.size === 0) return 0
    let removed = 0
    for (const h of handles) {
      const m = this.#byHandle.get(h)
      if (m === undefined || m.deleted || this.#handleExpired(m)) continue
      this.#remove(m)
      removed++
    }
    if (removed > 0 && this.fifo) this.#changed()
    return removed
  }

  /**
   * `ChangeMessageVisibility`: the message in flight becomes visible `seconds` (0–43,200) from now, at
   * most 12 hours after its current receive (`InvalidParameterValue` "Total VisibilityTimeout for the
   * message is beyond the limit [43200 seconds]"). On a standard queue any receipt handle the message
   * was given is taken (an earlier one too), and a message that is visible again is left as it is (SQS
   * answers 200 and changes nothing); on a FIFO queue a handle expires when its message is visible again
   * or received again (`InvalidParameterValue` "The receipt handle has expired."). A handle this queue
   * issued to a message that is gone (deleted, expired, moved to the dead-letter queue) is
   * `InvalidParameterValue` "Message does not exist or is not available for visibility timeout
   * change."; one it did not issue (another queue's) `ReceiptHandleIsInvalid` "… is not valid for this
   * queue."; anything else `ReceiptHandleIsInvalid` "… is not a valid receipt handle."
   */
  changeMessageVisibility(receiptHandle: string, seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${String(seconds)} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`)
    }
    const current = this.#byHandle.get(receiptHandle)
    const m = current ?? this.#earlierHandleOf(receiptHandle)
    if (m === undefined || m.deleted) {
      if (typeof receiptHandle !== 'string' || !receiptHandle.includes('#') || !RECEIPT_HANDLE_SHAPE.test(receiptHandle)) {
        throw new LambdaError('ReceiptHandleIsInvalid', 400, `The input receipt handle "${String(receiptHandle)}" is not a valid receipt handle.`)
      }
      if (!this.#issued(receiptHandle)) throw notThisQueues(receiptHandle)
      // A handle this queue issued to a message that is gone (LocalStack's AWS-validated test_change_visibility_on_deleted_message_raises_invalid_parameter_value).
      throw new LambdaError('InvalidParameterValue', 400, `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`)
    }
    const now = this.#host.now()
    const inFlight = m.visibleAt > now
    if (this.fifo && (current === undefined || !inFlight)) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`)
    }
    // A standard message that is visible again: accepted, and nothing changes.
    if (!inFlight) return
    if (now + seconds * 1000 - m.lastReceivedAt > 43_200_000) {
      throw new LambdaError('InvalidParameterValue', 400, `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]`)
    }
    m.visibleAt = now + seconds * 1000
    this.#changed()
    this.#host.observerBoundary()
  }

  /**
   * Whether this queue issued a well-formed receipt handle `<message id>#<n>`: to a message still here
   * whose receives here numbered n (past its `handleBase`), or to one that is gone (see `#issuedToGone`). One scan of the
   * live messages: only for a handle that is not current.
   */
  #issued(handle: string): boolean {
    const hash = handle.lastIndexOf('#')
    const id = handle.slice(0, hash)
    const n = Number(handle.slice(hash + 1))
    const gone = this.#issuedToGone.get(id)
    if (gone !== undefined && gone.base < n && n <= gone.top) return true
    const items = this.#items
    for (let i = this.#head; i < items.length; i++) {
      const m = items[i] as StoredMessage
      if (!m.deleted && m.handleBase < n && n <= m.receiveCount && m.messageId === id) return true
    }
    return false
  }

  /** The live message an earlier receipt handle of this queue (`<message id>#<n>`, n below its current one) was given to, if any. One scan: only for a handle that is not current. */
  #earlierHandleOf(handle: unknown): StoredMessage | undefined {
    if (typeof handle !== 'string') return undefined
    const hash = handle.lastIndexOf('#')
    if (hash < 0 || !RECEIPT_HANDLE_SHAPE.test(handle)) return undefined
    const id = handle.slice(0, hash)
    const n = Number(handle.slice(hash + 1))
    const items = this.#items
    for (let i = this.#head; i < items.length; i++) {
      const m = items[i] as StoredMessage
      if (!m.deleted && m.handleBase < n && n < m.receiveCount && m.messageId === id) return m
    }
    return undefined
  }

  /**
   * The earliest instant after now at which a hidden message becomes visible, or undefined. On a FIFO
   * queue, also the instant SQS deletes a hidden message at the end of the retention period, if that
   * comes first: its group, locked while it is hidden, unlocks then.
   */
  nextVisibleAt(): number | undefined {
    this.#expire()
    const now = this.#host.now()
    const retentionMs = this.messageRetentionPeriod * 1000
    let next: number | undefined
    const hidden = this.#state.hidden
    for (const m of hidden) {
      if (m.deleted || m.visibleAt <= now) {
        // Visible again (or gone): it re-enters the set when its visibility next moves.
        hidden.delete(m)
        continue
      }
      const at = this.fifo ? Math.min(m.visibleAt, m.enqueuedTimestamp + retentionMs) : m.visibleAt
      if (next === undefined || at < next) next = at
    }
    return next
  }

  /** Tell the onChange listeners; one that throws is reported and does not stop the operation or the others (docs/testing.md). */
  #changed(): void {
    for (const l of this.#listeners) {
      try {
        l()
      } catch (error) {
        this.#host.observerFailed(error, `queue.onChange listener of ${this.name}`)
      }
    }
  }

  /** Be told (synchronously, in the sender's context) when messages arrive or get unlocked. Returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    // A listener that is not a function would make every later send store its message, then throw a TypeError.
    if (typeof listener !== 'function') throw new SimulatorError('InvalidOption', `Invalid onChange listener for queue ${this.name}: expected a function, got ${describe(listener)}`)
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  deliver(delivery: Delivery): void {
    if (this.fifo) throw new Error(`FIFO queue ${this.arn} is not supported as a destination`)
    const now = this.#host.now()
    if (delivery instanceof RecordDelivery && delivery.kind !== 'dead-letter' && delivery.messageAttributes === undefined && !delivery.payloadsDropped && delivery.time === now && delivery.maxBytes() <= this.maximumMessageSize) {
      // A destination record delivered as it is made: stored without building its body (see RecordMessage).
      this.#push(new RecordMessage(this.#host.scheduler, this.#host.random, delivery, now, now + this.delaySeconds * 1000, currentLineage(this.#host.scheduler)))
      return
    }
    const input: { body: string; messageAttributes?: Record<string, MessageAttribute> } = { body: delivery.body }
    if (delivery.messageAttributes !== undefined) input.messageAttributes = delivery.messageAttributes
    this.#send(input, 'lambda')
  }

}

/** SQS's answer to a receipt handle another queue issued (`ReceiptHandleIsInvalid`, as AWS words it). */
function notThisQueues(handle: string): LambdaError {
  return new LambdaError('ReceiptHandleIsInvalid', 400, `The receipt handle "${handle}" is not valid for this queue.`)
}

/** MD5 hex (SQS's MD5OfMessageBody). One-shot `crypto.hash` where Node has it (20.12+): several times cheaper per message. */
function md5(s: string): string {
  const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash
  return typeof oneShot === 'function' ? oneShot('md5', s, 'hex') : nodeCrypto.createHash('md5').update(s).digest('hex')
}

/**
 * SQS's MD5 of message attributes: attributes sorted by name, each encoded as length-prefixed
 * (4-byte big-endian) name, data type, one transport byte (1 string, 2 binary) and value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttribute>): string | undefined {
  const names = Object.keys(attributes).sort()
  if (names.length === 0) return undefined
  const hash = nodeCrypto.createHash('md5')
  const put = (bytes: Uint8Array): void => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(bytes.length)
    hash.update(len)
    hash.update(bytes)
  }
  for (const name of names) {
    const a = attributes[name] as MessageAttribute
    put(Buffer.from(name, 'utf8'))
    put(Buffer.from(a.dataType, 'utf8'))
    if (a.binaryValue !== undefined) {
      hash.update(Buffer.from([2]))
      put(a.binaryValue)
    } else {
      hash.update(Buffer.from([1]))
      put(Buffer.from(a.stringValue ?? '', 'utf8'))
    }
  }
  return hash.digest('hex')
}

/**
 * CreateQueue on an existing name: the SQS name of the first attribute given in `options` whose
 * value (as `candidate`, the queue those options make, has it) differs from `existing`'s, or
 * undefined when SQS returns the existing queue. Attributes left out are not compared.
 */
export function conflictingQueueAttribute(existing: Queue, options: QueueOptions | undefined, candidate: Queue): string | undefined {
  if (options === undefined) return undefined
  const o = options as Record<string, unknown>
  for (const key of Object.keys(o)) {
    if (o[key] === undefined) continue
    if (key === 'visibilityTimeout' && candidate.visibilityTimeout !== existing.visibilityTimeout) return 'VisibilityTimeout'
    if (key === 'delaySeconds' && candidate.delaySeconds !== existing.delaySeconds) return 'DelaySeconds'
    if (key === 'messageRetentionPeriod' && candidate.messageRetentionPeriod !== existing.messageRetentionPeriod) return 'MessageRetentionPeriod'
    if (key === 'maximumMessageSize' && candidate.maximumMessageSize !== existing.maximumMessageSize) return 'MaximumMessageSize'
    if (key === 'contentBasedDeduplication' && candidate.contentBasedDeduplication !== existing.contentBasedDeduplication) return 'ContentBasedDeduplication'
    if (key === 'fifo' && candidate.fifo !== existing.fifo) return 'FifoQueue'
    if (key === 'redrivePolicy') {
      const a = candidate.redrivePolicy
      const b = existing.redrivePolicy
      if (a?.deadLetterTargetArn !== b?.deadLetterTargetArn || a?.maxReceiveCount !== b?.maxReceiveCount) return 'RedrivePolicy'
    }
  }
  return undefined
}

/**
 * A character SQS does not take in a body or a string attribute value (XML 1.0's set: #x9 | #xA |
 * #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF; with the `u` flag a lone surrogate matches).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
const NOT_SQS_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/** SQS's `InvalidMessageContents` for the first character of `text` outside its set. */
function invalidCharacter(text: string, where: string): LambdaError {
  const at = text.search(NOT_SQS_TEXT)
  const hex = (text.codePointAt(at) as number).toString(16).toUpperCase()
  return new LambdaError('InvalidMessageContents', 400, `Invalid binary character '#x${hex}' was found in ${where}, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`)
}

/**
 * SQS's MessageAttributeValue members, camel-cased (`StringListValues` and `BinaryListValues` are
 * reserved by SQS and ignored, so a received record's attributes can be sent on). Another member, such
 * as the SDK's `DataType`, is a SimulatorError naming it: it used to be ignored, and the attribute then
 * refused for a missing data type.
 */
function rejectUnknownAttributeMembers(attributes: Record<string, unknown>): void {
  for (const [name, a] of Object.entries(attributes)) {
    if (isPlainObject(a)) rejectUnknownKeys(`message attribute '${name}'`, a, ['dataType', 'stringValue', 'binaryValue', 'stringListValues', 'binaryListValues'])
  }
}

/**
 * SQS's checks of a message's own attributes (SQS Developer Guide, "Message metadata"): at most 10;
 * names of letters, digits, `_`, `-` and `.`, at most 256 bytes, not starting with `AWS.` or
 * `Amazon.` (any case) nor starting or ending with `.`; a type `String`, `Number` or `Binary`, with an
 * optional custom label after a period, at most 256 bytes; a non-empty value of the type's kind,
 * strings holding only the characters a body may, numbers parsing as numbers.
 */
function checkMessageAttributes(attributes: Record<string, MessageAttribute>): void {
  if (!isPlainObject(attributes)) throw new SimulatorError('InvalidOption', `Invalid messageAttributes: expected an object of { dataType, stringValue | binaryValue }, got ${describe(attributes)}`)
  rejectUnknownAttributeMembers(attributes)
  const names = Object.keys(attributes)
  const invalid = (message: string): LambdaError => new LambdaError('InvalidParameterValue', 400, message)
  if (names.length > 10) throw invalid(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`)
  for (const name of names) {
    if (name.length === 0) throw invalid('The request must contain non-empty message (user) attribute names.')
    if (Buffer.byteLength(name, 'utf8') > 256) throw invalid('Message (user) attribute names must be shorter than 256 Bytes')
    if (!/^[\p{L}\p{N}_.-]+$/u.test(name)) throw invalid('Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ')
    if (/^(aws\.|amazon\.|\.)|\.$/i.test(name)) {
      throw invalid("You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.")
    }
    const a = attributes[name] as MessageAttribute | null | undefined
    const type: unknown = a?.dataType
    const base = typeof type === 'string' ? type.split('.', 1)[0] : undefined
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw invalid(`Type for parameter MessageAttributes.Attribute_name.DataType must be prefixed with "String", "Binary", or "Number", but was: ${String(type)}`)
    }
    if (Buffer.byteLength(type as string, 'utf8') > 256) throw invalid('Message (user) attribute types must be shorter than 256 Bytes')
    const empty = invalid(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`)
    if (base === 'Binary') {
      if (!(a?.binaryValue instanceof Uint8Array) || a.binaryValue.byteLength === 0) throw empty
      continue
    }
    const value: unknown = a?.stringValue
    if (typeof value !== 'string' || value.length === 0) throw empty
    if (NOT_SQS_TEXT.test(value)) {
      const hex = (value.codePointAt(value.search(NOT_SQS_TEXT)) as number).toString(16).toUpperCase()
      throw invalid(`Invalid binary character '#x${hex}' was found in the message attribute '${name}' value, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`)
    }
    if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) throw invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`)
  }
}

/** SQS's rule for `MessageGroupId` and `MessageDeduplicationId`: 1–128 ASCII letters, digits or punctuation. */
function checkFifoId(param: 'MessageGroupId' | 'MessageDeduplicationId', value: unknown): void {
  if (typeof value !== 'string' || !/^[\x21-\x7E]{1,128}$/.test(value)) {
    throw new LambdaError('InvalidParameterValue', 400, `Value ${String(value)} for parameter ${param} is invalid. Reason: ${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`)
  }
}

/** SQS counts the body and every attribute's name, type and value toward the 1 MiB limit. */
function messageSize(body: string, attributes: Record<string, MessageAttribute> | undefined): number {
  let n = Buffer.byteLength(body, 'utf8')
  if (attributes !== undefined) {
    for (const [name, a] of Object.entries(attributes)) {
      // Tolerates malformed attributes: a batch adds its sizes up before its entries are checked.
      n += Buffer.byteLength(name, 'utf8') + (typeof a?.dataType === 'string' ? Buffer.byteLength(a.dataType, 'utf8') : 0)
      n += typeof a?.stringValue === 'string' ? Buffer.byteLength(a.stringValue, 'utf8') : a?.binaryValue instanceof Uint8Array ? a.binaryValue.byteLength : 0
    }
  }
  return n
}
