import { LambdaError } from '../../src/index.js'

/** The error `p` rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p
  } catch (error) {
    return error as Error & Record<string, unknown>
  }
  throw new Error('expected a rejection')
}

/** What `call` throws or its promise rejects with, or undefined when it succeeds (a catalogue of refused calls checks the value itself). */
export async function thrownBy(call: () => unknown): Promise<unknown> {
  try {
    await call()
  } catch (error) {
    return error
  }
  return undefined
}

/** The LambdaError `p` rejects with (fails the test if it resolves or rejects with anything else). */
export async function lambdaRejection(p: Promise<unknown>): Promise<LambdaError> {
  const error = await rejection(p)
  if (!(error instanceof LambdaError)) throw new Error(`expected a LambdaError, got ${String(error)}`)
  return error
}

/** `[name, statusCode, message]` of the LambdaError `f` throws (fails the test otherwise). */
export function lambdaErr(f: () => unknown): [string, number, string] {
  try {
    f()
  } catch (error) {
    if (error instanceof LambdaError) return [error.name, error.statusCode, error.message]
    throw error
  }
  throw new Error('expected a LambdaError')
}

/** The LambdaError `f` throws (fails the test if it returns or throws anything else). */
export function thrownLambdaError(f: () => unknown): LambdaError {
  try {
    f()
  } catch (error) {
    if (error instanceof LambdaError) return error
    throw error
  }
  throw new Error('expected a LambdaError')
}
