import type { MessageAttribute } from '../destinations/destination.js'
import type { QueueMessage } from '../destinations/queue.js'
import { parseMaybeJson } from '../patterns/event-pattern.js'

/** The SQS record of spec §11.6, as Lambda puts it in `{"Records":[…]}` (AWS's key order); `as`: the receive's fields when the message is not received yet. */
export function sqsRecord(m: QueueMessage, queueArn: string, region: string, senderId: string, as: { receiveCount: number; receiptHandle: string | undefined; firstReceiveTimestamp: number | undefined } = m): Record<string, unknown> {
  const attributes: Record<string, string> = { ApproximateReceiveCount: String(as.receiveCount), SentTimestamp: String(m.sentTimestamp) }
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

/** Input of a stream on-failure record (spec §11.4). */
export interface StreamFailureInput {
  kind: 'kinesis' | 'dynamodb'
  requestId: string
  functionArn: string
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'
  approximateInvokeCount: number
  /** Left out for RecordAgeExceeded (observed on AWS). */
  response: { executedVersion: string; functionError: string | null } | undefined
  timestampIso: string
  shardId: string
  startSequenceNumber: string
  endSequenceNumber: string
  firstArrivalIso: string
  lastArrivalIso: string
  batchSize: number
  streamArn: string
  /** S3 destinations: the complete invocation event. */
  payloadJson?: string
}

/** The on-failure record of a Kinesis or DynamoDB stream mapping, as the JSON string AWS sends. */
export function streamFailureRecordJson(r: StreamFailureInput): string {
  const record: Record<string, unknown> = {
    requestContext: { requestId: r.requestId, functionArn: r.functionArn, condition: r.condition, approximateInvokeCount: r.approximateInvokeCount },
  }
  if (r.response !== undefined) record['responseContext'] = { statusCode: 200, executedVersion: r.response.executedVersion, functionError: r.response.functionError }
  record['version'] = '1.0'
  record['timestamp'] = r.timestampIso
  record[r.kind === 'kinesis' ? 'KinesisBatchInfo' : 'DDBStreamBatchInfo'] = {
    shardId: r.shardId,
    startSequenceNumber: r.startSequenceNumber,
    endSequenceNumber: r.endSequenceNumber,
    approximateArrivalOfFirstRecord: r.firstArrivalIso,
    approximateArrivalOfLastRecord: r.lastArrivalIso,
    batchSize: r.batchSize,
    streamArn: r.streamArn,
  }
  const json = JSON.stringify(record)
  return r.payloadJson === undefined ? json : `${json.slice(0, -1)},"payload":${r.payloadJson}}`
}
