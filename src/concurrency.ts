import { invalidParameter } from './errors.js'
import type { LambdaError } from './errors.js'
import type { Faults } from './faults.js'
import type { LambdaFunction } from './functions.js'

/**
 * Account and reserved concurrency (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
 * Reserved concurrency is function-wide (all versions and aliases) and both guarantees and caps;
 * functions without it share what the reservations leave of the account limit. At least 100 must
 * stay unreserved, or the whole limit when it is below 100 (new accounts get 10: AWS then refuses any
 * reservation but 0, "below its minimum value of [10]").
 */
export class Concurrency {
  readonly accountLimit: number
  /** What must stay unreserved: 100, or the whole account limit below that. */
  readonly unreservedMinimum: number
  #reservedTotal = 0
  #unreservedInFlight = 0

  constructor(accountLimit: number) {
    this.accountLimit = accountLimit
    this.unreservedMinimum = Math.min(100, accountLimit)
  }

  get unreservedLimit(): number {
    return this.accountLimit - this.#reservedTotal
  }

  /** Take a slot, or return the throttle `Reason` AWS would give. */
  tryAcquire(fn: LambdaFunction): string | undefined {
    const reserved = fn.reservedConcurrency
    if (reserved !== undefined) {
      if (fn.inFlight >= reserved) return 'ReservedFunctionConcurrentInvocationLimitExceeded'
    } else {
      if (this.#unreservedInFlight >= this.unreservedLimit) return 'ConcurrentInvocationLimitExceeded'
      this.#unreservedInFlight++
    }
    fn.inFlight++
    return undefined
  }

  release(fn: LambdaFunction): void {
    fn.inFlight--
    if (fn.reservedConcurrency === undefined) this.#unreservedInFlight--
  }

  /** PutFunctionConcurrency's account-level check. Call before changing `fn.reservedConcurrency`. */
  reserve(fn: LambdaFunction, value: number): void {
    const others = this.#reservedTotal - (fn.reservedConcurrency ?? 0)
    if (this.accountLimit - (others + value) < this.unreservedMinimum) {
      throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.unreservedMinimum}].`)
    }
    this.#move(fn, value)
  }

  unreserve(fn: LambdaFunction): void {
    this.#move(fn, undefined)
  }

  #move(fn: LambdaFunction, value: number | undefined): void {
    // In-flight invocations move between the shared pool and the reservation with the function.
    if (fn.reservedConcurrency === undefined) this.#unreservedInFlight -= fn.inFlight
    if (value === undefined) this.#unreservedInFlight += fn.inFlight
    this.#reservedTotal += (value ?? 0) - (fn.reservedConcurrency ?? 0)
    fn.reservedConcurrency = value
  }
}

/**
 * What stops a synchronous invocation of `fn` starting now (a direct invoke or an event source
 * mapping's batch): an injected service fault, reserved concurrency 0, or no free slot (the throttle
 * `Reason`). When nothing does, a slot is taken.
 */
export function admitSync(faults: Faults, concurrency: Concurrency, fn: LambdaFunction, now: number): { fault: LambdaError | undefined; reason: string | undefined } {
  const fault = faults.take(fn.name, now)
  if (fault !== undefined) return { fault, reason: undefined }
  return { fault: undefined, reason: fn.reservedConcurrency === 0 ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : concurrency.tryAcquire(fn) }
}
