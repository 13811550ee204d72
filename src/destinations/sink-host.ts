import type { SeededRandom } from '../internal/random.js'
import type { TriggerHost } from '../triggers/trigger-host.js'

/**
 * What the built-in sinks need from the simulator: what triggers need (a topic delivers to its function
 * subscribers, a bucket sends notifications, a bus routes by rules, all through `acceptAsync`), and a
 * way to put sink-level events on the stream.
 */
export interface SinkHost extends TriggerHost {
  /** The simulator's seeded source (queue message ids are drawn from it when the message is sent). */
  readonly random: SeededRandom
  /** Whether anyone observes the stream (sink events are only built when true). */
  readonly observed: boolean
  /** Report a sink-level event on the simulator's stream. */
  emitSinkEvent(event: { type: 'message'; sink: string; messageId: string }): void
}
