import { describe, expect, it } from 'vitest'
import * as main from '../src/index.js'
import * as testing from '../src/testing/index.js'
import * as sdk from '../src/sdk/index.js'

// The runtime names each entry point offers (types are checked by tsc). A change here is an API change.
describe('public surface', () => {
  it('lambda-sim exports the simulator, the pure invoke, sinks, errors, patterns and schedule helpers', () => {
    expect(Object.keys(main).sort()).toEqual([
      'Bucket', 'DEDUPLICATION_INTERVAL_MS', 'EventBus', 'LambdaError', 'MAX_CHAIN_INVOCATIONS', 'PatternError', 'Queue',
      'RETRY_DELAYS_MS', 'SQS_INITIAL_CONCURRENCY', 'SQS_MAX_CONCURRENCY', 'SQS_SCALE_UP_PER_MINUTE', 'STREAM_POLL_INTERVAL_MS',
      'ScheduleExpressionError', 'SimulatorError', 'Stream', 'THROTTLE_BACKOFF_MAX_MS', 'THROTTLE_BACKOFF_START_MS', 'TableStream',
      'Timeline', 'Topic', 'compileEventPattern', 'createSimulator', 'defaultContext', 'invoke', 'marshall', 'marshallItem',
      'matchesEventPattern', 'nextFireTime', 'parseScheduleExpression',
    ])
  })

  it('lambda-sim/testing exports checkIdempotency, the arbitraries and the assertions', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'IdempotencyCheckError', 'LambdaSimAssertionError', 'acceptanceOffset', 'checkIdempotency', 'deliverySchedule', 'describeSchedule',
      'duplicateDeliveries', 'eventDelivery', 'events', 'expectAttempts', 'expectEveryEventSettled', 'expectOutcome', 'expectRecord',
      'failurePlan', 'invokeConfig',
    ])
  })

  it('lambda-sim/sdk exports the client helpers', () => {
    expect(Object.keys(sdk).sort()).toEqual(expect.arrayContaining(['lambdaClient', 'lambdaClientConfig', 'simulatorRequestHandler', 'virtualRetryStrategy']))
  })
})
