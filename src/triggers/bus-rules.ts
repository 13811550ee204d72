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

/** One target of `bus.putRule`: a function (a handle, name or ARN) or an SQS queue, optionally with its input. */
export type RuleTarget = string | { readonly name: string } | Queue | QueueRuleTarget | FunctionRuleTarget

/**
 * What PutTargets' `Input`, `InputPath` and `InputTransformer` make of the event (at most one of them):
 * `input` is constant JSON sent instead of the event ("nothing from the event itself is passed to the
 * target"); `inputPath` a JSONPath (`$.detail`, `$.detail.items[0]`, `$['detail-type']`) whose value is
 * sent instead; `inputTransformer` a template filled from the event.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
 */
export interface RuleTargetInput {
  /** Any JSON value, sent as the target's payload. */
  readonly input?: unknown
  /** At most 256 characters. */
  readonly inputPath?: string
  /** PutTargets' `InputTransformer`. */
  readonly inputTransformer?: RuleInputTransformer
}

/**
 * PutTargets' `InputTransformer`: `inputTemplate` (1–8,192 characters) with `<name>` placeholders, each a
 * key of `inputPathsMap` (at most 100 keys of `[A-Za-z0-9_-]`, each naming a JSONPath of at most 256
 * characters) or a predefined variable: `aws.events.rule-arn`, `aws.events.rule-name`,
 * `aws.events.event.ingestion-time`, `aws.events.event` (the event without `detail`) and
 * `aws.events.event.json` (the whole event). Outside quotes a placeholder becomes the value's JSON; inside a
 * string its text (a string without quotes, not escaped). A template that starts with `{` or `[` must give
 * JSON; another one is sent as it comes out (a quoted string stays a JSON string; other text is sent as text).
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export interface RuleInputTransformer {
  readonly inputPathsMap?: Readonly<Record<string, string>>
  readonly inputTemplate: string
}

/** A function target with PutTargets' `Input`, `InputPath` or `InputTransformer`. */
export interface FunctionRuleTarget extends RuleTargetInput {
  /** A function handle, name or ARN. */
  readonly function: string | { readonly name: string }
}

/**
 * An SQS queue target with PutTargets' `SqsParameters`: `messageGroupId` is required for a FIFO queue
 * (the queue must then have content-based deduplication: EventBridge sends no deduplication id) and
 * kept with the message on a standard queue.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_SqsParameters.html
 */
export interface QueueRuleTarget extends RuleTargetInput {
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
  /** Per target, in the order of `targets`: its `{ input }`, `{ inputPath }` or `{ inputTransformer }`, or undefined (the event itself). */
  readonly targetInputs: readonly (RuleTargetInput | undefined)[]
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

/** PutTargets `InputPath`: at most 256 characters. */
const MAX_INPUT_PATH_LENGTH = 256

/** The JSONPath wildcard step (`.*` or `[*]`): every member of an object, every element of an array. */
const ANY: unique symbol = Symbol('*')

/** One step of a JSONPath: a member name, an array index or the wildcard. */
type PathStep = string | number | typeof ANY

/**
 * Parses the JSONPath subset EventBridge uses: `$`, then `.name`, `['name']` / `["name"]` and `[n]` steps (the
 * InputPath reference: "JSON dot notation or bracket notation") and the wildcard `.*` / `[*]` (the input
 * transformation guide's supported syntax: "array indices", "wildcards (*)"). A `*` is a wildcard only as a
 * whole step (`['*']` is the member named `*`). `undefined` when it is not one.
 */
export function parseInputPath(path: string): PathStep[] | undefined {
  if (!path.startsWith('$')) return undefined
  const steps: PathStep[] = []
  const re = /\.([^.[\]'"*]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|(\.\*|\[\*\])/y
  re.lastIndex = 1
  while (re.lastIndex < path.length) {
    const m = re.exec(path)
    if (m === null) return undefined
    steps.push(m[5] !== undefined ? ANY : (m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4] ?? ''))))
  }
  return steps
}

/** PutTargets `InputTransformer`: InputTemplate 1–8,192 characters; InputPathsMap at most 100 entries, keys 1–256 of this pattern, values at most 256. */
const MAX_INPUT_TEMPLATE_LENGTH = 8192
const MAX_INPUT_PATHS = 100
const INPUT_PATHS_KEY_MAX = 256
const INPUT_PATHS_KEY_REGEX = /^[A-Za-z0-9_-]+$/
const INPUT_PATHS_KEY_PATTERN = '[A-Za-z0-9\\_\\-]+'

/** The predefined variables of an input template (EventBridge user guide, "Predefined variables"). */
const PREDEFINED_VARIABLES: readonly string[] = ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json']

/**
 * Calls `visit` for each `<name>` placeholder of an input template, in order, with its offsets and
 * whether it stands inside a JSON string (between unescaped double quotes of the template).
 */
function scanPlaceholders(template: string, visit: (name: string, start: number, end: number, inString: boolean) => void): void {
  let inString = false
  for (let i = 0; i < template.length; i++) {
    const c = template[i]
    if (c === '\\' && inString) i++
    else if (c === '"') inString = !inString
    else if (c === '<') {
      const end = template.indexOf('>', i + 1)
      if (end < 0) return
      const name = template.slice(i + 1, end)
      if (name.includes('<')) continue
      visit(name, i, end + 1, inString)
      i = end
    }
  }
}

/** A template that starts with `{` or `[` must be JSON once filled; another one may be text. */
function isJsonTemplate(template: string): boolean {
  return /^\s*[{[]/.test(template)
}

/**
 * The template with each placeholder replaced: a missing value (a path that selected nothing) by an empty
 * string (`""` outside quotes); outside quotes in a JSON template by the value's JSON; otherwise by its
 * text (a string as it is, another value as JSON), not escaped.
 */
function fillTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  const json = isJsonTemplate(template)
  let out = ''
  let last = 0
  scanPlaceholders(template, (name, start, end, inString) => {
    const value = values.get(name)
    const asJson = json && !inString
    const text = value === undefined ? (asJson ? '""' : '') : asJson || typeof value !== 'string' ? JSON.stringify(value) : value
    out += template.slice(last, start) + text
    last = end
  })
  return out + template.slice(last)
}

/** The JSON text of `value`, or undefined when it is not JSON. */
function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

/** InputTransformer's schema violations, in AWS's generic format (map keys and values as AWS words them; a map printed by its size). */
function checkInputTransformerSchema(v: Violations, member: string, value: unknown): void {
  if (!isPlainObject(value)) return
  const x = value as Record<string, unknown>
  const template = x['inputTemplate']
  if (template === undefined || template === null) v.list.push(`Value null at '${member}.inputTemplate' failed to satisfy constraint: Member must not be null`)
  else if (typeof template === 'string') {
    v.minLength(`${member}.inputTemplate`, template, 1)
    v.maxLength(`${member}.inputTemplate`, template, MAX_INPUT_TEMPLATE_LENGTH)
  }
  const map = x['inputPathsMap']
  if (!isPlainObject(map)) return
  const entries = Object.entries(map)
  if (entries.length > MAX_INPUT_PATHS) {
    v.list.push(`Value with ${entries.length} entries at '${member}.inputPathsMap' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_PATHS}`)
  }
  for (const [key, path] of entries) {
    if (key.length > INPUT_PATHS_KEY_MAX) {
      v.list.push(`Value '${key}' at '${member}.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to ${INPUT_PATHS_KEY_MAX}]`)
    } else if (!INPUT_PATHS_KEY_REGEX.test(key)) {
      v.list.push(`Value '${key}' at '${member}.inputPathsMap' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${INPUT_PATHS_KEY_PATTERN}]`)
    }
    if (typeof path === 'string' && path.length > MAX_INPUT_PATH_LENGTH) {
      v.list.push(`Value '${path}' at '${member}.inputPathsMap' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_INPUT_PATH_LENGTH}]`)
    }
  }
}

/** A target's `inputTransformer`, checked (types, paths, placeholders, a JSON template's JSON). */
function checkInputTransformer(value: unknown, i: number): RuleInputTransformer {
  const member = `targets[${i}].inputTransformer`
  if (!isPlainObject(value)) throw new SimulatorError('InvalidOption', `Invalid ${member}: expected { inputPathsMap?, inputTemplate }, got ${describe(value)}`)
  const x = value as Record<string, unknown>
  rejectUnknownKeys(`putRule ${member}`, x, ['inputPathsMap', 'inputTemplate'])
  const template = x['inputTemplate']
  if (typeof template !== 'string') throw new SimulatorError('InvalidOption', `Invalid ${member}.inputTemplate: expected a string, got ${describe(template)}`)
  const rawMap = x['inputPathsMap']
  if (rawMap !== undefined && !isPlainObject(rawMap)) throw new SimulatorError('InvalidOption', `Invalid ${member}.inputPathsMap: expected an object of names to JSONPaths, got ${describe(rawMap)}`)
  const map: Record<string, string> = {}
  for (const [key, path] of Object.entries(rawMap ?? {})) {
    if (typeof path !== 'string') throw new SimulatorError('InvalidOption', `Invalid ${member}.inputPathsMap.${key}: expected a JSONPath string such as "$.detail.id", got ${describe(path)}`)
    if (parseInputPath(path) === undefined) {
      // A lambda-sim Choice: AWS's text for a path that is not one is not recorded.
      throw new LambdaError('ValidationException', 400, `Invalid InputPathsMap for target Target${i}: ${key} maps to ${path}, which is not a JSONPath (e.g. $.detail.status, $.detail.items[0])`)
    }
    map[key] = path
  }
  scanPlaceholders(template, (name) => {
    if (!Object.hasOwn(map, name) && !PREDEFINED_VARIABLES.includes(name)) {
      // AWS's text (LocalStack's AWS-validated test_put_events_with_input_transformer_missing_keys).
      throw new LambdaError('ValidationException', 400, `InputTemplate for target Target${i} contains invalid placeholder ${name}.`)
    }
  })
  if (isJsonTemplate(template)) {
    const colon = /\s*:/y
    scanPlaceholders(template, (name, _start, end, inString) => {
      colon.lastIndex = end
      if (!inString && colon.test(template)) {
        // A lambda-sim Choice of text for the API reference's rule: "The placeholder cannot be used as an object key."
        throw new LambdaError('ValidationException', 400, `Invalid InputTemplate for target Target${i}: placeholder <${name}> is used as an object key (a placeholder cannot be an object key)`)
      }
    })
  }
  if (isJsonTemplate(template) && parseJson(fillTemplate(template, new Map(Object.keys(map).concat(PREDEFINED_VARIABLES).map((k) => [k, 'x'])))) === undefined) {
    // A lambda-sim Choice: a template that can never give JSON is refused when the rule is put.
    throw new LambdaError('ValidationException', 400, `Invalid InputTemplate for target Target${i}: a template that starts with { or [ must be JSON once its placeholders are filled: ${template}`)
  }
  return rawMap === undefined ? { inputTemplate: template } : { inputPathsMap: map, inputTemplate: template }
}

/** A target's `{ input }`, `{ inputPath }` or `{ inputTransformer }` from its options, checked; undefined when it has none. */
function targetInput(t: Record<string, unknown>, i: number): RuleTargetInput | undefined {
  const hasInput = t['input'] !== undefined
  const path = t['inputPath']
  const transformer = t['inputTransformer']
  if ([hasInput, path !== undefined, transformer !== undefined].filter(Boolean).length > 1) {
    // LocalStack's PutTargets text (AWS refuses both with a 400; its own text is not recorded).
    throw new LambdaError('ValidationException', 400, `Only one of Input, InputPath, or InputTransformer must be provided for target Target${i}.`)
  }
  if (hasInput) {
    let text: string | undefined
    try {
      text = JSON.stringify(t['input'])
    } catch {
      text = undefined
    }
    if (typeof text !== 'string') throw new SimulatorError('InvalidOption', `Invalid targets[${i}].input: expected a JSON value, got ${describe(t['input'])}`)
    return { input: JSON.parse(text) as unknown }
  }
  if (transformer !== undefined) return { inputTransformer: checkInputTransformer(transformer, i) }
  if (path === undefined) return undefined
  if (typeof path !== 'string') throw new SimulatorError('InvalidOption', `Invalid targets[${i}].inputPath: expected a JSONPath string such as "$.detail", got ${describe(path)}`)
  if (parseInputPath(path) === undefined) {
    throw new LambdaError('ValidationException', 400, `Invalid InputPath for target Target${i}: ${path} is not a JSONPath (e.g. $.detail, $.detail.items[0], $['detail-type'])`)
  }
  return { inputPath: path }
}

/**
 * What a JSONPath selects in `root`: the value, or undefined when it selects nothing; with a wildcard step,
 * the array of every match in document order (`[]` when nothing matches).
 */
function selectPath(root: unknown, path: string): unknown {
  const steps = parseInputPath(path) ?? []
  let matches: unknown[] = [root]
  for (const step of steps) {
    const next: unknown[] = []
    for (const value of matches) {
      if (step === ANY) {
        if (Array.isArray(value)) next.push(...(value as unknown[]))
        else if (isPlainObject(value)) next.push(...Object.values(value))
      } else if (typeof step === 'number' ? Array.isArray(value) && step < value.length : isPlainObject(value) && Object.hasOwn(value, step)) {
        next.push((value as Record<string | number, unknown>)[step])
      }
    }
    matches = next
  }
  return steps.includes(ANY) ? matches : matches[0]
}

/**
 * What a target receives: `{ body, json }` (the event, its `input`, what its `inputPath` selects, or its
 * filled template: JSON, or text when `json` is false), or `{ failure }` saying why nothing is sent.
 */
function targetPayload(spec: RuleTargetInput | undefined, json: string, rule: BusRule): { body: string; json: boolean } | { failure: string } {
  if (spec === undefined) return { body: json, json: true }
  if (spec.inputTransformer !== undefined) return transformedPayload(spec.inputTransformer, json, rule)
  if (spec.inputPath === undefined) return { body: JSON.stringify(spec.input), json: true }
  const value = selectPath(JSON.parse(json), spec.inputPath)
  return value === undefined ? { failure: `InputPath ${spec.inputPath} selects nothing in the event` } : { body: JSON.stringify(value), json: true }
}

/**
 * An input template filled from the event. JSON comes out minified ("The JSON that is passed to the
 * target is minified"); a template that starts with `{` or `[` and does not give JSON (a value with a
 * quote inside a string: values are not escaped) sends nothing. Another template that does not give JSON is
 * text: lines that are each a quoted string are decoded and joined with newlines (the user guide's multi-line
 * text), other text is sent as it is.
 */
function transformedPayload(transformer: RuleInputTransformer, json: string, rule: BusRule): { body: string; json: boolean } | { failure: string } {
  const event = JSON.parse(json) as BusEvent
  const values = new Map<string, unknown>()
  for (const [key, path] of Object.entries(transformer.inputPathsMap ?? {})) values.set(key, selectPath(event, path))
  values.set('aws.events.rule-arn', rule.arn)
  values.set('aws.events.rule-name', rule.name)
  // lambda-sim sets `time` when the event is put on the bus, so it is the ingestion time.
  values.set('aws.events.event.ingestion-time', event.time)
  // The order and the `detailType` name of AWS's answer (LocalStack's AWS-validated test_input_transformer_predefined_variables).
  values.set('aws.events.event', { id: event.id, account: event.account, detailType: event['detail-type'], time: event.time, source: event.source, region: event.region, resources: event.resources, version: event.version })
  values.set('aws.events.event.json', event)
  const text = fillTemplate(transformer.inputTemplate, values)
  const parsed = parseJson(text)
  if (parsed !== undefined) return { body: JSON.stringify(parsed.value), json: true }
  if (isJsonTemplate(transformer.inputTemplate)) return { failure: `the InputTemplate's output is not valid JSON: ${text}` }
  const lines = text.split('\n').map((line) => parseJson(line.trim()))
  if (lines.length > 1 && lines.every((l) => l !== undefined && typeof l.value === 'string')) {
    return { body: lines.map((l) => l?.value as string).join('\n'), json: false }
  }
  return { body: text, json: false }
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
    // Target members' schema first (InputPath's length), every violation at once, as PutTargets answers.
    const tv = new Violations()
    options.targets.forEach((t, i) => {
      const path: unknown = isPlainObject(t) ? (t as { inputPath?: unknown }).inputPath : undefined
      if (typeof path === 'string') tv.maxLength(`targets.${i + 1}.member.inputPath`, path, MAX_INPUT_PATH_LENGTH)
      if (isPlainObject(t)) checkInputTransformerSchema(tv, `targets.${i + 1}.member.inputTransformer`, (t as { inputTransformer?: unknown }).inputTransformer)
    })
    tv.throwIfAny()
    const resolved = options.targets.map((t, i) => this.#resolveTarget(t, i))
    const targets = resolved.map((t) => t.arn)
    const sqsParameters = resolved.map((t) => (t.messageGroupId === undefined ? undefined : { messageGroupId: t.messageGroupId }))
    const targetInputs = resolved.map((t) => t.input)
    const arn = this.#bus.name === 'default' ? `arn:aws:events:${this.#host.region}:${this.#host.accountId}:rule/${name}` : `arn:aws:events:${this.#host.region}:${this.#host.accountId}:rule/${this.#bus.name}/${name}`
    const rule: BusRule = { name, arn, eventPattern: matcher.pattern, targets, sqsParameters, targetInputs, state, matcher }
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
  #resolveTarget(t: unknown, i: number): { arn: string; messageGroupId?: string; input?: RuleTargetInput } {
    const member = `targets[${i}]`
    let queueRef: unknown
    let messageGroupId: unknown
    let input: RuleTargetInput | undefined
    if (isPlainObject(t) && 'function' in t) {
      rejectUnknownKeys(`putRule ${member}`, t, ['function', 'input', 'inputPath', 'inputTransformer'])
      input = targetInput(t, i)
      const ref = t['function']
      if (typeof ref !== 'string' && !(typeof ref === 'object' && ref !== null && typeof (ref as { name?: unknown }).name === 'string')) {
        throw new SimulatorError('InvalidOption', `Invalid ${member}.function: expected a function handle, name or ARN, got ${describe(ref)}`)
      }
      if (typeof ref === 'string' && ref.startsWith('arn:') && arnService(ref) !== 'lambda') {
        throw new SimulatorError('InvalidOption', `Invalid ${member}.function: ${ref} is not a function ARN (a queue target is { queue })`)
      }
      const arn = this.#host.resolveFunctionArn(ref as string | { readonly name: string }, `${member}.function`)
      return input === undefined ? { arn } : { arn, input }
    }
    if (t instanceof Queue || (typeof t === 'string' && arnService(t) === 'sqs')) {
      queueRef = t
    } else if (isPlainObject(t) && 'queue' in t) {
      rejectUnknownKeys(`putRule ${member}`, t, ['queue', 'messageGroupId', 'input', 'inputPath', 'inputTransformer'])
      input = targetInput(t, i)
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
    const out: { arn: string; messageGroupId?: string; input?: RuleTargetInput } = { arn: queue.arn }
    if (messageGroupId !== undefined) out.messageGroupId = messageGroupId as string
    if (input !== undefined) out.input = input
    return out
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
        const payload = targetPayload(rule.targetInputs[i], json, rule)
        if ('failure' in payload) {
          // A lambda-sim Choice (AWS does not document it): nothing is sent to this target, and a warning says why.
          this.#host.notice('trigger-failed', `${rule.arn} could not send to ${target}: ${payload.failure}`, { source: rule.arn, target })
          continue
        }
        // Text (a template that is not JSON) is a queue's body as it is, and a function's payload as a JSON string.
        if (arnService(target) === 'sqs') this.#send(rule, target, rule.sqsParameters[i], payload.body)
        else triggerInvoke(this.#host, target, payload.json ? payload.body : JSON.stringify(payload.body), { kind: 'events', arn: rule.arn })
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
