/**
 * `lambda-sim/sdk`: the real AWS SDK v3 `LambdaClient`, answered in process by a simulator.
 * The only module of lambda-sim that imports `@aws-sdk/client-lambda` (an optional peer dependency);
 * the main entry never does.
 */
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda'
import type { Simulator } from '../simulator.js'
import { internals } from '../simulator.js'
import { simulatorRequestHandler, trackedRequestHandler, type SimulatorRequestHandler } from './request-handler.js'
import { virtualRetryStrategy } from './retry.js'
import { sendTrackingMiddleware } from './send-tracking.js'

/** Credentials the simulator's client signs with (never checked; no credential chain runs). */
export const SIMULATOR_CREDENTIALS = { accessKeyId: 'LAMBDASIMACCESSKEY', secretAccessKey: 'lambda-sim-secret-access-key' } as const

/** What {@link lambdaClientConfig} returns: every member is a `LambdaClientConfig` option. */
export interface SimulatorClientConfig {
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  requestHandler: SimulatorRequestHandler
  maxAttempts: number
  retryStrategy: ReturnType<typeof virtualRetryStrategy>
  /** The values below are those the SDK would otherwise read from the shared AWS config files (real file I/O) on a client's first request. */
  authSchemePreference: string[]
  ignoreConfiguredEndpointUrls: boolean
  useFipsEndpoint: boolean
  useDualstackEndpoint: boolean
  userAgentAppId: () => Promise<string | undefined>
  disableClockSkewCorrection: boolean
}

/**
 * Configuration for a `LambdaClient` whose requests the simulator answers: the simulator's region,
 * fixed credentials, {@link simulatorRequestHandler} and {@link virtualRetryStrategy}. Spread it into
 * the configuration of a client your application builds.
 *
 * It also pins, to the defaults of a machine with no AWS configuration, every setting the SDK would
 * otherwise load from the environment and the shared config files (`~/.aws/config`, `~/.aws/credentials`)
 * while a client's first request is on its way: `authSchemePreference`, the service's configured
 * endpoint URL (`ignoreConfiguredEndpointUrls`), `useFipsEndpoint`, `useDualstackEndpoint`,
 * `userAgentAppId` and `disableClockSkewCorrection`. Reading them is real file I/O, a macrotask turn or
 * more; without it a request reaches the simulator within microtasks of `send`, on the first request
 * of a process too, so where it lands never depends on real time. None of them changes what the
 * simulator answers.
 */
export function lambdaClientConfig(sim: Simulator, options: { maxAttempts?: number } = {}): SimulatorClientConfig {
  return clientConfig(sim, options.maxAttempts ?? 1, simulatorRequestHandler(sim))
}

function clientConfig(sim: Simulator, maxAttempts: number, requestHandler: SimulatorRequestHandler): SimulatorClientConfig {
  return {
    region: internals(sim).region,
    credentials: { ...SIMULATOR_CREDENTIALS },
    requestHandler,
    maxAttempts,
    retryStrategy: virtualRetryStrategy(sim, { maxAttempts }),
    authSchemePreference: [],
    ignoreConfiguredEndpointUrls: true,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    // A provider: an undefined value would let the SDK load its own.
    userAgentAppId: () => Promise.resolve(undefined),
    disableClockSkewCorrection: false,
  }
}

/**
 * A genuine `LambdaClient` answered by `sim`. Defaults: the simulator's region, fixed credentials,
 * and `maxAttempts: 1`, so a throttle or fault reaches the caller at once, at the virtual instant it
 * happened. A `maxAttempts` (a number, or the SDK's provider of one) retries with the SDK's standard policy on the virtual clock
 * ({@link virtualRetryStrategy}); any other option is passed to the client as given.
 */
export function lambdaClient(sim: Simulator, config: LambdaClientConfig = {}): LambdaClient {
  const base = clientConfig(sim, typeof config.maxAttempts === 'number' ? config.maxAttempts : 1, trackedRequestHandler(sim))
  // A provider (the SDK's Provider<number>) is read by the strategy on the first retry.
  if (typeof config.maxAttempts === 'function') base.retryStrategy = virtualRetryStrategy(sim, { maxAttempts: config.maxAttempts })
  const client = new LambdaClient({ ...base, ...config })
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
