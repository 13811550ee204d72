import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  paginateListAliases,
  paginateListVersionsByFunction,
  UpdateAliasCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetFunctionRecursionConfigCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaServiceException,
  ListFunctionEventInvokeConfigsCommand,
  AddPermissionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutFunctionRecursionConfigCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import { IMPLEMENTED_OPERATIONS, lambdaClient, simulatorRequestHandler } from '../src/sdk/index.js'
import { lambdaErr, rejection } from './helpers/errors.js'

const START = Date.parse('2026-01-01T00:00:00.000Z')
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'

function setup(): { sim: Simulator; client: LambdaClient } {
  const sim = createSimulator()
  sim.createFunction('fn', async () => 'ok', { timeout: 30, memorySize: 256, environment: { STAGE: 'test' } })
  sim.createFunction('other', async () => 'other')
  return { sim, client: lambdaClient(sim) }
}

describe('event invoke config through the SDK', () => {
  test('Put answers the stored config with a qualified FunctionArn, LastModified as a Date and both destination sides', async () => {
    const { sim, client } = setup()
    await sim.advanceBy(1500)
    const queue = sim.createQueue('dlq')
    const r = await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: queue.arn } } }))
    expect(r.FunctionArn).toBe(`${ARN}:fn:$LATEST`)
    expect(r.LastModified).toEqual(new Date(START + 1500))
    expect(r.MaximumRetryAttempts).toBe(1)
    expect(r.MaximumEventAgeInSeconds).toBeUndefined()
    expect(r.DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: { Destination: queue.arn } })
    expect(sim.getFunctionEventInvokeConfig({ functionName: 'fn' }).maximumRetryAttempts).toBe(1)
  })

  test('Put replaces, Update merges, Get reads, List pages with NextMarker, Delete answers 204', async () => {
    const { sim, client } = setup()
    sim.publishVersion('fn')
    await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }))
    await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn', MaximumRetryAttempts: 0 }))
    expect((await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'fn' }))).MaximumEventAgeInSeconds).toBeUndefined()
    const u = await client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'fn', MaximumEventAgeInSeconds: 120 }))
    expect([u.MaximumRetryAttempts, u.MaximumEventAgeInSeconds]).toEqual([0, 120])
    await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn', Qualifier: '1', MaximumRetryAttempts: 1 }))
    const page1 = await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'fn', MaxItems: 1 }))
    expect(page1.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN}:fn:$LATEST`])
    expect(page1.NextMarker).toBeDefined()
    const page2 = await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'fn', MaxItems: 1, Marker: page1.NextMarker as string }))
    expect(page2.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toEqual([`${ARN}:fn:1`])
    expect(page2.NextMarker).toBeUndefined()
    const d = await client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'fn', Qualifier: '1' }))
    expect(d.$metadata.httpStatusCode).toBe(204)
    expect(sim.listFunctionEventInvokeConfigs({ functionName: 'fn' }).functionEventInvokeConfigs).toHaveLength(1)
  })

  test('error paths: no setting, missing function, missing config, out-of-range numbers, bad destination, bad MaxItems', async () => {
    const { client } = setup()
    const none = await rejection(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn' })))
    expect(none).toBeInstanceOf(InvalidParameterValueException)
    expect(none.message).toBe('You must specify at least one of error handling or destination setting.')
    const missingFn = await rejection(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'ghost', MaximumRetryAttempts: 1 })))
    expect(missingFn).toBeInstanceOf(ResourceNotFoundException)
    expect(missingFn.message).toBe("The function doesn't exist.")
    const missingConfig = await rejection(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'fn' })))
    expect(missingConfig).toBeInstanceOf(ResourceNotFoundException)
    expect(missingConfig.message).toBe(`The function ${ARN}:fn:$LATEST doesn't have an EventInvokeConfig`)
    const update = await rejection(client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'fn', MaximumRetryAttempts: 1 })))
    expect(update.message).toBe(`The function ${ARN}:fn:$LATEST doesn't have an EventInvokeConfig`)
    const del = await rejection(client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'fn' })))
    expect(del).toBeInstanceOf(ResourceNotFoundException)
    const range = await rejection(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn', MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 44444 })))
    expect(range.name).toBe('ValidationException')
    expect(range).toBeInstanceOf(LambdaServiceException)
    expect(range.message).toBe(
      "2 validation errors detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2; Value '44444' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
    )
    const self = await rejection(client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fn', DestinationConfig: { OnSuccess: { Destination: `${ARN}:fn` } } })))
    expect(self.message).toBe("You can't specify the function as a destination for itself.")
    const list = await rejection(client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'ghost' })))
    expect([list.name, list.message]).toEqual(['ResourceNotFoundException', "The function doesn't exist."])
    const max = await rejection(client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'fn', MaxItems: 51 })))
    expect(max.message).toBe("1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50")
    const qual = await rejection(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'fn:1', Qualifier: '2' })))
    expect(qual).toBeInstanceOf(InvalidParameterValueException)
  })

  test('a config put through the SDK drives async retries exactly as the in-process one', async () => {
    const { sim, client } = setup()
    sim.createFunction('fails', async () => {
      throw new Error('nope')
    })
    const queue = sim.createQueue('failures')
    await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fails', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: queue.arn } } }))
    const r = await client.send(new InvokeCommand({ FunctionName: 'fails', InvocationType: 'Event' }))
    await sim.runUntilIdle()
    expect(sim.timeline.ofType('attempt-started').map((e) => e.time - START)).toEqual([0, 60_000])
    expect(queue.messages).toHaveLength(1)
    expect((queue.bodies[0] as { requestContext: { requestId: string; condition: string } }).requestContext).toMatchObject({ requestId: r.$metadata.requestId, condition: 'RetriesExhausted' })
  })
})

describe('reserved concurrency through the SDK', () => {
  test('Put answers the value, Get reads it (or {} when unset), Delete answers 204', async () => {
    const { sim, client } = setup()
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'fn' }))).ReservedConcurrentExecutions).toBeUndefined()
    const put = await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 5 }))
    expect(put.ReservedConcurrentExecutions).toBe(5)
    expect(sim.getFunctionConcurrency('fn')).toEqual({ reservedConcurrentExecutions: 5 })
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: `${ARN}:fn` }))).ReservedConcurrentExecutions).toBe(5)
    const del = await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'fn' }))
    expect(del.$metadata.httpStatusCode).toBe(204)
    expect(sim.getFunctionConcurrency('fn')).toEqual({})
  })

  test('error paths: qualified name, too much reserved, negative, missing value, unknown function', async () => {
    const { client } = setup()
    const q = await rejection(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn:1', ReservedConcurrentExecutions: 1 })))
    expect(q).toBeInstanceOf(InvalidParameterValueException)
    expect(q.message).toBe('This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.')
    const big = await rejection(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 901 })))
    expect(big.message).toBe("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
    const neg = await rejection(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: -1 })))
    expect([neg.name, neg.message]).toEqual(['ValidationException', "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"])
    const missing = await rejection(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn' } as never)))
    expect(missing.message).toBe("1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null")
    const ghost = await rejection(client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'ghost' })))
    expect(ghost).toBeInstanceOf(ResourceNotFoundException)
    expect(ghost.message).toBe(`Function not found: ${ARN}:ghost`)
    const delGhost = await rejection(client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'ghost' })))
    expect(delGhost).toBeInstanceOf(ResourceNotFoundException)
  })

  test('PutFunctionConcurrency on an unknown function names its $LATEST ARN', async () => {
    const { sim, client } = setup()
    const put = await rejection(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'doesnotexist', ReservedConcurrentExecutions: 1 })))
    expect([put.name, put.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:doesnotexist:$LATEST`])
    expect(lambdaErr(() => sim.putFunctionConcurrency('doesnotexist', 0))).toEqual(['ResourceNotFoundException', 404, `Function not found: ${ARN}:doesnotexist:$LATEST`])
  })
})

describe('versions, aliases and GetFunction through the SDK', () => {
  test('PublishVersion answers 201 with the version configuration; publishing unchanged code returns the same version', async () => {
    const { client } = setup()
    const v1 = await client.send(new PublishVersionCommand({ FunctionName: 'fn', Description: 'first' }))
    expect(v1.$metadata.httpStatusCode).toBe(201)
    expect(v1).toMatchObject({ FunctionName: 'fn', FunctionArn: `${ARN}:fn:1`, Version: '1', Description: 'first', Timeout: 30, MemorySize: 256, Runtime: 'nodejs22.x', State: 'Active', Environment: { Variables: { STAGE: 'test' } } })
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    expect(again.Version).toBe('1')
  })

  test('PublishVersion error paths: CodeSha256 and RevisionId mismatches, qualified name, unknown function', async () => {
    const { client } = setup()
    const current = await client.send(new GetFunctionCommand({ FunctionName: 'fn' }))
    const sha = current.Configuration?.CodeSha256 as string
    const e1 = await rejection(client.send(new PublishVersionCommand({ FunctionName: 'fn', CodeSha256: 'abc' })))
    expect(e1).toBeInstanceOf(InvalidParameterValueException)
    expect(e1.message).toBe(`CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST (${sha}). Please try again with the CodeSHA256 in $LATEST.`)
    const e2 = await rejection(client.send(new PublishVersionCommand({ FunctionName: 'fn', RevisionId: 'stale' })))
    expect(e2).toBeInstanceOf(PreconditionFailedException)
    expect((e2['$metadata'] as { httpStatusCode: number }).httpStatusCode).toBe(412)
    const ok = await client.send(new PublishVersionCommand({ FunctionName: 'fn', CodeSha256: sha, RevisionId: current.Configuration?.RevisionId as string }))
    expect(ok.Version).toBe('1')
    const e3 = await rejection(client.send(new PublishVersionCommand({ FunctionName: 'fn:1' })))
    expect(e3).toBeInstanceOf(InvalidParameterValueException)
    const e4 = await rejection(client.send(new PublishVersionCommand({ FunctionName: 'ghost' })))
    expect(e4).toBeInstanceOf(ResourceNotFoundException)
    expect(e4.message).toBe(`Function not found: ${ARN}:ghost`)
  })

  test('CreateAlias answers 201 with AliasArn and RoutingConfig; weighted invokes then route through it', async () => {
    const { sim, client } = setup()
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    sim.updateFunctionCode('fn', async () => 'v2')
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    const a = await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1', Description: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }))
    expect(a.$metadata.httpStatusCode).toBe(201)
    expect(a).toMatchObject({ AliasArn: `${ARN}:fn:live`, Name: 'live', FunctionVersion: '1', Description: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
    expect(a.RevisionId).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/)
    const versions = new Set<string>()
    for (let i = 0; i < 20; i++) versions.add((await client.send(new InvokeCommand({ FunctionName: 'fn:live' }))).ExecutedVersion as string)
    expect([...versions].sort()).toEqual(['1', '2'])
  })

  test('CreateAlias error paths: existing alias, unknown version, all-digit name, missing members, two weights', async () => {
    const { client } = setup()
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }))
    const dup = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' })))
    expect(dup).toBeInstanceOf(ResourceConflictException)
    expect(dup.message).toBe(`Alias already exists: ${ARN}:fn:live`)
    const unknown = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'next', FunctionVersion: '7' })))
    expect(unknown).toBeInstanceOf(ResourceNotFoundException)
    expect(unknown.message).toBe(`Function not found: ${ARN}:fn:7`)
    const digits = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: '2024', FunctionVersion: '1' })))
    expect(digits.name).toBe('ValidationException')
    expect(digits.message).toMatch(/^1 validation error detected: Value '2024' at 'name' failed to satisfy constraint/)
    const missing = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn' } as never)))
    expect(missing.message).toBe(
      "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value null at 'functionVersion' failed to satisfy constraint: Member must not be null",
    )
    const weights = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'w', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1, '3': 0.1 } } })))
    expect(weights.message).toBe('Number of items in AdditionalVersionWeights cannot be greater than 1')
  })

  test('CreateAlias / UpdateAlias routing between versions with different DLQ configs: InvalidParameterValueException 400 on the wire', async () => {
    const { sim, client } = setup()
    const dlq = sim.createQueue('dlq')
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    sim.updateFunctionConfiguration('fn', { deadLetterConfig: { targetArn: dlq.arn } })
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    const text = 'Specified versions must be associated with the same dead letter queue configuration'
    const created = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'c', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } })))
    expect(created).toBeInstanceOf(InvalidParameterValueException)
    expect([created.message, (created as unknown as LambdaServiceException).$metadata.httpStatusCode]).toEqual([text, 400])
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'c', FunctionVersion: '1' }))
    const updated = await rejection(client.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'c', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } })))
    expect(updated).toBeInstanceOf(InvalidParameterValueException)
    expect(updated.message).toBe(text)
    expect((await client.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'c' }))).RoutingConfig).toBeUndefined()
  })

  test("PublishVersion after a description-only update publishes a new version; PublishVersion's own Description alone does not (OBS-api test_version_lifecycle)", async () => {
    const { sim, client } = setup()
    sim.updateFunctionConfiguration('fn', { description: 'First version :)' })
    const v1 = await client.send(new PublishVersionCommand({ FunctionName: 'fn', Description: 'First version description :)' }))
    expect([v1.Version, v1.Description]).toEqual(['1', 'First version description :)'])
    sim.updateFunctionConfiguration('fn', { description: 'Second version :))' })
    const v2 = await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    expect([v2.Version, v2.Description, v2.FunctionArn]).toEqual(['2', 'Second version :))', `${ARN}:fn:2`])
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'fn', Description: 'Third version description :)))' }))
    expect([again.Version, again.Description]).toEqual(['2', 'Second version :))'])
    // AWS answers 201 for a publish that creates nothing, too (test_version_lifecycle third_publish_response).
    expect([v2.$metadata.httpStatusCode, again.$metadata.httpStatusCode]).toEqual([201, 201])
    const listed = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn' }))
    expect(listed.Versions?.map((v) => [v.Version, v.Description])).toEqual([['$LATEST', 'Second version :))'], ['1', 'First version description :)'], ['2', 'Second version :))']])
  })

  test('every routing error of spec §12 through the SDK: exception, HTTP status and text as recorded on AWS (OBS-api test_notfound_and_invalid_routingconfigs)', async () => {
    const { sim, client } = setup()
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    sim.updateFunctionConfiguration('fn', { environment: { STAGE: 'prod' } })
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    const weight = (v: string, w: string): string =>
      `1 validation error detected: Value '{${v}=${w}}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]`
    const cases: [string, Record<string, number>, string, number, string][] = [
      ['1', { '2': 0.5, '3': 0.5 }, 'InvalidParameterValueException', 400, 'Number of items in AdditionalVersionWeights cannot be greater than 1'],
      ['1', { '2': 2 }, 'ValidationException', 400, weight('2', '2.0')],
      ['1', { '2': -1 }, 'ValidationException', 400, weight('2', '-1.0')],
      ['1', { '1': 0.5 }, 'InvalidParameterValueException', 400, 'Invalid function version 1. Function version 1 is already included in routing configuration.'],
      ['1', { '10': 0.5 }, 'ResourceNotFoundException', 404, `Function not found: ${ARN}:fn:10`],
      ['$LATEST', { '1': 0.5 }, 'InvalidParameterValueException', 400, '$LATEST is not supported for an alias pointing to more than 1 version'],
      [
        '1',
        { $LATEST: 0.5 },
        'ValidationException',
        400,
        "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]",
      ],
    ]
    const seen: [string, number | undefined, string][] = []
    for (const [functionVersion, weights] of cases) {
      const e = await rejection(client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'custom', FunctionVersion: functionVersion, RoutingConfig: { AdditionalVersionWeights: weights } })))
      seen.push([e.name, (e as unknown as LambdaServiceException).$metadata.httpStatusCode, e.message])
    }
    expect(seen).toEqual(cases.map(([, , name, status, message]) => [name, status, message]))
    // The same texts for UpdateAlias, checked on the alias as updated.
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'custom', FunctionVersion: '1' }))
    const updates: [string, number | undefined, string][] = []
    for (const [functionVersion, weights] of cases) {
      const e = await rejection(client.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'custom', FunctionVersion: functionVersion, RoutingConfig: { AdditionalVersionWeights: weights } })))
      updates.push([e.name, (e as unknown as LambdaServiceException).$metadata.httpStatusCode, e.message])
    }
    expect(updates).toEqual(seen)
    expect((await client.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'custom' }))).RoutingConfig).toBeUndefined()
  })

  test('a published version keeps its DLQ, environment, timeout, memory and description when $LATEST is updated (spec §12, §8: frozen on publish)', async () => {
    const { sim, client } = setup()
    const a = sim.createQueue('dlq-a')
    const b = sim.createQueue('dlq-b')
    sim.updateFunctionConfiguration('fn', { deadLetterConfig: { targetArn: a.arn }, description: 'one' })
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    sim.updateFunctionConfiguration('fn', { deadLetterConfig: { targetArn: b.arn }, environment: { STAGE: 'prod' }, timeout: 60, memorySize: 512, description: 'two' })
    sim.updateFunctionCode('fn', async () => 'new code')
    const pick = (c: Record<string, unknown> | undefined): unknown[] => [c?.['DeadLetterConfig'], c?.['Environment'], c?.['Timeout'], c?.['MemorySize'], c?.['Description']]
    const v1 = (await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn', Qualifier: '1' }))) as unknown as Record<string, unknown>
    expect(pick(v1)).toEqual([{ TargetArn: a.arn }, { Variables: { STAGE: 'test' } }, 30, 256, 'one'])
    const latest = (await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }))) as unknown as Record<string, unknown>
    expect(pick(latest)).toEqual([{ TargetArn: b.arn }, { Variables: { STAGE: 'prod' } }, 60, 512, 'two'])
    expect(Buffer.from((await client.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: '1' }))).Payload ?? new Uint8Array()).toString('utf8')).toBe('"ok"')
  })

  test('GetFunction returns Configuration (unqualified, version, alias), Code and Concurrency', async () => {
    const { sim, client } = setup()
    await sim.advanceBy(1000)
    sim.putFunctionConcurrency('fn', 3)
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }))
    const latest = await client.send(new GetFunctionCommand({ FunctionName: 'fn' }))
    expect(latest.Configuration).toMatchObject({
      FunctionName: 'fn',
      FunctionArn: `${ARN}:fn`,
      Version: '$LATEST',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 256,
      LastModified: '2026-01-01T00:00:00.000+0000',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/fn' },
    })
    expect(latest.Code?.RepositoryType).toBe('S3')
    expect(latest.Concurrency).toEqual({ ReservedConcurrentExecutions: 3 })
    const version = await client.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: '1' }))
    expect([version.Configuration?.FunctionArn, version.Configuration?.Version]).toEqual([`${ARN}:fn:1`, '1'])
    const alias = await client.send(new GetFunctionConfigurationCommand({ FunctionName: `${ARN}:fn:live` }))
    expect([alias.FunctionArn, alias.Version]).toEqual([`${ARN}:fn:live`, '1'])
    // The RevisionId follows the configuration.
    sim.updateFunctionConfiguration('fn', { timeout: 40 })
    const after = await client.send(new GetFunctionCommand({ FunctionName: 'fn' }))
    expect(after.Configuration?.Timeout).toBe(40)
    expect(after.Configuration?.RevisionId).not.toBe(latest.Configuration?.RevisionId)
  })

  test('GetFunction error paths: unknown function, unknown qualifier, conflicting qualifiers, malformed name', async () => {
    const { client } = setup()
    const ghost = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'ghost' })))
    expect(ghost).toBeInstanceOf(ResourceNotFoundException)
    expect(ghost.message).toBe(`Function not found: ${ARN}:ghost`)
    const q = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: '9' })))
    expect(q.message).toBe(`Function not found: ${ARN}:fn:9`)
    const conflict = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'fn:1', Qualifier: '2' })))
    expect(conflict).toBeInstanceOf(InvalidParameterValueException)
    const bad = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'no spaces' })))
    expect(bad.name).toBe('ValidationException')
  })

  test('GetFunction validates Qualifier as Invoke does: pattern and 128-character length', async () => {
    const { client } = setup()
    const bad = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: 'invalid!' })))
    expect([bad.name, bad.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value 'invalid!' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+",
    ])
    const q = 'a'.repeat(129)
    const long = await rejection(client.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn', Qualifier: q })))
    expect(long.message).toBe(`1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`)
    const lower = await rejection(client.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: '$latest' })))
    expect(lower.message).toBe(`Function not found: ${ARN}:fn:$latest`)
  })
})

describe('recursion config through the SDK (spec §10)', () => {
  test('the default is Terminate; Put Allow is read back by Get and by the in-process API', async () => {
    const { sim, client } = setup()
    expect((await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'fn' }))).RecursiveLoop).toBe('Terminate')
    const put = await client.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'fn', RecursiveLoop: 'Allow' }))
    expect(put.RecursiveLoop).toBe('Allow')
    expect(sim.getFunctionRecursionConfig({ functionName: 'fn' })).toEqual({ recursiveLoop: 'Allow' })
    expect((await client.send(new GetFunctionRecursionConfigCommand({ FunctionName: `${ARN}:fn` }))).RecursiveLoop).toBe('Allow')
  })

  test('error paths: a value outside the enum, a qualified name, an unknown function', async () => {
    const { client } = setup()
    const bad = await rejection(client.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'fn', RecursiveLoop: 'InvalidValue' as 'Allow' })))
    expect([bad.name, bad.message]).toEqual(['ValidationException', "1 validation error detected: Value 'InvalidValue' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]"])
    const qualified = await rejection(client.send(new GetFunctionRecursionConfigCommand({ FunctionName: 'fn:1' })))
    expect(qualified.name).toBe('ValidationException')
    expect(qualified.message).toBe(
      "1 validation error detected: Value 'fn:1' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)",
    )
    const ghost = await rejection(client.send(new PutFunctionRecursionConfigCommand({ FunctionName: 'ghost', RecursiveLoop: 'Allow' })))
    expect(ghost).toBeInstanceOf(ResourceNotFoundException)
    expect(ghost.message).toBe(`Function not found: ${ARN}:ghost`)
  })

  test('the in-process API validates the same way', () => {
    const { sim } = setup()
    expect(() => sim.putFunctionRecursionConfig({ functionName: 'fn' } as never)).toThrow("1 validation error detected: Value null at 'recursiveLoop' failed to satisfy constraint: Member must not be null")
  })
})

describe('alias and version operations', () => {
  const PRECONDITION = 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id'

  test('GetAlias, ListAliases (filter, paging), UpdateAlias, DeleteAlias: AWS shapes and status codes (OBS-api test_alias_lifecycle)', async () => {
    const { sim, client } = setup()
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    sim.updateFunctionCode('fn', async () => 'v2')
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    const created = await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'a1', FunctionVersion: '1', Description: 'custom-alias', RoutingConfig: { AdditionalVersionWeights: { '2': 0.2 } } }))
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'a2', FunctionVersion: '1' }))
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'b', FunctionVersion: '2' }))
    const got = await client.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'a1' }))
    expect(got.$metadata.httpStatusCode).toBe(200)
    const { $metadata: _m, ...gotBody } = got
    const { $metadata: _c, ...createdBody } = created
    expect(gotBody).toEqual(createdBody)
    expect(gotBody).toEqual({ AliasArn: `${ARN}:fn:a1`, Name: 'a1', FunctionVersion: '1', Description: 'custom-alias', RoutingConfig: { AdditionalVersionWeights: { '2': 0.2 } }, RevisionId: created.RevisionId })

    const page1 = await client.send(new ListAliasesCommand({ FunctionName: 'fn', MaxItems: 2 }))
    expect(page1.Aliases?.map((a) => a.Name)).toEqual(['a1', 'a2'])
    expect(page1.Aliases?.[1]).toEqual({ AliasArn: `${ARN}:fn:a2`, Name: 'a2', FunctionVersion: '1', Description: '', RevisionId: expect.any(String) })
    const page2 = await client.send(new ListAliasesCommand({ FunctionName: 'fn', MaxItems: 2, Marker: page1.NextMarker as string }))
    expect(page2.Aliases?.map((a) => a.Name)).toEqual(['b'])
    expect(page2.NextMarker).toBeUndefined()
    expect((await client.send(new ListAliasesCommand({ FunctionName: 'fn', FunctionVersion: '1' }))).Aliases?.map((a) => a.Name)).toEqual(['a1', 'a2'])

    const updated = await client.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'a1', RoutingConfig: { AdditionalVersionWeights: {} } }))
    expect(updated.$metadata.httpStatusCode).toBe(200)
    expect(updated).toMatchObject({ AliasArn: `${ARN}:fn:a1`, Name: 'a1', FunctionVersion: '1', Description: 'custom-alias' })
    expect(updated.RoutingConfig).toBeUndefined()
    expect(updated.RevisionId).not.toBe(created.RevisionId)
    const stale = await rejection(client.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'a1', RevisionId: created.RevisionId as string })))
    expect(stale).toBeInstanceOf(PreconditionFailedException)
    expect([stale.message, (stale as unknown as LambdaServiceException).$metadata.httpStatusCode]).toEqual([PRECONDITION, 412])
    const moved = await client.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'a1', FunctionVersion: '2', RevisionId: updated.RevisionId as string }))
    expect(moved.FunctionVersion).toBe('2')
    expect((await client.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: 'a1' }))).ExecutedVersion).toBe('2')

    const deleted = await client.send(new DeleteAliasCommand({ FunctionName: 'fn', Name: 'a1' }))
    expect(deleted.$metadata.httpStatusCode).toBe(204)
    expect((await client.send(new DeleteAliasCommand({ FunctionName: 'fn', Name: 'a1' }))).$metadata.httpStatusCode).toBe(204)
    expect((await client.send(new ListAliasesCommand({ FunctionName: 'fn' }))).Aliases?.map((a) => a.Name)).toEqual(['a2', 'b'])
    const gone = await rejection(client.send(new InvokeCommand({ FunctionName: 'fn:a1' })))
    expect([gone.name, gone.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:fn:a1`])
  })

  test('not-found texts: GetAlias "Cannot find alias arn", UpdateAlias "Alias not found" (OBS-api test_notfound_and_invalid_routingconfigs, test_non_existent_alias_update)', async () => {
    const { client } = setup()
    const g = await rejection(client.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'non-existent' })))
    expect(g).toBeInstanceOf(ResourceNotFoundException)
    expect(g.message).toBe(`Cannot find alias arn: ${ARN}:fn:non-existent`)
    const u = await rejection(client.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'non-existent' })))
    expect(u).toBeInstanceOf(ResourceNotFoundException)
    expect(u.message).toBe(`Alias not found: ${ARN}:fn:non-existent`)
    const l = await rejection(client.send(new ListAliasesCommand({ FunctionName: 'ghost' })))
    expect(l.message).toBe(`Function not found: ${ARN}:ghost`)
  })

  test('ListVersionsByFunction: $LATEST (qualified ARN) then the versions, FunctionConfiguration without State/LastUpdateStatus (OBS-api test_version_lifecycle); paging', async () => {
    const { sim, client } = setup()
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    const r = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn' }))
    expect(r.$metadata.httpStatusCode).toBe(200)
    expect(r.NextMarker).toBeUndefined()
    const latest = (await client.send(new GetFunctionCommand({ FunctionName: 'fn' }))).Configuration
    const v1 = (await client.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: '1' }))).Configuration
    const { State: _s1, LastUpdateStatus: _l1, ...latestListed } = latest as NonNullable<typeof latest>
    const { State: _s2, LastUpdateStatus: _l2, ...v1Listed } = v1 as NonNullable<typeof v1>
    expect(r.Versions).toEqual([{ ...latestListed, FunctionArn: `${ARN}:fn:$LATEST` }, v1Listed])
    sim.updateFunctionCode('fn', async () => 'v2')
    await client.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    const p1 = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn', MaxItems: 2 }))
    expect(p1.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1'])
    const p2 = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn', Marker: p1.NextMarker as string }))
    expect(p2.Versions?.map((v) => v.Version)).toEqual(['2'])
    const all: string[] = []
    for await (const page of paginateListVersionsByFunction({ client, pageSize: 1 }, { FunctionName: 'fn' })) all.push(...(page.Versions ?? []).map((v) => v.Version as string))
    expect(all).toEqual(['$LATEST', '1', '2'])
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'x', FunctionVersion: '1' }))
    await client.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'y', FunctionVersion: '2' }))
    const names: string[] = []
    for await (const page of paginateListAliases({ client, pageSize: 1 }, { FunctionName: 'fn' })) names.push(...(page.Aliases ?? []).map((a) => a.Name as string))
    expect(names).toEqual(['x', 'y'])
  })
})

describe('operations lambda-sim does not implement', () => {
  test('answer 501 naming the operation, as the SDK’s base exception (no retries)', async () => {
    const { sim } = setup()
    const client = lambdaClient(sim, { maxAttempts: 3 })
    const e = await rejection(client.send(new AddPermissionCommand({ FunctionName: 'f', StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' })))
    expect(e).toBeInstanceOf(LambdaServiceException)
    expect(e.name).toBe('NotImplementedException')
    expect(e.message).toBe(`lambda-sim does not implement AddPermission. Implemented operations: ${IMPLEMENTED_OPERATIONS.join(', ')}`)
    expect(e['$metadata']).toMatchObject({ httpStatusCode: 501, attempts: 1 })
    expect(sim.now()).toBe(START)
  })

  test('a path no Lambda operation has is UnknownOperationException (404)', async () => {
    const sim = createSimulator()
    const { response } = await simulatorRequestHandler(sim).handle({ method: 'GET', path: '/2015-03-31/nothing-here', headers: {} })
    expect(response.statusCode).toBe(404)
    expect(response.headers['x-amzn-errortype']).toBe('UnknownOperationException')
    expect(JSON.parse(Buffer.from(response.body).toString())).toEqual({ message: 'lambda-sim: no Lambda API operation matches GET /2015-03-31/nothing-here' })
  })

  test('the implemented list covers every operation of issue 7', () => {
    expect([...IMPLEMENTED_OPERATIONS].sort()).toEqual(
      [
        'CreateAlias',
        'CreateEventSourceMapping',
        'DeleteAlias',
        'GetAlias',
        'ListAliases',
        'ListVersionsByFunction',
        'UpdateAlias',
        'DeleteEventSourceMapping',
        'DeleteFunction',
        'DeleteFunctionConcurrency',
        'DeleteFunctionEventInvokeConfig',
        'GetEventSourceMapping',
        'GetFunction',
        'GetFunctionConcurrency',
        'GetFunctionConfiguration',
        'GetFunctionEventInvokeConfig',
        'GetFunctionRecursionConfig',
        'Invoke',
        'ListEventSourceMappings',
        'ListFunctionEventInvokeConfigs',
        'ListFunctions',
        'PublishVersion',
        'PutFunctionConcurrency',
        'PutFunctionEventInvokeConfig',
        'PutFunctionRecursionConfig',
        'UpdateEventSourceMapping',
        'UpdateFunctionConfiguration',
        'UpdateFunctionEventInvokeConfig',
      ].sort(),
    )
  })
})

test('only src/sdk imports the AWS SDK: the main entry works without it installed', () => {
  const offenders: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (path !== join('src', 'sdk')) walk(path)
      } else if (/from '@aws-sdk\/|import\('@aws-sdk\/|require\('@aws-sdk\//.test(readFileSync(path, 'utf8'))) {
        offenders.push(path)
      }
    }
  }
  walk('src')
  expect(offenders).toEqual([])
  expect(readFileSync(join('src', 'sdk', 'index.ts'), 'utf8')).toContain("from '@aws-sdk/client-lambda'")
})

describe('malformed members answer on the wire', () => {
  test('a non-integer ReservedConcurrentExecutions is InvalidRequestContentException naming the member, not an exception thrown into the SDK', async () => {
    const { client } = setup()
    const e = await rejection(client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 1.5 })))
    expect(e.name).toBe('InvalidRequestContentException')
    expect(e.message).toBe('Could not parse request body into json: Invalid reservedConcurrentExecutions: expected an integer from 0 to 900, got 1.5')
  })
})
