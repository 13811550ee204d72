import type { Callback } from 'aws-lambda'
import type { SimContext } from './context.js'
import { invalidParameter, LambdaError, resourceConflict, resourceNotFound, SimulatorError, validationException } from './errors.js'
import { isPlainObject } from './internal/plain-object.js'
import type { SeededRandom } from './internal/random.js'
import type { Lineage } from './event-source-mappings/recursion.js'
import type { Activity, FreezableWork, SleepTask } from './scheduler.js'
import type { AsyncTarget } from './async-invocations.js'
import { describe, rejectUnknownKeys, Violations } from './validation.js'
import { APPLICATION_LOG_LEVELS, SYSTEM_LOG_LEVELS, type ApplicationLogLevel, type SystemLogLevel } from './logs.js'
import { revisionId } from './sdk/function-configuration.js'

/**
 * Any handler form: async, promise-returning, or callback `(event, context, callback)`. The same as
 * @types/aws-lambda's `Handler<any, any>` but for `context`, a {@link SimContext} (its `Context` plus
 * `init`), so an unannotated handler's `context.init` needs no annotation. Handlers typed with
 * @types/aws-lambda (`SQSHandler`, `Handler<APIGatewayProxyEvent>`, `(event, context: Context) => …`)
 * are accepted as they are: a function that takes a `Context` takes a `SimContext`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = (event: any, context: SimContext, callback: Callback<any>) => void | Promise<any>

/** Options of `createFunction` (mirrors CreateFunction's configuration). */
export interface FunctionOptions {
  /** Seconds, 1–900. @default 3 — https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html */
  timeout?: number
  /** MB, 128–10240. Reported to the handler as the string `context.memoryLimitInMB`. @default 128 */
  memorySize?: number
  /** Environment variables, visible as `context`-independent data on the function handle. @default {} */
  environment?: Record<string, string>
  /** Dead-letter queue for async invocations (per version, frozen on publish). */
  deadLetterConfig?: { targetArn: string }
  /** Free text, part of the version identity. */
  description?: string
  /**
   * Module-level initialisation, run once per execution environment (cold start). Its result is
   * passed to the handler as `context.init`... see docs/testing.md. Re-run on a fresh environment.
   */
  init?: () => unknown
  /**
   * Lambda's advanced logging controls (`LoggingConfig`): `logFormat: 'JSON'` writes each console call
   * as a JSON record and START / REPORT as `platform.*` records, filtered by `applicationLogLevel` and
   * `systemLogLevel` (both JSON only, default `INFO`). @default { logFormat: 'Text' } — see docs/semantics.md.
   */
  loggingConfig?: LoggingConfig
}

/** `LoggingConfig` of CreateFunction (https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html), without `LogGroup`. */
export interface LoggingConfig {
  logFormat?: 'Text' | 'JSON'
  applicationLogLevel?: ApplicationLogLevel
  systemLogLevel?: SystemLogLevel
}

/** A version's JSON logging settings (a Text-format version has none). */
export interface JsonLogging {
  readonly applicationLogLevel: ApplicationLogLevel
  readonly systemLogLevel: SystemLogLevel
}

/**
 * Environment variable keys the Lambda runtime sets and CreateFunction / UpdateFunctionConfiguration
 * refuse (the developer guide's "reserved environment variables",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html). `TZ`, listed there too, is
 * left out: setting it is widely reported to work (a choice, docs/semantics.md).
 */
const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
])

/** `Environment.Variables` keys (https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html): a letter, then one or more letters, digits or underscores. */
const ENVIRONMENT_KEY_PATTERN = '[a-zA-Z]([a-zA-Z0-9_])+'
const ENVIRONMENT_KEY_REGEX = /^[a-zA-Z][a-zA-Z0-9_]+$/

/** The total size of a function's environment variables: 4 KB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html). */
const ENVIRONMENT_LIMIT_BYTES = 4096

const FUNCTION_OPTION_KEYS = ['timeout', 'memorySize', 'environment', 'deadLetterConfig', 'description', 'init', 'loggingConfig'] as const

/**
 * `FunctionName` of CreateFunction, PublishVersion, CreateAlias, Update*, the concurrency APIs: 1–140
 * characters. The text is AWS's, as its ValidationException printed it on 2025-11-25 (LocalStack's
 * AWS-validated snapshot `test_function_name_and_qualifier_validation`).
 */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?'
/**
 * `NamespacedFunctionName` of Invoke, GetFunction(Configuration), the event invoke config APIs and
 * CreateEventSourceMapping: 1–256 characters, a dot allowed in the name, `$LATEST.PUBLISHED` as a
 * qualifier (API model since 2025-12; text as AWS printed it on 2025-11-25, `test_invalid_invoke`).
 */
export const NAMESPACED_FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?'
/** The two reference shapes: their pattern text, maximum length and a regex capturing region, account, name and qualifier. */
const REFERENCE_SHAPES = {
  function: {
    pattern: FUNCTION_NAME_PATTERN,
    max: 140,
    regex: /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:((?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/,
  },
  namespaced: {
    pattern: NAMESPACED_FUNCTION_NAME_PATTERN,
    max: 256,
    regex: /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:((?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/,
  },
} as const
/** Which model shape an operation's `FunctionName` has. */
export type ReferenceShape = keyof typeof REFERENCE_SHAPES
const BARE_NAME_REGEX = /^[a-zA-Z0-9-_]+$/
/** `NumericLatestPublishedOrAliasQualifier` (Invoke, GetFunction, event invoke config): 1–128 characters, this pattern (text as AWS printed it on 2025-11-25). */
const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+'
const QUALIFIER_REGEX = /^(?:\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_$]+)$/

/** Add the violations of a `Qualifier` parameter: its length (1–128) and its pattern, each reported on its own. */
export function checkQualifier(v: Violations, qualifier: string): void {
  v.minLength('qualifier', qualifier, 1)
  v.maxLength('qualifier', qualifier, 128)
  v.pattern('qualifier', qualifier, QUALIFIER_REGEX, QUALIFIER_PATTERN)
}
export const ALIAS_NAME_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)'
const ALIAS_NAME_REGEX = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/

/** The members of CreateAlias (https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html). */
export interface AliasInput {
  name: string
  functionVersion: string
  description?: string
  routingConfig?: { additionalVersionWeights?: Record<string, number> }
}

/**
 * The schema violations of a CreateAlias input, AWS's texts: `Name` 1–128 characters, not all digits;
 * `FunctionVersion` `$LATEST`, `$LATEST.PUBLISHED` or a number; `Description` ≤ 256 characters; each
 * `AdditionalVersionWeights` key a version number (`[0-9]+`, 1–1024 characters) and each weight 0.0–1.0.
 */
export function checkAliasInput(v: Violations, input: AliasInput): void {
  checkAliasName(v, input.name)
  checkAliasMembers(v, input)
}

/** `Name` of the alias APIs (the model's `Alias` shape): 1–128 characters, not all digits. */
export function checkAliasName(v: Violations, name: unknown): void {
  // A missing member is AWS's not-null violation (the SDK path's text), not the string 'undefined'.
  if (name === undefined || name === null) {
    v.list.push(`Value null at 'name' failed to satisfy constraint: Member must not be null`)
    return
  }
  // A number would pass the pattern as text (-1, NaN, true) and be stored under a non-string key.
  if (typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid alias name: expected a string, got ${describe(name)}`)
  const text = name
  v.maxLength('name', text, 128)
  v.pattern('name', text, ALIAS_NAME_REGEX, ALIAS_NAME_PATTERN)
}

/** `FunctionVersion` (when given), `Description` and `RoutingConfig` of CreateAlias and UpdateAlias. */
export function checkAliasMembers(v: Violations, input: Partial<AliasInput>, functionVersionRequired = true): void {
  if (functionVersionRequired || input.functionVersion !== undefined) checkFunctionVersion(v, input.functionVersion)
  checkDescription(v, input.description)
  const routing: unknown = input.routingConfig
  const weights: unknown = input.routingConfig?.additionalVersionWeights
  if (routing !== undefined && (!isPlainObject(routing) || Object.keys(routing).some((k) => k !== 'additionalVersionWeights') || (weights !== undefined && !isPlainObject(weights)))) {
    throw new SimulatorError('InvalidOption', `Invalid routingConfig: expected { additionalVersionWeights?: { <version>: <weight 0.0-1.0> } }, got ${describe(routing)}`)
  }
  for (const [ver, w] of Object.entries(input.routingConfig?.additionalVersionWeights ?? {})) {
    if (!/^[0-9]{1,1024}$/.test(ver)) {
      v.list.push(
        `Value '{${ver}=${javaDouble(w)}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]`,
      )
    }
    if (typeof w !== 'number' || !(w >= 0 && w <= 1)) {
      v.list.push(
        `Value '{${ver}=${javaDouble(w)}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]`,
      )
    }
  }
}

/**
 * `Description` of CreateFunction, UpdateFunctionConfiguration, PublishVersion, CreateAlias and
 * UpdateAlias: a string (a simulator-level type error otherwise) of at most 256 characters (AWS's
 * ValidationException). Absent is fine.
 */
export function checkDescription(v: Violations, description: unknown): void {
  if (description === undefined) return
  if (typeof description !== 'string') throw new SimulatorError('InvalidOption', `Invalid description: expected a string of at most 256 characters, got ${describe(description)}`)
  v.maxLength('description', description, 256)
}

/** `FunctionVersion` of CreateAlias, UpdateAlias and ListAliases (`VersionWithLatestPublished`). */
export function checkFunctionVersion(v: Violations, functionVersion: unknown): void {
  if (functionVersion === undefined || functionVersion === null) {
    v.list.push(`Value null at 'functionVersion' failed to satisfy constraint: Member must not be null`)
    return
  }
  if (typeof functionVersion !== 'string') throw new SimulatorError('InvalidOption', `Invalid functionVersion: expected a version number or $LATEST as a string, got ${describe(functionVersion)}`)
  v.pattern('functionVersion', String(functionVersion), /^(\$LATEST(\.PUBLISHED)?|[0-9]+)$/, '(\\$LATEST(\\.PUBLISHED)?|[0-9]+)')
}

/** An execution environment: one at a time runs an attempt; reused while warm. */
export class Environment {
  readonly id: number
  readonly logStreamName: string
  invocations = 0
  /** Virtual timers left running when an attempt returned: they resume in the next attempt here. */
  frozen: SleepTask[] | undefined
  /** Other work left running then (SDK requests in flight): it goes on in the next attempt here. */
  frozenWork: FreezableWork[] | undefined
  /** The attempt running in it now, if any (an unhandled rejection of work an earlier attempt left fails it). */
  running: Activity | undefined = undefined
  /** Result of the function's `init`, if any. */
  initResult: unknown
  initialized = false
  /** The code generation of its version it was made for (see FunctionVersion.generation). */
  readonly generation: number

  constructor(id: number, logStreamName: string, generation: number) {
    this.id = id
    this.logStreamName = logStreamName
    this.generation = generation
  }
}

/** One version of a function: `$LATEST` (editable) or a published number (frozen). */
export class FunctionVersion {
  readonly fn: LambdaFunction
  readonly version: string
  handler: AnyHandler
  timeoutMs: number
  memorySize: number
  environment: Record<string, string>
  deadLetterTargetArn: string | undefined
  description: string
  init: (() => unknown) | undefined
  /** JSON log format with its levels; undefined for the Text format (the default). */
  jsonLogging: JsonLogging | undefined
  /**
   * A published version: the description `$LATEST` had when it was published (its own may be
   * PublishVersion's `Description`). A later description-only update of `$LATEST` is a change.
   */
  latestDescription?: string
  /** Warm, idle environments; the most recently used is reused first. */
  readonly idle: Environment[] = []
  /**
   * Bumped by each code or configuration update of `$LATEST`: an environment made before it (one still
   * running an attempt at the update) is retired when that attempt ends instead of being reused.
   */
  generation = 0

  constructor(fn: LambdaFunction, version: string, from: Omit<FunctionVersion, 'fn' | 'version' | 'idle' | 'arn' | 'generation'>) {
    this.fn = fn
    this.version = version
    this.handler = from.handler
    this.timeoutMs = from.timeoutMs
    this.memorySize = from.memorySize
    this.environment = { ...from.environment }
    this.deadLetterTargetArn = from.deadLetterTargetArn
    this.description = from.description
    this.init = from.init
    this.jsonLogging = from.jsonLogging
  }

  /** Qualified ARN of this version. */
  get arn(): string {
    return `${this.fn.arn}:${this.version}`
  }
}

/** An alias: points at one version, optionally with one additional weighted version. */
export interface Alias {
  name: string
  functionVersion: string
  additionalVersion: string | undefined
  additionalWeight: number
  description: string
  /** Changes with every CreateAlias / UpdateAlias (see {@link FunctionRegistry.aliasConfiguration}). */
  revisionId: string
  /** Its place in creation order (ListAliases' marker): never reused, also after a DeleteAlias. */
  readonly created: number
}

/** The members of UpdateAlias (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html); those left out keep their value. */
export interface AliasUpdate {
  name: string
  functionVersion?: string
  description?: string
  /** `{}` or `{ additionalVersionWeights: {} }` removes the routing. */
  routingConfig?: { additionalVersionWeights?: Record<string, number> }
  /** Update only if the alias's RevisionId is still this one (else `PreconditionFailedException`). */
  revisionId?: string
}

/** An alias as the alias APIs answer it (AWS's `AliasConfiguration`). */
export interface AliasConfiguration {
  aliasArn: string
  name: string
  functionVersion: string
  description: string
  routingConfig?: { additionalVersionWeights: Record<string, number> }
  revisionId: string
}

/** A function in the registry. Reserved concurrency and in-flight counts are function-wide. */
export class LambdaFunction {
  readonly name: string
  readonly arn: string
  latest: FunctionVersion
  readonly versions = new Map<string, FunctionVersion>()
  readonly aliases = new Map<string, Alias>()
  nextVersion = 1
  /** Counts alias updates, so that each gets a RevisionId of its own (even one that changes nothing). */
  aliasUpdates = 0
  /** Counts CreateAlias calls (see Alias.created). */
  aliasesCreated = 0
  reservedConcurrency: number | undefined
  inFlight = 0
  /** DeleteFunction removed it: its queued events end `Dropped`, attempts running then finish (see FunctionRegistry.delete). */
  deleted = false
  recursiveLoop: 'Terminate' | 'Allow' = 'Terminate'
  /** Recursive loop detection: the lineage of a chain that has invoked only this function, once (see recursion.ts lineageAfter). */
  firstLineage: Lineage | undefined = undefined
  /** The facts its unqualified async events share, and those of its qualified ones by qualifier (see AsyncEngine.target). */
  asyncTarget: AsyncTarget | undefined = undefined
  qualifiedAsyncTargets: Map<string, AsyncTarget> | undefined = undefined
  readonly createdAt: number
  #logGroupName: string | undefined = undefined

  /** `/aws/lambda/<name>` (the context's `logGroupName`), built once. */
  get logGroupName(): string {
    return (this.#logGroupName ??= `/aws/lambda/${this.name}`)
  }

  constructor(name: string, arn: string, createdAt: number, latest: (fn: LambdaFunction) => FunctionVersion) {
    this.name = name
    this.arn = arn
    this.createdAt = createdAt
    this.latest = latest(this)
  }
}

/** The key of {@link FunctionHandle}'s type-only member (declared, never created: nothing at runtime). */
declare const handlerTypes: unique symbol

/**
 * The handle `createFunction` returns: the function's name and unqualified ARN, all there is at runtime.
 * Its type arguments carry the handler's types, so `sim.invoke(handle, event)` checks the event and
 * types `payload` without a type argument: `createFunction('f', async (e: { id: string }) => e.id.length)`
 * returns a `FunctionHandle<{ id: string }, number>`. A plain `FunctionHandle` (`FunctionHandle<any,
 * unknown>`) is every handle: any event, an `unknown` payload, as a name or an ARN gives.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface FunctionHandle<TEvent = any, TResult = unknown> {
  readonly name: string
  /** Unqualified ARN. */
  readonly arn: string
  /**
   * Type-only, never present: the event the handler takes (contravariant: a handle of a handler that
   * takes any event is a handle for a narrower one) and the result it resolves to.
   */
  readonly [handlerTypes]?: { event: (event: TEvent) => void; result: TResult }
}

/**
 * The event type a handler declares (its first parameter): `any` for an unannotated or `any` event,
 * `unknown` for a handler that takes none.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HandlerEvent<H> = H extends (event: infer E, ...rest: never[]) => unknown ? E : any

/**
 * What a handler's invoke answers with, by its declared return type: the awaited result, `| null` when
 * it may also resolve to nothing (the payload is then JSON `null`); `unknown` when it returns only
 * `void` (a callback handler, or one that returns nothing), `any`, or is not a function type.
 * @types/aws-lambda's `Handler<E, R>` (`void | Promise<R>`) gives `R | null`; `SQSHandler` gives
 * `SQSBatchResponse | null`.
 */
export type HandlerResult<H> = H extends (...args: never[]) => infer R ? SettledResult<Awaited<R>> : unknown
type SettledResult<A> = 0 extends 1 & A
  ? unknown
  : [Exclude<A, void | undefined>] extends [never] ? unknown : Exclude<A, void | undefined> | (undefined extends A ? null : never)

/**
 * A function as every in-process API that names one takes it: a name, a (partial, full or qualified)
 * ARN, or the {@link FunctionHandle} `createFunction` returns. (The SDK adapter takes the wire's strings.)
 */
export type FunctionRef = string | FunctionHandle

/**
 * The text of a function reference, the one check every in-process API that names a function makes:
 * a string as given, a handle's ARN (or its name, without one). Anything else (a number, null, an array, an object without a
 * string `name`) is refused naming `member` and the value; nothing has changed yet.
 */
export function functionRefText(ref: unknown, member: string, expected = 'a function name, an ARN or a function handle'): string {
  const text = functionRefTextOrUndefined(ref)
  if (text === undefined) throw new SimulatorError('InvalidOption', `Invalid ${member}: expected ${expected}, got ${describe(ref)}`)
  return text
}

/**
 * {@link functionRefText} for a caller with its own message: `undefined` for anything but a string or a
 * handle. A handle reads as its ARN when it carries one (as `createFunction`'s do), so a handle from
 * another simulator (another region or account) names that function, as its ARN would, not the
 * function of the same name here; an object with only a `name` reads as that name.
 */
export function functionRefTextOrUndefined(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref
  const name = handleName(ref)
  if (name === undefined) return undefined
  const arn = (ref as Partial<FunctionHandle>).arn
  return typeof arn === 'string' && arn.startsWith('arn:') ? arn : name
}

/** The `name` of a function handle (a plain object with a string `name`), or `undefined`. */
export function handleName(ref: unknown): string | undefined {
  return isPlainObject(ref) && typeof (ref as { name?: unknown }).name === 'string' ? (ref as FunctionHandle).name : undefined
}

/** A parsed function reference: the function's name and the qualifier it carried, if any. */
export interface ParsedReference {
  name: string
  qualifier: string | undefined
}

/** What an invoke targets after resolution. */
export interface Target {
  fn: LambdaFunction
  /** `$LATEST`, a version number or an alias name, exactly as invoked. */
  qualifier: string
  /** Whether the caller gave a qualifier (for `invokedFunctionArn`). */
  qualified: boolean
}

/** Registry of functions for one simulator: names, ARNs, qualifiers, versions and aliases. */
export class FunctionRegistry {
  readonly #byName = new Map<string, LambdaFunction>()
  readonly #byHandler = new WeakMap<AnyHandler, LambdaFunction>()
  readonly region: string
  readonly accountId: string
  readonly #random: SeededRandom

  constructor(region: string, accountId: string, random: SeededRandom) {
    this.region = region
    this.accountId = accountId
    this.#random = random
  }

  arnFor(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`
  }

  get all(): LambdaFunction[] {
    return [...this.#byName.values()]
  }

  create(name: unknown, handler: unknown, options: FunctionOptions = {}, now: number): LambdaFunction {
    if (typeof name !== 'string') throw new SimulatorError('InvalidOption', `Invalid function name: expected a string, got ${describe(name)}`)
    const v = new Violations()
    v.maxLength('functionName', name, 140)
    v.pattern('functionName', name, BARE_NAME_REGEX, FUNCTION_NAME_PATTERN)
    v.throwIfAny()
    // AWS answers a bare name over 64 characters with this exception and the generic validation text
    // (observed 2025-11-25, `test_function_name_and_qualifier_validation[function_name_too_long-create_function]`).
    if (name.length > 64) {
      throw invalidParameter(`1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`)
    }
    if (typeof handler !== 'function') {
      throw new SimulatorError('InvalidOption', `Invalid handler for function ${JSON.stringify(name)}: expected a function (event, context[, callback]), got ${describe(handler)}`)
    }
    if (this.#byName.has(name)) throw resourceConflict(`Function already exist: ${name}`)
    const config = validateFunctionOptions(options)
    const fn = new LambdaFunction(name, this.arnFor(name), now, (f) => new FunctionVersion(f, '$LATEST', { handler: handler as AnyHandler, ...config }))
    this.#byName.set(name, fn)
    return fn
  }

  /** The function registered for a bare handler passed to `invoke`, created on first use. */
  forHandler(handler: AnyHandler, now: number): LambdaFunction {
    const existing = this.#byHandler.get(handler)
    if (existing !== undefined && !existing.deleted) return existing
    const base = /^[a-zA-Z0-9-_]{1,50}$/.test(handler.name) ? handler.name : 'handler'
    let name = base
    for (let i = 2; this.#byName.has(name); i++) name = `${base}-${i}`
    const fn = this.create(name, handler, {}, now)
    this.#byHandler.set(handler, fn)
    return fn
  }

  /** Whether `handler` has been registered by {@link forHandler}. */
  hasHandler(handler: AnyHandler): boolean {
    return this.#byHandler.has(handler)
  }

  /** Undo {@link forHandler}: an invoke of a new bare handler that is then refused registers nothing. */
  forgetHandler(handler: AnyHandler): void {
    const fn = this.#byHandler.get(handler)
    if (fn === undefined) return
    this.#byHandler.delete(handler)
    this.#byName.delete(fn.name)
  }

  get(name: string): LambdaFunction | undefined {
    return this.#byName.get(name)
  }

  /**
   * DeleteFunction of the whole function: its name is free again (a new function of that name starts
   * with nothing of it), and {@link versionFor} refuses it, so what was queued for it ends `Dropped`.
   */
  delete(fn: LambdaFunction): void {
    this.#byName.delete(fn.name)
    fn.deleted = true
    fn.latest.idle.length = 0
    for (const version of fn.versions.values()) version.idle.length = 0
  }

  /**
   * Parse a function reference: a name, `name:qualifier`, a full or partial ARN, optionally qualified.
   * `shape` is the model shape of the operation's FunctionName (Invoke's is `namespaced`). Throws
   * ValidationException for malformed input.
   */
  parse(ref: string, member = 'functionName', shape: ReferenceShape = 'namespaced', others?: Violations): ParsedReference {
    // Valid references repeat (a test invokes the same name thousands of times): parse each once.
    const cache = shape === 'namespaced' ? this.#parsedNamespaced : this.#parsedFunction
    const cached = cache.get(ref)
    if (cached !== undefined) {
      others?.throwIfAny()
      return cached
    }
    const parsed = this.#parse(ref, member, shape, others)
    if (cache.size < 10_000) cache.set(ref, parsed)
    return parsed
  }

  readonly #parsedNamespaced = new Map<string, ParsedReference>()
  readonly #parsedFunction = new Map<string, ParsedReference>()

  /** `others`: violations of the request's other members, reported with the name's in one ValidationException. */
  #parse(ref: string, member: string, shape: ReferenceShape, others: Violations | undefined): ParsedReference {
    const { pattern, max, regex } = REFERENCE_SHAPES[shape]
    const m = regex.exec(ref)
    const v = new Violations()
    v.maxLength(member, ref, max)
    if (m === null) v.list.push(`Value '${ref}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`)
    if (others !== undefined) v.list.push(...others.list)
    v.throwIfAny()
    const [, region, account, name, qualifier] = m as RegExpExecArray
    // AWS's answer to an ARN of another region, whatever the function (user reports of Invoke, AddPermission).
    if (region !== undefined && region !== this.region) throw resourceNotFound(`Functions from '${region}' are not reachable in this region ('${this.region}')`)
    if (account !== undefined && account !== this.accountId) {
      throw resourceNotFound(`Function not found: ${ref.startsWith('arn:') ? ref : this.arnFor(name as string)}${qualifier === undefined ? ':$LATEST' : ''}`)
    }
    return { name: name as string, qualifier }
  }

  /**
   * Resolve an invoke target. `qualifierOption` is the separate Qualifier parameter. Unknown
   * function or qualifier → ResourceNotFoundException with AWS's qualified-ARN message.
   */
  resolve(ref: FunctionRef, qualifierOption?: string, member = 'functionName'): Target {
    const text = functionRefText(ref, member)
    let qualifierViolations: Violations | undefined
    if (qualifierOption !== undefined && typeof qualifierOption !== 'string') throw new SimulatorError('InvalidOption', `Invalid qualifier: expected a version or alias name as a string, got ${describe(qualifierOption)}`)
    if (qualifierOption !== undefined) checkQualifier((qualifierViolations = new Violations()), qualifierOption)
    const parsed = this.parse(text, 'functionName', 'namespaced', qualifierViolations)
    if (qualifierOption !== undefined && parsed.qualifier !== undefined && parsed.qualifier !== qualifierOption) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.')
    }
    const qualifier = parsed.qualifier ?? qualifierOption
    const fn = this.#byName.get(parsed.name)
    const shown = qualifier ?? '$LATEST'
    if (fn === undefined || !this.hasQualifier(fn, shown)) {
      throw resourceNotFound(`Function not found: ${this.arnFor(parsed.name)}:${shown}`)
    }
    return { fn, qualifier: shown, qualified: qualifier !== undefined }
  }

  hasQualifier(fn: LambdaFunction, qualifier: string): boolean {
    return qualifier === '$LATEST' || fn.versions.has(qualifier) || fn.aliases.has(qualifier)
  }

  /** The version an invoke of `qualifier` runs, drawing weighted alias routing from the seeded random source. */
  versionFor(fn: LambdaFunction, qualifier: string): FunctionVersion {
    if (fn.deleted) throw resourceNotFound(`Function not found: ${fn.arn}:${qualifier}`)
    if (qualifier === '$LATEST') return fn.latest
    const version = fn.versions.get(qualifier)
    if (version !== undefined) return version
    const alias = fn.aliases.get(qualifier)
    if (alias === undefined) throw resourceNotFound(`Function not found: ${fn.arn}:${qualifier}`)
    let chosen = alias.functionVersion
    if (alias.additionalVersion !== undefined && alias.additionalWeight > 0 && this.#random.next() < alias.additionalWeight) {
      chosen = alias.additionalVersion
    }
    return chosen === '$LATEST' ? fn.latest : (fn.versions.get(chosen) as FunctionVersion)
  }

  /**
   * PublishVersion: freezes $LATEST. Returns the last published version instead if code and
   * configuration are unchanged since it ("Lambda doesn't publish a version if the function's
   * configuration and code haven't changed since the last version"). The configuration includes
   * `$LATEST`'s description, not PublishVersion's own `Description` (AWS, recorded 2025-11-25 by
   * LocalStack's `test_version_lifecycle`).
   */
  publishVersion(fn: LambdaFunction, description?: string): FunctionVersion {
    const l = fn.latest
    const last = fn.versions.get(String(fn.nextVersion - 1))
    if (
      last !== undefined &&
      last.handler === l.handler &&
      last.timeoutMs === l.timeoutMs &&
      last.memorySize === l.memorySize &&
      last.deadLetterTargetArn === l.deadLetterTargetArn &&
      last.init === l.init &&
      JSON.stringify(last.jsonLogging) === JSON.stringify(l.jsonLogging) &&
      last.latestDescription === l.description &&
      JSON.stringify(last.environment) === JSON.stringify(l.environment)
    ) {
      return last
    }
    const version = String(fn.nextVersion++)
    const published = new FunctionVersion(fn, version, { ...l, description: description ?? l.description })
    published.latestDescription = l.description
    fn.versions.set(version, published)
    return published
  }

  /** CreateAlias on `fn`; the input is validated again (see {@link checkAliasInput}). */
  createAlias(fn: LambdaFunction, input: AliasInput): Alias {
    const v = new Violations()
    checkAliasInput(v, input)
    v.throwIfAny()
    const entries = Object.entries(input.routingConfig?.additionalVersionWeights ?? {})
    if (fn.aliases.has(input.name)) throw resourceConflict(`Alias already exists: ${fn.arn}:${input.name}`)
    this.#checkVersion(fn, input.functionVersion)
    const extra = this.#checkRouting(fn, input.functionVersion, entries)
    const alias: Alias = {
      name: input.name,
      functionVersion: input.functionVersion,
      additionalVersion: extra?.[0],
      additionalWeight: extra?.[1] ?? 0,
      description: input.description ?? '',
      revisionId: '',
      created: fn.aliasesCreated++,
    }
    alias.revisionId = aliasRevisionId(fn, alias, undefined)
    fn.aliases.set(input.name, alias)
    return alias
  }

  /**
   * UpdateAlias on `fn`: members left out keep their value; the routing checks of CreateAlias apply
   * to the alias as it would be after the update. Every update draws a new RevisionId.
   */
  updateAlias(fn: LambdaFunction, input: AliasUpdate): Alias {
    const alias = fn.aliases.get(input.name)
    if (alias === undefined) throw resourceNotFound(`Alias not found: ${fn.arn}:${input.name}`)
    if (input.revisionId !== undefined && input.revisionId !== alias.revisionId) {
      throw new LambdaError('PreconditionFailedException', 412, 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { type: 'User' })
    }
    const functionVersion = input.functionVersion ?? alias.functionVersion
    if (input.functionVersion !== undefined) this.#checkVersion(fn, functionVersion)
    const entries: [string, number][] =
      input.routingConfig !== undefined ? Object.entries(input.routingConfig.additionalVersionWeights ?? {}) : alias.additionalVersion === undefined ? [] : [[alias.additionalVersion, alias.additionalWeight]]
    const extra = this.#checkRouting(fn, functionVersion, entries)
    alias.functionVersion = functionVersion
    alias.additionalVersion = extra?.[0]
    alias.additionalWeight = extra?.[1] ?? 0
    if (input.description !== undefined) alias.description = input.description
    alias.revisionId = aliasRevisionId(fn, alias, ++fn.aliasUpdates)
    return alias
  }

  /** The alias as the alias APIs answer it. */
  aliasConfiguration(fn: LambdaFunction, alias: Alias): AliasConfiguration {
    const out: AliasConfiguration = { aliasArn: `${fn.arn}:${alias.name}`, name: alias.name, functionVersion: alias.functionVersion, description: alias.description, revisionId: alias.revisionId }
    if (alias.additionalVersion !== undefined) out.routingConfig = { additionalVersionWeights: { [alias.additionalVersion]: alias.additionalWeight } }
    return out
  }

  #checkVersion(fn: LambdaFunction, functionVersion: string): void {
    if (functionVersion !== '$LATEST' && !fn.versions.has(functionVersion)) throw resourceNotFound(`Function not found: ${fn.arn}:${functionVersion}`)
  }

  /** The routing errors of CreateAlias and UpdateAlias, AWS's order and texts; the additional version, if any. */
  #checkRouting(fn: LambdaFunction, functionVersion: string, entries: [string, number][]): [string, number] | undefined {
    if (entries.length > 1) throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1')
    const [extra] = entries
    if (extra !== undefined) {
      if (functionVersion === '$LATEST') throw new LambdaError('InvalidParameterValueException', 400, '$LATEST is not supported for an alias pointing to more than 1 version')
      if (extra[0] === functionVersion) throw invalidParameter(`Invalid function version ${extra[0]}. Function version ${extra[0]} is already included in routing configuration.`)
      const additional = fn.versions.get(extra[0])
      if (additional === undefined) throw resourceNotFound(`Function not found: ${fn.arn}:${extra[0]}`)
      // Both versions must have the same (or no) DLQ (https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html).
      // Published versions are immutable, so this holds for the alias's lifetime. The text is a choice in the
      // form of AWS's recorded "Specified versions must be associated with the same execution role" (docs/semantics.md).
      if ((fn.versions.get(functionVersion) as FunctionVersion).deadLetterTargetArn !== additional.deadLetterTargetArn) {
        throw invalidParameter('Specified versions must be associated with the same dead letter queue configuration')
      }
    }
    return extra
  }

  /** A fresh execution environment for `version`, with a seeded log stream name. */
  newEnvironment(version: FunctionVersion, id: number, dateIso: string): Environment {
    const day = dateIso.slice(0, 10).replaceAll('-', '/')
    return new Environment(id, `${day}/[${version.version}]${this.#random.id('0123456789abcdef', 32)}`, version.generation)
  }
}

/** Validate and normalise function options; AWS's ValidationException for out-of-range values. */
export function validateFunctionOptions(options: FunctionOptions, what = 'createFunction'): Omit<FunctionVersion, 'fn' | 'version' | 'idle' | 'arn' | 'handler' | 'generation'> {
  if (!isPlainObject(options)) throw new SimulatorError('InvalidOption', `Invalid function options: expected an object, got ${describe(options)}`)
  rejectUnknownKeys(what, options, FUNCTION_OPTION_KEYS)
  const v = new Violations()
  v.intRange('timeout', options.timeout, 1, 900)
  v.intRange('memorySize', options.memorySize, 128, 10240)
  checkDescription(v, options.description)
  const logging = options.loggingConfig
  if (logging !== undefined) {
    if (!isPlainObject(logging)) throw new SimulatorError('InvalidOption', `Invalid loggingConfig: expected { logFormat: 'Text' | 'JSON', applicationLogLevel?, systemLogLevel? }, got ${describe(logging)}`)
    rejectUnknownKeys(`${what} loggingConfig`, logging, ['logFormat', 'applicationLogLevel', 'systemLogLevel'])
    v.enumValue('loggingConfig.logFormat', logging.logFormat, ['JSON', 'Text'])
    v.enumValue('loggingConfig.applicationLogLevel', logging.applicationLogLevel, APPLICATION_LOG_LEVELS)
    v.enumValue('loggingConfig.systemLogLevel', logging.systemLogLevel, SYSTEM_LOG_LEVELS)
  }
  v.throwIfAny()
  // Levels filter JSON records only: AWS refuses them with the Text format (the default format).
  if (logging !== undefined && logging.logFormat !== 'JSON' && (logging.applicationLogLevel !== undefined || logging.systemLogLevel !== undefined)) {
    throw invalidParameter('LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.')
  }
  const env = options.environment ?? {}
  if (!isPlainObject(env)) {
    throw new SimulatorError('InvalidOption', `Invalid environment: expected an object of string values ({ NAME: 'value' }), got ${describe(env)}`)
  }
  for (const [k, val] of Object.entries(env)) {
    if (typeof val !== 'string') throw new SimulatorError('InvalidOption', `Invalid environment variable ${JSON.stringify(k)}: values must be strings, got ${describe(val)}`)
  }
  // The model's key pattern (at least two characters), checked as a schema constraint before the reserved keys.
  if (Object.keys(env).some((k) => !ENVIRONMENT_KEY_REGEX.test(k))) {
    throw validationException([`Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENVIRONMENT_KEY_PATTERN}]`])
  }
  const reserved = Object.keys(env).filter((k) => RESERVED_ENVIRONMENT_KEYS.has(k))
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    )
  }
  // The variables measured as compact JSON, UTF-8 bytes (AWS's measure, as LocalStack's AWS-validated provider takes it).
  const measured = JSON.stringify(env)
  if (Buffer.byteLength(measured, 'utf8') > ENVIRONMENT_LIMIT_BYTES) {
    throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`)
  }
  if (options.init !== undefined && typeof options.init !== 'function') {
    throw new SimulatorError('InvalidOption', `Invalid option init: expected a function, got ${describe(options.init)}`)
  }
  const deadLetterTargetArn = validateDeadLetterConfig(options.deadLetterConfig)
  return {
    timeoutMs: (options.timeout ?? 3) * 1000,
    memorySize: options.memorySize ?? 128,
    environment: { ...env },
    deadLetterTargetArn,
    description: options.description ?? '',
    init: options.init,
    jsonLogging: logging?.logFormat === 'JSON' ? { applicationLogLevel: logging.applicationLogLevel ?? 'INFO', systemLogLevel: logging.systemLogLevel ?? 'INFO' } : undefined,
  }
}

/**
 * An alias's RevisionId: a UUID-shaped hash of its wire form (CreateAlias's as before), mixed with the
 * function's update count after an UpdateAlias, so that every update gets a new one (AWS: an update
 * that changes nothing still changes it, OBS-api `test_alias_lifecycle`).
 */
function aliasRevisionId(fn: LambdaFunction, alias: Alias, update: number | undefined): string {
  const out: Record<string, unknown> = { AliasArn: `${fn.arn}:${alias.name}`, Name: alias.name, FunctionVersion: alias.functionVersion, Description: alias.description }
  if (alias.additionalVersion !== undefined) out['RoutingConfig'] = { AdditionalVersionWeights: { [alias.additionalVersion]: alias.additionalWeight } }
  return revisionId(update === undefined ? JSON.stringify(out) : JSON.stringify([out, update]))
}

/** A number as Java's `Double.toString` prints it in AWS's validation messages (`2` → `2.0`). */
function javaDouble(value: unknown): string {
  if (typeof value !== 'number') return value === undefined ? 'null' : String(value)
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return `${value}.0`
  return String(value)
}

const DLQ_ARN_PATTERN = '(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()'

/**
 * `DeadLetterConfig.TargetArn`: AWS's schema pattern (ValidationException), then a standard SQS queue
 * or SNS topic (https://docs.aws.amazon.com/lambda/latest/api/API_DeadLetterConfig.html).
 */
function validateDeadLetterConfig(config: FunctionOptions['deadLetterConfig']): string | undefined {
  if (config === undefined) return undefined
  if (!isPlainObject(config) || typeof config.targetArn !== 'string') {
    throw new SimulatorError('InvalidOption', `Invalid deadLetterConfig: expected { targetArn: string } (an SQS queue or SNS topic ARN), got ${describe(config)}`)
  }
  const arn = config.targetArn
  const v = new Violations()
  v.pattern('deadLetterConfig.targetArn', arn, /^((arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|())$/, DLQ_ARN_PATTERN)
  v.throwIfAny()
  // AWS's text (observed on CreateFunction); UpdateFunctionConfiguration treats '' as "remove" before getting here.
  if (arn === '') throw invalidParameter("Invalid dead letter queue ARN: ARNs must start with 'arn:'")
  const service = /^arn:[^:]*:([^:]+):/.exec(arn)?.[1]
  if (service !== 'sqs' && service !== 'sns') {
    throw invalidParameter(`Invalid dead letter queue ARN: ${arn} is neither an Amazon SQS queue nor an Amazon SNS topic`)
  }
  return arn
}
