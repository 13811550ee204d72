import type { SimEvent } from './events.js'
import { renderTimeline, timelineToMermaid, type MermaidOptions, type RenderOptions } from './timeline-render.js'

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

  /**
   * An ASCII lane chart for the terminal: one lane per request with its attempts, outcomes, retries,
   * throttles, duplicates, terminal condition and deliveries, then each request in words. Offsets are
   * from the simulator's start; no colours; identical for identical seeds (snapshot-friendly).
   */
  render(options?: RenderOptions): string {
    return renderTimeline(this.entries, this.startTime, options)
  }

  /** A Mermaid gantt chart of the same (paste into a Markdown file on GitHub to see it). */
  toMermaid(options?: MermaidOptions): string {
    return timelineToMermaid(this.entries, options)
  }

  toJSON(): SimEvent[] {
    return this.entries
  }

  [Symbol.iterator](): Iterator<SimEvent> {
    return this.entries[Symbol.iterator]()
  }
}
