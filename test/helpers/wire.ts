import type { Simulator } from '../../src/index.js'
import { simulatorRequestHandler } from '../../src/sdk/index.js'

/**
 * A hand-built REST-JSON request to the SDK adapter (`body` sent as its JSON), its error answer thrown
 * as an Error named by `x-amzn-ErrorType`, as the SDK raises it. The SDK's own serialisers send an
 * array given for a structure as `{}`, so only a hand-built body can put one on the wire.
 */
export async function wireRequest(sim: Simulator, method: string, path: string, body: unknown): Promise<string> {
  const { response } = await simulatorRequestHandler(sim).handle({ method, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const text = Buffer.from(response.body).toString('utf8')
  if (response.statusCode < 400) return text
  const answer = JSON.parse(text) as { message?: string; Message?: string }
  const error = new Error(answer.message ?? answer.Message)
  error.name = String(response.headers['x-amzn-errortype'])
  throw error
}
