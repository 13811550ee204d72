import type { Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { createSimulator, LambdaError } from '../src/index.js'
import { thrownLambdaError as thrown } from './helpers/errors.js'

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function'
/** Invoke's and GetFunction's `NamespacedFunctionName` pattern, as AWS printed it on 2025-11-25 (LocalStack's AWS-validated snapshot `test_invalid_invoke`). */
const INVOKE_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?'
/** `FunctionName` (CreateFunction, PublishVersion, CreateAlias, concurrency), as AWS printed it on 2025-11-25. */
const FUNCTION_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?'

const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/

async function rejected(p: Promise<unknown>): Promise<LambdaError> {
  try {
    await p
  } catch (error) {
    expect(error).toBeInstanceOf(LambdaError)
    return error as LambdaError
  }
  throw new Error('expected the invoke to reject')
}

const versionOf = async (_e: unknown, ctx: Context): Promise<string> => ctx.functionVersion

describe('function references (spec §1.1, §1.2)', () => {
  it('an unknown function is ResourceNotFoundException 404 with the $LATEST-qualified ARN', async () => {
    const sim = createSimulator()
    const e = await rejected(sim.invoke('x', {}))
    expect(e.name).toBe('ResourceNotFoundException')
    expect(e.statusCode).toBe(404)
    expect(e.type).toBe('User')
    expect(e.message).toBe(`Function not found: ${ARN}:x:$LATEST`)
  })

  it('an unknown function with a qualifier names the qualifier as sent', async () => {
    const sim = createSimulator()
    expect((await rejected(sim.invoke('x:prod', {}))).message).toBe(`Function not found: ${ARN}:x:prod`)
    expect((await rejected(sim.invoke('x', {}, 'RequestResponse', { qualifier: '7' }))).message).toBe(`Function not found: ${ARN}:x:7`)
  })

  it('an unknown version or alias of an existing function is ResourceNotFoundException', async () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    expect((await rejected(sim.invoke('f:non-existent-alias', {}))).message).toBe(`Function not found: ${ARN}:f:non-existent-alias`)
    expect((await rejected(sim.invoke('f:1', {}, 'Event'))).message).toBe(`Function not found: ${ARN}:f:1`)
  })

  it('qualifiers are case-sensitive: $latest is not found', async () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    const e = await rejected(sim.invoke('f', {}, 'RequestResponse', { qualifier: '$latest' }))
    expect(e.name).toBe('ResourceNotFoundException')
    expect(e.message).toBe(`Function not found: ${ARN}:f:$latest`)
    expect((await sim.invoke('f', {}, 'RequestResponse', { qualifier: '$LATEST' })).payload).toBe('$LATEST')
  })

  it("a malformed Invoke functionName quotes AWS's NamespacedFunctionName pattern (as observed in 2025-11)", async () => {
    const sim = createSimulator()
    const e = await rejected(sim.invoke('bad name!', {}))
    expect(e.name).toBe('ValidationException')
    expect(e.statusCode).toBe(400)
    expect(e.message).toBe(`1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${INVOKE_NAME_PATTERN}`)
    for (const ref of ['*', 'invalid-account:function:my-function', 'arn:aws:lambda:invalid-region:123456789012:function:f', 'arn:aws:lambda::123456789012:function:f', `${ARN}:f:1:2`, `${ARN}:f:$LATES`]) {
      expect((await rejected(sim.invoke(ref, {}))).message).toBe(`1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${INVOKE_NAME_PATTERN}`)
    }
  })

  it('an Invoke functionName may be up to 256 characters: a 233-character ARN fails only the pattern, 257 characters fail the length', async () => {
    const sim = createSimulator()
    const long = `arn:aws:lambda:invalid-region:123456789012:function:my-function${'a'.repeat(170)}`
    expect(long).toHaveLength(233)
    expect((await rejected(sim.invoke(long, {}))).message).toBe(`1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${INVOKE_NAME_PATTERN}`)
    const ok = `${ARN}:${'a'.repeat(256 - ARN.length - 1)}`
    expect(ok).toHaveLength(256)
    expect((await rejected(sim.invoke(ok, {}))).name).toBe('ResourceNotFoundException')
    const name = 'a'.repeat(257)
    expect((await rejected(sim.invoke(name, {}))).message).toBe(`1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 256`)
  })

  it('a name of 65 characters, a name with a dot and $LATEST.PUBLISHED pass the Invoke pattern and are not found', async () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    const long = 'a'.repeat(65)
    expect((await rejected(sim.invoke(long, {}))).message).toBe(`Function not found: ${ARN}:${long}:$LATEST`)
    const dotted = await rejected(sim.invoke('my.function', {}))
    expect([dotted.name, dotted.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:my.function:$LATEST`])
    const published = await rejected(sim.invoke('f:$LATEST.PUBLISHED', {}))
    expect([published.name, published.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:f:$LATEST.PUBLISHED`])
    expect((await rejected(sim.invoke(`${ARN}:function`, {}))).message).toBe(`Function not found: ${ARN}:function:$LATEST`)
  })

  it('operations whose functionName is a FunctionName (PublishVersion, CreateAlias, concurrency) quote its pattern and allow 140 characters', () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    expect(thrown(() => sim.publishVersion('my.function')).message).toBe(`1 validation error detected: Value 'my.function' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`)
    const long = 'a'.repeat(141)
    expect(thrown(() => sim.putFunctionConcurrency(long, 1)).message).toBe(`1 validation error detected: Value '${long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140`)
    expect(thrown(() => sim.createAlias('a'.repeat(140), { name: 'x', functionVersion: '$LATEST' })).name).toBe('ResourceNotFoundException')
  })

  it("a malformed qualifier is a ValidationException quoting AWS's qualifier pattern", async () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    const e = await rejected(sim.invoke('f', {}, 'RequestResponse', { qualifier: 'invalid!' }))
    expect(e.name).toBe('ValidationException')
    expect(e.message).toBe("1 validation error detected: Value 'invalid!' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+")
  })

  it('a qualifier over 128 characters fails the length constraint, not the pattern', async () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    const q = 'a'.repeat(129)
    expect((await rejected(sim.invoke('f', {}, 'RequestResponse', { qualifier: q }))).message).toBe(
      `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`,
    )
    expect((await rejected(sim.invoke('f', {}, 'RequestResponse', { qualifier: 'a'.repeat(128) }))).message).toBe(`Function not found: ${ARN}:f:${'a'.repeat(128)}`)
  })

  it('a malformed name and a malformed qualifier are reported together: 2 validation errors', async () => {
    const sim = createSimulator()
    const name = `arn:aws:lambda:invalid-region:123456789012:function:my-function-${'a'.repeat(170)}`
    const q = 'a'.repeat(129)
    expect((await rejected(sim.invoke(name, {}, 'RequestResponse', { qualifier: q }))).message).toBe(
      `2 validation errors detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${INVOKE_NAME_PATTERN}; Value '${q}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128`,
    )
  })

  it('a qualifier in the name that differs from the Qualifier option is InvalidParameterValueException', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = await rejected(sim.invoke('f:1', {}, 'RequestResponse', { qualifier: '$LATEST' }))
    expect(e.name).toBe('InvalidParameterValueException')
    expect(e.statusCode).toBe(400)
    expect(e.message).toBe('The derived qualifier from the function name does not match the specified qualifier.')
    expect((await sim.invoke('f:1', {}, 'RequestResponse', { qualifier: '1' })).payload).toBe('1')
  })

  it('full and partial ARNs, qualified or not, reach the function', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    expect((await sim.invoke(`${ARN}:f`, {})).payload).toBe('$LATEST')
    expect((await sim.invoke(`${ARN}:f:1`, {})).payload).toBe('1')
    expect((await sim.invoke('123456789012:function:f', {})).payload).toBe('$LATEST')
    expect((await sim.invoke('123456789012:function:f:1', {})).payload).toBe('1')
    expect((await sim.invoke('f:1', {})).payload).toBe('1')
    expect((await sim.invoke(fn.arn, {})).payload).toBe('$LATEST')
    expect(fn.arn).toBe(`${ARN}:f`)
  })

  it('an ARN of another account or region is not found (another region: "Functions from … are not reachable in this region …", AWS\'s text)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    expect((await rejected(sim.invoke('arn:aws:lambda:eu-west-1:123456789012:function:f', {}))).message).toBe("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')")
    expect((await rejected(sim.invoke('arn:aws:lambda:us-east-1:999999999999:function:f:1', {}))).message).toBe('Function not found: arn:aws:lambda:us-east-1:999999999999:function:f:1')
  })

  it('a bare handler function can be the invoke target; the same handler reuses its function', async () => {
    const sim = createSimulator()
    const myHandler = async (_e: unknown, ctx: Context): Promise<string> => ctx.functionName
    expect((await sim.invoke(myHandler, {})).payload).toBe('myHandler')
    expect((await sim.invoke(myHandler, {})).payload).toBe('myHandler')
    expect((await sim.invoke(async (_e: unknown, ctx: Context) => ctx.functionName, {})).payload).toBe('handler')
    const other = async function myHandler(_e: unknown, ctx: Context): Promise<string> {
      return ctx.functionName
    }
    expect((await sim.invoke(other, {})).payload).toBe('myHandler-2')
  })

  it('a non-reference target is a SimulatorError naming the value', async () => {
    const sim = createSimulator()
    await expect(sim.invoke(42 as never, {})).rejects.toThrow('Invalid function reference: expected a name, an ARN, a function handle or a handler, got 42')
  })
})

describe('versions (spec §12)', () => {
  it('publishVersion freezes $LATEST as 1, 2, ... and ExecutedVersion names the version that ran', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 'v1 code')
    expect(sim.publishVersion(fn)).toEqual({ version: '1', functionArn: `${ARN}:f:1` })
    sim.updateFunctionCode(fn, async () => 'v2 code')
    expect(sim.publishVersion(fn).version).toBe('2')
    const r1 = await sim.invoke('f:1', {})
    expect([r1.payload, r1.executedVersion]).toEqual(['v1 code', '1'])
    const r2 = await sim.invoke(fn, {}, 'RequestResponse', { qualifier: '2' })
    expect([r2.payload, r2.executedVersion]).toEqual(['v2 code', '2'])
    const latest = await sim.invoke(fn, {})
    expect([latest.payload, latest.executedVersion]).toEqual(['v2 code', '$LATEST'])
  })

  it('publishVersion creates no new version when code and configuration are unchanged', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    expect(sim.publishVersion(fn).version).toBe('1')
    expect(sim.publishVersion(fn).version).toBe('1')
    sim.updateFunctionConfiguration(fn, { timeout: 10 })
    expect(sim.publishVersion(fn).version).toBe('2')
    expect(sim.publishVersion(fn).version).toBe('2')
  })

  it('publishVersion compares with the last published version only: going back to old code publishes a new version', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    expect(sim.publishVersion(fn).version).toBe('1')
    sim.updateFunctionConfiguration(fn, { timeout: 10 })
    expect(sim.publishVersion(fn).version).toBe('2')
    sim.updateFunctionConfiguration(fn, { timeout: 3 })
    expect(sim.publishVersion(fn).version).toBe('3')
  })

  it("publishVersion: a description-only UpdateFunctionConfiguration is a change, PublishVersion's own Description is not (AWS test_version_lifecycle)", () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf, { description: 'No version :(' })
    sim.updateFunctionConfiguration(fn, { description: 'First version :)' })
    expect(sim.publishVersion(fn, { description: 'First version description :)' })).toEqual({ version: '1', functionArn: `${ARN}:f:1` })
    sim.updateFunctionConfiguration(fn, { description: 'Second version :))' })
    expect(sim.publishVersion(fn)).toEqual({ version: '2', functionArn: `${ARN}:f:2` })
    // Nothing changed since version 2: the same version, which keeps its description.
    expect(sim.publishVersion(fn, { description: 'Third version description :)))' })).toEqual({ version: '2', functionArn: `${ARN}:f:2` })
    expect(sim.listVersionsByFunction(fn).versions.map((v) => [v.version, v.description])).toEqual([
      ['$LATEST', 'Second version :))'],
      ['1', 'First version description :)'],
      ['2', 'Second version :))'],
    ])
    // An update that sets the same values changes nothing (a choice: AWS's answer is not recorded).
    sim.updateFunctionConfiguration(fn, { description: 'Second version :))', timeout: 3 })
    expect(sim.publishVersion(fn).version).toBe('2')
  })

  it('publishVersion: each of code, init, timeout, memory, environment and DLQ is a change', () => {
    const sim = createSimulator()
    const q = sim.createQueue('dlq')
    const fn = sim.createFunction('f', versionOf)
    expect(sim.publishVersion(fn).version).toBe('1')
    const steps: (() => void)[] = [
      () => sim.updateFunctionCode(fn, async () => 'new code'),
      () => sim.updateFunctionConfiguration(fn, { init: () => 'state' }),
      () => sim.updateFunctionConfiguration(fn, { timeout: 4 }),
      () => sim.updateFunctionConfiguration(fn, { memorySize: 256 }),
      () => sim.updateFunctionConfiguration(fn, { environment: { STAGE: 'prod' } }),
      () => sim.updateFunctionConfiguration(fn, { deadLetterConfig: { targetArn: q.arn } }),
    ]
    const published = steps.map((step) => {
      step()
      return [sim.publishVersion(fn).version, sim.publishVersion(fn).version]
    })
    expect(published).toEqual([['2', '2'], ['3', '3'], ['4', '4'], ['5', '5'], ['6', '6'], ['7', '7']])
  })

  it('a published version keeps its configuration when $LATEST changes', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async (_e: unknown, ctx: Context) => ctx.memoryLimitInMB)
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { memorySize: 512 })
    expect((await sim.invoke('f:1', {})).payload).toBe('128')
    expect((await sim.invoke('f', {})).payload).toBe('512')
  })

  it('publishVersion on a qualified reference is InvalidParameterValueException', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    expect(thrown(() => sim.publishVersion('f:1')).message).toBe(
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    )
  })
})

describe('aliases (spec §12)', () => {
  it('an alias routes to its version; ExecutedVersion and context.functionVersion show it', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const alias = sim.createAlias(fn, { name: 'live', functionVersion: '1', description: 'prod' })
    expect(alias).toEqual({ aliasArn: `${ARN}:f:live`, name: 'live', functionVersion: '1', description: 'prod', revisionId: expect.stringMatching(UUID) })
    const res = await sim.invoke('f:live', {})
    expect(res.executedVersion).toBe('1')
    expect(res.payload).toBe('1')
  })

  it('an alias may point at $LATEST', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.createAlias(fn, { name: 'dev', functionVersion: '$LATEST' })
    expect((await sim.invoke(fn, {}, 'RequestResponse', { qualifier: 'dev' })).executedVersion).toBe('$LATEST')
  })

  it('weighted routing: over 1000 invokes with weight 0.3 the split is near 30% and identical for a seed', async () => {
    const split = async (seed: number): Promise<string[]> => {
      const sim = createSimulator({ seed })
      const fn = sim.createFunction('f', versionOf)
      sim.publishVersion(fn)
      sim.updateFunctionConfiguration(fn, { timeout: 5 })
      sim.publishVersion(fn)
      sim.createAlias(fn, { name: 'canary', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.3 } } })
      const out: string[] = []
      for (let i = 0; i < 1000; i++) out.push((await sim.invoke('f:canary', {})).executedVersion as string)
      return out
    }
    const a = await split(42)
    const share = a.filter((v) => v === '2').length / 1000
    expect(share).toBeGreaterThan(0.25)
    expect(share).toBeLessThan(0.35)
    expect(a.filter((v) => v !== '1' && v !== '2')).toEqual([])
    expect(await split(42)).toEqual(a)
    expect(await split(43)).not.toEqual(a)
  })

  it('weight 0 never and weight 1 always routes to the additional version', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 5 })
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'zero', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0 } } })
    sim.createAlias(fn, { name: 'one', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 1 } } })
    for (let i = 0; i < 50; i++) {
      expect((await sim.invoke('f:zero', {})).executedVersion).toBe('1')
      expect((await sim.invoke('f:one', {})).executedVersion).toBe('2')
    }
  })

  it('async events through a weighted alias also pick a version from the seed', async () => {
    const sim = createSimulator({ seed: 3 })
    const seen: string[] = []
    const fn = sim.createFunction('f', async (_e: unknown, ctx: Context) => {
      seen.push(ctx.functionVersion)
    })
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 5 })
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'c', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    for (let i = 0; i < 40; i++) await sim.invoke('f:c', {}, 'Event')
    await sim.runUntilIdle()
    expect(seen).toHaveLength(40)
    expect(new Set(seen)).toEqual(new Set(['1', '2']))
  })

  it('weighted routing: ExecutedVersion, context.functionVersion, the START … Version: log line and the timeline all name the version that ran', async () => {
    const sim = createSimulator({ seed: 5 })
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 5 })
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'c', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    const ran: string[] = []
    for (let i = 0; i < 20; i++) {
      const r = await sim.invoke('f:c', {}, 'RequestResponse', { logType: 'Tail' })
      const log = Buffer.from(r.logResult as string, 'base64').toString('utf8')
      expect(log.split('\n')[0]).toBe(`START RequestId: ${r.requestId} Version: ${r.executedVersion as string}`)
      expect(r.payload).toBe(r.executedVersion)
      const started = sim.timeline.ofType('attempt-started').filter((e) => e.requestId === r.requestId)
      expect(started.map((e) => e.version)).toEqual([r.executedVersion])
      ran.push(r.executedVersion as string)
    }
    expect(ran.filter((v) => v === '1').length + ran.filter((v) => v === '2').length).toBe(20)
    expect(new Set(ran)).toEqual(new Set(['1', '2']))
  })

  it('routing errors: more than one additional version', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.1, '3': 0.1 } } }))
    expect(e.name).toBe('InvalidParameterValueException')
    expect(e.message).toBe('Number of items in AdditionalVersionWeights cannot be greater than 1')
  })

  it('routing errors: $LATEST with an additional version', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '$LATEST', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }))
    expect(e.name).toBe('InvalidParameterValueException')
    expect(e.message).toBe('$LATEST is not supported for an alias pointing to more than 1 version')
    // AWS's body for this one error has no Type member (LocalStack's AWS-validated provider raises it without Type="User").
    expect((e as { type?: string }).type).toBeUndefined()
  })

  it('routing errors: the primary version again as the additional version', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '1': 0.5 } } }))
    expect(e.name).toBe('InvalidParameterValueException')
    expect(e.message).toBe('Invalid function version 1. Function version 1 is already included in routing configuration.')
  })

  it('routing errors: a weight outside 0.0–1.0 is a ValidationException printing the weight as a Java double', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 2 } } }))
    expect(e.name).toBe('ValidationException')
    expect(e.message).toBe(
      "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
    )
    const neg = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': -0.5 } } }))
    expect(neg.message).toContain("Value '{2=-0.5}'")
  })

  it('an async event through an alias resolves the alias at each attempt: a retry after updateAlias runs the new version, and weighted routing draws again per attempt', async () => {
    const sim = createSimulator({ seed: 5 })
    const fn = sim.createFunction('f', async (_e: unknown, c: Context) => {
      throw new Error(`ran ${c.functionVersion}`)
    })
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 5 })
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'live', functionVersion: '1' })
    const { requestId } = await sim.invoke('f:live', {}, 'Event')
    await sim.advanceBy(1_000)
    sim.updateAlias(fn, { name: 'live', functionVersion: '2' })
    await sim.runUntilIdle()
    expect(sim.timeline.forRequest(requestId).flatMap((e) => (e.type === 'attempt-started' ? [`${e.attempt}:${e.version}`] : []))).toEqual(['1:1', '2:2', '3:2'])
    // Weighted: the three attempts of one event are three draws, so one event may run on both versions.
    sim.updateAlias(fn, { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await sim.invoke('f:live', {}, 'Event')).requestId)
    await sim.runUntilIdle()
    const versions = ids.map((id) => sim.timeline.forRequest(id).flatMap((e) => (e.type === 'attempt-started' ? [e.version] : [])).join(','))
    expect(versions).toEqual(['2,2,1', '2,1,2', '2,2,1'])
  })

  it('weighted routing between two versions with different DLQ configs is InvalidParameterValueException (create and update)', () => {
    const sim = createSimulator()
    const a = sim.createQueue('dlq-a')
    const b = sim.createQueue('dlq-b')
    const fn = sim.createFunction('f', versionOf, { deadLetterConfig: { targetArn: a.arn } })
    sim.publishVersion(fn) // 1: dlq-a
    sim.updateFunctionConfiguration(fn, { deadLetterConfig: { targetArn: b.arn } })
    sim.publishVersion(fn) // 2: dlq-b
    sim.updateFunctionConfiguration(fn, { deadLetterConfig: { targetArn: '' } })
    sim.publishVersion(fn) // 3: no DLQ
    sim.updateFunctionConfiguration(fn, { deadLetterConfig: { targetArn: a.arn }, timeout: 9 })
    sim.publishVersion(fn) // 4: dlq-a again
    const text = 'Specified versions must be associated with the same dead letter queue configuration'
    for (const [primary, extra] of [['1', '2'], ['1', '3'], ['3', '2']]) {
      const e = thrown(() => sim.createAlias(fn, { name: 'c', functionVersion: primary as string, routingConfig: { additionalVersionWeights: { [extra as string]: 0.1 } } }))
      expect([e.name, e.statusCode, e.message, e.type]).toEqual(['InvalidParameterValueException', 400, text, 'User'])
    }
    expect(sim.listAliases(fn).aliases).toEqual([])
    // The same DLQ (1 and 4) may share an alias; so may two versions without one.
    expect(sim.createAlias(fn, { name: 'c', functionVersion: '1', routingConfig: { additionalVersionWeights: { '4': 0.1 } } }).routingConfig).toEqual({ additionalVersionWeights: { '4': 0.1 } })
    // UpdateAlias checks the alias as updated: a new primary version with another DLQ, or new weights on one.
    const before = sim.getAlias(fn, 'c')
    expect(thrown(() => sim.updateAlias(fn, { name: 'c', functionVersion: '2' })).message).toBe(text)
    expect(thrown(() => sim.updateAlias(fn, { name: 'c', routingConfig: { additionalVersionWeights: { '3': 0.5 } } })).message).toBe(text)
    expect(sim.getAlias(fn, 'c')).toEqual(before)
    // Without routing, an alias may point at any one version.
    expect(sim.updateAlias(fn, { name: 'c', functionVersion: '2', routingConfig: {} }).functionVersion).toBe('2')
  })

  it('a published version keeps its DLQ: updating $LATEST cannot make the versions of a weighted alias differ', async () => {
    const sim = createSimulator()
    const a = sim.createQueue('dlq-a')
    const b = sim.createQueue('dlq-b')
    const fn = sim.createFunction('f', async () => {
      throw new Error('boom')
    }, { deadLetterConfig: { targetArn: a.arn } })
    sim.publishVersion(fn)
    sim.updateFunctionConfiguration(fn, { timeout: 5 })
    sim.publishVersion(fn)
    sim.createAlias(fn, { name: 'c', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    sim.updateFunctionConfiguration(fn, { deadLetterConfig: { targetArn: b.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'c', maximumRetryAttempts: 0 })
    for (let i = 0; i < 10; i++) await sim.invoke('f:c', { i }, 'Event')
    await sim.invoke('f', { i: 'latest' }, 'Event')
    await sim.runUntilIdle()
    expect(a.bodies.map((body) => (body as { i: number }).i).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    // $LATEST's own failures (two retries by default) go to its new DLQ.
    expect(b.bodies).toEqual([{ i: 'latest' }])
  })

  it('routing errors: an unknown additional version is not found', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { '5': 0.5 } } }))
    expect(e.name).toBe('ResourceNotFoundException')
    expect(e.message).toBe(`Function not found: ${ARN}:f:5`)
  })

  it('an alias name of only digits is a ValidationException', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    const e = thrown(() => sim.createAlias(fn, { name: '2024', functionVersion: '$LATEST' }))
    expect(e.name).toBe('ValidationException')
    expect(e.message).toBe("1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
  })

  it('an alias cannot point at another alias or an unknown version', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.createAlias(fn, { name: 'a', functionVersion: '$LATEST' })
    expect(thrown(() => sim.createAlias(fn, { name: 'b', functionVersion: 'a' })).message).toBe(
      "1 validation error detected: Value 'a' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST(\\.PUBLISHED)?|[0-9]+)",
    )
    expect(thrown(() => sim.createAlias(fn, { name: 'b', functionVersion: '9' })).message).toBe(`Function not found: ${ARN}:f:9`)
  })

  it('routing errors: a key that is not a version number ($LATEST) is a ValidationException on the map keys', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { $LATEST: 0.5 } } }))
    expect([e.name, e.message]).toEqual([
      'ValidationException',
      "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]",
    ])
    expect(thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '1', routingConfig: { additionalVersionWeights: { v2: 0.5 } } })).message).toContain("Value '{v2=0.5}' at 'routingConfig.additionalVersionWeights'")
  })

  it('an alias name over 128 characters or a description over 256 fails the length constraint', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    const name = 'a'.repeat(129)
    expect(thrown(() => sim.createAlias(fn, { name, functionVersion: '$LATEST' })).message).toBe(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 128`,
    )
    const description = 'd'.repeat(257)
    expect(thrown(() => sim.createAlias(fn, { name: 'x', functionVersion: '$LATEST', description })).message).toBe(
      `1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
    )
    expect(sim.createAlias(fn, { name: 'a'.repeat(128), functionVersion: '$LATEST', description: 'd'.repeat(256) }).name).toHaveLength(128)
  })

  it('an alias on an unknown function is not found, with the FunctionVersion in the ARN', () => {
    const sim = createSimulator()
    const e = thrown(() => sim.createAlias('ghost', { name: 'custom', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } }))
    expect([e.name, e.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:ghost:1`])
  })

  it('a duplicate alias is ResourceConflictException', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.createAlias(fn, { name: 'a', functionVersion: '$LATEST' })
    const e = thrown(() => sim.createAlias(fn, { name: 'a', functionVersion: '$LATEST' }))
    expect(e.name).toBe('ResourceConflictException')
    expect(e.statusCode).toBe(409)
    expect(e.message).toBe(`Alias already exists: ${ARN}:f:a`)
  })

  it('an alias cannot be created on a qualified reference', () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', versionOf)
    sim.publishVersion(fn)
    expect(thrown(() => sim.createAlias('f:1', { name: 'a', functionVersion: '1' })).name).toBe('InvalidParameterValueException')
  })
})

describe('alias and version APIs: get, list, update, delete (spec §12)', () => {
  const PRECONDITION = 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id'
  const twoVersions = (): { sim: ReturnType<typeof createSimulator> } => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf)
    sim.publishVersion('f')
    sim.updateFunctionConfiguration('f', { environment: { VER: '2' } })
    sim.publishVersion('f')
    return { sim }
  }

  it('getAlias answers what createAlias answered; a missing alias is "Cannot find alias arn: …"', () => {
    const { sim } = twoVersions()
    const created = sim.createAlias('f', { name: 'live', functionVersion: '1', description: 'custom-alias', routingConfig: { additionalVersionWeights: { '2': 0.2 } } })
    expect(created).toEqual({ aliasArn: `${ARN}:f:live`, name: 'live', functionVersion: '1', description: 'custom-alias', routingConfig: { additionalVersionWeights: { '2': 0.2 } }, revisionId: expect.stringMatching(UUID) })
    expect(sim.getAlias('f', 'live')).toEqual(created)
    const e = thrown(() => sim.getAlias('f', 'non-existent'))
    expect([e.name, e.statusCode, e.type, e.message]).toEqual(['ResourceNotFoundException', 404, 'User', `Cannot find alias arn: ${ARN}:f:non-existent`])
    expect(thrown(() => sim.getAlias('ghost', 'live')).message).toBe(`Function not found: ${ARN}:ghost`)
    expect(thrown(() => sim.getAlias('f', '2024')).message).toBe(
      "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    )
  })

  it('listAliases: creation order, filter by FunctionVersion, MaxItems/Marker paging', () => {
    const { sim } = twoVersions()
    for (const [name, v] of [['a1', '1'], ['a2', '1'], ['b2', '2'], ['a3', '1']] as const) sim.createAlias('f', { name, functionVersion: v })
    expect(sim.listAliases('f').aliases.map((a) => a.name)).toEqual(['a1', 'a2', 'b2', 'a3'])
    expect(sim.listAliases('f').nextMarker).toBeUndefined()
    expect(sim.listAliases('f', { functionVersion: '1' }).aliases.map((a) => a.name)).toEqual(['a1', 'a2', 'a3'])
    expect(sim.listAliases('f', { functionVersion: '$LATEST' }).aliases).toEqual([])
    const p1 = sim.listAliases('f', { maxItems: 3 })
    expect(p1.aliases.map((a) => a.name)).toEqual(['a1', 'a2', 'b2'])
    const p2 = sim.listAliases('f', { maxItems: 3, marker: p1.nextMarker as string })
    expect(p2).toEqual({ aliases: [sim.getAlias('f', 'a3')] })
    expect(thrown(() => sim.listAliases('f', { maxItems: 0 })).message).toBe("1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1")
    expect(thrown(() => sim.listAliases('f', { marker: 'nope' })).message).toBe('Invalid marker: nope')
    expect(thrown(() => sim.listAliases('ghost')).message).toBe(`Function not found: ${ARN}:ghost`)
  })

  it('updateAlias: members left out stay, routing {} removes the weights, every update a new RevisionId, stale one → 412', () => {
    const { sim } = twoVersions()
    const created = sim.createAlias('f', { name: 'live', functionVersion: '1', description: 'd', routingConfig: { additionalVersionWeights: { '2': 0.2 } } })
    const noChange = sim.updateAlias('f', { name: 'live' })
    expect(noChange).toEqual({ ...created, revisionId: expect.stringMatching(UUID) })
    expect(noChange.revisionId).not.toBe(created.revisionId)
    const unrouted = sim.updateAlias('f', { name: 'live', routingConfig: { additionalVersionWeights: {} } })
    expect(unrouted).toEqual({ aliasArn: `${ARN}:f:live`, name: 'live', functionVersion: '1', description: 'd', revisionId: expect.stringMatching(UUID) })
    expect(sim.getAlias('f', 'live')).toEqual(unrouted)
    const stale = thrown(() => sim.updateAlias('f', { name: 'live', description: 'x', revisionId: created.revisionId }))
    expect([stale.name, stale.statusCode, stale.type, stale.message]).toEqual(['PreconditionFailedException', 412, 'User', PRECONDITION])
    expect(sim.getAlias('f', 'live').description).toBe('d')
    const moved = sim.updateAlias('f', { name: 'live', functionVersion: '2', description: 'moved', revisionId: unrouted.revisionId })
    expect(moved).toMatchObject({ functionVersion: '2', description: 'moved' })
    const missing = thrown(() => sim.updateAlias('f', { name: 'non-existent' }))
    expect([missing.name, missing.statusCode, missing.message]).toEqual(['ResourceNotFoundException', 404, `Alias not found: ${ARN}:f:non-existent`])
  })

  it('updateAlias applies the routing checks of createAlias to the alias as updated', () => {
    const { sim } = twoVersions()
    sim.createAlias('f', { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
    const err = (input: Parameters<typeof sim.updateAlias>[1]): [string, string] => {
      const e = thrown(() => sim.updateAlias('f', input))
      return [e.name, e.message]
    }
    expect(err({ name: 'live', routingConfig: { additionalVersionWeights: { '1': 0.1, '2': 0.1 } } })).toEqual(['InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1'])
    expect(err({ name: 'live', routingConfig: { additionalVersionWeights: { '2': 2 } } })).toEqual([
      'ValidationException',
      "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
    ])
    // The kept weight on version 2 now names the primary version.
    expect(err({ name: 'live', functionVersion: '2' })).toEqual(['InvalidParameterValueException', 'Invalid function version 2. Function version 2 is already included in routing configuration.'])
    expect(err({ name: 'live', functionVersion: '$LATEST' })).toEqual(['InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version'])
    expect(err({ name: 'live', functionVersion: '10' })).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:f:10`])
    expect(err({ name: 'live', routingConfig: { additionalVersionWeights: { '10': 0.5 } } })).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:f:10`])
    expect(err({ name: 'live', functionVersion: 'x' } as never)).toEqual([
      'ValidationException',
      "1 validation error detected: Value 'x' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST(\\.PUBLISHED)?|[0-9]+)",
    ])
    // Nothing changed.
    expect(sim.getAlias('f', 'live')).toMatchObject({ functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.5 } } })
  })

  it('an updated alias routes the next invoke to its new version at once', async () => {
    const { sim } = twoVersions()
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    expect((await sim.invoke('f:live', {})).executedVersion).toBe('1')
    sim.updateAlias('f', { name: 'live', functionVersion: '2' })
    expect((await sim.invoke('f:live', {})).executedVersion).toBe('2')
    sim.updateAlias('f', { name: 'live', functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 1 } } })
    expect((await sim.invoke('f:live', {})).executedVersion).toBe('2')
  })

  it('deleteAlias: the alias is gone (invoke → not found), a missing alias answers nothing, its event invoke config goes with it', async () => {
    const { sim } = twoVersions()
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'live', maximumRetryAttempts: 0 })
    sim.deleteAlias('f', 'live')
    expect(sim.listAliases('f').aliases).toEqual([])
    const e = await rejected(sim.invoke('f:live', {}))
    expect([e.name, e.message]).toEqual(['ResourceNotFoundException', `Function not found: ${ARN}:f:live`])
    expect(() => sim.deleteAlias('f', 'live')).not.toThrow()
    expect(sim.listFunctionEventInvokeConfigs({ functionName: 'f' }).functionEventInvokeConfigs).toEqual([])
    // A new alias of the same name starts without the old config.
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    expect(thrown(() => sim.getFunctionEventInvokeConfig({ functionName: 'f', qualifier: 'live' })).message).toBe(`The function ${ARN}:f:live doesn't have an EventInvokeConfig`)
    expect(thrown(() => sim.deleteAlias('ghost', 'live')).message).toBe(`Function not found: ${ARN}:ghost`)
  })

  it('deleteAlias: an event queued through the alias is dropped at its next attempt, with a reason', async () => {
    const { sim } = twoVersions()
    sim.createAlias('f', { name: 'live', functionVersion: '1' })
    const r = await sim.invoke('f:live', {}, 'Event')
    sim.deleteAlias('f', 'live')
    await sim.runUntilIdle()
    const terminal = sim.timeline.ofType('terminal').filter((t) => t.requestId === r.requestId)
    expect(terminal).toEqual([expect.objectContaining({ condition: 'Dropped', approximateInvokeCount: 0, reason: 'qualifier live no longer exists' })])
  })

  it('listVersionsByFunction: $LATEST first, then the versions; paging at most 50 per page', () => {
    const sim = createSimulator()
    sim.createFunction('f', versionOf, { description: 'latest' })
    expect(sim.listVersionsByFunction('f')).toEqual({ versions: [{ version: '$LATEST', functionArn: `${ARN}:f:$LATEST`, description: 'latest' }] })
    for (let i = 0; i < 60; i++) {
      sim.updateFunctionConfiguration('f', { environment: { IDX: String(i) } })
      sim.publishVersion('f')
    }
    const p1 = sim.listVersionsByFunction('f', { maxItems: 1000 })
    expect(p1.versions).toHaveLength(50)
    expect(p1.versions.slice(0, 3).map((v) => v.version)).toEqual(['$LATEST', '1', '2'])
    const p2 = sim.listVersionsByFunction('f', { marker: p1.nextMarker as string })
    expect(p2.versions.map((v) => v.version)).toEqual(Array.from({ length: 11 }, (_, i) => String(50 + i)))
    expect(p2.nextMarker).toBeUndefined()
    expect(sim.listVersionsByFunction('f', { maxItems: 2 }).versions.map((v) => v.version)).toEqual(['$LATEST', '1'])
    expect(thrown(() => sim.listVersionsByFunction('f', { maxItems: 10001 })).message).toBe("1 validation error detected: Value '10001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 10000")
    expect(thrown(() => sim.listVersionsByFunction('ghost')).message).toBe(`Function not found: ${ARN}:ghost`)
  })
})
