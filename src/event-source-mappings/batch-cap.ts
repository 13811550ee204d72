/**
 * The 6 MB cap on an event source mapping's batch (spec §11.1, §11.2): a batch holds up to
 * `BatchSize` records "up to the payload limit for synchronous invocation (6 MB)"
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html, BatchSize).
 *
 * What is counted: the UTF-8 bytes of the whole event the function receives, wrapper and commas
 * included (`{"Records":[r1,r2]}`, plus a tumbling window's extra fields), against the same limit a
 * synchronous Invoke's request is held to (6,291,456 bytes, spec §2).
 */

/** The synchronous invocation payload limit, in UTF-8 bytes (spec §2). */
export const MAX_BATCH_PAYLOAD_BYTES = 6_291_456

/**
 * A batch's event size as records are added, exact in UTF-8 bytes. Cheap: a JSON string of n UTF-16
 * code units is between n and 3n UTF-8 bytes, so records are counted by their `length` alone while
 * three times that total stays within the limit; only past that point are the bytes measured
 * (`Buffer.byteLength`), each record's at most once.
 */
export class PayloadBudget {
  readonly #limit: number
  /** Exact bytes of the overhead, the commas and the records measured so far. */
  #bytes: number
  /** Records not measured yet: their UTF-16 code units and their JSON. */
  #units = 0
  #pending: string[] = []
  #records = 0
  #full = false

  /** `overheadJson`: the event without records (`{"Records":[]}`, or a tumbling window's event). */
  constructor(overheadJson = '{"Records":[]}', limit = MAX_BATCH_PAYLOAD_BYTES) {
    this.#limit = limit
    this.#bytes = Buffer.byteLength(overheadJson, 'utf8')
  }

  /** Records added. */
  get records(): number {
    return this.#records
  }

  /** A record was refused: the batch is full by size. */
  get full(): boolean {
    return this.#full
  }

  /**
   * Add the record if the event stays within the limit with it (the first record is always added:
   * a batch holds at least one). False, and nothing added, when it would go over.
   */
  add(recordJson: string): boolean {
    if (this.#full) return false
    const comma = this.#records > 0 ? 1 : 0
    if (this.#bytes + comma + 3 * (this.#units + recordJson.length) <= this.#limit) {
      this.#bytes += comma
      this.#units += recordJson.length
      this.#pending.push(recordJson)
      this.#records++
      return true
    }
    // Past the bound: measure what is pending, then this record.
    if (this.#pending.length > 0) {
      for (const p of this.#pending) this.#bytes += Buffer.byteLength(p, 'utf8')
      this.#units = 0
      this.#pending = []
    }
    const bytes = comma + Buffer.byteLength(recordJson, 'utf8')
    if (comma > 0 && this.#bytes + bytes > this.#limit) {
      this.#full = true
      return false
    }
    this.#bytes += bytes
    this.#records++
    return true
  }
}
