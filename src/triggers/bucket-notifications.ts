import { LambdaError, SimulatorError } from '../errors.js'
import { isPlainObject } from '../internal/plain-object.js'
import { describe, rejectUnknownKeys } from '../validation.js'
import { triggerInvoke, type TriggerHost } from './trigger-host.js'

/**
 * S3 event notifications to Lambda functions: configuration (event types, prefix/suffix filters),
 * matching, and the event record shape.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html
 */

/**
 * Every event type S3 accepts in a notification configuration (the S3 API's `Event` enum). lambda-sim's
 * bucket produces only `ObjectCreated:Put` and `ObjectRemoved:Delete`; configurations for the others
 * are accepted and never fire.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
export const S3_NOTIFICATION_EVENTS = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
] as const

/** An S3 event type such as `s3:ObjectCreated:Put` or `s3:ObjectRemoved:*`. */
export type S3NotificationEvent = (typeof S3_NOTIFICATION_EVENTS)[number]

/** `addNotification`'s input: which events, which keys, which function. */
export interface BucketNotificationInput {
  /** Event types, e.g. `['s3:ObjectCreated:*']`. At least one. */
  events: S3NotificationEvent[]
  /** The function invoked (`Event` type) with the S3 event: a handle, a name or an ARN. */
  function: string | { readonly name: string }
  /**
   * Key filters, compared with the URL-encoded key as S3 does (a space in a filter is written `+`).
   * @default no filter: every key
   */
  filter?: { prefix?: string; suffix?: string }
  /** `configurationId` in the records. @default generated */
  id?: string
}

/** PutBucketNotificationConfiguration's Lambda part, in the SDK's shape. */
export interface BucketNotificationConfiguration {
  lambdaFunctionConfigurations?: {
    id?: string
    lambdaFunctionArn: string
    events: S3NotificationEvent[]
    filter?: { key?: { filterRules?: { name: 'prefix' | 'suffix' | 'Prefix' | 'Suffix'; value: string }[] } }
  }[]
}

/** A validated notification configuration. */
export interface NotificationRule {
  id: string
  functionArn: string
  events: S3NotificationEvent[]
  prefix: string
  suffix: string
}

/** S3's `InvalidArgument` (400). */
function invalidArgument(message: string, name: string, value: string): LambdaError {
  return new LambdaError('InvalidArgument', 400, `${message} (ArgumentName: ${name}, ArgumentValue: ${value})`)
}

/** Check one configuration's form. Its function is looked up, and an absent `id` generated, by {@link resolveNotificationRules}. */
export function notificationRule(input: BucketNotificationInput): PendingNotificationRule {
  if (!isPlainObject(input)) throw new SimulatorError('InvalidOption', `Invalid bucket notification: expected an object, got ${describe(input)}`)
  rejectUnknownKeys('addNotification', input, ['events', 'function', 'filter', 'id'])
  if (!Array.isArray(input.events) || input.events.length === 0) {
    throw new SimulatorError('InvalidOption', `Invalid bucket notification events: expected a non-empty array such as ['s3:ObjectCreated:*'], got ${describe(input.events)}`)
  }
  for (const e of input.events) {
    if (!(S3_NOTIFICATION_EVENTS as readonly string[]).includes(e)) throw invalidArgument('The event is not supported for notifications', 'Event', String(e))
  }
  const filter = input.filter ?? {}
  if (!isPlainObject(filter)) throw new SimulatorError('InvalidOption', `Invalid bucket notification filter: expected { prefix?, suffix? }, got ${describe(filter)}`)
  rejectUnknownKeys('addNotification filter', filter, ['prefix', 'suffix'])
  for (const k of ['prefix', 'suffix'] as const) {
    const v = filter[k]
    if (v === undefined) continue
    if (typeof v !== 'string') throw new SimulatorError('InvalidOption', `Invalid bucket notification filter ${k}: expected a string, got ${describe(v)}`)
    if (v === '') throw invalidArgument('filter value cannot be empty', k === 'prefix' ? 'Prefix' : 'Suffix', v)
  }
  if (input.id !== undefined && (typeof input.id !== 'string' || input.id.length === 0 || input.id.length > 1024)) {
    throw new SimulatorError('InvalidOption', `Invalid bucket notification id: expected 1–1024 characters, got ${describe(input.id)}`)
  }
  const ref = input.function
  if (typeof ref !== 'string' && (!isPlainObject(ref) || typeof ref.name !== 'string')) {
    throw new SimulatorError('InvalidOption', `Invalid LambdaFunctionArn: expected a function name, an ARN or a function handle, got ${describe(ref)}`)
  }
  if (typeof ref === 'string' && ref.startsWith('arn:')) checkArnShape(ref)
  return {
    id: input.id,
    ref,
    events: [...input.events],
    prefix: filter.prefix ?? '',
    suffix: filter.suffix ?? '',
  }
}

/** A configuration checked for form; its function is looked up by {@link resolveNotificationRules}. */
export type PendingNotificationRule = Omit<NotificationRule, 'functionArn' | 'id'> & { id: string | undefined; ref: string | { readonly name: string } }

/** S3 answers a destination that is not an ARN with `InvalidArgument` "The ARN could not be parsed". */
function checkArnShape(arn: string): void {
  if (!/^arn:[^:]*:[^:]*:[^:]*:[^:]*:[^:]/.test(arn)) throw invalidArgument('The ARN could not be parsed', 'CloudFunction', arn)
}

/**
 * Look up every configuration's function. S3 checks that it may invoke each destination when the
 * configuration is written and lists every one it cannot in one `InvalidArgument` "Unable to validate
 * the following destination configurations" (`ArgumentName1: <arn>, null`, `ArgumentValue1: Not
 * authorized to invoke function [<arn>]`, …). lambda-sim can invoke any function of the simulator, so
 * only a missing function, version or alias, or one in another region or account, fails.
 */
export function resolveNotificationRules(host: TriggerHost, pending: readonly PendingNotificationRule[], existing: readonly NotificationRule[] = []): NotificationRule[] {
  const failed: string[] = []
  const arns = pending.map(({ ref }) => {
    try {
      return host.resolveFunctionArn(ref, 'LambdaFunctionArn')
    } catch (error) {
      if (!(error instanceof LambdaError)) throw error
      failed.push(typeof ref === 'string' && ref.startsWith('arn:') ? ref : `arn:aws:lambda:${host.region}:${host.accountId}:function:${typeof ref === 'string' ? ref : ref.name}`)
      return ''
    }
  })
  if (failed.length > 0) {
    const args = failed.map((arn, i) => `ArgumentName${i + 1}: ${arn}, null, ArgumentValue${i + 1}: Not authorized to invoke function [${arn}]`)
    throw new LambdaError('InvalidArgument', 400, `Unable to validate the following destination configurations (${args.join(', ')})`)
  }
  const resolved = pending.map(({ ref: _ref, ...rest }, i) => ({ ...rest, functionArn: arns[i] as string }))
  // Checked before any id is generated: a refused configuration draws nothing from the seeded
  // generator (a draw would shift every later id of the simulator).
  checkAmbiguity([...existing, ...resolved])
  return resolved.map(({ id, functionArn, ...rest }) => ({
    ...rest,
    id: id ?? Buffer.from(host.uuid()).toString('base64').replace(/=+$/, ''),
    functionArn,
  }))
}

/** A member of PutBucketNotificationConfiguration's input: an object with only the SDK's keys, or a SimulatorError naming its path. */
function sdkShape(path: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw new SimulatorError('InvalidOption', `Invalid ${path}: expected an object, got ${describe(value)}`)
  rejectUnknownKeys(path, value, keys)
  return value as Record<string, unknown>
}

/** Convert PutBucketNotificationConfiguration input to notification inputs. */
export function fromConfiguration(config: BucketNotificationConfiguration): BucketNotificationInput[] {
  if (!isPlainObject(config)) throw new SimulatorError('InvalidOption', `Invalid notification configuration: expected an object, got ${describe(config)}`)
  rejectUnknownKeys('putBucketNotificationConfiguration', config, ['lambdaFunctionConfigurations'])
  const list: unknown = config.lambdaFunctionConfigurations ?? []
  if (!Array.isArray(list)) throw new SimulatorError('InvalidOption', `Invalid lambdaFunctionConfigurations: expected an array, got ${describe(list)}`)
  return (list as unknown[]).map((item, i) => {
    const c = sdkShape(`lambdaFunctionConfigurations[${i}]`, item, ['id', 'lambdaFunctionArn', 'events', 'filter']) as NonNullable<BucketNotificationConfiguration['lambdaFunctionConfigurations']>[number]
    const filter: { prefix?: string; suffix?: string } = {}
    const key = c.filter === undefined ? undefined : sdkShape(`lambdaFunctionConfigurations[${i}].filter`, c.filter, ['key']).key
    const rules: unknown = key === undefined ? [] : (sdkShape(`lambdaFunctionConfigurations[${i}].filter.key`, key, ['filterRules']).filterRules ?? [])
    if (!Array.isArray(rules)) throw new SimulatorError('InvalidOption', `Invalid lambdaFunctionConfigurations[${i}].filter.key.filterRules: expected an array of { name, value }, got ${describe(rules)}`)
    for (const [j, rule] of (rules as unknown[]).entries()) {
      const r = sdkShape(`lambdaFunctionConfigurations[${i}].filter.key.filterRules[${j}]`, rule, ['name', 'value']) as { name: unknown; value: string }
      const name = String(r.name).toLowerCase()
      if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', String(r.name))
      if (filter[name] !== undefined) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', String(r.name))
      filter[name] = r.value
    }
    if (typeof c.lambdaFunctionArn !== 'string') throw new SimulatorError('InvalidOption', `Invalid LambdaFunctionArn: expected a function ARN, got ${describe(c.lambdaFunctionArn)}`)
    checkArnShape(c.lambdaFunctionArn)
    const input: BucketNotificationInput = { events: c.events, function: c.lambdaFunctionArn, filter }
    if (c.id !== undefined) input.id = c.id
    return input
  })
}

function overlaps(a: string, b: string, kind: 'prefix' | 'suffix'): boolean {
  return kind === 'prefix' ? a.startsWith(b) || b.startsWith(a) : a.endsWith(b) || b.endsWith(a)
}

function sharesEventType(a: readonly string[], b: readonly string[]): boolean {
  const family = (e: string): string => e.slice(0, e.lastIndexOf(':'))
  return a.some((x) => b.some((y) => x === y || (family(x) === family(y) && (x.endsWith(':*') || y.endsWith(':*')))))
}

/** A configuration as {@link checkAmbiguity} sees it: its id may not be generated yet. */
type AmbiguityCandidate = Pick<NotificationRule, 'events' | 'prefix' | 'suffix'> & { id: string | undefined }

/**
 * S3 rejects two configurations for the same event type whose prefixes overlap and whose suffixes
 * overlap ("Configuration is ambiguously defined..."), and two with the same id. The message names
 * the two configurations by id, one without an id by its position (a lambda-sim choice).
 */
function checkAmbiguity(rules: readonly AmbiguityCandidate[]): void {
  const label = (r: AmbiguityCandidate, i: number): string => r.id ?? `(configuration ${i + 1}, no id)`
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i] as AmbiguityCandidate
      const b = rules[j] as AmbiguityCandidate
      if (a.id !== undefined && a.id === b.id) throw invalidArgument('Same ID used for multiple configurations', 'id', a.id)
      if (sharesEventType(a.events, b.events) && overlaps(a.prefix, b.prefix, 'prefix') && overlaps(a.suffix, b.suffix, 'suffix')) {
        throw invalidArgument(
          'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.',
          'FilterRule',
          `${label(a, i)} / ${label(b, j)}`,
        )
      }
    }
  }
}

/**
 * The object key as S3 writes it in event notifications: URL-encoded form style, a space as `+`,
 * `/` kept, and letters, digits and `- _ . ~ *` kept.
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()]/g, (c) => `%${(c.charCodeAt(0) as number).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
}

/** Whether `rule` wants event `eventName` (`ObjectCreated:Put`) for the encoded key. */
export function ruleMatches(rule: NotificationRule, eventName: string, encodedKey: string): boolean {
  const full = `s3:${eventName}`
  const family = full.slice(0, full.lastIndexOf(':'))
  const wanted = rule.events.some((e) => e === full || e === `${family}:*`)
  return wanted && encodedKey.startsWith(rule.prefix) && encodedKey.endsWith(rule.suffix)
}

/** What happened to an object. */
export interface ObjectEvent {
  eventName: 'ObjectCreated:Put' | 'ObjectRemoved:Delete'
  key: string
  size?: number
  eTag?: string
  sequencer: string
  time: number
}

/**
 * One S3 event record (eventVersion 2.1) as the notification carries it. Delete records have no
 * `size` or `eTag`. https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function s3EventJson(host: TriggerHost, bucket: { name: string; arn: string }, configurationId: string, e: ObjectEvent): string {
  const requestId = host.uuid().replace(/-/g, '').slice(0, 16).toUpperCase()
  const hostId = Buffer.from(host.uuid().replace(/-/g, ''), 'hex').toString('base64')
  const object: Record<string, unknown> = { key: encodeS3Key(e.key) }
  if (e.size !== undefined) object['size'] = e.size
  if (e.eTag !== undefined) object['eTag'] = e.eTag
  object['sequencer'] = e.sequencer
  const record = {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: host.region,
    eventTime: host.iso(e.time),
    eventName: e.eventName,
    userIdentity: { principalId: `AWS:${host.accountId}` },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: bucket.name, ownerIdentity: { principalId: host.accountId }, arn: bucket.arn },
      object,
    },
  }
  return JSON.stringify({ Records: [record] })
}

/** Invoke every function whose configuration matches the object event, once per configuration. */
export function notify(host: TriggerHost, bucket: { name: string; arn: string }, rules: readonly NotificationRule[], e: ObjectEvent): void {
  if (rules.length === 0) return
  const encoded = encodeS3Key(e.key)
  for (const rule of rules) {
    if (!ruleMatches(rule, e.eventName, encoded)) continue
    triggerInvoke(host, rule.functionArn, s3EventJson(host, bucket, rule.id, e), { kind: 's3', arn: bucket.arn })
  }
}
