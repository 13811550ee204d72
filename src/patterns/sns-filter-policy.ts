/**
 * SNS subscription filter policies: SNS's validation (its `InvalidParameter` texts) and matching on
 * message attributes or on a JSON message body.
 *
 * Matching reuses the EventBridge matcher ({@link compileEventPattern}): SNS's payload filter language
 * is the same family (exact values, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric`,
 * `exists`, `cidr`, `$or`, nested keys, dotted keys), but SNS accepts less (no `wildcard`, no nested
 * `anything-but` other than `prefix`), refuses other shapes with its own texts, and limits a policy to
 * 5 top-level keys, 150 combinations and 256 KB. Validation here follows the texts AWS answered in
 * LocalStack's AWS-validated `tests/aws/services/sns/test_sns_filter_policy.py` (snapshot recorded
 * 2024-05) and the developer guide's "Filter policy constraints".
 */
import { LambdaError, SimulatorError } from '../errors.js'
import { compileEventPattern, isObject, parseIpv4, parseIpv6, PatternError } from './event-pattern.js'
import type { CompiledPattern } from './event-pattern.js'
import type { MessageAttribute } from '../destinations/destination.js'

/** Where a policy looks: message attributes (SNS's default) or the JSON message body. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody'

/** Which SNS call carries the policy: the texts differ (Subscribe adds "Attributes Reason: "). */
export type FilterPolicyCall = 'Subscribe' | 'SetSubscriptionAttributes'

/** Largest filter policy, in bytes of its JSON (256 KB). */
const MAX_POLICY_BYTES = 262_144
/** Most top-level keys in a policy. */
const MAX_POLICY_KEYS = 5
/** Most combinations of values in a policy. */
const MAX_COMBINATIONS = 150

/** A validated filter policy, ready to test messages against. */
export interface CompiledFilterPolicy {
  /** `true` when the message passes the policy (it is delivered to the subscription). */
  matches(message: string, attributes: Readonly<Record<string, MessageAttribute>>): boolean
}

function prefixOf(call: FilterPolicyCall): string {
  return call === 'Subscribe' ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: '
}

function invalidFilterPolicy(call: FilterPolicyCall, reason: string): never {
  throw new LambdaError('InvalidParameter', 400, `${prefixOf(call)}FilterPolicy: ${reason}`)
}

/** SNS's check of `FilterPolicyScope`. */
export function checkFilterPolicyScope(scope: unknown, call: FilterPolicyCall): FilterPolicyScope {
  if (scope === 'MessageAttributes' || scope === 'MessageBody') return scope
  throw new LambdaError('InvalidParameter', 400, `${prefixOf(call)}FilterPolicyScope: Invalid value [${String(scope)}]. Please use either MessageBody or MessageAttributes`)
}

/**
 * Parses and validates a filter policy as SNS does, then compiles it. The checks run in SNS's order
 * (as LocalStack reproduces it against AWS): JSON, top-level keys, then the tree (empty arrays, keys
 * that are neither object nor array, nesting under the attribute scope), the combinations, then each
 * match value.
 * @throws LambdaError `InvalidParameter` (400) with SNS's text.
 */
export function compileFilterPolicy(policy: string | Record<string, unknown>, scope: FilterPolicyScope, call: FilterPolicyCall): CompiledFilterPolicy {
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy)
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) invalidFilterPolicy(call, 'Filter policy is too long')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    invalidFilterPolicy(call, 'failed to parse JSON.')
  }
  if (!isObject(parsed)) invalidFilterPolicy(call, 'Filter policy must be a JSON object')
  if (Object.keys(parsed).length > MAX_POLICY_KEYS) invalidFilterPolicy(call, `Filter policy can not have more than ${MAX_POLICY_KEYS} keys`)
  const rules: unknown[][] = []
  const combinations = aggregate(parsed, 1, 1, scope, call, rules)
  if (combinations > MAX_COMBINATIONS) invalidFilterPolicy(call, 'Filter policy is too complex')
  for (const list of rules) for (const rule of list) checkRule(rule, call)
  let compiled: CompiledPattern
  try {
    compiled = compileEventPattern(parsed)
  } catch (error) {
    if (error instanceof PatternError) throw new SimulatorError('InvalidOption', `lambda-sim does not simulate this filter policy (SNS accepts it): ${error.message}`)
    throw error
  }
  return scope === 'MessageBody'
    ? { matches: (message) => matchBody(compiled, message) }
    : { matches: (_message, attributes) => compiled.matches(attributeEvent(attributes)) }
}

/**
 * Walks the policy tree: collects the match-value arrays in `rules` and returns the combinations,
 * counted as SNS does: each array multiplies by its length times its depth (the developer guide's
 * nested example, 3 × 4 × 2 × 3 = 72), and the alternatives of a `$or` add up.
 */
function aggregate(node: Record<string, unknown>, depth: number, combinations: number, scope: FilterPolicyScope, call: FilterPolicyCall, rules: unknown[][]): number {
  for (const [key, value] of Object.entries(node)) {
    if (isObject(value)) {
      combinations = aggregate(value, depth + 1, combinations, scope, call, rules)
    } else if (Array.isArray(value)) {
      if (value.length === 0) invalidFilterPolicy(call, 'Empty arrays are not allowed')
      if (key === '$or') {
        // Choice (AWS's text is not recorded): "$or" takes objects only; event-ruler needs at least two.
        if (value.length < 2 || !value.every(isObject)) invalidFilterPolicy(call, '"$or" must be an array of at least two objects')
        let sum = 0
        for (const alt of value as Record<string, unknown>[]) sum += aggregate(alt, depth, combinations, scope, call, rules)
        combinations = sum
      } else {
        rules.push(value as unknown[])
        combinations = combinations * value.length * depth
      }
    } else {
      invalidFilterPolicy(call, `"${key}" must be an object or an array`)
    }
  }
  if (scope === 'MessageAttributes' && depth > 1) {
    throw new LambdaError('InvalidParameter', 400, `${prefixOf(call)}Filter policy scope MessageAttributes does not support nested filter policy`)
  }
  return combinations
}

function isSimple(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
}

function checkRule(rule: unknown, call: FilterPolicyCall): void {
  if (isSimple(rule)) return
  if (!isObject(rule)) invalidFilterPolicy(call, 'Match value must be String, number, true, false, or null')
  const entries = Object.entries(rule)
  if (entries.length !== 1) invalidFilterPolicy(call, 'Only one key allowed in match expression')
  const [op, value] = entries[0] as [string, unknown]
  switch (op) {
    case 'equals-ignore-case':
    case 'prefix':
    case 'suffix':
      if (typeof value !== 'string') invalidFilterPolicy(call, `${op} match pattern must be a string`)
      return
    case 'anything-but':
      if (Array.isArray(value)) {
        for (const v of value) checkRule(v, call)
        return
      }
      if (isObject(value)) {
        for (const inner of Object.keys(value)) if (inner !== 'prefix') invalidFilterPolicy(call, `Unsupported anything-but pattern: ${inner}`)
      }
      checkRule(value, call)
      return
    case 'exists':
      if (typeof value !== 'boolean') invalidFilterPolicy(call, 'exists match pattern must be either true or false.')
      return
    case 'numeric':
      checkNumeric(value, call)
      return
    case 'cidr':
      checkCidr(value, call)
      return
    default:
      invalidFilterPolicy(call, `Unrecognized match type ${op}`)
  }
}

function numberText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** `["op", n]` or `[">"|">=", low, "<"|"<=", high]`, with AWS's texts for each mistake. */
function checkNumeric(value: unknown, call: FilterPolicyCall): void {
  const terms = Array.isArray(value) ? (value as unknown[]) : []
  if (terms.length === 0) invalidFilterPolicy(call, 'Invalid member in numeric match: ]')
  const [op, n, op2, n2] = terms
  if (typeof op !== 'string') invalidFilterPolicy(call, `Invalid member in numeric match: ${numberText(op)}`)
  if (!['<', '<=', '=', '>', '>='].includes(op)) invalidFilterPolicy(call, `Unrecognized numeric range operator: ${op}`)
  if (typeof n !== 'number') invalidFilterPolicy(call, `Value of ${op === '=' ? 'equals' : op} must be numeric`)
  if (terms.length === 2) return
  if (op !== '>' && op !== '>=') invalidFilterPolicy(call, 'Too many elements in numeric expression')
  if (typeof op2 !== 'string') invalidFilterPolicy(call, `Bad value in numeric range: ${numberText(op2)}`)
  if (op2 !== '<' && op2 !== '<=') invalidFilterPolicy(call, `Bad numeric range operator: ${op2}`)
  if (typeof n2 !== 'number') invalidFilterPolicy(call, `Value of ${op2} must be numeric`)
  if (n2 <= n) invalidFilterPolicy(call, 'Bottom must be less than top')
  if (terms.length > 4) invalidFilterPolicy(call, 'Too many terms in numeric range expression')
}

function checkCidr(value: unknown, call: FilterPolicyCall): void {
  // LocalStack's texts (AWS's own are not recorded for cidr).
  if (typeof value !== 'string') invalidFilterPolicy(call, 'prefix match pattern must be a string')
  const parts = value.split('/')
  if (parts.length !== 2) invalidFilterPolicy(call, "Malformed CIDR, one '/' required")
  const [ip, bits] = parts as [string, string]
  if (!/^\d+$/.test(bits)) invalidFilterPolicy(call, 'Malformed CIDR, mask bits must be an integer')
  // The matcher's own address parsers (not node:net, which would load Node's stream modules at import).
  if (!(parseIpv4(ip) !== undefined && Number(bits) <= 32) && !(parseIpv6(ip) !== undefined && Number(bits) <= 128)) invalidFilterPolicy(call, `Nonstandard IP address: ${ip}`)
}

/**
 * What an attribute-scope policy sees: each attribute by name, a `String` as its string, a `Number`
 * as its number, a `String.Array` as its JSON array's elements (any element may match); `Binary`
 * attributes are ignored, as SNS does. A `String.Array` that is not a JSON array is treated as absent
 * (a lambda-sim choice: SNS refuses it on Publish; `topic.publish` does not check it). A `Number` that
 * is not a number is refused by `topic.publish`; one that reaches here anyway counts as absent.
 */
function attributeEvent(attributes: Readonly<Record<string, MessageAttribute>>): Record<string, unknown> {
  const event: Record<string, unknown> = {}
  for (const [name, a] of Object.entries(attributes)) {
    const type = String(a.dataType)
    const s = a.stringValue
    if (type === 'Binary' || type.startsWith('Binary.') || s === undefined) continue
    if (type === 'String.Array') {
      let parsed: unknown
      try {
        parsed = JSON.parse(s)
      } catch {
        parsed = undefined
      }
      if (Array.isArray(parsed)) event[name] = parsed
    } else if (type === 'Number' || type.startsWith('Number.')) {
      const n = Number(s)
      if (s.trim() !== '' && Number.isFinite(n)) event[name] = n
    } else {
      event[name] = s
    }
  }
  return event
}

/** A body-scope policy passes only a message that is a JSON object. */
function matchBody(compiled: CompiledPattern, message: string): boolean {
  let body: unknown
  try {
    body = JSON.parse(message)
  } catch {
    return false
  }
  return isObject(body) && compiled.matches(body)
}
