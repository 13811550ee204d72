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
export type { RenderOptions, MermaidOptions } from './timeline-render.js'

// EventBridge patterns (event filtering, bus rules)
export { compileEventPattern, matchesEventPattern, PatternError } from './patterns/event-pattern.js'
export type { EventPattern, CompiledPattern } from './patterns/event-pattern.js'

// Event source mappings
export { Stream, TableStream, marshall, marshallItem } from './event-source-mappings/streams.js'
export { MAX_CHAIN_INVOCATIONS } from './event-source-mappings/recursion.js'
export { SQS_INITIAL_CONCURRENCY, SQS_SCALE_UP_PER_MINUTE, SQS_MAX_CONCURRENCY } from './event-source-mappings/sqs-poller.js'
export { STREAM_POLL_INTERVAL_MS } from './event-source-mappings/stream-poller.js'
export { DEDUPLICATION_INTERVAL_MS } from './destinations/queue.js'
export type { EventSourceMappingInput, EventSourceMappingUpdate, EventSourceMappingConfiguration, EventSourceMappingState } from './event-source-mappings/mappings.js'
export type { StreamOptions, TableStreamOptions, StreamViewType, ShardRecord, Shard, AttributeValue } from './event-source-mappings/streams.js'
export type { RedrivePolicy, SendMessageInput, SendMessageResult } from './destinations/queue.js'
export type { EsmAction } from './events.js'

// Triggers
export { ScheduleExpressionError, parseScheduleExpression, nextFireTime } from './triggers/schedule-expression.js'
export type { ScheduleOptions, ScheduleHandle } from './triggers/schedules.js'
export type { BucketNotificationInput, BucketNotificationConfiguration, S3NotificationEvent } from './triggers/bucket-notifications.js'
export type { RuleOptions, BusRule } from './triggers/bus-rules.js'
export type { ScheduleExpression, NextFireTimeOptions } from './triggers/schedule-expression.js'

// The pure top-level invoke
export { invoke } from './invoke.js'
export type { PureInvokeOptions, EventInvokeResult, AttemptReport, DeadLetterMessage } from './invoke.js'

// Module preloading, not API (docs/performance.md, "Startup"). Node's ES module loader reads a
// module's imports only once it has read and compiled the module itself, so the internal modules
// below were read one level at a time behind simulator.js (the largest file). Naming them here lets
// the loader read them all at once, concurrently with simulator.js: ~4 ms of the ~50 ms that
// `import('lambda-sim')` + first invoke take on Node 20. Evaluation order is unchanged, since
// simulator.js, imported first above, already reaches every one of them. A module missing from
// this list only loads a little later; nothing depends on it being here.
import './attempt.js'
import './concurrency.js'
import './destinations/destination.js'
import './destinations/records.js'
import './event-invoke-config.js'
import './event-source-mappings/batch-response.js'
import './event-source-mappings/host.js'
import './event-source-mappings/mappings.js'
import './event-source-mappings/records.js'
import './event-source-mappings/tumbling-windows.js'
import './faults.js'
import './functions.js'
import './internal/heap.js'
import './internal/indexed-list.js'
import './internal/node-crypto.js'
import './internal/random.js'
import './internal/real-time.js'
import './logs.js'
import './scheduler.js'
import './timeline-render.js'
import './triggers/bucket-notifications.js'
import './triggers/bus-rules.js'
import './triggers/schedules.js'
import './triggers/trigger-host.js'
import './validation.js'
import './virtual-globals.js'
