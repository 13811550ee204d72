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

/**
 * A response header naming the virtual instant (epoch ms) the simulator answered at. A retry's backoff
 * counts from it, not from whenever the SDK gets round to asking the retry strategy, by which time
 * another caller's backoff may have moved the clock.
 */
export const ANSWERED_AT_HEADER = 'x-lambda-sim-answered-at'

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

  /**
   * Answer one request. Resolves when the simulator has (for a RequestResponse invoke: when the function
   * finished). An `abortSignal` (the SDK's `send(command, { abortSignal })`) rejects it with the SDK's
   * `AbortError` when it fires, as the SDK's Node.js HTTP handler does: before the request reaches the
   * simulator it is never sent; after, the simulator goes on with it (the function still runs, as on
   * AWS, where aborting only closes the connection) and the answer is dropped.
   */
  async handle(request: SdkHttpRequest, options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<{ response: SdkHttpResponse }> {
    const signal = options.abortSignal
    if (signal?.aborted === true) throw abortError(signal)
    if (signal === undefined) return this.#answer(request, () => false)
    let aborted = false
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        aborted = true
        reject(abortError(signal))
      }
      // As the SDK's handler listens: addEventListener, or `onabort` on a signal without it.
      const { addEventListener, removeEventListener } = signal
      if (typeof addEventListener === 'function') (addEventListener as AbortListenerMethod).call(signal, 'abort', onAbort, { once: true })
      else signal.onabort = onAbort
      const done = (): void => {
        if (typeof removeEventListener === 'function') (removeEventListener as AbortListenerMethod).call(signal, 'abort', onAbort)
      }
      this.#answer(request, () => aborted).then(
        (r) => {
          done()
          resolve(r)
        },
        (error: unknown) => {
          done()
          // After an abort the caller has its AbortError; a later failure has no one to reach.
          if (!aborted) reject(error)
        },
      )
    })
  }

  async #answer(request: SdkHttpRequest, aborted: () => boolean): Promise<{ response: SdkHttpResponse }> {
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
    // Aborted before it reached the simulator: it is never sent.
    if (aborted()) return { response: { statusCode: 0, headers: {}, body: new Uint8Array() } }
    const r = await route(sim, wire, () => {
      let ids = adapterIds.get(sim)
      if (ids === undefined) adapterIds.set(sim, (ids = new SeededRandom(ADAPTER_SEED)))
      return ids.uuid()
    })
    requestAnswered()
    // The virtual instant of the answer, for virtualRetryStrategy's backoff (retry.ts).
    const headers = { ...r.headers, [ANSWERED_AT_HEADER]: String(sim.now()) }
    return { response: { statusCode: r.statusCode, headers, body: Buffer.from(r.body, 'utf8') } }
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

/** The part of an `AbortSignal` the handler reads (the SDK passes the one given to `send`). */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  // Loosely typed: the SDK's own type is a DOM AbortSignal or its deprecated shape with only `onabort`.
  addEventListener?: unknown
  removeEventListener?: unknown
  onabort?: unknown
}

type AbortListenerMethod = (this: AbortSignalLike, type: 'abort', listener: () => void, options?: { once: boolean }) => void

/** The SDK's AbortError (@smithy/node-http-handler buildAbortError): the signal's reason as `cause`, or as the message when it is not an Error. */
function abortError(signal: AbortSignalLike): Error {
  const reason = signal.reason
  const e = new Error(reason && !(reason instanceof Error) ? String(reason) : 'Request aborted')
  e.name = 'AbortError'
  if (reason instanceof Error) e.cause = reason
  return e
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
