import { describe, expect, expectTypeOf, it } from 'vitest'
import * as main from '../src/index.js'
import * as testing from '../src/testing/index.js'
import * as sdk from '../src/sdk/index.js'
import type { Simulator } from '../src/index.js'

// The runtime names each entry point offers (types are checked by tsc). A change here is an API change.
describe('public surface', () => {
  it('lambda-sim exports the simulator, the pure invoke, sinks, errors, patterns and schedule helpers', () => {
    expect(Object.keys(main).sort()).toEqual([
      'Bucket', 'DEDUPLICATION_INTERVAL_MS', 'DYNAMODB_STREAM_POLL_INTERVAL_MS', 'EventBus', 'LambdaError', 'MAX_CHAIN_INVOCATIONS', 'PatternError', 'Queue',
      'RETRY_DELAYS_MS', 'SQS_INITIAL_CONCURRENCY', 'SQS_MAX_CONCURRENCY', 'SQS_SCALE_UP_PER_MINUTE', 'STREAM_POLL_INTERVAL_MS',
      'ScheduleExpressionError', 'SimulatorError', 'Stream', 'THROTTLE_BACKOFF_MAX_MS', 'THROTTLE_BACKOFF_START_MS', 'TableStream',
      'Timeline', 'Topic', 'compileEventPattern', 'createSimulator', 'defaultContext', 'invoke', 'marshall', 'marshallItem',
      'matchesEventPattern', 'nextFireTime', 'parseScheduleExpression',
    ])
  })

  it('lambda-sim/testing exports checkIdempotency, the arbitraries and the assertions', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'IdempotencyCheckError', 'LambdaSimAssertionError', 'acceptanceOffset', 'checkIdempotency', 'deliverSchedule', 'deliverySchedule', 'describeSchedule',
      'duplicateDeliveries', 'eventDelivery', 'events', 'expectAttempts', 'expectEveryEventSettled', 'expectOutcome', 'expectRecord',
      'failurePlan', 'invokeConfig',
    ])
  })

  it('a Queue and a Topic offer their service operations and read-only views, not the SQS mapping\'s own receive and delete', () => {
    expect(Object.getOwnPropertyNames(main.Queue.prototype).sort()).toEqual([
      'bodies', 'changeMessageVisibility', 'constructor', 'delete', 'deliver', 'hasVisible', 'inFlightCount', 'messages', 'nextVisibleAt',
      'onChange', 'receive', 'redrivenCount', 'sendMessage', 'sendMessageBatch', 'size', 'visibilityTimeout', 'visibleCount',
    ])
    // Getters without setters: a caller reads them and cannot assign them.
    const setters = (proto: object, names: string[]): (string | undefined)[] => names.map((n) => (Object.getOwnPropertyDescriptor(proto, n)?.set === undefined ? undefined : n))
    expect(setters(main.Queue.prototype, ['messages', 'redrivenCount', 'size', 'bodies'])).toEqual([undefined, undefined, undefined, undefined])
    expect(Object.getOwnPropertyNames(main.Topic.prototype).sort()).toEqual(['constructor', 'deliver', 'messages', 'publish', 'setSubscriptionAttributes', 'subscribe', 'subscriptions'])
    expect(setters(main.Topic.prototype, ['messages', 'subscriptions'])).toEqual([undefined, undefined])
  })

  it('the Simulator type leaves out the members its services call (checked by tsc)', () => {
    expectTypeOf<Simulator>().not.toHaveProperty('observerFailed')
    expectTypeOf<Simulator>().not.toHaveProperty('observerBoundary')
    expectTypeOf<Simulator>().not.toHaveProperty('checkDestination')
    expectTypeOf<Simulator>().not.toHaveProperty('acceptAsync')
    expectTypeOf<Simulator>().toHaveProperty('invoke')
    expect(Object.keys(main)).toContain('createSimulator')
  })

  it('lambda-sim exports the stream on-failure record types as types only (checked by tsc)', () => {
    expectTypeOf<main.StreamFailureRecord>().toEqualTypeOf<main.KinesisFailureRecord | main.DynamoDBStreamFailureRecord>()
    expectTypeOf<main.KinesisFailureRecord['KinesisBatchInfo']>().toEqualTypeOf<main.StreamBatchInfo>()
    expectTypeOf<main.DynamoDBStreamFailureRecord['DDBStreamBatchInfo']>().toEqualTypeOf<main.StreamBatchInfo>()
    expectTypeOf<main.StreamFailureRecord['requestContext']['condition']>().toEqualTypeOf<'RetryAttemptsExhausted' | 'RecordAgeExceeded'>()
    expect(Object.keys(main)).not.toContain('StreamFailureRecord')
  })

  it('lambda-sim/sdk exports the client helpers', () => {
    expect(Object.keys(sdk).sort()).toEqual(expect.arrayContaining(['lambdaClient', 'lambdaClientConfig', 'simulatorRequestHandler', 'virtualRetryStrategy']))
  })
})
