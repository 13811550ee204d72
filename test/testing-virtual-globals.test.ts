import type { Callback as Cb } from 'aws-lambda'
import * as nodeTimers from 'node:timers'
import { setImmediate as immediatePromise, setInterval as intervalPromise, scheduler as timersScheduler, setTimeout as sleepPromise } from 'node:timers/promises'
import { syncBuiltinESMExports } from 'node:module'
import { mock } from 'node:test'
import { promisify } from 'node:util'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createSimulator, SimulatorError } from '../src/index.js'
import { expectAttempts } from '../src/testing/index.js'

const start = Date.parse('2026-01-01T00:00:00.000Z')
let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

describe('sim.useVirtualGlobals()', () => {
  test('Date.now() and new Date() follow the virtual clock, in handler code and test code; restore brings back real time', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const seen: number[] = []
    sim.createFunction('f', async () => {
      seen.push(Date.now(), new Date().getTime())
      await sim.sleep(1_500)
      seen.push(Date.now())
    })
    expect(Date.now()).toBe(start)
    await sim.invoke('f', {})
    expect(seen).toEqual([start, start, start + 1_500])
    await sim.advanceBy(60_000)
    expect(new Date().toISOString()).toBe('2026-01-01T00:01:01.500Z')
    restore()
    restore = undefined
    expect(Date.now()).toBeGreaterThan(Date.parse('2024-01-01T00:00:00.000Z'))
    expect(Date.now()).not.toBe(start + 61_500)
  })

  test('setTimeout in a handler parks the attempt on the virtual clock: awaiting a 5 s timer ends the attempt at +5 s', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000))
      return Date.now() - start
    }, { timeout: 10 })
    const r = await sim.invoke('f', {})
    expect(r.payload).toBe(5_000)
    expect(sim.now()).toBe(start + 5_000)
  })

  test('setInterval ticks every period until cleared; setImmediate runs at the same instant; util.promisify(setTimeout) is virtual', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      const ticks: number[] = []
      await new Promise<void>((resolve) => {
        const handle = setInterval(() => {
          ticks.push(Date.now() - start)
          if (ticks.length === 3) {
            clearInterval(handle)
            resolve()
          }
        }, 100)
      })
      const immediate = await new Promise<number>((resolve) => setImmediate(() => resolve(Date.now() - start)))
      await promisify(setTimeout)(250)
      return { ticks, immediate, end: Date.now() - start }
    })
    const r = await sim.invoke('f', {})
    expect(r.payload).toEqual({ ticks: [100, 200, 300], immediate: 300, end: 550 })
  })

  test('setTimeout(fn, 0) waits 1 ms as in Node; a cleared timer never fires and leaves nothing behind', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: string[] = []
    sim.createFunction('f', async () => {
      const t = setTimeout(() => fired.push('cleared'), 10_000)
      clearTimeout(t)
      await new Promise((resolve) => setTimeout(resolve, 0))
      return Date.now() - start
    })
    const r = await sim.invoke('f', {})
    expect(r.payload).toBe(1)
    await sim.advanceBy(20_000)
    expect(fired).toEqual([])
    expect(sim.timeline.ofType('warning')).toEqual([])
  })

  test('a timer left running when the handler returns freezes with the environment and fires (overdue, at once) in the next invocation that gives it a turn', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: number[] = []
    let calls = 0
    sim.createFunction('f', async () => {
      if (calls++ === 0) setTimeout(() => fired.push(Date.now() - start), 1_000)
      else await new Promise((resolve) => setTimeout(resolve, 1))
    })
    await sim.invoke('f', {})
    await sim.advanceBy(10_000)
    expect(fired).toEqual([])
    expect(sim.timeline.ofType('work-left-running').map((w) => w.pending)).toEqual([1])
    await sim.invoke('f', {})
    expect(fired).toEqual([10_000])
  })

  test('a timer longer than the function timeout ends the attempt as a timeout at the deadline', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      await new Promise((resolve) => setTimeout(resolve, 60_000))
    }, { timeout: 3 })
    const r = await sim.invoke('f', {})
    expect(r.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 3.00 seconds` })
    expect(sim.now()).toBe(start + 3_000)
  })

  test('an exception thrown in a timer callback fails the attempt with that error, as an uncaught exception does on Lambda', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      setTimeout(() => {
        throw new TypeError('late failure')
      }, 50)
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    })
    const r = await sim.invoke('f', {})
    expect(r.functionError).toBe('Unhandled')
    expect((r.payload as { errorType: string; errorMessage: string }).errorType).toBe('TypeError')
    expect((r.payload as { errorMessage: string }).errorMessage).toBe('late failure')
    expect(sim.now()).toBe(start + 50)
  })

  test('outside handler code the timers stay real, so test code and the runner keep working', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const value = await new Promise<string>((resolve) => setTimeout(() => resolve('real'), 1))
    expect(value).toBe('real')
    expect(sim.now()).toBe(start)
  })

  test('retries of an async event see the virtual Date of each attempt', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const seen: string[] = []
    sim.createFunction('f', async () => {
      seen.push(new Date().toISOString())
      throw new Error('again')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expectAttempts(sim, requestId).at([0, 60_000, 180_000])
    expect(seen).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', '2026-01-01T00:03:00.000Z'])
  })

  test('timer ids count per simulator: the same program gets the same ids in a fresh simulator, whatever ran before it', async () => {
    const ids = async (): Promise<unknown> => {
      const sim = createSimulator()
      restore = sim.useVirtualGlobals()
      sim.createFunction('f', async () => {
        const t = setTimeout(() => undefined, 10)
        const i = setInterval(() => undefined, 10)
        clearInterval(i)
        await new Promise((resolve) => setTimeout(resolve, 20))
        return [Number(t), Number(i)]
      })
      const first = (await sim.invoke('f', {})).payload
      const second = (await sim.invoke('f', {})).payload
      restore()
      restore = undefined
      return [first, second]
    }
    expect(await ids()).toEqual([
      [1, 2],
      [4, 5],
    ])
    expect(await ids()).toEqual([
      [1, 2],
      [4, 5],
    ])
  })

  test('only one simulator at a time; the restore function is idempotent', () => {
    const a = createSimulator()
    const b = createSimulator()
    const undo = a.useVirtualGlobals()
    expect(() => a.useVirtualGlobals()).toThrow('Virtual globals are already on for this simulator; call the restore function useVirtualGlobals() returned first')
    expect(() => b.useVirtualGlobals()).toThrow('Virtual globals are already on for another simulator; call the restore function its useVirtualGlobals() returned first')
    undo()
    undo()
    restore = b.useVirtualGlobals()
  })

  test("restore() after another fake-timers tool replaced the globals on top (node:test's mock.timers.enable()) still restores, then throws InvalidUse naming what was replaced and the way out, instead of leaving a frozen Date behind silently", () => {
    const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, Date: globalThis.Date }
    // MockTimers also replaces node:timers' exports, and puts back what it found there (ours) on reset.
    const timersExports = (nodeTimers as unknown as { default: Record<string, unknown> }).default
    const realTimers = { setTimeout: timersExports['setTimeout'], clearTimeout: timersExports['clearTimeout'] }
    const sim = createSimulator()
    const off = sim.useVirtualGlobals()
    mock.timers.enable({ apis: ['Date', 'setTimeout'] })
    try {
      expect(off).toThrow(
        new SimulatorError(
          'InvalidUse',
          "useVirtualGlobals() restore: Date, setTimeout and clearTimeout were replaced after useVirtualGlobals() by another fake-timers tool (node:test's mock.timers.enable()?), which will put lambda-sim's back when it resets, leaving Date at virtual time. Reset that tool first (t.mock.timers.reset()), or turn it on before useVirtualGlobals(); both replace the same globals",
        ),
      )
    } finally {
      mock.timers.reset()
      Object.assign(globalThis, real)
      Object.assign(timersExports, realTimers)
      syncBuiltinESMExports()
    }
    // Restored and off: another simulator can turn virtual globals on.
    const again = createSimulator().useVirtualGlobals()
    again()
    expect(globalThis.Date).toBe(real.Date)
  })

  test("refused while vi.useFakeTimers() owns Date, with lambda-sim's own message naming the way out; the refusal leaves nothing on, so it works after vi.useRealTimers()", async () => {
    const sim = createSimulator()
    vi.useFakeTimers()
    try {
      // Before: @sinonjs/fake-timers' "Can't install fake timers twice on the same global object.",
      // and every later useVirtualGlobals() in the process "already on for another simulator".
      expect(() => sim.useVirtualGlobals()).toThrow(
        'useVirtualGlobals(): Date is already faked by another fake-timers clock (vi.useFakeTimers() or jest.useFakeTimers()?); both replace the same globals. Call vi.useRealTimers() / jest.useRealTimers() first, or wait with sim.sleep(ms) in handler code instead of virtual globals',
      )
      expect(() => createSimulator().useVirtualGlobals()).toThrow(SimulatorError)
    } finally {
      vi.useRealTimers()
    }
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      await new Promise((r) => setTimeout(r, 1_000))
      return Date.now()
    })
    expect((await sim.invoke('f', {})).payload).toBe(start + 1_000)
  })
})

describe('virtual globals follow Node 20 (lib/timers.js) in handler code', () => {
  test('unref(): an unref\'d timer does not hold the callback answer (the runtime answers on beforeExit); it freezes with the environment; ref() holds it again', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const refs: boolean[] = []
    const fired: number[] = []
    sim.createFunction('f', (event: { again: boolean }, _c: unknown, cb: Cb) => {
      const t = setTimeout(() => fired.push(Date.now() - start), 500)
      refs.push(t.hasRef(), t.unref() === t, t.hasRef())
      if (event.again) refs.push(t.ref() === t, t.hasRef())
      setTimeout(() => undefined, 100)
      cb(null, 'ok')
    })
    const r = await sim.invoke('f', { again: false })
    expect(r.payload).toBe('ok')
    expect(sim.now()).toBe(start + 100)
    expect(sim.timeline.ofType('work-left-running').map((w) => w.pending)).toEqual([1])
    expect(fired).toEqual([])
    const r2 = await sim.invoke('f', { again: true })
    expect(r2.payload).toBe('ok')
    expect(sim.now()).toBe(start + 600)
    expect(fired).toEqual([500, 600])
    expect(refs).toEqual([true, true, false, true, true, false, true, true])
  })

  test('a non-async handler with only unref\'d timers answers null at once; a ref\'d timer cleared by another timer lets the answer go at that instant', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('plain', () => {
      setInterval(() => undefined, 50).unref()
    })
    sim.createFunction('cb', (_e: unknown, _c: unknown, cb: Cb) => {
      const long = setTimeout(() => undefined, 2_000)
      setTimeout(() => clearTimeout(long), 100)
      cb(null, 'ok')
    })
    const r = await sim.invoke('plain', {})
    expect(r.payload).toBeNull()
    expect(sim.now()).toBe(start)
    const r2 = await sim.invoke('cb', {})
    expect(r2.payload).toBe('ok')
    expect(sim.now()).toBe(start + 100)
  })

  test('refresh() restarts a pending timer from now, re-arms one that already fired, and does nothing after clearTimeout', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: string[] = []
    sim.createFunction('f', async () => {
      const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
      const a = setTimeout(() => fired.push(`a@${Date.now() - start}`), 50)
      const b = setTimeout(() => fired.push(`b@${Date.now() - start}`), 50)
      await wait(30)
      expect(b.refresh()).toBe(b)
      await wait(100)
      a.refresh()
      clearTimeout(b)
      b.refresh()
      await wait(100)
    })
    await sim.invoke('f', {})
    expect(fired).toEqual(['a@50', 'b@80', 'a@180'])
  })

  test('setInterval re-arms after its callback, from when it was due: a same-period timeout started in the callback runs first at the next tick', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      const log: string[] = []
      await new Promise<void>((resolve) => {
        let n = 0
        const iv = setInterval(() => {
          n++
          log.push(`iv${n}@${Date.now() - start}`)
          if (n === 1) setTimeout(() => log.push(`to@${Date.now() - start}`), 20)
          if (n === 3) {
            clearInterval(iv)
            resolve()
          }
        }, 20)
      })
      return log
    })
    expect((await sim.invoke('f', {})).payload).toEqual(['iv1@20', 'to@40', 'iv2@40', 'iv3@60'])
  })

  test('delays: numbers in strings count, NaN/negative/non-numbers are 1 ms, above 2^31-1 is 1 ms with Node\'s TimeoutOverflowWarning; extra arguments reach the callback', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    try {
      sim.createFunction('f', async () => {
        const at = (delay: unknown, ...args: unknown[]) =>
          new Promise((resolve) => setTimeout((...got: unknown[]) => resolve([Date.now() - start, ...got]), delay as number, ...args))
        const t0 = Date.now()
        const out = [await at('7', 'x', 2), await at(NaN), await at(-5), await at('soon'), await at(2 ** 31), await at(2 ** 31 - 1 - 2 ** 31 + 3.9)]
        let bigint = ''
        try {
          setTimeout(() => undefined, 5n as unknown as number)
        } catch (error) {
          bigint = `${(error as Error).name}: ${(error as Error).message}`
        }
        return { out, elapsed: Date.now() - t0, bigint }
      })
      const r = await sim.invoke('f', {})
      expect(r.payload).toEqual({ out: [[7, 'x', 2], [8], [9], [10], [11], [13]], elapsed: 13, bigint: 'TypeError: Cannot mix BigInt and other types, use explicit conversions' })
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).toEqual(['TimeoutOverflowWarning: 2147483648 does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.'])
    } finally {
      process.off('warning', onWarning)
    }
  })

  test('setImmediate returns an Immediate as Node does (ref/unref/hasRef only, no id); clearTimeout and clearInterval ignore it, clearImmediate cancels it; it runs before a 1 ms timer', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: string[] = []
    sim.createFunction('f', async () => {
      setTimeout(() => fired.push('timeout'), 0)
      const a = setImmediate(() => fired.push('a'))
      const b = setImmediate((x: string) => fired.push(x), 'b')
      const c = setImmediate(() => fired.push('c'))
      clearTimeout(a as unknown as NodeJS.Timeout)
      clearInterval(b as unknown as NodeJS.Timeout)
      clearImmediate(c)
      const shape = [typeof a.ref, typeof a.unref, a.hasRef(), 'refresh' in a, 'close' in a, Symbol.toPrimitive in a]
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { shape, at: Date.now() - start }
    })
    expect((await sim.invoke('f', {})).payload).toEqual({ shape: ['function', 'function', true, false, false, false], at: 5 })
    expect(fired).toEqual(['a', 'b', 'timeout'])
  })


  test('node:timers/promises (setTimeout, setImmediate, scheduler.wait) and node:timers are virtual in handler code, real outside it and after restore; an abort rejects with Node\'s AbortError', async () => {
    const realSleep = sleepPromise
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    expect(await sleepPromise(1, 'real')).toBe('real')
    expect(sim.now()).toBe(start)
    sim.createFunction('f', async () => {
      const seen: unknown[] = []
      seen.push(await sleepPromise(250, 'v'), Date.now() - start)
      seen.push(await immediatePromise('i'), Date.now() - start)
      await timersScheduler.wait(50)
      seen.push(Date.now() - start)
      await new Promise((resolve) => nodeTimers.setTimeout(resolve, 100))
      seen.push(Date.now() - start)
      const ac = new AbortController()
      const aborted = sleepPromise(1_000, 'x', { signal: ac.signal })
      await sleepPromise(10)
      ac.abort()
      const e = (await aborted.catch((error: unknown) => error)) as Error & { code: string }
      seen.push(e.name, e.code, e.message, (e.cause as Error).name, Date.now() - start)
      return seen
    })
    const r = await sim.invoke('f', {})
    expect(r.payload).toEqual(['v', 250, 'i', 250, 300, 400, 'AbortError', 'ABORT_ERR', 'The operation was aborted', 'AbortError', 410])
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
    restore()
    restore = undefined
    expect(sleepPromise).toBe(realSleep)
    expect(nodeTimers.setTimeout).toBe(globalThis.setTimeout)
    expect(Object.hasOwn(timersScheduler, 'wait')).toBe(false)
  })
  test('AbortSignal.timeout(ms) in handler code aborts on the virtual clock with Node\'s TimeoutError DOMException; outside handler code and after restore it is the real one', async () => {
    const realTimeout = AbortSignal.timeout
    const sim = createSimulator({ strict: { leftoverWork: true } })
    restore = sim.useVirtualGlobals()
    expect(AbortSignal.timeout(1)).toBeInstanceOf(AbortSignal)
    sim.createFunction('f', async () => {
      const seen: unknown[] = []
      // a timed-out wait: the signal aborts at +2 s, so the 5 s sleep rejects with AbortError (cause: the TimeoutError)
      const e = (await sleepPromise(5_000, 'late', { signal: AbortSignal.timeout(2_000) }).catch((error: unknown) => error)) as Error & { cause: DOMException }
      seen.push(e.name, e.cause.name, e.cause.message, e.cause.code, Date.now() - start)
      // awaiting only the signal (a request that never answers) ends at the signal's instant, not after the real-time grace
      const s = AbortSignal.timeout(1_500)
      seen.push(s.aborted)
      await new Promise((resolve) => s.addEventListener('abort', resolve, { once: true }))
      seen.push(s.aborted, (s.reason as DOMException).name, Date.now() - start)
      // a wait that finishes first is not aborted; its signal's timer is left behind, which is not work the handler forgot to await
      seen.push(await sleepPromise(100, 'fast', { signal: AbortSignal.timeout(10_000) }), Date.now() - start)
      return seen
    }, { timeout: 20 })
    const r = await sim.invoke('f', {})
    expect(r.payload).toEqual(['AbortError', 'TimeoutError', 'The operation was aborted due to timeout', 23, 2_000, false, true, 'TimeoutError', 3_500, 'fast', 3_600])
    expect(sim.now()).toBe(start + 3_600)
    expect(sim.timeline.ofType('warning')).toEqual([])
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
    expect(() => AbortSignal.timeout(-1)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }))
    restore()
    restore = undefined
    expect(AbortSignal.timeout).toBe(realTimeout)
  })

  test('node:timers/promises setInterval (the async iterator) ticks on the virtual clock in handler code: break clears it, an abort rejects with AbortError, ticks not yet consumed are yielded at once; real outside handler code', async () => {
    const realInterval = intervalPromise
    const sim = createSimulator({ strict: { leftoverWork: true } })
    restore = sim.useVirtualGlobals()
    sim.createFunction('f', async () => {
      const seen: unknown[] = []
      for await (const v of intervalPromise(1_000, 'tick')) {
        seen.push(v, Date.now() - start)
        if (seen.length === 6) break
      }
      // the timer starts at the first next(), as in Node (the generator's body); then a slow consumer:
      // ticks that came while it was busy are yielded at once, one per tick (Node's notYielded count)
      const it = intervalPromise(100, 'slow')[Symbol.asyncIterator]()
      await sleepPromise(350)
      seen.push((await it.next()).value, Date.now() - start)
      await sleepPromise(350)
      for (let i = 0; i < 4; i++) seen.push((await it.next()).value, Date.now() - start)
      await it.return?.(undefined)
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 2_500)
      const e = await (async () => {
        for await (const _ of intervalPromise(1_000, undefined, { signal: ac.signal })) seen.push('aborting', Date.now() - start)
      })().catch((error: unknown) => error) as Error & { code: string }
      seen.push(e.name, e.code, Date.now() - start)
      return seen
    }, { timeout: 20 })
    const r = await sim.invoke('f', {})
    expect(r.payload).toEqual(['tick', 1_000, 'tick', 2_000, 'tick', 3_000, 'slow', 3_450, 'slow', 3_800, 'slow', 3_800, 'slow', 3_800, 'slow', 3_850, 'aborting', 4_850, 'aborting', 5_850, 'AbortError', 'ABORT_ERR', 6_350])
    expect(sim.timeline.ofType('warning')).toEqual([])
    expect(sim.timeline.ofType('work-left-running')).toEqual([])
    restore()
    restore = undefined
    expect(intervalPromise).toBe(realInterval)
  })

  test('clearTimeout clears an interval and clearInterval a timeout; handles clear by object, number or numeric string; same-ms timers run in creation order', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: string[] = []
    sim.createFunction('f', async () => {
      const iv = setInterval(() => fired.push('iv'), 10)
      const to = setTimeout(() => fired.push('to'), 10)
      const n = setTimeout(() => fired.push('n'), 10)
      const s = setTimeout(() => fired.push('s'), 10)
      for (const name of ['c', 'b', 'a']) setTimeout(() => fired.push(name), 15)
      clearTimeout(iv)
      clearInterval(to)
      clearTimeout(Number(n))
      clearTimeout(String(+s) as unknown as number)
      await new Promise((resolve) => setTimeout(resolve, 30))
    })
    await sim.invoke('f', {})
    expect(fired).toEqual(['c', 'b', 'a'])
  })

  test('Date: new Date(x), Date.parse and Date.UTC are unchanged; Date() is the virtual time as a string; dates made before install are still instanceof Date', async () => {
    const before = new Date(0)
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    expect(before instanceof Date).toBe(true)
    expect(new Date() instanceof Date).toBe(true)
    expect(new Date(86_400_000).toISOString()).toBe('1970-01-02T00:00:00.000Z')
    expect(new Date(2020, 0, 2).getFullYear()).toBe(2020)
    expect(Date.parse('2020-01-02T03:04:05.000Z')).toBe(1_577_934_245_000)
    expect(Date.UTC(2020, 0, 2)).toBe(1_577_923_200_000)
    expect(Date()).toBe(new Date(start).toString())
  })

  test('restore() mid-test: a frozen virtual timer still fires on the virtual clock in the next invocation and close() still cancels one; timers made after restore are real', async () => {
    const sim = createSimulator()
    restore = sim.useVirtualGlobals()
    const fired: number[] = []
    let calls = 0
    let kept: NodeJS.Timeout | undefined
    sim.createFunction('f', async () => {
      if (calls++ === 0) {
        setTimeout(() => fired.push(sim.now() - start), 1_000)
        kept = setTimeout(() => fired.push(-1), 3_000)
      } else {
        kept?.close() // the real clearTimeout ignores a virtual handle; close() still cancels it
        await new Promise((resolve) => setTimeout(resolve, 1))
        await sim.sleep(2_000)
      }
    })
    await sim.invoke('f', {})
    restore()
    restore = undefined
    await sim.advanceBy(2_000)
    await sim.invoke('f', {})
    expect(fired).toEqual([2_000])
    expect(sim.now()).toBe(start + 4_000)
  })
})
