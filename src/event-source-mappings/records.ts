import type { DynamoDBStreamEvent, KinesisStreamEvent } from 'aws-lambda'
import type { MessageAttribute } from '../destinations/destination.js'
import type { QueueMessage } from '../destinations/queue.js'
import { parseMaybeJson } from '../patterns/event-pattern.js'

/** The SQS record of spec §11.6, as Lambda puts it in `{"Records":[…]}` (AWS's key order); `as`: the receive's fields when the message is not received yet. */
export function sqsRecord(m: QueueMessage, queueArn: string, region: string, senderId: string, as: { receiveCount: number; receiptHandle: string | undefined; firstReceiveTimestamp: number | undefined } = m): Record<string, unknown> {
  const attributes: Record<string, string> = {}
  // First, as in the events AWS delivers from a dead-letter queue.
  if (m.deadLetterQueueSourceArn !== undefined) attributes['DeadLetterQueueSourceArn'] = m.deadLetterQueueSourceArn
  attributes['ApproximateReceiveCount'] = String(as.receiveCount)
  attributes['SentTimestamp'] = String(m.sentTimestamp)
  if (m.sequenceNumber !== undefined) {
    attributes['SequenceNumber'] = m.sequenceNumber
    attributes['MessageGroupId'] = m.messageGroupId as string
    attributes['SenderId'] = senderId
    attributes['MessageDeduplicationId'] = m.messageDeduplicationId as string
  } else {
    attributes['SenderId'] = senderId
  }
  attributes['ApproximateFirstReceiveTimestamp'] = String(as.firstReceiveTimestamp ?? m.sentTimestamp)
  return {
    messageId: m.messageId,
    receiptHandle: as.receiptHandle,
    body: m.body,
    attributes,
    messageAttributes: lambdaMessageAttributes(m.messageAttributes),
    md5OfMessageAttributes: m.md5OfMessageAttributes ?? null,
    md5OfBody: m.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  }
}

function lambdaMessageAttributes(attrs: Record<string, MessageAttribute>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, a] of Object.entries(attrs)) {
    const v: Record<string, unknown> = {}
    if (a.binaryValue !== undefined) v['binaryValue'] = Buffer.from(a.binaryValue).toString('base64')
    else v['stringValue'] = a.stringValue ?? ''
    v['stringListValues'] = []
    v['binaryListValues'] = []
    v['dataType'] = a.dataType
    out[name] = v
  }
  return out
}

/** What SQS event filtering matches against: the record with `body` parsed when it is JSON. */
export function sqsFilterView(record: Record<string, unknown>): Record<string, unknown> {
  return { ...record, body: parseMaybeJson(record['body'] as string) }
}

/** The batch a stream on-failure record describes (`KinesisBatchInfo` / `DDBStreamBatchInfo`): its range, without the records. */
export interface StreamBatchInfo {
  shardId: string
  startSequenceNumber: string
  endSequenceNumber: string
  /** ISO 8601: Kinesis with milliseconds (`2026-01-01T00:00:01.234Z`), DynamoDB in whole seconds (`2026-01-01T00:00:01Z`). */
  approximateArrivalOfFirstRecord: string
  approximateArrivalOfLastRecord: string
  batchSize: number
  streamArn: string
}

/** What every stream on-failure record has, in AWS's key order (the batch info follows `timestamp`). */
interface StreamFailureRecordBase {
  requestContext: {
    requestId: string
    /** Unqualified. */
    functionArn: string
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'
    approximateInvokeCount: number
  }
  /** Absent for records discarded for their age (`RecordAgeExceeded` without a last attempt). */
  responseContext?: {
    statusCode: 200
    executedVersion: string
    /** `'Unhandled'` for a function error; `null` for a bad partial-batch or tumbling-window response. */
    functionError: 'Unhandled' | null
  }
  version: '1.0'
  /** ISO 8601, when the record was sent. */
  timestamp: string
}

/** The on-failure record of a Kinesis stream mapping. */
export interface KinesisFailureRecord extends StreamFailureRecordBase {
  KinesisBatchInfo: StreamBatchInfo
  /** S3 bucket destinations only: the complete invocation event (`{"Records":[…]}`, with a tumbling window's fields). */
  payload?: KinesisStreamEvent
}

/** The on-failure record of a DynamoDB stream mapping. */
export interface DynamoDBStreamFailureRecord extends StreamFailureRecordBase {
  DDBStreamBatchInfo: StreamBatchInfo
  /** S3 bucket destinations only: the complete invocation event (`{"Records":[…]}`, with a tumbling window's fields). */
  payload?: DynamoDBStreamEvent
}

/**
 * The on-failure record a Kinesis or DynamoDB event source mapping sends to its destination when
 * retries or the record age run out (docs/semantics.md, spec §11.4): the JSON of a queue message's
 * body, a topic message, an event bus entry's `detail` or a bucket object. Narrow with
 * `'KinesisBatchInfo' in record`. (An asynchronous invocation's record is an `InvocationRecord`.)
 */
export type StreamFailureRecord = KinesisFailureRecord | DynamoDBStreamFailureRecord

/** Input of a stream on-failure record (spec §11.4). */
export interface StreamFailureInput {
  kind: 'kinesis' | 'dynamodb'
  requestId: string
  functionArn: string
  condition: StreamFailureRecord['requestContext']['condition']
  approximateInvokeCount: number
  /** Left out for RecordAgeExceeded (observed on AWS). */
  response: { executedVersion: string; functionError: 'Unhandled' | null } | undefined
  timestampIso: string
  shardId: string
  startSequenceNumber: string
  endSequenceNumber: string
  firstArrivalIso: string
  lastArrivalIso: string
  batchSize: number
  streamArn: string
  /** S3 destinations: the complete invocation event, as JSON text (appended as `payload`, not parsed). */
  payloadJson?: string
}

/** The on-failure record of a Kinesis or DynamoDB stream mapping, as the JSON string AWS sends: a {@link StreamFailureRecord}. */
export function streamFailureRecordJson(r: StreamFailureInput): string {
  const head: StreamFailureRecordBase = {
    requestContext: { requestId: r.requestId, functionArn: r.functionArn, condition: r.condition, approximateInvokeCount: r.approximateInvokeCount },
    ...(r.response === undefined ? {} : { responseContext: { statusCode: 200, executedVersion: r.response.executedVersion, functionError: r.response.functionError } }),
    version: '1.0',
    timestamp: r.timestampIso,
  }
  const info: StreamBatchInfo = {
    shardId: r.shardId,
    startSequenceNumber: r.startSequenceNumber,
    endSequenceNumber: r.endSequenceNumber,
    approximateArrivalOfFirstRecord: r.firstArrivalIso,
    approximateArrivalOfLastRecord: r.lastArrivalIso,
    batchSize: r.batchSize,
    streamArn: r.streamArn,
  }
  // Typed, so the record cannot drift from the exported type; `payload` is the event's JSON text as it is.
  const record: StreamFailureRecord = r.kind === 'kinesis' ? { ...head, KinesisBatchInfo: info } : { ...head, DDBStreamBatchInfo: info }
  const json = JSON.stringify(record)
  return r.payloadJson === undefined ? json : `${json.slice(0, -1)},"payload":${r.payloadJson}}`
}
