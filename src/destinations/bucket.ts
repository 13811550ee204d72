import { createHash } from '../internal/node-crypto.js'
import { LambdaError, SimulatorError } from '../errors.js'
import { fromConfiguration, notificationRule, notify, resolveNotificationRules, type BucketNotificationConfiguration, type BucketNotificationInput, type NotificationRule } from '../triggers/bucket-notifications.js'
import type { Delivery, Destination } from './destination.js'
import type { SinkHost } from './sink-host.js'
import { describe } from '../validation.js'

/** An object in a {@link Bucket}. */
export interface BucketObject {
  key: string
  /**
   * The content as text: a string body as put; a body put as bytes decoded as UTF-8 (a sequence that is
   * not UTF-8 reads as U+FFFD: read {@link bytes} for binary content).
   */
  body: string
  /** The content as bytes, a fresh copy on each read: the bytes put, or the UTF-8 encoding of a string body. */
  readonly bytes: Uint8Array
  /** Bytes: the UTF-8 length of a string body, the length of bytes. */
  size: number
  eTag: string
  lastModified: number
}

/** A stored object: the text of a bytes body is decoded once; the bytes of a text body are encoded when read. */
class StoredObject implements BucketObject {
  key: string
  body: string
  size: number
  eTag: string
  lastModified: number
  readonly #bytes: Uint8Array | undefined

  constructor(key: string, content: string | Uint8Array, size: number, eTag: string, lastModified: number, bytes: Uint8Array | undefined) {
    this.key = key
    this.body = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8')
    this.size = size
    this.eTag = eTag
    this.lastModified = lastModified
    this.#bytes = bytes
  }

  get bytes(): Uint8Array {
    return this.#bytes === undefined ? new TextEncoder().encode(this.body) : new Uint8Array(this.#bytes)
  }
}

/**
 * S3's general purpose bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens, beginning
 * and ending with a letter or digit, no two adjacent periods, not formatted as an IP address, none of
 * the reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`, `.mrap`,
 * `--x-s3`). https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)
  )
}

/**
 * Object keys are 1–1,024 bytes of UTF-8; S3 answers a longer one with `KeyTooLongError` (400). An empty
 * key never reaches S3 (the SDK refuses an empty `Key` label), so it is a SimulatorError.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
function checkObjectKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new SimulatorError('InvalidOption', `Invalid object key ${describe(key)}: expected a string`)
  if (key.length === 0) throw new SimulatorError('InvalidOption', 'Invalid object key "": expected 1–1024 bytes')
  // A key is UTF-8: a lone surrogate has no encoding (the notification's URL-encoding of the key threw
  // a URIError after the object was stored).
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(key)
  if (lone !== null) throw new SimulatorError('InvalidOption', `Invalid object key ${JSON.stringify(key)}: a lone surrogate at index ${lone.index} is not Unicode text, and keys are UTF-8`)
  if (key.length > 341 && Buffer.byteLength(key, 'utf8') > 1024) throw new LambdaError('KeyTooLongError', 400, 'Your key is too long')
}

/**
 * An S3-like bucket in memory. As an async destination it is on-failure only (AWS); each record is
 * stored as one JSON object under `aws/lambda/async/<function>/<yyyy>/<mm>/<dd>/<yyyy>-<mm>-<dd>T<HH>.<MM>.<SS>-<uuid>`
 * (AWS's naming convention; see docs/semantics.md).
 */
export class Bucket implements Destination {
  readonly name: string
  readonly arn: string
  readonly objects = new Map<string, BucketObject>()
  readonly #host: SinkHost
  /** Event notification configurations (issue 9). */
  #notifications: NotificationRule[] = []
  #sequencer = 0

  constructor(host: SinkHost, name: string) {
    if (typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid bucket name ${describe(name)}: expected a string`)
    if (!isValidBucketName(name)) throw new LambdaError('InvalidBucketName', 400, 'The specified bucket is not valid.')
    this.#host = host
    this.name = name
    this.arn = `arn:aws:s3:::${name}`
  }

  /** PutObject: `body` is text (stored and counted as UTF-8) or bytes (a `Uint8Array` or a Buffer, copied). */
  putObject(key: string, body: string | Uint8Array): BucketObject {
    const obj = this.#put(key, body)
    this.#host.observerBoundary()
    return obj
  }

  #put(key: string, given: string | Uint8Array): BucketObject {
    checkObjectKey(key)
    // Text or bytes; anything else threw a TypeError from Buffer.byteLength. Other views (a DataView, a
    // Uint16Array) are refused: their bytes depend on the platform's byte order. Bytes are copied, so a
    // caller reusing its array does not change the stored object behind its size and eTag. (The tag,
    // not instanceof: a Uint8Array of another realm is one too; a Buffer's tag is 'Uint8Array'.)
    if (typeof given !== 'string' && !(ArrayBuffer.isView(given) && (given as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Uint8Array')) {
      throw new SimulatorError('InvalidOption', `Invalid object body for key ${JSON.stringify(key)}: expected a string or a Uint8Array, got ${describe(given)}`)
    }
    const bytes = typeof given === 'string' ? undefined : new Uint8Array(given)
    const content = bytes ?? given
    const obj: BucketObject = new StoredObject(key, content, bytes === undefined ? Buffer.byteLength(given as string, 'utf8') : bytes.byteLength, createHash('md5').update(content).digest('hex'), this.#host.now(), bytes)
    this.objects.set(key, obj)
    this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: key })
    this.#notify({ eventName: 'ObjectCreated:Put', key, size: obj.size, eTag: obj.eTag, sequencer: this.#nextSequencer(), time: obj.lastModified })
    return obj
  }

  // ---- event notifications (issue 9) ----

  /**
   * DeleteObject: removes the object and sends `ObjectRemoved:Delete` notifications. Like S3, deleting
   * a key that does not exist succeeds and still notifies. Returns whether an object was removed.
   */
  deleteObject(key: string): boolean {
    checkObjectKey(key)
    const existed = this.objects.delete(key)
    this.#notify({ eventName: 'ObjectRemoved:Delete', key, sequencer: this.#nextSequencer(), time: this.#host.now() })
    this.#host.observerBoundary()
    return existed
  }

  /**
   * PutBucketNotificationConfiguration (Lambda configurations): replaces every notification of the
   * bucket. https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
   */
  putBucketNotificationConfiguration(config: BucketNotificationConfiguration): void {
    const host = this.#host
    this.#notifications = resolveNotificationRules(host, fromConfiguration(config).map((c) => notificationRule(c)))
  }

  /** GetBucketNotificationConfiguration (Lambda configurations), in the SDK's shape. */
  getBucketNotificationConfiguration(): Required<BucketNotificationConfiguration> {
    return {
      lambdaFunctionConfigurations: this.#notifications.map((r) => {
        const filterRules: { name: 'Prefix' | 'Suffix'; value: string }[] = []
        if (r.prefix !== '') filterRules.push({ name: 'Prefix', value: r.prefix })
        if (r.suffix !== '') filterRules.push({ name: 'Suffix', value: r.suffix })
        return { id: r.id, lambdaFunctionArn: r.functionArn, events: [...r.events], ...(filterRules.length > 0 ? { filter: { key: { filterRules } } } : {}) }
      }),
    }
  }

  /** Add one notification to the existing ones (checked for ambiguity like a whole configuration). Returns its id. */
  addNotification(input: BucketNotificationInput): string {
    const [rule] = resolveNotificationRules(this.#host, [notificationRule(input)], this.#notifications) as [NotificationRule]
    this.#notifications = [...this.#notifications, rule]
    return rule.id
  }

  /** Sequencers grow with each PUT or DELETE of the bucket: 18 uppercase hex digits. */
  #nextSequencer(): string {
    return (++this.#sequencer).toString(16).toUpperCase().padStart(18, '0')
  }

  #notify(e: Parameters<typeof notify>[3]): void {
    if (this.#notifications.length > 0) notify(this.#host, this, this.#notifications, e)
  }

  deliver(delivery: Delivery): void {
    if (delivery.kind !== 'on-failure') throw new Error(`S3 bucket ${this.arn} is supported as an on-failure destination only`)
    // AWS's naming convention (invocation-async-retain-records): aws/lambda/async/<function-name>/
    // YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>, the time being the record's; the UUID is drawn
    // from the seeded source (same seed, same key).
    const fnName = delivery.functionArn.split(':')[6] ?? 'function'
    const iso = this.#host.iso(delivery.time)
    const day = iso.slice(0, 10).replaceAll('-', '/')
    const stamp = `${iso.slice(0, 10)}T${iso.slice(11, 19).replaceAll(':', '.')}`
    this.#put(`aws/lambda/async/${fnName}/${day}/${stamp}-${this.#host.random.uuid()}`, delivery.body)
  }
}
