import { SimulatorError } from '../errors.js'
import { internals, type Simulator } from '../simulator.js'
import { describe } from '../validation.js'
import { ANSWERED_AT_HEADER } from './request-handler.js'
import { retryWaiting } from './send-tracking.js'

/** Options of {@link virtualRetryStrategy}. */
export interface VirtualRetryOptions {
  /**
   * Attempts in all, the first included (the SDK's `maxAttempts`), 1–10. A provider (the SDK's
   * `Provider<number>`, as a client's `maxAttempts` may be) is read on the first retry. @default 3
   */
  maxAttempts?: number | (() => number | Promise<number>)
}

/** The SDK's retry token (RetryStrategyV2 contract). */
export interface VirtualRetryToken {
  getRetryCount(): number
  getRetryDelay(): number
}

/** Base backoff of the SDK's standard strategy (2026 releases): 1 s for throttles, 50 ms otherwise. */
export const SDK_THROTTLING_BASE_DELAY_MS = 1000
/** @see SDK_THROTTLING_BASE_DELAY_MS */
export const SDK_BASE_DELAY_MS = 50
/** The SDK's backoff ceiling. */
export const SDK_MAX_RETRY_DELAY_MS = 20_000

/** What the SDK tells the strategy about a failed attempt (RetryErrorInfo; structurally typed). */
export interface RetryErrorInfo {
  errorType: string
  error?: unknown
}

/** The virtual instant the simulator answered the failed attempt at (the adapter's header on the error's `$response`). */
function answeredAtOf(errorInfo: RetryErrorInfo): number | undefined {
  const response = (errorInfo.error as { $response?: { headers?: Record<string, string | undefined> } } | undefined)?.$response
  const value = response?.headers?.[ANSWERED_AT_HEADER]
  const at = value === undefined ? NaN : Number(value)
  return Number.isFinite(at) ? at : undefined
}

function token(count: number): VirtualRetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => 0 }
}

/**
 * The AWS SDK's standard retry policy played on the simulator's virtual clock. It retries what the
 * SDK's standard strategy retries (throttles such as `TooManyRequestsException`, and transient errors
 * such as a 500 `ServiceException`), up to `maxAttempts` in all, and waits
 * `min(20 s, base × 2^retry)` with base 1 s for throttles and 50 ms otherwise: the ceiling of the
 * SDK's jittered delay, without the jitter, so runs are reproducible. The wait is `sim.sleep`: inside
 * a handler it parks the calling attempt on the virtual clock; outside one it advances the clock
 * (like `sim.advanceBy`). The SDK itself then waits 0 real ms.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export function virtualRetryStrategy(sim: Simulator, options: VirtualRetryOptions = {}): {
  readonly mode: 'standard'
  acquireInitialRetryToken(scope: string): Promise<VirtualRetryToken>
  refreshRetryTokenForRetry(token: VirtualRetryToken, errorInfo: RetryErrorInfo): Promise<VirtualRetryToken>
  recordSuccess(token: VirtualRetryToken): void
} {
  const impl = internals(sim)
  const option = options.maxAttempts ?? 3
  const check = (value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10) {
      throw new SimulatorError('InvalidOption', `Invalid maxAttempts: expected an integer from 1 to 10, got ${describe(value)}`)
    }
    return value
  }
  let resolved = typeof option === 'function' ? undefined : check(option)
  const maxAttemptsNow = async (): Promise<number> => (resolved ??= check(await (option as () => number | Promise<number>)()))
  return {
    mode: 'standard',
    acquireInitialRetryToken: () => Promise.resolve(token(0)),
    async refreshRetryTokenForRetry(previous, errorInfo) {
      const retries = previous.getRetryCount()
      const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT'
      if (!retryable || retries + 1 >= (await maxAttemptsNow())) throw new Error('No retry token available')
      const base = errorInfo.errorType === 'THROTTLING' ? SDK_THROTTLING_BASE_DELAY_MS : SDK_BASE_DELAY_MS
      const delay = Math.min(SDK_MAX_RETRY_DELAY_MS, base * 2 ** retries)
      // The backoff counts from the instant the simulator answered: concurrent sends from test code each
      // drive the clock while they wait, so by now another one's wait may have moved it.
      const answeredAt = answeredAtOf(errorInfo)
      const wait = answeredAt === undefined ? delay : Math.max(0, answeredAt + delay - impl.now())
      // A handler's tracked send (send-tracking.ts) is parked while it waits, so the clock can move.
      retryWaiting(true)
      try {
        await impl.sleep(wait)
      } finally {
        retryWaiting(false)
      }
      return token(retries + 1)
    },
    recordSuccess() {},
  }
}
