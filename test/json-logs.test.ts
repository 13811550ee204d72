import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda'
import { describe, expect, it, vi } from 'vitest'
import { createSimulator, LambdaError, SimulatorError } from '../src/index.js'
import { lambdaClient } from '../src/sdk/index.js'
import { rejection, thrownBy } from './helpers/errors.js'

// Installed before lambda-sim patches the console, so no captured line reaches the test's output.
vi.spyOn(console, 'log').mockImplementation(() => {})

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8')
const lines = (b64: string | undefined): string[] => decode(b64).split('\n').slice(0, -1)
const T0 = '2026-01-01T00:00:00.000Z'

describe('JSON log format (Lambda advanced logging controls, Node.js runtime LogPatch.js)', () => {
  it('each console call is one JSON line {timestamp, level, requestId, message}; START and REPORT are platform.start and platform.report records', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction(
      'talk',
      async () => {
        console.log('hello %s', 'world')
        await sim.sleep(1500)
        console.warn('careful')
        console.error('oops %d', 7)
        console.info('fyi')
        return 'ok'
      },
      { loggingConfig: { logFormat: 'JSON' } },
    )
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const id = res.requestId
    expect(lines(res.logResult)).toEqual([
      `{"time":"${T0}","type":"platform.start","record":{"requestId":"${id}","functionArn":"${fn.arn}","version":"$LATEST"}}`,
      `{"timestamp":"${T0}","level":"INFO","requestId":"${id}","message":"hello world"}`,
      `{"timestamp":"2026-01-01T00:00:01.500Z","level":"WARN","requestId":"${id}","message":"careful"}`,
      `{"timestamp":"2026-01-01T00:00:01.500Z","level":"ERROR","requestId":"${id}","message":"oops 7"}`,
      `{"timestamp":"2026-01-01T00:00:01.500Z","level":"INFO","requestId":"${id}","message":"fyi"}`,
      `{"time":"2026-01-01T00:00:01.500Z","type":"platform.report","record":{"requestId":"${id}","metrics":{"durationMs":1500,"billedDurationMs":1500,"memorySizeMB":128,"maxMemoryUsedMB":0,"initDurationMs":0},"status":"success"}}`,
    ])
    // A warm start has no initDurationMs.
    const warm = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(warm.logResult).at(-1)).toBe(
      `{"time":"2026-01-01T00:00:03.000Z","type":"platform.report","record":{"requestId":"${warm.requestId}","metrics":{"durationMs":1500,"billedDurationMs":1500,"memorySizeMB":128,"maxMemoryUsedMB":0},"status":"success"}}`,
    )
  })

  it('console methods map to levels and lines below applicationLogLevel (default INFO) are dropped', async () => {
    const sim = createSimulator()
    const all = async (): Promise<void> => {
      console.trace('t')
      console.debug('d')
      console.info('i')
      console.log('l')
      console.warn('w')
      console.error('e')
      ;(console as unknown as { fatal(m: string): void }).fatal('f')
    }
    const levelsOf = (b64: string | undefined): string[] =>
      lines(b64)
        .map((l) => JSON.parse(l) as { level?: string; message?: string })
        .filter((r) => r.level !== undefined)
        .map((r) => `${r.level as string}:${r.message as string}`)
    const byDefault = sim.createFunction('dflt', all, { loggingConfig: { logFormat: 'JSON' } })
    expect(levelsOf((await sim.invoke(byDefault, {}, 'RequestResponse', { logType: 'Tail' })).logResult)).toEqual(['INFO:i', 'INFO:l', 'WARN:w', 'ERROR:e', 'FATAL:f'])
    const trace = sim.createFunction('trace', all, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'TRACE' } })
    expect(levelsOf((await sim.invoke(trace, {}, 'RequestResponse', { logType: 'Tail' })).logResult)).toEqual(['TRACE:t', 'DEBUG:d', 'INFO:i', 'INFO:l', 'WARN:w', 'ERROR:e', 'FATAL:f'])
    const warn = sim.createFunction('warn', all, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN' } })
    expect(levelsOf((await sim.invoke(warn, {}, 'RequestResponse', { logType: 'Tail' })).logResult)).toEqual(['WARN:w', 'ERROR:e', 'FATAL:f'])
    const fatal = sim.createFunction('fatal', all, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'FATAL' } })
    expect(levelsOf((await sim.invoke(fatal, {}, 'RequestResponse', { logType: 'Tail' })).logResult)).toEqual(['FATAL:f'])
  })

  it('a single object argument is the message itself; several arguments are formatted, with errorType, errorMessage and stackTrace of the first Error', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction(
      'objs',
      async () => {
        console.log({ a: 1, b: [2] })
        const e = Object.assign(new Error('bad card'), { code: 'E_CARD' })
        e.stack = 'Error: bad card\n    at handler (index.js:1:1)'
        console.error(e)
        console.error('failed:', e.message, e)
        const circular: Record<string, unknown> = { x: 1 }
        circular['self'] = circular
        console.log(circular)
        return null
      },
      { loggingConfig: { logFormat: 'JSON' } },
    )
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const id = res.requestId
    const got = lines(res.logResult).slice(1, -1)
    expect(got[0]).toBe(`{"timestamp":"${T0}","level":"INFO","requestId":"${id}","message":{"a":1,"b":[2]}}`)
    expect(got[1]).toBe(
      `{"timestamp":"${T0}","level":"ERROR","requestId":"${id}","message":{"errorType":"Error","errorMessage":"bad card","stackTrace":["Error: bad card","    at handler (index.js:1:1)"],"code":"E_CARD"}}`,
    )
    const third = JSON.parse(got[2] as string) as Record<string, unknown>
    expect(Object.keys(third)).toEqual(['timestamp', 'level', 'requestId', 'message', 'errorType', 'errorMessage', 'stackTrace'])
    expect(third['message']).toMatch(/^failed: bad card Error: bad card\n {4}at handler \(index\.js:1:1\) \{\n {2}code: 'E_CARD'\n\}$/)
    expect([third['errorType'], third['errorMessage'], third['stackTrace']]).toEqual(['Error', 'bad card', ['Error: bad card', '    at handler (index.js:1:1)']])
    expect(got[3]).toBe(`{"timestamp":"${T0}","level":"INFO","requestId":"${id}","message":"<ref *1> { x: 1, self: [Circular *1] }"}`)
  })

  it('a function error is logged as an ERROR record whose message is the error (no "Invoke Error" label, dropped at applicationLogLevel FATAL), then platform.runtimeDone (WARN when not successful) and platform.report with status error', async () => {
    const sim = createSimulator()
    const failing = async (): Promise<never> => {
      const e = Object.assign(new Error('declined'), { code: 'E_CARD', retryable: false })
      e.stack = 'Error: declined\n    at handler (index.js:1:1)'
      throw e
    }
    const fn = sim.createFunction('err', failing, { loggingConfig: { logFormat: 'JSON' } })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const id = res.requestId
    expect(lines(res.logResult).slice(1)).toEqual([
      `{"timestamp":"${T0}","level":"ERROR","requestId":"${id}","message":{"errorType":"Error","errorMessage":"declined","stackTrace":["Error: declined","    at handler (index.js:1:1)"],"code":"E_CARD","retryable":false}}`,
      `{"time":"${T0}","type":"platform.runtimeDone","record":{"requestId":"${id}","status":"error","errorType":"Error","metrics":{"durationMs":0,"producedBytes":0}}}`,
      `{"time":"${T0}","type":"platform.report","record":{"requestId":"${id}","metrics":{"durationMs":0,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":0,"initDurationMs":0},"status":"error","errorType":"Error"}}`,
    ])
    const quiet = sim.createFunction('quiet', failing, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'FATAL' } })
    const r2 = await sim.invoke(quiet, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(r2.logResult).map((l) => (JSON.parse(l) as { type?: string }).type)).toEqual(['platform.start', 'platform.runtimeDone', 'platform.report'])
    // A thrown string is wrapped in an Error, as in Text format.
    const str = sim.createFunction('str', async () => {
      throw 'nope'
    }, { loggingConfig: { logFormat: 'JSON' } })
    const r3 = await sim.invoke(str, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(r3.logResult)[1]).toBe(`{"timestamp":"${T0}","level":"ERROR","requestId":"${r3.requestId}","message":{"errorType":"Error","errorMessage":"nope","stackTrace":["Error: nope"]}}`)
  })

  it('init lines carry no requestId (the runtime has none yet) and come before platform.start; an init error is logged there as an ERROR record', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('init', async () => 'ok', {
      loggingConfig: { logFormat: 'JSON' },
      init: () => {
        console.log('loading')
        const e = new Error('no config')
        e.stack = 'Error: no config\n    at init (index.js:2:2)'
        throw e
      },
    })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(res.logResult).slice(0, 3)).toEqual([
      `{"timestamp":"${T0}","level":"INFO","message":"loading"}`,
      `{"timestamp":"${T0}","level":"ERROR","message":{"errorType":"Error","errorMessage":"no config","stackTrace":["Error: no config","    at init (index.js:2:2)"]}}`,
      `{"time":"${T0}","type":"platform.start","record":{"requestId":"${res.requestId}","functionArn":"${fn.arn}","version":"$LATEST"}}`,
    ])
  })

  it('a timeout is reported by platform.runtimeDone and platform.report with status timeout (no "Task timed out" text line)', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('slow', async () => sim.sleep(5000), { timeout: 1, loggingConfig: { logFormat: 'JSON' } })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(res.logResult)).toEqual([
      `{"time":"${T0}","type":"platform.start","record":{"requestId":"${res.requestId}","functionArn":"${fn.arn}","version":"$LATEST"}}`,
      `{"time":"2026-01-01T00:00:01.000Z","type":"platform.runtimeDone","record":{"requestId":"${res.requestId}","status":"timeout","metrics":{"durationMs":1000,"producedBytes":0}}}`,
      `{"time":"2026-01-01T00:00:01.000Z","type":"platform.report","record":{"requestId":"${res.requestId}","metrics":{"durationMs":1000,"billedDurationMs":1000,"memorySizeMB":128,"maxMemoryUsedMB":0,"initDurationMs":0},"status":"timeout"}}`,
    ])
  })

  it('systemLogLevel filters the platform records: WARN keeps only the records of a failed invocation, DEBUG adds platform.runtimeDone of a successful one', async () => {
    const sim = createSimulator()
    const warn = sim.createFunction('w', async (e: { fail?: boolean }) => {
      console.warn('app line')
      if (e.fail === true) throw new Error('x')
      return 'ok'
    }, { loggingConfig: { logFormat: 'JSON', systemLogLevel: 'WARN' } })
    const ok = await sim.invoke(warn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(ok.logResult)).toEqual([`{"timestamp":"${T0}","level":"WARN","requestId":"${ok.requestId}","message":"app line"}`])
    const failed = await sim.invoke(warn, { fail: true }, 'RequestResponse', { logType: 'Tail' })
    expect(lines(failed.logResult).map((l) => (JSON.parse(l) as { type?: string; level?: string }).type ?? (JSON.parse(l) as { level: string }).level)).toEqual(['WARN', 'ERROR', 'platform.runtimeDone', 'platform.report'])

    const debug = sim.createFunction('d', async () => ({ hi: 1 }), { loggingConfig: { logFormat: 'JSON', systemLogLevel: 'DEBUG' } })
    const d = await sim.invoke(debug, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(d.logResult)[1]).toBe(`{"time":"${T0}","type":"platform.runtimeDone","record":{"requestId":"${d.requestId}","status":"success","metrics":{"durationMs":0,"producedBytes":8}}}`)
    expect(lines(d.logResult).length).toBe(3)
  })
})

describe('loggingConfig validation (CreateFunction / UpdateFunctionConfiguration LoggingConfig)', () => {
  it('a bad logFormat or level is a ValidationException naming the member and the allowed values', async () => {
    const sim = createSimulator()
    const h = async (): Promise<null> => null
    const e1 = (await thrownBy(() => sim.createFunction('a', h, { loggingConfig: { logFormat: 'XML' as 'JSON' } }))) as LambdaError
    expect([e1.name, e1.message]).toEqual(['ValidationException', "1 validation error detected: Value 'XML' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]"])
    const e2 = (await thrownBy(() => sim.createFunction('a', h, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'info' as 'INFO', systemLogLevel: 'ERROR' as 'WARN' } }))) as LambdaError
    expect([e2.name, e2.message]).toEqual([
      'ValidationException',
      "2 validation errors detected: Value 'info' at 'loggingConfig.applicationLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]; Value 'ERROR' at 'loggingConfig.systemLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [DEBUG, INFO, WARN]",
    ])
    expect(sim.createFunction('a', h).name).toBe('a')
  })

  it('log levels with the Text format are refused (InvalidParameterValueException), as AWS does', async () => {
    const sim = createSimulator()
    const e = (await thrownBy(() => sim.createFunction('a', async () => null, { loggingConfig: { logFormat: 'Text', applicationLogLevel: 'DEBUG' } }))) as LambdaError
    expect(e).toBeInstanceOf(LambdaError)
    expect([e.name, e.message]).toEqual(['InvalidParameterValueException', 'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.'])
  })

  it('a loggingConfig that is not an object, or has an unknown key, is a SimulatorError', async () => {
    const sim = createSimulator()
    const e1 = await thrownBy(() => sim.createFunction('a', async () => null, { loggingConfig: 'JSON' as never }))
    expect(e1).toBeInstanceOf(SimulatorError)
    expect((e1 as Error).message).toContain('loggingConfig')
    const e2 = await thrownBy(() => sim.createFunction('a', async () => null, { loggingConfig: { logFormat: 'JSON', logGroup: '/x' } as never }))
    expect(e2).toBeInstanceOf(SimulatorError)
    expect((e2 as Error).message).toContain('logGroup')
  })

  it('updateFunctionConfiguration switches the format; a new environment logs in it', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('u', async () => {
      console.log('x')
      return null
    })
    sim.updateFunctionConfiguration(fn, { loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN' } })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(res.logResult).length).toBe(2)
    sim.updateFunctionConfiguration(fn, { loggingConfig: { logFormat: 'Text' } })
    const res2 = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(res2.logResult)[1]).toBe(`2026-01-01T00:00:00.000Z\t${res2.requestId}\tINFO\tx`)
  })
})

describe('loggingConfig is part of a version', () => {
  it('a published version keeps the format it was published with; a change of $LATEST publishes a new version', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('v', async () => {
      console.log('x')
      return null
    }, { loggingConfig: { logFormat: 'JSON' } })
    expect(sim.publishVersion(fn).version).toBe('1')
    sim.updateFunctionConfiguration(fn, { loggingConfig: { logFormat: 'Text' } })
    expect(sim.publishVersion(fn).version).toBe('2')
    const one = await sim.invoke('v:1', {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(one.logResult)[1]).toBe(`{"timestamp":"${T0}","level":"INFO","requestId":"${one.requestId}","message":"x"}`)
    const two = await sim.invoke('v:2', {}, 'RequestResponse', { logType: 'Tail' })
    expect(lines(two.logResult)[1]).toBe(`${T0}\t${two.requestId}\tINFO\tx`)
  })
})

describe('SDK adapter LoggingConfig', () => {
  it('GetFunctionConfiguration answers the format and, for JSON, both levels (default INFO); UpdateFunctionConfiguration sets them', async () => {
    const sim = createSimulator()
    sim.createFunction('s', async () => null)
    const client = lambdaClient(sim)
    const text = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 's' }))
    expect(text.LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/s' })
    const updated = await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 's', LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } }))
    expect(updated.LoggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: '/aws/lambda/s' })
    expect(updated.RevisionId).not.toBe(text.RevisionId)
    const bad = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 's', LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'DEBUG' } })))
    expect(bad.name).toBe('InvalidParameterValueException')
    const group = await rejection(client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 's', LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom' } })))
    expect(group.name).toBe('NotImplementedException')
  })
})
