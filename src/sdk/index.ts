/**
 * `lambda-sim/sdk`: the real AWS SDK v3 `LambdaClient`, answered in process by a simulator.
 * The only module of lambda-sim that imports `@aws-sdk/client-lambda` (an optional peer dependency);
 * the main entry never does.
 */
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda'
import type { Simulator } from '../simulator.js'
import { internals } from '../simulator.js'
import { simulatorRequestHandler, type SimulatorRequestHandler } from './request-handler.js'
import { virtualRetryStrategy } from './retry.js'
import { sendTrackingMiddleware } from './send-tracking.js'

/** Credentials the simulator's client signs with (never checked; no credential chain runs). */
export const SIMULATOR_CREDENTIALS = { accessKeyId: 'LAMBDASIMACCESSKEY', secretAccessKey: 'lambda-sim-secret-access-key' } as const

/**
 * Configuration for a `LambdaClient` whose requests the simulator answers: the simulator's region,
 * fixed credentials, {@link simulatorRequestHandler} and {@link virtualRetryStrategy}. Spread it into
 * the configuration of a client your application builds.
 */
export function lambdaClientConfig(
  sim: Simulator,
  options: { maxAttempts?: number } = {},
): { region: string; credentials: { accessKeyId: string; secretAccessKey: string }; requestHandler: SimulatorRequestHandler; maxAttempts: number; retryStrategy: ReturnType<typeof virtualRetryStrategy> } {
  const maxAttempts = options.maxAttempts ?? 1
  return {
    region: internals(sim).region,
    credentials: { ...SIMULATOR_CREDENTIALS },
    requestHandler: simulatorRequestHandler(sim),
    maxAttempts,
    retryStrategy: virtualRetryStrategy(sim, { maxAttempts }),
  }
}

/**
 * A genuine `LambdaClient` answered by `sim`. Defaults: the simulator's region, fixed credentials,
 * and `maxAttempts: 1`, so a throttle or fault reaches the caller at once, at the virtual instant it
 * happened. A numeric `maxAttempts` retries with the SDK's standard policy on the virtual clock
 * ({@link virtualRetryStrategy}); any other option is passed to the client as given.
 */
export function lambdaClient(sim: Simulator, config: LambdaClientConfig = {}): LambdaClient {
  const maxAttempts = typeof config.maxAttempts === 'number' ? config.maxAttempts : 1
  const client = new LambdaClient({ ...lambdaClientConfig(sim, { maxAttempts }), ...config })
  client.middlewareStack.use(sendTracking(sim))
  return client
}

/** The SDK's plugin type: what `client.middlewareStack.use` takes. */
export type LambdaClientPlugin = Parameters<LambdaClient['middlewareStack']['use']>[0]

/**
 * A plugin that lets the simulator see a handler's `send` start, so that one the handler does not
 * await before returning is frozen with its environment like a forgotten timer (a `work-left-running`
 * event; strict mode fails on it) and goes out when that environment is next invoked. It also keeps
 * the virtual clock still while a handler's request is on its way through the SDK's middleware, so
 * where it lands never depends on real time. `lambdaClient(sim)` installs it; for a client your
 * application builds, `client.middlewareStack.use(sendTracking(sim))`. See docs/sdk.md.
 */
export function sendTracking(sim: Simulator): LambdaClientPlugin {
  const middleware = sendTrackingMiddleware(sim)
  return {
    applyToStack(stack) {
      // Structurally typed in send-tracking.ts (no SDK types there): it passes the SDK's arguments and result through.
      stack.add(middleware as never, { step: 'initialize', priority: 'high', name: 'lambdaSimSendTracking', override: true })
    },
  }
}

export { simulatorRequestHandler, SimulatorRequestHandler } from './request-handler.js'
export type { SdkHttpRequest, SdkHttpResponse } from './request-handler.js'
export { virtualRetryStrategy, SDK_BASE_DELAY_MS, SDK_THROTTLING_BASE_DELAY_MS, SDK_MAX_RETRY_DELAY_MS } from './retry.js'
export type { VirtualRetryOptions, VirtualRetryToken } from './retry.js'
export { IMPLEMENTED_OPERATIONS } from './routes.js'
