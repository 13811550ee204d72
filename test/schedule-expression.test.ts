import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  nextFireTime,
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../src/triggers/schedule-expression.js'
import type { NextFireTimeOptions } from '../src/triggers/schedule-expression.js'

const ms = (iso: string): number => {
  const value = Date.parse(iso)
  if (Number.isNaN(value)) throw new Error(`bad ISO time in test: ${iso}`)
  return value
}
const iso = (value: number | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString()

/** The next `count` fire times after `fromIso`, as ISO strings (stopping at undefined). */
function fires(expression: string, fromIso: string, count: number, options: NextFireTimeOptions = {}): (string | undefined)[] {
  const expr = parseScheduleExpression(expression)
  const out: (string | undefined)[] = []
  let after = ms(fromIso)
  for (let i = 0; i < count; i++) {
    const next = nextFireTime(expr, after, options)
    out.push(iso(next))
    if (next === undefined) break
    after = next
  }
  return out
}

const next = (expression: string, afterIso: string, options: NextFireTimeOptions = {}): string | undefined =>
  iso(nextFireTime(parseScheduleExpression(expression), ms(afterIso), options))

const NY = { timezone: 'America/New_York' } as const
const KOLKATA = { timezone: 'Asia/Kolkata' } as const

describe('rate()', () => {
  it('rate(1 minute), rate(5 minutes), rate(1 hour), rate(2 hours), rate(1 day), rate(7 days) parse to their period in ms', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({ kind: 'rate', everyMs: 60_000, text: 'rate(1 minute)' })
    expect(parseScheduleExpression('rate(5 minutes)')).toMatchObject({ everyMs: 300_000 })
    expect(parseScheduleExpression('rate(1 hour)')).toMatchObject({ everyMs: 3_600_000 })
    expect(parseScheduleExpression('rate(2 hours)')).toMatchObject({ everyMs: 7_200_000 })
    expect(parseScheduleExpression('rate(1 day)')).toMatchObject({ everyMs: 86_400_000 })
    expect(parseScheduleExpression('rate(7 days)')).toMatchObject({ everyMs: 604_800_000 })
  })

  it('rate() fires at anchorMs + k*everyMs: rate(5 minutes) anchored at 10:00:30 fires at 10:10:30 after 10:07', () => {
    const anchorMs = ms('2025-01-01T10:00:30.000Z')
    expect(next('rate(5 minutes)', '2025-01-01T10:07:00.000Z', { anchorMs })).toBe('2025-01-01T10:10:30.000Z')
    expect(fires('rate(5 minutes)', '2025-01-01T10:07:00.000Z', 3, { anchorMs })).toEqual([
      '2025-01-01T10:10:30.000Z',
      '2025-01-01T10:15:30.000Z',
      '2025-01-01T10:20:30.000Z',
    ])
  })

  it('rate() fires strictly after afterMs: at a fire time exactly, the next one is a full period later', () => {
    const anchorMs = ms('2025-01-01T00:00:00.000Z')
    expect(next('rate(1 hour)', '2025-01-01T03:00:00.000Z', { anchorMs })).toBe('2025-01-01T04:00:00.000Z')
    expect(next('rate(1 hour)', '2025-01-01T02:59:59.999Z', { anchorMs })).toBe('2025-01-01T03:00:00.000Z')
  })

  it('rate() first fires at the anchor itself (the StartDate) when afterMs is before it', () => {
    const anchorMs = ms('2025-01-01T12:00:00.000Z')
    expect(next('rate(1 day)', '2024-12-25T00:00:00.000Z', { anchorMs })).toBe('2025-01-01T12:00:00.000Z')
    expect(next('rate(1 day)', '2025-01-01T12:00:00.000Z', { anchorMs })).toBe('2025-01-02T12:00:00.000Z')
  })

  it('rate() without anchorMs is anchored at afterMs and fires one period later', () => {
    expect(next('rate(2 hours)', '2025-01-01T10:17:42.123Z')).toBe('2025-01-01T12:17:42.123Z')
  })

  it('rate(1 day) is always 24 hours, across DST changes too: the time zone does not apply', () => {
    const anchorMs = ms('2025-03-08T17:00:00.000Z') // 12:00 EST
    expect(fires('rate(1 day)', '2025-03-08T17:00:00.000Z', 2, { ...NY, anchorMs })).toEqual([
      '2025-03-09T17:00:00.000Z', // 13:00 EDT
      '2025-03-10T17:00:00.000Z',
    ])
  })
})

describe('cron() fields', () => {
  it('cron(0 12 * * ? *) fires every day at noon UTC (the default time zone)', () => {
    expect(fires('cron(0 12 * * ? *)', '2025-01-01T12:00:00.000Z', 2)).toEqual([
      '2025-01-02T12:00:00.000Z',
      '2025-01-03T12:00:00.000Z',
    ])
    expect(next('cron(0 12 * * ? *)', '2025-01-01T11:59:59.999Z')).toBe('2025-01-01T12:00:00.000Z')
  })

  it('cron(* * * * ? *) fires on the next whole minute strictly after a mid-minute afterMs', () => {
    expect(next('cron(* * * * ? *)', '2025-01-01T10:00:30.000Z')).toBe('2025-01-01T10:01:00.000Z')
    expect(next('cron(* * * * ? *)', '2025-01-01T10:01:00.000Z')).toBe('2025-01-01T10:02:00.000Z')
  })

  it('cron(0 12 L * ? *) fires at noon on the last day of each month, 29 Feb in a leap year', () => {
    expect(fires('cron(0 12 L * ? *)', '2024-01-15T00:00:00.000Z', 4)).toEqual([
      '2024-01-31T12:00:00.000Z',
      '2024-02-29T12:00:00.000Z',
      '2024-03-31T12:00:00.000Z',
      '2024-04-30T12:00:00.000Z',
    ])
    expect(next('cron(0 12 L * ? *)', '2025-02-01T00:00:00.000Z')).toBe('2025-02-28T12:00:00.000Z')
  })

  it('cron(0 12 L * ? *) rolls over from 31 December to 31 January of the next year', () => {
    expect(fires('cron(0 12 L * ? *)', '2025-12-31T11:00:00.000Z', 2)).toEqual([
      '2025-12-31T12:00:00.000Z',
      '2026-01-31T12:00:00.000Z',
    ])
  })

  it('cron(0 0 29 2 ? *) fires only on 29 February, skipping common years and 2100', () => {
    expect(fires('cron(0 0 29 2 ? *)', '2025-01-01T00:00:00.000Z', 2)).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ])
    expect(next('cron(0 0 29 2 ? *)', '2096-03-01T00:00:00.000Z')).toBe('2104-02-29T00:00:00.000Z')
  })

  it('cron(0 0 31 * ? *) skips months that have no 31st day', () => {
    expect(fires('cron(0 0 31 * ? *)', '2025-01-31T00:00:00.000Z', 2)).toEqual([
      '2025-03-31T00:00:00.000Z',
      '2025-05-31T00:00:00.000Z',
    ])
  })

  it('cron(0/15 * * * ? *) and cron(1/10 * * * ? *) increment from their start to the end of the field', () => {
    expect(parseScheduleExpression('cron(0/15 * * * ? *)')).toMatchObject({ minutes: [0, 15, 30, 45] })
    expect(parseScheduleExpression('cron(1/10 * * * ? *)')).toMatchObject({ minutes: [1, 11, 21, 31, 41, 51] })
    expect(parseScheduleExpression('cron(*/20 * * * ? *)')).toMatchObject({ minutes: [0, 20, 40] })
    expect(parseScheduleExpression('cron(0 8-18/4 * * ? *)')).toMatchObject({ hours: [8, 12, 16] })
    expect(fires('cron(0/15 * * * ? *)', '2025-01-01T10:50:00.000Z', 2)).toEqual([
      '2025-01-01T11:00:00.000Z',
      '2025-01-01T11:15:00.000Z',
    ])
  })

  it('cron(0 8-9,17 ? * MON-FRI *) fires at 08:00, 09:00 and 17:00 on weekdays only (Friday evening → Monday morning)', () => {
    expect(fires('cron(0 8-9,17 ? * MON-FRI *)', '2025-01-10T16:00:00.000Z', 4)).toEqual([
      '2025-01-10T17:00:00.000Z', // Friday
      '2025-01-13T08:00:00.000Z', // Monday
      '2025-01-13T09:00:00.000Z',
      '2025-01-13T17:00:00.000Z',
    ])
  })

  it('ranges wrap past the end of a field except year: hours 22-1 and day-of-week SAT-MON', () => {
    expect(parseScheduleExpression('cron(0 22-1 * * ? *)')).toMatchObject({ hours: [0, 1, 22, 23] })
    expect(parseScheduleExpression('cron(0 0 ? * SAT-MON *)')).toMatchObject({
      dayOfWeek: { weekdays: [1, 2, 7], lastInMonth: [], nthInMonth: [] },
    })
    expect(parseScheduleExpression('cron(0 0 1 NOV-FEB ? *)')).toMatchObject({ months: [1, 2, 11, 12] })
  })

  it('month and day-of-week names are accepted in any case: cron(0 0 1 jan,Jul ? *)', () => {
    expect(parseScheduleExpression('cron(0 0 1 jan,Jul ? *)')).toMatchObject({ months: [1, 7] })
    expect(fires('cron(0 0 1 jan,Jul ? *)', '2025-01-01T00:00:00.000Z', 2)).toEqual([
      '2025-07-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ])
  })

  it('? in day-of-week lets day-of-month choose the days, and ? in day-of-month lets day-of-week choose', () => {
    expect(parseScheduleExpression('cron(0 0 1,15 * ? *)')).toMatchObject({
      dayOfMonth: { days: [1, 15], lastDay: false, lastWeekday: false, nearestWeekday: [] },
      dayOfWeek: undefined,
    })
    expect(parseScheduleExpression('cron(0 0 ? * 1 *)')).toMatchObject({
      dayOfMonth: undefined,
      dayOfWeek: { weekdays: [1] },
    })
    expect(next('cron(0 0 ? * 1 *)', '2025-01-01T00:00:00.000Z')).toBe('2025-01-05T00:00:00.000Z') // 1 = Sunday
  })

  it('cron(0 0 ? * L *): L alone in day-of-week is the last day of the week, Saturday', () => {
    expect(fires('cron(0 0 ? * L *)', '2025-01-01T00:00:00.000Z', 2)).toEqual([
      '2025-01-04T00:00:00.000Z',
      '2025-01-11T00:00:00.000Z',
    ])
  })

  it('cron(15 10 ? * 5L 2025): 5L is the last Thursday of each month', () => {
    expect(fires('cron(15 10 ? * 5L 2025)', '2025-01-01T00:00:00.000Z', 4)).toEqual([
      '2025-01-30T10:15:00.000Z',
      '2025-02-27T10:15:00.000Z',
      '2025-03-27T10:15:00.000Z',
      '2025-04-24T10:15:00.000Z',
    ])
    expect(next('cron(15 10 ? * THUL 2025)', '2025-01-01T00:00:00.000Z')).toBe('2025-01-30T10:15:00.000Z')
  })

  it('cron(0 10 ? * 3#2 *): 3#2 is the second Tuesday of each month', () => {
    expect(fires('cron(0 10 ? * 3#2 *)', '2025-01-01T00:00:00.000Z', 3)).toEqual([
      '2025-01-14T10:00:00.000Z',
      '2025-02-11T10:00:00.000Z',
      '2025-03-11T10:00:00.000Z',
    ])
  })

  it('cron(0 10 ? * MON#5 *) fires only in months that have a fifth Monday', () => {
    expect(fires('cron(0 10 ? * MON#5 *)', '2025-01-01T00:00:00.000Z', 3)).toEqual([
      '2025-03-31T10:00:00.000Z',
      '2025-06-30T10:00:00.000Z',
      '2025-09-29T10:00:00.000Z',
    ])
  })

  it('cron(0 9 15W * ? 2025): 15W is the weekday nearest the 15th (Saturday → Friday 14th, Sunday → Monday 16th)', () => {
    expect(fires('cron(0 9 15W * ? 2025)', '2025-01-01T00:00:00.000Z', 6)).toEqual([
      '2025-01-15T09:00:00.000Z', // Wednesday
      '2025-02-14T09:00:00.000Z', // 15th is a Saturday
      '2025-03-14T09:00:00.000Z', // 15th is a Saturday
      '2025-04-15T09:00:00.000Z', // Tuesday
      '2025-05-15T09:00:00.000Z', // Thursday
      '2025-06-16T09:00:00.000Z', // 15th is a Sunday
    ])
  })

  it('W never leaves the month: 1W on Saturday 1 Feb 2025 fires Monday the 3rd, 31W on Sunday 31 Aug 2025 fires Friday the 29th', () => {
    expect(next('cron(0 9 1W * ? *)', '2025-01-02T00:00:00.000Z')).toBe('2025-02-03T09:00:00.000Z')
    expect(next('cron(0 9 31W * ? *)', '2025-08-01T00:00:00.000Z')).toBe('2025-08-29T09:00:00.000Z')
  })

  it('31W fires on the 31st or the nearest weekday before it, and skips months without a 31st', () => {
    expect(fires('cron(0 9 31W * ? *)', '2025-01-01T00:00:00.000Z', 3)).toEqual([
      '2025-01-31T09:00:00.000Z', // Friday
      '2025-03-31T09:00:00.000Z', // Monday; February has no 31st
      '2025-05-30T09:00:00.000Z', // 31st is a Saturday
    ])
  })

  it('cron(0 18 LW * ? *): LW is the last weekday of the month', () => {
    expect(fires('cron(0 18 LW * ? *)', '2025-05-01T00:00:00.000Z', 4)).toEqual([
      '2025-05-30T18:00:00.000Z', // 31st is a Saturday
      '2025-06-30T18:00:00.000Z', // Monday
      '2025-07-31T18:00:00.000Z', // Thursday
      '2025-08-29T18:00:00.000Z', // 31st is a Sunday
    ])
  })

  it('day-of-month may list L, W and plain days together: cron(0 0 1,15W,L * ? *)', () => {
    expect(fires('cron(0 0 1,15W,L * ? *)', '2025-02-01T00:00:00.000Z', 3)).toEqual([
      '2025-02-14T00:00:00.000Z',
      '2025-02-28T00:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
    ])
  })

  it('a cron whose year range has ended never fires again (undefined)', () => {
    expect(next('cron(0 0 1 1 ? 2020)', '2021-01-01T00:00:00.000Z')).toBeUndefined()
    expect(fires('cron(0 0 1 1 ? 2026-2027)', '2025-06-01T00:00:00.000Z', 3)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      undefined,
    ])
    expect(next('cron(59 23 31 12 ? *)', '2199-12-31T23:59:00.000Z')).toBeUndefined()
    expect(next('cron(59 23 31 12 ? *)', '2199-12-31T23:58:59.999Z')).toBe('2199-12-31T23:59:00.000Z')
  })

  it('a cron that can never match (31 February) returns undefined after stepping through every year', () => {
    expect(next('cron(0 0 31 2 ? *)', '1970-01-01T00:00:00.000Z')).toBeUndefined()
    expect(next('cron(0 0 31 2 ? *)', '1970-01-01T00:00:00.000Z', KOLKATA)).toBeUndefined()
  })

  it('fire times before 1970 start at the first year the year field allows', () => {
    expect(next('cron(0 0 1 1 ? *)', '1900-06-01T00:00:00.000Z')).toBe('1970-01-01T00:00:00.000Z')
  })

  it('nextFireTime steps by field, not by minute: every 29 February from 1970 to 2199 is found at once', () => {
    const all = fires('cron(0 0 29 2 ? *)', '1970-01-01T00:00:00.000Z', 100, NY)
    expect(all).toHaveLength(57) // 56 leap days (1972-2196, without 2100), then undefined
    expect(all[0]).toBe('1972-02-29T05:00:00.000Z')
    expect(all[55]).toBe('2196-02-29T05:00:00.000Z')
    expect(all[56]).toBeUndefined()
    const yearly = fires('cron(0 0 1 1 ? *)', '1969-12-31T23:59:59.999Z', 300)
    expect(yearly).toHaveLength(231)
    expect(yearly[229]).toBe('2199-01-01T00:00:00.000Z')
  })
})

describe('time zones', () => {
  it('cron(0 9 * * ? *) in America/New_York fires at 14:00Z in winter (EST) and 13:00Z in summer (EDT)', () => {
    expect(fires('cron(0 9 * * ? *)', '2025-03-08T00:00:00.000Z', 2, NY)).toEqual([
      '2025-03-08T14:00:00.000Z',
      '2025-03-09T13:00:00.000Z',
    ])
    expect(fires('cron(0 9 * * ? *)', '2025-11-01T00:00:00.000Z', 2, NY)).toEqual([
      '2025-11-01T13:00:00.000Z',
      '2025-11-02T14:00:00.000Z',
    ])
  })

  it('spring forward: cron(30 2 * * ? *) in America/New_York is skipped on 9 March 2025, when 02:30 does not exist (AWS skips such runs)', () => {
    expect(fires('cron(30 2 * * ? *)', '2025-03-08T00:00:00.000Z', 3, NY)).toEqual([
      '2025-03-08T07:30:00.000Z', // 02:30 EST
      '2025-03-10T06:30:00.000Z', // 9 March: 02:30 does not exist, skipped; 10 March 02:30 EDT
      '2025-03-11T06:30:00.000Z',
    ])
  })

  it('spring forward: cron(0/30 * * * ? *) skips the non-existent 02:00 and 02:30 and goes on at 03:00 EDT', () => {
    expect(fires('cron(0/30 * * * ? *)', '2025-03-09T05:50:00.000Z', 5, NY)).toEqual([
      '2025-03-09T06:00:00.000Z', // 01:00 EST
      '2025-03-09T06:30:00.000Z', // 01:30 EST
      '2025-03-09T07:00:00.000Z', // 03:00 EDT (02:00 and 02:30 skipped)
      '2025-03-09T07:30:00.000Z', // 03:30 EDT
      '2025-03-09T08:00:00.000Z',
    ])
  })

  it('fall back: cron(30 1 * * ? *) in America/New_York fires once on 2 November 2025, at 01:30 EDT (05:30Z) and not at 01:30 EST', () => {
    expect(fires('cron(30 1 * * ? *)', '2025-11-01T12:00:00.000Z', 3, NY)).toEqual([
      '2025-11-02T05:30:00.000Z', // 01:30 EDT, first occurrence
      '2025-11-03T06:30:00.000Z', // 01:30 EST the next day
      '2025-11-04T06:30:00.000Z',
    ])
    // From inside the repeated hour (01:00 EST = 06:00Z) the second 01:30 is not a fire time.
    expect(next('cron(30 1 * * ? *)', '2025-11-02T06:00:00.000Z', NY)).toBe('2025-11-03T06:30:00.000Z')
  })

  it('fall back: cron(0/30 * * * ? *) does not repeat 01:00 and 01:30 in the repeated hour', () => {
    expect(fires('cron(0/30 * * * ? *)', '2025-11-02T04:50:00.000Z', 4, NY)).toEqual([
      '2025-11-02T05:00:00.000Z', // 01:00 EDT
      '2025-11-02T05:30:00.000Z', // 01:30 EDT
      '2025-11-02T07:00:00.000Z', // 02:00 EST (01:00 and 01:30 EST skipped)
      '2025-11-02T07:30:00.000Z',
    ])
  })

  it('Asia/Kolkata (UTC+05:30, no DST): cron(0 9 * * ? *) fires at 03:30Z and cron(0 0 L * ? *) at 18:30Z the day before', () => {
    expect(next('cron(0 9 * * ? *)', '2025-01-01T00:00:00.000Z', KOLKATA)).toBe('2025-01-01T03:30:00.000Z')
    expect(next('cron(0 9 * * ? *)', '2025-01-01T03:30:00.000Z', KOLKATA)).toBe('2025-01-02T03:30:00.000Z')
    expect(fires('cron(0 0 L * ? *)', '2024-02-01T00:00:00.000Z', 2, KOLKATA)).toEqual([
      '2024-02-28T18:30:00.000Z', // 29 Feb 00:00 IST
      '2024-03-30T18:30:00.000Z', // 31 Mar 00:00 IST
    ])
  })

  it('Asia/Kolkata: a cron at the start of the local year fires in the previous UTC year', () => {
    expect(next('cron(0 0 1 1 ? 2026)', '2025-06-01T00:00:00.000Z', KOLKATA)).toBe('2025-12-31T18:30:00.000Z')
  })

  it('a whole skipped day (Pacific/Apia jumped from 29 to 31 December 2011): the run on the missing day is skipped', () => {
    expect(fires('cron(0 12 * * ? *)', '2011-12-29T00:00:00.000Z', 3, { timezone: 'Pacific/Apia' })).toEqual([
      '2011-12-29T22:00:00.000Z', // 29 Dec 12:00 (UTC-10)
      '2011-12-30T22:00:00.000Z', // 30 Dec does not exist: skipped; 31 Dec 12:00 (UTC+14)
      '2011-12-31T22:00:00.000Z',
    ])
  })

  it('the time zone name is validated: an unknown zone throws ScheduleExpressionError naming it', () => {
    const expr = parseScheduleExpression('cron(0 12 * * ? *)')
    let caught: unknown
    try {
      nextFireTime(expr, 0, { timezone: 'Mars/Olympus_Mons' })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ScheduleExpressionError)
    expect(caught).toMatchObject({
      name: 'ValidationException',
      statusCode: 400,
      message:
        'Invalid time zone "Mars/Olympus_Mons" for schedule expression "cron(0 12 * * ? *)": expected an IANA time zone name such as "America/New_York" or "UTC"',
      detail: 'expected an IANA time zone name such as "America/New_York" or "UTC"',
      expression: 'cron(0 12 * * ? *)',
      field: 'timezone',
    })
    expect(() => nextFireTime(parseScheduleExpression('rate(1 day)'), 0, { timezone: '' })).toThrow(
      'Invalid time zone "" for schedule expression "rate(1 day)"',
    )
  })
})

describe('at()', () => {
  it('at(2025-06-01T09:30:00) fires once at that wall time in the zone: 09:30Z in UTC, 13:30Z in New York, 04:00Z in Kolkata', () => {
    const expr = parseScheduleExpression('at(2025-06-01T09:30:00)')
    expect(expr).toEqual({ kind: 'at', atLocal: '2025-06-01T09:30:00', text: 'at(2025-06-01T09:30:00)' })
    const t0 = ms('2025-01-01T00:00:00.000Z')
    expect(iso(nextFireTime(expr, t0))).toBe('2025-06-01T09:30:00.000Z')
    expect(iso(nextFireTime(expr, t0, NY))).toBe('2025-06-01T13:30:00.000Z')
    expect(iso(nextFireTime(expr, t0, KOLKATA))).toBe('2025-06-01T04:00:00.000Z')
  })

  it('at() in the past never fires: undefined at or after its time', () => {
    expect(next('at(2025-06-01T09:30:00)', '2025-06-01T09:30:00.000Z')).toBeUndefined()
    expect(next('at(2025-06-01T09:30:00)', '2026-01-01T00:00:00.000Z')).toBeUndefined()
    expect(next('at(2025-06-01T09:30:00)', '2025-06-01T09:29:59.999Z')).toBe('2025-06-01T09:30:00.000Z')
  })

  it('at() keeps its seconds', () => {
    expect(next('at(2025-06-01T09:30:45)', '2025-01-01T00:00:00.000Z')).toBe('2025-06-01T09:30:45.000Z')
  })

  it('at() in the spring-forward gap fires at the end of the gap; in the repeated hour at the first occurrence', () => {
    expect(next('at(2025-03-09T02:30:00)', '2025-01-01T00:00:00.000Z', NY)).toBe('2025-03-09T07:00:00.000Z')
    expect(next('at(2025-11-02T01:30:00)', '2025-01-01T00:00:00.000Z', NY)).toBe('2025-11-02T05:30:00.000Z')
    expect(next('at(2025-11-02T01:30:00)', '2025-11-02T05:30:00.000Z', NY)).toBeUndefined()
  })
})

describe('validation errors', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['every 5 minutes', 'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)'],
    ['rate(5 minutes', 'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)'],
    ['Rate(5 minutes)', 'expected rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)'],
    ['rate(5)', 'rate expects "value unit", e.g. rate(5 minutes)'],
    ['rate(5  minutes)', 'rate expects "value unit", e.g. rate(5 minutes)'],
    ['rate(0 minutes)', 'rate value "0" must be a positive integer'],
    ['rate(-1 minutes)', 'rate value "-1" must be a positive integer'],
    ['rate(1.5 hours)', 'rate value "1.5" must be a positive integer'],
    ['rate(5 seconds)', 'rate unit "seconds" is not valid; allowed: minute, minutes, hour, hours, day, days'],
    ['rate(5 Minutes)', 'rate unit "Minutes" is not valid; allowed: minute, minutes, hour, hours, day, days'],
    ['rate(1 minutes)', 'rate value 1 requires the singular unit "minute", not "minutes"'],
    ['rate(1 hours)', 'rate value 1 requires the singular unit "hour", not "hours"'],
    ['rate(1 days)', 'rate value 1 requires the singular unit "day", not "days"'],
    ['rate(5 minute)', 'rate value 5 requires the plural unit "minutes", not "minute"'],
    ['rate(2 hour)', 'rate value 2 requires the plural unit "hours", not "hour"'],
    ['rate(7 day)', 'rate value 7 requires the plural unit "days", not "day"'],
    ['rate(99999999999999 days)', 'rate value 99999999999999 is too large'],
    ['cron(0 12 * * ?)', 'cron expects exactly 6 fields (minutes hours day-of-month month day-of-week year) but got 5'],
    ['cron()', 'cron expects exactly 6 fields (minutes hours day-of-month month day-of-week year) but got 0'],
    [
      'cron(0 0 12 * * ? *)',
      'cron expects exactly 6 fields (minutes hours day-of-month month day-of-week year) but got 7; seconds are not supported',
    ],
    ['cron(60 * * * ? *)', 'minutes value 60 is out of range; allowed: 0-59 and the wildcards , - * /'],
    ['cron(0 24 * * ? *)', 'hours value 24 is out of range; allowed: 0-23 and the wildcards , - * /'],
    ['cron(0 L * * ? *)', 'hours value "L" is not valid; allowed: 0-23 and the wildcards , - * /'],
    ['cron(0 0 0 * ? *)', 'day-of-month value 0 is out of range; allowed: 1-31 and the wildcards , - * ? / L W (e.g. L, 15W, LW)'],
    ['cron(0 0 32 * ? *)', 'day-of-month value 32 is out of range; allowed: 1-31 and the wildcards , - * ? / L W (e.g. L, 15W, LW)'],
    ['cron(0 0 32W * ? *)', 'day-of-month value 32 is out of range; allowed: 1-31 and the wildcards , - * ? / L W (e.g. L, 15W, LW)'],
    ['cron(0 0 L-3 * ? *)', 'day-of-month value "L-3" is not valid; allowed: 1-31 and the wildcards , - * ? / L W (e.g. L, 15W, LW)'],
    ['cron(0 0 1 13 ? *)', 'month value 13 is out of range; allowed: 1-12 or JAN-DEC and the wildcards , - * /'],
    ['cron(0 0 1 FOO ? *)', 'month value "FOO" is not valid; allowed: 1-12 or JAN-DEC and the wildcards , - * /'],
    [
      'cron(0 0 ? * 0 *)',
      'day-of-week value 0 is out of range; allowed: 1-7 or SUN-SAT (1 = SUN) and the wildcards , - * ? L # (e.g. L, 5L, 3#2)',
    ],
    [
      'cron(0 0 ? * 8 *)',
      'day-of-week value 8 is out of range; allowed: 1-7 or SUN-SAT (1 = SUN) and the wildcards , - * ? L # (e.g. L, 5L, 3#2)',
    ],
    [
      'cron(0 0 ? * 8L *)',
      'day-of-week value 8 is out of range; allowed: 1-7 or SUN-SAT (1 = SUN) and the wildcards , - * ? L # (e.g. L, 5L, 3#2)',
    ],
    [
      'cron(0 0 ? * 2W *)',
      'day-of-week value "2W" is not valid; allowed: 1-7 or SUN-SAT (1 = SUN) and the wildcards , - * ? L # (e.g. L, 5L, 3#2)',
    ],
    [
      'cron(0 0 ? * */2 *)',
      'day-of-week does not allow the / wildcard; allowed: 1-7 or SUN-SAT (1 = SUN) and the wildcards , - * ? L # (e.g. L, 5L, 3#2)',
    ],
    ['cron(0 0 ? * 3#6 *)', 'day-of-week value "3#6" is not valid; the number after # must be 1-5'],
    ['cron(0 0 ? * 3#0 *)', 'day-of-week value "3#0" is not valid; the number after # must be 1-5'],
    ['cron(0 0 ? * 3#1,6#3 *)', 'day-of-week "3#1,6#3": an element with # must be the only one in the field'],
    ['cron(0 0 * * ? 1969)', 'year value 1969 is out of range; allowed: 1970-2199 and the wildcards , - * /'],
    ['cron(0 0 * * ? 2200)', 'year value 2200 is out of range; allowed: 1970-2199 and the wildcards , - * /'],
    ['cron(0 0 * * ? 2030-2025)', 'year range "2030-2025" runs backwards; allowed: 1970-2199 and the wildcards , - * /'],
    ['cron(*/0 * * * ? *)', 'minutes increment in "*/0" must be a positive integer'],
    ['cron(0/x * * * ? *)', 'minutes value "0/x" is not valid; allowed: 0-59 and the wildcards , - * /'],
    ['cron(0,,5 * * * ? *)', 'minutes "0,,5" has an empty list element; allowed: 0-59 and the wildcards , - * /'],
    ['cron(0 12 * * * *)', 'day-of-month and day-of-week cannot both be specified; use ? in one of them'],
    ['cron(0 12 1 * MON *)', 'day-of-month and day-of-week cannot both be specified; use ? in one of them'],
    ['cron(0 12 ? * ? *)', 'day-of-month and day-of-week cannot both be ?; specify one of them'],
    ['cron(? 12 * * ? *)', 'minutes does not allow ?; ? is allowed only in day-of-month or day-of-week'],
    ['cron(0 0 * ? ? *)', 'month does not allow ?; ? is allowed only in day-of-month or day-of-week'],
    ['cron(0 0 * * ? ?)', 'year does not allow ?; ? is allowed only in day-of-month or day-of-week'],
    ['cron(0 0 1,? * ? *)', 'day-of-month ? must stand alone, not in a list'],
    ['at(2025-06-01 09:30:00)', 'at expects yyyy-mm-ddThh:mm:ss, e.g. at(2025-03-01T09:30:00)'],
    ['at(2025-06-01T09:30)', 'at expects yyyy-mm-ddThh:mm:ss, e.g. at(2025-03-01T09:30:00)'],
    ['at(2025-06-01T09:30:00Z)', 'at expects yyyy-mm-ddThh:mm:ss, e.g. at(2025-03-01T09:30:00)'],
    ['at(2025-06-01T09:30:00+02:00)', 'at expects yyyy-mm-ddThh:mm:ss, e.g. at(2025-03-01T09:30:00)'],
    [
      'at(2025-02-29T09:30:00)',
      'at date and time "2025-02-29T09:30:00" does not exist; expected a real calendar date with hh 00-23, mm 00-59 and ss 00-59',
    ],
    [
      'at(2025-13-01T09:30:00)',
      'at date and time "2025-13-01T09:30:00" does not exist; expected a real calendar date with hh 00-23, mm 00-59 and ss 00-59',
    ],
    [
      'at(2025-06-01T24:00:00)',
      'at date and time "2025-06-01T24:00:00" does not exist; expected a real calendar date with hh 00-23, mm 00-59 and ss 00-59',
    ],
  ]

  it.each(cases)('%s is rejected: %s', (expression, detail) => {
    let caught: unknown
    try {
      parseScheduleExpression(expression)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ScheduleExpressionError)
    expect(caught).toBeInstanceOf(Error)
    // AWS's exception and text (LocalStack's AWS-validated scheduler snapshot); lambda-sim's detail apart.
    expect((caught as ScheduleExpressionError).name).toBe('ValidationException')
    expect((caught as ScheduleExpressionError).statusCode).toBe(400)
    expect((caught as ScheduleExpressionError).message).toBe(`Invalid Schedule Expression ${expression}.`)
    expect((caught as ScheduleExpressionError).detail).toBe(detail)
    expect((caught as ScheduleExpressionError).expression).toBe(expression)
  })

  it('the error names the field at fault', () => {
    const fieldOf = (expression: string): string | undefined => {
      try {
        parseScheduleExpression(expression)
      } catch (error) {
        return (error as ScheduleExpressionError).field
      }
      return 'no error'
    }
    expect(fieldOf('cron(60 * * * ? *)')).toBe('minutes')
    expect(fieldOf('cron(0 0 ? * 9 *)')).toBe('day-of-week')
    expect(fieldOf('rate(5 minute)')).toBe('rate unit')
    expect(fieldOf('cron(0 0 * *)')).toBeUndefined()
  })

  it('the examples in the AWS documentation parse', () => {
    for (const expression of ['cron(0/10 * ? * MON-FRI *)', 'cron(0 18 ? * MON-FRI *)', 'cron(0 8 1 * ? *)', 'cron(0/5 8-17 ? * MON-FRI *)', 'cron(0 9 ? * 2#1 *)', 'cron(0 10 * * ? *)', 'cron(15 12 * * ? *)', 'cron(0 12 ? * SUN,SAT *)']) {
      expect(parseScheduleExpression(expression)).toMatchObject({ kind: 'cron', text: expression })
    }
  })
})

// ---------------------------------------------------------------------------
// Property: nextFireTime agrees with a brute-force minute-by-minute scan (UTC)
// ---------------------------------------------------------------------------

type Matcher = (value: number) => boolean
type Part = { readonly text: string; readonly matches: Matcher }
type DayPart = { readonly text: string; readonly matches: (date: Date) => boolean }

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

/** One list element of a numeric field, with an independent reference matcher. */
function elementArb(
  min: number,
  max: number,
  names: readonly string[] | undefined,
  increments: boolean,
  cyclic = true,
  valuesFrom = min,
  valuesTo = max,
): fc.Arbitrary<Part> {
  const value = fc.integer({ min: valuesFrom, max: valuesTo })
  const show = (v: number, asName: boolean): string => (asName && names !== undefined ? (names[v - min] ?? String(v)) : String(v))
  /** Position of x in the cyclic sequence a, a+1, …, max, min, …; 0-based. */
  const position = (a: number, x: number): number => (x >= a ? x - a : max - a + 1 + (x - min))
  /** Range ends; a reversed range wraps in cyclic fields and is put in order in the others. */
  const ordered = (x: number, y: number): { a: number; b: number } =>
    cyclic || x <= y ? { a: x, b: y } : { a: y, b: x }
  const inRange = (a: number, b: number, x: number): boolean => (a <= b ? a <= x && x <= b : x >= a || x <= b)
  const arbs: fc.Arbitrary<Part>[] = [
    fc.constant({ text: '*', matches: () => true }),
    fc.tuple(value, fc.boolean()).map(([v, asName]) => ({ text: show(v, asName), matches: (x: number) => x === v })),
    fc.tuple(value, value, fc.boolean()).map(([x, y, asName]) => ({ ...ordered(x, y), asName })).map(({ a, b, asName }) => ({
      text: `${show(a, asName)}-${show(b, asName)}`,
      matches: (x: number) => inRange(a, b, x),
    })),
  ]
  if (increments) {
    const step = fc.integer({ min: 1, max: Math.max(1, max - min) })
    arbs.push(
      step.map((s) => ({ text: `*/${s}`, matches: (x: number) => (x - min) % s === 0 })),
      fc.tuple(value, step).map(([a, s]) => ({ text: `${a}/${s}`, matches: (x: number) => x >= a && (x - a) % s === 0 })),
      fc.tuple(value, value, step).map(([x, y, s]) => ({ ...ordered(x, y), s })).map(({ a, b, s }) => ({
        text: `${a}-${b}/${s}`,
        matches: (x: number) => inRange(a, b, x) && position(a, x) % s === 0,
      })),
    )
  }
  return fc.oneof(...arbs)
}

function listArb(element: fc.Arbitrary<Part>): fc.Arbitrary<Part> {
  return fc.array(element, { minLength: 1, maxLength: 3 }).map((parts) => ({
    text: parts.map((p) => p.text).join(','),
    matches: (x: number) => parts.some((p) => p.matches(x)),
  }))
}

const dimOf = (date: Date): number => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
const weekdayOfDay = (date: Date, day: number): number =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), day)).getUTCDay() + 1
const isWeekday = (date: Date, day: number): boolean => {
  const wd = weekdayOfDay(date, day)
  return wd >= 2 && wd <= 6
}

const domPartArb: fc.Arbitrary<DayPart> = fc.oneof(
  elementArb(1, 31, undefined, true).map((p) => ({ text: p.text, matches: (date: Date) => p.matches(date.getUTCDate()) })),
  fc.constant({ text: 'L', matches: (date: Date) => date.getUTCDate() === dimOf(date) }),
  fc.constant({
    text: 'LW',
    matches: (date: Date) => {
      let d = dimOf(date)
      while (!isWeekday(date, d)) d--
      return date.getUTCDate() === d
    },
  }),
  fc.integer({ min: 1, max: 31 }).map((n) => ({
    text: `${n}W`,
    matches: (date: Date) => {
      const dim = dimOf(date)
      if (n > dim) return false
      // The weekday of this month at the least distance from n.
      let best = -1
      for (let d = 1; d <= dim; d++) {
        if (isWeekday(date, d) && (best < 0 || Math.abs(d - n) < Math.abs(best - n))) best = d
      }
      return date.getUTCDate() === best
    },
  })),
)

const dowPlainPartArb: fc.Arbitrary<DayPart> = fc.oneof(
  elementArb(1, 7, DAYS, false).map((p) => ({ text: p.text, matches: (date: Date) => p.matches(date.getUTCDay() + 1) })),
  fc.constant({ text: 'L', matches: (date: Date) => date.getUTCDay() === 6 }),
  fc.integer({ min: 1, max: 7 }).map((n) => ({
    text: `${n}L`,
    matches: (date: Date) => date.getUTCDay() + 1 === n && date.getUTCDate() + 7 > dimOf(date),
  })),
)

const dowHashArb: fc.Arbitrary<DayPart> = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }))
  .map(([n, k]) => ({
    text: `${n}#${k}`,
    matches: (date: Date) => date.getUTCDay() + 1 === n && Math.floor((date.getUTCDate() - 1) / 7) + 1 === k,
  }))

const dayListArb = (part: fc.Arbitrary<DayPart>): fc.Arbitrary<DayPart> =>
  fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => ({
    text: parts.map((p) => p.text).join(','),
    matches: (date: Date) => parts.some((p) => p.matches(date)),
  }))

const daysArb: fc.Arbitrary<{ dom: string; dow: string; matches: (date: Date) => boolean }> = fc.oneof(
  dayListArb(domPartArb).map((p) => ({ dom: p.text, dow: '?', matches: p.matches })),
  fc.oneof(dayListArb(dowPlainPartArb), dowHashArb).map((p) => ({ dom: '?', dow: p.text, matches: p.matches })),
)

const yearArb: fc.Arbitrary<Part> = fc.oneof(
  fc.constant({ text: '*', matches: () => true }),
  fc
    .tuple(fc.integer({ min: 2015, max: 2035 }), fc.integer({ min: 0, max: 8 }))
    .map(([a, span]) => ({ text: `${a}-${a + span}`, matches: (x: number) => a <= x && x <= a + span })),
  listArb(elementArb(1970, 2199, undefined, true, false, 2015, 2035)),
)

const cronArb = fc
  .record({
    minutes: fc.oneof(fc.constant({ text: '*', matches: () => true }), listArb(elementArb(0, 59, undefined, true))),
    hours: fc.oneof(fc.constant({ text: '*', matches: () => true }), listArb(elementArb(0, 23, undefined, true))),
    days: daysArb,
    months: fc.oneof(fc.constant({ text: '*', matches: () => true }), listArb(elementArb(1, 12, MONTHS, true))),
    years: yearArb,
  })
  .map(({ minutes, hours, days, months, years }) => ({
    text: `cron(${minutes.text} ${hours.text} ${days.dom} ${months.text} ${days.dow} ${years.text})`,
    matches: (instant: number): boolean => {
      const date = new Date(instant)
      return (
        minutes.matches(date.getUTCMinutes()) &&
        hours.matches(date.getUTCHours()) &&
        months.matches(date.getUTCMonth() + 1) &&
        years.matches(date.getUTCFullYear()) &&
        days.matches(date)
      )
    },
  }))

describe('property', () => {
  it('for random valid crons and instants, nextFireTime(e, t) > t, matches, and no minute in between matches (brute-force scan, UTC)', () => {
    const WINDOW_MINUTES = 24 * 60
    fc.assert(
      fc.property(cronArb, fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (cron, t) => {
        const result = nextFireTime(parseScheduleExpression(cron.text), t)
        const firstMinute = Math.floor(t / 60_000) * 60_000 + 60_000
        const scanEnd = Math.min(result ?? Number.POSITIVE_INFINITY, firstMinute + WINDOW_MINUTES * 60_000)
        for (let m = firstMinute; m < scanEnd; m += 60_000) {
          if (cron.matches(m)) throw new Error(`${cron.text} matches ${iso(m)}, before ${iso(result)} (after ${iso(t)})`)
        }
        if (result !== undefined) {
          expect(result).toBeGreaterThan(t)
          expect(result % 60_000).toBe(0)
          expect(cron.matches(result)).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  }, 30_000)
})
