/**
 * `lambda-sim/testing`: property checks and assertions for code that runs on Lambda. This is the
 * only part of lambda-sim that imports fast-check (an optional peer dependency: install it to use
 * this subpath). See docs/testing.md.
 */
export { checkIdempotency, describeSchedule, IdempotencyCheckError } from './check-idempotency.js'
export type { CheckEvents, CheckIdempotencyOptions, CheckIdempotencyResult, CheckWithReset, CheckWithSetup, SetupContext } from './check-idempotency.js'
export { deliverSchedule } from './deliver-schedule.js'
export type { DeliverScheduleOptions, ScheduleDelivery } from './deliver-schedule.js'
export { acceptanceOffset, deliverySchedule, duplicateDeliveries, eventDelivery, events, failurePlan, invokeConfig } from './arbitraries.js'
export type { DeliverySchedule, DuplicateDelivery, EventDelivery, FailurePlan, InjectedFailure, InvokeConfigSample } from './arbitraries.js'
export { expectAttempts, expectEveryEventSettled, expectOutcome, expectRecord, LambdaSimAssertionError } from './assertions.js'
export type { AttemptsExpectation, OutcomeExpectation, RecordExpectation, RecordSource, TimelineSource } from './assertions.js'
