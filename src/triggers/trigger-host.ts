import type { Destination } from '../destinations/destination.js'
import type { Scheduler } from '../scheduler.js'

/** What the triggers (schedules, bucket notifications, bus rules) need from the simulator. */
export interface TriggerHost {
  readonly region: string
  readonly accountId: string
  readonly scheduler: Scheduler
  now(): number
  iso(ms: number): string
  uuid(): string
  /**
   * The ARN to invoke for a function reference (name, ARN, `name:qualifier` or a handle), checked
   * now: an unknown function or qualifier throws `ResourceNotFoundException`.
   */
  resolveFunctionArn(ref: unknown, member: string): string
  /** The simulator's sink (queue, topic, bus, bucket) with this ARN, if any (a bus rule's queue target). */
  destinationFor?(arn: string): Destination | undefined
  /** Accept an asynchronous (`Event`) invocation on behalf of `sourceArn`. Throws if it cannot be queued. */
  acceptAsync(functionArn: string, eventJson: string, source: { kind: string; arn: string }): string
  /** A warning on the event stream (a trigger that could not invoke its target). */
  notice(kind: string, message: string, details: Record<string, unknown>): void
  /**
   * Observer code the test registered (queue.onChange, bus.onEvent, stream.onRecord) threw: caught where
   * it was called, so the operation goes on; reported as a warning, and the first such error is kept
   * for {@link observerBoundary} or the next call that drives the clock (docs/testing.md).
   */
  observerFailed(error: unknown, observer: string, about?: { requestId?: string; functionName?: string }): void
  /** At the end of an operation test code calls: rethrow the observer error kept, now that the operation is complete. */
  observerBoundary(): void
}

/** Invoke `functionArn` asynchronously for a trigger; a refusal (function deleted, payload too large) becomes a warning, as the service would drop it. */
export function triggerInvoke(host: TriggerHost, functionArn: string, eventJson: string, source: { kind: string; arn: string }): string | undefined {
  try {
    return host.acceptAsync(functionArn, eventJson, source)
  } catch (error) {
    host.notice('trigger-failed', `${source.arn} could not invoke ${functionArn}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { source: source.arn, target: functionArn })
    return undefined
  }
}
