import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError, ScheduleExpressionError } from '../src/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const iso = (ms: number): string => new Date(ms).toISOString()

/** A simulator with a function that records when it ran and what it got. */
function setup(options: { fail?: boolean; startTime?: string } = {}) {
  const sim = createSimulator(options.startTime === undefined ? {} : { startTime: options.startTime })
  const runs: { at: string; event: unknown }[] = []
  const fn = sim.createFunction('job', async (event: unknown) => {
    runs.push({ at: iso(sim.now()), event })
    if (options.fail === true) throw new Error('job failed')
    return null
  })
  return { sim, fn, runs }
}

describe('sim.createSchedule: rate()', () => {
  it('rate(5 minutes) fires at once, then every 5 minutes, with the scheduled-event payload', async () => {
    const { sim, fn, runs } = setup()
    const schedule = sim.createSchedule({ expression: 'rate(5 minutes)', target: fn, name: 'every-five' })
    // The handle's arn is the Scheduler ARN the notification's resources name.
    expect(schedule.arn).toBe('arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-five')
    expect(schedule.nextFireTime).toBe(T0)
    await sim.advanceBy(10 * 60_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:05:00.000Z', '2026-01-01T00:10:00.000Z'])
    const event = runs[1]?.event as Record<string, unknown>
    expect(Object.keys(event)).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'])
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '123456789012',
      time: '2026-01-01T00:05:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-five'],
      detail: '{}',
    })
    expect(schedule.fires).toBe(3)
    expect(schedule.nextFireTime).toBe(T0 + 15 * 60_000)
    // Each fire is an async invocation whose source is the schedule's Scheduler ARN.
    const accepted = sim.timeline.ofType('accepted')
    expect(accepted.map((e) => [iso(e.time), e.invocationType, e.source])).toEqual([
      ['2026-01-01T00:00:00.000Z', 'Event', 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-five'],
      ['2026-01-01T00:05:00.000Z', 'Event', 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-five'],
      ['2026-01-01T00:10:00.000Z', 'Event', 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/every-five'],
    ])
  })

  it("without input a schedule sends EventBridge Scheduler's default notification: source aws.scheduler, the schedule ARN, detail the string \"{}\"", async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'cron(30 12 * * ? *)', target: fn, name: 'rg-patch-intimation' })
    await sim.advanceBy(13 * 3_600_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T12:30:00.000Z'])
    const event = runs[0]?.event as { id: string }
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // The exact JSON and key order of a notification captured from AWS (2024-06-13, us-east-2).
    expect(JSON.stringify(event)).toBe(
      `{"version":"0","id":"${event.id}","detail-type":"Scheduled Event","source":"aws.scheduler","account":"123456789012","time":"2026-01-01T12:30:00Z",` +
        `"region":"us-east-1","resources":["arn:aws:scheduler:us-east-1:123456789012:schedule/default/rg-patch-intimation"],"detail":"{}"}`,
    )
  })

  it('is recurring work: runUntilIdle returns once the fired invocations are done and does not spin', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'rate(1 minute)', target: fn })
    await sim.runUntilIdle()
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T00:00:00.000Z'])
    expect(sim.now()).toBe(T0)
    expect(() => sim.assertIdle()).not.toThrow()
    // A day of virtual time costs one task per fire.
    await sim.advanceBy(86_400_000)
    expect(runs).toHaveLength(1 + 1440)
  })

  it('a startDate is the first fire; endDate stops it', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'rate(1 hour)', target: fn, startDate: '2026-01-01T06:30:00Z', endDate: '2026-01-01T09:00:00Z' })
    await sim.advanceBy(86_400_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T06:30:00.000Z', '2026-01-01T07:30:00.000Z', '2026-01-01T08:30:00.000Z'])
  })

  it('a one-time at() schedule ignores startDate and endDate: it fires at its time even before startDate or after endDate', async () => {
    const { sim, fn, runs } = setup()
    const late = sim.createSchedule({ expression: 'at(2026-01-01T10:00:00)', target: fn, name: 'start-after', startDate: '2026-01-01T12:00:00Z' })
    const early = sim.createSchedule({ expression: 'at(2026-01-01T11:00:00)', target: fn, name: 'end-before', startDate: '2026-01-01T08:00:00Z', endDate: '2026-01-01T09:00:00Z' })
    expect([late.nextFireTime, early.nextFireTime]).toEqual([Date.parse('2026-01-01T10:00:00Z'), Date.parse('2026-01-01T11:00:00Z')])
    await sim.advanceBy(86_400_000)
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z'])
    // Disabled and enabled again before its time, it still fires then.
    const again = sim.createSchedule({ expression: 'at(2026-01-03T10:00:00)', target: fn, name: 'toggled', endDate: '2026-01-02T12:00:00Z' })
    again.disable()
    again.enable()
    expect(again.nextFireTime).toBe(Date.parse('2026-01-03T10:00:00Z'))
  })

  it('a rate or cron schedule whose startDate is more than 5 minutes ago is refused with ValidationException; exactly 5 minutes ago is accepted', async () => {
    const { sim, fn, runs } = setup()
    await sim.advanceBy(3_600_000) // 01:00
    for (const expression of ['rate(10 minutes)', 'cron(0 * * * ? *)']) {
      let error: unknown
      try {
        sim.createSchedule({ expression, target: fn, startDate: '2026-01-01T00:54:59.999Z' })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(LambdaError)
      expect(error).toMatchObject({ name: 'ValidationException', statusCode: 400, message: 'The StartDate you specify cannot be earlier than 5 minutes ago.' })
    }
    expect(sim.listSchedules()).toEqual([])
    // A one-time schedule ignores StartDate.
    sim.createSchedule({ expression: 'at(2026-01-01T02:00:00)', target: fn, name: 'once', startDate: '2025-12-01T00:00:00Z' })
    const edge = sim.createSchedule({ expression: 'rate(10 minutes)', target: fn, name: 'edge', startDate: '2026-01-01T00:55:00Z' })
    expect(edge.nextFireTime).toBe(Date.parse('2026-01-01T01:05:00Z'))
    await sim.advanceBy(3_600_000)
    expect(runs.map((r) => r.at.slice(11, 16))).toEqual(['01:05', '01:15', '01:25', '01:35', '01:45', '01:55', '02:00'])
  })

  it('input replaces the payload', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'rate(1 day)', target: fn, input: { task: 'report', dryRun: false } })
    await sim.runUntilIdle()
    expect(runs[0]?.event).toEqual({ task: 'report', dryRun: false })
  })

  it('disable() stops fires (missed runs are not made up), enable() resumes from now, delete() ends it', async () => {
    const { sim, fn, runs } = setup()
    const s = sim.createSchedule({ expression: 'rate(10 minutes)', target: fn })
    await sim.advanceBy(15 * 60_000) // fires at 0 and 10
    s.disable()
    expect(s.state).toBe('DISABLED')
    expect(s.nextFireTime).toBeUndefined()
    await sim.advanceBy(30 * 60_000) // 45 min: 20, 30, 40 missed
    s.enable()
    expect(iso(s.nextFireTime as number)).toBe('2026-01-01T00:50:00.000Z')
    await sim.advanceBy(10 * 60_000)
    s.delete()
    expect(s.state).toBe('DELETED')
    expect(sim.listSchedules()).toEqual([])
    await sim.advanceBy(60 * 60_000)
    expect(runs.map((r) => r.at.slice(11, 16))).toEqual(['00:00', '00:10', '00:50'])
    expect(() => s.enable()).toThrow('Schedule schedule-1 does not exist.')
    expect(() => s.enable()).toThrow(LambdaError)
  })

  it('the target is invoked with the Event type: a failing target is retried after 60 s and 120 s', async () => {
    const { sim, fn, runs } = setup({ fail: true })
    sim.createSchedule({ expression: 'at(2026-01-01T10:00:00)', target: fn })
    await sim.runUntilIdle() // at() is in the future: runUntilIdle does not move the clock for recurring work
    expect(runs).toEqual([])
    await sim.advanceTo('2026-01-01T11:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z', '2026-01-01T10:03:00.000Z'])
    expect(sim.timeline.ofType('terminal').map((e) => e.condition)).toEqual(['RetriesExhausted'])
  })
})

describe('sim.createSchedule: cron() edge cases', () => {
  it('cron(0 12 L * ? *) fires at noon on the last day of each month: 31 Jan, 28 Feb, 31 Mar, 30 Apr', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'cron(0 12 L * ? *)', target: fn })
    await sim.advanceTo('2026-05-01T00:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z', '2026-03-31T12:00:00.000Z', '2026-04-30T12:00:00.000Z'])
    expect((runs[1]?.event as { time: string }).time).toBe('2026-02-28T12:00:00Z')
  })

  it('cron(0 0 31 * ? *) skips the months without a 31st', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'cron(0 0 31 * ? *)', target: fn })
    await sim.advanceTo('2026-09-01T00:00:00Z')
    expect(runs.map((r) => r.at.slice(0, 10))).toEqual(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31'])
  })

  it('cron(30 9 ? * MON-FRI *): day-of-month ? and weekdays only (1 Jan 2026 is a Thursday)', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'cron(30 9 ? * MON-FRI *)', target: fn })
    await sim.advanceTo('2026-01-07T00:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-01-01T09:30:00.000Z', '2026-01-02T09:30:00.000Z', '2026-01-05T09:30:00.000Z', '2026-01-06T09:30:00.000Z'])
  })

  it('cron(0 10 ? * 6#3 *): the third Friday of each month', async () => {
    const { sim, fn, runs } = setup()
    sim.createSchedule({ expression: 'cron(0 10 ? * 6#3 *)', target: fn })
    await sim.advanceTo('2026-04-01T00:00:00Z')
    expect(runs.map((r) => r.at.slice(0, 10))).toEqual(['2026-01-16', '2026-02-20', '2026-03-20'])
  })

  it('a time zone: cron(0 9 * * ? *) in America/New_York moves from 14:00Z to 13:00Z when DST starts on 8 March 2026', async () => {
    const { sim, fn, runs } = setup({ startTime: '2026-03-06T00:00:00Z' })
    sim.createSchedule({ expression: 'cron(0 9 * * ? *)', target: fn, timezone: 'America/New_York' })
    await sim.advanceTo('2026-03-10T00:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z'])
  })

  it('spring forward: cron(30 2 * * ? *) in America/New_York does not run on 8 March 2026, when 02:30 does not exist', async () => {
    const { sim, fn, runs } = setup({ startTime: '2026-03-07T00:00:00Z' })
    sim.createSchedule({ expression: 'cron(30 2 * * ? *)', target: fn, timezone: 'America/New_York' })
    await sim.advanceTo('2026-03-10T00:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z'])
  })

  it('fall back: cron(30 1 * * ? *) in America/New_York runs once on 1 November 2026, at the first 01:30', async () => {
    const { sim, fn, runs } = setup({ startTime: '2026-10-31T00:00:00Z' })
    sim.createSchedule({ expression: 'cron(30 1 * * ? *)', target: fn, timezone: 'America/New_York' })
    await sim.advanceTo('2026-11-03T00:00:00Z')
    expect(runs.map((r) => r.at)).toEqual(['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'])
  })
})

describe('sim.createSchedule: validation', () => {
  it('a bad expression throws ScheduleExpressionError (ValidationException) naming the expression', () => {
    const { sim, fn } = setup()
    expect(() => sim.createSchedule({ expression: 'cron(0 12 * * * *)', target: fn })).toThrow(ScheduleExpressionError)
    expect(() => sim.createSchedule({ expression: 'cron(0 12 * * * *)', target: fn })).toThrow(LambdaError)
    expect(() => sim.createSchedule({ expression: 'every day', target: fn })).toThrow('Invalid Schedule Expression every day.')
    expect(() => sim.createSchedule({ expression: 42 as unknown as string, target: fn })).toThrow(
      'Invalid schedule expression: expected a string such as "rate(5 minutes)", "cron(0 12 * * ? *)" or "at(2026-01-01T10:00:00)", got 42',
    )
    expect(sim.listSchedules()).toEqual([])
  })

  it('an unknown time zone, target, option or a bad name or window is rejected before anything is scheduled', () => {
    const { sim, fn } = setup()
    expect(() => sim.createSchedule({ expression: 'cron(0 12 * * ? *)', target: fn, timezone: 'Mars/Base' })).toThrow(
      'Invalid time zone "Mars/Base" for schedule expression "cron(0 12 * * ? *)": expected an IANA time zone name such as "America/New_York" or "UTC"',
    )
    let error: unknown
    try {
      sim.createSchedule({ expression: 'rate(1 hour)', target: 'missing' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(LambdaError)
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing:$LATEST' })
    expect(() => sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'has space' })).toThrow(
      expect.objectContaining({ name: 'ValidationException', statusCode: 400, message: "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+" }),
    )
    expect(() => sim.createSchedule({ expression: 'rate(1 hour)', target: fn, every: 1 } as never)).toThrow('Unknown option "every" for createSchedule')
    expect(() => sim.createSchedule({ expression: 'rate(1 hour)', target: fn, startDate: '2026-02-01T00:00:00Z', endDate: '2026-01-01T00:00:00Z' })).toThrow(
      'Invalid schedule window: endDate 2026-01-01T00:00:00.000Z must be after startDate 2026-02-01T00:00:00.000Z',
    )
    sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'hourly' })
    expect(() => sim.createSchedule({ expression: 'rate(1 hour)', target: fn, name: 'hourly' })).toThrow(
      expect.objectContaining({ name: 'ConflictException', statusCode: 409, message: 'Schedule hourly already exists.' }),
    )
    expect(sim.listSchedules().map((s) => s.name)).toEqual(['hourly'])
  })

  it('a fire Lambda refuses (payload over 1 MB) is a trigger-failed warning, and the schedule goes on', async () => {
    const { sim, fn } = setup()
    const s = sim.createSchedule({ expression: 'rate(1 minute)', target: fn, name: 'big', input: { blob: 'x'.repeat(1_100_000) } })
    await sim.runUntilIdle()
    const warnings = sim.timeline.ofType('warning').filter((w) => w.kind === 'trigger-failed')
    expect(warnings.map((w) => w.message)).toEqual([
      'arn:aws:scheduler:us-east-1:123456789012:schedule/default/big could not invoke arn:aws:lambda:us-east-1:123456789012:function:job: RequestEntityTooLargeException: 1100011 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    ])
    expect(s.nextFireTime).toBe(T0 + 60_000)
  })
})
