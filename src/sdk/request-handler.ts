import { SimulatorError } from '../errors.js'
import { SeededRandom } from '../internal/random.js'
import { internals, type Simulator, type SimulatorImpl } from '../simulator.js'
import { describe } from '../validation.js'
import { route, type WireRequest } from './routes.js'
import { requestAnswered, requestArrived, untrackedArrival } from './send-tracking.js'

/** The part of the SDK's `HttpRequest` the simulator reads (structurally typed: no SDK import). */
export interface SdkHttpRequest {
  method: string
  path: string
  query?: Record<string, string | (string | null)[] | null | undefined>
  headers: Record<string, string>
  body?: unknown
}

/** The SDK's `HttpResponse` shape: status, lower-case headers, body bytes. */
export interface SdkHttpResponse {
  statusCode: number
  reason?: string
  headers: Record<string, string>
  body: Uint8Array
}

/** Request ids of adapter answers that are not invocations (config calls, errors). */
const adapterIds = new WeakMap<SimulatorImpl, SeededRandom>()
/** Seed of the adapter's own generator: its ids never shift the simulator's seeded sequence. */
const ADAPTER_SEED = 0x1a3b_da7a

/**
 * An AWS SDK v3 request handler (the `requestHandler` client option) answered in process by a
 * simulator. The SDK's own serialisers, signers and deserialisers run; this handler receives the
 * serialised REST-JSON request, routes it by method and path to the simulator and answers in AWS's
 * wire format, so the SDK raises its own typed exceptions. No sockets are opened.
 */
export class SimulatorRequestHandler {
  /** Read by the SDK to describe the transport. */
  readonly metadata = { handlerProtocol: 'lambda-sim' }
  readonly #sim: SimulatorImpl

  constructor(sim: Simulator) {
    this.#sim = internals(sim)
    // Without send tracking, an un-awaited request is only seen when it arrives: let it (see Scheduler.turnAfterEnd).
    if (!constructingTracked) this.#sim.scheduler.turnAfterEnd = true
  }

  /** Answer one request. Resolves when the simulator has (for a RequestResponse invoke: when the function finished). */
  async handle(request: SdkHttpRequest, options: { abortSignal?: { aborted: boolean } | undefined } = {}): Promise<{ response: SdkHttpResponse }> {
    if (options.abortSignal?.aborted === true) {
      const abort = new Error('Request aborted')
      abort.name = 'AbortError'
      throw abort
    }
    const sim = this.#sim
    const wire: WireRequest = {
      method: request.method.toUpperCase(),
      path: request.path,
      query: normaliseQuery(request.query),
      headers: lowerCaseKeys(request.headers),
      body: '',
    }
    const read = await readBody(request.body)
    wire.body = read.text
    if (read.invalidUtf8 !== undefined) wire.invalidUtf8 = read.invalidUtf8
    // A send its handler did not await, whose attempt has ended: it waits, frozen with the
    // environment, until that environment is next invoked (send-tracking.ts), whether the client
    // tracks sends or not. Otherwise it is routed in the same microtask as it stops holding the clock.
    const held = requestArrived() ?? untrackedArrival(sim, `${wire.method} ${wire.path}`)
    if (held !== undefined) await held
    const r = await route(sim, wire, () => {
      let ids = adapterIds.get(sim)
      if (ids === undefined) adapterIds.set(sim, (ids = new SeededRandom(ADAPTER_SEED)))
      return ids.uuid()
    })
    requestAnswered()
    return { response: { statusCode: r.statusCode, headers: r.headers, body: Buffer.from(r.body, 'utf8') } }
  }

  /** Part of the SDK's HttpHandler contract; the simulator has no HTTP settings. */
  updateHttpClientConfig(_key: never, _value: never): void {}

  /** Part of the SDK's HttpHandler contract. */
  httpHandlerConfigs(): Record<string, never> {
    return {}
  }

  /** Called by `client.destroy()`; nothing to release. */
  destroy(): void {}
}

/** Set while {@link trackedRequestHandler} constructs one. */
let constructingTracked = false

/** A request handler for a client with `sendTracking` (lambdaClient): the scheduler need not wait for its requests. */
export function trackedRequestHandler(sim: Simulator): SimulatorRequestHandler {
  constructingTracked = true
  try {
    return new SimulatorRequestHandler(sim)
  } finally {
    constructingTracked = false
  }
}

/**
 * A request handler for code that builds its own client:
 * `new LambdaClient({ region, credentials, requestHandler: simulatorRequestHandler(sim) })`.
 * See docs/sdk.md for retries (pass `retryStrategy: virtualRetryStrategy(sim)` or `maxAttempts: 1`).
 */
export function simulatorRequestHandler(sim: Simulator): SimulatorRequestHandler {
  return new SimulatorRequestHandler(sim)
}

function normaliseQuery(query: SdkHttpRequest['query']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue
    out[k] = Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
  }
  return out
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v
  return out
}

/** A request body as text, or why its bytes are not UTF-8 (the service's JSON reader refuses them). */
async function readBody(body: unknown): Promise<{ text: string; invalidUtf8?: string }> {
  if (body === undefined || body === null) return { text: '' }
  if (typeof body === 'string') return { text: body }
  if (ArrayBuffer.isView(body)) return decodeUtf8(Buffer.from(body.buffer, body.byteOffset, body.byteLength))
  if (body instanceof ArrayBuffer) return decodeUtf8(Buffer.from(body))
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = []
    for await (const chunk of body as AsyncIterable<unknown>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array))
    }
    return decodeUtf8(Buffer.concat(chunks))
  }
  throw new SimulatorError('InvalidUse', `lambda-sim cannot read a request body of this kind: ${describe(body)}`)
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decode UTF-8 strictly. For bytes that are not UTF-8, the first bad byte in the words of the
 * service's JSON reader (Jackson: "Invalid UTF-8 start byte 0x99", "Invalid UTF-8 middle byte 0x28"),
 * with its offset.
 */
function decodeUtf8(bytes: Buffer): { text: string; invalidUtf8?: string } {
  try {
    return { text: strictUtf8.decode(bytes) }
  } catch {
    return { text: '', invalidUtf8: firstInvalidUtf8(bytes) }
  }
}

function firstInvalidUtf8(b: Buffer): string {
  const hex = (x: number): string => `0x${x.toString(16).padStart(2, '0')}`
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1
    if (n < 0) return `Invalid UTF-8 start byte ${hex(c)} at byte ${i}`
    for (let k = 1; k <= n; k++) {
      const m = b[i + k]
      if (m === undefined) return `Unexpected end of input in a UTF-8 character at byte ${i + k}`
      // The second byte's range narrows after E0, ED, F0 and F4 (no overlongs, surrogates or > U+10FFFF).
      const lo = k === 1 && (c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80)
      const hi = k === 1 && (c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf)
      if (m < (lo === false ? 0x80 : lo) || m > (hi === false ? 0xbf : hi)) return `Invalid UTF-8 middle byte ${hex(m)} at byte ${i + k}`
    }
    i += n + 1
  }
  return 'Invalid UTF-8'
}
