import type { SimEvent } from './events.js'

/**
 * Everything that happened, in order: accepted events, attempts, retries, throttles, deliveries,
 * warnings. Plain JSON-serialisable data, identical for identical seeds and programs.
 */
export class Timeline {
  readonly entries: SimEvent[] = []
  /** Virtual start time of the simulator (for offsets). */
  readonly startTime: number

  constructor(startTime: number) {
    this.startTime = startTime
  }

  push(event: SimEvent): void {
    this.entries.push(event)
  }

  get length(): number {
    return this.entries.length
  }

  /** Entries of one request, in order. */
  forRequest(requestId: string): SimEvent[] {
    return this.entries.filter((e) => 'requestId' in e && e.requestId === requestId)
  }

  /** Entries of the given types. */
  ofType<K extends SimEvent['type']>(...types: K[]): Extract<SimEvent, { type: K }>[] {
    return this.entries.filter((e): e is Extract<SimEvent, { type: K }> => (types as string[]).includes(e.type))
  }

  toJSON(): SimEvent[] {
    return this.entries
  }

  [Symbol.iterator](): Iterator<SimEvent> {
    return this.entries[Symbol.iterator]()
  }
}
