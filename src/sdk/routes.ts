import { LambdaError, SimulatorError, invalidParameter, resourceNotFound, validationException } from '../errors.js'
import type { EventInvokeConfig, EventInvokeConfigInput } from '../event-invoke-config.js'
import { checkQualifier, type AliasConfiguration, type FunctionOptions, type FunctionVersion, type LambdaFunction, type LoggingConfig } from '../functions.js'
import { paginate, type KeyOrder } from '../internal/paging.js'
import { isPlainObject } from '../internal/plain-object.js'
import type { SimulatorImpl } from '../simulator.js'
import { describe, Violations } from '../validation.js'
import { createEventSourceMapping, listEventSourceMappings, updateEventSourceMapping, wireMapping } from './event-source-mappings.js'
import { codeSha256, functionConfiguration } from './function-configuration.js'
import { LAMBDA_OPERATIONS } from './operations.js'

/** A request as the adapter sees it: decoded path labels, raw query values, lower-case header names. */
export interface WireRequest {
  method: string
  path: string
  query: Record<string, string | undefined>
  headers: Record<string, string>
  body: string
  /** The body's bytes are not UTF-8: where and why (the body is then empty). */
  invalidUtf8?: string
}

/** What the adapter answers: REST-JSON status, lower-case headers (as Node's HTTP client gives them) and body. */
export interface WireResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
}

type Labels = Record<string, string>
type Route = (sim: SimulatorImpl, req: WireRequest, labels: Labels, requestId: string) => WireResponse | Promise<WireResponse>

/** The operations lambda-sim answers, by AWS operation name. */
const ROUTES: Record<string, Route> = {
  Invoke: invoke,
  PutFunctionEventInvokeConfig: (sim, req, l, id) => json(200, id, wireConfig(sim.putFunctionEventInvokeConfig(configInput(req, l)))),
  UpdateFunctionEventInvokeConfig: (sim, req, l, id) => json(200, id, wireConfig(sim.updateFunctionEventInvokeConfig(configInput(req, l)))),
  GetFunctionEventInvokeConfig: (sim, req, l, id) => json(200, id, wireConfig(sim.getFunctionEventInvokeConfig(withQualifier({ functionName: l['FunctionName'] as string }, req)))),
  DeleteFunctionEventInvokeConfig: (sim, req, l, id) => {
    sim.deleteFunctionEventInvokeConfig(withQualifier({ functionName: l['FunctionName'] as string }, req))
    return empty(204, id)
  },
  ListFunctionEventInvokeConfigs: listConfigs,
  PutFunctionConcurrency: (sim, req, l, id) => {
    const value = body(req)['ReservedConcurrentExecutions']
    if (value === undefined || value === null) throw validationException([`Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null`])
    const r = sim.putFunctionConcurrency(l['FunctionName'] as string, value as number)
    return json(200, id, { ReservedConcurrentExecutions: r.reservedConcurrentExecutions })
  },
  GetFunctionConcurrency: (sim, _req, l, id) => {
    const r = sim.getFunctionConcurrency(l['FunctionName'] as string)
    return json(200, id, r.reservedConcurrentExecutions === undefined ? {} : { ReservedConcurrentExecutions: r.reservedConcurrentExecutions })
  },
  DeleteFunctionConcurrency: (sim, _req, l, id) => {
    sim.deleteFunctionConcurrency(l['FunctionName'] as string)
    return empty(204, id)
  },
  PublishVersion: publishVersion,
  CreateAlias: createAlias,
  GetAlias: (sim, _req, l, id) => json(200, id, wireAlias(sim.getAlias(l['FunctionName'] as string, l['Name'] as string))),
  ListAliases: listAliases,
  UpdateAlias: updateAlias,
  DeleteAlias: (sim, _req, l, id) => {
    sim.deleteAlias(l['FunctionName'] as string, l['Name'] as string)
    return empty(204, id)
  },
  ListVersionsByFunction: listVersions,
  ListFunctions: listFunctions,
  UpdateFunctionConfiguration: updateFunctionConfiguration,
  DeleteFunction: (sim, req, l, id) => {
    const q = req.query['Qualifier']
    sim.deleteFunction(l['FunctionName'] as string, q === undefined ? {} : { qualifier: q })
    return empty(204, id)
  },
  GetFunction: (sim, req, l, id) => {
    const { version, qualifier } = locateVersion(sim, l['FunctionName'] as string, req.query['Qualifier'])
    const out: Record<string, unknown> = {
      Configuration: functionConfiguration(version, qualifier, sim.accountId),
      Code: { RepositoryType: 'S3', Location: `https://lambda-sim.invalid/${sim.region}/${version.fn.name}/${version.version}.zip` },
    }
    if (version.fn.reservedConcurrency !== undefined) out['Concurrency'] = { ReservedConcurrentExecutions: version.fn.reservedConcurrency }
    return json(200, id, out)
  },
  GetFunctionConfiguration: (sim, req, l, id) => {
    const { version, qualifier } = locateVersion(sim, l['FunctionName'] as string, req.query['Qualifier'])
    return json(200, id, functionConfiguration(version, qualifier, sim.accountId))
  },
  PutFunctionRecursionConfig: (sim, req, l, id) => {
    const r = sim.putFunctionRecursionConfig({ functionName: l['FunctionName'] as string, recursiveLoop: body(req)['RecursiveLoop'] as 'Allow' | 'Terminate' })
    return json(200, id, { RecursiveLoop: r.recursiveLoop })
  },
  GetFunctionRecursionConfig: (sim, _req, l, id) => json(200, id, { RecursiveLoop: sim.getFunctionRecursionConfig({ functionName: l['FunctionName'] as string }).recursiveLoop }),
  // Event source mappings (spec §11.1): the service model answers 202 to Create, Update and Delete.
  CreateEventSourceMapping: (sim, req, _l, id) => json(202, id, createEventSourceMapping(sim, body(req))),
  UpdateEventSourceMapping: (sim, req, l, id) => json(202, id, updateEventSourceMapping(sim, l['UUID'] as string, body(req))),
  GetEventSourceMapping: (sim, _req, l, id) => json(200, id, wireMapping(sim.getEventSourceMapping({ uuid: l['UUID'] as string }), sim)),
  DeleteEventSourceMapping: (sim, _req, l, id) => json(202, id, wireMapping(sim.deleteEventSourceMapping({ uuid: l['UUID'] as string }), sim)),
  ListEventSourceMappings: (sim, req, _l, id) => json(200, id, listEventSourceMappings(sim, req.query)),
}

/** Names of the operations lambda-sim implements, in the order of the Lambda API reference. */
export const IMPLEMENTED_OPERATIONS: readonly string[] = LAMBDA_OPERATIONS.map(([name]) => name).filter((name) => ROUTES[name] !== undefined)

interface CompiledOperation {
  name: string
  method: string
  segments: string[]
  requiredQuery: [string, string] | undefined
}

const COMPILED: CompiledOperation[] = LAMBDA_OPERATIONS.map(([name, method, template]) => {
  const [path, query] = template.split('?') as [string, string | undefined]
  const required = query === undefined ? undefined : (query.split('=') as [string, string])
  return { name, method, segments: path.split('/').slice(1), requiredQuery: required }
})
  // Operations that need a query parameter win over their plain twin (GetLayerVersionByArn vs ListLayers).
  .sort((a, b) => Number(b.requiredQuery !== undefined) - Number(a.requiredQuery !== undefined))

/** The Lambda operation a request addresses, with its decoded path labels. */
export function matchOperation(method: string, path: string, query: Record<string, string | undefined>): { name: string; labels: Labels } | undefined {
  const raw = path.split('?')[0]?.split('/').slice(1) ?? []
  for (const op of COMPILED) {
    if (op.method !== method || op.segments.length !== raw.length) continue
    if (op.requiredQuery !== undefined && query[op.requiredQuery[0]] !== op.requiredQuery[1]) continue
    const labels: Labels = {}
    let ok = true
    for (let i = 0; i < raw.length && ok; i++) {
      const t = op.segments[i] as string
      const segment = raw[i] as string
      if (t.startsWith('{')) {
        const value = safeDecode(segment)
        if (value === undefined || value === '') ok = false
        else labels[t.slice(1, -1).replace(/\+$/, '')] = value
      } else if (t !== segment) {
        ok = false
      }
    }
    if (ok) return { name: op.name, labels }
  }
  return undefined
}

/** Answer one request; LambdaErrors become AWS error responses, anything else propagates. */
export async function route(sim: SimulatorImpl, req: WireRequest, requestId: () => string): Promise<WireResponse> {
  const match = matchOperation(req.method, req.path, req.query)
  if (match === undefined) {
    return errorResponse(new LambdaError('UnknownOperationException', 404, `lambda-sim: no Lambda API operation matches ${req.method} ${req.path}`), requestId())
  }
  const handler = ROUTES[match.name]
  if (handler === undefined) {
    return errorResponse(
      new LambdaError('NotImplementedException', 501, `lambda-sim does not implement ${match.name}. Implemented operations: ${IMPLEMENTED_OPERATIONS.join(', ')}`, { type: 'User' }),
      requestId(),
    )
  }
  if (req.invalidUtf8 !== undefined && match.name !== 'Invoke') {
    return errorResponse(new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${req.invalidUtf8}`, { type: 'User' }), requestId())
  }
  try {
    // Invoke answers with the invocation's own request id; other operations draw one here.
    return await handler(sim, req, match.labels, match.name === 'Invoke' ? '' : requestId())
  } catch (error) {
    if (error instanceof LambdaError) return errorResponse(error, (error as { requestId?: string }).requestId ?? requestId())
    // A member of the wrong type (the in-process API's InvalidOption) is a malformed request on the
    // wire: answer it, never throw it into the SDK. Other simulator errors (runaway loop, leftover
    // work) are the test's to see.
    if (error instanceof SimulatorError && error.code === 'InvalidOption') {
      return errorResponse(new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${error.message}`, { type: 'User' }), requestId())
    }
    throw error
  }
}

/**
 * Exceptions whose message member is `Message` in the Lambda API model (the others have `message`).
 * AWS's bodies follow the model: `{"Type":"User","Message":"Function not found: ..."}` for a 404,
 * `{"Type":"User","message":"Rate Exceeded.",...}` for a 429 ([OBS] OBS-lambda test_invoke_exceptions,
 * OBS-api test_notfound_and_invalid_routingconfigs).
 */
const CAPITALISED_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException', 'RecursiveInvocationException'])

/** AWS's REST-JSON error: `x-amzn-ErrorType` names the exception; the body carries Type, the message and extra members. */
export function errorResponse(error: LambdaError, requestId: string): WireResponse {
  const out: Record<string, unknown> = {}
  if (error.type !== undefined) out['Type'] = error.type
  out[CAPITALISED_MESSAGE.has(error.name) ? 'Message' : 'message'] = error.message
  if (error.reason !== undefined) out['Reason'] = error.reason
  return { statusCode: error.statusCode, headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.name, 'x-amzn-requestid': requestId }, body: JSON.stringify(out) }
}

// ---- operations ------------------------------------------------------------------------------------

async function invoke(sim: SimulatorImpl, req: WireRequest, l: Labels): Promise<WireResponse> {
  const r = await sim.invokeWire({
    functionName: l['FunctionName'] as string,
    qualifier: req.query['Qualifier'],
    invocationType: req.headers['x-amz-invocation-type'],
    logType: req.headers['x-amz-log-type'],
    clientContext: req.headers['x-amz-client-context'],
    payload: req.body,
    payloadNotUtf8: req.invalidUtf8,
  })
  if (r.statusCode !== 200) return empty(r.statusCode, r.requestId)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': r.requestId, 'x-amz-executed-version': r.executedVersion as string }
  if (r.functionError !== undefined) headers['x-amz-function-error'] = r.functionError
  if (r.logResult !== undefined) headers['x-amz-log-result'] = r.logResult
  return { statusCode: 200, headers, body: r.payloadJson as string }
}

function listConfigs(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const input: { functionName: string; marker?: string; maxItems?: number } = { functionName: l['FunctionName'] as string }
  const marker = req.query['Marker']
  const maxItems = req.query['MaxItems']
  if (marker !== undefined) input.marker = marker
  if (maxItems !== undefined) input.maxItems = Number(maxItems)
  const r = sim.listFunctionEventInvokeConfigs(input)
  const out: Record<string, unknown> = { FunctionEventInvokeConfigs: r.functionEventInvokeConfigs.map(wireConfig) }
  if (r.nextMarker !== undefined) out['NextMarker'] = r.nextMarker
  return json(200, id, out)
}

function publishVersion(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const name = l['FunctionName'] as string
  const b = body(req)
  // Members of the wrong JSON type are refused, never ignored (an ignored RevisionId would publish).
  const description = stringMember(b, 'Description')
  const expectedSha = stringMember(b, 'CodeSha256')
  const expectedRevision = stringMember(b, 'RevisionId')
  const v = new Violations()
  if (description !== undefined) v.maxLength('description', description, 256)
  const parsed = sim.registry.parse(name, 'functionName', 'function', v)
  const fn = sim.registry.get(parsed.name)
  if (fn !== undefined && parsed.qualifier === undefined) {
    const sha = codeSha256(fn.latest)
    if (expectedSha !== undefined && expectedSha !== sha) {
      throw invalidParameter(`CodeSHA256 (${expectedSha}) is different from current CodeSHA256 in $LATEST (${sha}). Please try again with the CodeSHA256 in $LATEST.`)
    }
    if (expectedRevision !== undefined && expectedRevision !== functionConfiguration(fn.latest, undefined, sim.accountId).RevisionId) {
      throw new LambdaError('PreconditionFailedException', 412, 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { type: 'User' })
    }
  }
  const r = description !== undefined ? sim.publishVersion(name, { description }) : sim.publishVersion(name)
  const version = (fn as LambdaFunction).versions.get(r.version) as FunctionVersion
  return json(201, id, functionConfiguration(version, version.version, sim.accountId))
}

function createAlias(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const b = body(req)
  const nulls: string[] = []
  for (const [member, key] of [['name', 'Name'], ['functionVersion', 'FunctionVersion']] as const) {
    if (b[key] === undefined || b[key] === null) nulls.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`)
  }
  if (nulls.length > 0) throw validationException(nulls)
  // Members of the wrong JSON type are refused, never dropped.
  const input: Parameters<SimulatorImpl['createAlias']>[1] = { name: stringMember(b, 'Name') as string, functionVersion: stringMember(b, 'FunctionVersion') as string }
  const description = stringMember(b, 'Description')
  if (description !== undefined) input.description = description
  const weights = routingWeights(b)
  if (weights !== undefined && weights !== null) input.routingConfig = { additionalVersionWeights: weights }
  return json(201, id, wireAlias(sim.createAlias(l['FunctionName'] as string, input)))
}

function updateAlias(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const b = body(req)
  const input: Parameters<SimulatorImpl['updateAlias']>[1] = { name: l['Name'] as string }
  // Members of the wrong JSON type are refused, never ignored (an ignored RevisionId would update).
  const functionVersion = stringMember(b, 'FunctionVersion')
  const description = stringMember(b, 'Description')
  const revisionId = stringMember(b, 'RevisionId')
  if (functionVersion !== undefined) input.functionVersion = functionVersion
  if (description !== undefined) input.description = description
  if (revisionId !== undefined) input.revisionId = revisionId
  const weights = routingWeights(b)
  if (weights !== undefined) input.routingConfig = weights === null ? {} : { additionalVersionWeights: weights }
  return json(200, id, wireAlias(sim.updateAlias(l['FunctionName'] as string, input)))
}

function listAliases(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const options: Parameters<SimulatorImpl['listAliases']>[1] = {}
  const { FunctionVersion: functionVersion, Marker: marker, MaxItems: maxItems } = req.query
  if (functionVersion !== undefined) options.functionVersion = functionVersion
  if (marker !== undefined) options.marker = marker
  if (maxItems !== undefined) options.maxItems = Number(maxItems)
  const r = sim.listAliases(l['FunctionName'] as string, options)
  const out: Record<string, unknown> = { Aliases: r.aliases.map(wireAlias) }
  if (r.nextMarker !== undefined) out['NextMarker'] = r.nextMarker
  return json(200, id, out)
}

/**
 * ListVersionsByFunction: each version's FunctionConfiguration with its qualified ARN (`…:$LATEST`
 * too) and without `State` / `LastUpdateStatus`, as AWS lists them (OBS-api `test_version_lifecycle`).
 */
function listVersions(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const options: Parameters<SimulatorImpl['listVersionsByFunction']>[1] = {}
  const { Marker: marker, MaxItems: maxItems } = req.query
  if (marker !== undefined) options.marker = marker
  if (maxItems !== undefined) options.maxItems = Number(maxItems)
  const name = l['FunctionName'] as string
  const r = sim.listVersionsByFunction(name, options)
  const fn = sim.registry.get(sim.registry.parse(name, 'functionName', 'function').name) as LambdaFunction
  const versions = r.versions.map(({ version }) => {
    const config: Partial<ReturnType<typeof functionConfiguration>> = functionConfiguration(version === '$LATEST' ? fn.latest : (fn.versions.get(version) as FunctionVersion), version, sim.accountId)
    delete config.State
    delete config.LastUpdateStatus
    return config
  })
  const out: Record<string, unknown> = { Versions: versions }
  if (r.nextMarker !== undefined) out['NextMarker'] = r.nextMarker
  return json(200, id, out)
}

/** Members of UpdateFunctionConfigurationRequest (@aws-sdk/client-lambda 3.1164.0) that lambda-sim does not simulate. */
const UPDATE_CONFIGURATION_UNSIMULATED = ['Role', 'Handler', 'VpcConfig', 'Runtime', 'KMSKeyArn', 'TracingConfig', 'Layers', 'FileSystemConfigs', 'ImageConfig', 'EphemeralStorage', 'SnapStart', 'CapacityProviderConfig', 'DurableConfig']

/**
 * UpdateFunctionConfiguration of `$LATEST` through `sim.updateFunctionConfiguration`: members left out
 * keep their values, `Environment.Variables` replaces all variables, `DeadLetterConfig.TargetArn: ''`
 * removes the DLQ, `RevisionId` must match. **Choice**: the answer (and every later GetFunction) shows
 * `LastUpdateStatus: Successful`, as the simulator applies an update at once (AWS answers `InProgress`
 * while it provisions). https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
 */
function updateFunctionConfiguration(sim: SimulatorImpl, req: WireRequest, l: Labels, id: string): WireResponse {
  const b = body(req)
  for (const member of UPDATE_CONFIGURATION_UNSIMULATED) {
    if (b[member] !== undefined && b[member] !== null) {
      throw new LambdaError('NotImplementedException', 501, `lambda-sim does not implement the UpdateFunctionConfiguration member ${member} (only Timeout, MemorySize, Description, Environment, DeadLetterConfig and LoggingConfig without LogGroup are simulated)`, { type: 'User' })
    }
  }
  const name = l['FunctionName'] as string
  const options: FunctionOptions = {}
  for (const [member, key] of [['Timeout', 'timeout'], ['MemorySize', 'memorySize']] as const) {
    const value = b[member]
    if (value === undefined || value === null) continue
    if (typeof value !== 'number' || !Number.isInteger(value)) throw wireTypeError(member, value, 'an integer')
    options[key] = value
  }
  const description = stringMember(b, 'Description')
  if (description !== undefined) options.description = description
  const environment = b['Environment']
  if (environment !== undefined && environment !== null) {
    if (!isPlainObject(environment)) throw wireTypeError('Environment', environment, 'an object')
    const variables = (environment as Record<string, unknown>)['Variables']
    if (variables !== undefined && variables !== null && !isPlainObject(variables)) throw wireTypeError('Environment.Variables', variables, 'an object')
    for (const [k, value] of Object.entries((variables ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string') throw wireTypeError(`Environment.Variables.${k}`, value, 'a string')
    }
    options.environment = { ...((variables ?? {}) as Record<string, string>) }
  }
  const dlq = b['DeadLetterConfig']
  if (dlq !== undefined && dlq !== null) {
    if (!isPlainObject(dlq)) throw wireTypeError('DeadLetterConfig', dlq, 'an object')
    // A DeadLetterConfig without a TargetArn removes the DLQ, as an empty one does.
    options.deadLetterConfig = { targetArn: stringMember(dlq as Record<string, unknown>, 'TargetArn', 'DeadLetterConfig.TargetArn') ?? '' }
  }
  const parsed = sim.registry.parse(name, 'functionName', 'function')
  const fn = sim.registry.get(parsed.name)
  const logging = b['LoggingConfig']
  if (logging !== undefined && logging !== null) {
    if (!isPlainObject(logging)) throw wireTypeError('LoggingConfig', logging, 'an object')
    const l = logging as Record<string, unknown>
    // **Choice**: log groups are not simulated; only the function's own /aws/lambda/<name> is accepted.
    const group = stringMember(l, 'LogGroup', 'LoggingConfig.LogGroup')
    if (group !== undefined && group !== `/aws/lambda/${parsed.name}`) {
      throw new LambdaError('NotImplementedException', 501, 'lambda-sim does not implement the UpdateFunctionConfiguration member LoggingConfig.LogGroup (a function logs to /aws/lambda/<name>)', { type: 'User' })
    }
    const config: LoggingConfig = {}
    const format = stringMember(l, 'LogFormat', 'LoggingConfig.LogFormat')
    if (format !== undefined) config.logFormat = format as 'Text' | 'JSON'
    const app = stringMember(l, 'ApplicationLogLevel', 'LoggingConfig.ApplicationLogLevel')
    if (app !== undefined) config.applicationLogLevel = app as NonNullable<LoggingConfig['applicationLogLevel']>
    const system = stringMember(l, 'SystemLogLevel', 'LoggingConfig.SystemLogLevel')
    if (system !== undefined) config.systemLogLevel = system as NonNullable<LoggingConfig['systemLogLevel']>
    // A LoggingConfig without LogFormat keeps the function's format (AWS's LogFormat is optional).
    if (config.logFormat === undefined) config.logFormat = fn?.latest.jsonLogging !== undefined ? 'JSON' : 'Text'
    options.loggingConfig = config
  }
  const expectedRevision = stringMember(b, 'RevisionId')
  if (fn !== undefined && !fn.deleted && (parsed.qualifier === undefined || parsed.qualifier === '$LATEST') && expectedRevision !== undefined && expectedRevision !== functionConfiguration(fn.latest, undefined, sim.accountId).RevisionId) {
    throw new LambdaError('PreconditionFailedException', 412, 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', { type: 'User' })
  }
  sim.updateFunctionConfiguration(name, options)
  return json(200, id, functionConfiguration((sim.registry.get(parsed.name) as LambdaFunction).latest, undefined, sim.accountId))
}

/** ListFunctions' list keys: a function name, then a version number, compared in that order. */
const FUNCTION_VERSION_KEYS: KeyOrder<readonly [string, number]> = {
  is: (value): value is readonly [string, number] => Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && Number.isInteger(value[1]),
  greater: (a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]),
}

/**
 * ListFunctions: each function's `$LATEST` configuration (with `FunctionVersion=ALL`, every version, as
 * ListVersionsByFunction lists them) without the fields AWS leaves out of this operation ("State,
 * StateReasonCode, StateReason, LastUpdateStatus, LastUpdateStatusReason, LastUpdateStatusReasonCode,
 * RuntimeVersionConfig": use GetFunction), at most 50 a page. **Choice**: functions in name order, the
 * marker naming the last function (and version) listed, so deleting what a page listed skips nothing.
 * https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
 */
function listFunctions(sim: SimulatorImpl, req: WireRequest, _l: Labels, id: string): WireResponse {
  const { Marker: marker, MaxItems: maxItemsText, FunctionVersion: functionVersion, MasterRegion: masterRegion } = req.query
  if (masterRegion !== undefined) {
    throw new LambdaError('NotImplementedException', 501, 'lambda-sim does not implement the ListFunctions member MasterRegion (Lambda@Edge replicas are not simulated)', { type: 'User' })
  }
  const v = new Violations()
  const maxItems = maxItemsText === undefined ? undefined : Number(maxItemsText)
  v.intRange('maxItems', maxItems, 1, 10_000)
  v.enumValue('functionVersion', functionVersion, ['ALL'])
  v.throwIfAny()
  const functions = sim.registry.all.filter((fn) => !fn.deleted).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const entries: { fn: LambdaFunction; version: FunctionVersion }[] = []
  for (const fn of functions) {
    entries.push({ fn, version: fn.latest })
    if (functionVersion === 'ALL') for (const version of fn.versions.values()) entries.push({ fn, version })
  }
  // Each entry's list key: the function name, then the version's number ($LATEST first).
  const { page, nextMarker } = paginate(entries, marker, Math.min(maxItems ?? 50, 50), (e) => [e.fn.name, e.version.version === '$LATEST' ? 0 : Number(e.version.version)] as const, FUNCTION_VERSION_KEYS)
  const out: Record<string, unknown> = {
    Functions: page.map(({ version }) => {
      const config: Partial<ReturnType<typeof functionConfiguration>> = functionConfiguration(version, functionVersion === 'ALL' ? version.version : undefined, sim.accountId)
      delete config.State
      delete config.LastUpdateStatus
      return config
    }),
  }
  if (nextMarker !== undefined) out['NextMarker'] = nextMarker
  return json(200, id, out)
}

/** AliasConfiguration on the wire; `RoutingConfig` only when the alias has an additional version. */
function wireAlias(a: AliasConfiguration): Record<string, unknown> {
  const out: Record<string, unknown> = { AliasArn: a.aliasArn, Name: a.name, FunctionVersion: a.functionVersion, Description: a.description }
  if (a.routingConfig !== undefined) out['RoutingConfig'] = { AdditionalVersionWeights: a.routingConfig.additionalVersionWeights }
  out['RevisionId'] = a.revisionId
  return out
}

// ---- helpers ---------------------------------------------------------------------------------------

/**
 * GetFunction / GetFunctionConfiguration: the version a name (optionally qualified) and a Qualifier
 * address. An alias resolves to the version it points to, and FunctionArn keeps the alias.
 */
function locateVersion(sim: SimulatorImpl, functionName: string, qualifierParam: string | undefined): { version: FunctionVersion; qualifier: string | undefined } {
  let qualifierViolations: Violations | undefined
  if (qualifierParam !== undefined) checkQualifier((qualifierViolations = new Violations()), qualifierParam)
  const parsed = sim.registry.parse(functionName, 'functionName', 'namespaced', qualifierViolations)
  if (qualifierParam !== undefined && parsed.qualifier !== undefined && qualifierParam !== parsed.qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.')
  }
  const qualifier = parsed.qualifier ?? qualifierParam
  const fn = sim.registry.get(parsed.name)
  const notFound = (): LambdaError => resourceNotFound(`Function not found: ${sim.registry.arnFor(parsed.name)}${qualifier === undefined ? '' : `:${qualifier}`}`)
  if (fn === undefined) throw notFound()
  if (qualifier === undefined || qualifier === '$LATEST') return { version: fn.latest, qualifier }
  const version = fn.versions.get(qualifier)
  if (version !== undefined) return { version, qualifier }
  const alias = fn.aliases.get(qualifier)
  if (alias === undefined) throw notFound()
  return { version: alias.functionVersion === '$LATEST' ? fn.latest : (fn.versions.get(alias.functionVersion) as FunctionVersion), qualifier }
}

function configInput(req: WireRequest, l: Labels): EventInvokeConfigInput {
  const b = body(req)
  const input: EventInvokeConfigInput = withQualifier({ functionName: l['FunctionName'] as string }, req)
  if (b['MaximumRetryAttempts'] !== undefined && b['MaximumRetryAttempts'] !== null) input.maximumRetryAttempts = b['MaximumRetryAttempts'] as number
  if (b['MaximumEventAgeInSeconds'] !== undefined && b['MaximumEventAgeInSeconds'] !== null) input.maximumEventAgeInSeconds = b['MaximumEventAgeInSeconds'] as number
  const dc = b['DestinationConfig'] as { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } } | undefined
  if (dc !== undefined && dc !== null) {
    // Members of the wrong JSON type are refused, never dropped (a dropped side stored an empty config).
    if (!isPlainObject(dc)) throw wireTypeError('DestinationConfig', dc, 'an object')
    for (const name of ['OnSuccess', 'OnFailure'] as const) {
      const s: unknown = dc[name]
      if (s === undefined || s === null) continue
      if (!isPlainObject(s)) throw wireTypeError(`DestinationConfig.${name}`, s, 'an object')
      stringMember(s as Record<string, unknown>, 'Destination', `DestinationConfig.${name}.Destination`)
    }
    const side = (s: { Destination?: string } | undefined): { destination?: string } | undefined => (s === undefined || s === null ? undefined : s.Destination === undefined || s.Destination === null ? {} : { destination: s.Destination })
    const config: NonNullable<EventInvokeConfigInput['destinationConfig']> = {}
    const onSuccess = side(dc.OnSuccess)
    const onFailure = side(dc.OnFailure)
    if (onSuccess !== undefined) config.onSuccess = onSuccess
    if (onFailure !== undefined) config.onFailure = onFailure
    input.destinationConfig = config
  }
  return input
}

function withQualifier<T extends { functionName: string; qualifier?: string }>(input: T, req: WireRequest): T {
  const q = req.query['Qualifier']
  if (q !== undefined) input.qualifier = q
  return input
}

/** FunctionEventInvokeConfig on the wire: LastModified in epoch seconds with a fraction. */
function wireConfig(c: EventInvokeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { FunctionArn: c.functionArn, LastModified: c.lastModified.getTime() / 1000 }
  if (c.maximumRetryAttempts !== undefined) out['MaximumRetryAttempts'] = c.maximumRetryAttempts
  if (c.maximumEventAgeInSeconds !== undefined) out['MaximumEventAgeInSeconds'] = c.maximumEventAgeInSeconds
  const side = (s: { destination?: string }): Record<string, string> => (s.destination === undefined ? {} : { Destination: s.destination })
  out['DestinationConfig'] = { OnSuccess: side(c.destinationConfig.onSuccess), OnFailure: side(c.destinationConfig.onFailure) }
  return out
}

/**
 * A string member of a request body: absent (or JSON null) is undefined; any other type is refused as
 * the service's JSON reader refuses it (`InvalidRequestContentException`, AWS's prefix; the detail is
 * lambda-sim's, as for the event source mapping members).
 */
function stringMember(b: Record<string, unknown>, member: string, path = member): string | undefined {
  const value = b[member]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw wireTypeError(path, value, 'a string')
  return value
}

/**
 * `RoutingConfig.AdditionalVersionWeights` of CreateAlias / UpdateAlias: undefined when there is no
 * RoutingConfig, null when it has no weights; a RoutingConfig or weights that are not objects are refused.
 */
function routingWeights(b: Record<string, unknown>): Record<string, number> | null | undefined {
  const routing = b['RoutingConfig']
  if (routing === undefined || routing === null) return undefined
  if (!isPlainObject(routing)) throw wireTypeError('RoutingConfig', routing, 'an object')
  const weights = (routing as Record<string, unknown>)['AdditionalVersionWeights']
  if (weights === undefined || weights === null) return null
  if (!isPlainObject(weights)) throw wireTypeError('RoutingConfig.AdditionalVersionWeights', weights, 'an object')
  return weights as Record<string, number>
}

function wireTypeError(member: string, value: unknown, expected: string): LambdaError {
  return new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${member} must be ${expected}, got ${describe(value)}`, { type: 'User' })
}

function body(req: WireRequest): Record<string, unknown> {
  if (req.body === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(req.body)
  } catch (error) {
    throw new LambdaError('InvalidRequestContentException', 400, `Could not parse request body into json: ${(error as Error).message}`, { type: 'User' })
  }
  // A body that is not a JSON object (an array, a string) is refused, not read as an empty request.
  if (!isPlainObject(parsed)) throw wireTypeError('the request body', parsed, 'an object')
  return parsed as Record<string, unknown>
}

function json(statusCode: number, requestId: string, value: unknown): WireResponse {
  return { statusCode, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(value) }
}

function empty(statusCode: number, requestId: string): WireResponse {
  return { statusCode, headers: { 'x-amzn-requestid': requestId }, body: '' }
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
