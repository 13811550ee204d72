/**
 * EventBridge and EventBridge Scheduler answers as AWS gives them: exception names and texts from
 * LocalStack's AWS-validated snapshots (tests/aws/services/events/*.snapshot.json,
 * tests/aws/services/scheduler/test_scheduler.snapshot.json) and AWS errors quoted in public issues.
 */
import { describe, expect, it, vi } from 'vitest'
import { createSimulator, LambdaError, nextFireTime, parseScheduleExpression, ScheduleExpressionError } from '../src/index.js'

function thrown(call: () => unknown): unknown {
  try {
    call()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

function world() {
  const sim = createSimulator({ startTime: '2026-01-01T00:00:00Z' })
  const runs: unknown[] = []
  const fn = sim.createFunction('f', async (event: unknown) => {
    runs.push(event)
    return null
  })
  const bus = sim.createEventBus('shop')
  return { sim, fn, bus, runs }
}

describe('EventBridge: at most 5 targets per rule', () => {
  it('more than 5 targets per rule: LimitExceededException "The requested resource exceeds the maximum number allowed." (AWS text, no suffix)', () => {
    const { fn, bus } = world()
    const error = thrown(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn, fn, fn, fn, fn, fn] }))
    expect(error).toBeInstanceOf(LambdaError)
    expect(error).toMatchObject({ name: 'LimitExceededException', statusCode: 400, message: 'The requested resource exceeds the maximum number allowed.' })
    expect(bus.rules).toEqual([])
    // Exactly 5 is accepted.
    expect(bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn, fn, fn, fn, fn] }).targets).toHaveLength(5)
  })
})

describe('EventBridge: a refused putRule changes nothing', () => {
  it('a refused first putRule registers no event listener on the bus (validation before registration)', async () => {
    const { sim, fn, bus, runs } = world()
    const seen: string[] = []
    bus.onEvent((e) => seen.push(e.source))
    const onEvent = vi.spyOn(bus, 'onEvent')
    expect(() => bus.putRule({ name: 'bad name', eventPattern: { source: ['x'] }, targets: [fn] })).toThrow(
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    )
    expect(() => bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['missing'] })).toThrow('Function not found')
    expect(bus.rules).toEqual([])
    // Nothing registered: the rules' router is hooked in only by a putRule that succeeds.
    expect(onEvent).not.toHaveBeenCalled()
    // The bus's listeners are the test's own only: one putEvents calls it once and invokes nothing.
    bus.putEvents([{ source: 'x', detailType: 'd', detail: {} }])
    await sim.runUntilIdle()
    expect(seen).toEqual(['x'])
    expect(runs).toEqual([])
    // A later valid putRule routes once per matching event (one listener, not one per attempt).
    bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn] })
    bus.putEvents([{ source: 'x', detailType: 'd', detail: {} }])
    await sim.runUntilIdle()
    expect(runs).toHaveLength(1)
    expect(seen).toEqual(['x', 'x'])
    expect(onEvent).toHaveBeenCalledTimes(1)
    onEvent.mockRestore()
  })
})

describe('EventBridge Scheduler: operations on a deleted schedule', () => {
  it('a deleted schedule: delete(), enable() and disable() are ResourceNotFoundException (404) "Schedule <name> does not exist."', async () => {
    const { sim, fn, runs } = world()
    const schedule = sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'hourly' })
    schedule.delete()
    for (const op of [() => schedule.delete(), () => schedule.enable(), () => schedule.disable()]) {
      const error = thrown(op)
      expect(error).toBeInstanceOf(LambdaError)
      expect(error).toMatchObject({ name: 'ResourceNotFoundException', statusCode: 404, message: 'Schedule hourly does not exist.' })
    }
    expect(schedule.state).toBe('DELETED')
    expect(schedule.nextFireTime).toBeUndefined()
    expect(sim.listSchedules()).toEqual([])
    await sim.advanceBy(3 * 3_600_000)
    // Deleted before the clock moved: its first fire (due at creation) never ran, nor any later one.
    expect(runs).toEqual([])
  })

  it('a deleted schedule name can be used again; the old handle still answers ResourceNotFoundException', () => {
    const { sim, fn } = world()
    const old = sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'hourly' })
    old.delete()
    const again = sim.createSchedule({ expression: 'rate(2 hours)', target: fn, name: 'hourly' })
    expect(() => old.disable()).toThrow('Schedule hourly does not exist.')
    expect(again.state).toBe('ENABLED')
    expect(sim.listSchedules().map((s) => s.expression)).toEqual(['rate(2 hours)'])
  })

  it('disable() and enable() of a live schedule are idempotent (UpdateSchedule with the same State)', () => {
    const { sim, fn } = world()
    const schedule = sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'hourly' })
    schedule.disable()
    schedule.disable()
    expect(schedule.state).toBe('DISABLED')
    schedule.enable()
    schedule.enable()
    expect(schedule.state).toBe('ENABLED')
  })
})

describe('EventBridge: deleting rules', () => {
  it('deleteRule of a rule that does not exist (or was deleted) answers false and changes nothing, as DeleteRule succeeds', () => {
    const { fn, bus } = world()
    bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [fn] })
    expect(bus.deleteRule('r')).toBe(true)
    expect(bus.deleteRule('r')).toBe(false)
    expect(bus.deleteRule('never-made')).toBe(false)
    expect(bus.rules).toEqual([])
  })
})

/** The invalid expressions LocalStack recorded against AWS (tests_create_schedule_with_invalid_schedule_expression, 2025-01-26). */
const AWS_INVALID = [
  'cron(0 1 * * * *)',
  'cron(7 20 * * NOT *)',
  'cron(INVALID)',
  'cron(0 dummy ? * MON-FRI *)',
  'cron(71 8 1 * ? *)',
  'cron()',
  'rate(10 seconds)',
  'rate(10 years)',
  'rate()',
  'rate(10)',
  'rate(10 minutess)',
  'rate(foo minutes)',
  'rate(-10 minutes)',
  'rate( 10 minutes )',
  ' rate(10 minutes)',
  'at(2021-12-31T23:59:59Z)',
  'at(2021-12-31)',
]

describe('EventBridge Scheduler: an invalid schedule expression', () => {
  it.each(AWS_INVALID)('an invalid schedule expression %j: ValidationException "Invalid Schedule Expression <expr>." with the detail apart', (expression) => {
    const { sim, fn } = world()
    const error = thrown(() => sim.createSchedule({ expression, target: fn }))
    expect(error).toBeInstanceOf(ScheduleExpressionError)
    expect(error).toBeInstanceOf(LambdaError)
    expect(error).toMatchObject({ name: 'ValidationException', statusCode: 400, message: `Invalid Schedule Expression ${expression}.`, expression })
    expect(typeof (error as ScheduleExpressionError).detail).toBe('string')
    expect((error as ScheduleExpressionError).detail.length).toBeGreaterThan(10)
    expect(sim.listSchedules()).toEqual([])
  })

  it('an invalid schedule expression keeps lambda-sim detail and field apart from AWS text (rate, cron, at)', () => {
    const detailOf = (expression: string) => {
      const e = thrown(() => parseScheduleExpression(expression)) as ScheduleExpressionError
      expect(e.message).toBe(`Invalid Schedule Expression ${expression}.`)
      return [e.detail, e.field]
    }
    // The detail is also the cause, so test runners print it under AWS's text.
    const e = thrown(() => parseScheduleExpression('cron(0 12 * * * *)')) as ScheduleExpressionError
    expect(e.cause).toBeInstanceOf(Error)
    expect((e.cause as Error).message).toBe('day-of-month and day-of-week cannot both be specified; use ? in one of them')
    expect(Object.keys(e)).not.toContain('cause')
    expect(detailOf('rate(5 minute)')).toEqual(['rate value 5 requires the plural unit "minutes", not "minute"', 'rate unit'])
    expect(detailOf('cron(0 12 * * * *)')).toEqual(['day-of-month and day-of-week cannot both be specified; use ? in one of them', 'day-of-month'])
    expect(detailOf('cron(71 8 1 * ? *)')).toEqual(['minutes value 71 is out of range; allowed: 0-59 and the wildcards , - * /', 'minutes'])
    expect(detailOf('at(2026-02-30T00:00:00)')).toEqual([
      'at date and time "2026-02-30T00:00:00" does not exist; expected a real calendar date with hh 00-23, mm 00-59 and ss 00-59',
      'at',
    ])
  })

  it('the valid expressions LocalStack recorded against AWS are accepted', () => {
    const { sim, fn } = world()
    for (const expression of ['cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)', 'cron(30-30 13-13 ? * 2,4,6 *)', 'cron(1-31/30 1-1 ? * 1,7 *)', 'cron(*/15 * * * ? *)', 'cron(0 18 ? * MON-FRI *)', 'cron(0-59/10 0-23/2 ? * * *)']) {
      expect(sim.createSchedule({ expression, target: fn }).expression).toBe(expression)
    }
    expect(sim.listSchedules()).toHaveLength(6)
  })

  it('an unknown time zone: ValidationException naming the zone (AWS text not recorded), field timezone', () => {
    const { sim, fn } = world()
    const error = thrown(() => sim.createSchedule({ expression: 'cron(0 12 * * ? *)', target: fn, timezone: 'Mars/Base' }))
    expect(error).toBeInstanceOf(ScheduleExpressionError)
    expect(error).toMatchObject({
      name: 'ValidationException',
      statusCode: 400,
      message: 'Invalid time zone "Mars/Base" for schedule expression "cron(0 12 * * ? *)": expected an IANA time zone name such as "America/New_York" or "UTC"',
      detail: 'expected an IANA time zone name such as "America/New_York" or "UTC"',
      expression: 'cron(0 12 * * ? *)',
      field: 'timezone',
    })
    // The message already holds the detail: no cause.
    expect((error as Error).cause).toBeUndefined()
    expect(() => nextFireTime(parseScheduleExpression('rate(1 day)'), 0, { timezone: '' })).toThrow('Invalid time zone "" for schedule expression "rate(1 day)"')
    expect(sim.listSchedules()).toEqual([])
  })
})

describe('EventBridge Scheduler: schedules that can never fire (Choice)', () => {
  const never = (sim: ReturnType<typeof world>['sim']) => sim.timeline.ofType('warning').filter((w) => w.kind === 'schedule-never-fires')

  it('an at() schedule in the past is accepted, never fires, and a schedule-never-fires warning names it', async () => {
    const { sim, fn, runs } = world()
    const late = sim.createSchedule({ expression: 'at(2025-12-31T23:00:00)', target: fn, name: 'late' })
    expect(late.state).toBe('ENABLED')
    expect(late.nextFireTime).toBeUndefined()
    expect(sim.listSchedules().map((s) => s.name)).toEqual(['late'])
    expect(never(sim).map((w) => [w.message, w.details])).toEqual([
      [
        'Schedule late (at(2025-12-31T23:00:00)) has no fire time after 2026-01-01T00:00:00.000Z: it will never fire',
        { schedule: 'late', arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/late', expression: 'at(2025-12-31T23:00:00)' },
      ],
    ])
    await sim.advanceBy(86_400_000)
    expect(runs).toEqual([])
    expect(late.fires).toBe(0)
  })

  it('an at() schedule in the past in its time zone: 2026-01-01T00:30 in America/New_York is 05:30Z, in the future; 2025-12-31T18:00 there is 23:00Z, past', async () => {
    const { sim, fn, runs } = world()
    const future = sim.createSchedule({ expression: 'at(2026-01-01T00:30:00)', target: fn, timezone: 'America/New_York' })
    const past = sim.createSchedule({ expression: 'at(2025-12-31T18:00:00)', target: fn, timezone: 'America/New_York' })
    expect(new Date(future.nextFireTime as number).toISOString()).toBe('2026-01-01T05:30:00.000Z')
    expect(past.nextFireTime).toBeUndefined()
    expect(never(sim).map((w) => w.details?.['schedule'])).toEqual(['schedule-2'])
    await sim.advanceBy(86_400_000)
    expect(runs).toHaveLength(1)
  })

  it('a cron that can never fire (30 February, a past year) is accepted, never fires, and warns', async () => {
    const { sim, fn, runs } = world()
    const feb30 = sim.createSchedule({ expression: 'cron(0 0 30 2 ? *)', target: fn, name: 'feb30' })
    const past = sim.createSchedule({ expression: 'cron(0 12 * * ? 2020-2025)', target: fn, name: 'past-years' })
    expect([feb30.nextFireTime, past.nextFireTime]).toEqual([undefined, undefined])
    expect(never(sim).map((w) => w.message)).toEqual([
      'Schedule feb30 (cron(0 0 30 2 ? *)) has no fire time after 2026-01-01T00:00:00.000Z: it will never fire',
      'Schedule past-years (cron(0 12 * * ? 2020-2025)) has no fire time after 2026-01-01T00:00:00.000Z: it will never fire',
    ])
    await sim.advanceBy(366 * 86_400_000)
    expect(runs).toEqual([])
  })

  it('a recurring schedule whose endDate comes before its first fire warns too; one that fires does not', () => {
    const { sim, fn } = world()
    sim.createSchedule({ expression: 'cron(0 12 * * ? *)', target: fn, name: 'short', endDate: '2026-01-01T06:00:00Z' })
    sim.createSchedule({ expression: 'cron(0 12 * * ? *)', target: fn, name: 'daily' })
    sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'hourly' })
    expect(never(sim).map((w) => w.details?.['schedule'])).toEqual(['short'])
  })
})
