import { SimulatorError } from '../errors.js'
import { BusRules, type BusRule, type RuleOptions } from '../triggers/bus-rules.js'
import type { Delivery, Destination } from './destination.js'
import { eventBridgeEnvelopeJson } from './records.js'
import type { SinkHost } from './sink-host.js'

/** An event as EventBridge stores it (the full envelope). */
export interface BusEvent {
  version: '0'
  id: string
  'detail-type': string
  source: string
  account: string
  time: string
  region: string
  resources: string[]
  detail: unknown
}

/** An EventBridge-like bus in memory. As a destination it wraps the record in Lambda's envelope. */
export class EventBus implements Destination {
  readonly name: string
  readonly arn: string
  /** Envelopes as JSON strings, in arrival order. */
  readonly entries: string[] = []
  readonly #host: SinkHost
  readonly #listeners: ((event: BusEvent, json: string) => void)[] = []

  constructor(host: SinkHost, name: string) {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9._-]{1,256}$/.test(name)) {
      throw new SimulatorError('InvalidOption', `Invalid event bus name ${JSON.stringify(name)}: 1–256 letters, digits, dots, hyphens or underscores`)
    }
    this.#host = host
    this.name = name
    this.arn = `arn:aws:events:${host.region}:${host.accountId}:event-bus/${name}`
  }

  /** Parsed envelopes. */
  get events(): BusEvent[] {
    return this.entries.map((e) => JSON.parse(e) as BusEvent)
  }

  #rules: BusRules | undefined

  // ---- rules (issue 9) ----

  /**
   * PutRule + PutTargets: events on this bus that match `eventPattern` invoke each target function
   * asynchronously with the event's envelope. An existing rule of the same name is replaced.
   */
  putRule(options: RuleOptions): BusRule {
    if (this.#rules === undefined) {
      const rules = new BusRules(this.#host, this)
      this.#rules = rules
      this.onEvent((event, json) => rules.route(event, json))
    }
    return this.#rules.put(options)
  }

  /** DeleteRule; returns whether the rule existed. */
  deleteRule(name: string): boolean {
    return this.#rules?.delete(name) ?? false
  }

  /** The rules of this bus, in creation order. */
  get rules(): BusRule[] {
    return this.#rules?.all ?? []
  }

  /** Called for each event put on the bus (rules hook in here). */
  onEvent(listener: (event: BusEvent, json: string) => void): void {
    this.#listeners.push(listener)
  }

  putEvents(entries: { source: string; detailType: string; detail: unknown; resources?: string[] }[]): { eventIds: string[] } {
    const ids: string[] = []
    for (const e of entries) {
      const host = this.#host
      const id = host.uuid()
      const envelope: BusEvent = {
        version: '0',
        id,
        'detail-type': e.detailType,
        source: e.source,
        account: host.accountId,
        time: `${host.iso(host.now()).slice(0, 19)}Z`,
        region: host.region,
        resources: e.resources ?? [],
        detail: e.detail,
      }
      this.#append(JSON.stringify(envelope), id)
      ids.push(id)
    }
    return { eventIds: ids }
  }

  #append(json: string, id: string): void {
    this.entries.push(json)
    this.#host.emitSinkEvent({ type: 'message', sink: this.arn, messageId: id })
    if (this.#listeners.length > 0) {
      const event = JSON.parse(json) as BusEvent
      for (const l of this.#listeners) l(event, json)
    }
  }

  deliver(delivery: Delivery): void {
    if (delivery.kind === 'dead-letter') throw new Error(`An event bus (${this.arn}) cannot be a dead-letter queue`)
    const host = this.#host
    const id = host.uuid()
    this.#append(
      eventBridgeEnvelopeJson({
        id,
        account: host.accountId,
        region: host.region,
        timeIso: host.iso(delivery.time),
        busArn: this.arn,
        functionArn: delivery.functionArn,
        success: delivery.kind === 'on-success',
        recordJson: delivery.body,
      }),
      id,
    )
  }
}
