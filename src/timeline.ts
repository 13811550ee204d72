import { SimulatorError } from './errors.js'
import { KNOWN_EVENT_TYPES, type SimEvent } from './events.js'
import { isPlainObject } from './internal/plain-object.js'
import { describe, rejectUnknownKeys } from './validation.js'
import { renderTimeline, timelineToMermaid, type MermaidOptions, type RenderOptions } from './timeline-render.js'

/**
 * Everything that happened, in order: accepted events, attempts, retries, throttles, deliveries,
 * warnings. Plain JSON-serialisable data, identical for identical seeds and programs.
 */
export class Timeline {
  readonly entries: SimEvent[] = []
  /** Virtual start time of the simulator (for offsets). */
  readonly startTime: number
  /** False when the simulator was created with `recordTimeline: false`: the timeline stays empty. */
  readonly recording: boolean

  constructor(startTime: number, recording = true) {
    this.startTime = startTime
    this.recording = recording
  }

  push(event: SimEvent): void {
    this.entries.push(event)
  }

  get length(): number {
    return this.entries.length
  }

  /** Entries of one request, in order. */
  forRequest(requestId: string): SimEvent[] {
    if (typeof requestId !== 'string') throw new SimulatorError('InvalidOption', `Invalid timeline.forRequest(${describe(requestId)}): expected a request id string`)
    return this.entries.filter((e) => 'requestId' in e && e.requestId === requestId)
  }

  /** Entries of the given types. */
  ofType<K extends SimEvent['type']>(...types: K[]): Extract<SimEvent, { type: K }>[] {
    if (types.length === 0) throw new SimulatorError('InvalidOption', `Invalid timeline.ofType(): give at least one event type (${KNOWN_EVENT_TYPES.join(', ')})`)
    for (const type of types) {
      if (!KNOWN_EVENT_TYPES.includes(type)) throw new SimulatorError('InvalidOption', `Invalid timeline.ofType(${describe(type)}): no such event type; known: ${KNOWN_EVENT_TYPES.join(', ')}`)
    }
    return this.entries.filter((e): e is Extract<SimEvent, { type: K }> => (types as string[]).includes(e.type))
  }

  /**
   * An ASCII lane chart for the terminal: one lane per request with its attempts, outcomes, retries,
   * throttles, duplicates, terminal condition and deliveries, then each request in words. Offsets are
   * from the simulator's start; no colours; identical for identical seeds (snapshot-friendly).
   */
  render(options?: RenderOptions): string {
    checkTimelineOptions('render', options, { details: 'boolean' })
    checkRequestIds('render', this.entries, options?.requestIds)
    return renderTimeline(this.entries, this.startTime, options)
  }

  /** A Mermaid gantt chart of the same (paste into a Markdown file on GitHub to see it). */
  toMermaid(options?: MermaidOptions): string {
    checkTimelineOptions('toMermaid', options, { title: 'string' })
    checkRequestIds('toMermaid', this.entries, options?.requestIds)
    return timelineToMermaid(this.entries, options)
  }

  toJSON(): SimEvent[] {
    return this.entries
  }

  [Symbol.iterator](): Iterator<SimEvent> {
    return this.entries[Symbol.iterator]()
  }
}

/** Options of `render` / `toMermaid`: an object with `requestIds` (strings) and the method's own scalar options. */
function checkTimelineOptions(method: string, options: unknown, scalars: Record<string, 'boolean' | 'string'>): void {
  if (options === undefined) return
  if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid timeline.${method} options: expected an object, got ${describe(options)}`)
  rejectUnknownKeys(`timeline.${method}`, options, [...Object.keys(scalars), 'requestIds'])
  const o = options as Record<string, unknown>
  for (const [key, type] of Object.entries(scalars)) {
    if (o[key] !== undefined && typeof o[key] !== type) throw new SimulatorError('InvalidOption', `Invalid timeline.${method} ${key}: expected ${type === 'boolean' ? 'true or false' : 'a string'}, got ${describe(o[key])}`)
  }
  const ids = o['requestIds']
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))) {
    throw new SimulatorError('InvalidOption', `Invalid timeline.${method} requestIds: expected an array of request id strings, got ${describe(ids)}`)
  }
}

/**
 * Each id of `requestIds` must be on the timeline: an unknown one drew an empty `? <id>` lane. The
 * chart labels lanes with the first 8 characters of the id, the likely thing to paste, so a prefix of
 * a request id on the timeline is named in the error.
 */
function checkRequestIds(method: string, entries: readonly SimEvent[], ids: readonly string[] | undefined): void {
  if (ids === undefined || ids.length === 0) return
  const known = new Set<string>()
  for (const e of entries) if ('requestId' in e && typeof e.requestId === 'string') known.add(e.requestId)
  for (const id of ids) {
    if (known.has(id)) continue
    const full = id === '' ? undefined : [...known].find((k) => k.startsWith(id))
    const hint = full !== undefined ? `; the chart shows the first 8 characters of a request id: did you mean "${full}"?` : ` (the timeline has ${known.size} request${known.size === 1 ? '' : 's'})`
    throw new SimulatorError('InvalidOption', `Invalid timeline.${method} requestIds: ${JSON.stringify(id)} is on no timeline entry${hint}`)
  }
}
