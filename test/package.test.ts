import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The shipped artefact, not src/: pack the package (prepack builds it), unpack the tarball into a
 * temporary project's node_modules, link the runtime dependencies from ours (no network needed),
 * then load it with `import` and with `require()` in fresh Node processes.
 */
const root = resolve(import.meta.dirname, '..')
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-sim-pack-'))
  // A module left in dist/ by an earlier build (a source file since renamed or deleted) must not ship.
  mkdirSync(join(root, 'dist'), { recursive: true })
  writeFileSync(join(root, 'dist', 'stale-module.js'), 'export const stale = true\n')
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1) as string
  const pkgDir = join(dir, 'node_modules', 'lambda-sim')
  mkdirSync(pkgDir, { recursive: true })
  execFileSync('tar', ['-xzf', join(dir, out), '-C', pkgDir, '--strip-components=1'])
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  for (const dep of Object.keys(manifest.dependencies)) {
    const target = join(dir, 'node_modules', dep)
    mkdirSync(join(target, '..'), { recursive: true })
    symlinkSync(join(root, 'node_modules', dep), target)
  }
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const script = `
  const sim = lib.createSimulator()
  const fn = sim.createFunction('f', async () => { throw new Error('x') })
  sim.invoke(fn, {}, 'Event').then(() => sim.runUntilIdle()).then(() => {
    const starts = sim.timeline.ofType('attempt-started').map((e) => e.time - sim.timeline.startTime)
    console.log(JSON.stringify(starts))
  })
`

describe('the packed tarball', () => {
  it('ships only dist/ with declarations, plus package.json, README and CHANGELOG', () => {
    const files = readdirSync(join(dir, 'node_modules', 'lambda-sim')).sort()
    expect(files).toEqual(expect.arrayContaining(['dist', 'package.json']))
    expect(files.filter((f) => !['dist', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f))).toEqual([])
    expect(readdirSync(join(dir, 'node_modules', 'lambda-sim', 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']))
  })

  it('ships no module left in dist/ by an earlier build (the build starts from an empty dist/)', () => {
    expect(readdirSync(join(dir, 'node_modules', 'lambda-sim', 'dist'))).not.toContain('stale-module.js')
  })

  it('ships each entry point linked, with one chunk they share: Node 20 loads 4 modules, not one per source file', () => {
    const js = (sub: string): string[] => readdirSync(join(dir, 'node_modules', 'lambda-sim', 'dist', sub)).filter((f) => f.endsWith('.js'))
    expect(js('')).toEqual(['index.js'])
    expect(js('sdk')).toEqual(['index.js'])
    expect(js('testing')).toEqual(['index.js'])
    expect(js('chunks')).toHaveLength(1)
  })

  it("cuts error traces at the frame that called the handler or init, also when the handler's error comes from lambda-sim code in the same chunk", () => {
    const code = `import { createSimulator } from 'lambda-sim'
const sim = createSimulator()
const thrown = await sim.invoke(function plainThrow() { throw new Error('plain') }, {})
const fromApi = await sim.invoke(function callsApi() { sim.createFunction('bad name!', async () => 1) }, {})
const init = await sim.invoke(sim.createFunction('init-fails', async () => 1, { init: function badInit() { throw new Error('init') } }), {})
console.log(JSON.stringify([thrown, fromApi, init].map((r) => r.payload.trace)))`
    const [thrown, fromApi, init] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8' })) as string[][]
    expect(thrown).toHaveLength(2)
    expect(thrown?.[0]).toBe('Error: plain')
    expect(thrown?.[1]).toMatch(/^ {4}at plainThrow \(/)
    expect(init).toHaveLength(2)
    expect(init?.[1]).toMatch(/^ {4}at FunctionVersion\.badInit \[as init\] \(/)
    // lambda-sim's frames above the handler stay (as a library's would), those below it go.
    expect(fromApi?.[0]).toMatch(/^ValidationException: 1 validation error detected: Value 'bad name!' at 'functionName'/)
    expect(fromApi?.at(-1)).toMatch(/^ {4}at callsApi \(/)
    expect(fromApi?.slice(1, -1).every((line) => line.includes('node_modules/lambda-sim/dist/chunks/'))).toBe(true)
    expect(fromApi?.length).toBeGreaterThan(2)
  })

  it('cuts error traces the same with source maps applied (node --enable-source-maps, as tsx turns on): frames then name src/attempt.ts', () => {
    const code = `import { createSimulator } from 'lambda-sim'
const r = await createSimulator().invoke(function plainThrow() { throw new Error('plain') }, {})
console.log(JSON.stringify(r.payload.trace))`
    const trace = JSON.parse(execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8' })) as string[]
    expect(trace).toHaveLength(2)
    expect(trace[1]).toMatch(/^ {4}at plainThrow \(/)
  })

  it('ships its TypeScript sources inside the source maps (src/ is not shipped), so a stack frame into lambda-sim can show its code', () => {
    const pkgDir = join(dir, 'node_modules', 'lambda-sim')
    const maps = readdirSync(join(pkgDir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js.map'))
    expect(maps.length).toBeGreaterThanOrEqual(4)
    for (const f of maps) {
      const map = JSON.parse(readFileSync(join(pkgDir, 'dist', f), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] }
      expect(map.sources.every((s) => s.endsWith('.ts'))).toBe(true)
      expect(map.sourcesContent?.length).toBe(map.sources.length)
      for (const [i, s] of map.sources.entries()) {
        expect(map.sourcesContent?.[i], `${f}: ${s}`).toBe(readFileSync(resolve(root, 'dist', f, '..', s), 'utf8'))
      }
    }
  })

  it('loads with import on Node 20 and runs a retry timeline at 0, 60 and 180 s', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import * as lib from 'lambda-sim'\n${script}`], { cwd: dir, encoding: 'utf8' })
    expect(out.trim()).toBe('[0,60000,180000]')
  })

  it('resolves eventemitter3 (loaded by the first sim.on, through require) and node:crypto (first hash) from the installed package', () => {
    const code = `import { createSimulator } from 'lambda-sim'
const sim = createSimulator()
const seen = []
sim.on('attempt-started', (e) => seen.push(e.attempt))
await sim.invoke(async () => 1, {})
const q = sim.createQueue('q')
console.log(JSON.stringify([seen, q.sendMessage({ body: 'hi' }).md5OfMessageBody]))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8' })
    expect(out.trim()).toBe('[[1],"49f68a5c8493ec2c0bf489821c21fc3b"]')
  })

  it('its declarations resolve for the three entry points under moduleResolution node10 (the default of module commonjs, through typesVersions), nodenext and bundler', () => {
    const code = `import { createSimulator } from 'lambda-sim'
import { checkIdempotency } from 'lambda-sim/testing'
import { lambdaClient } from 'lambda-sim/sdk'
export const entries: [typeof createSimulator, typeof checkIdempotency, typeof lambdaClient] = [createSimulator, checkIdempotency, lambdaClient]
`
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    // skipLibCheck: the optional peers (fast-check, the AWS SDK) are not installed here; what is checked is
    // that the user's file finds each entry point's declarations (TS2307 otherwise).
    for (const [resolution, module, file] of [['node10', 'commonjs', 'node10.ts'], ['nodenext', 'nodenext', 'nodenext.mts'], ['bundler', 'esnext', 'bundler.ts']] as const) {
      writeFileSync(join(dir, file), code)
      const compilerOptions = { noEmit: true, strict: true, skipLibCheck: true, types: [], target: 'es2022', module, moduleResolution: resolution }
      writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions, files: [file] }))
      const args = ['-p', `tsconfig.${resolution}.json`]
      const result = (() => {
        try {
          return execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' })
        } catch (error) {
          return (error as { stdout: string }).stdout
        }
      })()
      expect(`${resolution}: ${result}`).toBe(`${resolution}: `)
    }
  }, 60_000)

  it('lambda-sim/sdk sees a handler\'s un-awaited send through the shared chunk: it is frozen and sent at the next invocation (one async context, not two)', () => {
    // The SDK is an optional peer, not installed here: link it from ours (its own dependencies resolve from there).
    const sdkLink = join(dir, 'node_modules', '@aws-sdk', 'client-lambda')
    mkdirSync(join(sdkLink, '..'), { recursive: true })
    symlinkSync(join(root, 'node_modules', '@aws-sdk', 'client-lambda'), sdkLink)
    const code = `import { createSimulator } from 'lambda-sim'
import { lambdaClient } from 'lambda-sim/sdk'
import { InvokeCommand } from '@aws-sdk/client-lambda'
const sim = createSimulator()
const lambda = lambdaClient(sim)
const worked = []
sim.createFunction('worker', async () => { worked.push(sim.now() - sim.timeline.startTime) })
sim.createFunction('api', async () => { void lambda.send(new InvokeCommand({ FunctionName: 'worker', InvocationType: 'Event' })); return 'ok' })
await sim.invoke('api', {})
await sim.advanceBy(60000)
await sim.invoke('api', {})
await sim.runUntilIdle()
console.log(JSON.stringify([worked, sim.timeline.ofType('work-left-running').map((e) => e.sdkRequests)]))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } })
    expect(out.trim()).toBe('[[60000],[1,1]]')
  })

  it('loads with require() on Node 20 (require of an ES module, enabled by default since Node 20.19)', () => {
    const out = execFileSync(process.execPath, ['-e', `const lib = require('lambda-sim')\n${script}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } })
    expect(out.trim()).toBe('[0,60000,180000]')
  })
})

describe('startup: what importing lambda-sim loads', () => {
  // Loading node:crypto, node:net or the stream modules at import cost 4–10 ms each (docs/performance.md,
  // "Startup"); lambda-sim loads crypto on first hash (src/internal/node-crypto.ts). These are the
  // builtins src/ may import eagerly; a new one must be measured with `node bench/worker.mjs startup`.
  it('src/ imports only the cheap Node builtins at module load (node:crypto is loaded on first use)', () => {
    const allowed = new Set(['node:async_hooks', 'node:module', 'node:timers', 'node:timers/promises', 'node:url', 'node:util'])
    const found = new Set<string>()
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (entry.name.endsWith('.ts')) {
          for (const m of readFileSync(path, 'utf8').matchAll(/^import (?!type )[^'\n]*from '(node:[^']+)'/gm)) found.add(m[1] as string)
        }
      }
    }
    walk(resolve(import.meta.dirname, '../src'))
    expect([...found].filter((b) => !allowed.has(b))).toEqual([])
    expect(found.size).toBeGreaterThan(0)
  })
})
