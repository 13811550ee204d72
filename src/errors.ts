/**
 * Every error the simulator raises. Two families:
 * - {@link LambdaError}: what AWS itself would answer (exception name, HTTP status, AWS's message
 *   text). Raised for invocation errors where the function never ran and for invalid API input.
 * - {@link SimulatorError}: misuse of the simulator (bad simulator option, time travel, runaway
 *   loop, pending work when the test asserts idle). AWS has no equivalent.
 * Handler failures are never thrown: they are results and records.
 */

/** An error AWS Lambda would return, with its exception name, HTTP status and message text. */
export class LambdaError extends Error {
  /** HTTP status AWS answers with (404, 429, 413, 400, ...). */
  readonly statusCode: number
  /** The `Type` member of AWS's error body (`User` for client errors). */
  readonly type: 'User' | 'Service' | undefined
  /** The `Reason` member of a `TooManyRequestsException`. */
  readonly reason: string | undefined

  constructor(name: string, statusCode: number, message: string, options: { type?: 'User' | 'Service'; reason?: string } = {}) {
    super(message)
    this.name = name
    this.statusCode = statusCode
    this.type = options.type
    this.reason = options.reason
  }
}

/** Misuse of the simulator itself. `code` is stable for tests to match on. */
export class SimulatorError extends Error {
  readonly code: 'InvalidOption' | 'TimeTravel' | 'RunawayLoop' | 'NotIdle' | 'Disposed' | 'InvalidUse' | 'LeftoverWork'

  constructor(code: SimulatorError['code'], message: string) {
    super(message)
    this.name = 'SimulatorError'
    this.code = code
  }
}

/** `ResourceNotFoundException` (404). */
export function resourceNotFound(message: string): LambdaError {
  return new LambdaError('ResourceNotFoundException', 404, message, { type: 'User' })
}

/** `InvalidParameterValueException` (400). */
export function invalidParameter(message: string): LambdaError {
  return new LambdaError('InvalidParameterValueException', 400, message, { type: 'User' })
}

/** `ResourceConflictException` (409). */
export function resourceConflict(message: string): LambdaError {
  return new LambdaError('ResourceConflictException', 409, message, { type: 'User' })
}

/**
 * `ValidationException` (400) in AWS's generic format:
 * `1 validation error detected: <v1>` / `2 validation errors detected: <v1>; <v2>`.
 * ValidationException bodies carry no `Type` on the wire.
 */
export function validationException(violations: readonly string[]): LambdaError {
  const n = violations.length
  return new LambdaError('ValidationException', 400, `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`)
}

/** `TooManyRequestsException` (429, `Rate Exceeded.`) with the given `Reason`. */
export function tooManyRequests(reason: string): LambdaError {
  return new LambdaError('TooManyRequestsException', 429, 'Rate Exceeded.', { type: 'User', reason })
}
