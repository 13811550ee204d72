import { createHash } from 'node:crypto'
import { SimulatorError } from '../errors.js'
import type { Delivery, Destination } from './destination.js'
import type { SinkHost } from './sink-host.js'

/** An object in a {@link Bucket}. */
export interface BucketObject {
  key: string
  body: string
  size: number
  eTag: string
  lastModified: number
}

/**
 * An S3-like bucket in memory. As an async destination it is on-failure only (AWS); each record is
 * stored as one JSON object under `aws/lambda/async/<function>/<yyyy>/<mm>/<dd>/<requestId>` (AWS's
 * key scheme is not documented; see docs/semantics.md).
 */
export class Bucket implements Destination {
  readonly name: string
  readonly arn: string
  readonly objects = new Map<string, BucketObject>()
  readonly #host: SinkHost

  constructor(host: SinkHost, name: string) {
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
      throw new SimulatorError('InvalidOption', `Invalid bucket name ${JSON.stringify(name)}: 3–63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit`)
    }
    this.#host = host
    this.name = name
    this.arn = `arn:aws:s3:::${name}`
  }

  putObject(key: string, body: string): BucketObject {
    if (typeof key !== 'string' || key.length === 0 || key.length > 1024) throw new SimulatorError('InvalidOption', `Invalid object key ${JSON.stringify(key)}: 1–1024 characters`)
    const obj: BucketObject = {
      key,
      body,
      size: Buffer.byteLength(body, 'utf8'),
      eTag: createHash('md5').update(body).digest('hex'),
      lastModified: this.#host.now(),
    }
    this.objects.set(key, obj)
    this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: key })
    return obj
  }

  deliver(delivery: Delivery): void {
    if (delivery.kind !== 'on-failure') throw new Error(`S3 bucket ${this.arn} is supported as an on-failure destination only`)
    const fnName = delivery.functionArn.split(':')[6] ?? 'function'
    const day = this.#host.iso(delivery.time).slice(0, 10).replaceAll('-', '/')
    this.putObject(`aws/lambda/async/${fnName}/${day}/${delivery.requestId}`, delivery.body)
  }
}
