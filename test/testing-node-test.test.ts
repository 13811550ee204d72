import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'

/**
 * node:test support, checked for real: build the package as shipped (scripts/build.mjs) into a
 * temporary directory (its own package.json, so `lambda-sim` and `lambda-sim/testing` resolve through
 * the "exports" map, and the worktree's node_modules for fast-check), then run a node:test file there
 * with `node --test`.
 * Building into a temporary directory leaves the worktree's dist/ alone and cannot race other tests.
 */
const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..')
let dir = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-sim-node-test-'))
  await run(process.execPath, [join(root, 'scripts/build.mjs'), '--out', join(dir, 'dist'), '--no-sourcemap', '--no-types'])
  cpSync(join(root, 'package.json'), join(dir, 'package.json'))
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  mkdirSync(join(dir, 'test'))
  cpSync(join(root, 'test/node-test/idempotency.node-test.mjs'), join(dir, 'test/idempotency.node-test.mjs'))
  cpSync(join(root, 'test/node-test/unhandled-rejection.node-test.mjs'), join(dir, 'test/unhandled-rejection.node-test.mjs'))
}, 120_000)

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

test('lambda-sim/testing works under node:test (node --test against the built package)', async () => {
  const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'test/idempotency.node-test.mjs'], { cwd: dir })
  expect(stdout).toContain('ok 1 - node:test: checkIdempotency catches add-$10 and passes set-to-$30')
  expect(stdout).toContain('ok 2 - node:test: assertion helpers throw plain errors')
  expect(stdout).toMatch(/# pass 2\n# fail 0/)
}, 60_000)

test('an unhandled rejection in handler code is the invocation error under node:test, which never hears of it (it fails the test a rejection it hears comes from)', async () => {
  const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'test/unhandled-rejection.node-test.mjs'], { cwd: dir })
  expect(stdout).toContain('ok 1 - node:test: an unhandled rejection in handler code is the invocation error, not a test failure')
  expect(stdout).toMatch(/# pass 1\n# fail 0/)
}, 60_000)

test('a rejection of plain script code still ends the process as Node\'s default does once lambda-sim has run a handler', async () => {
  const script = "import { createSimulator } from 'lambda-sim'\nconst sim = createSimulator()\nsim.createFunction('f', async () => 'ok')\nawait sim.invoke('f', {})\nvoid Promise.reject(new Error('script bug'))\n"
  const error = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir }).then(() => undefined, (e: unknown) => e as { code: number; stderr: string })
  expect(error?.code).toBe(1)
  expect(error?.stderr).toContain('Error: script bug')
}, 60_000)
