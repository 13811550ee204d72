import type { SimEvent } from './events.js'

/**
 * Pictures of a timeline: an ASCII lane chart for the terminal ({@link renderTimeline}) and a Mermaid
 * gantt chart ({@link timelineToMermaid}). Both are pure functions of the entries, with no colours and
 * no real time, so the same seed gives the same string (snapshot-friendly).
 */

/** Options of `timeline.render()`. */
export interface RenderOptions {
  /** Add one block per request listing every entry in words under the chart. @default true */
  details?: boolean
  /** Only these request ids (in this order). @default every request, in order of first appearance */
  requestIds?: string[]
}

/** Options of `timeline.toMermaid()`. */
export interface MermaidOptions {
  /** Title of the chart. @default 'lambda-sim timeline' */
  title?: string
  /** Only these request ids (in this order). @default every request */
  requestIds?: string[]
}

type RequestEvent = Exclude<SimEvent, { type: 'message' }>

/** `+0ms`, `+12ms`, `+1.5s`, `+1m0.012s`, `+2h0m0s`: an offset from the start, exact to the ms. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+'
  let rest = Math.abs(ms)
  if (rest < 1000) return `${sign}${trimNumber(rest)}ms`
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = `${trimNumber(rest / 1000)}s`
  if (h > 0) return `${sign}${h}h${m}m${s}`
  if (m > 0) return `${sign}${m}m${s}`
  return `${sign}${s}`
}

function trimNumber(n: number): string {
  return String(Math.round(n * 1000) / 1000)
}

function lanesOf(entries: readonly SimEvent[], only: string[] | undefined): Map<string, RequestEvent[]> {
  const lanes = new Map<string, RequestEvent[]>()
  if (only !== undefined) for (const id of only) lanes.set(id, [])
  for (const e of entries) {
    if (!('requestId' in e) || e.requestId === undefined) continue
    const lane = lanes.get(e.requestId)
    if (lane !== undefined) lane.push(e as RequestEvent)
    else if (only === undefined) lanes.set(e.requestId, [e as RequestEvent])
  }
  return lanes
}

function functionOf(lane: readonly RequestEvent[]): string {
  for (const e of lane) if ('functionName' in e && typeof e.functionName === 'string') return e.functionName
  return '?'
}

function resourceName(arn: string): string {
  const parts = arn.split(':')
  return parts[parts.length - 1] === '' ? arn : (parts[5] === 'function' ? parts[6] : parts[parts.length - 1]) ?? arn
}

/** The compact mark of one entry in the lane chart. */
function mark(e: RequestEvent): string {
  switch (e.type) {
    case 'accepted':
      return '>'
    case 'attempt-started':
      return `#${e.attempt}${e.duplicate === true ? 'd' : ''}`
    case 'attempt-finished':
      return e.outcome === 'success' ? 'ok' : e.outcome === 'timeout' ? 'T/O' : 'x'
    case 'retry-scheduled':
      return ''
    case 'throttled':
      return '~'
    case 'expired':
      return '!age'
    case 'duplicate':
      return '+dup'
    case 'terminal':
      return `=${e.condition}`
    case 'delivered':
      return `->${e.kind === 'dead-letter' ? 'dlq' : e.kind}`
    case 'delivery-failed':
      return `-x${e.kind === 'dead-letter' ? 'dlq' : e.kind}`
    case 'warning':
      return '!'
    case 'esm':
      return `esm:${e.action}`
    case 'work-left-running':
      return `!left${e.pending}`
  }
}

/** One line in words for the details block. */
function describeEntry(e: RequestEvent, start: number): string {
  switch (e.type) {
    case 'accepted':
      return `accepted (${e.invocationType}, ${e.qualifier})`
    case 'attempt-started':
      return `${e.duplicate === true ? 'duplicate ' : ''}attempt ${e.attempt} started${e.coldStart ? ' (cold start)' : ''}`
    case 'attempt-finished': {
      const what = e.outcome === 'success' ? 'succeeded' : e.outcome === 'timeout' ? 'timed out' : 'failed'
      const error = e.errorType !== undefined ? `: ${e.errorType}${e.errorMessage !== undefined ? `: ${e.errorMessage}` : ''}` : ''
      return `${e.duplicate === true ? 'duplicate ' : ''}attempt ${e.attempt} ${what} after ${e.durationMs}ms${error}`
    }
    case 'retry-scheduled':
      return `retry (attempt ${e.attempt}) in ${formatOffset(e.delayMs).slice(1)}, at ${formatOffset(e.retryAt - start)}`
    case 'throttled':
      return `throttled (${e.reason})${e.retryAt !== undefined ? `, back to the queue until ${formatOffset(e.retryAt - start)}` : ''}`
    case 'expired':
      // The look-ahead ends an event whose next attempt would be past the age, while it is still younger.
      if (e.nextAttemptWouldBeAt !== undefined) {
        const ageThen = e.nextAttemptWouldBeAt - (e.time - e.ageMs)
        return `event too old for its next attempt: at ${formatOffset(e.nextAttemptWouldBeAt - start)} it would be ${formatOffset(ageThen).slice(1)} old, past the maximum age ${formatOffset(e.maximumEventAgeMs).slice(1)}`
      }
      return `event too old: age ${formatOffset(e.ageMs).slice(1)} of at most ${formatOffset(e.maximumEventAgeMs).slice(1)}`
    case 'duplicate':
      return `duplicate delivery (${e.mode}) in ${formatOffset(e.delayMs).slice(1)}`
    case 'terminal':
      return `terminal ${e.condition} after ${e.approximateInvokeCount} attempt${e.approximateInvokeCount === 1 ? '' : 's'}${e.reason !== undefined ? ` (${e.reason})` : ''}`
    case 'delivered':
      return `delivered ${e.kind} to ${e.destination}`
    case 'delivery-failed':
      return `delivery ${e.kind} to ${e.destination} failed: ${e.error}`
    case 'warning':
      return `warning ${e.kind}: ${e.message}`
    case 'work-left-running':
      return `returned with ${e.pending} pending task${e.pending === 1 ? '' : 's'}${e.sdkRequests === undefined ? '' : ` (${e.sdkRequests} SDK request${e.sdkRequests === 1 ? '' : 's'})`} frozen in environment ${e.environment}`
    case 'esm':
      return `event source mapping ${e.mappingId}: ${e.action}${e.ids !== undefined ? ` [${e.ids.join(', ')}]` : ''}${e.reason !== undefined ? ` (${e.reason})` : ''}`
  }
}

/**
 * The ASCII lane chart: one lane per request, one column per instant at which something happened
 * (columns are ordered, not proportional: minutes of waiting take no more room than a millisecond).
 * Marks: `>` accepted, `#n` attempt n starts (`#nd` a duplicate's), `ok` / `x` / `T/O` it ends,
 * `~` throttled, `+dup` a duplicate is scheduled, `!age` too old, `=Condition` the terminal outcome,
 * `->on-success` / `->on-failure` / `->dlq` a delivery (`-x…` a failed one). Between marks, `-` means
 * an attempt is running and `.` that the event waits in the queue.
 */
export function renderTimeline(entries: readonly SimEvent[], startTime: number, options: RenderOptions = {}): string {
  const lanes = lanesOf(entries, options.requestIds)
  const out: string[] = [`lambda-sim timeline: ${lanes.size} request${lanes.size === 1 ? '' : 's'}, offsets from ${new Date(startTime).toISOString()}`]
  if (lanes.size === 0) return `${out[0] as string}\n`
  const instants = [...new Set([...lanes.values()].flatMap((lane) => lane.map((e) => e.time)))].sort((a, b) => a - b)
  const column = new Map(instants.map((t, i) => [t, i]))
  const labels = [...lanes].map(([id, lane]) => `${functionOf(lane)} ${id.slice(0, 8)}`)
  const labelWidth = Math.max('request'.length, ...labels.map((l) => l.length)) + 2
  // cells[lane][column] = marks text; fills[lane][column] = what to draw after it.
  const rows = [...lanes.values()].map((lane) => {
    const cells: string[][] = instants.map(() => [])
    const fills: string[] = instants.map(() => ' ')
    let running = 0
    let waiting = false
    let started = false
    let i = 0
    for (let c = 0; c < instants.length; c++) {
      while (i < lane.length && column.get((lane[i] as RequestEvent).time) === c) {
        const e = lane[i++] as RequestEvent
        const m = mark(e)
        if (m !== '') (cells[c] as string[]).push(m)
        started = true
        if (e.type === 'accepted') waiting = true
        else if (e.type === 'attempt-started') running++
        else if (e.type === 'attempt-finished') running = Math.max(0, running - 1)
        else if (e.type === 'terminal') waiting = false
      }
      fills[c] = !started ? ' ' : running > 0 ? '-' : waiting ? '.' : ' '
    }
    return { cells: cells.map((c) => c.join(' ')), fills }
  })
  const widths = instants.map((t, c) => Math.max(formatOffset(t - startTime).length, ...rows.map((r) => (r.cells[c] as string).length)) + 2)
  out.push('')
  out.push(('request'.padEnd(labelWidth) + instants.map((t, c) => formatOffset(t - startTime).padEnd(widths[c] as number)).join('')).trimEnd())
  rows.forEach((r, l) => {
    let line = (labels[l] as string).padEnd(labelWidth)
    r.cells.forEach((text, c) => {
      line += text + (r.fills[c] as string).repeat((widths[c] as number) - text.length)
    })
    out.push(line.trimEnd())
  })
  if (options.details ?? true) {
    for (const [id, lane] of lanes) {
      out.push('')
      out.push(`${functionOf(lane)} ${id}`)
      const offsetWidth = Math.max(...lane.map((e) => formatOffset(e.time - startTime).length), 3) + 2
      for (const e of lane) out.push(`  ${formatOffset(e.time - startTime).padEnd(offsetWidth)}${describeEntry(e, startTime)}`)
    }
    const other = entries.filter((e) => e.type === 'warning' && e.requestId === undefined)
    if (other.length > 0) {
      out.push('')
      out.push('warnings')
      for (const e of other) if (e.type === 'warning') out.push(`  ${formatOffset(e.time - startTime)}  ${e.kind}: ${e.message}`)
    }
  }
  return `${out.join('\n')}\n`
}

/** Text safe inside a Mermaid gantt task name (no `:`, `;`, `#` or line breaks). */
function mermaidText(text: string): string {
  return text.replace(/[:;#\n\r]/g, ' ').replace(/ {2,}/g, ' ').trim()
}

/**
 * A Mermaid gantt chart: a section per request, a bar per attempt (`done` success, `crit` error or
 * timeout, `active` still running) and milestones for throttles, duplicates, the terminal outcome and
 * deliveries. Times are the virtual epoch ms (`dateFormat x`).
 */
export function timelineToMermaid(entries: readonly SimEvent[], options: MermaidOptions = {}): string {
  const lanes = lanesOf(entries, options.requestIds)
  const out = ['gantt', `  title ${mermaidText(options.title ?? 'lambda-sim timeline')}`, '  dateFormat x', '  axisFormat %H:%M:%S']
  let laneIndex = 0
  for (const [id, lane] of lanes) {
    const l = laneIndex++
    out.push(`  section ${mermaidText(`${functionOf(lane)} ${id.slice(0, 8)}`)}`)
    const open = new Map<string, number>()
    let n = 0
    const milestone = (name: string, time: number): void => {
      out.push(`    ${mermaidText(name)} : milestone, r${l}m${n++}, ${time}, ${time}`)
    }
    for (const e of lane) {
      const key = `${e.type === 'attempt-started' || e.type === 'attempt-finished' ? e.attempt : 0}${'duplicate' in e && e.duplicate === true ? 'd' : ''}`
      switch (e.type) {
        case 'attempt-started':
          open.set(key, e.time)
          break
        case 'attempt-finished': {
          const from = open.get(key) ?? e.time - e.durationMs
          open.delete(key)
          const tag = e.outcome === 'success' ? 'done' : 'crit'
          const what = e.outcome === 'success' ? 'ok' : e.outcome === 'timeout' ? 'timeout' : (e.errorType ?? 'error')
          out.push(`    ${mermaidText(`${e.duplicate === true ? 'duplicate ' : ''}attempt ${e.attempt} ${what}`)} : ${tag}, r${l}a${n++}, ${from}, ${e.time}`)
          break
        }
        case 'throttled':
          milestone(`throttled ${e.reason}`, e.time)
          break
        case 'duplicate':
          milestone(`duplicate scheduled (${e.mode})`, e.time)
          break
        case 'expired':
          milestone('event age exceeded', e.time)
          break
        case 'terminal':
          milestone(e.condition, e.time)
          break
        case 'delivered':
          milestone(`${e.kind} to ${resourceName(e.destination)}`, e.time)
          break
        case 'delivery-failed':
          milestone(`${e.kind} to ${resourceName(e.destination)} failed`, e.time)
          break
        default:
          break
      }
    }
    for (const [key, from] of open) out.push(`    ${mermaidText(`attempt ${key} running`)} : active, r${l}a${n++}, ${from}, ${from}`)
  }
  return `${out.join('\n')}\n`
}
