import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator, type Bucket, type EventBus, type EventPattern, type FunctionHandle, type Queue, type ScheduleHandle, type Simulator } from '../src/index.js'
import { thrownBy } from './helpers/errors.js'

/**
 * "A refused call changes nothing" for event buses, schedules and buckets: each refused call throws a
 * named error whose message names the field or value, leaves every observable part of the simulator
 * byte-identical, and draws nothing from the seeded generator (the next ids, names and sequencers are
 * those of a simulator that never saw the call).
 */

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const fArn = 'arn:aws:lambda:us-east-1:123456789012:function:f'
const gArn = 'arn:aws:lambda:us-east-1:123456789012:function:g'

interface World {
  sim: Simulator
  fn: FunctionHandle
  bus: EventBus
  bucket: Bucket
  /** The first schedule (auto-named). */
  schedule: ScheduleHandle
  /** A schedule created then deleted in setup. */
  deleted: ScheduleHandle
  /** Rule target queues: standard, and FIFO with content-based deduplication. */
  queues: Queue[]
}

/** A simulator with two functions, a bus with two rules, a bucket with objects and a notification, and schedules. */
async function setup(): Promise<World> {
  const sim = createSimulator({ seed: 11, startTime: T0 })
  const fn = sim.createFunction('f', async (e: unknown) => e)
  sim.createFunction('g', async () => null)
  const bus = sim.createEventBus('shop')
  bus.putRule({ name: 'orders', eventPattern: { source: ['shop'], detail: { total: [{ numeric: ['>=', 100] }] } }, targets: [fn] })
  bus.putRule({ name: 'quiet', eventPattern: '{"detail-type":["x"]}', targets: ['g'], state: 'DISABLED' })
  const queues = [sim.createQueue('jobs'), sim.createQueue('jobs.fifo', { contentBasedDeduplication: true })]
  bus.putRule({ name: 'to-queues', eventPattern: { source: ['shop'] }, targets: [queues[0] as Queue, { queue: (queues[1] as Queue).arn, messageGroupId: 'orders' }] })
  bus.putEvents([{ source: 'shop', detailType: 'OrderPlaced', detail: { total: 250 } }])
  const bucket = sim.createBucket('uploads')
  bucket.addNotification({ events: ['s3:ObjectCreated:*'], filter: { prefix: 'images/' }, function: fn, id: 'images' })
  bucket.putBucketNotificationConfiguration({
    lambdaFunctionConfigurations: [
      { id: 'images', lambdaFunctionArn: fn.arn, events: ['s3:ObjectCreated:*'], filter: { key: { filterRules: [{ name: 'Prefix', value: 'images/' }] } } },
      { id: 'logs', lambdaFunctionArn: gArn, events: ['s3:ObjectRemoved:Delete'], filter: { key: { filterRules: [{ name: 'Suffix', value: '.log' }] } } },
    ],
  })
  bucket.putObject('images/a.jpg', 'aaa')
  bucket.putObject('docs/readme.txt', 'hello')
  const schedule = sim.createSchedule({ expression: 'rate(5 minutes)', target: fn })
  sim.createSchedule({ expression: 'cron(0 9 * * ? *)', target: 'g', name: 'nightly', timezone: 'America/New_York' })
  const deleted = sim.createSchedule({ expression: 'at(2026-01-02T00:00:00)', target: 'g', name: 'once' })
  deleted.delete()
  await sim.advanceBy(60_000)
  return { sim, fn, bus, bucket, schedule, deleted, queues }
}

/** Everything observable about the world, as one string. */
function snapshot(w: World): string {
  const { sim } = w
  return JSON.stringify({
    now: sim.now(),
    pending: sim.pending(),
    timeline: sim.timeline.entries,
    metrics: sim.metrics,
    bus: {
      name: w.bus.name,
      arn: w.bus.arn,
      entries: w.bus.entries,
      rules: w.bus.rules.map((r) => ({ name: r.name, arn: r.arn, eventPattern: r.eventPattern, targets: r.targets, sqsParameters: r.sqsParameters, state: r.state })),
    },
    queues: w.queues.map((q) => q.messages.map((m) => [m.messageId, m.body, m.messageGroupId, m.messageDeduplicationId, m.sequenceNumber, m.sentTimestamp])),
    schedules: sim.listSchedules().map((s) => ({ name: s.name, arn: s.arn, expression: s.expression, state: s.state, nextFireTime: s.nextFireTime, fires: s.fires })),
    handles: [w.schedule, w.deleted].map((s) => ({ name: s.name, state: s.state, nextFireTime: s.nextFireTime, fires: s.fires })),
    bucket: {
      name: w.bucket.name,
      objects: [...w.bucket.objects.entries()],
      notifications: w.bucket.getBucketNotificationConfiguration(),
    },
  })
}

/**
 * The same valid calls on two worlds: every id, generated name and sequencer they produce, then the
 * whole snapshot. Equal probes mean the refused call drew nothing from the seeded generator and moved
 * no counter.
 */
async function probe(w: World): Promise<string> {
  const put = w.bus.putEvents([{ source: 'shop', detailType: 'OrderPlaced', detail: { total: 500 } }])
  const schedule = w.sim.createSchedule({ expression: 'rate(1 day)', target: 'g' })
  const id = w.bucket.addNotification({ events: ['s3:ObjectCreated:Put'], filter: { prefix: 'probe/' }, function: 'g' })
  w.bucket.putObject('images/probe.jpg', 'p')
  w.bucket.putObject('probe/x', 'x')
  w.bucket.deleteObject('probe/x')
  const r = await w.sim.invoke('f', { probe: true })
  await w.sim.advanceBy(10 * 60_000)
  return JSON.stringify({ put, schedule: schedule.name, id, requestId: r.requestId }) + snapshot(w)
}

const circularPattern: Record<string, unknown> = { source: ['shop'] }
circularPattern['detail'] = circularPattern
const circularDetail: Record<string, unknown> = { a: 1 }
circularDetail['self'] = circularDetail

/** Nested "$or"s sharing fields: more than 1000 expanded rules. */
function tooComplexPattern(): EventPattern {
  const steps = Array.from({ length: 10 }, (_, i) => `n${i}`)
  let inner: EventPattern = {}
  for (let i = steps.length - 1; i >= 0; i--) {
    const rest = steps.slice(i).join('.')
    inner = { $or: [{ [rest]: [i] }, { [rest]: [i + 100] }], ...(i < steps.length - 1 ? { [steps[i] as string]: inner } : {}) }
  }
  return inner
}

/** A pattern whose JSON text is exactly `n` characters. */
function patternOfLength(n: number): string {
  const text = JSON.stringify({ source: [''] })
  return JSON.stringify({ source: ['x'.repeat(n - text.length)] })
}

/** `{"a":{"a":…{"a":["x"]}}}`, `depth` objects deep. */
function deepPattern(depth: number): EventPattern {
  let p: EventPattern = { a: ['x'] }
  for (let i = 1; i < depth; i++) p = { a: p }
  return p
}

const entry = { source: 'shop', detailType: 'OrderPlaced', detail: { total: 1 } }
const rule = (eventPattern: unknown) => (w: World) => w.bus.putRule({ name: 'new-rule', eventPattern: eventPattern as EventPattern, targets: ['f'] })
const ruleErr = 'InvalidEventPatternException'
const schedule = (options: Record<string, unknown>) => (w: World) => w.sim.createSchedule({ expression: 'rate(1 hour)', target: 'f', ...options } as never)
/** An invalid expression or time zone: ScheduleExpressionError, a ValidationException (AWS's name). */
const SEE = 'ValidationException'
const notify = (input: Record<string, unknown>) => (w: World) => w.bucket.addNotification({ events: ['s3:ObjectCreated:*'], function: 'g', filter: { prefix: 'new/' }, ...input } as never)
const configure = (configs: unknown) => (w: World) => w.bucket.putBucketNotificationConfiguration({ lambdaFunctionConfigurations: configs } as never)

type Entry = [label: string, call: (w: World) => unknown, name: string, text: string]

/** Event buses and rules. */
const buses: Entry[] = [
  ['bus name with a space', (w) => w.sim.createEventBus('bad name'), 'ValidationException', "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+"],
  ['bus name of 257 characters', (w) => w.sim.createEventBus('b'.repeat(257)), 'ValidationException', `1 validation error detected: Value '${'b'.repeat(257)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 256`],
  ['empty bus name', (w) => w.sim.createEventBus(''), 'ValidationException', "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+"],
  ['custom bus name with a slash', (w) => w.sim.createEventBus('team/bus'), 'ValidationException', "Event bus name must not contain '/'."],
  ['bus name that is not a string', (w) => w.sim.createEventBus(42 as never), 'SimulatorError', '42'],
  ['bus that exists', (w) => w.sim.createEventBus('shop'), 'ResourceAlreadyExistsException', 'Event bus shop already exists.'],
  ['rule name with a space', (w) => w.bus.putRule({ name: 'has space', eventPattern: { source: ['x'] }, targets: [] }), 'ValidationException', "Value 'has space' at 'name'"],
  ['rule name of 65 characters', (w) => w.bus.putRule({ name: 'r'.repeat(65), eventPattern: { source: ['x'] }, targets: [] }), 'ValidationException', `1 validation error detected: Value '${'r'.repeat(65)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64`],
  ['empty rule name', (w) => w.bus.putRule({ name: '', eventPattern: { source: ['x'] }, targets: [] }), 'ValidationException', "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"],
  ['rule name that is not a string', (w) => w.bus.putRule({ name: 42 as never, eventPattern: { source: ['x'] }, targets: [] }), 'SimulatorError', 'Invalid rule name 42'],
  ['bad rule name and bad state together', (w) => w.bus.putRule({ name: 'a b', eventPattern: { source: ['x'] }, targets: [], state: 'enabled' as never }), 'ValidationException', "2 validation errors detected: Value 'a b' at 'name'"],
  ['rule without a name', (w) => w.bus.putRule({ eventPattern: { source: ['x'] }, targets: [] } as never), 'ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"],
  ['deleteRule with a name that breaks the pattern', (w) => w.bus.deleteRule('has space'), 'ValidationException', "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern"],
  ['deleteRule with a name of 65 characters', (w) => w.bus.deleteRule('d'.repeat(65)), 'ValidationException', 'Member must have length less than or equal to 64'],
  ['deleteRule with a name that is not a string', (w) => w.bus.deleteRule(42 as never), 'SimulatorError', 'Invalid rule name 42'],
  ['rule options that are not an object', (w) => w.bus.putRule(null as never), 'SimulatorError', 'null'],
  ['rule options that are an array', (w) => w.bus.putRule([] as never), 'SimulatorError', 'Invalid putRule options: expected an object, got []'],
  ['a rule target that is an array carrying a name (targeted that function before)', (w) => w.bus.putRule({ name: 'new-rule', eventPattern: { source: ['x'] }, targets: [Object.assign([], { name: 'f' }) as never] }), 'SimulatorError', 'Invalid targets[0]: expected a function name, an ARN or a function handle, got []'],
  ['unknown rule option', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [], scheduleExpression: 'rate(1 hour)' } as never), 'SimulatorError', 'scheduleExpression'],
  ['rule state not in the enum', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [], state: 'PAUSED' as never }), 'ValidationException', "1 validation error detected: Value 'PAUSED' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"],
  ['rule targets that are not an array', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: 'f' as never }), 'SimulatorError', 'targets'],
  ['rule with 6 targets', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['f', 'f', 'f', 'f', 'f', 'f'] }), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.'],
  ['rule targeting a missing function', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['f', 'missing'] }), 'ResourceNotFoundException', 'missing'],
  ['rule targeting a missing alias', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['f:prod'] }), 'ResourceNotFoundException', 'prod'],
  ['rule target that is not a function reference', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [42 as never] }), 'SimulatorError', 'targets[0]'],
  ['rule with 6 targets mixing queues and functions', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['f', w.queues[0] as Queue, 'g', { queue: w.queues[0] as Queue }, 'f', (w.queues[0] as Queue).arn] }), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.'],
  ['FIFO queue target without messageGroupId', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['f', w.queues[1] as Queue] }), 'ValidationException', 'Parameter(s) SqsParameters must be specified for target: Target1.'],
  ['FIFO queue ARN target without messageGroupId', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [(w.queues[1] as Queue).arn] }), 'ValidationException', 'Parameter(s) SqsParameters must be specified for target: Target0.'],
  ['replacing a rule with a FIFO queue target without messageGroupId keeps the old rule', (w) => w.bus.putRule({ name: 'to-queues', eventPattern: { source: ['x'] }, targets: [{ queue: w.queues[1] as Queue }] }), 'ValidationException', 'Parameter(s) SqsParameters must be specified for target: Target0.'],
  ['queue target whose messageGroupId is not a string', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [{ queue: w.queues[1] as Queue, messageGroupId: 7 as never }] }), 'SimulatorError', 'Invalid targets[0].messageGroupId: expected a string, got 7'],
  ['queue target with an unknown member', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [{ queue: w.queues[0] as Queue, messageDeduplicationId: 'd' } as never] }), 'SimulatorError', 'Unknown option "messageDeduplicationId" for putRule targets[0]'],
  ['queue target whose queue is a name', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [{ queue: 'jobs' }] }), 'SimulatorError', 'Invalid targets[0].queue: expected a queue or an SQS queue ARN, got "jobs"'],
  ['queue ARN target naming no queue', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['arn:aws:sqs:us-east-1:123456789012:missing'] }), 'SimulatorError', 'no queue with ARN arn:aws:sqs:us-east-1:123456789012:missing exists in this simulator'],
  ['queue target of another simulator', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: [createSimulator().createQueue('jobs')] }), 'SimulatorError', 'belongs to another simulator'],
  ['topic ARN as a rule target', (w) => w.bus.putRule({ name: 'r', eventPattern: { source: ['x'] }, targets: ['arn:aws:sns:us-east-1:123456789012:t'] }), 'SimulatorError', 'rule targets are functions and SQS queues; arn:aws:sns:us-east-1:123456789012:t is not supported as a target'],
  ['replacing a rule with a missing target keeps the old rule', (w) => w.bus.putRule({ name: 'orders', eventPattern: { source: ['other'] }, targets: ['missing'] }), 'ResourceNotFoundException', 'missing'],
  ['pattern that is not JSON', rule('{"source": [}'), ruleErr, 'not valid JSON'],
  ['pattern that is a JSON array', rule('[]'), ruleErr, 'expected a JSON object'],
  ['pattern missing', rule(undefined), ruleErr, 'expected a JSON object'],
  ['empty pattern', rule({}), ruleErr, 'Empty objects are not allowed'],
  ['pattern holding an empty object', rule({ source: ['x'], detail: {} }), ruleErr, '"detail"'],
  ['pattern leaf that is a string', rule({ source: 'shop' }), ruleErr, '"source"'],
  ['pattern leaf that is an empty array', rule({ source: [] }), ruleErr, 'leaf array must not be empty'],
  ['pattern leaf holding NaN', rule({ detail: { n: [Number.NaN] } }), ruleErr, 'detail.n'],
  ['pattern leaf holding an array', rule({ source: [['shop']] }), ruleErr, 'source'],
  ['unknown pattern operator', rule({ source: [{ contains: 'x' }] }), ruleErr, 'unknown operator "contains"'],
  ['operator object with two keys', rule({ source: [{ prefix: 'a', suffix: 'b' }] }), ruleErr, 'exactly one key, got 2'],
  ['prefix that is a number', rule({ source: [{ prefix: 5 }] }), ruleErr, '"prefix" expects'],
  ['prefix equals-ignore-case that is a number', rule({ source: [{ prefix: { 'equals-ignore-case': 5 } }] }), ruleErr, '"prefix" expects'],
  ['suffix that is an array', rule({ source: [{ suffix: [] }] }), ruleErr, '"suffix" expects'],
  ['equals-ignore-case that is a number', rule({ source: [{ 'equals-ignore-case': 1 }] }), ruleErr, '"equals-ignore-case" expects a string'],
  ['wildcard with consecutive stars', rule({ source: [{ wildcard: 'a**b' }] }), ruleErr, 'consecutive "*"'],
  ['wildcard with a bad escape', rule({ source: [{ wildcard: 'a\\b' }] }), ruleErr, 'escapes'],
  ['wildcard that is a number', rule({ source: [{ wildcard: 5 }] }), ruleErr, '"wildcard" expects a string'],
  ['cidr with a /33 prefix', rule({ detail: { ip: [{ cidr: '10.0.0.0/33' }] } }), ruleErr, '"cidr"'],
  ['cidr with an octet over 255', rule({ detail: { ip: [{ cidr: '300.0.0.0/8' }] } }), ruleErr, 'detail.ip'],
  ['cidr IPv6 with a /129 prefix', rule({ detail: { ip: [{ cidr: '2001:db8::/129' }] } }), ruleErr, '"cidr"'],
  ['cidr that is not an address', rule({ detail: { ip: [{ cidr: 'localhost' }] } }), ruleErr, '"cidr"'],
  ['numeric with one element', rule({ detail: { n: [{ numeric: ['>'] }] } }), ruleErr, '"numeric" expects'],
  ['numeric with an unknown operator', rule({ detail: { n: [{ numeric: ['~', 5] }] } }), ruleErr, '"~"'],
  ['numeric with a string number', rule({ detail: { n: [{ numeric: ['>', '5'] }] } }), ruleErr, '"numeric" expects'],
  ['numeric range in the wrong order', rule({ detail: { n: [{ numeric: ['<', 5, '>', 1] }] } }), ruleErr, '"numeric" range'],
  ['numeric range with low above high', rule({ detail: { n: [{ numeric: ['>', 10, '<', 5] }] } }), ruleErr, 'lower bound'],
  ['numeric with three comparisons', rule({ detail: { n: [{ numeric: ['>', 1, '<', 5, '=', 3] }] } }), ruleErr, '"numeric" expects'],
  ['exists that is a string', rule({ detail: { n: [{ exists: 'true' }] } }), ruleErr, '"exists" expects true or false'],
  ['anything-but an empty list', rule({ source: [{ 'anything-but': [] }] }), ruleErr, '"anything-but"'],
  ['anything-but a mixed list', rule({ source: [{ 'anything-but': ['a', 1] }] }), ruleErr, '"anything-but"'],
  ['anything-but an empty prefix', rule({ source: [{ 'anything-but': { prefix: '' } }] }), ruleErr, 'Null prefix/suffix not allowed'],
  ['anything-but suffix of an empty list', rule({ source: [{ 'anything-but': { suffix: [] } }] }), ruleErr, '"anything-but" "suffix"'],
  ['anything-but prefix that is a number', rule({ source: [{ 'anything-but': { prefix: 5 } }] }), ruleErr, '"anything-but" "prefix"'],
  ['anything-but equals-ignore-case that is a number', rule({ source: [{ 'anything-but': { 'equals-ignore-case': 1 } }] }), ruleErr, '"equals-ignore-case"'],
  ['anything-but numeric', rule({ detail: { n: [{ 'anything-but': { numeric: ['>', 1] } }] } }), ruleErr, '"anything-but" expects'],
  ['$or with one alternative', rule({ $or: [{ source: ['a'] }] }), ruleErr, '"$or" expects an array of at least two'],
  ['$or that is an object', rule({ $or: { source: ['a'] } }), ruleErr, '"$or"'],
  ['$or with a non-object alternative', rule({ $or: [{ source: ['a'] }, ['b']] }), ruleErr, '"$or"'],
  ['$or with an empty alternative', rule({ $or: [{ source: ['a'] }, {}] }), ruleErr, '$or[1]'],
  ['$or expanding into more than 1000 rules', rule(tooComplexPattern()), ruleErr, 'more than 1000 rules'],
  ['pattern of 4,097 characters', rule(patternOfLength(4097)), 'ValidationException', "at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096"],
  ['pattern object nested 20,000 levels deep', rule(deepPattern(20_000)), 'ValidationException', 'Member must have length less than or equal to 4096'],
  ['pattern object that contains itself', rule(circularPattern), ruleErr, 'Invalid event pattern at "detail": the pattern contains itself'],
]

/** PutEvents refused as a whole. */
const putEvents: Entry[] = [
  ['onEvent listener that is not a function (a later putEvents would fail half-way)', (w) => w.bus.onEvent(42 as never), 'SimulatorError', 'listener'],
  ['putEvents with no entries', (w) => w.bus.putEvents([]), 'ValidationException', 'greater than or equal to 1'],
  ['putEvents with 11 entries', (w) => w.bus.putEvents(Array.from({ length: 11 }, () => entry)), 'ValidationException', 'less than or equal to 10'],
  ['putEvents entries that are not an array', (w) => w.bus.putEvents(entry as never), 'SimulatorError', 'entries'],
  ['putEvents entries over 1,048,576 bytes', (w) => w.bus.putEvents([{ ...entry, detail: { blob: 'x'.repeat(1_048_576) } }]), 'ValidationException', 'Total size of the entries in the request is over the limit.'],
  ['putEvents with a null entry', (w) => w.bus.putEvents([entry, null as never]), 'SimulatorError', 'entries[1]'],
  ['putEvents with an entry that is an array', (w) => w.bus.putEvents([entry, [] as never]), 'SimulatorError', 'Invalid putEvents entries[1]: expected { source, detailType, detail, resources? }, got []'],
  ['putEvents entries with a hole', (w) => w.bus.putEvents(Object.assign(new Array<unknown>(3), { 0: entry, 2: entry }) as never), 'SimulatorError', 'entries[1]'],
  ['putEvents with 11 null entries: the entries are checked before the count', (w) => w.bus.putEvents(Array.from({ length: 11 }, () => null as never)), 'SimulatorError', 'entries[0]'],
  ['putEvents detail holding a BigInt', (w) => w.bus.putEvents([entry, { ...entry, detail: { n: 1n } }]), 'SimulatorError', 'entries[1].detail'],
  ['putEvents detail that contains itself', (w) => w.bus.putEvents([entry, { ...entry, detail: circularDetail }]), 'SimulatorError', 'entries[1].detail'],
  ['putEvents entry with an unknown key', (w) => w.bus.putEvents([entry, { ...entry, time: '2026-01-01T00:00:00Z' } as never]), 'SimulatorError', '"time"'],
  ['putEvents source that is not a string', (w) => w.bus.putEvents([entry, { ...entry, source: 42 as never }]), 'SimulatorError', 'entries[1].source'],
  ['putEvents detailType that is not a string', (w) => w.bus.putEvents([entry, { ...entry, detailType: {} as never }]), 'SimulatorError', 'entries[1].detailType'],
  ['putEvents resources that are not an array', (w) => w.bus.putEvents([entry, { ...entry, resources: 'arn:aws:s3:::b' as never }]), 'SimulatorError', 'entries[1].resources'],
  ['putEvents resources holding a number', (w) => w.bus.putEvents([entry, { ...entry, resources: [1 as never] }]), 'SimulatorError', 'entries[1].resources'],
]

/** Schedules. */
const schedules: Entry[] = [
  ['schedule options that are not an object', (w) => w.sim.createSchedule(null as never), 'SimulatorError', 'null'],
  ['schedule options that are an array', (w) => w.sim.createSchedule([] as never), 'SimulatorError', 'Invalid createSchedule options: expected an object, got []'],
  ['schedule options that are a function', (w) => w.sim.createSchedule((() => 1) as never), 'SimulatorError', 'Invalid createSchedule options: expected an object, got a function'],
  ['a schedule target that is an array', schedule({ target: [] }), 'SimulatorError', 'Invalid target: expected a function name, an ARN or a function handle, got []'],
  ['schedule expression that is not a string', schedule({ expression: 42 }), 'SimulatorError', '42'],
  ['schedule expression of no known form', schedule({ expression: 'every day' }), SEE, 'Invalid Schedule Expression every day.'],
  ['rate(0 minutes)', schedule({ expression: 'rate(0 minutes)' }), SEE, 'Invalid Schedule Expression rate(0 minutes).'],
  ['rate(-5 minutes)', schedule({ expression: 'rate(-5 minutes)' }), SEE, 'Invalid Schedule Expression rate(-5 minutes).'],
  ['rate(1.5 hours)', schedule({ expression: 'rate(1.5 hours)' }), SEE, 'Invalid Schedule Expression rate(1.5 hours).'],
  ['rate(1 minutes): plural unit for 1', schedule({ expression: 'rate(1 minutes)' }), SEE, 'Invalid Schedule Expression rate(1 minutes).'],
  ['rate(5 weeks): unknown unit', schedule({ expression: 'rate(5 weeks)' }), SEE, 'Invalid Schedule Expression rate(5 weeks).'],
  ['cron with five fields', schedule({ expression: 'cron(0 12 * * ?)' }), SEE, 'Invalid Schedule Expression cron(0 12 * * ?).'],
  ['cron with seven fields (seconds)', schedule({ expression: 'cron(0 0 12 * * ? *)' }), SEE, 'Invalid Schedule Expression cron(0 0 12 * * ? *).'],
  ['cron minute 60', schedule({ expression: 'cron(60 12 * * ? *)' }), SEE, 'Invalid Schedule Expression cron(60 12 * * ? *).'],
  ['cron hour 24', schedule({ expression: 'cron(0 24 * * ? *)' }), SEE, 'Invalid Schedule Expression cron(0 24 * * ? *).'],
  ['cron day-of-month 32', schedule({ expression: 'cron(0 12 32 * ? *)' }), SEE, 'Invalid Schedule Expression cron(0 12 32 * ? *).'],
  ['cron day-of-month 0W', schedule({ expression: 'cron(0 12 0W * ? *)' }), SEE, 'Invalid Schedule Expression cron(0 12 0W * ? *).'],
  ['cron month 13', schedule({ expression: 'cron(0 12 1 13 ? *)' }), SEE, 'Invalid Schedule Expression cron(0 12 1 13 ? *).'],
  ['cron month name FOO', schedule({ expression: 'cron(0 12 1 FOO ? *)' }), SEE, 'Invalid Schedule Expression cron(0 12 1 FOO ? *).'],
  ['cron day-of-week 8', schedule({ expression: 'cron(0 12 ? * 8 *)' }), SEE, 'Invalid Schedule Expression cron(0 12 ? * 8 *).'],
  ['cron year 2200', schedule({ expression: 'cron(0 12 * * ? 2200)' }), SEE, 'Invalid Schedule Expression cron(0 12 * * ? 2200).'],
  ['cron year range running backwards', schedule({ expression: 'cron(0 12 * * ? 2030-2026)' }), SEE, 'Invalid Schedule Expression cron(0 12 * * ? 2030-2026).'],
  ['cron with both day fields', schedule({ expression: 'cron(0 12 * * * *)' }), SEE, 'Invalid Schedule Expression cron(0 12 * * * *).'],
  ['cron with neither day field', schedule({ expression: 'cron(0 12 ? * ? *)' }), SEE, 'Invalid Schedule Expression cron(0 12 ? * ? *).'],
  ['cron ? in minutes', schedule({ expression: 'cron(? 12 * * ? *)' }), SEE, 'Invalid Schedule Expression cron(? 12 * * ? *).'],
  ['cron / in day-of-week', schedule({ expression: 'cron(0 12 ? * 1/2 *)' }), SEE, 'Invalid Schedule Expression cron(0 12 ? * 1/2 *).'],
  ['cron 3#6', schedule({ expression: 'cron(0 12 ? * 3#6 *)' }), SEE, 'Invalid Schedule Expression cron(0 12 ? * 3#6 *).'],
  ['cron # element in a list', schedule({ expression: 'cron(0 12 ? * 3#2,4 *)' }), SEE, 'Invalid Schedule Expression cron(0 12 ? * 3#2,4 *).'],
  ['cron increment 0', schedule({ expression: 'cron(*/0 12 * * ? *)' }), SEE, 'Invalid Schedule Expression cron(*/0 12 * * ? *).'],
  ['cron empty list element', schedule({ expression: 'cron(1,,2 12 * * ? *)' }), SEE, 'Invalid Schedule Expression cron(1,,2 12 * * ? *).'],
  ['at() on 30 February', schedule({ expression: 'at(2026-02-30T00:00:00)' }), SEE, 'Invalid Schedule Expression at(2026-02-30T00:00:00).'],
  ['at() at hour 24', schedule({ expression: 'at(2026-01-02T24:00:00)' }), SEE, 'Invalid Schedule Expression at(2026-01-02T24:00:00).'],
  ['at() with a space for T', schedule({ expression: 'at(2026-01-02 10:00:00)' }), SEE, 'Invalid Schedule Expression at(2026-01-02 10:00:00).'],
  ['schedule name with a space', schedule({ name: 'has space' }), 'ValidationException', "1 validation error detected: Value 'has space' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+"],
  ['schedule name of 65 characters', schedule({ name: 's'.repeat(65) }), 'ValidationException', `1 validation error detected: Value '${'s'.repeat(65)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 64`],
  ['empty schedule name', schedule({ name: '' }), 'ValidationException', "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_.]+"],
  ['schedule name that is not a string', schedule({ name: 7 }), 'SimulatorError', 'Invalid schedule name 7'],
  ['schedule name that exists', schedule({ name: 'nightly' }), 'ConflictException', 'Schedule nightly already exists.'],
  ['unknown time zone', schedule({ expression: 'cron(0 12 * * ? *)', timezone: 'Mars/Base' }), SEE, '"Mars/Base"'],
  ['empty time zone', schedule({ timezone: '' }), SEE, 'Invalid time zone ""'],
  ['time zone that is not a string', schedule({ timezone: 5 }), 'SimulatorError', 'timezone'],
  ['endDate before startDate', schedule({ startDate: T0 + 3_600_000, endDate: T0 + 60_000 }), 'SimulatorError', 'endDate 2026-01-01T00:01:00.000Z must be after startDate'],
  ['endDate equal to startDate', schedule({ startDate: T0 + 3_600_000, endDate: T0 + 3_600_000 }), 'SimulatorError', 'must be after startDate'],
  ['startDate 6 minutes ago', schedule({ startDate: T0 + 60_000 - 6 * 60_000 }), 'ValidationException', 'The StartDate you specify cannot be earlier than 5 minutes ago.'],
  ['startDate that is not a date', schedule({ startDate: 'soon' }), 'SimulatorError', 'startDate'],
  ['endDate that is NaN', schedule({ endDate: Number.NaN }), 'SimulatorError', 'endDate'],
  ['startDate after the last instant a Date can hold', schedule({ startDate: 1e16, endDate: 9e15 }), 'SimulatorError', 'Invalid startDate 10000000000000000'],
  ['endDate after the last instant a Date can hold', schedule({ endDate: 8.64e15 + 1 }), 'SimulatorError', 'Invalid endDate 8640000000000001'],
  ['schedule target that is missing', schedule({ target: 'missing' }), 'ResourceNotFoundException', 'missing'],
  ['schedule target that is not a function reference', schedule({ target: 42 }), 'SimulatorError', 'target'],
  ['schedule input that is a function', schedule({ input: () => 1 }), 'SimulatorError', 'input'],
  ['schedule input holding a BigInt', schedule({ input: { n: 1n } }), 'SimulatorError', 'input'],
  ['schedule input that contains itself', schedule({ input: circularDetail }), 'SimulatorError', 'input'],
  ['unknown schedule option', schedule({ retryPolicy: { maximumRetryAttempts: 0 } }), 'SimulatorError', 'retryPolicy'],
  ['enable() on a deleted schedule', (w) => w.deleted.enable(), 'ResourceNotFoundException', 'Schedule once does not exist.'],
  ['disable() on a deleted schedule', (w) => w.deleted.disable(), 'ResourceNotFoundException', 'Schedule once does not exist.'],
  ['delete() of a deleted schedule', (w) => w.deleted.delete(), 'ResourceNotFoundException', 'Schedule once does not exist.'],
]

/** Buckets, objects and notifications. */
const buckets: Entry[] = [
  ['bucket name with uppercase letters', (w) => w.sim.createBucket('Uploads'), 'InvalidBucketName', 'The specified bucket is not valid.'],
  ['bucket name of 2 characters', (w) => w.sim.createBucket('ab'), 'InvalidBucketName', 'The specified bucket is not valid.'],
  ['bucket name formatted as an IP address', (w) => w.sim.createBucket('192.168.1.1'), 'InvalidBucketName', 'The specified bucket is not valid.'],
  ['bucket name with the xn-- prefix', (w) => w.sim.createBucket('xn--bucket'), 'InvalidBucketName', 'The specified bucket is not valid.'],
  ['bucket name with two adjacent periods', (w) => w.sim.createBucket('a..b'), 'InvalidBucketName', 'The specified bucket is not valid.'],
  ['bucket name that is not a string', (w) => w.sim.createBucket(42 as never), 'SimulatorError', '42'],
  ['object key of 1,025 bytes', (w) => w.bucket.putObject('k'.repeat(1025), 'x'), 'KeyTooLongError', 'Your key is too long'],
  ['object key of 513 é (1,026 bytes)', (w) => w.bucket.putObject('é'.repeat(513), 'x'), 'KeyTooLongError', 'Your key is too long'],
  ['empty object key', (w) => w.bucket.putObject('', 'x'), 'SimulatorError', 'Invalid object key ""'],
  ['object key that is not a string', (w) => w.bucket.putObject(42 as never, 'x'), 'SimulatorError', '42'],
  ['object key with a lone surrogate (not UTF-8)', (w) => w.bucket.putObject('images/a\uD800.jpg', 'x'), 'SimulatorError', 'lone surrogate'],
  ['deleteObject key with a lone surrogate', (w) => w.bucket.deleteObject('logs/\uDC00.log'), 'SimulatorError', 'lone surrogate'],
  ['object body that is a number', (w) => w.bucket.putObject('images/b.jpg', 42 as never), 'SimulatorError', 'Invalid object body for key "images/b.jpg": expected a string or a Uint8Array, got 42'],
  ['object body that is a Uint16Array (its bytes depend on the byte order; stored before)', (w) => w.bucket.putObject('images/b.jpg', new Uint16Array([1]) as never), 'SimulatorError', 'Invalid object body for key "images/b.jpg": expected a string or a Uint8Array, got a Uint16Array of 2 bytes'],
  ['object body missing', (w) => w.bucket.putObject('images/b.jpg', undefined as never), 'SimulatorError', 'body'],
  ['deleteObject key of 1,025 bytes', (w) => w.bucket.deleteObject('k'.repeat(1025)), 'KeyTooLongError', 'Your key is too long'],
  ['deleteObject key that is not a string', (w) => w.bucket.deleteObject(undefined as never), 'SimulatorError', 'undefined'],
  ['notification for an unknown event type', notify({ events: ['s3:ObjectCreated:Get'] }), 'InvalidArgument', 's3:ObjectCreated:Get'],
  ['notification with no events', notify({ events: [] }), 'SimulatorError', 'events'],
  ['notification overlapping an existing prefix for the same event type', notify({ filter: { prefix: 'images/thumbs/' } }), 'InvalidArgument', 'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type. (ArgumentName: FilterRule, ArgumentValue: images / (configuration 3, no id))'],
  ['notification overlapping through a wildcard event type', notify({ events: ['s3:ObjectCreated:Put'], filter: { prefix: 'images/' } }), 'InvalidArgument', 'overlapping'],
  ['notification overlapping suffixes without prefixes', notify({ events: ['s3:ObjectRemoved:*'], filter: { suffix: 'app.log' } }), 'InvalidArgument', 'ambiguously'],
  ['configuration with overlapping prefixes (no ids)', configure([{ lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'] }, { lambdaFunctionArn: gArn, events: ['s3:ObjectCreated:Put'], filter: { key: { filterRules: [{ name: 'prefix', value: 'a/' }] } } }]), 'InvalidArgument', 'ArgumentValue: (configuration 1, no id) / (configuration 2, no id)'],
  ['notification events that are not an array', notify({ events: 's3:ObjectCreated:*' }), 'SimulatorError', 'events'],
  ['notification with an id in use', notify({ id: 'images' }), 'InvalidArgument', 'Same ID used for multiple configurations'],
  ['notification to a missing function', notify({ function: 'missing' }), 'InvalidArgument', 'Not authorized to invoke function [arn:aws:lambda:us-east-1:123456789012:function:missing]'],
  ['notification to a function in another region', notify({ function: 'arn:aws:lambda:eu-west-1:123456789012:function:g' }), 'InvalidArgument', 'eu-west-1'],
  ['notification to an ARN that does not parse', notify({ function: 'arn:aws:lambda' }), 'InvalidArgument', 'The ARN could not be parsed'],
  ['notification function that is a number', notify({ function: 42 }), 'SimulatorError', '42'],
  ['notification filter with an empty prefix', notify({ filter: { prefix: '' } }), 'InvalidArgument', 'filter value cannot be empty'],
  ['notification filter prefix that is a number', notify({ filter: { prefix: 5 } }), 'SimulatorError', 'prefix'],
  ['notification filter with an unknown key', notify({ filter: { contains: 'x' } }), 'SimulatorError', 'contains'],
  ['notification with an unknown option', notify({ queue: 'q' }), 'SimulatorError', 'queue'],
  ['notification with an empty id', notify({ id: '' }), 'SimulatorError', 'id'],
  ['configuration with two prefix rules', configure([{ lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'], filter: { key: { filterRules: [{ name: 'prefix', value: 'a/' }, { name: 'Prefix', value: 'b/' }] } } }]), 'InvalidArgument', 'Cannot specify more than one prefix rule in a filter.'],
  ['configuration filter rule named contains', configure([{ lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'], filter: { key: { filterRules: [{ name: 'contains', value: 'a' }] } } }]), 'InvalidArgument', 'contains'],
  ['configuration with a bare function name', configure([{ lambdaFunctionArn: 'f', events: ['s3:ObjectCreated:*'] }]), 'InvalidArgument', 'The ARN could not be parsed'],
  ['configuration without lambdaFunctionArn', configure([{ events: ['s3:ObjectCreated:*'] }]), 'SimulatorError', 'LambdaFunctionArn'],
  ['configuration whose second function is missing', configure([{ id: 'ok', lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'] }, { id: 'bad', lambdaFunctionArn: `${fArn}x`, events: ['s3:ObjectRemoved:*'] }]), 'InvalidArgument', `${fArn}x`],
  ['configuration for queues (unknown key)', (w) => w.bucket.putBucketNotificationConfiguration({ queueConfigurations: [] } as never), 'SimulatorError', 'queueConfigurations'],
  ['configuration list that is not an array', configure({ id: 'x' }), 'SimulatorError', 'lambdaFunctionConfigurations'],
  ['configuration entry that is null', configure([null]), 'SimulatorError', 'lambdaFunctionConfigurations[0]'],
  ['configuration entry with an unknown key', configure([{ lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'], filters: { key: { filterRules: [{ name: 'prefix', value: 'a/' }] } } }]), 'SimulatorError', 'filters'],
  ['configuration filterRules that are not an array', configure([{ lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'], filter: { key: { filterRules: { name: 'prefix', value: 'a/' } } } }]), 'SimulatorError', 'filterRules'],
  ['configuration filter rule that is null', configure([{ lambdaFunctionArn: fArn, events: ['s3:ObjectCreated:*'], filter: { key: { filterRules: [null] } } }]), 'SimulatorError', 'filterRules[0]'],
  // an array where an object is expected: refused, never read as an empty object
  ['notification input that is an array', (w) => w.bucket.addNotification([] as never), 'SimulatorError', 'Invalid bucket notification: expected an object, got []'],
  ['notification filter that is an array (no filter before: every key matched)', notify({ filter: [] }), 'SimulatorError', 'Invalid bucket notification filter: expected { prefix?, suffix? }, got []'],
  ['notification function that is an array', notify({ function: [] }), 'SimulatorError', 'Invalid LambdaFunctionArn: expected a function name, an ARN or a function handle, got []'],
  ['notification function that is an array carrying a name (notified that function before)', notify({ function: Object.assign([], { name: 'f' }) }), 'SimulatorError', 'Invalid LambdaFunctionArn: expected a function name, an ARN or a function handle, got []'],
  ['configuration that is an array (removed every notification before)', (w) => w.bucket.putBucketNotificationConfiguration([] as never), 'SimulatorError', 'Invalid notification configuration: expected an object, got []'],
  ['configuration entry that is an array', configure([[]]), 'SimulatorError', 'Invalid lambdaFunctionConfigurations[0]: expected an object, got []'],
]

const catalogue: Entry[] = [...buses, ...putEvents, ...schedules, ...buckets]

describe('bad input for buses, schedules and buckets: a named error, and nothing changed', () => {
  it('the catalogue has at least 60 distinct refused calls', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(60)
    expect(new Set(catalogue.map(([label]) => label)).size).toBe(catalogue.length)
  })

  it.each(catalogue)('%s', async (_label, call, name, text) => {
    const w = await setup()
    const before = snapshot(w)
    const error = await thrownBy(() => call(w))
    expect(error, 'the call must be refused').toBeInstanceOf(Error)
    expect((error as Error).name).toBe(name)
    expect((error as Error).message).toContain(text)
    expect(snapshot(w)).toBe(before)
    // Nothing drawn from the seeded generator, no counter moved: the same calls give the same ids.
    expect(await probe(w)).toBe(await probe(await setup()))
  })
})

/** PutEvents entries AWS fails one by one: the call answers, the failed entry is not put, nothing else changes. */
const failedEntries: [label: string, entry: Record<string, unknown>, errorCode: string, errorMessage: string][] = [
  ['an entry without source', { detailType: 'x', detail: {} }, 'InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
  ['an entry with an empty source', { source: '', detailType: 'x', detail: {} }, 'InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
  ['an entry without detailType', { source: 'shop', detail: {} }, 'InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
  ['an entry without detail', { source: 'shop', detailType: 'x' }, 'InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
  ['an entry whose detail is a string', { source: 'shop', detailType: 'x', detail: 'NotJSON' }, 'MalformedDetail', 'Detail is malformed.'],
  ['an entry whose detail is an array', { source: 'shop', detailType: 'x', detail: [] }, 'MalformedDetail', 'Detail is malformed.'],
  ['an entry whose detail is null', { source: 'shop', detailType: 'x', detail: null }, 'MalformedDetail', 'Detail is malformed.'],
  ['an entry whose detail is a Date (its JSON is a string)', { source: 'shop', detailType: 'x', detail: new Date(T0) }, 'MalformedDetail', 'Detail is malformed.'],
  ['an entry whose detail has a toJSON giving an array', { source: 'shop', detailType: 'x', detail: { toJSON: () => [1] } }, 'MalformedDetail', 'Detail is malformed.'],
  ['an entry whose source is in the reserved aws. namespace', { source: 'aws.s3', detailType: 'Object Created', detail: {} }, 'NotAuthorizedForSourceException', 'Not authorized for the source.'],
]

describe('the limits themselves are accepted', () => {
  it('a rule whose pattern is exactly 4,096 characters of JSON is accepted (as a string or as an object)', async () => {
    const w = await setup()
    const text = patternOfLength(4096)
    expect(text).toHaveLength(4096)
    expect(w.bus.putRule({ name: 'max', eventPattern: text, targets: [] }).eventPattern).toEqual(JSON.parse(text))
    expect(w.bus.putRule({ name: 'max-object', eventPattern: JSON.parse(text) as EventPattern, targets: [] }).name).toBe('max-object')
  })
})

describe('PutEvents per-entry failures: the call answers, and a failed entry changes nothing', () => {
  it.each(failedEntries)('%s fails alone with its error code', async (_label, bad, errorCode, errorMessage) => {
    const w = await setup()
    const before = snapshot(w)
    const result = w.bus.putEvents([bad as never])
    expect(result).toEqual({ failedEntryCount: 1, entries: [{ errorCode, errorMessage }], eventIds: [] })
    expect(snapshot(w)).toBe(before)
    expect(await probe(w)).toBe(await probe(await setup()))
  })
})

describe('property: a random valid setup followed by a random refused call leaves the snapshot unchanged', () => {
  /** Valid steps a setup may take, each deterministic. */
  const steps: ((w: World, i: number) => unknown)[] = [
    (w, i) => w.bus.putRule({ name: `p${i}`, eventPattern: { source: ['shop'], 'detail-type': [`t${i}`] }, targets: ['g'], state: i % 2 === 0 ? 'ENABLED' : 'DISABLED' }),
    (w, i) => w.bus.putEvents([{ source: 'shop', detailType: `t${i}`, detail: { i } }]),
    (w, i) => w.bus.putRule({ name: `q${i}`, eventPattern: { 'detail-type': [`t${i + 1}`] }, targets: [{ queue: w.queues[1] as Queue, messageGroupId: `g${i}` }, 'f'] }),
    (w, i) => w.bucket.putObject(`docs/${i}.txt`, `body ${i}`),
    (w, i) => w.bucket.deleteObject(`docs/${i - 1}.txt`),
    (w, i) => w.bucket.addNotification({ events: ['s3:ObjectCreated:Post'], filter: { prefix: `p${i}/` }, function: 'f' }),
    (w, i) => w.sim.createSchedule({ expression: `rate(${i + 2} minutes)`, target: 'g' }),
    (w) => w.schedule.disable(),
    (w) => w.schedule.enable(),
    (w) => w.sim.advanceBy(90_000),
  ]

  it('holds for 100 runs (snapshot and next ids)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(steps.length - 1), { maxLength: 6 }), fc.nat(catalogue.length - 1), async (picks, refused) => {
        const build = async () => {
          const w = await setup()
          for (const [i, p] of picks.entries()) await (steps[p] as (w: World, i: number) => unknown)(w, i)
          return w
        }
        const w = await build()
        const before = snapshot(w)
        const [, call, name] = catalogue[refused] as Entry
        const error = await thrownBy(() => call(w))
        expect((error as Error | undefined)?.name).toBe(name)
        expect(snapshot(w)).toBe(before)
        expect(await probe(w)).toBe(await probe(await build()))
      }),
      { numRuns: 100 },
    )
  })
})
