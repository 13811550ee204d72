import type { AttemptHost } from '../attempt.js'
import type { Concurrency } from '../concurrency.js'
import type { Destination } from '../destinations/destination.js'
import type { EsmAction, SimEvent } from '../events.js'
import { throttleBackoffMs } from '../async-invocations.js'
import type { Faults } from '../faults.js'
import type { FunctionVersion, LambdaFunction } from '../functions.js'

/** What event source mappings need from the simulator (SimulatorImpl satisfies it). */
export interface EsmHost extends AttemptHost {
  readonly concurrency: Concurrency
  readonly faults: Faults
  readonly region: string
  readonly accountId: string
  readonly observed: boolean
  emit(event: SimEvent): void
  now(): number
  uuid(): string
  emitSinkEvent(event: { type: 'message'; sink: string; messageId: string }): void
  destinationFor(arn: string): Destination | undefined
  versionFor(fn: LambdaFunction, qualifier: string): FunctionVersion
}

/** Throttle back-off of a poller: exponential from 1 s, at most 5 minutes (as for async events). */
export function throttleDelayMs(throttles: number): number {
  return throttleBackoffMs(throttles, undefined)
}

/** Put what a mapping did on the stream and the timeline (an `esm` event). */
export function emitMappingAction(host: EsmHost, mapping: { readonly uuid: string; readonly fn: { readonly name: string } }, action: EsmAction, extra: { requestId?: string; ids?: string[]; reason?: string }): void {
  if (!host.observed) return
  const e: SimEvent = { type: 'esm', time: host.now(), mappingId: mapping.uuid, functionName: mapping.fn.name, action }
  if (extra.requestId !== undefined) e.requestId = extra.requestId
  if (extra.ids !== undefined) e.ids = extra.ids
  if (extra.reason !== undefined) e.reason = extra.reason
  host.emit(e)
}
