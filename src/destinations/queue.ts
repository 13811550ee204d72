import * as nodeCrypto from 'node:crypto'
import { SimulatorError } from '../errors.js'
import type { Delivery, Destination, MessageAttribute } from './destination.js'
import type { SinkHost } from './sink-host.js'

/** A message held by a {@link Queue}. */
export interface QueueMessage {
  messageId: string
  body: string
  messageAttributes: Record<string, MessageAttribute>
  md5OfBody: string
  /** Virtual epoch ms when it was sent. */
  sentTimestamp: number
  /** How many times it was received. */
  receiveCount: number
  /** Virtual epoch ms from which it is visible to receivers. */
  visibleAt: number
  receiptHandle: string | undefined
  firstReceiveTimestamp: number | undefined
}

/** Options of `sim.createQueue`. */
export interface QueueOptions {
  /** Seconds, 0–43200. @default 30 */
  visibilityTimeout?: number
}

/**
 * A standard SQS-like queue in memory. As a destination it receives the invocation record (or, as a
 * DLQ, the original event) as the message body. FIFO queues are not valid destinations: delivery
 * fails, as on AWS.
 */
export class Queue implements Destination {
  readonly name: string
  readonly arn: string
  readonly url: string
  readonly fifo: boolean
  visibilityTimeout: number
  /** Messages not yet deleted, in the order they were sent. */
  readonly messages: QueueMessage[] = []
  readonly #host: SinkHost

  constructor(host: SinkHost, name: string, options: QueueOptions = {}) {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
      throw new SimulatorError('InvalidOption', `Invalid queue name ${JSON.stringify(name)}: 1–80 letters, digits, hyphens or underscores, with an optional .fifo suffix`)
    }
    const vt = options.visibilityTimeout ?? 30
    if (!Number.isInteger(vt) || vt < 0 || vt > 43200) {
      throw new SimulatorError('InvalidOption', `Invalid visibilityTimeout for queue ${name}: expected an integer from 0 to 43200 (seconds), got ${String(vt)}`)
    }
    this.#host = host
    this.name = name
    this.fifo = name.endsWith('.fifo')
    this.arn = `arn:aws:sqs:${host.region}:${host.accountId}:${name}`
    this.url = `https://sqs.${host.region}.amazonaws.com/${host.accountId}/${name}`
    this.visibilityTimeout = vt
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

  sendMessage(input: { body: string; messageAttributes?: Record<string, MessageAttribute>; delaySeconds?: number }): { messageId: string; md5OfMessageBody: string } {
    if (typeof input.body !== 'string') throw new SimulatorError('InvalidOption', `Invalid message body for queue ${this.name}: expected a string`)
    const now = this.#host.now()
    const message: QueueMessage = {
      messageId: this.#host.uuid(),
      body: input.body,
      messageAttributes: input.messageAttributes ?? {},
      md5OfBody: md5Hex(input.body),
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now + (input.delaySeconds ?? 0) * 1000,
      receiptHandle: undefined,
      firstReceiveTimestamp: undefined,
    }
    this.messages.push(message)
    this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: message.messageId })
    return { messageId: message.messageId, md5OfMessageBody: message.md5OfBody }
  }

  /** Receive up to `maxNumberOfMessages` visible messages, hiding them for the visibility timeout. */
  receive(options: { maxNumberOfMessages?: number; visibilityTimeout?: number } = {}): QueueMessage[] {
    const now = this.#host.now()
    const max = options.maxNumberOfMessages ?? 1
    const hide = (options.visibilityTimeout ?? this.visibilityTimeout) * 1000
    const out: QueueMessage[] = []
    for (const m of this.messages) {
      if (out.length >= max) break
      if (m.visibleAt > now) continue
      m.receiveCount++
      m.firstReceiveTimestamp ??= now
      m.visibleAt = now + hide
      m.receiptHandle = `${m.messageId}#${m.receiveCount}`
      out.push(m)
    }
    return out
  }

  /** Delete by receipt handle or message id; returns whether a message was removed. */
  delete(receiptHandleOrMessageId: string): boolean {
    const i = this.messages.findIndex((m) => m.receiptHandle === receiptHandleOrMessageId || m.messageId === receiptHandleOrMessageId)
    if (i < 0) return false
    this.messages.splice(i, 1)
    return true
  }

  deliver(delivery: Delivery): void {
    if (this.fifo) throw new Error(`FIFO queue ${this.arn} is not supported as a destination`)
    const input: { body: string; messageAttributes?: Record<string, MessageAttribute> } = { body: delivery.body }
    if (delivery.messageAttributes !== undefined) input.messageAttributes = delivery.messageAttributes
    this.sendMessage(input)
  }
}

/** MD5 of a message body, hex (SQS's MD5OfMessageBody). One-shot `crypto.hash` where Node has it (20.12+): several times cheaper per message. */
function md5Hex(body: string): string {
  const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash
  return typeof oneShot === 'function' ? oneShot('md5', body, 'hex') : nodeCrypto.createHash('md5').update(body).digest('hex')
}
