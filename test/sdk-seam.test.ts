import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { describe, expect, test } from 'vitest'
import { createSimulator } from '../src/index.js'
import { lambdaClient, lambdaClientConfig } from '../src/sdk/index.js'

/**
 * Clients the application builds from `lambdaClientConfig(sim)` (no `sendTracking`): the seam of
 * docs/sdk.md. The first test of this file is the first SDK request of its process (vitest gives each
 * file its own module graph, so the SDK's shared-config cache starts empty): it must not wait for the
 * shared AWS config files, which the SDK otherwise reads (real file I/O, a macrotask turn or more) for
 * authSchemePreference, the service's configured endpoint, useFipsEndpoint, useDualstackEndpoint,
 * userAgentAppId and disableClockSkewCorrection.
 */

/** Macrotask turns (setImmediate) that pass from `client.send` until the request handler is called. */
async function turnsToHandler(client: LambdaClient, handler: { handle: (...a: never[]) => unknown }): Promise<number> {
  let turns = 0
  let counting = true
  const tick = (): void => {
    turns++
    if (counting) setImmediate(tick)
  }
  let atHandle = -1
  const handle = handler.handle.bind(handler) as (...a: unknown[]) => unknown
  ;(handler as { handle: unknown }).handle = (...a: unknown[]) => {
    atHandle = turns
    counting = false
    return handle(...a)
  }
  setImmediate(tick)
  await client.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event', Payload: '{}' }))
  counting = false
  return atHandle
}

describe('lambdaClientConfig: no real I/O between send and the request handler', () => {
  test('the first request of a process reaches the request handler within microtasks (0 macrotask turns): the config pins every value the SDK would read from the shared config files', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    const config = lambdaClientConfig(sim)
    expect(await turnsToHandler(new LambdaClient(config), config.requestHandler)).toBe(0)
  })

  test('a second client takes 0 turns as well', async () => {
    const sim = createSimulator()
    sim.createFunction('worker', async () => {})
    const config = lambdaClientConfig(sim)
    expect(await turnsToHandler(new LambdaClient(config), config.requestHandler)).toBe(0)
  })

  test('the pinned values are the SDK defaults an unconfigured machine gets: no auth scheme preference, no configured endpoint URL, no FIPS or dual-stack endpoint, no app id, clock-skew correction on', async () => {
    const sim = createSimulator()
    const config = lambdaClientConfig(sim)
    expect(config.authSchemePreference).toEqual([])
    expect(config.ignoreConfiguredEndpointUrls).toBe(true)
    expect(config.useFipsEndpoint).toBe(false)
    expect(config.useDualstackEndpoint).toBe(false)
    expect(await config.userAgentAppId()).toBeUndefined()
    expect(config.disableClockSkewCorrection).toBe(false)
    // lambdaClient(sim) is built from it and still answers.
    sim.createFunction('f', async () => 'hi')
    const r = await lambdaClient(sim).send(new InvokeCommand({ FunctionName: 'f' }))
    expect(Buffer.from(r.Payload ?? []).toString()).toBe('"hi"')
  })
})
