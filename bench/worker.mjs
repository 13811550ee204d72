// One measurement in a fresh process: `node bench/worker.mjs <kind> [n] [extra]`, prints one JSON line.
// Each implementation runs in its own process so that lambda-sim's AsyncLocalStorage (which enables
// async hooks for the whole process) and its JIT state cannot slow down the references, or vice versa.
import * as w from './workloads.mjs'

const [kind, nArg, extra] = process.argv.slice(2)
const n = Number(nArg ?? 100_000)

async function main() {
  switch (kind) {
    case 'startup': {
      // Nothing imported before this point except the workloads module (no dependency of lambda-sim).
      const t0 = performance.now()
      const lib = await import('../dist/index.js')
      const sim = lib.createSimulator()
      const r = await sim.invoke(async (e) => e, { hello: 'world' })
      const ms = performance.now() - t0
      w.check('first invoke status', r.statusCode, 200)
      return { ms, sinceProcessStartMs: performance.now() }
    }
    case 'lambda-sim':
      return w.lambdaSimStorm(await import('../dist/index.js'), n)
    case 'lambda-sim-timeline':
      return w.lambdaSimStorm(await import('../dist/index.js'), n, true)
    case 'spread':
      return w.lambdaSimSpread(await import('../dist/index.js'), n, Number(extra))
    case 'lambda-work':
      return w.lambdaWorkStorm(n)
    case 'floor':
      return w.floorStorm(n)
    case 'fake-timers': {
      const FakeTimers = (await import('@sinonjs/fake-timers')).default
      return w.fakeTimersStorm(FakeTimers, n, extra ?? 'runAllAsync')
    }
    case 'heap': {
      if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
      const lib = await import('../dist/index.js')
      const tries = new Uint8Array(n)
      const { sim } = await w.stormSimulator(lib, n, tries)
      // Warm the invoke path once (creates the lazily built internals) and let its event run.
      await sim.invoke('storm', { i: 1 }, 'Event')
      await sim.runUntilIdle()
      tries[1] = 0
      globalThis.gc()
      const before = process.memoryUsage().heapUsed
      for (let i = 0; i < n; i++) await sim.invoke('storm', { i }, 'Event')
      globalThis.gc()
      const after = process.memoryUsage().heapUsed
      const queued = sim.pending().length
      w.check('queued events', queued, n)
      w.check('attempts run', tries.reduce((a, b) => a + b, 0), 0)
      return { bytesPerEvent: (after - before) / n, heapBeforeMB: before / 2 ** 20, heapAfterMB: after / 2 ** 20, queued }
    }
    case 'retained': {
      // What the storm leaves behind once every event has ended: the records on the two sink queues.
      if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
      const lib = await import('../dist/index.js')
      globalThis.gc()
      const before = process.memoryUsage().heapUsed
      const tries = new Uint8Array(n)
      const { sim, ok, bad } = await w.stormSimulator(lib, n, tries)
      for (let i = 0; i < n; i++) await sim.invoke('storm', { i }, 'Event')
      await sim.runUntilIdle()
      globalThis.gc()
      const after = process.memoryUsage().heapUsed
      const records = ok.messages.length + bad.messages.length
      w.check('records', records, n)
      w.check('pending', sim.pending().length, 0)
      return { bytesPerRecord: (after - before) / records, retainedMB: (after - before) / 2 ** 20, records }
    }
    case 'throttle':
      return w.throttleStorm(await import('../dist/index.js'), n)
    case 'sqs':
      return w.sqsDrain(await import('../dist/index.js'), n)
    case 'kinesis':
      return w.kinesisDrain(await import('../dist/index.js'), n)
    default:
      throw new Error(`unknown kind ${kind}`)
  }
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`)
  },
  (error) => {
    process.stdout.write(`${JSON.stringify({ error: String(error?.stack ?? error) })}\n`)
    process.exitCode = 1
  },
)
