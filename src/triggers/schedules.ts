import { LambdaError, SimulatorError } from '../errors.js'
import type { Task } from '../internal/heap.js'
import { isPlainObject } from '../internal/plain-object.js'
import { describe, rejectUnknownKeys, toEpochMs, Violations } from '../validation.js'
import { nextFireTime, parseScheduleExpression, type ScheduleExpression } from './schedule-expression.js'
import { triggerInvoke, type TriggerHost } from './trigger-host.js'

/**
 * Options of `sim.createSchedule`: an EventBridge schedule that invokes a function asynchronously.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export interface ScheduleOptions {
  /** `rate(5 minutes)`, `cron(0 12 * * ? *)` (six fields) or `at(2026-01-01T10:00:00)`. */
  expression: string
  /** The function to invoke (`Event` type): a handle, a name, an ARN, or `name:qualifier`. */
  target: string | { readonly name: string }
  /**
   * The event the function receives instead of the default notification (the target's `Input`).
   * Any JSON value. EventBridge Scheduler's context attributes in its strings are replaced at each fire:
   * `<aws.scheduler.scheduled-time>` (`2026-01-01T02:00:00Z`), `<aws.scheduler.schedule-arn>`
   * (`arn:aws:scheduler:<region>:<account>:schedule/default/<name>`), `<aws.scheduler.execution-id>` (16
   * hex digits, new at each fire) and `<aws.scheduler.attempt-number>` (`1`).
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
   * @default Scheduler's default notification `{version:'0', id, 'detail-type':'Scheduled Event', source:'aws.scheduler',
   * account, time, region, resources:[<schedule ARN>], detail:'{}'}` (`detail` is the string `"{}"`)
   */
  input?: unknown
  /** IANA time zone in which `cron(...)` and `at(...)` are read; `rate(...)` ignores it. @default 'UTC' */
  timezone?: string
  /** 1–64 of `A-Z a-z 0-9 . - _`; names the schedule ARN in `resources`. @default 'schedule-1', 'schedule-2', … */
  name?: string
  /**
   * No fire before this instant (epoch ms, Date or ISO string). For `rate(...)` it is also the first
   * fire time. Ignored by one-time `at(...)` schedules, as on AWS. For `rate`/`cron` it may be at most
   * 5 minutes before now (`ValidationException` "The StartDate you specify cannot be earlier than 5 minutes ago.").
   * @default creation time: a rate schedule fires at once, then every period
   */
  startDate?: number | string | Date
  /** No fire after this instant. Ignored by one-time `at(...)` schedules, as on AWS. @default none */
  endDate?: number | string | Date
  /**
   * CreateSchedule's `ActionAfterCompletion`: `DELETE` deletes the schedule after its last fire (a one-time
   * `at(...)` once it has fired, a recurring one after its last fire before `endDate`), freeing its name;
   * `NONE` keeps it (state `ENABLED`, no `nextFireTime`). @default 'NONE'
   */
  actionAfterCompletion?: 'NONE' | 'DELETE'
  /**
   * CreateSchedule's `FlexibleTimeWindow`: `{ mode: 'OFF' }`, or `{ mode: 'FLEXIBLE', maximumWindowInMinutes }`
   * (1–1440), within which AWS invokes the target at a time of its choosing. lambda-sim fires at the start of
   * the window, the scheduled time, in both modes (one of the instants AWS may pick). @default { mode: 'OFF' }
   */
  flexibleTimeWindow?: { mode: 'OFF' | 'FLEXIBLE'; maximumWindowInMinutes?: number }
}

/** The handle `sim.createSchedule` returns. */
export interface ScheduleHandle {
  readonly name: string
  /**
   * The schedule's EventBridge Scheduler ARN, `arn:aws:scheduler:<region>:<account>:schedule/default/<name>`:
   * the one its default notification's `resources` and `<aws.scheduler.schedule-arn>` name, and the source of
   * its invocations and warnings.
   */
  readonly arn: string
  readonly expression: string
  /** `ENABLED`, `DISABLED`, or `DELETED` after `delete()`. */
  readonly state: 'ENABLED' | 'DISABLED' | 'DELETED'
  /** Virtual epoch ms of the next fire, or undefined when disabled, deleted or finished. */
  readonly nextFireTime: number | undefined
  /** Times it has fired. */
  readonly fires: number
  /**
   * Stop firing until `enable()`. Runs missed while disabled are not made up. On a deleted schedule:
   * `ResourceNotFoundException` (404) "Schedule <name> does not exist.", as UpdateSchedule answers.
   */
  disable(): void
  /** Fire again, from the next fire time after now. On a deleted schedule: `ResourceNotFoundException`, as for `disable()`. */
  enable(): void
  /** Remove the schedule; it never fires again. Again on a deleted schedule: `ResourceNotFoundException`, as DeleteSchedule answers. */
  delete(): void
}

const OPTION_KEYS = ['expression', 'target', 'input', 'timezone', 'name', 'startDate', 'endDate', 'actionAfterCompletion', 'flexibleTimeWindow'] as const
/** CreateSchedule `Name`: 1–64 characters of this pattern (the text as AWS prints it in a violation). */
const NAME_REGEX = /^[0-9a-zA-Z\-_.]+$/
const SCHEDULE_NAME_PATTERN = '[0-9a-zA-Z-_.]+'

/**
 * CreateSchedule's schema check of `Name`: 1–64 characters of {@link SCHEDULE_NAME_PATTERN}, every
 * violation in one ValidationException in AWS's generic format. A name that is not a string is a
 * simulator-level type error. https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
 */
function checkScheduleName(name: unknown): void {
  if (typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid schedule name ${describe(name)}: expected a string`)
  const v = new Violations()
  v.minLength('name', name, 1)
  v.maxLength('name', name, 64)
  v.pattern('name', name, NAME_REGEX, SCHEDULE_NAME_PATTERN)
  v.throwIfAny()
}
/**
 * CreateSchedule's `FlexibleTimeWindow` schema: `Mode` required, `OFF` or `FLEXIBLE`; `MaximumWindowInMinutes`
 * 1–1440. **Choice** (AWS's text is not recorded): FLEXIBLE without a window is a ValidationException
 * naming the member. https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html
 */
function checkFlexibleTimeWindow(v: Violations, window: unknown): void {
  if (window === undefined) return
  if (!isPlainObject(window)) throw new SimulatorError('InvalidOption', `Invalid flexibleTimeWindow: expected { mode: 'OFF' } or { mode: 'FLEXIBLE', maximumWindowInMinutes }, got ${describe(window)}`)
  rejectUnknownKeys('createSchedule flexibleTimeWindow', window, ['mode', 'maximumWindowInMinutes'])
  const { mode, maximumWindowInMinutes } = window as { mode?: unknown; maximumWindowInMinutes?: unknown }
  if (mode === undefined) v.list.push(`Value null at 'flexibleTimeWindow.mode' failed to satisfy constraint: Member must not be null`)
  v.enumValue('flexibleTimeWindow.mode', mode, ['OFF', 'FLEXIBLE'])
  v.intRange('flexibleTimeWindow.maximumWindowInMinutes', maximumWindowInMinutes, 1, 1440)
  if (mode === 'FLEXIBLE' && maximumWindowInMinutes === undefined) {
    v.list.push(`Value null at 'flexibleTimeWindow.maximumWindowInMinutes' failed to satisfy constraint: MaximumWindowInMinutes is required when Mode is FLEXIBLE`)
  }
}

/** EventBridge Scheduler refuses a recurring schedule whose StartDate is more than 5 minutes ago. */
const START_DATE_MAX_PAST_MS = 5 * 60_000

/**
 * What EventBridge Scheduler answers for a schedule that does not exist (GetSchedule, UpdateSchedule,
 * DeleteSchedule): `ResourceNotFoundException` (404) "Schedule <name> does not exist." (AWS errors quoted
 * in aws/aws-sdk-js-v3#5720 and dvalbuena1/visa_rescheduler_aws#23; moto's `ScheduleNotFound`).
 */
function deletedSchedule(name: string): LambdaError {
  return new LambdaError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`)
}

/**
 * One schedule: a recurring scheduler task (it does not keep `runUntilIdle` from finishing), costing
 * one task per fire and nothing per idle minute.
 */
export class Schedule implements Task, ScheduleHandle {
  heapIndex = -1
  readonly recurring = true
  readonly name: string
  readonly arn: string
  readonly expression: string
  state: 'ENABLED' | 'DISABLED' | 'DELETED' = 'ENABLED'
  fires = 0
  readonly #host: TriggerHost
  readonly #registry: Schedules
  readonly #parsed: ScheduleExpression
  readonly #targetArn: string
  readonly #inputJson: string | undefined
  readonly #timezone: string | undefined
  readonly #anchorMs: number
  readonly #startMs: number | undefined
  readonly #endMs: number | undefined
  readonly #deleteAfterCompletion: boolean

  constructor(host: TriggerHost, registry: Schedules, name: string, parsed: ScheduleExpression, targetArn: string, inputJson: string | undefined, timezone: string | undefined, startMs: number | undefined, endMs: number | undefined, deleteAfterCompletion = false) {
    this.#host = host
    this.#registry = registry
    this.name = name
    this.arn = schedulerArn(host, name)
    this.expression = parsed.text
    this.#parsed = parsed
    this.#targetArn = targetArn
    this.#inputJson = inputJson
    this.#timezone = timezone
    this.#startMs = startMs
    this.#endMs = endMs
    this.#deleteAfterCompletion = deleteAfterCompletion
    this.#anchorMs = startMs ?? host.now()
  }

  get nextFireTime(): number | undefined {
    return this.#host.scheduler.dueAt(this)
  }

  /** Schedule the first fire strictly after `afterMs` (and not before the start date); false when there is none. */
  arm(afterMs: number): boolean {
    let after = afterMs
    if (this.#startMs !== undefined && this.#startMs - 1 > after) after = this.#startMs - 1
    const next = nextFireTime(this.#parsed, after, { timezone: this.#timezone, anchorMs: this.#anchorMs })
    if (next === undefined || (this.#endMs !== undefined && next > this.#endMs)) return false
    this.#host.scheduler.schedule(this, next)
    return true
  }

  fire(): void {
    const host = this.#host
    // A task fires with the clock at its instant.
    const at = host.now()
    this.fires++
    const json =
      this.#inputJson === undefined
        ? scheduledEventJson({ id: host.uuid(), account: host.accountId, region: host.region, timeIso: host.iso(at), scheduleArn: this.arn })
        : withContextAttributes(this.#inputJson, () => ({
            scheduledTime: `${host.iso(at).slice(0, 19)}Z`,
            scheduleArn: this.arn,
            executionId: () => host.uuid().replace(/-/g, '').slice(0, 16),
          }))
    triggerInvoke(host, this.#targetArn, json, { kind: 'schedule', arn: this.arn })
    // ActionAfterCompletion DELETE: the schedule is deleted once it has no fire left.
    if (!this.arm(at) && this.#deleteAfterCompletion && this.state === 'ENABLED') this.delete()
  }

  describe(): string {
    return `schedule ${this.name} (${this.expression})`
  }

  disable(): void {
    if (this.state === 'DELETED') throw deletedSchedule(this.name)
    if (this.state !== 'ENABLED') return
    this.state = 'DISABLED'
    this.#host.scheduler.cancel(this)
  }

  enable(): void {
    if (this.state === 'DELETED') throw deletedSchedule(this.name)
    if (this.state === 'ENABLED') return
    this.state = 'ENABLED'
    this.arm(this.#host.now() - 1)
  }

  delete(): void {
    if (this.state === 'DELETED') throw deletedSchedule(this.name)
    this.state = 'DELETED'
    this.#host.scheduler.cancel(this)
    this.#registry.remove(this)
  }
}

/** A schedule's EventBridge Scheduler ARN; schedule groups are not simulated, so every schedule is in `default`. */
function schedulerArn(host: TriggerHost, name: string): string {
  return `arn:aws:scheduler:${host.region}:${host.accountId}:schedule/default/${name}`
}

/** EventBridge Scheduler's context attributes, as they appear in a target's Input. */
const CONTEXT_ATTRIBUTE = /<aws\.scheduler\.(scheduled-time|schedule-arn|execution-id|attempt-number)>/g

/**
 * Replaces EventBridge Scheduler's context attributes in the Input's JSON text, as Scheduler does "when
 * your schedule invokes the target". The values need no JSON escaping. An Input without them is returned
 * as it is, and draws nothing from the seeded generator (the execution id is drawn once per fire, only
 * when used). https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 */
function withContextAttributes(json: string, context: () => { scheduledTime: string; scheduleArn: string; executionId: () => string }): string {
  if (!json.includes('<aws.scheduler.')) return json
  const c = context()
  let executionId: string | undefined
  return json.replace(CONTEXT_ATTRIBUTE, (_, name: string) => {
    if (name === 'scheduled-time') return c.scheduledTime
    if (name === 'schedule-arn') return c.scheduleArn
    if (name === 'execution-id') return (executionId ??= c.executionId())
    // Scheduler's own retries are not simulated: each fire is its first attempt (Lambda's async retries
    // resend the same payload).
    return '1'
  })
}

/**
 * EventBridge Scheduler's default notification, sent when the target has no Input: the envelope of an
 * EventBridge scheduled event, but `source` is `aws.scheduler`, `resources` holds the schedule's Scheduler
 * ARN and `detail` is the string `"{}"`, not an object; `time` is the scheduled instant with second precision.
 * Sources: API_Target `Input` ("EventBridge Scheduler delivers a default notification to the target"); the
 * notification's shape is not documented, it is taken from notifications captured from AWS (see docs/semantics.md).
 */
export function scheduledEventJson(input: { id: string; account: string; region: string; timeIso: string; scheduleArn: string }): string {
  return (
    `{"version":"0","id":${JSON.stringify(input.id)},"detail-type":"Scheduled Event","source":"aws.scheduler","account":${JSON.stringify(input.account)},` +
    `"time":"${input.timeIso.slice(0, 19)}Z","region":${JSON.stringify(input.region)},"resources":[${JSON.stringify(input.scheduleArn)}],"detail":"{}"}`
  )
}

/** The schedules of one simulator. */
export class Schedules {
  readonly #host: TriggerHost
  readonly #byName = new Map<string, Schedule>()
  #counter = 0

  constructor(host: TriggerHost) {
    this.#host = host
  }

  get all(): Schedule[] {
    return [...this.#byName.values()]
  }

  create(options: ScheduleOptions): Schedule {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid createSchedule options: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('createSchedule', options, OPTION_KEYS)
    if (typeof options.expression !== 'string') {
      throw new SimulatorError('InvalidOption', `Invalid schedule expression: expected a string such as "rate(5 minutes)", "cron(0 12 * * ? *)" or "at(2026-01-01T10:00:00)", got ${describe(options.expression)}`)
    }
    const given = options.name
    // The request's schema (Name) is checked before the expression's meaning, as the service does.
    if (given !== undefined) checkScheduleName(given)
    // ActionAfterCompletion and FlexibleTimeWindow are part of the request's schema too.
    const v = new Violations()
    v.enumValue('actionAfterCompletion', options.actionAfterCompletion, ['NONE', 'DELETE'])
    checkFlexibleTimeWindow(v, options.flexibleTimeWindow)
    v.throwIfAny()
    const parsed = parseScheduleExpression(options.expression)
    if (given !== undefined && this.#byName.has(given)) throw new LambdaError('ConflictException', 409, `Schedule ${given} already exists.`)
    if (options.timezone !== undefined && typeof options.timezone !== 'string') {
      throw new SimulatorError('InvalidOption', `Invalid schedule timezone: expected an IANA time zone name such as "America/New_York", got ${describe(options.timezone)}`)
    }
    const startMs = options.startDate === undefined ? undefined : toEpochMs('startDate', options.startDate)
    const endMs = options.endDate === undefined ? undefined : toEpochMs('endDate', options.endDate)
    if (startMs !== undefined && endMs !== undefined && endMs <= startMs) {
      throw new SimulatorError('InvalidOption', `Invalid schedule window: endDate ${new Date(endMs).toISOString()} must be after startDate ${new Date(startMs).toISOString()}`)
    }
    // A recurring schedule's StartDate may be at most 5 minutes in the past (at() ignores StartDate).
    if (parsed.kind !== 'at' && startMs !== undefined && startMs < this.#host.now() - START_DATE_MAX_PAST_MS) {
      throw new LambdaError('ValidationException', 400, 'The StartDate you specify cannot be earlier than 5 minutes ago.')
    }
    // Validates the time zone (ScheduleExpressionError naming it) before anything is registered.
    nextFireTime(parsed, this.#host.now(), { timezone: options.timezone })
    const targetArn = this.#host.resolveFunctionArn(options.target, 'target')
    let inputJson: string | undefined
    if (options.input !== undefined) {
      let reason = ''
      try {
        inputJson = JSON.stringify(options.input)
      } catch (error) {
        // A BigInt or a cycle: JSON.stringify throws a TypeError, which must not escape unnamed.
        reason = ` (${error instanceof Error ? error.message : String(error)})`
      }
      if (typeof inputJson !== 'string') throw new SimulatorError('InvalidOption', `Invalid schedule input: expected a JSON value, got ${describe(options.input)}${reason}`)
    }
    // Every check has passed: only now may the default name take the counter's next value (a
    // refused call must not shift the names of later schedules).
    let name = given
    if (name === undefined) {
      do name = `schedule-${++this.#counter}`
      while (this.#byName.has(name))
    }
    // "EventBridge Scheduler ignores StartDate [and EndDate] for one-time schedules" (CreateSchedule).
    const oneTime = parsed.kind === 'at'
    const schedule = new Schedule(this.#host, this, name, parsed, targetArn, inputJson, options.timezone, oneTime ? undefined : startMs, oneTime ? undefined : endMs, options.actionAfterCompletion === 'DELETE')
    this.#byName.set(name, schedule)
    // A rate schedule fires at its anchor (creation or start) first; cron and at() strictly after now.
    if (!schedule.arm(parsed.kind === 'rate' ? this.#host.now() - 1 : this.#host.now())) {
      // An at() in the past, a cron with no matching time left (30 February, past years) or an endDate
      // before the first fire: accepted, as AWS's recorded validation is syntactic, and it never fires.
      // A lambda-sim Choice (AWS's answer is not recorded): a warning names it.
      this.#host.notice('schedule-never-fires', `Schedule ${name} (${parsed.text}) has no fire time after ${this.#host.iso(this.#host.now())}: it will never fire`, {
        schedule: name,
        arn: schedule.arn,
        expression: parsed.text,
      })
    }
    return schedule
  }

  get(name: string): Schedule | undefined {
    return this.#byName.get(name)
  }

  remove(schedule: Schedule): void {
    if (this.#byName.get(schedule.name) === schedule) this.#byName.delete(schedule.name)
  }
}
