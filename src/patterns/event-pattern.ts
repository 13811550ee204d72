/**
 * EventBridge event-pattern matching (content filtering), as used by EventBridge bus rules and
 * Lambda event-source-mapping filter criteria. Pure and dependency-free.
 *
 * Model: a pattern is an object whose keys are ANDed. A key maps to a nested pattern object
 * (descend into the event) or to a non-empty leaf array (OR of its matchers). Keys are paths: a key
 * containing "." names the same field as the nested keys it joins, in patterns and in events (see
 * {@link PathNode}). The event value at a leaf is flattened to its leaf values (nested arrays
 * flattened, objects dropped; missing or `[]` means "no values"). `{"exists": false}` matches when there are no values, `{"exists": true}` when
 * there is at least one, and every other matcher matches when ANY value satisfies it. `$or` matches
 * as the rules EventBridge expands it into, one per alternative (see {@link expandOrs}).
 */

import { isPlainObject } from '../internal/plain-object.js'

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

type LeafMatcher = (values: readonly unknown[]) => boolean
type ValueTest = (value: unknown) => boolean

const NUMERIC_OPS = new Set(['=', '>', '>=', '<', '<='])

function fail(path: string, reason: string): never {
  throw new PatternError(path === '' ? `Invalid event pattern: ${reason}` : `Invalid event pattern at "${path}": ${reason}`, path)
}

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v)
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/** Leaf values of an event value: arrays flattened, objects and `undefined` dropped. */
function leafValues(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) for (const x of v as unknown[]) leafValues(x, out)
  else if (v !== undefined && !isObject(v)) out.push(v)
  return out
}

/** Objects inside an event value (an object itself, or the objects in an array, nested arrays flattened). */
function objectValues(v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (isObject(v)) out.push(v)
  else if (Array.isArray(v)) for (const x of v as unknown[]) objectValues(x, out)
  return out
}

function lower(s: string): string {
  return s.toLowerCase()
}

/**
 * Dotted paths. EventBridge's engine (aws/event-ruler) flattens patterns and events alike into
 * fields named by their keys joined with "." (`Path.name`), so `{"state.status": [...]}` and
 * `{"state": {"status": [...]}}` are the same pattern, and an event key `"state.status"` is the same
 * field as `"status"` inside `"state"`. A pattern therefore compiles into a tree of path steps (its
 * keys split at every "."; an empty step is a step): keys naming the same path are merged, and for
 * the same path the last one wins. An event object sitting at a step can name a path below it with
 * any run of the following steps joined by "." (`keys[depth]`), so matching looks those keys up
 * directly: no event is flattened and no string is built per event.
 */
interface PathNode {
  readonly steps: readonly string[]
  /** `keys[j]`: this node's steps after the first `j`, joined with "." (the key an object at step `j` has for it). */
  readonly keys: readonly string[]
  leaf: LeafMatcher | undefined
  /** Document order of the key that wrote `leaf` (see {@link expandOrs}). */
  seq: number
  readonly children: Map<string, PathNode>
  readonly ors: OrGroup[]
}

/** An `$or` at a node: its alternatives, each a node at the same path. `path` names it in errors. */
interface OrGroup {
  readonly path: string
  readonly alts: PathNode[]
}

/** Compile-time state: the document-order counter for leaves and the `$or` expansion budget. */
interface CompileState {
  seq: number
  expanded: number
}

/**
 * What a path node sees of one event: every object that can name paths below it (the objects at
 * the node itself and, for dotted keys, those above it), as a linked list so that descending adds
 * one entry without copying. Inside an array of objects a view holds one element, so all fields
 * under that array are matched within the same element (event-ruler's array consistency).
 */
interface View {
  readonly obj: Readonly<Record<string, unknown>>
  /** The number of path steps above `obj`. */
  readonly depth: number
  readonly next: View | undefined
}
type ViewMatcher = (view: View | undefined) => boolean

function pathNode(steps: readonly string[]): PathNode {
  return { steps, keys: steps.map((_, j) => steps.slice(j).join('.')), leaf: undefined, seq: 0, children: new Map(), ors: [] }
}

function childNode(node: PathNode, key: string): PathNode {
  let cur = node
  for (const step of key.split('.')) {
    let next = cur.children.get(step)
    if (next === undefined) {
      next = pathNode([...cur.steps, step])
      cur.children.set(step, next)
    }
    cur = next
  }
  return cur
}

/**
 * Adds a pattern object's keys to `node` (the path the object sits at). `ancestors` holds the objects
 * being added above this one: a pattern object that contains itself is refused (JSON has no cycles,
 * and descending into it would build ever longer paths until the heap ran out).
 */
function addObject(node: PathNode, pattern: Record<string, unknown>, path: string, state: CompileState, ancestors: Set<object> = new Set()): void {
  if (ancestors.has(pattern)) fail(path, 'the pattern contains itself (a cycle cannot be JSON)')
  ancestors.add(pattern)
  for (const [key, value] of Object.entries(pattern)) {
    const p = path === '' ? key : `${path}.${key}`
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) fail(p, '"$or" expects an array of at least two pattern objects')
      node.ors.push({
        path: p,
        alts: (value as Record<string, unknown>[]).map((alt, i) => {
          const altNode = pathNode(node.steps)
          addObject(altNode, alt, `${p}[${i}]`, state, ancestors)
          return altNode
        }),
      })
    } else if (Array.isArray(value)) {
      const child = childNode(node, key)
      child.leaf = compileLeaf(value as unknown[], p)
      child.seq = ++state.seq
    } else if (isObject(value)) {
      addObject(childNode(node, key), value, p, state, ancestors)
    } else {
      fail(p, 'expected an array of matchers or a nested pattern object')
    }
  }
  ancestors.delete(pattern)
}

/** Most rules an expansion of `$or`s may produce (see {@link expandOrs}). */
const MAX_OR_EXPANSION = 1000

/** Merges `source` into `target` (same path): for a leaf on both, the later key in the pattern wins. */
function mergeInto(target: PathNode, source: PathNode): PathNode {
  if (source.leaf !== undefined && (target.leaf === undefined || source.seq > target.seq)) {
    target.leaf = source.leaf
    target.seq = source.seq
  }
  for (const [step, child] of source.children) {
    let t = target.children.get(step)
    if (t === undefined) {
      t = pathNode(child.steps)
      target.children.set(step, t)
    }
    mergeInto(t, child)
  }
  for (const group of source.ors) target.ors.push({ path: group.path, alts: group.alts.map((alt) => mergeInto(pathNode(alt.steps), alt)) })
  return target
}

/** The first steps below a node that an `$or` there reads or writes, in any alternative. */
function orSteps(group: OrGroup, out = new Set<string>()): Set<string> {
  for (const alt of group.alts) {
    for (const step of alt.children.keys()) out.add(step)
    for (const inner of alt.ors) orSteps(inner, out)
  }
  return out
}

/**
 * Rewrites `$or`s the way EventBridge's engine reads them. aws/event-ruler
 * (`JsonRuleCompiler.parseIntoOrRelationship`) forks the rule once per alternative, keys in document
 * order (a key replaces the same path written before it, `$or` or not), and adds each expanded rule
 * on its own, so each is matched with array consistency as a whole. Evaluating an `$or` in place is
 * the same whenever its alternatives share no first step below its node with the node's other keys
 * and `$or`s: those are matched independently in either form. So only a group of `$or`s and keys
 * that share first steps is expanded, into one `$or` whose alternatives are the group's
 * combinations (each merged into one tree); everything else stays linear.
 * @throws {@link PatternError} when the expansion passes {@link MAX_OR_EXPANSION} rules.
 */
function expandOrs(node: PathNode, state: CompileState): void {
  if (node.ors.length > 0) {
    // Union-find over the node's `$or`s, joined through the first steps they share.
    const parent = node.ors.map((_, i) => i)
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] as number)))
    const owner = new Map<string, number>()
    const stepsOf = node.ors.map((group) => orSteps(group))
    stepsOf.forEach((steps, i) => {
      for (const step of steps) {
        const j = owner.get(step)
        if (j === undefined) owner.set(step, i)
        else parent[find(j)] = find(i)
      }
    })
    const components = new Map<number, number[]>()
    node.ors.forEach((_, i) => {
      const r = find(i)
      components.set(r, [...(components.get(r) ?? []), i])
    })
    const groups: OrGroup[] = []
    for (const members of components.values()) {
      const ors = members.map((i) => node.ors[i] as OrGroup)
      const shared = [...new Set(members.flatMap((i) => [...(stepsOf[i] as Set<string>)]))].filter((step) => node.children.has(step))
      if (ors.length === 1 && shared.length === 0) {
        groups.push(ors[0] as OrGroup)
        continue
      }
      const base = pathNode(node.steps)
      for (const step of shared) {
        base.children.set(step, node.children.get(step) as PathNode)
        node.children.delete(step)
      }
      let combos: PathNode[] = [base]
      for (const group of ors) {
        const next: PathNode[] = []
        for (const combo of combos) {
          for (const alt of group.alts) {
            if (++state.expanded > MAX_OR_EXPANSION) {
              fail(group.path, `"$or" alternatives that share fields with each other or with keys outside them expand into more than ${MAX_OR_EXPANSION} rules (a lambda-sim limit)`)
            }
            next.push(mergeInto(mergeInto(pathNode(node.steps), combo), alt))
          }
        }
        combos = next
      }
      groups.push({ path: (ors[0] as OrGroup).path, alts: combos })
    }
    node.ors.length = 0
    node.ors.push(...groups)
  }
  for (const child of node.children.values()) expandOrs(child, state)
  for (const group of node.ors) for (const alt of group.alts) expandOrs(alt, state)
}

function compileNode(node: PathNode): ViewMatcher {
  const checks: ViewMatcher[] = [...node.children.values()].map(compileChild)
  for (const { alts } of node.ors) {
    const matchers = alts.map(compileNode)
    checks.push((view) => matchers.some((match) => match(view)))
  }
  if (checks.length === 1 && checks[0] !== undefined) return checks[0]
  return (view) => checks.every((check) => check(view))
}

function compileChild(child: PathNode): ViewMatcher {
  const { keys, leaf } = child
  const depth = child.steps.length
  const below = child.children.size > 0 || child.ors.length > 0 ? compileNode(child) : undefined
  /**
   * Matches `below` against the views of the child: the parent's view plus the objects found at the
   * child from `from` on; each array of objects found there contributes one element per view.
   */
  const descend = (from: View | undefined, acc: View | undefined): boolean => {
    for (let s = from; s !== undefined; s = s.next) {
      const key = keys[s.depth] as string
      if (!Object.hasOwn(s.obj, key)) continue
      const v = s.obj[key]
      if (isObject(v)) {
        acc = { obj: v, depth, next: acc }
      } else if (Array.isArray(v)) {
        const objs = objectValues(v)
        if (objs.length > 0) {
          for (const obj of objs) if (descend(s.next, { obj, depth, next: acc })) return true
          return false
        }
      }
    }
    return (below as ViewMatcher)(acc)
  }
  return (view) => {
    if (leaf !== undefined) {
      const values: unknown[] = []
      for (let s = view; s !== undefined; s = s.next) {
        const key = keys[s.depth] as string
        if (Object.hasOwn(s.obj, key)) leafValues(s.obj[key], values)
      }
      if (!leaf(values)) return false
    }
    return below === undefined || descend(view, view)
  }
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
export function parseIpv4(s: string): number | undefined {
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
export function parseIpv6(s: string): bigint | undefined {
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
  const root = pathNode([])
  const state: CompileState = { seq: 0, expanded: 0 }
  addObject(root, parsed, '', state)
  expandOrs(root, state)
  const matcher = compileNode(root)
  const copy = structuredClone(parsed)
  return {
    pattern: copy,
    matches: (event) => {
      const objs = objectValues(event)
      return objs.length === 0 ? matcher(undefined) : objs.some((obj) => matcher({ obj, depth: 0, next: undefined }))
    },
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
