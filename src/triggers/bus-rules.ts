import { arnService, isDestination } from '../destinations/destination.js'
import type { BusEvent } from '../destinations/event-bus.js'
import { Queue, sendFromService } from '../destinations/queue.js'
import { LambdaError, SimulatorError, validationException } from '../errors.js'
import { isPlainObject } from '../internal/plain-object.js'
import { compileEventPattern, isObject, PatternError, type CompiledPattern, type EventPattern } from '../patterns/event-pattern.js'
import { describe, rejectUnknownKeys, Violations } from '../validation.js'
import { triggerInvoke, type TriggerHost } from './trigger-host.js'

/**
 * Options of `bus.putRule`: an EventBridge rule that sends matching events to functions and SQS queues.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
export interface RuleOptions {
  /** 1–64 of `A-Z a-z 0-9 . - _`. Putting an existing name replaces that rule. */
  name: string
  /** An EventBridge event pattern, as an object or a JSON string (the shared matcher of event filtering). */
  eventPattern: EventPattern | string
  /**
   * At most 5, of any kind: functions invoked (`Event` type) with each matching event's envelope
   * (handles, names or ARNs), and SQS queues sent the envelope's JSON as the message body (a `Queue`,
   * its ARN, or `{ queue, messageGroupId }`; a FIFO queue needs `messageGroupId`).
   */
  targets: RuleTarget[]
  /**
   * `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` also admits read-only CloudTrail management
   * events on AWS; lambda-sim has none, so it routes exactly like `ENABLED`.
   * @default 'ENABLED'
   */
  state?: RuleState
}

/** One target of `bus.putRule`: a function (a handle, name or ARN) or an SQS queue. */
export type RuleTarget = string | { readonly name: string } | Queue | QueueRuleTarget

/**
 * An SQS queue target with PutTargets' `SqsParameters`: `messageGroupId` is required for a FIFO queue
 * (the queue must then have content-based deduplication: EventBridge sends no deduplication id) and
 * kept with the message on a standard queue.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_SqsParameters.html
 */
export interface QueueRuleTarget {
  /** A queue of this simulator, or its ARN. */
  readonly queue: Queue | string
  readonly messageGroupId?: string
}

/** A queue target's `SqsParameters` as stored. */
export interface SqsTargetParameters {
  readonly messageGroupId: string
}

/** PutRule's `State` values. https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html */
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'
const RULE_STATES: readonly string[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']

/** A rule as stored. */
export interface BusRule {
  readonly name: string
  /** `arn:aws:events:<region>:<account>:rule/<bus>/<name>` (`rule/<name>` on the default bus). */
  readonly arn: string
  readonly eventPattern: EventPattern
  /** The targets' ARNs, in order: functions (`arn:aws:lambda:…`) and SQS queues (`arn:aws:sqs:…`). */
  readonly targets: readonly string[]
  /** Per target, in the order of `targets`: a queue target's `messageGroupId`, or undefined. */
  readonly sqsParameters: readonly (SqsTargetParameters | undefined)[]
  state: RuleState
  readonly matcher: CompiledPattern
}

/**
 * The key path of the first empty object in a rule's pattern (the root, a nested pattern or a `$or`
 * alternative), or `undefined`. EventBridge's pattern compiler (aws/event-ruler `JsonRuleCompiler`)
 * refuses them: "Empty objects are not allowed".
 */
function emptyObjectPath(pattern: Record<string, unknown>, path: string): string | undefined {
  const entries = Object.entries(pattern)
  if (entries.length === 0) return path
  for (const [key, value] of entries) {
    const p = path === '' ? key : `${path}.${key}`
    if (key === '$or' && Array.isArray(value)) {
      for (const [i, alt] of (value as Record<string, unknown>[]).entries()) {
        const found = emptyObjectPath(alt, `${p}[${i}]`)
        if (found !== undefined) return found
      }
    } else if (isObject(value)) {
      const found = emptyObjectPath(value as Record<string, unknown>, p)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** PutRule `Name`: 1–64 characters of this pattern (the text as AWS prints it in a violation). */
const NAME_REGEX = /^[.\-_A-Za-z0-9]+$/
const RULE_NAME_PATTERN = '[\\.\\-_A-Za-z0-9]+'
const RULE_NAME_MAX = 64
/** PutRule `EventPattern`: at most 4,096 characters (the API's limit; the account quota defaults to 2,048, not modelled). */
export const MAX_EVENT_PATTERN_LENGTH = 4096

/**
 * A rule `Name` (PutRule, DeleteRule): required, 1–64 characters of {@link RULE_NAME_PATTERN}; each
 * violation is added to `v`. A name that is not a string is a simulator-level type error.
 */
function checkRuleName(v: Violations, name: unknown): void {
  if (name !== undefined && name !== null && typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid rule name ${describe(name)}: expected a string`)
  if (name === undefined || name === null) {
    v.list.push(`Value null at 'name' failed to satisfy constraint: Member must not be null`)
    return
  }
  v.minLength('name', name, 1)
  v.maxLength('name', name, RULE_NAME_MAX)
  v.pattern('name', name, NAME_REGEX, RULE_NAME_PATTERN)
}

/**
 * The pattern's JSON text as PutRule would receive it; `undefined` when it has none the compiler
 * would not name better (a cycle, a BigInt); `null` when it is nested too deeply for
 * JSON.stringify's stack, which makes it thousands of characters long.
 */
function eventPatternText(pattern: unknown): string | undefined | null {
  if (typeof pattern === 'string') return pattern
  try {
    return JSON.stringify(pattern)
  } catch (error) {
    return error instanceof RangeError ? null : undefined
  }
}

/** EventBridge: at most 5 targets per rule. */
export const MAX_TARGETS_PER_RULE = 5

/** The rules of one bus, in creation order. */
export class BusRules {
  readonly #host: TriggerHost
  readonly #bus: { name: string; arn: string }
  readonly #rules = new Map<string, BusRule>()

  constructor(host: TriggerHost, bus: { name: string; arn: string }) {
    this.#host = host
    this.#bus = bus
  }

  get all(): BusRule[] {
    return [...this.#rules.values()]
  }

  put(options: RuleOptions): BusRule {
    if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid putRule options: expected an object, got ${describe(options)}`)
    rejectUnknownKeys('putRule', options, ['name', 'eventPattern', 'targets', 'state'])
    const { name } = options
    // PutRule's schema, every violation at once in AWS's generic format: Name (required, 1–64, pattern), State (enum).
    const v = new Violations()
    checkRuleName(v, name)
    // Measured before compiling: a pattern too deep to be 4,096 characters would otherwise build its
    // path tree (quadratic in the depth) until the heap ran out.
    const text = eventPatternText(options.eventPattern)
    if (text === null) {
      // Too long to print, as AWS would: the value is named, not quoted (a lambda-sim choice).
      v.list.push(`Value '[a pattern nested too deeply to serialise]' at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`)
    } else if (text !== undefined) {
      v.maxLength('eventPattern', text, MAX_EVENT_PATTERN_LENGTH)
    }
    v.enumValue('state', options.state, RULE_STATES)
    if (v.list.length > 0) throw validationException(v.list)
    let matcher: CompiledPattern
    try {
      matcher = compileEventPattern(options.eventPattern)
      const empty = emptyObjectPath(matcher.pattern, '')
      if (empty !== undefined) {
        throw new PatternError(empty === '' ? 'Invalid event pattern: Empty objects are not allowed' : `Invalid event pattern at "${empty}": Empty objects are not allowed`, empty)
      }
    } catch (error) {
      if (error instanceof PatternError) throw new LambdaError('InvalidEventPatternException', 400, `Event pattern is not valid. Reason: ${error.message}`)
      throw error
    }
    const state = options.state ?? 'ENABLED'
    if (!Array.isArray(options.targets)) throw new SimulatorError('InvalidOption', `Invalid rule targets: expected an array of functions, got ${describe(options.targets)}`)
    if (options.targets.length > MAX_TARGETS_PER_RULE) {
      // AWS's text, nothing added (LocalStack's AWS-validated test_add_exceed_fife_targets_per_rule).
      throw new LambdaError('LimitExceededException', 400, 'The requested resource exceeds the maximum number allowed.')
    }
    const resolved = options.targets.map((t, i) => this.#resolveTarget(t, i))
    const targets = resolved.map((t) => t.arn)
    const sqsParameters = resolved.map((t) => (t.messageGroupId === undefined ? undefined : { messageGroupId: t.messageGroupId }))
    const arn = this.#bus.name === 'default' ? `arn:aws:events:${this.#host.region}:${this.#host.accountId}:rule/${name}` : `arn:aws:events:${this.#host.region}:${this.#host.accountId}:rule/${this.#bus.name}/${name}`
    const rule: BusRule = { name, arn, eventPattern: matcher.pattern, targets, sqsParameters, state, matcher }
    this.#rules.set(name, rule)
    return rule
  }

  delete(name: string): boolean {
    return this.#rules.delete(name)
  }

  /**
   * One target as an ARN: a function's (checked now, as for every trigger), or a queue of this
   * simulator's (a `Queue`, its ARN, or `{ queue, messageGroupId }`). A FIFO queue without
   * `messageGroupId` is PutTargets' ValidationException; lambda-sim's targets have no `Id`, so the
   * text names the target as the CDK does, `Target<i>`. Any other service's resource is refused.
   */
  #resolveTarget(t: unknown, i: number): { arn: string; messageGroupId?: string } {
    const member = `targets[${i}]`
    let queueRef: unknown
    let messageGroupId: unknown
    if (t instanceof Queue || (typeof t === 'string' && arnService(t) === 'sqs')) {
      queueRef = t
    } else if (isPlainObject(t) && 'queue' in t) {
      rejectUnknownKeys(`putRule ${member}`, t, ['queue', 'messageGroupId'])
      queueRef = t['queue']
      messageGroupId = (t as { messageGroupId?: unknown }).messageGroupId
      if (!(queueRef instanceof Queue) && !(typeof queueRef === 'string' && arnService(queueRef) === 'sqs')) {
        throw new SimulatorError('InvalidOption', `Invalid ${member}.queue: expected a queue or an SQS queue ARN, got ${describe(queueRef)}`)
      }
      if (messageGroupId !== undefined && typeof messageGroupId !== 'string') {
        throw new SimulatorError('InvalidOption', `Invalid ${member}.messageGroupId: expected a string, got ${describe(messageGroupId)}`)
      }
    } else {
      // Another service's resource (a topic, a bus, a bucket, or its ARN) would otherwise be looked up as a function name.
      const other = typeof t === 'string' ? (t.startsWith('arn:') && arnService(t) !== 'lambda' ? t : undefined) : isDestination(t) ? t.arn : undefined
      if (other !== undefined) throw new SimulatorError('InvalidOption', `Invalid ${member}: rule targets are functions and SQS queues; ${other} is not supported as a target`)
      return { arn: this.#host.resolveFunctionArn(t, member) }
    }
    const queue = this.#queue(queueRef as Queue | string, member)
    if (queue.fifo && messageGroupId === undefined) {
      // PutTargets' text (AWS answers reported in hashicorp/terraform#20263 and awslabs/aws-ddk#183; moto and LocalStack agree).
      throw new LambdaError('ValidationException', 400, `Parameter(s) SqsParameters must be specified for target: Target${i}.`)
    }
    return messageGroupId === undefined ? { arn: queue.arn } : { arn: queue.arn, messageGroupId: messageGroupId as string }
  }

  /** The simulator's queue for a target: a `Queue` of this simulator, or the ARN of one. */
  #queue(ref: Queue | string, member: string): Queue {
    const found = this.#host.destinationFor?.(typeof ref === 'string' ? ref : ref.arn)
    if (typeof ref === 'string') {
      if (!(found instanceof Queue)) throw new SimulatorError('InvalidOption', `Invalid ${member}: no queue with ARN ${ref} exists in this simulator (create it with sim.createQueue first)`)
      return found
    }
    if (found !== ref) throw new SimulatorError('InvalidOption', `Invalid ${member}: queue ${ref.arn} belongs to another simulator`)
    return ref
  }

  /** DeleteRule's schema check of `Name` (the same constraints as PutRule's). */
  static checkDeleteName(name: unknown): void {
    const v = new Violations()
    checkRuleName(v, name)
    if (v.list.length > 0) throw validationException(v.list)
  }

  /** Route one event (already on the bus) to the targets of every enabled rule it matches. */
  route(event: BusEvent, json: string): void {
    for (const rule of this.#rules.values()) {
      if (rule.state === 'DISABLED' || !rule.matcher.matches(event)) continue
      for (const [i, target] of rule.targets.entries()) {
        if (arnService(target) === 'sqs') this.#send(rule, target, rule.sqsParameters[i], json)
        else triggerInvoke(this.#host, target, json, { kind: 'events', arn: rule.arn })
      }
    }
  }

  /**
   * Send the event's JSON to a queue target, with its message group id if any and no deduplication id
   * (a FIFO queue deduplicates by content). A send SQS refuses (the message is over the queue's size,
   * a FIFO queue without content-based deduplication) is a `trigger-failed` warning, as a function
   * target's refused invocation is: the event is dropped for that target.
   */
  #send(rule: BusRule, queueArn: string, parameters: SqsTargetParameters | undefined, json: string): void {
    try {
      const queue = this.#host.destinationFor?.(queueArn)
      if (!(queue instanceof Queue)) throw new Error(`No queue with ARN ${queueArn} exists in this simulator`)
      sendFromService(queue, parameters === undefined ? { body: json } : { body: json, messageGroupId: parameters.messageGroupId })
    } catch (error) {
      this.#host.notice('trigger-failed', `${rule.arn} could not send to ${queueArn}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { source: rule.arn, target: queueArn })
    }
  }
}
