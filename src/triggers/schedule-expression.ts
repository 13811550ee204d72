/**
 * EventBridge Scheduler / EventBridge rule schedule expressions (`rate(...)`,
 * `cron(...)`, `at(...)`) evaluated on a virtual clock.
 *
 * Everything here is a pure function of its arguments: no reads of the real
 * clock, no randomness, no timers. Time zones are resolved with
 * `Intl.DateTimeFormat`, which only converts a given epoch instant to a wall
 * clock time.
 *
 * Daylight saving time (and any other UTC-offset change) is handled as follows
 * for `cron(...)` and `at(...)`, which name wall-clock times in the schedule's
 * time zone:
 *
 * - A `cron(...)` wall-clock time that does not exist (it falls in the gap
 *   when clocks spring forward) is skipped, as AWS's knowledge-center article
 *   on EventBridge Scheduler and DST says ("your schedule invocation gets
 *   skipped if the cron expression falls on a non-existent date and time").
 *   In America/New_York on 2025-03-09, `cron(30 2 * * ? *)` does not fire;
 *   the next run is 02:30 EDT on 10 March.
 * - An `at(...)` time in the gap fires at the first valid instant after the
 *   gap (the transition itself): AWS says nothing about one-time schedules in
 *   a gap, and skipping would lose the only run.
 * - A wall-clock time that occurs twice (clocks fall back) fires once, at its
 *   first occurrence. In America/New_York on 2025-11-02, 01:30 fires at 01:30
 *   EDT (05:30Z) and not again at 01:30 EST (06:30Z).
 *
 * `rate(...)` is a fixed duration and ignores time zones: `rate(1 day)` is
 * always 24 hours, across DST changes too.
 *
 * @packageDocumentation
 */

import { LambdaError } from '../errors.js'

/** A parsed `rate(value unit)` expression. */
export type RateExpression = {
  readonly kind: 'rate'
  /** The period in milliseconds (value × 60 000, 3 600 000 or 86 400 000). */
  readonly everyMs: number
  /** The expression exactly as given to {@link parseScheduleExpression}. */
  readonly text: string
}

/**
 * The day-of-month field of a parsed cron expression (when it is not `?`).
 * A day matches when any of the parts matches.
 */
export type CronDayOfMonth = {
  /** Plain days 1-31 from numbers, ranges, increments and `*`, ascending. Days a month lacks never match. */
  readonly days: readonly number[]
  /** `L`: the last day of the month. */
  readonly lastDay: boolean
  /** `LW`: the last weekday (Monday to Friday) of the month. */
  readonly lastWeekday: boolean
  /** `nW`: the weekday nearest to day n, without leaving the month; ascending. */
  readonly nearestWeekday: readonly number[]
}

/**
 * The day-of-week field of a parsed cron expression (when it is not `?`).
 * Days of the week are numbered 1 = Sunday … 7 = Saturday.
 * A day matches when any of the parts matches.
 */
export type CronDayOfWeek = {
  /** Days of the week from numbers, names, ranges and `*`, ascending; `L` alone is 7 (Saturday). */
  readonly weekdays: readonly number[]
  /** `nL`: the last such day of the week in the month (`5L` = last Thursday); ascending. */
  readonly lastInMonth: readonly number[]
  /** `n#k`: the k-th such day of the week in the month (`3#2` = second Tuesday). */
  readonly nthInMonth: readonly { readonly weekday: number; readonly nth: number }[]
}

/** A parsed `cron(minutes hours day-of-month month day-of-week year)` expression. */
export type CronExpression = {
  readonly kind: 'cron'
  /** The expression exactly as given to {@link parseScheduleExpression}. */
  readonly text: string
  /** Allowed minutes 0-59, ascending. */
  readonly minutes: readonly number[]
  /** Allowed hours 0-23, ascending. */
  readonly hours: readonly number[]
  /** The day-of-month field, or `undefined` when it is `?`. */
  readonly dayOfMonth: CronDayOfMonth | undefined
  /** Allowed months 1-12, ascending. */
  readonly months: readonly number[]
  /** The day-of-week field, or `undefined` when it is `?`. */
  readonly dayOfWeek: CronDayOfWeek | undefined
  /** Allowed years 1970-2199, ascending. */
  readonly years: readonly number[]
}

/** A parsed one-time `at(yyyy-mm-ddThh:mm:ss)` expression. */
export type AtExpression = {
  readonly kind: 'at'
  /** The wall-clock date and time `yyyy-mm-ddThh:mm:ss`, read in the schedule's time zone. */
  readonly atLocal: string
  /** The expression exactly as given to {@link parseScheduleExpression}. */
  readonly text: string
}

/** A parsed EventBridge schedule expression; see {@link parseScheduleExpression}. */
export type ScheduleExpression = RateExpression | CronExpression | AtExpression

/** Options of {@link nextFireTime}. */
export type NextFireTimeOptions = {
  /** IANA time zone in which `cron(...)` and `at(...)` are read. Default `'UTC'`. Ignored by `rate(...)` (but still validated). */
  readonly timezone?: string | undefined
  /**
   * For `rate(...)`: when the schedule was created (its `StartDate`), in epoch ms.
   * The schedule fires at `anchorMs + k × everyMs` for k = 0, 1, 2, …
   * Default: `afterMs`, so the first fire time is one period after `afterMs`.
   */
  readonly anchorMs?: number | undefined
}

/**
 * Thrown for a schedule expression or time zone that AWS would reject: EventBridge Scheduler's
 * `ValidationException` (400). For an expression the message is AWS's text,
 * `Invalid Schedule Expression <expression>.` (LocalStack's AWS-validated
 * `tests_create_schedule_with_invalid_schedule_expression`), and lambda-sim's explanation (the part
 * at fault and what is allowed) is in {@link ScheduleExpressionError.detail}. For a time zone, whose
 * AWS text is not recorded, the message is lambda-sim's own and names the zone.
 *
 * A {@link LambdaError} (`name` `'ValidationException'`, `statusCode` 400); until the Unreleased version it was a
 * plain `Error` named `'ScheduleExpressionError'` whose message was the detail.
 */
export class ScheduleExpressionError extends LambdaError {
  /** The expression at fault. */
  readonly expression: string | undefined
  /** The part at fault, e.g. `'minutes'`, `'day-of-week'`, `'rate unit'`, `'timezone'`; `undefined` for the overall form. */
  readonly field: string | undefined
  /**
   * lambda-sim's explanation, which AWS's text leaves out: the part at fault and what is allowed,
   * e.g. `day-of-month and day-of-week cannot both be specified; use ? in one of them`. When the
   * message does not already hold it, it is also the `cause` (an `Error` with this message), so a
   * test runner or Node prints it under AWS's text.
   */
  readonly detail: string

  /**
   * @param message - the complete message.
   * @param details - the expression, the part of it at fault and the explanation (default: the message).
   */
  constructor(message: string, details: { readonly expression?: string; readonly field?: string; readonly detail?: string } = {}) {
    super('ValidationException', 400, message)
    this.expression = details.expression
    this.field = details.field
    this.detail = details.detail ?? message
    // Shown where the error is printed (Node's `[cause]`, vitest's "Caused by:"), as `new Error(m, { cause })` would.
    if (!message.includes(this.detail)) {
      Object.defineProperty(this, 'cause', { value: new Error(this.detail), writable: true, enumerable: false, configurable: true })
    }
  }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

const RATE_UNITS: Readonly<Record<string, { readonly ms: number; readonly singular: string; readonly plural: string }>> = {
  minute: { ms: MINUTE_MS, singular: 'minute', plural: 'minutes' },
  minutes: { ms: MINUTE_MS, singular: 'minute', plural: 'minutes' },
  hour: { ms: HOUR_MS, singular: 'hour', plural: 'hours' },
  hours: { ms: HOUR_MS, singular: 'hour', plural: 'hours' },
  day: { ms: DAY_MS, singular: 'day', plural: 'days' },
  days: { ms: DAY_MS, singular: 'day', plural: 'days' },
}

type FieldName = 'minutes' | 'hours' | 'day-of-month' | 'month' | 'day-of-week' | 'year'

type FieldDef = {
  readonly name: FieldName
  readonly min: number
  readonly max: number
  /** Names for min, min + 1, … (months and days of the week). */
  readonly names?: readonly string[]
  /** Whether `/` increments are allowed (AWS lists none for day-of-week). */
  readonly increments: boolean
  /** Whether a range may wrap past the maximum (`FRI-MON`, `22-2`). */
  readonly cyclic: boolean
  /** What the field allows, for error messages. */
  readonly allowed: string
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const

const FIELDS: readonly [FieldDef, FieldDef, FieldDef, FieldDef, FieldDef, FieldDef] = [
  { name: 'minutes', min: 0, max: 59, increments: true, cyclic: true, allowed: '0-59 and the wildcards , - * /' },
  { name: 'hours', min: 0, max: 23, increments: true, cyclic: true, allowed: '0-23 and the wildcards , - * /' },
  {
    name: 'day-of-month',
    min: 1,
    max: 31,
    increments: true,
    cyclic: true,
    allowed: '1-31 and the wildcards , - * ? / L W (e.g. L, 15W, LW)',
  },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: MONTH_NAMES,
    increments: true,
    cyclic: true,
    allowed: '1-12 or JAN-DEC and the wildcards , - * /',
  },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: DAY_NAMES,
    increments: false,
    cyclic: true,
    allowed: '1-7 or SUN-SAT (1 = SUN) and the wildcards , - * ? L # (e.g. L, 5L, 3#2)',
  },
  { name: 'year', min: 1970, max: 2199, increments: true, cyclic: false, allowed: '1970-2199 and the wildcards , - * /' },
]

const FORMS =
  'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)'

/** Builds errors with AWS's text, `Invalid Schedule Expression <expression>.`, and lambda-sim's detail apart. */
function failer(expression: string): (detail: string, field?: string) => ScheduleExpressionError {
  return (detail, field) =>
    new ScheduleExpressionError(`Invalid Schedule Expression ${String(expression)}.`, field === undefined ? { expression, detail } : { expression, field, detail })
}

type Fail = ReturnType<typeof failer>

/**
 * Parses an EventBridge schedule expression:
 *
 * - `rate(value unit)`: value a positive integer; unit `minute`, `hour` or `day`
 *   for 1 and `minutes`, `hours` or `days` for larger values.
 * - `cron(minutes hours day-of-month month day-of-week year)`: exactly six
 *   fields with AWS's ranges (minutes 0-59, hours 0-23, day-of-month 1-31,
 *   month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT with 1 = SUN, year
 *   1970-2199) and wildcards (`, - * /` everywhere except `/` in day-of-week;
 *   `?` in exactly one of day-of-month and day-of-week; `L` and `W` in
 *   day-of-month; `L` and `#` in day-of-week, a `#` element standing alone).
 *   Ranges wrap in every field but year (`FRI-MON`, `22-2`). Names are
 *   case-insensitive.
 * - `at(yyyy-mm-ddThh:mm:ss)`: a one-time wall-clock date and time, read in the
 *   schedule's time zone.
 *
 * @param expression - the expression, e.g. `cron(0 12 L * ? *)`.
 * @returns the parsed expression; its `text` is `expression` unchanged.
 * @throws {@link ScheduleExpressionError} (`ValidationException`) with AWS's text, e.g.
 *   `Invalid Schedule Expression cron(0 12 * * * *).`, its `field` the part at fault and its `detail`
 *   what is wrong and what is allowed, e.g. `day-of-month and day-of-week cannot both be specified;
 *   use ? in one of them`.
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const fail = failer(expression)
  if (typeof expression !== 'string') throw fail(FORMS)
  const match = /^(rate|cron|at)\((.*)\)$/s.exec(expression)
  if (match === null) throw fail(FORMS)
  const kind = match[1]
  const body = match[2] ?? ''
  if (kind === 'rate') return parseRate(expression, body, fail)
  if (kind === 'cron') return parseCron(expression, body, fail)
  parseAtLocal(body, fail)
  return { kind: 'at', atLocal: body, text: expression }
}

function parseRate(text: string, body: string, fail: Fail): RateExpression {
  const parts = /^(\S+) (\S+)$/.exec(body)
  if (parts === null) throw fail('rate expects "value unit", e.g. rate(5 minutes)')
  const valueText = parts[1] ?? ''
  const unitText = parts[2] ?? ''
  if (!/^\d+$/.test(valueText) || Number(valueText) === 0) {
    throw fail(`rate value "${valueText}" must be a positive integer`, 'rate value')
  }
  const value = Number(valueText)
  const unit = RATE_UNITS[unitText]
  if (unit === undefined) {
    throw fail(`rate unit "${unitText}" is not valid; allowed: minute, minutes, hour, hours, day, days`, 'rate unit')
  }
  if (value === 1 && unitText !== unit.singular) {
    throw fail(`rate value 1 requires the singular unit "${unit.singular}", not "${unitText}"`, 'rate unit')
  }
  if (value > 1 && unitText !== unit.plural) {
    throw fail(`rate value ${value} requires the plural unit "${unit.plural}", not "${unitText}"`, 'rate unit')
  }
  const everyMs = value * unit.ms
  if (!Number.isSafeInteger(everyMs)) throw fail(`rate value ${valueText} is too large`, 'rate value')
  return { kind: 'rate', everyMs, text }
}

function parseCron(text: string, body: string, fail: Fail): CronExpression {
  const tokens = body.trim() === '' ? [] : body.trim().split(/\s+/)
  if (tokens.length !== 6) {
    const seconds = tokens.length === 7 ? '; seconds are not supported' : ''
    throw fail(
      `cron expects exactly 6 fields (minutes hours day-of-month month day-of-week year) but got ${tokens.length}${seconds}`,
    )
  }
  const [minutesText, hoursText, domText, monthText, dowText, yearText] = tokens as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  const [minutesDef, hoursDef, domDef, monthDef, dowDef, yearDef] = FIELDS

  // Check every field's own syntax first, left to right, then the ? rule.
  const minutes = parseNumericField(minutesText, minutesDef, fail)
  const hours = parseNumericField(hoursText, hoursDef, fail)
  const dayOfMonth = parseDayOfMonth(domText, domDef, fail)
  const months = parseNumericField(monthText, monthDef, fail)
  const dayOfWeek = parseDayOfWeek(dowText, dowDef, fail)
  const years = parseNumericField(yearText, yearDef, fail)

  if (dayOfMonth !== undefined && dayOfWeek !== undefined) {
    throw fail('day-of-month and day-of-week cannot both be specified; use ? in one of them', 'day-of-month')
  }
  if (dayOfMonth === undefined && dayOfWeek === undefined) {
    throw fail('day-of-month and day-of-week cannot both be ?; specify one of them', 'day-of-month')
  }
  return { kind: 'cron', text, minutes, hours, dayOfMonth, months, dayOfWeek, years }
}

function splitList(fieldText: string, def: FieldDef, fail: Fail): string[] {
  const elements = fieldText.split(',')
  for (const element of elements) {
    if (element === '') throw fail(`${def.name} "${fieldText}" has an empty list element; allowed: ${def.allowed}`, def.name)
    if (element !== '?') continue
    if (def.name !== 'day-of-month' && def.name !== 'day-of-week') {
      throw fail(`${def.name} does not allow ?; ? is allowed only in day-of-month or day-of-week`, def.name)
    }
    if (elements.length > 1) throw fail(`${def.name} ? must stand alone, not in a list`, def.name)
  }
  return elements
}

function parseNumericField(fieldText: string, def: FieldDef, fail: Fail): number[] {
  const values = new Set<number>()
  for (const element of splitList(fieldText, def, fail)) {
    for (const value of parseNumericElement(element, def, fail)) values.add(value)
  }
  return [...values].sort((a, b) => a - b)
}

/** `*`, `*‌/s`, `v`, `v/s`, `a-b`, `a-b/s` with v, a, b numbers or names. */
function parseNumericElement(element: string, def: FieldDef, fail: Fail): number[] {
  const syntax = /^(?:(\*)|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d+))?$/.exec(element)
  if (syntax === null) throw invalid(element, def, fail)
  const [, star, startText, endText, stepText] = syntax
  let step = 1
  if (stepText !== undefined) {
    if (!def.increments) {
      throw fail(`${def.name} does not allow the / wildcard; allowed: ${def.allowed}`, def.name)
    }
    step = Number(stepText)
    if (step === 0) throw fail(`${def.name} increment in "${element}" must be a positive integer`, def.name)
  }
  let sequence: number[]
  if (star !== undefined) {
    sequence = rangeInclusive(def.min, def.max)
  } else {
    const start = parseFieldValue(startText ?? '', element, def, fail)
    if (endText === undefined) {
      // `v` alone, or `v/s`: from v to the end of the field.
      sequence = stepText === undefined ? [start] : rangeInclusive(start, def.max)
    } else {
      const end = parseFieldValue(endText, element, def, fail)
      if (start <= end) sequence = rangeInclusive(start, end)
      else if (def.cyclic) sequence = [...rangeInclusive(start, def.max), ...rangeInclusive(def.min, end)]
      else throw fail(`${def.name} range "${element}" runs backwards; allowed: ${def.allowed}`, def.name)
    }
  }
  return sequence.filter((_, index) => index % step === 0)
}

function parseFieldValue(valueText: string, element: string, def: FieldDef, fail: Fail): number {
  if (/^\d+$/.test(valueText)) {
    const value = Number(valueText)
    if (value < def.min || value > def.max) {
      throw fail(`${def.name} value ${valueText} is out of range; allowed: ${def.allowed}`, def.name)
    }
    return value
  }
  const index = def.names?.indexOf(valueText.toUpperCase()) ?? -1
  if (index < 0) throw invalid(element, def, fail)
  return def.min + index
}

function invalid(element: string, def: FieldDef, fail: Fail): ScheduleExpressionError {
  return fail(`${def.name} value "${element}" is not valid; allowed: ${def.allowed}`, def.name)
}

function parseDayOfMonth(fieldText: string, def: FieldDef, fail: Fail): CronDayOfMonth | undefined {
  if (fieldText === '?') return undefined
  const days = new Set<number>()
  const nearest = new Set<number>()
  let lastDay = false
  let lastWeekday = false
  for (const element of splitList(fieldText, def, fail)) {
    const upper = element.toUpperCase()
    if (upper === 'L') {
      lastDay = true
    } else if (upper === 'LW') {
      lastWeekday = true
    } else if (/^\d+W$/.test(upper)) {
      nearest.add(parseFieldValue(upper.slice(0, -1), element, def, fail))
    } else {
      for (const value of parseNumericElement(element, def, fail)) days.add(value)
    }
  }
  return {
    days: [...days].sort((a, b) => a - b),
    lastDay,
    lastWeekday,
    nearestWeekday: [...nearest].sort((a, b) => a - b),
  }
}

function parseDayOfWeek(fieldText: string, def: FieldDef, fail: Fail): CronDayOfWeek | undefined {
  if (fieldText === '?') return undefined
  const elements = splitList(fieldText, def, fail)
  const weekdays = new Set<number>()
  const lastInMonth = new Set<number>()
  const nthInMonth: { weekday: number; nth: number }[] = []
  for (const element of elements) {
    const upper = element.toUpperCase()
    const hash = /^([A-Z0-9]+)#([A-Z0-9]*)$/.exec(upper)
    const last = /^([A-Z0-9]+)L$/.exec(upper)
    if (upper === 'L') {
      weekdays.add(7)
    } else if (hash !== null) {
      if (elements.length > 1) {
        throw fail(`day-of-week "${fieldText}": an element with # must be the only one in the field`, def.name)
      }
      const weekday = parseFieldValue(hash[1] ?? '', element, def, fail)
      const nthText = hash[2] ?? ''
      if (!/^[1-5]$/.test(nthText)) {
        throw fail(`day-of-week value "${element}" is not valid; the number after # must be 1-5`, def.name)
      }
      nthInMonth.push({ weekday, nth: Number(nthText) })
    } else if (last !== null) {
      lastInMonth.add(parseFieldValue(last[1] ?? '', element, def, fail))
    } else {
      for (const value of parseNumericElement(element, def, fail)) weekdays.add(value)
    }
  }
  return {
    weekdays: [...weekdays].sort((a, b) => a - b),
    lastInMonth: [...lastInMonth].sort((a, b) => a - b),
    nthInMonth,
  }
}

function rangeInclusive(from: number, to: number): number[] {
  const out: number[] = []
  for (let value = from; value <= to; value++) out.push(value)
  return out
}

type WallTime = { y: number; mo: number; d: number; h: number; mi: number; s: number }

/** Parses and checks `yyyy-mm-ddThh:mm:ss`. */
function parseAtLocal(body: string, fail: Fail): WallTime {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body)
  if (parts === null) throw fail('at expects yyyy-mm-ddThh:mm:ss, e.g. at(2025-03-01T09:30:00)', 'at')
  const [y, mo, d, h, mi, s] = parts.slice(1).map(Number) as [number, number, number, number, number, number]
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw fail(
      `at date and time "${body}" does not exist; expected a real calendar date with hh 00-23, mm 00-59 and ss 00-59`,
      'at',
    )
  }
  return { y, mo, d, h, mi, s }
}

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, no clock reads)
// ---------------------------------------------------------------------------

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

function daysInMonth(y: number, mo: number): number {
  return mo === 2 && isLeapYear(y) ? 29 : (MONTH_LENGTHS[mo - 1] ?? 31)
}

/** Epoch ms of a wall time read as UTC; correct for years 0-99 too. */
function wallToMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s)
  if (y >= 100 || y < 0) return ms
  const date = new Date(ms)
  date.setUTCFullYear(y)
  return date.getTime()
}

/** Day of the week, 1 = Sunday … 7 = Saturday. */
function weekdayOf(y: number, mo: number, d: number): number {
  const days = Math.floor(wallToMs(y, mo, d) / DAY_MS)
  // 1970-01-01 was a Thursday (5).
  return ((((days + 4) % 7) + 7) % 7) + 1
}

/** The days of month `mo` of year `y` that the cron's day fields allow, ascending. */
function matchingDays(cron: CronExpression, y: number, mo: number): number[] {
  const dim = daysInMonth(y, mo)
  const hit = new Array<boolean>(dim + 1).fill(false)
  const dom = cron.dayOfMonth
  if (dom !== undefined) {
    for (const d of dom.days) if (d <= dim) hit[d] = true
    if (dom.lastDay) hit[dim] = true
    if (dom.lastWeekday) {
      const wd = weekdayOf(y, mo, dim)
      hit[wd === 7 ? dim - 1 : wd === 1 ? dim - 2 : dim] = true
    }
    for (const n of dom.nearestWeekday) {
      if (n > dim) continue // 31W in a 30-day month: no such day, no fire.
      const wd = weekdayOf(y, mo, n)
      // Saturday → Friday before, Sunday → Monday after, never leaving the month.
      if (wd === 7) hit[n === 1 ? 3 : n - 1] = true
      else if (wd === 1) hit[n === dim ? n - 2 : n + 1] = true
      else hit[n] = true
    }
  }
  const dow = cron.dayOfWeek
  if (dow !== undefined) {
    const firstWeekday = weekdayOf(y, mo, 1)
    /** The first day of the month that falls on weekday `wd`. */
    const first = (wd: number): number => 1 + ((wd - firstWeekday + 7) % 7)
    for (const wd of dow.weekdays) for (let d = first(wd); d <= dim; d += 7) hit[d] = true
    for (const wd of dow.lastInMonth) hit[first(wd) + 7 * Math.floor((dim - first(wd)) / 7)] = true
    for (const { weekday, nth } of dow.nthInMonth) {
      const d = first(weekday) + 7 * (nth - 1)
      if (d <= dim) hit[d] = true
    }
  }
  const out: number[] = []
  for (let d = 1; d <= dim; d++) if (hit[d] === true) out.push(d)
  return out
}

/** The least element of ascending `values` that is ≥ `min`. */
function firstAtLeast(values: readonly number[], min: number): number | undefined {
  for (const value of values) if (value >= min) return value
  return undefined
}

/**
 * The first wall time ≥ `start` (minute precision) that the cron matches, found
 * field by field (year → month → day → hour → minute): each step either lands
 * on a match of that field or carries into the next larger unit, so the work
 * is bounded by the number of months in the year range, not by minutes.
 */
function nextMatchingWallTime(cron: CronExpression, start: WallTime): WallTime | undefined {
  let { y, mo, d, h, mi } = start
  let daysKey = ''
  let days: number[] = []
  for (;;) {
    const year = firstAtLeast(cron.years, y)
    if (year === undefined) return undefined
    if (year !== y) [y, mo, d, h, mi] = [year, 1, 1, 0, 0]

    const month = firstAtLeast(cron.months, mo)
    if (month === undefined) {
      [y, mo, d, h, mi] = [y + 1, 1, 1, 0, 0]
      continue
    }
    if (month !== mo) [mo, d, h, mi] = [month, 1, 0, 0]

    if (daysKey !== `${y}-${mo}`) {
      daysKey = `${y}-${mo}`
      days = matchingDays(cron, y, mo)
    }
    const day = firstAtLeast(days, d)
    if (day === undefined) {
      [mo, d, h, mi] = [mo + 1, 1, 0, 0]
      if (mo > 12) [y, mo] = [y + 1, 1]
      continue
    }
    if (day !== d) [d, h, mi] = [day, 0, 0]

    const hour = firstAtLeast(cron.hours, h)
    if (hour === undefined) {
      [d, h, mi] = [d + 1, 0, 0]
      continue
    }
    if (hour !== h) [h, mi] = [hour, 0]

    const minute = firstAtLeast(cron.minutes, mi)
    if (minute === undefined) {
      [h, mi] = [h + 1, 0]
      continue
    }
    return { y, mo, d, h, mi: minute, s: 0 }
  }
}

// ---------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------

type Zone = {
  /** UTC offset in ms at `instantMs` (wall time = instant + offset). */
  offsetAt(instantMs: number): number
  readonly fixedUtc: boolean
}

const UTC_ZONE: Zone = { offsetAt: () => 0, fixedUtc: true }
/** Memoised formatters, one per zone name: building one is the costly part. */
const zones = new Map<string, Zone>()

function zoneFor(timezone: string, expression: string): Zone {
  if (timezone === 'UTC') return UTC_ZONE
  const cached = zones.get(timezone)
  if (cached !== undefined) return cached
  let format: Intl.DateTimeFormat
  try {
    if (typeof timezone !== 'string' || timezone === '') throw new RangeError('empty')
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    const detail = 'expected an IANA time zone name such as "America/New_York" or "UTC"'
    // AWS's text for an unknown ScheduleExpressionTimezone is not recorded: lambda-sim's, naming the zone.
    throw new ScheduleExpressionError(`Invalid time zone ${JSON.stringify(timezone)} for schedule expression ${JSON.stringify(expression)}: ${detail}`, {
      expression,
      field: 'timezone',
      detail,
    })
  }
  // A few recent answers: consecutive calls (a fire time becoming the next
  // afterMs) ask for the same instants again. Cleared when full.
  const recent = new Map<number, number>()
  const zone: Zone = {
    fixedUtc: false,
    offsetAt(instantMs) {
      const instant = Math.floor(instantMs / 1000) * 1000
      const known = recent.get(instant)
      if (known !== undefined) return known
      const f: Record<string, number> = {}
      for (const part of format.formatToParts(instant)) {
        if (part.type !== 'literal') f[part.type] = Number(part.value)
      }
      const wall = wallToMs(f.year ?? 1970, f.month ?? 1, f.day ?? 1, (f.hour ?? 0) % 24, f.minute ?? 0, f.second ?? 0)
      if (recent.size >= 256) recent.clear()
      recent.set(instant, wall - instant)
      return wall - instant
    },
  }
  zones.set(timezone, zone)
  return zone
}

/**
 * The instant at which wall time `wallMs` (a wall time encoded as if it were
 * UTC) fires in `zone`:
 * - its only occurrence, normally;
 * - its first occurrence when it occurs twice (clocks fall back);
 * - when it does not exist (clocks spring forward): `undefined` with
 *   `gap: 'skip'` (cron: AWS skips the run), or the first valid instant after
 *   the gap, i.e. the transition instant, with `gap: 'end'` (at()).
 *
 * Offsets are sampled a day either side, which covers every zone unless it
 * changed offset more than once within two days.
 */
function resolveWallTime(wallMs: number, zone: Zone, gap: 'skip' | 'end'): number | undefined {
  if (zone.fixedUtc) return wallMs
  const before = zone.offsetAt(wallMs - DAY_MS)
  const after = zone.offsetAt(wallMs + DAY_MS)
  // Fast path: no offset change within a day either side, so one occurrence.
  if (before === after && zone.offsetAt(wallMs - before) === before) return wallMs - before
  const offsets = new Set<number>([before, zone.offsetAt(wallMs), after])
  for (const offset of [...offsets]) offsets.add(zone.offsetAt(wallMs - offset))
  let first: number | undefined
  for (const offset of offsets) {
    const instant = wallMs - offset
    if (zone.offsetAt(instant) === offset && (first === undefined || instant < first)) first = instant
  }
  if (first !== undefined) return first
  if (gap === 'skip') return undefined

  // In a gap: binary-search (to the second) the first instant whose wall time
  // is past `wallMs`; that instant is the end of the gap.
  const isPast = (instant: number): boolean => instant + zone.offsetAt(instant) > wallMs
  let lo = Math.floor((wallMs - Math.max(...offsets)) / 1000) // wall time before wallMs
  let hi = Math.ceil((wallMs - Math.min(...offsets)) / 1000) // wall time after wallMs
  if (isPast(lo * 1000) || !isPast(hi * 1000)) return hi * 1000 // unreachable for real zone data
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (isPast(mid * 1000)) hi = mid
    else lo = mid
  }
  return hi * 1000
}

function wallTimeOf(instantMs: number, zone: Zone): WallTime {
  const date = new Date(instantMs + zone.offsetAt(instantMs))
  return {
    y: date.getUTCFullYear(),
    mo: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    h: date.getUTCHours(),
    mi: date.getUTCMinutes(),
    s: date.getUTCSeconds(),
  }
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/** Fire times never precede 1970-01-01 local (≥ 1969-12-31T10:00Z) nor follow 2199-12-31 local. */
const CRON_SEARCH_FROM_MS = Date.UTC(1969, 11, 30)
const CRON_SEARCH_UNTIL_MS = Date.UTC(2200, 0, 2)

/**
 * The first time the schedule fires strictly after `afterMs`.
 *
 * - `rate(...)`: `anchorMs + k × everyMs` for the least k ≥ 0 giving a time
 *   after `afterMs`; `anchorMs` (the schedule's creation or start time)
 *   defaults to `afterMs`. Time zones do not apply.
 * - `cron(...)`: the next matching wall-clock minute in `timezone`, converted
 *   to an instant (DST rules in the module comment: runs in a spring-forward
 *   gap are skipped, a repeated time fires once); `undefined` once the year
 *   field has no year left.
 * - `at(...)`: its instant in `timezone` if that is after `afterMs`, else
 *   `undefined`.
 *
 * Cron evaluation steps field by field (year → month → day → hour → minute),
 * so even a cron that fires once in years is found in a few hundred steps.
 *
 * @param expr - a result of {@link parseScheduleExpression}.
 * @param afterMs - epoch ms (UTC); the result is strictly greater.
 * @param options - `timezone` (IANA name, default `'UTC'`) and `anchorMs` for `rate(...)`.
 * @returns epoch ms of the next fire time, or `undefined` if it never fires again.
 * @throws {@link ScheduleExpressionError} for an unknown time zone or a malformed `at(...)` date.
 * @throws RangeError when `afterMs` or `anchorMs` is not a finite number.
 */
export function nextFireTime(expr: ScheduleExpression, afterMs: number, options: NextFireTimeOptions = {}): number | undefined {
  if (!Number.isFinite(afterMs)) throw new RangeError(`afterMs must be a finite number of epoch milliseconds, got ${afterMs}`)
  const zone = zoneFor(options.timezone ?? 'UTC', expr.text)
  switch (expr.kind) {
    case 'rate': {
      const anchorMs = options.anchorMs ?? afterMs
      if (!Number.isFinite(anchorMs)) {
        throw new RangeError(`anchorMs must be a finite number of epoch milliseconds, got ${anchorMs}`)
      }
      if (!(expr.everyMs > 0)) throw new RangeError(`everyMs must be positive, got ${expr.everyMs}`)
      if (afterMs < anchorMs) return anchorMs
      return anchorMs + (Math.floor((afterMs - anchorMs) / expr.everyMs) + 1) * expr.everyMs
    }
    case 'at': {
      const at = parseAtLocal(expr.atLocal, failer(expr.text))
      const instant = resolveWallTime(wallToMs(at.y, at.mo, at.d, at.h, at.mi, at.s), zone, 'end') as number
      return instant > afterMs ? instant : undefined
    }
    case 'cron':
      return nextCronFireTime(expr, afterMs, zone)
  }
}

function nextCronFireTime(cron: CronExpression, afterMs: number, zone: Zone): number | undefined {
  if (afterMs >= CRON_SEARCH_UNTIL_MS) return undefined
  // Every candidate wall time before the wall time of `afterMs` fires at or
  // before `afterMs` (wall time → instant is non-decreasing), so start there
  // and skip the few candidates that still resolve to ≤ afterMs (those in a
  // repeated hour whose first occurrence has passed).
  const from = wallTimeOf(Math.max(afterMs, CRON_SEARCH_FROM_MS), zone)
  let start: WallTime = { ...from, s: 0 }
  for (;;) {
    const wall = nextMatchingWallTime(cron, start)
    if (wall === undefined) return undefined
    const wallMs = wallToMs(wall.y, wall.mo, wall.d, wall.h, wall.mi)
    const instant = resolveWallTime(wallMs, zone, 'skip')
    if (instant !== undefined && instant > afterMs) return instant
    const nextMinute = new Date(wallMs + MINUTE_MS)
    start = {
      y: nextMinute.getUTCFullYear(),
      mo: nextMinute.getUTCMonth() + 1,
      d: nextMinute.getUTCDate(),
      h: nextMinute.getUTCHours(),
      mi: nextMinute.getUTCMinutes(),
      s: 0,
    }
  }
}
