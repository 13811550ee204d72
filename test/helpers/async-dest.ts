import type { SimEvent, Simulator } from '../../src/index.js'

/** The default virtual start time (2026-01-01T00:00:00.000Z). */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z')

/** Seconds since T0. */
export const sec = (time: number): number => (time - T0) / 1000

/** An Error whose stack is fixed, so records containing its trace can be asserted byte for byte. */
export function fixedError(message: string, name = 'Error'): Error {
  const e = new Error(message)
  e.name = name
  e.stack = `${name}: ${message}\n    at handler (index.mjs:1:1)`
  return e
}

/** The error payload AWS's runtime produces for {@link fixedError}. */
export function errorJson(message: string, name = 'Error'): string {
  return JSON.stringify({ errorType: name, errorMessage: message, trace: [`${name}: ${message}`, '    at handler (index.mjs:1:1)'] })
}

/** Timeline entries of the given types as `type@seconds` strings (compact, exact assertions). */
export function trace(sim: Simulator, types: SimEvent['type'][], requestId?: string): string[] {
  return sim.timeline.entries
    .filter((e) => types.includes(e.type) && (requestId === undefined || ('requestId' in e && e.requestId === requestId)))
    .map((e) => `${e.type}@${sec(e.time)}`)
}

/** Start times (seconds since T0) of the attempts of one request. */
export function attemptStarts(sim: Simulator, requestId: string): number[] {
  return sim.timeline.ofType('attempt-started').filter((e) => e.requestId === requestId).map((e) => sec(e.time))
}

/** The terminal entry of one request. */
export function terminalOf(sim: Simulator, requestId: string): Extract<SimEvent, { type: 'terminal' }> | undefined {
  return sim.timeline.ofType('terminal').find((e) => e.requestId === requestId)
}
