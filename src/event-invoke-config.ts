import { invalidParameter, resourceNotFound, SimulatorError } from './errors.js'
import { arnService, isDestination, type Destination } from './destinations/destination.js'
import { checkQualifier, functionRefText, type FunctionHandle, type FunctionRef, type FunctionRegistry, type LambdaFunction } from './functions.js'
import { isPlainObject } from './internal/plain-object.js'
import { describe, rejectUnknownKeys, Violations } from './validation.js'
import { paginate } from './internal/paging.js'

/** A destination given by ARN, by sink object, or (a function destination) by the handle `createFunction` returned. */
export type DestinationRef = string | Destination | FunctionHandle

/** Input of put/update (camelCase mirror of PutFunctionEventInvokeConfig). */
export interface EventInvokeConfigInput {
  /** A name, an ARN (optionally qualified) or the handle `createFunction` returned. */
  functionName: FunctionRef
  qualifier?: string
  /** 0–2. @default 2 (behaviour when absent) */
  maximumRetryAttempts?: number
  /** 60–21600. @default 21600 (behaviour when absent) */
  maximumEventAgeInSeconds?: number
  destinationConfig?: { onSuccess?: { destination?: DestinationRef }; onFailure?: { destination?: DestinationRef } }
}

/** A stored config as the API returns it. Unset numbers are left out, as on AWS. */
export interface EventInvokeConfig {
  functionArn: string
  lastModified: Date
  maximumRetryAttempts?: number
  maximumEventAgeInSeconds?: number
  destinationConfig: { onSuccess: { destination?: string }; onFailure: { destination?: string } }
}

interface Stored {
  effective?: EffectiveConfig
  /** Its place in the list (first Put of its qualifier; kept by later Puts and Updates): ListFunctionEventInvokeConfigs' marker. */
  created: number
  lastModified: number
  maximumRetryAttempts: number | undefined
  maximumEventAgeInSeconds: number | undefined
  onSuccess: string | undefined
  onFailure: string | undefined
}

/** The settings an async event runs with at a given moment. */
export interface EffectiveConfig {
  maximumRetryAttempts: number
  maximumEventAgeMs: number
  onSuccess: string | undefined
  onFailure: string | undefined
}

const DEFAULTS: EffectiveConfig = { maximumRetryAttempts: 2, maximumEventAgeMs: 21_600_000, onSuccess: undefined, onFailure: undefined }

const DESTINATION_PATTERN =
  '$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)'
const DESTINATION_REGEX = /^(|kafka:\/\/([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*))$/

export interface ConfigHost {
  readonly registry: FunctionRegistry
  now(): number
  /** Make a sink object reachable by its ARN. */
  registerDestination(destination: Destination): void
  /** Throw what {@link registerDestination} would, without registering. */
  checkDestination(destination: Destination): void
}

/**
 * The event invoke config API (https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html):
 * put replaces, update merges, configs are per qualifier, publishing copies nothing, and every
 * validation and not-found case answers with AWS's exception and exact text (spec §6).
 */
export class EventInvokeConfigs {
  readonly #byFunction = new WeakMap<LambdaFunction, Map<string, Stored>>()
  readonly #host: ConfigHost
  /** Configs created so far (see Stored.created). */
  #created = 0

  constructor(host: ConfigHost) {
    this.#host = host
  }

  /** The settings for an attempt of `fn` invoked as `qualifier` and running `executedVersion`. */
  effective(fn: LambdaFunction, qualifier: string, executedVersion: string): EffectiveConfig {
    const map = this.#byFunction.get(fn)
    if (map === undefined) return DEFAULTS
    // The invoked qualifier's own config; an alias without one falls back to the version it ran.
    const s = map.get(qualifier) ?? (fn.aliases.has(qualifier) ? map.get(executedVersion) : undefined)
    if (s === undefined) return DEFAULTS
    // Built once per stored config (configs are replaced, never mutated): asked twice per attempt.
    return (s.effective ??= {
      maximumRetryAttempts: s.maximumRetryAttempts ?? 2,
      maximumEventAgeMs: (s.maximumEventAgeInSeconds ?? 21_600) * 1000,
      onSuccess: s.onSuccess,
      onFailure: s.onFailure,
    })
  }

  put(input: EventInvokeConfigInput): EventInvokeConfig {
    return this.#write(input, 'put')
  }

  update(input: EventInvokeConfigInput): EventInvokeConfig {
    return this.#write(input, 'update')
  }

  get(input: { functionName: FunctionRef; qualifier?: string }): EventInvokeConfig {
    checkInputObject('getFunctionEventInvokeConfig', input)
    rejectUnknownKeys('getFunctionEventInvokeConfig', input, ['functionName', 'qualifier'])
    validateQualifier(input)
    const { fn, qualifier, arn } = this.#locate(input, 'read')
    const stored = fn === undefined ? undefined : this.#byFunction.get(fn)?.get(qualifier)
    if (fn === undefined || stored === undefined) throw resourceNotFound(`The function ${arn} doesn't have an EventInvokeConfig`)
    return this.#view(fn, qualifier, stored)
  }

  delete(input: { functionName: FunctionRef; qualifier?: string }): void {
    checkInputObject('deleteFunctionEventInvokeConfig', input)
    rejectUnknownKeys('deleteFunctionEventInvokeConfig', input, ['functionName', 'qualifier'])
    validateQualifier(input)
    const { fn, qualifier, arn } = this.#locate(input, 'read')
    const map = fn === undefined ? undefined : this.#byFunction.get(fn)
    if (map === undefined || !map.delete(qualifier)) throw resourceNotFound(`The function ${arn} doesn't have an EventInvokeConfig`)
  }

  /** Drop the config of `qualifier` (DeleteAlias removes the alias's config with it). */
  forget(fn: LambdaFunction, qualifier: string): void {
    this.#byFunction.get(fn)?.delete(qualifier)
  }

  list(input: { functionName: FunctionRef; marker?: string; maxItems?: number }): { functionEventInvokeConfigs: EventInvokeConfig[]; nextMarker?: string } {
    checkInputObject('listFunctionEventInvokeConfigs', input)
    rejectUnknownKeys('listFunctionEventInvokeConfigs', input, ['functionName', 'marker', 'maxItems'])
    const v = new Violations()
    v.intRange('maxItems', input.maxItems, 1, 50)
    v.throwIfAny()
    const { fn } = this.#locate({ functionName: input.functionName }, 'list')
    if (fn === undefined) throw resourceNotFound("The function doesn't exist.")
    const entries = [...(this.#byFunction.get(fn) ?? new Map<string, Stored>()).entries()]
    const { page, nextMarker } = paginate(entries, input.marker, input.maxItems ?? 50, ([, stored]) => stored.created)
    const out: { functionEventInvokeConfigs: EventInvokeConfig[]; nextMarker?: string } = { functionEventInvokeConfigs: page.map(([q, s]) => this.#view(fn, q, s)) }
    if (nextMarker !== undefined) out.nextMarker = nextMarker
    return out
  }

  #write(input: EventInvokeConfigInput, mode: 'put' | 'update'): EventInvokeConfig {
    if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid event invoke config: expected an object, got ${describe(input)}`)
    // A misspelt member or a malformed destinationConfig is refused, never ignored (an ignored
    // `maxRetryAttempts` would leave the default 2 retries).
    const what = mode === 'put' ? 'putFunctionEventInvokeConfig' : 'updateFunctionEventInvokeConfig'
    rejectUnknownKeys(what, input, ['functionName', 'qualifier', 'maximumRetryAttempts', 'maximumEventAgeInSeconds', 'destinationConfig'])
    checkDestinationConfig(what, input.destinationConfig)
    const dc = input.destinationConfig
    const successRef = dc?.onSuccess?.destination
    const failureRef = dc?.onFailure?.destination
    const successArn = refArn(successRef)
    const failureArn = refArn(failureRef)
    // 1. Schema validation (AWS validates the request before anything else).
    const v = new Violations()
    checkConfigQualifier(v, input.qualifier)
    v.intRange('maximumRetryAttempts', input.maximumRetryAttempts, 0, 2)
    v.intRange('maximumEventAgeInSeconds', input.maximumEventAgeInSeconds, 60, 21600)
    for (const [member, arn] of [['destinationConfig.onSuccess.destination', successArn], ['destinationConfig.onFailure.destination', failureArn]] as const) {
      if (arn === undefined) continue
      // DestinationArn: length 0–350 and the pattern (service model).
      v.maxLength(member, arn, 350)
      v.pattern(member, arn, DESTINATION_REGEX, DESTINATION_PATTERN)
    }
    v.throwIfAny()
    // 2. At least one setting (checked before the function's existence).
    if (input.maximumRetryAttempts === undefined && input.maximumEventAgeInSeconds === undefined && dc === undefined) {
      throw invalidParameter('You must specify at least one of error handling or destination setting.')
    }
    // 3. The function and qualifier.
    const { fn, qualifier } = this.#locate(input, 'write')
    if (fn === undefined) throw resourceNotFound("The function doesn't exist.")
    const map = this.#byFunction.get(fn) ?? new Map<string, Stored>()
    const previous = map.get(qualifier)
    if (mode === 'update' && previous === undefined) throw resourceNotFound(`The function ${fn.arn}:${qualifier} doesn't have an EventInvokeConfig`)
    // 4. Destinations.
    for (const arn of [successArn, failureArn]) {
      if (arn === undefined || arn === '') continue
      if (arnService(arn) === 'lambda') {
        const name = arn.split(':')[6]
        if (name === fn.name) throw invalidParameter("You can't specify the function as a destination for itself.")
        if (name === undefined || this.#host.registry.get(name) === undefined) throw invalidParameter(`The destination ARN ${arn} is invalid.`)
      }
    }
    const supported = (arn: string | undefined, side: 'success' | 'failure'): boolean => {
      if (arn === undefined || arn === '') return true
      const service = arnService(arn)
      return service === 'sqs' || service === 'sns' || service === 'lambda' || service === 'events' || (service === 's3' && side === 'failure')
    }
    if (!supported(successArn, 'success') || !supported(failureArn, 'failure')) {
      const side = (name: string, given: boolean, arn: string | undefined): string => (given ? `${name}(destination=${arn === undefined || arn === '' ? 'null' : arn})` : 'null')
      throw invalidParameter(
        `The provided destination config DestinationConfig(onSuccess=${side('OnSuccess', dc?.onSuccess !== undefined, successArn)}, onFailure=${side('OnFailure', dc?.onFailure !== undefined, failureArn)}) is invalid.`,
      )
    }
    // Sink objects: both are checked before either is registered.
    const sinks = [successRef, failureRef].filter(isDestination)
    for (const sink of sinks) this.#host.checkDestination(sink)
    const [first, second] = sinks
    if (first !== undefined && second !== undefined && first !== second && first.arn === second.arn) {
      throw new SimulatorError('InvalidOption', `Two different destination objects have the ARN ${first.arn}: onSuccess and onFailure must be the same object or have different ARNs`)
    }
    for (const sink of sinks) this.#host.registerDestination(sink)
    const stored: Stored =
      mode === 'put' || previous === undefined
        ? { created: 0, lastModified: 0, maximumRetryAttempts: input.maximumRetryAttempts, maximumEventAgeInSeconds: input.maximumEventAgeInSeconds, onSuccess: emptyToUndefined(successArn), onFailure: emptyToUndefined(failureArn) }
        : {
            created: 0,
            lastModified: 0,
            maximumRetryAttempts: input.maximumRetryAttempts ?? previous.maximumRetryAttempts,
            maximumEventAgeInSeconds: input.maximumEventAgeInSeconds ?? previous.maximumEventAgeInSeconds,
            // Each side of DestinationConfig merges separately (AWS does not document this; docs/semantics.md).
            onSuccess: dc?.onSuccess !== undefined ? emptyToUndefined(successArn) : previous.onSuccess,
            onFailure: dc?.onFailure !== undefined ? emptyToUndefined(failureArn) : previous.onFailure,
          }
    stored.created = previous?.created ?? this.#created++
    stored.lastModified = this.#host.now()
    map.set(qualifier, stored)
    this.#byFunction.set(fn, map)
    return this.#view(fn, qualifier, stored)
  }

  /** Resolve name + qualifier for this API; unknown functions come back as undefined with the ARN AWS prints. */
  #locate(input: { functionName: FunctionRef; qualifier?: string }, mode: 'read' | 'write' | 'list'): { fn: LambdaFunction | undefined; qualifier: string; arn: string } {
    const registry = this.#host.registry
    const parsed = registry.parse(functionRefText(input.functionName, 'functionName'))
    if (input.qualifier !== undefined && parsed.qualifier !== undefined && input.qualifier !== parsed.qualifier) {
      throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.')
    }
    const qualifier = parsed.qualifier ?? input.qualifier ?? '$LATEST'
    const arn = `${registry.arnFor(parsed.name)}:${qualifier}`
    const fn = registry.get(parsed.name)
    if (fn === undefined) return { fn: undefined, qualifier, arn }
    if (mode !== 'list' && !registry.hasQualifier(fn, qualifier)) {
      if (mode === 'write') return { fn: undefined, qualifier, arn }
      return { fn: undefined, qualifier, arn }
    }
    return { fn, qualifier, arn }
  }

  #view(fn: LambdaFunction, qualifier: string, s: Stored): EventInvokeConfig {
    const out: EventInvokeConfig = {
      functionArn: `${fn.arn}:${qualifier}`,
      lastModified: new Date(s.lastModified),
      destinationConfig: { onSuccess: {}, onFailure: {} },
    }
    if (s.maximumRetryAttempts !== undefined) out.maximumRetryAttempts = s.maximumRetryAttempts
    if (s.maximumEventAgeInSeconds !== undefined) out.maximumEventAgeInSeconds = s.maximumEventAgeInSeconds
    if (s.onSuccess !== undefined) out.destinationConfig.onSuccess.destination = s.onSuccess
    if (s.onFailure !== undefined) out.destinationConfig.onFailure.destination = s.onFailure
    return out
  }
}

/** The Qualifier of this API (shape NumericLatestPublishedOrAliasQualifier, as Invoke's): 1–128 characters and the pattern. */
function checkConfigQualifier(v: Violations, qualifier: unknown): void {
  if (qualifier === undefined) return
  if (typeof qualifier !== 'string') throw new SimulatorError('InvalidOption', `Invalid qualifier: expected a string, got ${describe(qualifier)}`)
  checkQualifier(v, qualifier)
}

function validateQualifier(input: { qualifier?: string }): void {
  const v = new Violations()
  checkConfigQualifier(v, input?.qualifier)
  v.throwIfAny()
}

/** The input of get/delete/list is an object (`{ functionName, qualifier? }`): anything else is named, not a TypeError. */
function checkInputObject(what: string, input: unknown): void {
  if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid ${what} input: expected { functionName, qualifier? }, got ${describe(input)}`)
}

/** `destinationConfig`: `{ onSuccess?: { destination? }, onFailure?: { destination? } }`, nothing else. */
function checkDestinationConfig(what: string, dc: unknown): void {
  if (dc === undefined) return
  const shape = `{ onSuccess?: { destination? }, onFailure?: { destination? } }`
  if (!isPlainObject(dc)) throw new SimulatorError('InvalidOption', `Invalid destinationConfig for ${what}: expected ${shape}, got ${describe(dc)}`)
  rejectUnknownKeys(`${what} destinationConfig`, dc, ['onSuccess', 'onFailure'])
  for (const [side, value] of Object.entries(dc as Record<string, unknown>)) {
    if (value === undefined) continue
    if (!isPlainObject(value)) throw new SimulatorError('InvalidOption', `Invalid destinationConfig.${side} for ${what}: expected { destination?: ARN or sink object }, got ${describe(value)}`)
    rejectUnknownKeys(`${what} destinationConfig.${side}`, value, ['destination'])
  }
}

/**
 * The ARN of a destination. A function handle (a `name` and a Lambda `arn`, no `deliver`) is its
 * `arn`, as every function reference reads a handle; the checks of a function destination given by
 * ARN (it exists, it is not the function itself) then apply.
 */
function refArn(ref: DestinationRef | undefined): string | undefined {
  if (ref === undefined) return undefined
  if (typeof ref === 'string') return ref
  if (isDestination(ref)) return ref.arn
  if (isPlainObject(ref) && typeof (ref as Partial<FunctionHandle>).arn === 'string' && arnService((ref as FunctionHandle).arn) === 'lambda') {
    return (ref as FunctionHandle).arn
  }
  throw new SimulatorError('InvalidOption', `Invalid destination: expected an ARN string, a sink object (arn and deliver()) or a function handle, got ${describe(ref)}`)
}

function emptyToUndefined(s: string | undefined): string | undefined {
  return s === '' ? undefined : s
}
