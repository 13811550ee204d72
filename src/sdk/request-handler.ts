import { SimulatorError } from '../errors.js'
import { SeededRandom } from '../internal/random.js'
import { internals, type Simulator, type SimulatorImpl } from '../simulator.js'
import { describe } from '../validation.js'
import { route, type WireRequest } from './routes.js'

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
      body: await readBody(request.body),
    }
    const r = await route(sim, wire, () => {
      let ids = adapterIds.get(sim)
      if (ids === undefined) adapterIds.set(sim, (ids = new SeededRandom(ADAPTER_SEED)))
      return ids.uuid()
    })
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

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return ''
  if (typeof body === 'string') return body
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8')
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = []
    for await (const chunk of body as AsyncIterable<unknown>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array))
    }
    return Buffer.concat(chunks).toString('utf8')
  }
  throw new SimulatorError('InvalidUse', `lambda-sim cannot read a request body of this kind: ${describe(body)}`)
}
