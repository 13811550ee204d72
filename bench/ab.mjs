// A/B of lambda-sim builds: `node bench/ab.mjs [--runs N] [--kind storm|phases] <dist dir> <dist dir> ...`
// Copy dist/ aside before a change (e.g. `cp -r dist /tmp/base`), build, and compare it with the new
// dist/. Each run is a fresh child process per build, the builds alternating (reversed every other
// run), as `npm run bench` does; prints CPU ms (user + system, all threads) min and median per build.
// `phases` splits the retry storm into accept (the 100,000 `await sim.invoke(…, 'Event')`), t = 0
// (the first attempts) and retries. A dist directory outside this repository resolves lambda-sim's
// dependencies from its own path: the storm needs none.
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as w from './workloads.mjs'

const args = process.argv.slice(2)

if (args[0] === '--child') {
  const [, dist, kind] = args
  const lib = await import(pathToFileURL(resolve(dist, 'index.js')).href)
  const n = 100_000
  let result
  if (kind === 'phases') {
    const tries = new Uint8Array(n)
    const { sim } = await w.stormSimulator(lib, n, tries)
    const accept = w.stopwatch()
    for (let i = 0; i < n; i++) await sim.invoke('storm', { i }, 'Event')
    const a = accept()
    const first = w.stopwatch()
    await sim.advanceBy(0)
    const b = first()
    const rest = w.stopwatch()
    await sim.runUntilIdle()
    const c = rest()
    w.check('attempts', tries.reduce((x, y) => x + y, 0), n * 1.4)
    result = { cpuMs: a.cpuMs + b.cpuMs + c.cpuMs, accept: a.cpuMs, t0: b.cpuMs, retries: c.cpuMs }
  } else if (kind === 'storm') {
    result = await w.lambdaSimStorm(lib, n)
  } else {
    throw new Error(`unknown kind ${kind}`)
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
} else {
  let runs = 8
  let kind = 'storm'
  const dists = []
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i])
    else if (args[i] === '--kind') kind = args[++i]
    else dists.push(args[i])
  }
  if (dists.length === 0) throw new Error('usage: node bench/ab.mjs [--runs N] [--kind storm|phases] <dist dir> ...')
  const self = fileURLToPath(import.meta.url)
  const results = new Map(dists.map((d) => [d, []]))
  for (let r = 0; r < runs; r++) {
    for (const d of r % 2 === 0 ? dists : [...dists].reverse()) {
      const out = execFileSync(process.execPath, [self, '--child', d, kind], { encoding: 'utf8' })
      results.get(d).push(JSON.parse(out))
    }
  }
  const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    const median = s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
    return `min ${Math.round(s[0])}, median ${Math.round(median)} (${xs.map(Math.round).join(' ')})`
  }
  for (const d of dists) {
    const rs = results.get(d)
    console.log(d)
    for (const key of ['cpuMs', 'accept', 't0', 'retries']) if (typeof rs[0][key] === 'number') console.log(`  ${key}: ${stat(rs.map((x) => x[key]))}`)
  }
}
