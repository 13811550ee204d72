import type { DestinationCondition, MessageAttribute } from './destination.js'

/** What a record is built from: the serialised event and, if the function ran, its last response. */
export interface RecordInput {
  timestampIso: string
  requestId: string
  functionArn: string
  condition: DestinationCondition
  approximateInvokeCount: number
  requestPayloadJson: string
  response: { executedVersion: string; functionError: string | undefined; payloadJson: string } | undefined
}

/**
 * The invocation record of spec §7.1 as the exact JSON string AWS sends: key order `version,
 * timestamp, requestContext, requestPayload, responseContext, responsePayload`; `functionError` left
 * out on success; no response fields when the function never ran. Built by concatenation from the
 * already-serialised payloads, so a record costs no parse or re-stringify.
 */
export function invocationRecordJson(r: RecordInput, options: { dropPayloads?: boolean } = {}): string {
  let s =
    `{"version":"1.0","timestamp":${JSON.stringify(r.timestampIso)},"requestContext":{"requestId":${JSON.stringify(r.requestId)},` +
    `"functionArn":${JSON.stringify(r.functionArn)},"condition":"${r.condition}","approximateInvokeCount":${r.approximateInvokeCount}}`
  if (options.dropPayloads !== true) s += `,"requestPayload":${r.requestPayloadJson}`
  if (r.response !== undefined) {
    s += `,"responseContext":{"statusCode":200,"executedVersion":${JSON.stringify(r.response.executedVersion)}`
    if (r.response.functionError !== undefined) s += `,"functionError":${JSON.stringify(r.response.functionError)}`
    s += '}'
    if (options.dropPayloads !== true) s += `,"responsePayload":${r.response.payloadJson}`
  }
  return `${s}}`
}

/**
 * The EventBridge event Lambda puts on a bus destination: `source` "lambda", the two detail-types
 * (ASCII hyphen, as observed on the wire), `resources` = [bus ARN, function ARN].
 */
export function eventBridgeEnvelopeJson(input: { id: string; account: string; region: string; timeIso: string; busArn: string; functionArn: string; success: boolean; recordJson: string }): string {
  const detailType = input.success ? 'Lambda Function Invocation Result - Success' : 'Lambda Function Invocation Result - Failure'
  // EventBridge `time` has second precision.
  const time = `${input.timeIso.slice(0, 19)}Z`
  return (
    `{"version":"0","id":${JSON.stringify(input.id)},"detail-type":"${detailType}","source":"lambda","account":${JSON.stringify(input.account)},` +
    `"time":"${time}","region":${JSON.stringify(input.region)},"resources":[${JSON.stringify(input.busArn)},${JSON.stringify(input.functionArn)}],"detail":${input.recordJson}}`
  )
}

/** The first 1 KB (1024 bytes, cut on a character boundary) of a DLQ error message. */
export function firstKilobyte(text: string): string {
  const buf = Buffer.from(text, 'utf8')
  if (buf.length <= 1024) return text
  let end = 1024
  // Step back over UTF-8 continuation bytes so no character is split.
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--
  return buf.subarray(0, end).toString('utf8')
}

/** DLQ message attributes: `RequestID` (String), `ErrorCode` (Number), `ErrorMessage` (String, first 1 KB). */
export function deadLetterAttributes(requestId: string, errorCode: string, errorMessage: string): Record<string, MessageAttribute> {
  return {
    RequestID: { dataType: 'String', stringValue: requestId },
    ErrorCode: { dataType: 'Number', stringValue: errorCode },
    ErrorMessage: { dataType: 'String', stringValue: firstKilobyte(errorMessage) },
  }
}
