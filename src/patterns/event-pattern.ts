/**
 * EventBridge event-pattern matching (content filtering), as used by EventBridge bus rules and
 * Lambda event-source-mapping filter criteria. Pure and dependency-free.
 *
 * Model: a pattern is an object whose keys are ANDed. A key maps to a nested pattern object
 * (descend into the event) or to a non-empty leaf array (OR of its matchers). The event value at a
 * leaf is flattened to its leaf values (nested arrays flattened, objects dropped; missing or `[]`
 * means "no values"). `{"exists": false}` matches when there are no values, `{"exists": true}` when
 * there is at least one, and every other matcher matches when ANY value satisfies it.
 */

/** An event pattern as a plain object (`{"source": ["aws.s3"], "detail": {...}}`). */
export type EventPattern = Record<string, unknown>

/** A validated pattern, ready to test events against. */
export interface CompiledPattern {
  /** The validated pattern (a private deep copy of the input). */
  readonly pattern: EventPattern
  /** `true` when `event` matches the pattern. Never throws. */
  matches(event: unknown): boolean
}

/** An invalid pattern. `path` is the dotted key path of the offending entry (`''` for the root). */
export class PatternError extends Error {
  /** Dotted key path inside the pattern, e.g. `detail.price` or `$or[1].source`. */
  readonly path: string

  constructor(message: string, path = '') {
    super(message)
    this.name = 'PatternError'
    this.path = path
  }
}

type ObjectMatcher = (obj: Readonly<Record<string, unknown>>) => boolean
type LeafMatcher = (values: readonly unknown[]) => boolean
type ValueTest = (value: unknown) => boolean

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({})
const NUMERIC_OPS = new Set(['=', '>', '>=', '<', '<='])

function fail(path: string, reason: string): never {
  throw new PatternError(path === '' ? `Invalid event pattern: ${reason}` : `Invalid event pattern at "${path}": ${reason}`, path)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function own(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** Leaf values of an event value: arrays flattened, objects and `undefined` dropped. */
function leafValues(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) for (const x of v as unknown[]) leafValues(x, out)
  else if (v !== undefined && !isObject(v)) out.push(v)
  return out
}

/** Objects a nested pattern can descend into; `[EMPTY]` when there are none (so `exists: false` holds). */
function objectValues(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (isObject(v)) out.push(v)
  else if (Array.isArray(v)) for (const x of v as unknown[]) objectValues(x, out)
  return out
}

function descend(v: unknown): readonly Readonly<Record<string, unknown>>[] {
  const objs = objectValues(v)
  return objs.length > 0 ? objs : [EMPTY]
}

function lower(s: string): string {
  return s.toLowerCase()
}

function compileObject(pattern: Record<string, unknown>, path: string): ObjectMatcher {
  const checks: ObjectMatcher[] = []
  for (const [key, value] of Object.entries(pattern)) {
    const p = path === '' ? key : `${path}.${key}`
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) fail(p, '"$or" expects an array of at least two pattern objects')
      const alts = (value as Record<string, unknown>[]).map((alt, i) => compileObject(alt, `${p}[${i}]`))
      checks.push((obj) => alts.some((alt) => alt(obj)))
    } else if (Array.isArray(value)) {
      const leaf = compileLeaf(value as unknown[], p)
      checks.push((obj) => leaf(leafValues(own(obj, key))))
    } else if (isObject(value)) {
      const sub = compileObject(value, p)
      checks.push((obj) => descend(own(obj, key)).some(sub))
    } else {
      fail(p, 'expected an array of matchers or a nested pattern object')
    }
  }
  return (obj) => checks.every((check) => check(obj))
}

function compileLeaf(matchers: readonly unknown[], path: string): LeafMatcher {
  if (matchers.length === 0) fail(path, 'leaf array must not be empty')
  const compiled = matchers.map((m): LeafMatcher => {
    if (typeof m === 'string' || typeof m === 'boolean' || m === null || isFiniteNumber(m)) {
      return (values) => values.some((v) => v === m) // numbers compare numerically: 3 === 3.0
    }
    if (isObject(m)) return compileOperator(m, path)
    return fail(path, 'leaf array entries must be strings, finite numbers, booleans, null or operator objects')
  })
  return (values) => compiled.some((m) => m(values))
}

function singleKey(obj: Record<string, unknown>): [string, unknown] | undefined {
  const entries = Object.entries(obj)
  return entries.length === 1 ? entries[0] : undefined
}

function compileOperator(obj: Record<string, unknown>, path: string): LeafMatcher {
  const entry = singleKey(obj)
  if (entry === undefined) return fail(path, `an operator object must have exactly one key, got ${Object.keys(obj).length}`)
  const [op, operand] = entry
  if (op === 'exists') {
    if (typeof operand !== 'boolean') fail(path, '"exists" expects true or false')
    return operand ? (values) => values.length > 0 : (values) => values.length === 0
  }
  const test = compileTest(op, operand, path)
  return (values) => values.some(test)
}

function stringTest(pred: (s: string) => boolean): ValueTest {
  return (v) => typeof v === 'string' && pred(v)
}

function compileTest(op: string, operand: unknown, path: string): ValueTest {
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const ends = op === 'prefix' ? (s: string, x: string) => s.startsWith(x) : (s: string, x: string) => s.endsWith(x)
      if (typeof operand === 'string') return stringTest((s) => ends(s, operand))
      const inner = isObject(operand) ? singleKey(operand) : undefined
      if (inner !== undefined && inner[0] === 'equals-ignore-case' && typeof inner[1] === 'string') {
        const x = lower(inner[1])
        return stringTest((s) => ends(lower(s), x))
      }
      return fail(path, `"${op}" expects a string or {"equals-ignore-case": string}`)
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') fail(path, '"equals-ignore-case" expects a string')
      const x = lower(operand)
      return stringTest((s) => lower(s) === x)
    }
    case 'wildcard':
      if (typeof operand !== 'string') fail(path, '"wildcard" expects a string')
      return stringTest(compileWildcard(operand, path))
    case 'cidr':
      return compileCidr(operand, path)
    case 'numeric':
      return compileNumeric(operand, path)
    case 'anything-but':
      return compileAnythingBut(operand, path)
    default:
      return fail(path, `unknown operator "${op}"`)
  }
}

/**
 * `anything-but` matches every present value the inner test rejects. A number, boolean or null is
 * "anything but" a string pattern, so the string forms (prefix, suffix, wildcard, equals-ignore-case)
 * match it, as in EventBridge's engine (aws/event-ruler `ByteMachine`: only string values are quoted,
 * so they alone can fail a string pattern).
 */
function compileAnythingBut(operand: unknown, path: string): ValueTest {
  const literals = Array.isArray(operand) ? (operand as unknown[]) : [operand]
  if (literals.length > 0 && (literals.every((x) => typeof x === 'string') || literals.every(isFiniteNumber))) {
    return (v) => !literals.some((x) => x === v)
  }
  const inner = isObject(operand) ? singleKey(operand) : undefined
  if (inner !== undefined) {
    const [op, x] = inner
    if (op === 'prefix' || op === 'suffix' || op === 'wildcard') {
      const list = Array.isArray(x) ? (x as unknown[]) : [x]
      if (list.length === 0 || !list.every((y): y is string => typeof y === 'string')) {
        fail(path, `"anything-but" "${op}" expects a string or a non-empty array of strings`)
      }
      if (op !== 'wildcard' && list.includes('')) fail(path, `"anything-but" "${op}" must not be empty: Null prefix/suffix not allowed`)
      const tests = (list as string[]).map((y) => compileTest(op, y, path))
      return (v) => typeof v !== 'string' || !tests.some((test) => test(v))
    }
    if (op === 'equals-ignore-case') {
      const list = Array.isArray(x) ? (x as unknown[]) : [x]
      if (list.length === 0 || !list.every((y): y is string => typeof y === 'string')) {
        fail(path, '"anything-but" "equals-ignore-case" expects a string or a non-empty array of strings')
      }
      const set = new Set((list as string[]).map(lower))
      return (v) => typeof v !== 'string' || !set.has(lower(v))
    }
  }
  return fail(path, '"anything-but" expects a string, a number, a non-empty array of only strings or only numbers, or one of {"prefix"|"suffix"|"wildcard"|"equals-ignore-case": ...}')
}

function compileNumeric(operand: unknown, path: string): ValueTest {
  const shape = '"numeric" expects [op, number, ...]'
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) return fail(path, shape)
  const comparisons: [string, number][] = []
  for (let i = 0; i < operand.length; i += 2) {
    const op: unknown = operand[i]
    const n: unknown = operand[i + 1]
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) fail(path, `"numeric" has unknown operator ${JSON.stringify(op)}`)
    if (!isFiniteNumber(n)) fail(path, shape)
    comparisons.push([op, n])
  }
  const [lo, hi] = comparisons
  if (hi !== undefined && lo !== undefined) {
    if ((lo[0] !== '>' && lo[0] !== '>=') || (hi[0] !== '<' && hi[0] !== '<=')) {
      fail(path, '"numeric" range must be [">" or ">=", low, "<" or "<=", high]')
    }
    if (lo[1] >= hi[1]) fail(path, '"numeric" range lower bound must be less than upper bound')
  }
  const cmp = (v: number, [op, n]: [string, number]): boolean =>
    op === '=' ? v === n : op === '>' ? v > n : op === '>=' ? v >= n : op === '<' ? v < n : v <= n
  return (v) => typeof v === 'number' && comparisons.every((c) => cmp(v, c))
}

/** Parses a dotted-quad IPv4 address into an unsigned 32-bit integer, or `undefined`. */
function parseIpv4(s: string): number | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined
    n = n * 256 + Number(part)
  }
  return n
}

/** Parses an IPv6 address (full or `::`-compressed, hex groups only) into a 128-bit integer, or `undefined`. */
function parseIpv6(s: string): bigint | undefined {
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const groups = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'))
  const head = groups(halves[0])
  const tail = groups(halves[1])
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  let n = 0n
  for (const g of [...head, ...Array<string>(missing).fill('0'), ...tail]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    n = (n << 16n) | BigInt(parseInt(g, 16))
  }
  return n
}

function compileCidr(operand: unknown, path: string): ValueTest {
  const bad = (): never => fail(path, '"cidr" expects an IPv4 or IPv6 CIDR string such as "10.0.0.0/24" or "2001:db8::/32"')
  const m = typeof operand === 'string' ? /^([0-9A-Fa-f.:]+)\/(\d{1,3})$/.exec(operand) : null
  if (m === null) return bad()
  const [, address = '', bitsText = ''] = m
  const bits = Number(bitsText)
  const v4 = parseIpv4(address)
  if (v4 !== undefined) {
    if (bits > 32) return bad()
    const size = 2 ** (32 - bits)
    const base = Math.floor(v4 / size)
    return stringTest((s) => {
      const ip = parseIpv4(s)
      return ip !== undefined && Math.floor(ip / size) === base
    })
  }
  const v6 = parseIpv6(address)
  if (v6 === undefined || bits > 128) return bad()
  const shift = BigInt(128 - bits)
  const base = v6 >> shift
  return stringTest((s) => {
    const ip = s.includes(':') ? parseIpv6(s) : undefined
    return ip !== undefined && ip >> shift === base
  })
}

/** `*` matches any run of characters (including none); `\*` is a literal `*`, `\\` a literal `\`. */
function compileWildcard(pattern: string, path: string): (s: string) => boolean {
  const segments: string[] = []
  let cur = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i)
    if (c === '*') {
      if (pattern[i + 1] === '*') fail(path, '"wildcard" must not contain consecutive "*"')
      segments.push(cur)
      cur = ''
    } else if (c === '\\') {
      const next = pattern.charAt(++i)
      if (next !== '*' && next !== '\\') fail(path, '"wildcard" allows only "\\*" and "\\\\" as escapes')
      cur += next
    } else {
      cur += c
    }
  }
  segments.push(cur)
  const first = segments[0] ?? ''
  if (segments.length === 1) return (s) => s === first
  const last = segments[segments.length - 1] ?? ''
  const middle = segments.slice(1, -1)
  return (s) => {
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false
    let pos = first.length
    const end = s.length - last.length
    for (const seg of middle) {
      const at = s.indexOf(seg, pos)
      if (at < 0 || at + seg.length > end) return false
      pos = at + seg.length
    }
    return true
  }
}

/**
 * Parses and validates an event pattern (a JSON string or an object) and compiles it.
 * @throws {@link PatternError} naming the offending key path and the reason, e.g.
 *   `Invalid event pattern at "detail.price": "numeric" expects [op, number, ...]`.
 */
export function compileEventPattern(pattern: string | EventPattern): CompiledPattern {
  let parsed: unknown = pattern
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern)
    } catch {
      fail('', 'not valid JSON')
    }
  }
  if (!isObject(parsed)) fail('', 'expected a JSON object')
  const matcher = compileObject(parsed, '')
  const copy = structuredClone(parsed)
  return {
    pattern: copy,
    matches: (event) => descend(event).some(matcher),
  }
}

/**
 * One-shot form of {@link compileEventPattern}: `true` when `event` matches `pattern`.
 * @throws {@link PatternError} when the pattern is invalid.
 */
export function matchesEventPattern(pattern: string | EventPattern, event: unknown): boolean {
  return compileEventPattern(pattern).matches(event)
}

/**
 * Returns `JSON.parse(s)` when `s` is valid JSON, otherwise `s` itself. Lambda filters an SQS
 * `body` (and similar payloads) as parsed JSON when it is JSON, else as a plain string.
 */
export function parseMaybeJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown
  } catch {
    return s
  }
}
