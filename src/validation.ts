import { SimulatorError, validationException } from './errors.js'

/**
 * Validation in one place. AWS-mirroring inputs fail with AWS's own exception and text
 * (`ValidationException: 1 validation error detected: Value '5' at 'maximumRetryAttempts' ...`);
 * simulator-only options fail with a {@link SimulatorError} naming the option, the value and the
 * allowed range.
 */

/** Collects AWS constraint violations, then throws one ValidationException listing them all. */
export class Violations {
  readonly list: string[] = []

  /** An integer member with AWS's inclusive bounds. Non-integers are a simulator-level type error. */
  intRange(member: string, value: unknown, min: number, max: number): void {
    if (value === undefined) return
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new SimulatorError('InvalidOption', `Invalid ${member}: expected an integer from ${min} to ${max}, got ${describe(value)}`)
    }
    if (value > max) this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`)
    else if (value < min) this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`)
  }

  pattern(member: string, value: string, regex: RegExp, patternText: string): void {
    if (!regex.test(value)) this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${patternText}`)
  }

  minLength(member: string, value: string, min: number): void {
    if (value.length < min) this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`)
  }

  maxLength(member: string, value: string, max: number): void {
    if (value.length > max) this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`)
  }

  enumValue(member: string, value: unknown, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value as string)) {
      this.list.push(`Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`)
    }
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw validationException(this.list)
  }
}

/** "a", "a and b", "a, b and c": a list in a message. */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] as string}`
}

/** A readable rendering of a bad value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return `a function`
  if (typeof value === 'bigint') return `${value}n`
  if (value === null || typeof value !== 'object') return String(value)
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  // A typed array or DataView by its kind and size, not as JSON ({"0":1} or {}).
  if (ArrayBuffer.isView(value)) return `a ${Object.prototype.toString.call(value).slice(8, -1)} of ${value.byteLength} bytes`
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`
  try {
    const s = JSON.stringify(value)
    return s.length > 80 ? `${s.slice(0, 77)}...` : s
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** A simulator option: an integer within [min, max]. */
export function optionInt(name: string, value: unknown, min: number, max: number, unit = ''): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SimulatorError('InvalidOption', `Invalid option ${name}: expected an integer from ${min} to ${max}${unit ? ` (${unit})` : ''}, got ${describe(value)}`)
  }
  return value
}

/** A simulator option that must be a string matching `regex`. */
export function optionString(name: string, value: unknown, regex: RegExp, expected: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !regex.test(value)) {
    throw new SimulatorError('InvalidOption', `Invalid option ${name}: expected ${expected}, got ${describe(value)}`)
  }
  return value
}

/** Reject keys not in `allowed` (catches typos such as `maxRetryAttempts`). */
export function rejectUnknownKeys(what: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new SimulatorError('InvalidOption', `Unknown option ${JSON.stringify(key)} for ${what}; allowed: ${allowed.join(', ')}`)
    }
  }
}

/** A time given as epoch ms, a Date or an ISO-8601 string. */
export function toEpochMs(name: string, value: unknown): number {
  let ms: number
  if (typeof value === 'number') ms = value
  else if (value instanceof Date) ms = value.getTime()
  else if (typeof value === 'string') ms = Date.parse(value)
  else ms = NaN
  if (!Number.isFinite(ms)) {
    throw new SimulatorError('InvalidOption', `Invalid ${name}: expected epoch milliseconds, a Date or an ISO-8601 string, got ${describe(value)}`)
  }
  // A finite number past ±8.64e15 is no instant: toISOString throws a RangeError deep inside on it.
  if (Math.abs(ms) > MAX_DATE_MS) throw new SimulatorError('InvalidOption', `Invalid ${name} ${describe(value)}: outside the range of a Date (±${MAX_DATE_MS} epoch milliseconds)`)
  return ms
}

/** The last instant a `Date` can hold: 100,000,000 days after 1970 (+275760-09-13T00:00:00.000Z); the first is its negative. */
export const MAX_DATE_MS = 8.64e15
