import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  compileEventPattern,
  matchesEventPattern,
  parseMaybeJson,
  PatternError,
} from '../src/patterns/event-pattern.js'
import type { EventPattern } from '../src/patterns/event-pattern.js'

const m = (pattern: string | EventPattern, event: unknown): boolean => matchesEventPattern(pattern, event)

function errorOf(pattern: string | EventPattern): PatternError {
  try {
    compileEventPattern(pattern)
  } catch (err) {
    if (err instanceof PatternError) return err
    throw err
  }
  throw new Error('expected a PatternError')
}

describe('exact matching', () => {
  it('a string matcher matches only the identical, case-sensitive string', () => {
    expect(m({ source: ['aws.s3'] }, { source: 'aws.s3' })).toBe(true)
    expect(m({ source: ['aws.s3'] }, { source: 'AWS.S3' })).toBe(false)
    expect(m({ source: ['aws.s3'] }, { source: 'aws.s3 ' })).toBe(false)
  })

  it('a leaf array is an OR of its matchers', () => {
    const p = { state: ['running', 'stopped'] }
    expect(m(p, { state: 'stopped' })).toBe(true)
    expect(m(p, { state: 'pending' })).toBe(false)
  })

  it('all keys of a pattern must match (AND)', () => {
    const p = { source: ['a'], type: ['b'] }
    expect(m(p, { source: 'a', type: 'b', extra: 1 })).toBe(true)
    expect(m(p, { source: 'a', type: 'c' })).toBe(false)
  })

  it('a key missing from the event fails the match', () => {
    expect(m({ source: ['a'] }, {})).toBe(false)
  })

  it('numbers compare numerically, so 3.0 in a pattern matches 3', () => {
    expect(m('{"n":[3.0]}', { n: 3 })).toBe(true)
    expect(m({ n: [300] }, JSON.parse('{"n":3e2}'))).toBe(true)
    expect(m({ n: [3] }, { n: 4 })).toBe(false)
  })

  it('numbers and strings never match each other', () => {
    expect(m({ n: [3] }, { n: '3' })).toBe(false)
    expect(m({ n: ['3'] }, { n: 3 })).toBe(false)
  })

  it('booleans match only the same boolean', () => {
    expect(m({ b: [true] }, { b: true })).toBe(true)
    expect(m({ b: [true] }, { b: 'true' })).toBe(false)
    expect(m({ b: [false] }, { b: 0 })).toBe(false)
  })

  it('null matches JSON null only, and the empty string only the empty string', () => {
    expect(m({ x: [null] }, { x: null })).toBe(true)
    expect(m({ x: [null] }, { x: '' })).toBe(false)
    expect(m({ x: [null] }, { x: 'null' })).toBe(false)
    expect(m({ x: [null] }, {})).toBe(false)
    expect(m({ x: [''] }, { x: '' })).toBe(true)
    expect(m({ x: [''] }, { x: null })).toBe(false)
  })
})

describe('structure', () => {
  it('a nested pattern object descends into the event', () => {
    const p = { detail: { state: ['terminated'] } }
    expect(m(p, { detail: { state: 'terminated' } })).toBe(true)
    expect(m(p, { detail: { state: 'running' } })).toBe(false)
    expect(m(p, { state: 'terminated' })).toBe(false)
    expect(m(p, { detail: 'terminated' })).toBe(false)
  })

  it('an event array matches a leaf when any element matches', () => {
    const p = { resources: ['arn:b'] }
    expect(m(p, { resources: ['arn:a', 'arn:b'] })).toBe(true)
    expect(m(p, { resources: ['arn:a'] })).toBe(false)
    expect(m(p, { resources: [] })).toBe(false)
  })

  it('an array of objects matches a nested pattern when any single element matches it', () => {
    const p = { items: { kind: ['a'], size: [1] } }
    expect(m(p, { items: [{ kind: 'b', size: 1 }, { kind: 'a', size: 1 }] })).toBe(true)
    expect(m(p, { items: [{ kind: 'a', size: 2 }, { kind: 'b', size: 1 }] })).toBe(false)
  })

  it('a leaf matcher never matches an object-valued field', () => {
    expect(m({ detail: ['x'] }, { detail: { x: 'x' } })).toBe(false)
  })

  it('"$or" matches when any alternative matches, ANDed with sibling keys', () => {
    const p = { source: ['app'], $or: [{ a: ['1'] }, { b: { c: [{ numeric: ['>', 5] }] } }] }
    expect(m(p, { source: 'app', a: '1' })).toBe(true)
    expect(m(p, { source: 'app', b: { c: 6 } })).toBe(true)
    expect(m(p, { source: 'app', a: '2', b: { c: 5 } })).toBe(false)
    expect(m(p, { source: 'other', a: '1' })).toBe(false)
  })

  it('"$or" also works inside a nested pattern object', () => {
    const p = { detail: { $or: [{ x: ['1'] }, { y: ['2'] }] } }
    expect(m(p, { detail: { y: '2' } })).toBe(true)
    expect(m(p, { detail: { x: '2' } })).toBe(false)
  })

  it('an empty pattern matches every event', () => {
    expect(m({}, { anything: 1 })).toBe(true)
    expect(m({}, 'not an object')).toBe(true)
  })

  it('a non-object event has no fields, so only absence matchers can match it', () => {
    expect(m({ a: ['x'] }, 'x')).toBe(false)
    expect(m({ a: ['x'] }, null)).toBe(false)
    expect(m({ a: [{ exists: false }] }, 42)).toBe(true)
  })

  it('inherited properties are not event fields', () => {
    expect(m({ constructor: [{ exists: true }] }, {})).toBe(false)
    expect(m({ toString: [{ exists: false }] }, {})).toBe(true)
  })
})

describe('dotted keys: EventBridge joins keys with "." into paths, in patterns and events', () => {
  // LocalStack's AWS-validated TestEventPattern templates dot_joining_{event,pattern}{,_NEG} (recorded 2025-10-15).
  const envelope = { id: '1', source: 'test-source', 'detail-type': 'test-detail-type', account: '123456789012', region: 'us-east-2', time: '2022-07-13T13:48:01Z' }

  it('AWS-validated: an event key "state.status" matches a nested pattern, and a pattern key "state.status" a nested event', () => {
    expect(m({ detail: { state: { status: ['running'] } } }, { ...envelope, detail: { 'state.status': 'running' } })).toBe(true)
    expect(m({ detail: { state: { status: ['running'] } } }, { ...envelope, detail: { 'state.status': { status: 'running' } } })).toBe(false)
    expect(m({ detail: { 'state.status': ['running'] } }, { ...envelope, detail: { state: { status: 'running' } } })).toBe(true)
    expect(m({ detail: { 'state.status': { status: ['running'] } } }, { ...envelope, detail: { state: { status: 'running' } } })).toBe(false)
  })

  it('any split of a path into keys is the same path, at any depth', () => {
    const events = [{ a: { b: { c: 1 } } }, { 'a.b.c': 1 }, { 'a.b': { c: 1 } }, { a: { 'b.c': 1 } }]
    for (const p of [{ a: { b: { c: [1] } } }, { 'a.b.c': [1] }, { 'a.b': { c: [1] } }, { a: { 'b.c': [1] } }]) {
      expect(events.map((e) => m(p, e))).toEqual([true, true, true, true])
      expect(m(p, { a: { b: { c: 2 } } })).toBe(false)
      expect(m(p, { 'a.b': 1 })).toBe(false)
      expect(m(p, { 'a.b.c.d': 1 })).toBe(false)
    }
  })

  it('an event with both "a.b" and {"a":{"b"}} has both values at a.b', () => {
    const e = { 'a.b': 1, a: { b: 2, c: 3 } }
    expect(m({ a: { b: [1] } }, e)).toBe(true)
    expect(m({ 'a.b': [2] }, e)).toBe(true)
    expect(m({ a: { b: [1], c: [3] } }, e)).toBe(true)
    expect(m({ a: { b: [{ numeric: ['>', 1] }] } }, e)).toBe(true)
    expect(m({ a: { b: [{ 'anything-but': 1 }] } }, e)).toBe(true)
    expect(m({ a: { b: [{ 'anything-but': [1, 2] }] } }, e)).toBe(false)
  })

  it('pattern keys naming the same path are merged, and for the same path the last one is used', () => {
    expect(m({ a: { b: [1] }, 'a.c': [2] }, { a: { b: 1, c: 2 } })).toBe(true)
    expect(m({ a: { b: [1] }, 'a.c': [2] }, { a: { b: 1 } })).toBe(false)
    expect(m({ a: { b: [1] }, 'a.b': [2] }, { a: { b: 2 } })).toBe(true)
    expect(m({ a: { b: [1] }, 'a.b': [2] }, { a: { b: 1 } })).toBe(false)
    expect(m({ 'a.b': [2], a: { b: [1] } }, { a: { b: 1 } })).toBe(true)
    expect(m({ 'a.b': [2], a: { b: [1] } }, { a: { b: 2 } })).toBe(false)
    // a path and a longer path through it are different fields
    expect(m({ a: [1], 'a.b': [2] }, { a: 1, 'a.b': 2 })).toBe(true)
    expect(m({ a: [1], 'a.b': [2] }, { a: { b: 2 } })).toBe(false)
  })

  it('in an array of objects, dotted keys are matched within one element, and merged pattern paths too', () => {
    const e = { a: [{ 'b.c': 1, d: 2 }, { b: { c: 3 }, d: 4 }] }
    expect(m({ a: { b: { c: [1] }, d: [2] } }, e)).toBe(true)
    expect(m({ 'a.b.c': [3], 'a.d': [4] }, e)).toBe(true)
    expect(m({ 'a.b.c': [1], 'a.d': [4] }, e)).toBe(false)
    expect(m({ a: { 'b.c': [3] }, 'a.d': [2] }, e)).toBe(false)
    expect(m({ a: { b: [1] }, 'a.c': [2] }, { a: [{ b: 1 }, { c: 2 }] })).toBe(false)
    expect(m({ a: { b: [1] }, 'a.c': [2] }, { a: [{ b: 1, c: 2 }] })).toBe(true)
    // "a.c" outside the array holds for every element
    expect(m({ a: { b: [3], c: [2] } }, { a: [{ b: 1 }, { b: 3 }], 'a.c': 2 })).toBe(true)
  })

  it('"$or" alternatives use dotted paths in both directions', () => {
    const p = { 'detail.kind': ['x'], $or: [{ 'detail.state.status': ['running'] }, { detail: { code: [{ numeric: ['>', 5] }] } }] }
    expect(m(p, { detail: { kind: 'x', state: { status: 'running' } } })).toBe(true)
    expect(m(p, { 'detail.kind': 'x', 'detail.code': 6 })).toBe(true)
    expect(m(p, { detail: { kind: 'x', 'state.status': 'stopped', code: 5 } })).toBe(false)
    const nested = { 'a.b': { $or: [{ c: [1] }, { 'd.e': [2] }] } }
    expect(m(nested, { a: { 'b.c': 1 } })).toBe(true)
    expect(m(nested, { 'a.b.d': { e: 2 } })).toBe(true)
    expect(m(nested, { a: { b: { c: 2, d: { e: 1 } } } })).toBe(false)
  })

  it('exists looks at the joined path', () => {
    expect(m({ 'a.b': [{ exists: true }] }, { a: { b: null } })).toBe(true)
    expect(m({ a: { b: [{ exists: true }] } }, { 'a.b': 0 })).toBe(true)
    expect(m({ a: { b: [{ exists: true }] } }, { 'a.b': { c: 1 } })).toBe(false)
    expect(m({ 'a.b': [{ exists: false }] }, { a: { b: 1 } })).toBe(false)
    expect(m({ a: { b: [{ exists: false }] } }, { 'a.b': 1 })).toBe(false)
    expect(m({ a: { b: [{ exists: false }] } }, { 'a.c': 1, a: { d: 1 } })).toBe(true)
  })

  it('anything-but, numbers and null through dotted keys', () => {
    const p = { 'a.b': [{ 'anything-but': 'x' }] }
    expect(m(p, { a: { b: 'x' } })).toBe(false)
    expect(m(p, { a: { b: 'y' } })).toBe(true)
    expect(m(p, { a: { b: 5 } })).toBe(true)
    expect(m(p, { a: { c: 'y' } })).toBe(false)
    expect(m({ a: { b: [{ 'anything-but': { prefix: 'x' } }] } }, { 'a.b': null })).toBe(true)
    expect(m({ a: { b: [null] } }, { 'a.b': null })).toBe(true)
    expect(m({ 'a.b': [null] }, { a: { b: 'null' } })).toBe(false)
    expect(m({ 'a.b': [3] }, { a: { b: 3.0 } })).toBe(true)
    expect(m({ a: { b: [{ numeric: ['>=', 1, '<', 2] }] } }, { 'a.b': [0, 1.5] })).toBe(true)
  })

  it('a key with a dot at either end, or two dots, is joined as written (empty steps included)', () => {
    expect(m({ 'a.': [1] }, { 'a.': 1 })).toBe(true)
    expect(m({ 'a.': [1] }, { a: { '': 1 } })).toBe(true)
    expect(m({ 'a.': [1] }, { a: 1 })).toBe(false)
    expect(m({ '.a': [1] }, { '': { a: 1 } })).toBe(true)
    expect(m({ '.a': [1] }, { a: 1 })).toBe(false)
    const p = { 'a..b': [1] }
    expect(m(p, { 'a..b': 1 })).toBe(true)
    expect(m(p, { 'a.': { b: 1 } })).toBe(true)
    expect(m(p, { a: { '.b': 1 } })).toBe(true)
    expect(m(p, { a: { '': { b: 1 } } })).toBe(true)
    expect(m(p, { a: { b: 1 } })).toBe(false)
    expect(m({ a: { '': { b: [1] } } }, { 'a..b': 1 })).toBe(true)
    expect(m({ a: { '.': [1] } }, { a: { '': { '': 1 } } })).toBe(true)
  })

  it('a dotted key is an ordinary field name for validation and error paths; only "$or" itself is an operator', () => {
    expect(errorOf({ 'detail.state': 'x' }).path).toBe('detail.state')
    expect(errorOf({ 'detail.state': 'x' }).message).toBe('Invalid event pattern at "detail.state": expected an array of matchers or a nested pattern object')
    expect(errorOf({ a: { 'b.c': [] } }).path).toBe('a.b.c')
    expect(m({ 'x.$or': [1] }, { x: { $or: 1 } })).toBe(true)
  })
})


describe('"$or" is expanded into one rule per alternative, as EventBridge\'s engine does', () => {
  // aws/event-ruler JsonRuleCompiler.parseIntoOrRelationship forks the rule per alternative (the cross
  // product for several "$or"s); each expanded rule is added on its own (GenericMachine.addRule).

  it('a key inside an alternative replaces the same path written before the "$or" (event-ruler testWithRuleOverride)', () => {
    const p = { name: ['a', 'b'], $or: [{ name: [{ 'anything-but': 'a' }] }, { condition1: ['x'] }] }
    expect(m(p, { name: 'a', condition1: 'x' })).toBe(true)
    expect(m(p, { name: 'c' })).toBe(true)
    expect(m(p, { name: 'b' })).toBe(true)
    expect(m(p, { name: 'a' })).toBe(false)
    expect(m(p, { name: 'c', condition1: 'y' })).toBe(true)
  })

  it('a key after the "$or" replaces the same path in every alternative (the last one wins, in document order)', () => {
    const p = { $or: [{ a: [2] }, { b: [3] }], a: [1] }
    expect(m(p, { a: 1 })).toBe(true)
    expect(m(p, { a: 2 })).toBe(false)
    expect(m(p, { a: 2, b: 3 })).toBe(false)
    expect(m(p, { a: 1, b: 3 })).toBe(true)
  })

  it('overriding follows paths, so dotted keys and nested "$or"s take part', () => {
    const p = { 'detail.state': ['x'], detail: { $or: [{ state: ['y'] }, { code: [1] }] } }
    expect(m(p, { detail: { state: 'y' } })).toBe(true)
    expect(m(p, { detail: { state: 'x' } })).toBe(false)
    expect(m(p, { detail: { state: 'x', code: 1 } })).toBe(true)
    expect(m(p, { 'detail.state': 'y', 'detail.code': 2 })).toBe(true)
  })

  it('fields inside an alternative and outside it match within one element of an array of objects', () => {
    const p = { items: { kind: ['a'] }, $or: [{ items: { size: [1] } }, { other: ['z'] }] }
    expect(m(p, { items: [{ kind: 'a', size: 2 }, { kind: 'b', size: 1 }] })).toBe(false)
    expect(m(p, { items: [{ kind: 'b', size: 2 }, { kind: 'a', size: 1 }] })).toBe(true)
    expect(m(p, { items: [{ kind: 'b' }, { kind: 'a' }], other: 'z' })).toBe(true)
    const dotted = { 'items.kind': ['a'], $or: [{ 'items.size': [1] }, { other: ['z'] }] }
    expect(m(dotted, { items: [{ kind: 'a', size: 2 }, { kind: 'b', size: 1 }] })).toBe(false)
    expect(m(dotted, { items: [{ kind: 'a', size: 1 }] })).toBe(true)
    const inside = { items: { kind: ['a'], $or: [{ size: [1] }, { color: ['red'] }] } }
    expect(m(inside, { items: [{ kind: 'a', size: 2 }, { kind: 'b', size: 1 }] })).toBe(false)
    expect(m(inside, { items: [{ kind: 'b', size: 1 }, { kind: 'a', color: 'red' }] })).toBe(true)
  })

  it('two "$or"s reaching the same field are matched as their cross product, each combination within one element', () => {
    const p = { a: { $or: [{ x: [1] }, { y: [1] }] }, $or: [{ 'a.z': [1] }, { b: [1] }] }
    expect(m(p, { a: [{ x: 1 }, { z: 1 }] })).toBe(false)
    expect(m(p, { a: [{ y: 1 }, { x: 1, z: 1 }] })).toBe(true)
    expect(m(p, { a: [{ z: 1 }, { y: 1 }], b: 1 })).toBe(true)
    expect(m(p, { a: [{ z: 1 }], b: 1 })).toBe(false)
  })

  it('nested "$or" (event-ruler README "Nested Or and And")', () => {
    const p = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    }
    const src = { source: 'aws.cloudwatch' }
    expect(m(p, { ...src, metricName: 'ReadLatency' })).toBe(true)
    expect(m(p, { ...src, metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 })).toBe(true)
    expect(m(p, { ...src, metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(false)
    expect(m(p, { ...src, metricId: 1234 })).toBe(false)
    expect(m(p, { ...src, scope: 'Service' })).toBe(true)
    expect(m(p, { source: 'other', scope: 'Service' })).toBe(false)
  })

  it('a nested "$or" overrides and keeps array consistency like a flat one', () => {
    const p = { a: [1], $or: [{ b: [1] }, { $or: [{ a: [2] }, { c: [1] }] }] }
    expect(m(p, { a: 2 })).toBe(true)
    expect(m(p, { a: 1, c: 1 })).toBe(true)
    expect(m(p, { a: 1, b: 1 })).toBe(true)
    expect(m(p, { a: 1 })).toBe(false)
    expect(m(p, { a: 3, c: 1 })).toBe(false)
    const q = { items: { kind: ['a'] }, $or: [{ b: [1] }, { $or: [{ items: { size: [1] } }, { c: [1] }] }] }
    expect(m(q, { items: [{ kind: 'a' }, { size: 1 }] })).toBe(false)
    expect(m(q, { items: [{ kind: 'a', size: 1 }] })).toBe(true)
    expect(m(q, { items: [{ kind: 'b' }], c: 1 })).toBe(false)
  })

  it('"$or"s that share no field with anything else stay unexpanded, so many of them compile and match', () => {
    const p: EventPattern = {}
    const e: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++) {
      p[`k${i}`] = { $or: [{ x: [1] }, { y: [1] }] }
      e[`k${i}`] = i % 2 === 0 ? { x: 1 } : { y: 1 }
    }
    const c = compileEventPattern(p)
    expect(c.matches(e)).toBe(true)
    expect(c.matches({ ...e, k39: { x: 2 } })).toBe(false)
  })

  it('"$or"s sharing fields whose combinations exceed 1000 are refused with lambda-sim\'s limit', () => {
    const steps = Array.from({ length: 10 }, (_, i) => `n${i}`)
    let inner: EventPattern = {}
    for (let i = steps.length - 1; i >= 0; i--) {
      const rest = steps.slice(i).join('.')
      inner = { $or: [{ [rest]: [i] }, { [rest]: [i + 100] }], ...(i < steps.length - 1 ? { [steps[i] as string]: inner } : {}) }
    }
    expect(() => compileEventPattern(inner)).toThrow(
      // the error names the "$or" at which the count passed the limit
      new PatternError('Invalid event pattern at "n0.n1.n2.n3.n4.n5.n6.n7.n8.$or": "$or" alternatives that share fields with each other or with keys outside them expand into more than 1000 rules (a lambda-sim limit)', 'n0.n1.n2.n3.n4.n5.n6.n7.n8.$or'),
    )
    const fewer = { $or: [{ 'n0.n1': [1] }, { 'n0.n1': [2] }], n0: { $or: [{ n1: [3] }, { n1: [4] }] } }
    expect(m(fewer, { n0: { n1: 3 } })).toBe(true)
    expect(m(fewer, { n0: { n1: 1 } })).toBe(false)
  })

  it('"$or" validation errors keep their texts and paths, nested ones included', () => {
    expect(errorOf({ a: { $or: [{ b: ['1'] }] } }).message).toBe('Invalid event pattern at "a.$or": "$or" expects an array of at least two pattern objects')
    expect(errorOf({ $or: [{ a: ['1'] }, { $or: [{ b: [] }, { c: ['1'] }] }] }).path).toBe('$or[1].$or[0].b')
    expect(errorOf({ $or: [{ a: ['1'] }, { $or: [{ b: [] }, { c: ['1'] }] }] }).message).toBe('Invalid event pattern at "$or[1].$or[0].b": leaf array must not be empty')
    expect(errorOf({ $or: [{ a: ['1'] }, 'x'] }).path).toBe('$or')
  })
})

describe('string operators', () => {
  it('a prefix matcher matches only strings starting with the prefix', () => {
    const p = { region: [{ prefix: 'us-' }] }
    expect(m(p, { region: 'us-east-1' })).toBe(true)
    expect(m(p, { region: 'eu-west-1' })).toBe(false)
    expect(m(p, { region: 'US-east-1' })).toBe(false)
    expect(m({ n: [{ prefix: '1' }] }, { n: 12 })).toBe(false)
  })

  it('a prefix equals-ignore-case matcher ignores case', () => {
    const p = { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }
    expect(m(p, { service: 'eventbridge' })).toBe(true)
    expect(m(p, { service: 'lambda' })).toBe(false)
  })

  it('a suffix matcher matches only strings ending with the suffix', () => {
    const p = { key: [{ suffix: '.png' }] }
    expect(m(p, { key: 'a/b.png' })).toBe(true)
    expect(m(p, { key: 'a/b.PNG' })).toBe(false)
    expect(m(p, { key: 'a/b.png.txt' })).toBe(false)
  })

  it('a suffix equals-ignore-case matcher ignores case', () => {
    const p = { key: [{ suffix: { 'equals-ignore-case': '.PNG' } }] }
    expect(m(p, { key: 'a/b.png' })).toBe(true)
    expect(m(p, { key: 'a/b.jpg' })).toBe(false)
  })

  it('an equals-ignore-case matcher matches the whole string in any case', () => {
    const p = { name: [{ 'equals-ignore-case': 'alice' }] }
    expect(m(p, { name: 'ALICE' })).toBe(true)
    expect(m(p, { name: 'alice2' })).toBe(false)
  })

  it('a wildcard "*" matches any run of characters, including none', () => {
    const p = { key: [{ wildcard: 'dir/*.png' }] }
    expect(m(p, { key: 'dir/a.png' })).toBe(true)
    expect(m(p, { key: 'dir/.png' })).toBe(true)
    expect(m(p, { key: 'dir/x/y.png' })).toBe(true)
    expect(m(p, { key: 'other/a.png' })).toBe(false)
    expect(m(p, { key: 'dir/a.png.bak' })).toBe(false)
    expect(m({ k: [{ wildcard: '*a*b*' }] }, { k: 'xxbyyazzb' })).toBe(true)
    expect(m({ k: [{ wildcard: '*a*b*' }] }, { k: 'bbba' })).toBe(false)
    expect(m({ k: [{ wildcard: 'ab*ba' }] }, { k: 'aba' })).toBe(false)
  })

  it('a wildcard without "*" is an exact match, and "\\*" is a literal star', () => {
    expect(m({ k: [{ wildcard: 'abc' }] }, { k: 'abc' })).toBe(true)
    expect(m({ k: [{ wildcard: 'abc' }] }, { k: 'abcd' })).toBe(false)
    expect(m({ k: [{ wildcard: 'a\\*c' }] }, { k: 'a*c' })).toBe(true)
    expect(m({ k: [{ wildcard: 'a\\*c' }] }, { k: 'abc' })).toBe(false)
  })
})

describe('anything-but', () => {
  it('anything-but a value matches any present value except that one', () => {
    const p = { state: [{ 'anything-but': 'initializing' }] }
    expect(m(p, { state: 'running' })).toBe(true)
    expect(m(p, { state: 'initializing' })).toBe(false)
    expect(m(p, {})).toBe(false)
  })

  it('anything-but a list excludes every listed value', () => {
    const p = { state: [{ 'anything-but': ['stopped', 'overloaded'] }] }
    expect(m(p, { state: 'running' })).toBe(true)
    expect(m(p, { state: 'overloaded' })).toBe(false)
    expect(m({ n: [{ 'anything-but': [1, 2] }] }, { n: 2.0 })).toBe(false)
    expect(m({ n: [{ 'anything-but': [1, 2] }] }, { n: 3 })).toBe(true)
  })

  it('anything-but on an event array matches when any element is not excluded', () => {
    const p = { tags: [{ 'anything-but': 'a' }] }
    expect(m(p, { tags: ['a', 'b'] })).toBe(true)
    expect(m(p, { tags: ['a', 'a'] })).toBe(false)
  })

  it('anything-but prefix, suffix and wildcard reject exactly the strings that pass the inner test', () => {
    expect(m({ r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'eu-west-1' })).toBe(true)
    expect(m({ r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'us-east-1' })).toBe(false)
    expect(m({ f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.jpg' })).toBe(true)
    expect(m({ f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.png' })).toBe(false)
    expect(m({ f: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { f: 'src/a.ts' })).toBe(true)
    expect(m({ f: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { f: 'src/lib/a.ts' })).toBe(false)
  })

  it('anything-but prefix, suffix, wildcard and equals-ignore-case match numbers, booleans and null (they are anything but a string pattern)', () => {
    const patterns = [{ prefix: 'us-' }, { suffix: '.png' }, { wildcard: '*/lib/*' }, { 'equals-ignore-case': 'init' }, { 'equals-ignore-case': ['a', 'b'] }]
    for (const inner of patterns) {
      const p = { v: [{ 'anything-but': inner }] }
      expect([42, 0, -1.5, true, false, null].map((v) => m(p, { v }))).toEqual([true, true, true, true, true, true])
      expect(m(p, { v: [42, 'x'] })).toBe(true)
      expect(m(p, {})).toBe(false)
      expect(m(p, { v: [] })).toBe(false)
    }
    expect(m({ v: [{ 'anything-but': { prefix: '4' } }] }, { v: 42 })).toBe(true)
    expect(m({ v: [{ 'anything-but': { prefix: '4' } }] }, { v: '42' })).toBe(false)
  })

  it('anything-but prefix, suffix and wildcard take a list of strings and exclude a value matching any of them', () => {
    const p = { state: [{ 'anything-but': { prefix: ['init', 'test'] } }] }
    expect(m(p, { state: 'running' })).toBe(true)
    expect(m(p, { state: 'initializing' })).toBe(false)
    expect(m(p, { state: 'testing' })).toBe(false)
    expect(m(p, { state: 12 })).toBe(true)
    expect(m(p, { state: null })).toBe(true)
    expect(m(p, {})).toBe(false)
    const f = { f: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }
    expect([m(f, { f: 'a.gif' }), m(f, { f: 'a.png' }), m(f, { f: 'a.jpg' })]).toEqual([true, false, false])
    const w = { f: [{ 'anything-but': { wildcard: ['*/bin/*.jar', '*/bin/*.class'] } }] }
    expect([m(w, { f: 'x/bin/a.jar' }), m(w, { f: 'x/bin/a.class' }), m(w, { f: 'x/lib/a.jar' })]).toEqual([false, false, true])
  })

  it('anything-but equals-ignore-case excludes the values in any case', () => {
    const p = { s: [{ 'anything-but': { 'equals-ignore-case': ['Init', 'stopped'] } }] }
    expect(m(p, { s: 'INIT' })).toBe(false)
    expect(m(p, { s: 'Stopped' })).toBe(false)
    expect(m(p, { s: 'running' })).toBe(true)
  })
})

describe('numeric, exists and cidr', () => {
  it('a numeric matcher applies every comparison to numbers only', () => {
    const p = { price: [{ numeric: ['>', 0, '<=', 5] }] }
    expect(m(p, { price: 5 })).toBe(true)
    expect(m(p, { price: 0.5 })).toBe(true)
    expect(m(p, { price: 0 })).toBe(false)
    expect(m(p, { price: 5.01 })).toBe(false)
    expect(m(p, { price: '3' })).toBe(false)
    expect(m({ n: [{ numeric: ['=', 3] }] }, { n: 3.0 })).toBe(true)
    expect(m({ n: [{ numeric: ['>=', 3] }] }, { n: 3 })).toBe(true)
    expect(m({ n: [{ numeric: ['<', 3] }] }, { n: 3 })).toBe(false)
  })

  it('exists true matches any present leaf value, including null', () => {
    const p = { x: [{ exists: true }] }
    expect(m(p, { x: null })).toBe(true)
    expect(m(p, { x: '' })).toBe(true)
    expect(m(p, {})).toBe(false)
    expect(m(p, { x: [] })).toBe(false)
  })

  it('exists false matches absent fields, empty arrays and intermediate object nodes', () => {
    const p = { x: [{ exists: false }] }
    expect(m(p, {})).toBe(true)
    expect(m(p, { x: [] })).toBe(true)
    expect(m(p, { x: { y: 1 } })).toBe(true)
    expect(m(p, { x: 0 })).toBe(false)
  })

  it('exists false inside a nested pattern matches when the parent object is absent', () => {
    expect(m({ detail: { x: [{ exists: false }] } }, {})).toBe(true)
    expect(m({ detail: { x: [{ exists: false }] } }, { detail: { x: 1 } })).toBe(false)
  })

  it('an absence matcher can be ORed with value matchers', () => {
    const p = { x: ['a', { exists: false }] }
    expect(m(p, {})).toBe(true)
    expect(m(p, { x: 'a' })).toBe(true)
    expect(m(p, { x: 'b' })).toBe(false)
  })

  it('a cidr matcher matches IPv4 address strings inside the block', () => {
    const p = { ip: [{ cidr: '10.0.0.0/24' }] }
    expect(m(p, { ip: '10.0.0.255' })).toBe(true)
    expect(m(p, { ip: '10.0.1.0' })).toBe(false)
    expect(m(p, { ip: '10.0.0.256' })).toBe(false)
    expect(m(p, { ip: 'not-an-ip' })).toBe(false)
    expect(m({ ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '255.255.255.255' })).toBe(true)
    expect(m({ ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.7' })).toBe(true)
    expect(m({ ip: [{ cidr: '192.168.1.7/32' }] }, { ip: '192.168.1.8' })).toBe(false)
  })
})

describe('cidr: IPv6', () => {
  it('a cidr matcher with an IPv6 block matches IPv6 address strings inside it, in full or compressed form', () => {
    const p = { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }
    expect(m(p, { ip: '2001:0db8:1234:1a00:0000:0000:0000:0000' })).toBe(true)
    expect(m(p, { ip: '2001:db8:1234:1a00:ffff:ffff:ffff:ffff' })).toBe(true)
    expect(m(p, { ip: '2001:DB8:1234:1A00::1' })).toBe(true)
    expect(m(p, { ip: '2001:0db8:123f:1a01:0000:0000:0000:0000' })).toBe(false)
    expect(m(p, { ip: '2001:db8:1234:1a01::' })).toBe(false)
    expect(m(p, { ip: '10.0.0.1' })).toBe(false)
    expect(m(p, { ip: 'not-an-ip' })).toBe(false)
    expect(m({ ip: [{ cidr: '::/0' }] }, { ip: '::1' })).toBe(true)
    expect(m({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '::1' })).toBe(false)
    expect(m({ ip: [{ cidr: 'fe80::1/128' }] }, { ip: 'fe80:0:0:0:0:0:0:1' })).toBe(true)
  })

  it('a malformed IPv6 block or a prefix length over 128 is refused', () => {
    for (const cidr of ['xxxx:db8:1234:1a00::/64', '2001:db8::/129', '2001:db8::1::/64', '2001:db8:1:2:3:4:5:6:7/64', '12345::/16']) {
      expect(() => compileEventPattern({ ip: [{ cidr }] })).toThrow(new PatternError('Invalid event pattern at "ip": "cidr" expects an IPv4 or IPv6 CIDR string such as "10.0.0.0/24" or "2001:db8::/32"', 'ip'))
    }
  })
})

describe('validation', () => {
  const cases: [rule: string, pattern: string | EventPattern, message: string, path: string][] = [
    ['a pattern string must be valid JSON', '{"source": [', 'Invalid event pattern: not valid JSON', ''],
    ['a pattern must be a JSON object', '["a"]', 'Invalid event pattern: expected a JSON object', ''],
    ['a leaf must be an array or an object', { source: 'aws.s3' }, 'Invalid event pattern at "source": expected an array of matchers or a nested pattern object', 'source'],
    ['a leaf array must not be empty', { detail: { s: [] } }, 'Invalid event pattern at "detail.s": leaf array must not be empty', 'detail.s'],
    ['a leaf array must not nest arrays', { s: [['a']] }, 'Invalid event pattern at "s": leaf array entries must be strings, finite numbers, booleans, null or operator objects', 's'],
    ['an unknown operator is rejected', { s: [{ contains: 'a' }] }, 'Invalid event pattern at "s": unknown operator "contains"', 's'],
    ['an operator object has exactly one key', { s: [{ prefix: 'a', suffix: 'b' }] }, 'Invalid event pattern at "s": an operator object must have exactly one key, got 2', 's'],
    ['prefix needs a string', { s: [{ prefix: 1 }] }, 'Invalid event pattern at "s": "prefix" expects a string or {"equals-ignore-case": string}', 's'],
    ['suffix needs a string', { s: [{ suffix: { foo: 'a' } }] }, 'Invalid event pattern at "s": "suffix" expects a string or {"equals-ignore-case": string}', 's'],
    ['equals-ignore-case needs a string', { s: [{ 'equals-ignore-case': ['a'] }] }, 'Invalid event pattern at "s": "equals-ignore-case" expects a string', 's'],
    ['exists needs a boolean', { s: [{ exists: 'true' }] }, 'Invalid event pattern at "s": "exists" expects true or false', 's'],
    ['numeric needs an operand after each operator', { detail: { price: [{ numeric: ['>', 0, '<'] }] } }, 'Invalid event pattern at "detail.price": "numeric" expects [op, number, ...]', 'detail.price'],
    ['numeric operands must be numbers', { p: [{ numeric: ['>', '0'] }] }, 'Invalid event pattern at "p": "numeric" expects [op, number, ...]', 'p'],
    ['numeric operators are =, >, >=, <, <=', { p: [{ numeric: ['!=', 0] }] }, 'Invalid event pattern at "p": "numeric" has unknown operator "!="', 'p'],
    ['a numeric range is a lower then an upper bound', { p: [{ numeric: ['<', 5, '>', 0] }] }, 'Invalid event pattern at "p": "numeric" range must be [">" or ">=", low, "<" or "<=", high]', 'p'],
    ['a numeric range must not be empty', { p: [{ numeric: ['>', 5, '<', 5] }] }, 'Invalid event pattern at "p": "numeric" range lower bound must be less than upper bound', 'p'],
    ['cidr needs an IPv4 or IPv6 block', { ip: [{ cidr: '10.0.0.0/33' }] }, 'Invalid event pattern at "ip": "cidr" expects an IPv4 or IPv6 CIDR string such as "10.0.0.0/24" or "2001:db8::/32"', 'ip'],
    ['wildcard rejects consecutive stars', { k: [{ wildcard: 'a**b' }] }, 'Invalid event pattern at "k": "wildcard" must not contain consecutive "*"', 'k'],
    ['wildcard rejects unknown escapes', { k: [{ wildcard: 'a\\b' }] }, 'Invalid event pattern at "k": "wildcard" allows only "\\*" and "\\\\" as escapes', 'k'],
    ['anything-but lists must not mix types', { s: [{ 'anything-but': ['a', 1] }] }, 'Invalid event pattern at "s": "anything-but" expects a string, a number, a non-empty array of only strings or only numbers, or one of {"prefix"|"suffix"|"wildcard"|"equals-ignore-case": ...}', 's'],
    ['anything-but lists must not be empty', { s: [{ 'anything-but': [] }] }, 'Invalid event pattern at "s": "anything-but" expects a string, a number, a non-empty array of only strings or only numbers, or one of {"prefix"|"suffix"|"wildcard"|"equals-ignore-case": ...}', 's'],
    ['anything-but prefix needs a string or a list of strings', { s: [{ 'anything-but': { prefix: 1 } }] }, 'Invalid event pattern at "s": "anything-but" "prefix" expects a string or a non-empty array of strings', 's'],
    ['anything-but wildcard lists hold strings only', { s: [{ 'anything-but': { wildcard: ['a*', 1] } }] }, 'Invalid event pattern at "s": "anything-but" "wildcard" expects a string or a non-empty array of strings', 's'],
    ['anything-but prefix must not be empty (AWS: "Null prefix/suffix not allowed")', { s: [{ 'anything-but': { prefix: '' } }] }, 'Invalid event pattern at "s": "anything-but" "prefix" must not be empty: Null prefix/suffix not allowed', 's'],
    ['anything-but suffix list entries must not be empty', { s: [{ 'anything-but': { suffix: ['.png', ''] } }] }, 'Invalid event pattern at "s": "anything-but" "suffix" must not be empty: Null prefix/suffix not allowed', 's'],
    ['anything-but equals-ignore-case needs strings', { s: [{ 'anything-but': { 'equals-ignore-case': [] } }] }, 'Invalid event pattern at "s": "anything-but" "equals-ignore-case" expects a string or a non-empty array of strings', 's'],
    ['"$or" needs at least two alternatives', { $or: [{ a: ['1'] }] }, 'Invalid event pattern at "$or": "$or" expects an array of at least two pattern objects', '$or'],
    ['errors inside "$or" name the alternative', { $or: [{ a: ['1'] }, { b: { c: [] } }] }, 'Invalid event pattern at "$or[1].b.c": leaf array must not be empty', '$or[1].b.c'],
  ]

  for (const [rule, pattern, message, path] of cases) {
    it(`${rule}`, () => {
      const err = errorOf(pattern)
      expect(err.message).toBe(message)
      expect(err.path).toBe(path)
      expect(err.name).toBe('PatternError')
      expect(err).toBeInstanceOf(Error)
    })
  }

  it('matchesEventPattern throws the same PatternError for an invalid pattern', () => {
    expect(() => matchesEventPattern({ s: [] }, {})).toThrow(new PatternError('Invalid event pattern at "s": leaf array must not be empty', 's'))
  })
})

describe('compiled patterns and helpers', () => {
  it('a compiled pattern keeps a private copy of the validated pattern', () => {
    const input: EventPattern = { source: ['a'] }
    const compiled = compileEventPattern(input)
    input['source'] = ['b']
    expect(compiled.pattern).toEqual({ source: ['a'] })
    expect(compiled.matches({ source: 'a' })).toBe(true)
    expect(compileEventPattern('{"n":[1]}').pattern).toEqual({ n: [1] })
  })

  it('parseMaybeJson returns parsed JSON, or the string itself when it is not JSON', () => {
    expect(parseMaybeJson('{"a":1}')).toEqual({ a: 1 })
    expect(parseMaybeJson('42')).toBe(42)
    expect(parseMaybeJson('hello')).toBe('hello')
    expect(parseMaybeJson('')).toBe('')
  })
})

describe('properties', () => {
  const key = fc.stringMatching(/^[a-z]{1,6}$/)
  const leaf = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))
  const { event } = fc.letrec((tie) => ({
    event: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, leaf, fc.array(leaf, { maxLength: 3 }), tie('event')), { maxKeys: 4 }),
  }))

  /** Builds a pattern from an event's own values: each leaf becomes `[value]`, `[]` becomes `exists: false`. */
  function patternOf(ev: Record<string, unknown>): EventPattern {
    const out: EventPattern = {}
    for (const [k, v] of Object.entries(ev)) {
      if (Array.isArray(v)) out[k] = v.length > 0 ? [v[v.length - 1]] : [{ exists: false }]
      else if (typeof v === 'object' && v !== null) out[k] = patternOf(v as Record<string, unknown>)
      else out[k] = [v]
    }
    return out
  }

  it('a pattern built from an event\'s own leaf values always matches that event', () => {
    fc.assert(
      fc.property(event, (ev) => {
        expect(m(patternOf(ev), ev)).toBe(true)
        expect(m(JSON.stringify(patternOf(ev)), JSON.parse(JSON.stringify(ev)))).toBe(true)
      }),
    )
  })

  it('"$or" matches as the rules event-ruler expands it into (JsonRuleCompiler.parseIntoOrRelationship, written out here)', () => {
    // Reference: keys in document order put their dotted path into every current rule (replacing it);
    // an "$or" forks the current rules once per alternative. Each expanded rule has no "$or" left.
    type Rule = Map<string, unknown>
    const expand = (pattern: Record<string, unknown>, prefix: string, rules: Rule[]): Rule[] => {
      for (const [key, value] of Object.entries(pattern)) {
        if (key === '$or') {
          const current = rules.length > 0 ? rules : [new Map<string, unknown>()]
          rules = (value as Record<string, unknown>[]).flatMap((alt) => expand(alt, prefix, current.map((r) => new Map(r))))
        } else if (Array.isArray(value)) {
          if (rules.length === 0) rules = [new Map()]
          for (const rule of rules) rule.set(prefix + key, value)
        } else {
          rules = expand(value as Record<string, unknown>, `${prefix}${key}.`, rules)
        }
      }
      return rules
    }
    const keys = ['a', 'b', 'c', 'a.b', 'b.c']
    const leaf = fc.constantFrom<unknown[]>([1], [2], [1, 2], [{ exists: false }], [{ 'anything-but': 1 }])
    const patternAt = (depth: number): fc.Arbitrary<Record<string, unknown>> => {
      const value = depth === 0 ? leaf : fc.oneof(leaf, leaf, patternAt(depth - 1))
      const entries = fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), value), { selector: ([k]) => k, minLength: 1, maxLength: 3 })
      const or = depth === 0 ? fc.constant(undefined) : fc.option(fc.array(patternAt(depth - 1), { minLength: 2, maxLength: 3 }))
      return fc.tuple(entries, or, fc.nat()).map(([es, alts, at]) => {
        const list: [string, unknown][] = [...es]
        if (alts !== null && alts !== undefined) list.splice(at % (list.length + 1), 0, ['$or', alts])
        return Object.fromEntries(list)
      })
    }
    const valueAt = (depth: number): fc.Arbitrary<unknown> => {
      const scalar = fc.constantFrom<unknown>(1, 2, 3)
      if (depth === 0) return scalar
      const obj = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'a.b'), valueAt(depth - 1), { maxKeys: 3 })
      return fc.oneof(scalar, obj, fc.array(obj, { maxLength: 3 }))
    }
    const event = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'a.b', 'b.c'), valueAt(2), { maxKeys: 4 })
    fc.assert(
      fc.property(patternAt(2), event, (pattern, ev) => {
        const rules = expand(pattern, '', [])
        expect(m(pattern, ev)).toBe(rules.some((rule) => m(Object.fromEntries(rule), ev)))
      }),
      { numRuns: 500 },
    )
  })

  it('anything-but [v] never matches v and always matches any other value of the same type', () => {
    const value = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }))
    fc.assert(
      fc.property(value, value, (v, w) => {
        fc.pre(typeof v === typeof w)
        const p = { x: [{ 'anything-but': [v] }] }
        expect(m(p, { x: v })).toBe(false)
        expect(m(p, { x: w })).toBe(v !== w)
      }),
    )
  })
})
