export { createSimulator } from './simulator.js'
export { LambdaError, SimulatorError } from './errors.js'
export { defaultContext } from './context.js'
export { Timeline } from './timeline.js'
export { Queue } from './destinations/queue.js'
export { Topic } from './destinations/topic.js'
export { EventBus } from './destinations/event-bus.js'
export { Bucket } from './destinations/bucket.js'
export { RETRY_DELAYS_MS, THROTTLE_BACKOFF_MAX_MS, THROTTLE_BACKOFF_START_MS } from './async-invocations.js'
export type { Simulator, SimulatorOptions, InvokeOptions, InvokeResponse } from './simulator.js'
export type { SimEvent, SimEventType, InvocationType } from './events.js'
export type { FunctionHandle, FunctionOptions, AnyHandler } from './functions.js'
export type { SimContext } from './context.js'
export type { EventInvokeConfig, EventInvokeConfigInput, DestinationRef } from './event-invoke-config.js'
export type { Destination, Delivery, InvocationRecord, DestinationCondition, MessageAttribute } from './destinations/destination.js'
export type { QueueMessage, QueueOptions } from './destinations/queue.js'
export type { TopicMessage, Subscription } from './destinations/topic.js'
export type { BusEvent } from './destinations/event-bus.js'
export type { BucketObject } from './destinations/bucket.js'
export type { FaultSpec } from './faults.js'

// ---- event source mappings (issue 6) ----
export { Stream, TableStream, marshall, marshallItem } from './event-source-mappings/streams.js'
export { MAX_CHAIN_INVOCATIONS } from './event-source-mappings/recursion.js'
export { SQS_INITIAL_CONCURRENCY, SQS_SCALE_UP_PER_MINUTE, SQS_MAX_CONCURRENCY } from './event-source-mappings/sqs-poller.js'
export { STREAM_POLL_INTERVAL_MS } from './event-source-mappings/stream-poller.js'
export { DEDUPLICATION_INTERVAL_MS } from './destinations/queue.js'
export type { EventSourceMappingInput, EventSourceMappingUpdate, EventSourceMappingConfiguration, EventSourceMappingState } from './event-source-mappings/mappings.js'
export type { StreamOptions, TableStreamOptions, StreamViewType, ShardRecord, Shard, AttributeValue } from './event-source-mappings/streams.js'
export type { RedrivePolicy, SendMessageInput, SendMessageResult } from './destinations/queue.js'
export type { EsmAction } from './events.js'

// ---- triggers (issue 9) ----
export { ScheduleExpressionError, parseScheduleExpression, nextFireTime } from './triggers/schedule-expression.js'
export type { ScheduleOptions, ScheduleHandle } from './triggers/schedules.js'
export type { BucketNotificationInput, BucketNotificationConfiguration, S3NotificationEvent } from './triggers/bucket-notifications.js'
export type { RuleOptions, BusRule } from './triggers/bus-rules.js'
export type { ScheduleExpression, NextFireTimeOptions } from './triggers/schedule-expression.js'

// ---- SDK adapter (issue 7) ----

// ---- pure invoke (issue 11) ----
export { invoke } from './invoke.js'
export type { PureInvokeOptions, EventInvokeResult, AttemptReport, DeadLetterMessage } from './invoke.js'
