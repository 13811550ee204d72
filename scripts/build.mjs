// `npm run build`: tsc compiles and type-checks, esbuild links tsc's output, tsc writes the declarations.
//
// Why a link step (docs/performance.md, "Seventh pass"): Node 20's ES module loader costs about
// 0.4-0.6 ms per module whatever the module holds, and lambda-sim is 43 modules. Linked into the three
// entry points (`.`, `./sdk`, `./testing`) and one shared chunk, `import` + `createSimulator` + first
// invoke takes about 20 ms instead of about 50. esbuild does not compile TypeScript here: its input is
// tsc's JavaScript, with tsc's source maps, so the shipped code is tsc's code, joined.
//
// Usage: node scripts/build.mjs [--out <dir>] [--no-sourcemap] [--no-types]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { build } from 'esbuild'

const root = resolve(import.meta.dirname, '..')
const args = process.argv.slice(2)
const outIndex = args.indexOf('--out')
const outArg = outIndex >= 0 ? args[outIndex + 1] : 'dist'
if (outArg === undefined || outArg === '' || outArg.startsWith('--')) throw new Error('--out needs a directory')
const out = resolve(root, outArg)
// The output directory is emptied first: never the project itself or a directory above it.
const above = relative(out, root)
if (above === '' || (!above.startsWith('..') && !isAbsolute(above))) throw new Error(`--out ${outArg}: refusing to empty ${out}, which holds the project`)
const sourcemap = !args.includes('--no-sourcemap')
const types = !args.includes('--no-types')
const tsc = join(root, 'node_modules/typescript/bin/tsc')

// Start from an empty output directory: a module since renamed or deleted must not ship.
rmSync(out, { recursive: true, force: true })
const js = mkdtempSync(join(tmpdir(), 'lambda-sim-tsc-'))
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', js, '--sourceMap', String(sourcemap), '--inlineSources', String(sourcemap)], { stdio: 'inherit' })
  const result = await build({
    // Paths relative to tsc's output: esbuild prints each module's path in a comment, and the chunk's
    // name is a hash of its content, so the same sources give the same dist/, wherever tsc wrote.
    absWorkingDir: js,
    entryPoints: { index: 'index.js', 'sdk/index': 'sdk/index.js', 'testing/index': 'testing/index.js' },
    outdir: out,
    bundle: true,
    // One shared chunk: the three entry points share one simulator (its classes, the async context
    // that attributes handler code to its attempt, the module state of the attempt loop).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies stay imports of the installed packages.
    packages: 'external',
    // Not keepNames: it wraps every function expression in a call that sets its name, the context's
    // four functions included, once per attempt. The check below ensures no declaration was renamed.
    sourcemap,
    // The TypeScript sources are embedded in the maps (tsc's --inlineSources, carried through by
    // esbuild): src/ is not shipped, and without them a test runner's stack frame into lambda-sim named
    // a file the user does not have and could show no code around it.
    sourcesContent: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  })
  if (result.errors.length > 0 || result.warnings.length > 0) throw new Error('esbuild reported problems')
  // esbuild renames a top-level declaration whose name another module also uses. Stack frames print
  // function names, and the trace cut finds the frames below the handler by name (traceLines in
  // src/attempt.ts: startNext, initialize), so every function and class must keep its name.
  const declarations = (text) => {
    const names = new Map()
    // esbuild writes a class as `var Name = class …`, which names it the same.
    for (const [, fn, cls, expr] of text.matchAll(/^(?:export )?(?:async )?(?:function\*? ([\w$]+)\(|class ([\w$]+)|var ([\w$]+) = class\b)/gm)) {
      const name = fn ?? cls ?? expr
      names.set(name, (names.get(name) ?? 0) + 1)
    }
    return names
  }
  const read = (f) => readFileSync(resolve(js, f), 'utf8')
  const linked = declarations(Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).map(read).join('\n'))
  const compiled = declarations(Object.keys(result.metafile.inputs).map(read).join('\n'))
  for (const [name, count] of compiled) {
    if ((linked.get(name) ?? 0) < count) throw new Error(`${count - (linked.get(name) ?? 0)} of ${count} functions or classes named ${name} were renamed (or dropped as unused) when linked`)
  }
} finally {
  rmSync(js, { recursive: true, force: true })
}
if (types) execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json'), '--outDir', out], { stdio: 'inherit' })
