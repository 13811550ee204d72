/**
 * Destinations and dead-letter queues: where Lambda sends the outcome of an asynchronous invocation.
 * Implement {@link Destination} for your own sink; the built-in in-memory sinks (queue, topic, event
 * bus, bucket, function) implement it too.
 */

/** A message attribute as SQS and SNS carry it. `dataType` may carry a custom label after a period (`Number.int`, `Binary.png`), as SQS and SNS allow. */
export interface MessageAttribute {
  dataType: 'String' | 'Number' | 'Binary' | 'String.Array' | `${'String' | 'Number' | 'Binary'}.${string}`
  stringValue?: string
  binaryValue?: Uint8Array
}

/** The async invocation record (spec §7.1), in AWS's key order. */
export interface InvocationRecord {
  version: '1.0'
  timestamp: string
  requestContext: {
    requestId: string
    functionArn: string
    condition: DestinationCondition
    approximateInvokeCount: number
  }
  requestPayload: unknown
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string }
  responsePayload?: unknown
}

/** `requestContext.condition` values of async invocation records. */
export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency' | 'RecursiveInvocationDropped'

/** What one delivery to a sink carries. */
export interface Delivery {
  /** `on-success` / `on-failure` destination, or the function's `dead-letter` queue. */
  kind: 'on-success' | 'on-failure' | 'dead-letter'
  /**
   * The message as the service carries it: for destinations, the invocation record as a JSON
   * string (SQS body, SNS Message, Lambda payload, S3 object); for a DLQ, the original event unchanged.
   */
  body: string
  /** DLQ attributes `RequestID`, `ErrorCode`, `ErrorMessage`; undefined for destinations. */
  messageAttributes: Record<string, MessageAttribute> | undefined
  /**
   * The record (destinations of async invocations only), parsed from `body`. Undefined for an event
   * source mapping's on-failure record: its `body` is the JSON of a `StreamFailureRecord`.
   */
  readonly record: InvocationRecord | undefined
  requestId: string
  /** Qualified ARN of the function that produced the outcome. */
  functionArn: string
  /** Virtual epoch ms of the terminal instant. */
  time: number
}

/**
 * A sink for invocation records and dead letters. `deliver` may be async; a throw or a rejection is
 * a delivery failure (reported on the event stream and counted, like AWS's
 * `DestinationDeliveryFailures` / `DeadLetterErrors` metrics), never a crash.
 */
export interface Destination {
  readonly arn: string
  deliver(delivery: Delivery): void | Promise<void>
}

/** The service part of an ARN (`sqs`, `sns`, `lambda`, `events`, `s3`). */
export function arnService(arn: string): string | undefined {
  // Asked for every record delivered: slice between the first two colons instead of a regex match.
  if (!arn.startsWith('arn:')) return undefined
  const partition = arn.indexOf(':', 4)
  if (partition <= 4) return undefined
  const service = arn.indexOf(':', partition + 1)
  if (service <= partition + 1) return undefined
  return arn.slice(partition + 1, service)
}

export function isDestination(value: unknown): value is Destination {
  return typeof value === 'object' && value !== null && typeof (value as Destination).arn === 'string' && typeof (value as Destination).deliver === 'function'
}
