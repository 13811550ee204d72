import { LambdaError, SimulatorError } from './errors.js'
import { isPlainObject } from './internal/plain-object.js'
import { describe, rejectUnknownKeys, toEpochMs } from './validation.js'
import { handleName, type FunctionRef } from './functions.js'

/** A 5xx-style service fault injected in front of a function's attempts. */
export interface FaultSpec {
  /** Only this function (its name, or the handle `createFunction` returned); all functions when left out. */
  functionName?: FunctionRef
  /** Fail the next `count` attempts that match. */
  count?: number
  /** Fail attempts that start in [from, until) (epoch ms, Date or ISO string). */
  from?: number | string | Date
  until?: number | string | Date
  /** The error AWS would give. @default 'ServiceException' */
  kind?: 'ServiceException' | 'TooManyRequestsException'
}

interface ActiveFault {
  functionName: string | undefined
  remaining: number
  from: number
  until: number
  kind: 'ServiceException' | 'TooManyRequestsException'
}

/**
 * Injected service faults. An async event that meets one goes back to the queue on the throttle path
 * (exponential backoff, no retry attempt used); a synchronous invoke rejects with the fault.
 */
export class Faults {
  readonly #active: ActiveFault[] = []

  /** Inject a fault; it applies to the next `count` matching attempts, or to a time window, or both. */
  inject(spec: FaultSpec): void {
    if (!isPlainObject(spec)) throw new SimulatorError('InvalidOption', `Invalid fault: expected an object, got ${describe(spec)}`)
    rejectUnknownKeys('faults.inject', spec, ['functionName', 'count', 'from', 'until', 'kind'])
    const given: unknown = spec.functionName
    // Faults match the function's name: a handle gives its name.
    const name = typeof given === 'string' ? given : handleName(given)
    if (given !== undefined && (name === undefined || !/^[a-zA-Z0-9_-]{1,64}$/.test(name))) {
      throw new SimulatorError('InvalidOption', `Invalid fault functionName: expected a function name such as "orders" or a function handle (not an ARN or a qualified name: faults match the function's name), got ${describe(given)}`)
    }
    const count = spec.count
    if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
      throw new SimulatorError('InvalidOption', `Invalid fault count: expected a positive integer, got ${describe(count)}`)
    }
    if (count === undefined && spec.from === undefined && spec.until === undefined) {
      throw new SimulatorError('InvalidOption', 'Invalid fault: give count, a from/until window, or both')
    }
    const kind = spec.kind ?? 'ServiceException'
    if (kind !== 'ServiceException' && kind !== 'TooManyRequestsException') {
      throw new SimulatorError('InvalidOption', `Invalid fault kind: expected "ServiceException" or "TooManyRequestsException", got ${describe(kind)}`)
    }
    const from = spec.from === undefined ? -Infinity : toEpochMs('fault from', spec.from)
    const until = spec.until === undefined ? Infinity : toEpochMs('fault until', spec.until)
    if (until <= from) throw new SimulatorError('InvalidOption', 'Invalid fault window: until must be after from')
    this.#active.push({ functionName: name, remaining: count ?? Infinity, from, until, kind })
  }

  clear(): void {
    this.#active.length = 0
  }

  /** Consume a matching fault for an attempt of `functionName` starting at `now`. */
  take(functionName: string, now: number): LambdaError | undefined {
    if (this.#active.length === 0) return undefined
    for (let i = 0; i < this.#active.length; i++) {
      const f = this.#active[i] as ActiveFault
      if (f.functionName !== undefined && f.functionName !== functionName) continue
      if (now < f.from || now >= f.until) continue
      if (--f.remaining <= 0) this.#active.splice(i, 1)
      return f.kind === 'ServiceException'
        ? new LambdaError('ServiceException', 500, 'Lambda was unable to process the request (fault injected by lambda-sim).', { type: 'Service' })
        : new LambdaError('TooManyRequestsException', 429, 'Rate Exceeded.', { type: 'User', reason: 'CallerRateLimitExceeded' })
    }
    return undefined
  }
}
