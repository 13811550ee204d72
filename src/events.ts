import type { DestinationCondition } from './destinations/destination.js'

/** How a function was invoked. */
export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun'

interface Base {
  /** Virtual epoch ms. */
  time: number
  requestId: string
  functionName: string
}

/**
 * Every event the simulator emits, on `sim.on(type, listener)` (one type) and on
 * `sim.on('invocation', listener)` (all of them); the same objects make up `sim.timeline`.
 * All are plain JSON-serialisable data.
 */
export type SimEvent =
  | (Base & {
      type: 'accepted'
      qualifier: string
      invocationType: InvocationType
      /** ARN of the resource that invoked the function (a schedule, bucket, topic, bus rule, destination); absent for `sim.invoke`. */
      source?: string
    })
  | (Base & { type: 'attempt-started'; version: string; attempt: number; invocationType: InvocationType; coldStart: boolean; duplicate?: true })
  | (Base & {
      type: 'attempt-finished'
      version: string
      attempt: number
      invocationType: InvocationType
      outcome: 'success' | 'error' | 'timeout'
      errorType?: string
      errorMessage?: string
      durationMs: number
      /** The attempt's response: the parsed result, or the error object. */
      payload: unknown
      /** The attempt of a duplicate delivery (at-least-once), not of the event's own retry schedule. */
      duplicate?: true
    })
  | (Base & { type: 'retry-scheduled'; attempt: number; delayMs: number; retryAt: number })
  | (Base & { type: 'throttled'; invocationType: InvocationType; reason: string; delayMs?: number; retryAt?: number })
  | (Base & { type: 'expired'; ageMs: number; maximumEventAgeMs: number; nextAttemptWouldBeAt?: number })
  | (Base & { type: 'terminal'; condition: DestinationCondition | 'Dropped'; approximateInvokeCount: number; reason?: string })
  | (Base & { type: 'duplicate'; attempt: number; delayMs: number; mode: 'after-success' | 'concurrent' })
  | (Base & { type: 'delivered'; kind: 'on-success' | 'on-failure' | 'dead-letter'; destination: string; condition: DestinationCondition })
  | (Base & { type: 'delivery-failed'; kind: 'on-success' | 'on-failure' | 'dead-letter'; destination: string; error: string })
  | (Base & {
      /**
       * The handler returned while work it started (virtual timers) was still pending: Lambda freezes it
       * with the execution environment and it resumes in the next invocation there (spec §4.1).
       * `requestId` is the invocation that left it.
       */
      type: 'work-left-running'
      version: string
      /** Execution environment the work is frozen in (1, 2, … per simulator). */
      environment: number
      /** Pending tasks: virtual timers and SDK requests in flight. */
      pending: number
      /**
       * How many of `pending` are AWS SDK requests the handler sent and did not await (`lambda-sim/sdk`):
       * each goes out when the environment is next invoked. Present only when there are any.
       */
      sdkRequests?: number
      message: string
    })
  | { type: 'message'; time: number; sink: string; messageId: string }
  | {
      /** What an event source mapping did (issue 6). `ids`: message ids or sequence numbers concerned. */
      type: 'esm'
      time: number
      mappingId: string
      functionName: string
      action: EsmAction
      requestId?: string
      ids?: string[]
      reason?: string
    }
  | {
      /**
       * Something a test probably did not mean, which AWS would do silently (or lambda-sim cannot model).
       * `kind`: `ignored-return-value` (a non-async handler returned a value, and the answer is null),
       * `stuck-handler`, `stuck-sink` (no progress within the real-time grace), `observer-failed` (a
       * listener threw), `recursive-invocation` (a loop stopped), `trigger-failed`, `subscriber-failed`
       * (a service could not invoke or deliver), `schedule-never-fires`, `unawaited-sdk-request` (an SDK
       * request through a client without send tracking that the handler did not await), `unhandled-rejection`
       * (a promise of a handler that had already answered rejected unhandled: the environment is not reused).
       * docs/semantics.md has each rule.
       */
      type: 'warning'
      time: number
      kind: string
      message: string
      requestId?: string
      functionName?: string
      details?: Record<string, unknown>
    }

/** Actions on the `esm` event: a state change, a batch invoked, its messages deleted or returned, and so on. */
export type EsmAction =
  | 'state'
  | 'batch'
  | 'deleted'
  | 'returned'
  | 'filtered'
  | 'throttled'
  | 'recursion-dropped'
  | 'retry-scheduled'
  | 'bisected'
  | 'checkpoint'
  | 'on-failure'
  | 'record-age-exceeded'
  | 'window-closed'

export type SimEventType = SimEvent['type']

/** The listener map for the simulator's eventemitter3 stream. */
export type SimEventMap = { invocation: [SimEvent] } & { [K in SimEventType]: [Extract<SimEvent, { type: K }>] }

/** Every event type, at run time (the Record makes the compiler keep it complete). */
const EVENT_TYPE_FLAGS: Record<SimEventType, true> = {
  accepted: true,
  'attempt-started': true,
  'attempt-finished': true,
  'retry-scheduled': true,
  throttled: true,
  expired: true,
  terminal: true,
  duplicate: true,
  delivered: true,
  'delivery-failed': true,
  'work-left-running': true,
  message: true,
  esm: true,
  warning: true,
}
export const KNOWN_EVENT_TYPES: readonly string[] = Object.keys(EVENT_TYPE_FLAGS)
