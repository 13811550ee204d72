import type { Context } from 'aws-lambda'
import { describe, expect, it, vi } from 'vitest'
import { createSimulator } from '../src/index.js'

// Installed before lambda-sim patches the console (on the first attempt), so the patch forwards
// echoed lines here: we can see exactly what reaches the real console.
const realLog = vi.spyOn(console, 'log').mockImplementation(() => {})

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8')

describe('LogType Tail (spec §1.2)', () => {
  it('logResult is base64 of START, the handler lines in AWS format, END and REPORT', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('talk', async (e: { n: number }) => {
      console.log('hello', { n: e.n })
      await sim.sleep(1500)
      console.error('oops %d', 7)
      console.warn('careful')
      console.info('fyi')
      return 'ok'
    })
    const res = await sim.invoke(fn, { n: 1 }, 'RequestResponse', { logType: 'Tail' })
    const id = res.requestId
    expect(decode(res.logResult)).toBe(
      [
        `START RequestId: ${id} Version: $LATEST`,
        `2026-01-01T00:00:00.000Z\t${id}\tINFO\thello { n: 1 }`,
        `2026-01-01T00:00:01.500Z\t${id}\tERROR\toops 7`,
        `2026-01-01T00:00:01.500Z\t${id}\tWARN\tcareful`,
        `2026-01-01T00:00:01.500Z\t${id}\tINFO\tfyi`,
        `END RequestId: ${id}`,
        `REPORT RequestId: ${id}\tDuration: 1500.00 ms\tBilled Duration: 1500 ms\tMemory Size: 128 MB\tMax Memory Used: 0 MB\tInit Duration: 0.00 ms\t`,
        '',
      ].join('\n'),
    )
  })

  it('a warm invoke has no Init Duration, and a published version shows in START', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('warm', async () => 1, { memorySize: 256 })
    sim.publishVersion(fn)
    await sim.invoke('warm:1', {})
    const res = await sim.invoke('warm:1', {}, 'RequestResponse', { logType: 'Tail' })
    const lines = decode(res.logResult).split('\n')
    expect(lines[0]).toBe(`START RequestId: ${res.requestId} Version: 1`)
    expect(lines[2]).toBe(`REPORT RequestId: ${res.requestId}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: 0 MB\t`)
  })

  it('a function error is logged as an Invoke Error line with code, custom properties and the stack', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('err', async () => {
      const e = Object.assign(new Error('declined'), { code: 'E_CARD', retryable: false })
      e.stack = 'Error: declined\n    at handler (index.js:1:1)'
      throw e
    })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(decode(res.logResult).split('\n')[1]).toBe(
      `2026-01-01T00:00:00.000Z\t${res.requestId}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"declined","code":"E_CARD","retryable":false,"stack":["Error: declined","    at handler (index.js:1:1)"]}`,
    )
    expect(res.payload).toEqual({ errorType: 'Error', errorMessage: 'declined', trace: ['Error: declined', '    at handler (index.js:1:1)'] })
  })

  it('a thrown string is logged wrapped in an Error, as the runtime does', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('err', async () => {
      throw 'bad'
    })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    // The runtime wraps it in an Error it creates itself; lambda-sim's own frames are cut from stacks.
    expect(decode(res.logResult).split('\n')[1]).toBe(`2026-01-01T00:00:00.000Z\t${res.requestId}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"bad","stack":["Error: bad"]}`)
    expect(res.payload).toEqual({ errorType: 'string', errorMessage: 'bad', trace: [] })
  })

  it('a timeout is logged with the elapsed seconds', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('slow', async () => {
      await sim.sleep(5000)
    }, { timeout: 1 })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(decode(res.logResult).split('\n')[1]).toBe(`2026-01-01T00:00:01.000Z ${res.requestId} Task timed out after 1.00 seconds`)
  })

  it('a long log is cut to its last 4096 bytes', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('long', async () => {
      for (let i = 0; i < 200; i++) console.log(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`)
    })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    const bytes = Buffer.from(res.logResult ?? '', 'base64')
    expect(bytes.length).toBe(4096)
    const text = bytes.toString('utf8')
    expect(text.endsWith('\t\n')).toBe(true)
    expect(text).toContain(`END RequestId: ${res.requestId}\nREPORT RequestId: ${res.requestId}\t`)
    expect(text).toContain('line 199 ')
    expect(text).not.toContain('START RequestId')
    expect(text).not.toContain('line 000 ')
  })

  it('without LogType Tail there is no logResult; Event ignores Tail', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('quiet', async () => {
      console.log('x')
    })
    expect((await sim.invoke(fn, {})).logResult).toBeUndefined()
    expect((await sim.invoke(fn, {}, 'RequestResponse', { logType: 'None' })).logResult).toBeUndefined()
    expect((await sim.invoke(fn, {}, 'Event', { logType: 'Tail' })).logResult).toBeUndefined()
  })

  it('an invalid logType is a ValidationException', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('f', async () => 1)
    await expect(sim.invoke(fn, {}, 'RequestResponse', { logType: 'Full' as never })).rejects.toThrow(
      "1 validation error detected: Value 'Full' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]",
    )
  })

  it('lines of concurrent invocations go to their own logs', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('par', async (e: { tag: string; ms: number }, ctx: Context) => {
      console.log(`${e.tag} begins`)
      await sim.sleep(e.ms)
      console.log(`${e.tag} ends ${ctx.awsRequestId}`)
    })
    const [a, b] = await Promise.all([
      sim.invoke(fn, { tag: 'A', ms: 200 }, 'RequestResponse', { logType: 'Tail' }),
      sim.invoke(fn, { tag: 'B', ms: 100 }, 'RequestResponse', { logType: 'Tail' }),
    ])
    const la = decode(a.logResult)
    const lb = decode(b.logResult)
    expect(la).toContain('A begins')
    expect(la).toContain(`A ends ${a.requestId}`)
    expect(la).not.toContain('B ')
    expect(lb).toContain(`B ends ${b.requestId}`)
    expect(lb).not.toContain('A ')
  })
})

describe('console capture and echo', () => {
  it('handler console output is captured and not echoed by default', async () => {
    realLog.mockClear()
    const sim = createSimulator()
    const fn = sim.createFunction('silent', async () => {
      console.log('captured only')
    })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(decode(res.logResult)).toContain('\tINFO\tcaptured only\n')
    expect(realLog).not.toHaveBeenCalled()
  })

  it('echoLogs: true also prints handler lines to the real console', async () => {
    realLog.mockClear()
    const sim = createSimulator({ echoLogs: true })
    const fn = sim.createFunction('loud', async () => {
      console.log('echoed', 1)
    })
    await sim.invoke(fn, {})
    expect(realLog).toHaveBeenCalledTimes(1)
    expect(realLog).toHaveBeenCalledWith('echoed', 1)
  })

  it('console.fatal exists in handler code and logs a FATAL line, as the runtime adds it', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('fatal', async () => {
      ;(console as unknown as { fatal(...args: unknown[]): void }).fatal('disk %s', 'full')
      return 'logged'
    })
    const res = await sim.invoke(fn, {}, 'RequestResponse', { logType: 'Tail' })
    expect(res.payload).toBe('logged')
    expect(decode(res.logResult).split('\n')[1]).toBe(`2026-01-01T00:00:00.000Z\t${res.requestId}\tFATAL\tdisk full`)
  })

  it('console calls outside any handler reach the real console', () => {
    realLog.mockClear()
    console.log('from the test')
    expect(realLog).toHaveBeenCalledWith('from the test')
  })
})
