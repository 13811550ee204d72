import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, SimulatorError, type SimEvent } from '../src/index.js'
import { TaskHeap, type Task } from '../src/internal/heap.js'

const START = Date.parse('2026-01-01T00:00:00.000Z')

async function simulatorError(p: Promise<unknown> | (() => unknown)): Promise<SimulatorError> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorError)
    return error as SimulatorError
  }
  throw new Error('expected a SimulatorError')
}

describe('the virtual clock', () => {
  it('starts at 2026-01-01T00:00:00.000Z by default, or at startTime', () => {
    expect(createSimulator().now()).toBe(START)
    expect(createSimulator({ startTime: '2030-06-01T12:00:00Z' }).now()).toBe(Date.parse('2030-06-01T12:00:00Z'))
    expect(createSimulator({ startTime: new Date(5000) }).now()).toBe(5000)
    expect(createSimulator({ startTime: 0 }).now()).toBe(0)
  })

  it('advanceBy moves the clock exactly, running due work on the way', async () => {
    const sim = createSimulator()
    const fired: number[] = []
    const fn = sim.createFunction('t', async () => {
      fired.push(sim.now())
    })
    await sim.invoke(fn, {}, 'Event')
    await sim.advanceBy(1500)
    expect(sim.now()).toBe(START + 1500)
    expect(fired).toEqual([START])
    await sim.advanceBy(0)
    expect(sim.now()).toBe(START + 1500)
  })

  it('advanceTo accepts epoch ms, a Date or an ISO string and stops exactly there', async () => {
    const sim = createSimulator()
    await sim.advanceTo(START + 10)
    expect(sim.now()).toBe(START + 10)
    await sim.advanceTo(new Date(START + 20))
    expect(sim.now()).toBe(START + 20)
    await sim.advanceTo('2026-01-01T00:00:01.000Z')
    expect(sim.now()).toBe(START + 1000)
  })

  it('advanceTo stops at the target even with later work pending, and runs work due exactly at the target', async () => {
    const sim = createSimulator()
    const log: string[] = []
    const fn = sim.createFunction('t', async (e: { ms: number }) => {
      await sim.sleep(e.ms)
      log.push(`${e.ms}@${sim.now() - START}`)
    }, { timeout: 10 })
    await sim.invoke(fn, { ms: 1000 }, 'Event')
    await sim.invoke(fn, { ms: 5000 }, 'Event')
    await sim.advanceTo(START + 1000)
    expect(log).toEqual(['1000@1000'])
    expect(sim.now()).toBe(START + 1000)
    await sim.runUntilIdle()
    expect(log).toEqual(['1000@1000', '5000@5000'])
    expect(sim.now()).toBe(START + 5000)
  })

  it('advanceTo an earlier instant throws SimulatorError TimeTravel', async () => {
    const sim = createSimulator()
    await sim.advanceBy(100)
    const e = await simulatorError(() => sim.advanceTo(START))
    expect(e.code).toBe('TimeTravel')
    expect(e.message).toBe('Cannot move the virtual clock backwards: advanceTo(2026-01-01T00:00:00.000Z) while the clock is at 2026-01-01T00:00:00.100Z')
    expect(sim.now()).toBe(START + 100)
  })

  it('advanceBy with a negative, NaN or infinite duration is a clear error', async () => {
    const sim = createSimulator()
    expect((await simulatorError(() => sim.advanceBy(-1))).message).toBe('Invalid advanceBy(-1): expected a finite number of milliseconds >= 0')
    expect((await simulatorError(() => sim.advanceBy(Number.NaN))).message).toBe('Invalid advanceBy(NaN): expected a finite number of milliseconds >= 0')
    expect((await simulatorError(() => sim.advanceBy(Infinity))).code).toBe('InvalidOption')
    expect((await simulatorError(() => sim.advanceBy('10' as never))).message).toBe('Invalid advanceBy("10"): expected a finite number of milliseconds >= 0')
    expect((await simulatorError(() => sim.advanceTo('yesterday'))).message).toBe('Invalid advanceTo time: expected epoch milliseconds, a Date or an ISO-8601 string, got "yesterday"')
    expect(sim.now()).toBe(START)
  })

  it('runUntilIdle runs all work, across retries an hour apart, in a handful of real milliseconds', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('fails', async () => {
      throw new Error('always')
    })
    await sim.invoke(fn, {}, 'Event')
    await sim.runUntilIdle()
    const attempts = sim.timeline.entries.filter((e) => e.type === 'attempt-started').map((e) => e.time - START)
    expect(attempts).toEqual([0, 60_000, 180_000])
    expect(sim.now()).toBe(START + 180_000)
    sim.assertIdle()
  })

  it('runUntilIdle with nothing to do resolves at once without moving the clock', async () => {
    const sim = createSimulator()
    await sim.runUntilIdle()
    expect(sim.now()).toBe(START)
  })

  it('sim.sleep outside a handler is advanceBy', async () => {
    const sim = createSimulator()
    await sim.sleep(250)
    expect(sim.now()).toBe(START + 250)
  })

  it('assertIdle lists each pending task and its instant', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('later', async () => {
      throw new Error('x')
    })
    const { requestId } = await sim.invoke(fn, {}, 'Event')
    await sim.advanceBy(1)
    const e = await simulatorError(() => sim.assertIdle())
    expect(e.code).toBe('NotIdle')
    expect(e.message).toBe(`The simulator is not idle at 2026-01-01T00:00:00.001Z; 1 pending:\n  2026-01-01T00:01:00.000Z: retry 1 of later (${requestId})`)
    expect(sim.pending()).toEqual([`2026-01-01T00:01:00.000Z: retry 1 of later (${requestId})`])
  })

  it('assertIdle passes on a fresh simulator and after runUntilIdle', async () => {
    const sim = createSimulator()
    sim.assertIdle()
    await sim.invoke(sim.createFunction('f', async () => 1), {}, 'Event')
    expect(() => sim.assertIdle()).toThrow(/1 pending/)
    await sim.runUntilIdle()
    sim.assertIdle()
    expect(sim.pending()).toEqual([])
  })

  it('work at the same instant runs in the order it was scheduled', async () => {
    const sim = createSimulator()
    const order: number[] = []
    const fn = sim.createFunction('o', async (e: { i: number }) => {
      order.push(e.i)
    })
    for (let i = 0; i < 20; i++) await sim.invoke(fn, { i }, 'Event')
    await sim.runUntilIdle()
    expect(order).toEqual([...Array(20).keys()])
  })
})

describe('quiescence: when time may move', () => {
  it('a handler awaiting a real file read completes without a spurious timeout and without moving the clock', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('io', async () => {
      const text = await readFile(new URL(import.meta.url), 'utf8')
      await sim.sleep(10)
      return text.includes('quiescence')
    }, { timeout: 1 })
    const res = await sim.invoke(fn, {})
    expect(res.functionError).toBeUndefined()
    expect(res.payload).toBe(true)
    expect(sim.now()).toBe(START + 10)
  })

  it('a handler calling a local HTTP server on 127.0.0.1 completes without a spurious timeout', async () => {
    const server = createServer((_req, res) => {
      setTimeout(() => res.end(JSON.stringify({ pong: true })), 20)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      // A generous grace: a loaded CI machine may take a while to open the first socket.
      const sim = createSimulator({ realTimeGraceMs: 5000 })
      // A competing async event with a short timer must not move the clock under the real request.
      const other = sim.createFunction('other', async () => {
        await sim.sleep(1)
        return 'other'
      })
      const fn = sim.createFunction('http', async () => {
        const r = await fetch(`http://127.0.0.1:${port}/`)
        return (await r.json()) as unknown
      }, { timeout: 1 })
      await sim.invoke(other, {}, 'Event')
      const res = await sim.invoke(fn, {})
      expect(res.functionError).toBeUndefined()
      expect(res.payload).toEqual({ pong: true })
      expect(sim.now()).toBe(START)
      const finished = sim.timeline.entries.filter((e): e is Extract<SimEvent, { type: 'attempt-finished' }> => e.type === 'attempt-finished')
      expect(finished.map((e) => [e.functionName, e.durationMs])).toEqual([['http', 0]])
      await sim.runUntilIdle()
      expect(sim.now()).toBe(START + 1)
    } finally {
      server.close()
    }
  })

  it('the stuck-handler warning names the likely cause: with virtual globals off a real timer (turn them on), with them on a promise that never settles or slow real I/O', async () => {
    const sim = createSimulator({ realTimeGraceMs: 50 })
    const restore = sim.useVirtualGlobals()
    try {
      const fn = sim.createFunction('stuck', async () => {
        await new Promise(() => {})
      }, { timeout: 2 })
      const res = await sim.invoke(fn, {})
      expect(sim.timeline.ofType('warning').map((e) => e.message)).toEqual([
        `stuck (${res.requestId}): the handler neither settled nor waited on the virtual clock for the real-time grace period; it will be reported as timed out at its virtual deadline. Virtual globals are on, so it awaits a promise that never settles or real I/O slower than realTimeGraceMs (50 ms)`,
      ])
    } finally {
      restore()
    }
  })

  it('a handler that never settles is reported as a timeout at its virtual deadline, with a stuck-handler warning', async () => {
    const sim = createSimulator({ realTimeGraceMs: 50 })
    const fn = sim.createFunction('stuck', async () => {
      await new Promise(() => {})
    }, { timeout: 2 })
    const res = await sim.invoke(fn, {})
    expect(res.payload).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${res.requestId} Error: Task timed out after 2.00 seconds` })
    expect(sim.now()).toBe(START + 2000)
    const w = sim.timeline.entries.filter((e): e is Extract<SimEvent, { type: 'warning' }> => e.type === 'warning' && e.kind === 'stuck-handler')
    expect(w).toHaveLength(1)
    expect(w[0]?.message).toBe(
      `stuck (${res.requestId}): the handler neither settled nor waited on the virtual clock for the real-time grace period; it will be reported as timed out at its virtual deadline. If it waits on a real timer (setTimeout, setInterval, node:timers/promises), turn on sim.useVirtualGlobals() or wait with sim.sleep(ms)`,
    )
    expect(w[0]?.time).toBe(START)
    expect([w[0]?.requestId, w[0]?.functionName]).toEqual([res.requestId, 'stuck'])
    sim.assertIdle()
  })

  it('a stuck handler does not hold up other work: an async event still runs on time', async () => {
    const sim = createSimulator({ realTimeGraceMs: 50 })
    const ran: number[] = []
    const stuck = sim.createFunction('stuck', async () => {
      await new Promise(() => {})
    }, { timeout: 5 })
    const ok = sim.createFunction('ok', async () => {
      await sim.sleep(1000)
      ran.push(sim.now() - START)
    })
    await sim.invoke(ok, {}, 'Event')
    const res = await sim.invoke<{ errorType: string }>(stuck, {})
    expect(res.payload?.errorType).toBe('Sandbox.Timedout')
    expect(ran).toEqual([1000])
    expect(sim.now()).toBe(START + 5000)
  })

  it('a nested synchronous invoke from inside a handler works and parks the caller', async () => {
    const sim = createSimulator()
    const inner = sim.createFunction('inner', async (e: { n: number }) => {
      await sim.sleep(500)
      return e.n + 1
    })
    const outer = sim.createFunction('outer', async (e: { n: number }, ctx) => {
      const before = ctx.getRemainingTimeInMillis()
      const r = await sim.invoke<number>(inner, { n: e.n })
      return { got: r.payload, before, after: ctx.getRemainingTimeInMillis(), at: sim.now() - START }
    })
    const res = await sim.invoke(outer, { n: 1 })
    expect(res.payload).toEqual({ got: 2, before: 3000, after: 2500, at: 500 })
    expect(sim.now()).toBe(START + 500)
    const started = sim.timeline.entries.filter((e) => e.type === 'attempt-started').map((e) => (e as { functionName: string }).functionName)
    expect(started).toEqual(['outer', 'inner'])
  })

  it('handler code that drives the clock (advanceBy, advanceTo, runUntilIdle) fails at once with SimulatorError InvalidUse and the way out', async () => {
    const sim = createSimulator()
    const calls = { advanceBy: () => sim.advanceBy(1_000), advanceTo: () => sim.advanceTo(START + 1_000), runUntilIdle: () => sim.runUntilIdle() }
    for (const [method, call] of Object.entries(calls)) {
      sim.createFunction(method, async () => {
        await call()
        return 'moved'
      })
      const r = await sim.invoke<{ errorType: string; errorMessage: string }>(method, {})
      expect(r.functionError).toBe('Unhandled')
      expect(r.payload?.errorType).toBe('SimulatorError')
      expect(r.payload?.errorMessage).toBe(
        `sim.${method}() was called from code this simulator is running (${method} (${r.requestId})): that code runs on the virtual clock ${method}() would move, so it would wait for itself. Inside handler code, wait with sim.sleep(ms) (or a timer with useVirtualGlobals()); drive the clock from the test.`,
      )
    }
    // No real-time grace was needed and no virtual time passed.
    expect(sim.now()).toBe(START)
    expect(sim.timeline.ofType('warning')).toEqual([])
  })

  it("a handler may drive another simulator's clock", async () => {
    const sim = createSimulator()
    const other = createSimulator()
    sim.createFunction('f', async () => {
      await other.advanceBy(60_000)
      return other.now() - START
    })
    expect((await sim.invoke('f', {})).payload).toBe(60_000)
  })

  it('a chain of three nested invokes: the innermost timeout reaches the top as data', async () => {
    const sim = createSimulator()
    const c = sim.createFunction('c', async () => {
      await sim.sleep(5000)
    }, { timeout: 1 })
    const b = sim.createFunction('b', async () => (await sim.invoke(c, {})).payload)
    const a = sim.createFunction('a', async () => (await sim.invoke(b, {})).payload)
    const res = await sim.invoke<{ errorType: string }>(a, {})
    expect(res.functionError).toBeUndefined()
    expect(res.payload?.errorType).toBe('Sandbox.Timedout')
    expect(sim.now()).toBe(START + 1000)
  })

  it('the caller timing out while parked on a nested invoke ends at the caller deadline', async () => {
    const sim = createSimulator()
    const slow = sim.createFunction('slow', async () => {
      await sim.sleep(5000)
      return 'done'
    }, { timeout: 10 })
    const caller = sim.createFunction('caller', async () => (await sim.invoke(slow, {})).payload, { timeout: 1 })
    const res = await sim.invoke<{ errorType: string }>(caller, {})
    expect(res.payload?.errorType).toBe('Sandbox.Timedout')
    expect(sim.now()).toBe(START + 1000)
    await sim.runUntilIdle()
    expect(sim.now()).toBe(START + 5000)
    const finished = sim.timeline.entries.filter((e) => e.type === 'attempt-finished').map((e) => [(e as { functionName: string }).functionName, e.time - START])
    expect(finished).toEqual([
      ['caller', 1000],
      ['slow', 5000],
    ])
  })

  it('a nested invoke whose caller timed out ends at its own instant and frees its concurrency then, even while the clock runs on (found by fuzz-api)', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const slow = sim.createFunction('slow', async () => {
      await sim.sleep(2000)
      return 'done'
    }, { timeout: 10 })
    sim.putFunctionConcurrency(slow, 1)
    sim.createFunction('caller', async () => (await sim.invoke(slow, {})).payload, { timeout: 1 })
    sim.putFunctionEventInvokeConfig({ functionName: 'caller', maximumRetryAttempts: 0 })
    await sim.invoke('caller', {}, 'Event')
    await sim.invoke(slow, {}, 'Event')
    await sim.advanceBy(600_000)
    const entries = sim.timeline.entries.filter((e) => 'functionName' in e && e.functionName === 'slow' && e.type !== 'accepted').map((e) => [e.type, (e as { invocationType?: string }).invocationType, e.time - START])
    // The event is throttled while the nested call holds the only slot (until 2 s), then runs at its
    // retry at 3 s (throttle waits 1 s, then 2 s).
    expect(entries.slice(0, 6)).toEqual([
      ['attempt-started', 'RequestResponse', 0],
      ['throttled', 'Event', 0],
      ['throttled', 'Event', 1000],
      ['attempt-finished', 'RequestResponse', 2000],
      ['attempt-started', 'Event', 3000],
      ['attempt-finished', 'Event', 5000],
    ])
  })

  it('two concurrent RequestResponse invokes from test code both complete on one clock', async () => {
    const sim = createSimulator()
    const fn = sim.createFunction('w', async (e: { ms: number }) => {
      await sim.sleep(e.ms)
      return sim.now() - START
    })
    const [a, b] = await Promise.all([sim.invoke(fn, { ms: 300 }), sim.invoke(fn, { ms: 100 })])
    expect(a.payload).toBe(300)
    expect(b.payload).toBe(100)
    expect(sim.now()).toBe(START + 300)
  })
})

describe('runaway loops', () => {
  it('a handler looping on sleep(0) stops with RunawayLoop naming the task', async () => {
    const sim = createSimulator({ loopLimit: 1000 })
    const fn = sim.createFunction('spin', async () => {
      for (;;) await sim.sleep(0)
    })
    let requestId = ''
    sim.on('attempt-started', (e) => {
      requestId = e.requestId
    })
    const e = await simulatorError(sim.invoke(fn, {}))
    expect(e.code).toBe('RunawayLoop')
    expect(e.message).toBe(
      `Runaway loop: more than 1000 tasks ran at virtual time 2026-01-01T00:00:00.000Z; the last was "sleep in spin (${requestId})". Raise the loopLimit option if this is intended.`,
    )
  })

  it('many tasks at one instant below the loop limit are fine', async () => {
    const sim = createSimulator({ loopLimit: 1000 })
    const fn = sim.createFunction('spin', async () => {
      for (let i = 0; i < 900; i++) await sim.sleep(0)
      return 'ok'
    })
    expect((await sim.invoke(fn, {})).payload).toBe('ok')
  })
})

// ---- property tests ----------------------------------------------------------------------------

class T implements Task {
  at: number
  seq = 0
  heapIndex = -1
  readonly id: number
  constructor(id: number, at: number) {
    this.id = id
    this.at = at
  }
  fire(): void {}
  describe(): string {
    return `t${this.id}`
  }
}

type Op = { kind: 'push'; at: number } | { kind: 'cancel'; pick: number } | { kind: 'pop' }

describe('scheduler properties (fast-check)', () => {
  it('TaskHeap pops in the order of a naive stable sort by (at, seq), under random pushes, cancels and pops', () => {
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), at: fc.integer({ min: 0, max: 20 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops: Op[]) => {
        const heap = new TaskHeap()
        let naive: T[] = []
        let seq = 0
        let id = 0
        const naiveSorted = (): T[] => [...naive].sort((a, b) => a.at - b.at || a.seq - b.seq)
        for (const o of ops) {
          if (o.kind === 'push') {
            const t = new T(id++, o.at)
            t.seq = seq++
            heap.push(t, t.at, t.seq)
            naive.push(t)
          } else if (o.kind === 'cancel') {
            if (naive.length === 0) continue
            const victim = naive[o.pick % naive.length] as T
            expect(heap.remove(victim)).toBe(true)
            expect(heap.remove(victim)).toBe(false)
            expect(victim.heapIndex).toBe(-1)
            naive = naive.filter((t) => t !== victim)
          } else {
            const expected = naiveSorted()[0]
            expect(heap.pop()).toBe(expected)
            naive = naive.filter((t) => t !== expected)
          }
          expect(heap.size).toBe(naive.length)
          expect(heap.peek()).toBe(naiveSorted()[0])
        }
        const drained: T[] = []
        for (let t = heap.pop(); t !== undefined; t = heap.pop()) drained.push(t as T)
        expect(drained).toEqual(naiveSorted())
      }),
      { numRuns: 300 },
    )
  })

  it('the heap keeps each task\'s keys: atOf answers its instant while queued, and sorted() lists by time, then sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 50 }), fc.nat(), (ats, pick) => {
        const heap = new TaskHeap()
        const tasks = ats.map((at, i) => Object.assign(new T(i, at), { seq: i }))
        // Pushed in reverse insertion order: the sequence keys, not the push order, break ties.
        for (const t of [...tasks].reverse()) heap.push(t, t.at, t.seq)
        for (const t of tasks) expect(heap.atOf(t)).toBe(t.at)
        const naive = [...tasks].sort((a, b) => a.at - b.at || a.seq - b.seq)
        expect(heap.sorted().map((s) => [s.task, s.at, s.seq])).toEqual(naive.map((t) => [t, t.at, t.seq]))
        expect(heap.peekAt()).toBe(naive[0]?.at ?? Infinity)
        if (tasks.length > 0) {
          const victim = tasks[pick % tasks.length] as T
          heap.remove(victim)
          expect(heap.atOf(victim)).toBeUndefined()
        }
      }),
    )
  })

  type Step =
    | { kind: 'sync'; fn: number; sleepMs: number; fail: boolean }
    | { kind: 'event'; fn: number; sleepMs: number; fail: boolean }
    | { kind: 'advance'; ms: number }

  async function runProgram(seed: number, steps: Step[]): Promise<string> {
    const sim = createSimulator({ seed })
    const fns = [0, 1, 2].map((i) =>
      sim.createFunction(`f${i}`, async (e: { sleepMs: number; fail: boolean }, ctx) => {
        console.log('working on', ctx.awsRequestId)
        await sim.sleep(e.sleepMs)
        if (e.fail) throw new Error(`failed ${ctx.awsRequestId}`)
        return { id: ctx.awsRequestId, at: sim.now() }
      }, { timeout: 2 }),
    )
    sim.publishVersion(fns[0] as { name: string; arn: string })
    sim.createAlias(fns[0] as { name: string; arn: string }, { name: 'live', functionVersion: '$LATEST' })
    const responses: unknown[] = []
    for (const s of steps) {
      if (s.kind === 'advance') await sim.advanceBy(s.ms)
      else {
        const target = s.fn === 3 ? 'f0:live' : (fns[s.fn] as { name: string; arn: string })
        const r = await sim.invoke(target, { sleepMs: s.sleepMs, fail: s.fail }, s.kind === 'sync' ? 'RequestResponse' : 'Event', { logType: 'Tail' })
        responses.push(r)
      }
    }
    await sim.runUntilIdle()
    return JSON.stringify({ timeline: sim.timeline, responses, now: sim.now() })
  }

  it('identical seeds give identical event streams for a random program of invokes', async () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('sync' as const), fn: fc.integer({ min: 0, max: 3 }), sleepMs: fc.integer({ min: 0, max: 3000 }), fail: fc.boolean() }),
      fc.record({ kind: fc.constant('event' as const), fn: fc.integer({ min: 0, max: 3 }), sleepMs: fc.integer({ min: 0, max: 3000 }), fail: fc.boolean() }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 200_000 }) }),
    )
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.array(step, { minLength: 1, maxLength: 12 }), async (seed, steps) => {
        const a = await runProgram(seed, steps)
        const b = await runProgram(seed, steps)
        expect(b).toBe(a)
      }),
      { numRuns: 25 },
    )
  })
})

describe('a failed loop gives back what it held', () => {
  it('a synchronous invoke that ends in a runaway-loop error frees its concurrency slot', async () => {
    const { internals } = await import('../src/simulator.js')
    const sim = createSimulator({ loopLimit: 50 })
    sim.createFunction('spin', async () => {
      for (;;) await sim.sleep(0)
    })
    sim.putFunctionConcurrency('spin', 1)
    await expect(sim.invoke('spin', {})).rejects.toMatchObject({ code: 'RunawayLoop' })
    expect(internals(sim).registry.get('spin')?.inFlight).toBe(0)
  })
})
