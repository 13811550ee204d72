import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutFunctionRecursionConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'
import { functionConfiguration } from '../src/sdk/function-configuration.js'
import { internals } from '../src/simulator.js'
import { thrownBy } from './helpers/errors.js'
import { wireRequest as wire } from './helpers/wire.js'

/**
 * "A refused call changes nothing", for every mutating Lambda control-plane API, in process and
 * through the SDK adapter. Each catalogue entry is one rule: the call fails with AWS's exception (or
 * a SimulatorError for simulator-only misuse), its message names the field or value, and everything
 * observable about the Lambda side is byte-identical afterwards, including the seeded random source
 * (checked against a twin simulator that never saw the call).
 */

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:dlq'
/** ARNs a refused call might register a sink under (probed by the snapshot). */
const PROBE_ARNS = [QUEUE_ARN, 'arn:aws:sqs:us-east-1:123456789012:fresh-a', 'arn:aws:sns:us-east-1:123456789012:fresh-b', 'arn:aws:sns:us-east-1:123456789012:t']

/** Stable ids for handler and init functions, so a swapped handler shows in the snapshot. */
const identities = new Map<unknown, number>()
function identity(x: unknown): number | null {
  if (x === undefined) return null
  let id = identities.get(x)
  if (id === undefined) identities.set(x, (id = identities.size + 1))
  return id
}

function attempt<T>(f: () => T): T | string {
  try {
    return f()
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`
  }
}

/** Everything observable about the Lambda side of a simulator, as the get/list APIs answer it. */
function snapshot(sim: Simulator): string {
  const impl = internals(sim)
  const functions = impl.registry.all.map((fn) => ({
    name: fn.name,
    nextVersion: fn.nextVersion,
    aliasUpdates: fn.aliasUpdates,
    inFlight: fn.inFlight,
    versions: [fn.latest, ...fn.versions.values()].map((v) => ({
      configuration: functionConfiguration(v, v.version, impl.accountId),
      handler: identity(v.handler),
      init: identity(v.init),
      environment: v.environment,
      generation: v.generation,
      idle: v.idle.length,
    })),
    listedVersions: attempt(() => sim.listVersionsByFunction(fn.name)),
    aliases: attempt(() => sim.listAliases(fn.name)),
    concurrency: attempt(() => sim.getFunctionConcurrency(fn.name)),
    eventInvokeConfigs: attempt(() => sim.listFunctionEventInvokeConfigs({ functionName: fn.name })),
    recursion: attempt(() => sim.getFunctionRecursionConfig({ functionName: fn.name })),
  }))
  return JSON.stringify({
    now: sim.now(),
    pending: sim.pending(),
    timeline: sim.timeline.entries,
    metrics: sim.metrics,
    functions,
    sinks: PROBE_ARNS.map((arn) => identity(impl.destinationFor(arn))),
  })
}

const handlerA = async (e: unknown): Promise<unknown> => e
const handlerB = async (): Promise<string> => 'b'
const handlerC = async (): Promise<string> => 'c'
function bareHandler(): string {
  return 'bare'
}

/**
 * The base setup every entry refers to: f with versions 1 and 2 and a $LATEST that differs from 2,
 * alias live → 1 with 25 % on 2, alias dev → $LATEST, configs on $LATEST and live; g with reserved
 * concurrency 5 and recursion Allow; a DLQ queue and a topic; one async event waiting for a retry.
 */
async function setup(seed = 7): Promise<Simulator> {
  const sim = createSimulator({ seed })
  const dlq = sim.createQueue('dlq')
  sim.createTopic('t')
  sim.createFunction('f', handlerA, { timeout: 5, deadLetterConfig: { targetArn: dlq.arn } })
  sim.publishVersion('f')
  sim.updateFunctionCode('f', handlerB)
  sim.publishVersion('f', { description: 'second' })
  sim.updateFunctionConfiguration('f', { timeout: 7 })
  sim.createAlias('f', { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.25 } } })
  sim.createAlias('f', { name: 'dev', functionVersion: '$LATEST', description: 'development' })
  sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 120, destinationConfig: { onFailure: { destination: dlq.arn } } })
  sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'live', maximumRetryAttempts: 1 })
  sim.createFunction('g', async () => {
    throw new Error('g fails')
  })
  sim.putFunctionConcurrency('g', 5)
  sim.putFunctionRecursionConfig({ functionName: 'g', recursiveLoop: 'Allow' })
  await sim.invoke('g', { n: 1 }, 'Event')
  await sim.advanceBy(1_000)
  await sim.invoke('f', { warm: true })
  return sim
}

const circular: Record<string, unknown> = { a: 1 }
circular['self'] = circular

type Call = (sim: Simulator, client: LambdaClient) => unknown
/** [label (the rule), call, expected error name, text the message must contain]. */
type Entry = [string, Call, string, string]

const fnOpts = (o: unknown): never => o as never
const foreign = { arn: QUEUE_ARN, deliver: () => undefined }
const freshSink = { arn: 'arn:aws:sqs:us-east-1:123456789012:fresh-a', deliver: () => undefined }

/** In-process refused calls. */
const inProcess: Entry[] = [
  // createFunction
  ['createFunction of an existing name is ResourceConflictException', (s) => s.createFunction('f', handlerC), 'ResourceConflictException', 'f'],
  ['createFunction with a name of 65 characters is InvalidParameterValueException', (s) => s.createFunction('x'.repeat(65), handlerC), 'InvalidParameterValueException', 'less than or equal to 64'],
  ['createFunction with an ARN as the name is a ValidationException', (s) => s.createFunction(`${ARN}:h`, handlerC), 'ValidationException', 'functionName'],
  ['createFunction with a non-string environment value is refused', (s) => s.createFunction('h', handlerC, fnOpts({ environment: { AB: 1 } })), 'SimulatorError', '"AB"'],
  ['createFunction with a description over 256 characters is a ValidationException', (s) => s.createFunction('h', handlerC, { description: 'd'.repeat(257) }), 'ValidationException', 'description'],
  ['createFunction with a description that is not a string is refused', (s) => s.createFunction('h', handlerC, fnOpts({ description: 42 })), 'SimulatorError', 'description'],
  ['createFunction with environment as a string is refused', (s) => s.createFunction('h', handlerC, fnOpts({ environment: 'A=1' })), 'SimulatorError', 'environment'],
  ['createFunction with a one-letter environment variable key is ValidationException quoting the key pattern', (s) => s.createFunction('h', handlerC, { environment: { A: '1' } }), 'ValidationException', "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]"],
  ['createFunction with an environment variable key starting with an underscore is ValidationException', (s) => s.createFunction('h', handlerC, { environment: { _PRIVATE: '1' } }), 'ValidationException', "Value at 'environment.variables'"],
  ['updateFunctionConfiguration with an environment variable key holding a dash is ValidationException', (s) => s.updateFunctionConfiguration('f', { environment: { 'MY-KEY': '1' } }), 'ValidationException', 'Map keys must satisfy constraint'],
  ['createFunction with a reserved environment variable is InvalidParameterValueException naming the keys', (s) => s.createFunction('h', handlerC, { environment: { STAGE: 'x', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'k' } }), 'InvalidParameterValueException', 'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, AWS_ACCESS_KEY_ID'],
  ['updateFunctionConfiguration with a reserved environment variable is InvalidParameterValueException', (s) => s.updateFunctionConfiguration('f', { timeout: 9, environment: { AWS_LAMBDA_FUNCTION_NAME: 'other' } }), 'InvalidParameterValueException', 'Reserved keys used in this request: AWS_LAMBDA_FUNCTION_NAME'],
  ['updateFunctionConfiguration with environment variables over 4 KB is InvalidParameterValueException', (s) => s.updateFunctionConfiguration('f', { environment: { BIG: 'x'.repeat(4087) } }), 'InvalidParameterValueException', 'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"BIG":"xxx'],
  ['createFunction with loggingConfig.logFormat XML is a ValidationException naming the member and the allowed values', (s) => s.createFunction('h', handlerC, fnOpts({ loggingConfig: { logFormat: 'XML' } })), 'ValidationException', "Value 'XML' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]"],
  ['createFunction with an applicationLogLevel and the Text format is InvalidParameterValueException', (s) => s.createFunction('h', handlerC, { loggingConfig: { logFormat: 'Text', applicationLogLevel: 'DEBUG' } }), 'InvalidParameterValueException', 'LogLevel is not supported when LogFormat is set to "Text"'],
  ['updateFunctionConfiguration with systemLogLevel ERROR is a ValidationException', (s) => s.updateFunctionConfiguration('f', fnOpts({ loggingConfig: { logFormat: 'JSON', systemLogLevel: 'ERROR' } })), 'ValidationException', "at 'loggingConfig.systemLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [DEBUG, INFO, WARN]"],
  ['updateFunctionConfiguration with a loggingConfig that is not an object is refused', (s) => s.updateFunctionConfiguration('f', fnOpts({ loggingConfig: 'JSON' })), 'SimulatorError', 'loggingConfig'],
  ['createFunction with a fractional timeout is refused', (s) => s.createFunction('h', handlerC, { timeout: 1.5 }), 'SimulatorError', 'timeout'],
  ['createFunction with memorySize 10241 is a ValidationException', (s) => s.createFunction('h', handlerC, { memorySize: 10_241 }), 'ValidationException', 'memorySize'],
  ['createFunction with a DLQ that is neither SQS nor SNS is InvalidParameterValueException', (s) => s.createFunction('h', handlerC, { deadLetterConfig: { targetArn: 'arn:aws:s3:::bucket' } }), 'InvalidParameterValueException', 'arn:aws:s3:::bucket'],
  ['createFunction with an empty DLQ ARN is InvalidParameterValueException', (s) => s.createFunction('h', handlerC, { deadLetterConfig: { targetArn: '' } }), 'InvalidParameterValueException', "ARNs must start with 'arn:'"],
  ['createFunction with a DLQ ARN that fails the pattern is a ValidationException', (s) => s.createFunction('h', handlerC, { deadLetterConfig: { targetArn: 'sqs:dlq' } }), 'ValidationException', 'deadLetterConfig.targetArn'],
  ['createFunction with init that is not a function is refused', (s) => s.createFunction('h', handlerC, fnOpts({ init: 5 })), 'SimulatorError', 'init'],
  ['createFunction with an unknown option is refused', (s) => s.createFunction('h', handlerC, fnOpts({ timout: 5 })), 'SimulatorError', 'timout'],
  ['createFunction with options that are not an object is refused', (s) => s.createFunction('h', handlerC, fnOpts(7)), 'SimulatorError', '7'],
  // updateFunctionCode
  ['updateFunctionCode with a handler that is not a function is refused', (s) => s.updateFunctionCode('f', 'nope' as never), 'SimulatorError', 'handler'],
  ['updateFunctionCode of an unknown function is ResourceNotFoundException', (s) => s.updateFunctionCode('nope', handlerC), 'ResourceNotFoundException', 'nope'],
  ['updateFunctionCode with a malformed name is a ValidationException', (s) => s.updateFunctionCode('bad name', handlerC), 'ValidationException', 'bad name'],
  ['updateFunctionCode on a version is InvalidParameterValueException and leaves $LATEST as it was', (s) => s.updateFunctionCode('f:1', handlerC), 'InvalidParameterValueException', 'Current operation does not support versions other than $LATEST'],
  ['updateFunctionCode on an alias ARN is InvalidParameterValueException', (s) => s.updateFunctionCode(`${ARN}:f:live`, handlerC), 'InvalidParameterValueException', 'versions other than $LATEST'],
  ['updateFunctionCode of an array carrying a name (read as the handle of f before)', (s) => s.updateFunctionCode(fnOpts(Object.assign([], { name: 'f' })), handlerC), 'SimulatorError', 'Invalid function reference: expected a function name, an ARN or a function handle, got []'],
  ['publishVersion of a number', (s) => s.publishVersion(fnOpts(42)), 'SimulatorError', 'Invalid function reference: expected a function name, an ARN or a function handle, got 42'],
  ['putFunctionConcurrency of an array carrying a name', (s) => s.putFunctionConcurrency(fnOpts(Object.assign([], { name: 'f' })), 5), 'SimulatorError', 'Invalid function reference: expected a function name, an ARN or a function handle, got []'],
  // updateFunctionConfiguration
  ['updateFunctionConfiguration on an alias is InvalidParameterValueException and leaves $LATEST as it was', (s) => s.updateFunctionConfiguration('f:live', { timeout: 9 }), 'InvalidParameterValueException', 'Please set the version to $LATEST or do not set a version in your request.'],
  ['updateFunctionConfiguration with timeout 901 is a ValidationException', (s) => s.updateFunctionConfiguration('f', { timeout: 901 }), 'ValidationException', 'timeout'],
  ['updateFunctionConfiguration with a good timeout and a bad memorySize applies neither', (s) => s.updateFunctionConfiguration('f', { timeout: 9, memorySize: 64 }), 'ValidationException', 'memorySize'],
  ['updateFunctionConfiguration with a DLQ on DynamoDB is InvalidParameterValueException', (s) => s.updateFunctionConfiguration('f', { deadLetterConfig: { targetArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t' } }), 'InvalidParameterValueException', 'dynamodb'],
  ['updateFunctionConfiguration with an unknown option is refused', (s) => s.updateFunctionConfiguration('f', fnOpts({ colour: 'blue' })), 'SimulatorError', 'colour'],
  ['updateFunctionConfiguration with null options is refused', (s) => s.updateFunctionConfiguration('f', null as never), 'SimulatorError', 'null'],
  ['updateFunctionConfiguration with a description over 256 characters is a ValidationException', (s) => s.updateFunctionConfiguration('f', { description: 'd'.repeat(257) }), 'ValidationException', 'description'],
  ['updateFunctionConfiguration with environment as a string is refused', (s) => s.updateFunctionConfiguration('f', fnOpts({ environment: 'A=1' })), 'SimulatorError', 'environment'],
  ['updateFunctionConfiguration of an unknown function is ResourceNotFoundException', (s) => s.updateFunctionConfiguration('nope', { timeout: 9 }), 'ResourceNotFoundException', 'nope'],
  // publishVersion
  ['publishVersion on a qualified name is InvalidParameterValueException', (s) => s.publishVersion('f:1'), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  ['publishVersion of an unknown function is ResourceNotFoundException', (s) => s.publishVersion('nope'), 'ResourceNotFoundException', 'nope'],
  ['publishVersion with null options is refused, not a TypeError', (s) => s.publishVersion('f', null as never), 'SimulatorError', 'null'],
  ['publishVersion with a description over 256 characters is a ValidationException', (s) => s.publishVersion('f', { description: 'd'.repeat(257) }), 'ValidationException', 'description'],
  ['publishVersion with a description that is not a string is refused', (s) => s.publishVersion('f', fnOpts({ description: 42 })), 'SimulatorError', 'description'],
  ['publishVersion with an unknown option is refused', (s) => s.publishVersion('f', fnOpts({ descripton: 'typo' })), 'SimulatorError', 'descripton'],
  // createAlias
  ['createAlias with a name of only digits is a ValidationException', (s) => s.createAlias('f', { name: '123', functionVersion: '1' }), 'ValidationException', "Value '123' at 'name'"],
  ['createAlias with a name over 128 characters is a ValidationException', (s) => s.createAlias('f', { name: 'a'.repeat(129), functionVersion: '1' }), 'ValidationException', 'less than or equal to 128'],
  ['createAlias pointing at another alias is a ValidationException', (s) => s.createAlias('f', { name: 'beta', functionVersion: 'live' }), 'ValidationException', "Value 'live' at 'functionVersion'"],
  ['createAlias pointing at a missing version is ResourceNotFoundException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '9' }), 'ResourceNotFoundException', `${ARN}:f:9`],
  ['createAlias of an existing alias name is ResourceConflictException', (s) => s.createAlias('f', { name: 'live', functionVersion: '2' }), 'ResourceConflictException', 'live'],
  ['createAlias with a routing weight of 1.5 is a ValidationException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 1.5 } } }), 'ValidationException', "Value '{2=1.5}'"],
  ['createAlias with two additional versions is InvalidParameterValueException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.1, '3': 0.1 } } }), 'InvalidParameterValueException', 'cannot be greater than 1'],
  ['createAlias to $LATEST with routing is InvalidParameterValueException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '$LATEST', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }), 'InvalidParameterValueException', '$LATEST is not supported'],
  ['createAlias routing to its own version is InvalidParameterValueException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '1', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }), 'InvalidParameterValueException', 'already included'],
  ['createAlias routing to a missing version is ResourceNotFoundException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '1', routingConfig: { additionalVersionWeights: { '9': 0.5 } } }), 'ResourceNotFoundException', `${ARN}:f:9`],
  ['createAlias with $LATEST as a routing key is a ValidationException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '1', routingConfig: { additionalVersionWeights: { $LATEST: 0.5 } } }), 'ValidationException', 'Map keys'],
  ['createAlias with a description over 256 characters is a ValidationException', (s) => s.createAlias('f', { name: 'beta', functionVersion: '1', description: 'd'.repeat(257) }), 'ValidationException', 'description'],
  ['createAlias on a qualified name is InvalidParameterValueException', (s) => s.createAlias('f:1', { name: 'beta', functionVersion: '1' }), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  ['createAlias on an unknown function is ResourceNotFoundException naming the FunctionVersion', (s) => s.createAlias('nope', { name: 'beta', functionVersion: '1' }), 'ResourceNotFoundException', `${ARN}:nope:1`],
  ['createAlias with a description that is not a string is refused', (s) => s.createAlias('f', fnOpts({ name: 'beta', functionVersion: '1', description: 42 })), 'SimulatorError', 'description'],
  ['createAlias with an unknown member is refused', (s) => s.createAlias('f', fnOpts({ name: 'beta', functionVersion: '1', routing: { '2': 0.5 } })), 'SimulatorError', 'routing'],
  ['createAlias with a routingConfig that is not an object is refused', (s) => s.createAlias('f', fnOpts({ name: 'beta', functionVersion: '1', routingConfig: 'half' })), 'SimulatorError', 'routingConfig'],
  ['createAlias without a name is a ValidationException (Member must not be null), not an alias named undefined', (s) => s.createAlias('f', fnOpts({ functionVersion: '1' })), 'ValidationException', "Value null at 'name' failed to satisfy constraint: Member must not be null"],
  ['createAlias without a functionVersion is a ValidationException (Member must not be null)', (s) => s.createAlias('f', fnOpts({ name: 'beta' })), 'ValidationException', "Value null at 'functionVersion' failed to satisfy constraint: Member must not be null"],
  ['updateAlias without a name is a ValidationException (Member must not be null)', (s) => s.updateAlias('f', fnOpts({ functionVersion: '1' })), 'ValidationException', "Value null at 'name' failed to satisfy constraint: Member must not be null"],
  ['createAlias with a name that is not a string is refused, not stored under a number', (s) => s.createAlias('f', fnOpts({ name: -1, functionVersion: '1' })), 'SimulatorError', 'name'],
  ['createAlias with a functionVersion that is not a string is refused', (s) => s.createAlias('f', fnOpts({ name: 'beta', functionVersion: 1 })), 'SimulatorError', 'functionVersion'],
  ['createAlias with input that is not an object is refused', (s) => s.createAlias('f', null as never), 'SimulatorError', 'null'],
  // updateAlias
  ['updateAlias with a stale RevisionId is PreconditionFailedException and leaves the alias as it was', (s) => s.updateAlias('f', { name: 'live', functionVersion: '2', revisionId: '00000000-0000-4000-8000-000000000000' }), 'PreconditionFailedException', 'Revision Id'],
  ['updateAlias of a missing alias is ResourceNotFoundException', (s) => s.updateAlias('f', { name: 'nope', functionVersion: '1' }), 'ResourceNotFoundException', `Alias not found: ${ARN}:f:nope`],
  ['updateAlias to a missing version is ResourceNotFoundException', (s) => s.updateAlias('f', { name: 'live', functionVersion: '9' }), 'ResourceNotFoundException', `${ARN}:f:9`],
  ['updateAlias with a negative routing weight is a ValidationException', (s) => s.updateAlias('f', { name: 'live', routingConfig: { additionalVersionWeights: { '2': -0.1 } } }), 'ValidationException', 'routingConfig.additionalVersionWeights'],
  ['updateAlias to $LATEST keeping its routing is InvalidParameterValueException', (s) => s.updateAlias('f', { name: 'live', functionVersion: '$LATEST' }), 'InvalidParameterValueException', '$LATEST is not supported'],
  ['updateAlias to the version its routing names is InvalidParameterValueException', (s) => s.updateAlias('f', { name: 'live', functionVersion: '2' }), 'InvalidParameterValueException', 'Function version 2 is already included'],
  ['updateAlias with a description over 256 characters is a ValidationException', (s) => s.updateAlias('f', { name: 'dev', description: 'd'.repeat(257) }), 'ValidationException', 'description'],
  ['updateAlias with a RevisionId that is not a string is refused', (s) => s.updateAlias('f', fnOpts({ name: 'dev', revisionId: 42 })), 'SimulatorError', 'revisionId'],
  ['updateAlias with a description that is not a string is refused', (s) => s.updateAlias('f', fnOpts({ name: 'dev', description: 42 })), 'SimulatorError', 'description'],
  ['updateAlias with an unknown member is refused', (s) => s.updateAlias('f', fnOpts({ name: 'dev', version: '1' })), 'SimulatorError', 'version'],
  ['updateAlias with a routingConfig that is not an object is refused', (s) => s.updateAlias('f', fnOpts({ name: 'live', routingConfig: 5 })), 'SimulatorError', 'routingConfig'],
  ['updateAlias on a qualified name is InvalidParameterValueException', (s) => s.updateAlias('f:live', { name: 'live', functionVersion: '1' }), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  // deleteAlias
  ['deleteAlias with a name of only digits is a ValidationException', (s) => s.deleteAlias('f', '123'), 'ValidationException', "Value '123' at 'name'"],
  ['deleteAlias on a qualified name is InvalidParameterValueException', (s) => s.deleteAlias('f:1', 'live'), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  ['deleteAlias with a name that is not a string is refused', (s) => s.deleteAlias('f', 42 as never), 'SimulatorError', '42'],
  ['deleteAlias on an unknown function is ResourceNotFoundException', (s) => s.deleteAlias('nope', 'live'), 'ResourceNotFoundException', 'nope'],
  // concurrency
  ['putFunctionConcurrency with a fractional value is refused', (s) => s.putFunctionConcurrency('f', 1.5), 'SimulatorError', 'reservedConcurrentExecutions'],
  ['putFunctionConcurrency with a string is refused', (s) => s.putFunctionConcurrency('f', '5' as never), 'SimulatorError', '"5"'],
  ['putFunctionConcurrency below 0 is a ValidationException', (s) => s.putFunctionConcurrency('f', -1), 'ValidationException', "Value '-1'"],
  ['putFunctionConcurrency leaving 99 unreserved is InvalidParameterValueException', (s) => s.putFunctionConcurrency('f', 896), 'InvalidParameterValueException', '[100]'],
  ['putFunctionConcurrency on a qualified name is InvalidParameterValueException', (s) => s.putFunctionConcurrency('f:1', 5), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  ['putFunctionConcurrency on an unknown function names its $LATEST ARN', (s) => s.putFunctionConcurrency('nope', 5), 'ResourceNotFoundException', `${ARN}:nope:$LATEST`],
  ['deleteFunctionConcurrency on a qualified name is InvalidParameterValueException', (s) => s.deleteFunctionConcurrency('g:$LATEST'), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  ['deleteFunctionConcurrency on an unknown function is ResourceNotFoundException', (s) => s.deleteFunctionConcurrency('nope'), 'ResourceNotFoundException', 'nope'],
  ['deleteFunctionConcurrency with a malformed name is a ValidationException', (s) => s.deleteFunctionConcurrency('g!'), 'ValidationException', "Value 'g!'"],
  // event invoke config
  ['putFunctionEventInvokeConfig with maximumRetryAttempts 3 is a ValidationException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 3 }), 'ValidationException', 'maximumRetryAttempts'],
  ['putFunctionEventInvokeConfig with a good retry count and age 59 applies neither', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, maximumEventAgeInSeconds: 59 }), 'ValidationException', 'maximumEventAgeInSeconds'],
  ['putFunctionEventInvokeConfig without a setting is InvalidParameterValueException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f' }), 'InvalidParameterValueException', 'at least one'],
  ['putFunctionEventInvokeConfig on an unknown function is ResourceNotFoundException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'nope', maximumRetryAttempts: 0 }), 'ResourceNotFoundException', "The function doesn't exist."],
  ['putFunctionEventInvokeConfig on an unknown qualifier is ResourceNotFoundException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'nope', maximumRetryAttempts: 0 }), 'ResourceNotFoundException', "The function doesn't exist."],
  ['putFunctionEventInvokeConfig with the function as its own destination is InvalidParameterValueException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: `${ARN}:f` } } }), 'InvalidParameterValueException', 'for itself'],
  ['putFunctionEventInvokeConfig with a missing function destination is InvalidParameterValueException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: `${ARN}:nope` } } }), 'InvalidParameterValueException', `${ARN}:nope`],
  ['putFunctionEventInvokeConfig with a destination that is not an ARN is a ValidationException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: 'dlq' } } }), 'ValidationException', 'destinationConfig.onFailure.destination'],
  ['putFunctionEventInvokeConfig with an S3 bucket on success is InvalidParameterValueException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: 'arn:aws:s3:::b' } } }), 'InvalidParameterValueException', 'arn:aws:s3:::b'],
  ['putFunctionEventInvokeConfig with a qualifier that differs from the name\'s is InvalidParameterValueException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f:1', qualifier: '2', maximumRetryAttempts: 0 }), 'InvalidParameterValueException', 'derived qualifier'],
  ['putFunctionEventInvokeConfig with a malformed qualifier is a ValidationException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'a b', maximumRetryAttempts: 0 }), 'ValidationException', "Value 'a b' at 'qualifier'"],
  ['putFunctionEventInvokeConfig with a misspelt member is refused, not ignored', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 'f', maxRetryAttempts: 0, maximumEventAgeInSeconds: 60 })), 'SimulatorError', 'maxRetryAttempts'],
  ['putFunctionEventInvokeConfig with a destinationConfig that is not an object is refused', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 'f', destinationConfig: 'dlq' })), 'SimulatorError', 'destinationConfig'],
  ['putFunctionEventInvokeConfig with a misspelt destination side is refused', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 'f', destinationConfig: { onFail: { destination: QUEUE_ARN } } })), 'SimulatorError', 'onFail'],
  ['putFunctionEventInvokeConfig whose second destination object is refused registers neither', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: freshSink }, onFailure: { destination: foreign } } }), 'SimulatorError', QUEUE_ARN],
  ['putFunctionEventInvokeConfig with two different sink objects under one ARN registers neither', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onSuccess: { destination: freshSink }, onFailure: { destination: { ...freshSink } } } }), 'SimulatorError', freshSink.arn],
  ['putFunctionEventInvokeConfig with a fractional retry count is refused', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1.5 }), 'SimulatorError', 'maximumRetryAttempts'],
  ['updateFunctionEventInvokeConfig of a qualifier without a config is ResourceNotFoundException', (s) => s.updateFunctionEventInvokeConfig({ functionName: 'f', qualifier: '2', maximumRetryAttempts: 0 }), 'ResourceNotFoundException', `${ARN}:f:2 doesn't have an EventInvokeConfig`],
  ['updateFunctionEventInvokeConfig without a setting is InvalidParameterValueException', (s) => s.updateFunctionEventInvokeConfig({ functionName: 'f' }), 'InvalidParameterValueException', 'at least one'],
  ['updateFunctionEventInvokeConfig with maximumRetryAttempts -1 is a ValidationException', (s) => s.updateFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: -1 }), 'ValidationException', 'maximumRetryAttempts'],
  ['updateFunctionEventInvokeConfig with a misspelt member is refused, not ignored', (s) => s.updateFunctionEventInvokeConfig(fnOpts({ functionName: 'f', maximumEventAge: 60, maximumRetryAttempts: 0 })), 'SimulatorError', 'maximumEventAge'],
  ['deleteFunctionEventInvokeConfig of a qualifier without a config is ResourceNotFoundException', (s) => s.deleteFunctionEventInvokeConfig({ functionName: 'f', qualifier: '1' }), 'ResourceNotFoundException', `${ARN}:f:1 doesn't have an EventInvokeConfig`],
  ['deleteFunctionEventInvokeConfig with a malformed qualifier is a ValidationException', (s) => s.deleteFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'a b' }), 'ValidationException', 'qualifier'],
  ['deleteFunctionEventInvokeConfig on an unknown function is ResourceNotFoundException', (s) => s.deleteFunctionEventInvokeConfig({ functionName: 'nope' }), 'ResourceNotFoundException', `${ARN}:nope:$LATEST`],
  ['putFunctionEventInvokeConfig with a functionName that is a number', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 42, maximumRetryAttempts: 0 })), 'SimulatorError', 'Invalid functionName: expected a function name, an ARN or a function handle, got 42'],
  ['updateFunctionEventInvokeConfig with a functionName that is an array carrying a name', (s) => s.updateFunctionEventInvokeConfig(fnOpts({ functionName: Object.assign([], { name: 'f' }), maximumRetryAttempts: 0 })), 'SimulatorError', 'Invalid functionName: expected a function name, an ARN or a function handle, got []'],
  ['deleteFunctionEventInvokeConfig with a functionName that is null', (s) => s.deleteFunctionEventInvokeConfig(fnOpts({ functionName: null })), 'SimulatorError', 'Invalid functionName: expected a function name, an ARN or a function handle, got null'],
  ['putFunctionEventInvokeConfig with the handle of a function this simulator does not have is ResourceNotFoundException', (s) => s.putFunctionEventInvokeConfig({ functionName: { name: 'nope', arn: `${ARN}:nope` }, maximumRetryAttempts: 0 }), 'ResourceNotFoundException', "The function doesn't exist."],
  ['putFunctionEventInvokeConfig with the handle of the function itself as destination is InvalidParameterValueException', (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: { name: 'f', arn: `${ARN}:f` } } } }), 'InvalidParameterValueException', "You can't specify the function as a destination for itself."],
  ['putFunctionEventInvokeConfig with a destination that is neither an ARN, a sink nor a function handle', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 'f', destinationConfig: { onFailure: { destination: { name: 'q', arn: QUEUE_ARN } } } })), 'SimulatorError', `Invalid destination: expected an ARN string, a sink object (arn and deliver()) or a function handle, got {"name":"q","arn":"${QUEUE_ARN}"}`],
  ['deleteFunctionEventInvokeConfig without input is refused, not a TypeError', (s) => s.deleteFunctionEventInvokeConfig(undefined as never), 'SimulatorError', 'undefined'],
  // recursion config
  ['putFunctionRecursionConfig with an unknown value is a ValidationException', (s) => s.putFunctionRecursionConfig({ functionName: 'f', recursiveLoop: 'Sometimes' as never }), 'ValidationException', "Value 'Sometimes' at 'recursiveLoop'"],
  ['putFunctionRecursionConfig without a value is a ValidationException', (s) => s.putFunctionRecursionConfig(fnOpts({ functionName: 'f' })), 'ValidationException', "Value null at 'recursiveLoop'"],
  ['putFunctionRecursionConfig on a qualified name is a ValidationException', (s) => s.putFunctionRecursionConfig({ functionName: 'f:1', recursiveLoop: 'Allow' }), 'ValidationException', "Value 'f:1' at 'functionName'"],
  ['putFunctionRecursionConfig on an unknown function is ResourceNotFoundException', (s) => s.putFunctionRecursionConfig({ functionName: 'nope', recursiveLoop: 'Allow' }), 'ResourceNotFoundException', 'nope'],
  ['putFunctionRecursionConfig with an unknown member is refused', (s) => s.putFunctionRecursionConfig(fnOpts({ functionName: 'f', recursiveLoop: 'Allow', qualifier: '1' })), 'SimulatorError', 'qualifier'],
  ['putFunctionRecursionConfig with a functionName that is an array carrying a name', (s) => s.putFunctionRecursionConfig(fnOpts({ functionName: Object.assign([], { name: 'f' }), recursiveLoop: 'Terminate' })), 'SimulatorError', 'Invalid functionName: expected a function name, an ARN or a function handle, got []'],
  // testing toolkit and sinks
  ['deliverDuplicate of an unknown request id is refused', (s) => s.deliverDuplicate('00000000-0000-4000-8000-000000000000'), 'SimulatorError', '00000000-0000-4000-8000-000000000000'],
  ['deliverDuplicate with a negative delay is refused', (s) => s.deliverDuplicate(s.timeline.ofType('accepted')[0]?.requestId as string, { delayMs: -1 }), 'SimulatorError', 'delayMs'],
  ['deliverDuplicate with an unknown when is refused', (s) => s.deliverDuplicate(s.timeline.ofType('accepted')[0]?.requestId as string, { when: 'later' as never }), 'SimulatorError', 'later'],
  ['deliverDuplicate with an unknown option is refused', (s) => s.deliverDuplicate(s.timeline.ofType('accepted')[0]?.requestId as string, fnOpts({ delay: 5 })), 'SimulatorError', 'delay'],
  ['registerDestination of something that is not a destination is refused', (s) => s.registerDestination({ arn: QUEUE_ARN } as never), 'SimulatorError', 'deliver'],
  ['registerDestination of a second object under a taken ARN is refused', (s) => s.registerDestination(foreign), 'SimulatorError', QUEUE_ARN],
  // invoke
  ['invoke with a malformed qualifier is a ValidationException', (s) => s.invoke('f', {}, 'RequestResponse', { qualifier: 'a b' }), 'ValidationException', "Value 'a b' at 'qualifier'"],
  ['invoke with an unknown logType is a ValidationException', (s) => s.invoke('f', {}, 'RequestResponse', { logType: 'Full' as never }), 'ValidationException', "Value 'Full' at 'logType'"],
  ['invoke with a qualifier that differs from the name\'s is InvalidParameterValueException', (s) => s.invoke('f:1', {}, 'RequestResponse', { qualifier: '2' }), 'InvalidParameterValueException', 'derived qualifier'],
  ['invoke of an unknown alias is ResourceNotFoundException', (s) => s.invoke('f:beta', {}, 'Event'), 'ResourceNotFoundException', `${ARN}:f:beta`],
  ['invoke of $latest (case matters) is ResourceNotFoundException', (s) => s.invoke('f', {}, 'RequestResponse', { qualifier: '$latest' }), 'ResourceNotFoundException', '$latest'],
  ['invoke with a client context that is not base64 JSON is InvalidRequestContentException', (s) => s.invoke('f', {}, 'RequestResponse', { clientContext: '%%%' }), 'InvalidRequestContentException', 'Client context'],
  ['invoke with a null qualifier is refused, not a TypeError', (s) => s.invoke('f', {}, 'Event', { qualifier: null as never }), 'SimulatorError', 'qualifier'],
  ['invoke with a client context holding a BigInt is InvalidRequestContentException, not a TypeError', (s) => s.invoke('f', {}, 'RequestResponse', { clientContext: { n: 1n } as never }), 'InvalidRequestContentException', 'Client context'],
  ['an Event invoke over 1 MB through an alias is RequestEntityTooLargeException', (s) => s.invoke('f:live', 'x'.repeat(1_048_577), 'Event'), 'RequestEntityTooLargeException', 'Event'],
  ['invoking a bare handler with a circular payload registers no function', (s) => s.invoke(bareHandler, circular), 'InvalidRequestContentException', 'circular'],
  ['invoking a bare handler with a malformed qualifier registers no function', (s) => s.invoke(bareHandler, {}, 'RequestResponse', { qualifier: 'a b' }), 'ValidationException', 'qualifier'],
  ['invoking a bare handler with a bad invocation option registers no function', (s) => s.invoke(bareHandler, {}, 'RequestResponse', { clientContext: '%%%' }), 'InvalidRequestContentException', 'Client context'],
  // an array (or a function) where an options or input object is expected: refused, never read as an empty object
  ['createFunction with options an array (read as no options before)', (s) => s.createFunction('h', handlerC, fnOpts([])), 'SimulatorError', 'Invalid function options: expected an object, got []'],
  ['createFunction with options a function', (s) => s.createFunction('h', handlerC, fnOpts(() => 5)), 'SimulatorError', 'Invalid function options: expected an object, got a function'],
  ['createFunction with environment an array', (s) => s.createFunction('h', handlerC, fnOpts({ environment: [] })), 'SimulatorError', "Invalid environment: expected an object of string values ({ NAME: 'value' }), got []"],
  ['createFunction with deadLetterConfig an array', (s) => s.createFunction('h', handlerC, fnOpts({ deadLetterConfig: [] })), 'SimulatorError', 'Invalid deadLetterConfig: expected { targetArn: string } (an SQS queue or SNS topic ARN), got []'],
  ['updateFunctionConfiguration with options an array (changed nothing and said nothing before)', (s) => s.updateFunctionConfiguration('f', fnOpts([])), 'SimulatorError', 'Invalid updateFunctionConfiguration options: expected an object, got []'],
  ['updateFunctionConfiguration with options a function', (s) => s.updateFunctionConfiguration('f', fnOpts(() => 5)), 'SimulatorError', 'Invalid updateFunctionConfiguration options: expected an object, got a function'],
  ['publishVersion with options an array (published before)', (s) => s.publishVersion('f', fnOpts([])), 'SimulatorError', 'Invalid publishVersion options: expected { description? }, got []'],
  ['createAlias with input an array', (s) => s.createAlias('f', fnOpts([])), 'SimulatorError', 'Invalid createAlias input: expected { name, functionVersion, description?, routingConfig? }, got []'],
  ['createAlias with a routingConfig that is an array', (s) => s.createAlias('f', fnOpts({ name: 'beta', functionVersion: '1', routingConfig: [] })), 'SimulatorError', 'Invalid routingConfig: expected { additionalVersionWeights?: { <version>: <weight 0.0-1.0> } }, got []'],
  ['updateAlias with input an array', (s) => s.updateAlias('f', fnOpts([])), 'SimulatorError', 'Invalid updateAlias input: expected { name, functionVersion?, description?, routingConfig?, revisionId? }, got []'],
  ['updateAlias with additionalVersionWeights an array', (s) => s.updateAlias('f', fnOpts({ name: 'live', routingConfig: { additionalVersionWeights: [] } })), 'SimulatorError', 'Invalid routingConfig: expected { additionalVersionWeights?: { <version>: <weight 0.0-1.0> } }, got {"additionalVersionWeights":[]}'],
  ['listAliases with options an array (listed all before)', (s) => s.listAliases('f', fnOpts([])), 'SimulatorError', 'Invalid listAliases options: expected { functionVersion?, marker?, maxItems? }, got []'],
  ['listVersionsByFunction with options an array (listed all before)', (s) => s.listVersionsByFunction('f', fnOpts([])), 'SimulatorError', 'Invalid listVersionsByFunction options: expected { marker?, maxItems? }, got []'],
  ['putFunctionEventInvokeConfig with input an array', (s) => s.putFunctionEventInvokeConfig(fnOpts([])), 'SimulatorError', 'Invalid event invoke config: expected an object, got []'],
  ['updateFunctionEventInvokeConfig with input a function', (s) => s.updateFunctionEventInvokeConfig(fnOpts(() => 5)), 'SimulatorError', 'Invalid event invoke config: expected an object, got a function'],
  ['putFunctionEventInvokeConfig with a destinationConfig that is an array', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 'f', destinationConfig: [] })), 'SimulatorError', 'Invalid destinationConfig for putFunctionEventInvokeConfig: expected { onSuccess?: { destination? }, onFailure?: { destination? } }, got []'],
  ['putFunctionEventInvokeConfig with a destinationConfig.onFailure that is an array', (s) => s.putFunctionEventInvokeConfig(fnOpts({ functionName: 'f', destinationConfig: { onFailure: [] } })), 'SimulatorError', 'Invalid destinationConfig.onFailure for putFunctionEventInvokeConfig: expected { destination?: ARN or sink object }, got []'],
  ['deleteFunctionEventInvokeConfig with input an array', (s) => s.deleteFunctionEventInvokeConfig(fnOpts([])), 'SimulatorError', 'Invalid deleteFunctionEventInvokeConfig input: expected { functionName, qualifier? }, got []'],
  ['getFunctionEventInvokeConfig with input an array', (s) => s.getFunctionEventInvokeConfig(fnOpts([])), 'SimulatorError', 'Invalid getFunctionEventInvokeConfig input: expected { functionName, qualifier? }, got []'],
  ['listFunctionEventInvokeConfigs with input an array', (s) => s.listFunctionEventInvokeConfigs(fnOpts([])), 'SimulatorError', 'Invalid listFunctionEventInvokeConfigs input: expected { functionName, qualifier? }, got []'],
  ['invoke with options an array (read as no options before)', (s) => s.invoke('f', {}, 'Event', fnOpts([])), 'SimulatorError', 'Invalid invoke options: expected an object, got []'],
  ['invoke with options a function', (s) => s.invoke('f', {}, 'RequestResponse', fnOpts(() => 5)), 'SimulatorError', 'Invalid invoke options: expected an object, got a function'],
  ['invoke of an array', (s) => s.invoke([], {}), 'SimulatorError', 'Invalid function reference: expected a name, an ARN, a function handle or a handler, got []'],
  ['invoke of an array carrying a name (read as the handle of f before)', (s) => s.invoke(Object.assign([], { name: 'f' }), {}), 'SimulatorError', 'Invalid function reference: expected a name, an ARN, a function handle or a handler, got []'],
]

const send = (client: LambdaClient, command: unknown): Promise<unknown> => client.send(command as never)

/** The same operations through the SDK adapter. */
const viaSdk: Entry[] = [
  ['SDK PutFunctionConcurrency below 0 is a ValidationException', (_s, c) => send(c, new PutFunctionConcurrencyCommand({ FunctionName: 'f', ReservedConcurrentExecutions: -1 })), 'ValidationException', "Value '-1'"],
  ['SDK PutFunctionConcurrency without a value is a ValidationException', (_s, c) => send(c, new PutFunctionConcurrencyCommand(fnOpts({ FunctionName: 'f' }))), 'ValidationException', "Value null at 'reservedConcurrentExecutions'"],
  ['SDK PutFunctionConcurrency leaving 99 unreserved is InvalidParameterValueException', (_s, c) => send(c, new PutFunctionConcurrencyCommand({ FunctionName: 'f', ReservedConcurrentExecutions: 896 })), 'InvalidParameterValueException', '[100]'],
  ['SDK DeleteFunctionConcurrency of an unknown function is ResourceNotFoundException', (_s, c) => send(c, new DeleteFunctionConcurrencyCommand({ FunctionName: 'nope' })), 'ResourceNotFoundException', 'nope'],
  ['SDK CreateAlias without FunctionVersion is a ValidationException', (_s, c) => send(c, new CreateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'beta' }))), 'ValidationException', "Value null at 'functionVersion'"],
  ['SDK CreateAlias to $LATEST with routing is InvalidParameterValueException', (_s, c) => send(c, new CreateAliasCommand({ FunctionName: 'f', Name: 'beta', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })), 'InvalidParameterValueException', '$LATEST is not supported'],
  ['SDK CreateAlias pointing at a missing version is ResourceNotFoundException', (_s, c) => send(c, new CreateAliasCommand({ FunctionName: 'f', Name: 'beta', FunctionVersion: '9' })), 'ResourceNotFoundException', `${ARN}:f:9`],
  ['SDK CreateAlias with a Description that is not a string is refused, not dropped', (_s, c) => send(c, new CreateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'beta', FunctionVersion: '1', Description: 42 }))), 'InvalidRequestContentException', 'Description must be a string, got 42'],
  ['SDK CreateAlias with a RoutingConfig that is not an object is refused', (_s, c) => send(c, new CreateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'beta', FunctionVersion: '1', RoutingConfig: 'half' }))), 'InvalidRequestContentException', 'RoutingConfig must be an object, got "half"'],
  ['SDK UpdateAlias with a stale RevisionId is PreconditionFailedException and leaves the alias as it was', (_s, c) => send(c, new UpdateAliasCommand({ FunctionName: 'f', Name: 'live', FunctionVersion: '2', RevisionId: '00000000-0000-4000-8000-000000000000' })), 'PreconditionFailedException', 'Revision Id'],
  ['SDK UpdateAlias with a RevisionId that is not a string is refused, not ignored', (_s, c) => send(c, new UpdateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'dev', Description: 'x', RevisionId: 42 }))), 'InvalidRequestContentException', 'RevisionId must be a string, got 42'],
  ['SDK UpdateAlias with a FunctionVersion that is not a string is refused, not ignored', (_s, c) => send(c, new UpdateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'dev', FunctionVersion: 1 }))), 'InvalidRequestContentException', 'FunctionVersion must be a string, got 1'],
  ['SDK UpdateAlias of a missing alias is ResourceNotFoundException', (_s, c) => send(c, new UpdateAliasCommand({ FunctionName: 'f', Name: 'nope', FunctionVersion: '1' })), 'ResourceNotFoundException', 'Alias not found'],
  ['SDK DeleteAlias on a qualified name is InvalidParameterValueException', (_s, c) => send(c, new DeleteAliasCommand({ FunctionName: 'f:1', Name: 'live' })), 'InvalidParameterValueException', 'permitted on Lambda functions only'],
  ['SDK PublishVersion with a stale CodeSha256 is InvalidParameterValueException', (_s, c) => send(c, new PublishVersionCommand({ FunctionName: 'f', CodeSha256: 'stale' })), 'InvalidParameterValueException', 'CodeSHA256 (stale)'],
  ['SDK PublishVersion with a stale RevisionId is PreconditionFailedException', (_s, c) => send(c, new PublishVersionCommand({ FunctionName: 'f', RevisionId: '00000000-0000-4000-8000-000000000000' })), 'PreconditionFailedException', 'Revision Id'],
  ['SDK PublishVersion with a Description over 256 characters is a ValidationException', (_s, c) => send(c, new PublishVersionCommand({ FunctionName: 'f', Description: 'd'.repeat(257) })), 'ValidationException', 'description'],
  ['SDK PublishVersion with a RevisionId that is not a string is refused, not ignored', (_s, c) => send(c, new PublishVersionCommand(fnOpts({ FunctionName: 'f', RevisionId: 42 }))), 'InvalidRequestContentException', 'RevisionId must be a string, got 42'],
  ['SDK PublishVersion with a Description that is not a string is refused, not ignored', (_s, c) => send(c, new PublishVersionCommand(fnOpts({ FunctionName: 'f', Description: 42 }))), 'InvalidRequestContentException', 'Description must be a string, got 42'],
  ['SDK PutFunctionEventInvokeConfig with MaximumRetryAttempts 3 is a ValidationException', (_s, c) => send(c, new PutFunctionEventInvokeConfigCommand({ FunctionName: 'f', MaximumRetryAttempts: 3 })), 'ValidationException', 'maximumRetryAttempts'],
  ['SDK PutFunctionEventInvokeConfig with a string retry count is InvalidRequestContentException', (_s, c) => send(c, new PutFunctionEventInvokeConfigCommand(fnOpts({ FunctionName: 'f', MaximumRetryAttempts: '1' }))), 'InvalidRequestContentException', 'maximumRetryAttempts'],
  ['SDK PutFunctionEventInvokeConfig with an S3 bucket on success is InvalidParameterValueException', (_s, c) => send(c, new PutFunctionEventInvokeConfigCommand({ FunctionName: 'f', DestinationConfig: { OnSuccess: { Destination: 'arn:aws:s3:::b' } } })), 'InvalidParameterValueException', 'arn:aws:s3:::b'],
  ['SDK PutFunctionEventInvokeConfig with a DestinationConfig that is not an object is refused', (_s, c) => send(c, new PutFunctionEventInvokeConfigCommand(fnOpts({ FunctionName: 'f', DestinationConfig: 'dlq' }))), 'InvalidRequestContentException', 'DestinationConfig must be an object, got "dlq"'],
  ['SDK PutFunctionEventInvokeConfig with a Destination that is not a string is refused', (_s, c) => send(c, new PutFunctionEventInvokeConfigCommand(fnOpts({ FunctionName: 'f', DestinationConfig: { OnFailure: { Destination: 42 } } }))), 'InvalidRequestContentException', 'DestinationConfig.OnFailure.Destination must be a string, got 42'],
  ['SDK UpdateFunctionEventInvokeConfig of a qualifier without a config is ResourceNotFoundException', (_s, c) => send(c, new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'f', Qualifier: '2', MaximumRetryAttempts: 0 })), 'ResourceNotFoundException', "doesn't have an EventInvokeConfig"],
  ['SDK DeleteFunctionEventInvokeConfig of a qualifier without a config is ResourceNotFoundException', (_s, c) => send(c, new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'f', Qualifier: '1' })), 'ResourceNotFoundException', "doesn't have an EventInvokeConfig"],
  ['SDK PutFunctionRecursionConfig with an unknown value is a ValidationException', (_s, c) => send(c, new PutFunctionRecursionConfigCommand({ FunctionName: 'f', RecursiveLoop: 'Sometimes' as never })), 'ValidationException', "Value 'Sometimes' at 'recursiveLoop'"],
  ['SDK Invoke with a malformed Qualifier is a ValidationException', (_s, c) => send(c, new InvokeCommand({ FunctionName: 'f', Qualifier: 'a b' })), 'ValidationException', "Value 'a b' at 'qualifier'"],
  ['SDK Invoke of an unknown alias is ResourceNotFoundException', (_s, c) => send(c, new InvokeCommand({ FunctionName: 'f', Qualifier: 'beta', InvocationType: 'Event' })), 'ResourceNotFoundException', `${ARN}:f:beta`],
  ['wire PutFunctionEventInvokeConfig with a DestinationConfig that is an array is refused, not read as empty', (s) => wire(s, 'PUT', '/2019-09-25/functions/f/event-invoke-config', { MaximumRetryAttempts: 0, DestinationConfig: [] }), 'InvalidRequestContentException', 'Could not parse request body into json: DestinationConfig must be an object, got []'],
  ['wire UpdateFunctionEventInvokeConfig with a DestinationConfig.OnFailure that is an array is refused', (s) => wire(s, 'POST', '/2019-09-25/functions/f/event-invoke-config', { DestinationConfig: { OnFailure: [] } }), 'InvalidRequestContentException', 'Could not parse request body into json: DestinationConfig.OnFailure must be an object, got []'],
  ['wire CreateAlias with a RoutingConfig that is an array is refused', (s) => wire(s, 'POST', '/2015-03-31/functions/f/aliases', { Name: 'beta', FunctionVersion: '1', RoutingConfig: [] }), 'InvalidRequestContentException', 'Could not parse request body into json: RoutingConfig must be an object, got []'],
  ['wire PutFunctionEventInvokeConfig with a body that is an array (read as an empty body before)', (s) => wire(s, 'PUT', '/2019-09-25/functions/f/event-invoke-config', [{ MaximumRetryAttempts: 0 }]), 'InvalidRequestContentException', 'Could not parse request body into json: the request body must be an object, got [{"MaximumRetryAttempts":0}]'],
  ['wire CreateAlias with a body that is a string', (s) => wire(s, 'POST', '/2015-03-31/functions/f/aliases', 'beta'), 'InvalidRequestContentException', 'Could not parse request body into json: the request body must be an object, got "beta"'],
  ['SDK UpdateAlias with AdditionalVersionWeights that is an array is refused', (_s, c) => send(c, new UpdateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'live', RoutingConfig: { AdditionalVersionWeights: [] } }))), 'InvalidRequestContentException', 'Could not parse request body into json: RoutingConfig.AdditionalVersionWeights must be an object, got []'],
]

const catalogue: Entry[] = [...inProcess, ...viaSdk]

/** The next request id the simulator would draw: equal on two simulators only if their seeded sources are in step. */
async function nextDraw(sim: Simulator): Promise<string> {
  return (await sim.invoke('f', {}, 'DryRun')).requestId
}

describe('a refused Lambda control-plane call changes nothing', () => {
  it('the catalogue holds at least 60 distinct rules', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(60)
    expect(new Set(catalogue.map(([label]) => label)).size).toBe(catalogue.length)
  })

  it('the snapshot sees each kind of change (a control for the catalogue)', async () => {
    const changes: ((s: Simulator) => unknown)[] = [
      (s) => s.updateFunctionConfiguration('f', { memorySize: 256 }),
      (s) => s.updateFunctionCode('f', handlerC),
      (s) => s.publishVersion('f'),
      (s) => s.updateAlias('f', { name: 'dev' }),
      (s) => s.deleteAlias('f', 'dev'),
      (s) => s.putFunctionConcurrency('f', 3),
      (s) => s.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: '2', maximumRetryAttempts: 0 }),
      (s) => s.putFunctionRecursionConfig({ functionName: 'f', recursiveLoop: 'Allow' }),
      (s) => s.registerDestination(freshSink),
      (s) => s.createFunction('h', handlerC),
      (s) => s.invoke(bareHandler, {}, 'DryRun'),
    ]
    for (const change of changes) {
      const sim = await setup()
      const before = snapshot(sim)
      await change(sim)
      expect(snapshot(sim), String(change)).not.toBe(before)
    }
  })

  it.each(catalogue)('%s', async (_label, call, name, text) => {
    const sim = await setup()
    const twin = await setup()
    const before = snapshot(sim)
    const error = await thrownBy(() => call(sim, lambdaClient(sim)))
    expect(error, 'the call must be refused').toBeInstanceOf(Error)
    expect((error as Error).name).toBe(name)
    expect((error as Error).message).toContain(text)
    expect((error as Error).name, 'no crash deep inside').not.toMatch(/^(TypeError|RangeError|ReferenceError)$/)
    expect(snapshot(sim)).toBe(before)
    // The seeded source moved in step with a twin that never saw the call.
    expect(await nextDraw(sim)).toBe(await nextDraw(twin))
  })
})

describe('updateFunctionConfiguration changes only what it is given', () => {
  it('an option set to undefined keeps its value (the SDK leaves such members out), including the DLQ and init', async () => {
    const sim = await setup()
    const init = (): string => 'init'
    sim.updateFunctionConfiguration('f', { memorySize: 256, environment: { AB: '1' }, description: 'kept', init })
    const before = snapshot(sim)
    sim.updateFunctionConfiguration('f', { timeout: undefined, memorySize: undefined, environment: undefined, description: undefined, deadLetterConfig: undefined, init: undefined } as never)
    const latest = internals(sim).registry.get('f')?.latest
    expect([latest?.timeoutMs, latest?.memorySize, latest?.environment, latest?.description, latest?.deadLetterTargetArn, latest?.init]).toEqual([7_000, 256, { AB: '1' }, 'kept', QUEUE_ARN, init])
    // Only the environments are renewed, as after any update.
    expect(snapshot(sim).replace(/"generation":\d+,"idle":\d+/g, '')).toBe(before.replace(/"generation":\d+,"idle":\d+/g, ''))
  })

  it('updateFunctionCode and updateFunctionConfiguration accept a name qualified with $LATEST', async () => {
    const sim = await setup()
    sim.updateFunctionCode('f:$LATEST', handlerC)
    sim.updateFunctionConfiguration(`${ARN}:f:$LATEST`, { timeout: 11 })
    const latest = internals(sim).registry.get('f')?.latest
    expect([latest?.handler, latest?.timeoutMs]).toEqual([handlerC, 11_000])
  })

  it('TZ and other unreserved runtime variables can be set', async () => {
    const sim = await setup()
    sim.updateFunctionConfiguration('f', { environment: { TZ: 'Asia/Tokyo', NODE_OPTIONS: '--enable-source-maps', AWS_REGION_NAME: 'x' } })
    expect(internals(sim).registry.get('f')?.latest.environment).toEqual({ TZ: 'Asia/Tokyo', NODE_OPTIONS: '--enable-source-maps', AWS_REGION_NAME: 'x' })
  })

  it('environment variables of exactly 4,096 bytes of compact JSON are accepted, one more byte is not', async () => {
    const sim = await setup()
    sim.createFunction('h', handlerC, { environment: { BIG: 'x'.repeat(4086) } })
    expect(JSON.stringify(internals(sim).registry.get('h')?.latest.environment).length).toBe(4096)
    expect(() => sim.createFunction('h2', handlerC, { environment: { BIG: 'é'.repeat(2044) } })).toThrow(/exceeded the 4KB limit/)
    expect(internals(sim).registry.get('h2')).toBeUndefined()
  })

  it('an unknown option names updateFunctionConfiguration, not createFunction', async () => {
    const sim = await setup()
    expect(() => sim.updateFunctionConfiguration('f', { colour: 'blue' } as never)).toThrow(/Unknown option "colour" for updateFunctionConfiguration/)
  })
})

describe('the SDK adapter refuses what the in-process API refuses, with the same exception and text', () => {
  const pairs: [string, Call, Call][] = [
    ['a stale alias RevisionId', (s) => s.updateAlias('f', { name: 'live', revisionId: 'x' }), (_s, c) => send(c, new UpdateAliasCommand({ FunctionName: 'f', Name: 'live', RevisionId: 'x' }))],
    ['an alias routed to $LATEST', (s) => s.createAlias('f', { name: 'b', functionVersion: '$LATEST', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }), (_s, c) => send(c, new CreateAliasCommand({ FunctionName: 'f', Name: 'b', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }))],
    ['a routing weight of 2', (s) => s.updateAlias('f', { name: 'live', routingConfig: { additionalVersionWeights: { '2': 2 } } }), (_s, c) => send(c, new UpdateAliasCommand({ FunctionName: 'f', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 2 } } }))],
    ['an alias description over 256 characters', (s) => s.updateAlias('f', { name: 'dev', description: 'd'.repeat(257) }), (_s, c) => send(c, new UpdateAliasCommand({ FunctionName: 'f', Name: 'dev', Description: 'd'.repeat(257) }))],
    ['reserved concurrency leaving 99', (s) => s.putFunctionConcurrency('f', 896), (_s, c) => send(c, new PutFunctionConcurrencyCommand({ FunctionName: 'f', ReservedConcurrentExecutions: 896 }))],
    ['a publish description over 256 characters', (s) => s.publishVersion('f', { description: 'd'.repeat(257) }), (_s, c) => send(c, new PublishVersionCommand({ FunctionName: 'f', Description: 'd'.repeat(257) }))],
    ['a config on a qualifier without one', (s) => s.updateFunctionEventInvokeConfig({ functionName: 'f', qualifier: '2', maximumRetryAttempts: 1 }), (_s, c) => send(c, new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'f', Qualifier: '2', MaximumRetryAttempts: 1 }))],
    ['an alias without a FunctionVersion', (s) => s.createAlias('f', fnOpts({ name: 'b' })), (_s, c) => send(c, new CreateAliasCommand(fnOpts({ FunctionName: 'f', Name: 'b' })))],
    ['an unknown recursion value', (s) => s.putFunctionRecursionConfig({ functionName: 'f', recursiveLoop: 'Never' as never }), (_s, c) => send(c, new PutFunctionRecursionConfigCommand({ FunctionName: 'f', RecursiveLoop: 'Never' as never }))],
  ]
  it.each(pairs)('%s', async (_label, inProc, sdk) => {
    const a = await setup()
    const b = await setup()
    const [beforeA, beforeB] = [snapshot(a), snapshot(b)]
    const e1 = (await thrownBy(() => inProc(a, lambdaClient(a)))) as Error
    const e2 = (await thrownBy(() => sdk(b, lambdaClient(b)))) as Error
    expect(e1).toBeInstanceOf(Error)
    expect(e2).toBeInstanceOf(Error)
    expect([e2.name, e2.message]).toEqual([e1.name, e1.message])
    expect(snapshot(a)).toBe(beforeA)
    expect(snapshot(b)).toBe(beforeB)
  })
})

describe('property: a random valid setup, then a random refused call, leaves the snapshot unchanged', () => {
  /** Extra valid state on top of the base setup: more functions, versions, aliases, configs. */
  const extras = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('function' as const), name: fc.constantFrom('h1', 'h2', 'h3'), timeout: fc.integer({ min: 1, max: 900 }), memorySize: fc.integer({ min: 128, max: 10_240 }) }),
      fc.record({ kind: fc.constant('publish' as const), name: fc.constantFrom('h1', 'h2', 'h3'), timeout: fc.integer({ min: 1, max: 900 }) }),
      fc.record({ kind: fc.constant('alias' as const), fn: fc.constantFrom('h1', 'h2', 'h3', 'f'), name: fc.constantFrom('a1', 'a2', 'a3'), weight: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }) }),
      fc.record({ kind: fc.constant('config' as const), fn: fc.constantFrom('h1', 'h2', 'h3', 'f'), qualifier: fc.constantFrom(undefined, 'a1', 'a2'), retries: fc.integer({ min: 0, max: 2 }), age: fc.integer({ min: 60, max: 21_600 }) }),
      fc.record({ kind: fc.constant('concurrency' as const), fn: fc.constantFrom('h1', 'h2', 'h3'), n: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ kind: fc.constant('recursion' as const), fn: fc.constantFrom('h1', 'h2', 'h3', 'f'), loop: fc.constantFrom('Allow' as const, 'Terminate' as const) }),
      fc.record({ kind: fc.constant('event' as const), fn: fc.constantFrom('f', 'g', 'f:live', 'f:1'), advance: fc.integer({ min: 0, max: 90_000 }) }),
    ),
    { maxLength: 8 },
  )
  type Extra = typeof extras extends fc.Arbitrary<(infer T)[]> ? T : never

  /** Apply an extra step; steps that do not apply to the state so far are skipped (the setup stays valid). */
  async function apply(sim: Simulator, x: Extra): Promise<void> {
    const impl = internals(sim)
    const has = (name: string): boolean => impl.registry.get(name.split(':')[0] as string) !== undefined
    switch (x.kind) {
      case 'function':
        if (!has(x.name)) sim.createFunction(x.name, async () => x.name, { timeout: x.timeout, memorySize: x.memorySize })
        return
      case 'publish':
        if (has(x.name)) {
          sim.updateFunctionConfiguration(x.name, { timeout: x.timeout })
          sim.publishVersion(x.name)
        }
        return
      case 'alias': {
        const fn = impl.registry.get(x.fn)
        if (fn === undefined || fn.aliases.has(x.name) || fn.versions.size === 0) return
        const versions = [...fn.versions.keys()]
        const routing = x.weight !== undefined && versions.length > 1 ? { additionalVersionWeights: { [versions[1] as string]: x.weight } } : undefined
        sim.createAlias(x.fn, { name: x.name, functionVersion: versions[0] as string, ...(routing === undefined ? {} : { routingConfig: routing }) })
        return
      }
      case 'config': {
        const fn = impl.registry.get(x.fn)
        if (fn === undefined || (x.qualifier !== undefined && !impl.registry.hasQualifier(fn, x.qualifier))) return
        sim.putFunctionEventInvokeConfig({ functionName: x.fn, ...(x.qualifier === undefined ? {} : { qualifier: x.qualifier }), maximumRetryAttempts: x.retries, maximumEventAgeInSeconds: x.age })
        return
      }
      case 'concurrency':
        if (has(x.fn)) sim.putFunctionConcurrency(x.fn, x.n)
        return
      case 'recursion':
        if (has(x.fn)) sim.putFunctionRecursionConfig({ functionName: x.fn, recursiveLoop: x.loop })
        return
      case 'event':
        await sim.invoke(x.fn, { x: 1 }, 'Event')
        await sim.advanceBy(x.advance)
        return
    }
  }

  it('holds for 100 runs over the whole catalogue', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), extras, fc.nat({ max: catalogue.length - 1 }), async (seed, steps, pick) => {
        const sim = await setup(seed)
        for (const step of steps) await apply(sim, step)
        const [label, call, name, text] = catalogue[pick] as Entry
        const before = snapshot(sim)
        const error = await thrownBy(() => call(sim, lambdaClient(sim)))
        expect(error, label).toBeInstanceOf(Error)
        expect((error as Error).name, label).toBe(name)
        expect((error as Error).message, label).toContain(text)
        expect(snapshot(sim), label).toBe(before)
      }),
      { numRuns: 100, seed: 20_261_206 },
    )
  })
})
