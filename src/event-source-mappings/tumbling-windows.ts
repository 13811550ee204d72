/**
 * Tumbling windows of Kinesis and DynamoDB stream mappings (spec §11.4):
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html and
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html
 *
 * Windows are aligned to multiples of `TumblingWindowInSeconds` since the epoch and a record belongs
 * to the window holding its arrival time. The `state` a function returns is carried to the next
 * invocation of the same window and lane; at the window's end a final invocation
 * (`isFinalInvokeForWindow: true`) gets the aggregate, then the state is dropped.
 */

/** The most window state a shard may hold: 1 MB ("a maximum of 1 MB per shard"). */
export const MAX_WINDOW_STATE_BYTES = 1_048_576

/** The open window (segment) of a lane: the state aggregated so far. */
export interface OpenWindow {
  /** Epoch ms, a multiple of the window length. */
  readonly start: number
  readonly end: number
  /** JSON of the state the next invocation receives (`{}` for a fresh window). */
  stateJson: string
  /** The last response's state exceeded 1 MB: the next invocation is the early final one. */
  terminatedEarly: boolean
}

/** What makes a batch a window invocation. */
export interface WindowInvoke {
  readonly window: OpenWindow
  readonly final: boolean
  readonly terminatedEarly: boolean
}

/** Start (epoch ms) of the window that holds `arrivalTime`. */
export function windowStartOf(arrivalTime: number, lengthMs: number): number {
  return Math.floor(arrivalTime / lengthMs) * lengthMs
}

/** A fresh window (segment) holding `arrivalTime`. */
export function openWindow(arrivalTime: number, lengthMs: number): OpenWindow {
  const start = windowStartOf(arrivalTime, lengthMs)
  return { start, end: start + lengthMs, stateJson: '{}', terminatedEarly: false }
}

/** AWS writes window bounds as whole-second ISO strings: `2020-12-09T07:04:00Z`. */
function windowIso(ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

/** The event of a window invocation, in the key order of AWS's `KinesisTimeWindowEvent` example. */
export function windowEventJson(recordsJson: readonly string[], w: WindowInvoke, shardId: string, eventSourceArn: string): string {
  let json = '{"Records":['
  for (let k = 0; k < recordsJson.length; k++) json += (k > 0 ? ',' : '') + recordsJson[k]
  json += `],"window":{"start":${JSON.stringify(windowIso(w.window.start))},"end":${JSON.stringify(windowIso(w.window.end))}}`
  json += `,"state":${w.window.stateJson},"shardId":${JSON.stringify(shardId)},"eventSourceARN":${JSON.stringify(eventSourceArn)}`
  json += `,"isFinalInvokeForWindow":${String(w.final)},"isWindowTerminatedEarly":${String(w.terminatedEarly)}}`
  return json
}

/** The `state` of a window invocation's response, or why the invocation counts as failed. */
export type StateVerdict = { ok: true; stateJson: string; bytes: number } | { ok: false; reason: string }

/**
 * "If the response does not contain a state property, Lambda considers this a failed invocation."
 * **Choice**: the state must be a JSON object (the shape of the event's `state`; AWS's typed
 * libraries model it as a map), so `null`, a number or an array fails the invocation as well.
 */
export function judgeWindowState(payloadJson: string): StateVerdict {
  let response: unknown
  try {
    response = JSON.parse(payloadJson)
  } catch {
    return { ok: false, reason: 'the response is not valid JSON' }
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return { ok: false, reason: 'the response has no state property' }
  const state = (response as { state?: unknown }).state
  if (state === undefined) return { ok: false, reason: 'the response has no state property' }
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return { ok: false, reason: 'the response state is not an object' }
  const stateJson = JSON.stringify(state)
  return { ok: true, stateJson, bytes: Buffer.byteLength(stateJson, 'utf8') }
}
