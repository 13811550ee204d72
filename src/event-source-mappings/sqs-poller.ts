import { attemptFinishedEvent, startAttempt, type AttemptOutcome } from '../attempt.js'
import { admitSync } from '../concurrency.js'
import { deleteReceivedByMapping, receiveForMapping, type Queue, type QueueMessage, type ReceivedAs } from '../destinations/queue.js'
import type { EsmAction } from '../events.js'
import type { FunctionVersion, LambdaFunction } from '../functions.js'
import type { Task } from '../internal/heap.js'
import { judgeBatchResponse } from './batch-response.js'
import { emitMappingAction, throttleDelayMs, type EsmHost } from './host.js'
import type { Mapping } from './mappings.js'
import { deepestLineage, stopsRecursion, type Lineage } from './recursion.js'
import { PayloadBudget } from './batch-cap.js'
import { sqsFilterView, sqsRecord } from './records.js'

/** SQS pollers start with 5 concurrent batches (spec §11.2). */
export const SQS_INITIAL_CONCURRENCY = 5
/** …and add up to 300 per minute while messages wait… */
export const SQS_SCALE_UP_PER_MINUTE = 300
/** …to at most 1,000 per mapping. */
export const SQS_MAX_CONCURRENCY = 1000

interface SqsBatch extends Task {
  messages: QueueMessage[]
  /** The receipt handle each message was received with for this batch: its delete uses these (a message received again since keeps a newer one). */
  receiptHandles: (string | undefined)[]
  eventJson: string
  /** The lineage its invocation starts with (see deepestLineage). */
  lineage: Lineage
  throttles: number
  /** Until when the messages stay hidden: throttle retries stop there. */
  hiddenUntil: number
  invocations: number
}

/** Messages received for the next batch: their records' JSON (built as each was received) and the 6 MB budget. */
interface Gathering {
  messages: QueueMessage[]
  /** Each message's record, and the receipt handle it was built with. */
  recordJsons: string[]
  handles: string[]
  budget: PayloadBudget
  deadline: number
}

/**
 * The poller of one SQS event source mapping (spec §11.2, §11.3). Event-driven: it runs when a
 * message arrives, when a hidden message becomes visible again, when a batching window closes, when
 * a batch finishes, or at the next minute of the scale-up ramp, never on a fixed tick.
 */
export class SqsPoller {
  readonly #host: EsmHost
  readonly #m: Mapping
  readonly #queue: Queue
  #running = false
  /** Batches received and not yet finished: invoking, or waiting out a throttle. */
  #active = 0
  /** Batches whose invocation is running. */
  #invoking = 0
  /** When the current scale-up ramp began (undefined: idle, back at 5). */
  #rampStart: number | undefined
  #window: Gathering | undefined
  #unsubscribe: (() => void) | undefined
  readonly #wake: Task

  constructor(host: EsmHost, m: Mapping, queue: Queue) {
    this.#host = host
    this.#m = m
    this.#queue = queue
    this.#wake = { heapIndex: -1, fire: () => this.#pump(), describe: () => `poll of ${queue.name} for ${m.fn.name} (mapping ${m.uuid})` }
  }

  /** Concurrent batches allowed now: 5, then +300 per full minute of backlog, capped by MaximumConcurrency and 1,000. */
  concurrencyLimit(now: number): number {
    const cap = Math.min(this.#m.settings.maximumConcurrency ?? SQS_MAX_CONCURRENCY, SQS_MAX_CONCURRENCY)
    const ramp = this.#rampStart === undefined ? 0 : Math.floor((now - this.#rampStart) / 60_000)
    return Math.min(cap, SQS_INITIAL_CONCURRENCY + SQS_SCALE_UP_PER_MINUTE * ramp)
  }

  /** Batches being invoked (or waiting out a throttle) right now. */
  get activeBatches(): number {
    return this.#active
  }

  start(): void {
    this.#running = true
    this.#unsubscribe ??= this.#queue.onChange(() => this.#wakeAt(this.#host.now()))
    this.#wakeAt(this.#host.now())
  }

  pause(): void {
    this.#running = false
    this.#host.scheduler.cancel(this.#wake)
  }

  stop(): void {
    this.pause()
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
  }

  settingsChanged(): void {
    if (this.#running) this.#wakeAt(this.#host.now())
  }

  #wakeAt(at: number): void {
    if (!this.#running) return
    const w = this.#wake
    if ((this.#host.scheduler.dueAt(w) ?? Infinity) <= at) return
    this.#host.scheduler.schedule(w, at)
  }

  #emit(action: EsmAction, extra: { requestId?: string; ids?: string[]; reason?: string } = {}): void {
    emitMappingAction(this.#host, this.#m, action, extra)
  }

  /** Seconds messages stay hidden: the queue's timeout, or window + function timeout + 30 s when that is longer (spec §11.2). */
  #hideSeconds(): number {
    const vt = this.#queue.visibilityTimeout
    let timeoutS = 0
    try {
      timeoutS = Math.ceil(this.#host.versionFor(this.#m.fn, this.#m.qualifier).timeoutMs / 1000)
    } catch {
      return vt
    }
    const window = this.#m.settings.maximumBatchingWindowInSeconds
    return window + timeoutS > vt ? window + timeoutS + 30 : vt
  }

  #pump(): void {
    if (!this.#running) return
    const host = this.#host
    const now = host.now()
    const s = this.#m.settings
    const windowMs = s.maximumBatchingWindowInSeconds * 1000
    const hide = this.#hideSeconds()
    const filters = s.compiledFilters
    const filtered: string[] = []
    const region = host.region
    const accept =
      filters === undefined
        ? undefined
        : (msg: QueueMessage): boolean => {
            const view = sqsFilterView(sqsRecord(msg, this.#queue.arn, region, host.accountId))
            if (filters.some((f) => f.matches(view))) return true
            filtered.push(msg.messageId)
            return false
          }
    const arn = this.#queue.arn
    let limit: number
    for (;;) {
      limit = this.concurrencyLimit(now)
      if (this.#active >= limit) break
      let w = this.#window
      const have = w?.messages.length ?? 0
      // The batch stops where its event would pass 6 MB (spec §11.2); each record is built once, here.
      const budget = w?.budget ?? new PayloadBudget()
      const recordJsons: string[] = []
      const handles: string[] = []
      const fits = (msg: QueueMessage, as: ReceivedAs): boolean => {
        const json = JSON.stringify(sqsRecord(msg, arn, region, host.accountId, as))
        if (!budget.add(json)) return false
        recordJsons.push(json)
        handles.push(as.receiptHandle)
        return true
      }
      const got = receiveForMapping(this.#queue, accept === undefined ? { maxNumberOfMessages: s.batchSize - have, visibilityTimeout: hide, fits } : { maxNumberOfMessages: s.batchSize - have, visibilityTimeout: hide, accept, fits })
      if (got.length > 0) this.#rampStart ??= now
      if (w === undefined) {
        if (got.length === 0) break
        w = this.#window = { messages: got, recordJsons, handles, budget, deadline: now + windowMs }
      } else {
        for (let k = 0; k < got.length; k++) {
          w.messages.push(got[k] as QueueMessage)
          w.recordJsons.push(recordJsons[k] as string)
          w.handles.push(handles[k] as string)
        }
      }
      if (windowMs === 0 || w.messages.length >= s.batchSize || budget.full || now >= w.deadline) {
        this.#window = undefined
        this.#dispatch(w)
        continue
      }
      break
    }
    if (filtered.length > 0) this.#emit('filtered', { ids: filtered })
    let next = this.#queue.nextVisibleAt()
    // A window whose deadline has passed is still open only because the mapping is at its limit: the
    // batch that ends next wakes the poller (a wake at the passed deadline would loop at this instant).
    const deadline = this.#window?.deadline
    if (deadline !== undefined && deadline > now && (next === undefined || deadline < next)) next = deadline
    if (this.#active >= limit && this.#rampStart !== undefined && limit < Math.min(s.maximumConcurrency ?? SQS_MAX_CONCURRENCY, SQS_MAX_CONCURRENCY) && this.#queue.hasVisible()) {
      const nextStep = this.#rampStart + 60_000 * (Math.floor((now - this.#rampStart) / 60_000) + 1)
      if (next === undefined || nextStep < next) next = nextStep
    }
    if (this.#active === 0 && this.#window === undefined && this.#queue.size === 0) this.#rampStart = undefined
    // A wake scheduled while this pump ran (a handler sent a message) is kept when it is earlier.
    if (next !== undefined) this.#wakeAt(next)
  }

  #dispatch(w: Gathering): void {
    const host = this.#host
    const fn = this.#m.fn
    let messages = w.messages
    let recordJsons = w.recordJsons
    let handles = w.handles
    // Spec §10: a message whose chain has already invoked this function 16 times is not processed and
    // returns to the queue (visible after the timeout).
    const stopped = (x: QueueMessage): boolean => stopsRecursion(x.lineage.count(fn.name) + 1, fn.recursiveLoop)
    if (messages.some(stopped)) {
      const dropped = messages.filter(stopped)
      const kept = messages.map((x) => !stopped(x))
      recordJsons = recordJsons.filter((_, k) => kept[k])
      handles = handles.filter((_, k) => kept[k])
      messages = messages.filter((x) => !stopped(x))
      this.#emit('recursion-dropped', { ids: dropped.map((x) => x.messageId), reason: 'RecursiveInvocationException' })
    }
    if (messages.length === 0) return
    let json = '{"Records":['
    for (let i = 0; i < messages.length; i++) {
      const msg = messages[i] as QueueMessage
      if (i > 0) json += ','
      // A message received again while its window stayed open (held past its visibility timeout) is sent as now received.
      json += msg.receiptHandle === handles[i] ? recordJsons[i] : JSON.stringify(sqsRecord(msg, this.#queue.arn, host.region, host.accountId))
    }
    json += ']}'
    const batch: SqsBatch = {
      heapIndex: -1,
      messages,
      receiptHandles: messages.map((x) => x.receiptHandle),
      eventJson: json,
      lineage: deepestLineage(messages, fn.name),
      throttles: 0,
      hiddenUntil: Math.min(...messages.map((x) => x.visibleAt)),
      invocations: 0,
      fire: () => this.#invoke(batch),
      describe: () => `throttled batch of ${messages.length} from ${this.#queue.name} retrying for ${fn.name}`,
    }
    this.#active++
    this.#invoke(batch)
  }

  #invoke(b: SqsBatch): void {
    const host = this.#host
    const m = this.#m
    const fn = m.fn
    const now = host.now()
    let version: FunctionVersion
    try {
      version = host.versionFor(fn, m.qualifier)
    } catch {
      this.#giveBack(b, fn.deleted ? `function ${fn.name} no longer exists` : `qualifier ${m.qualifier} no longer exists`)
      return
    }
    // A batch back from a throttle counts as a new invocation: it waits while the mapping's running
    // invocations fill the limit in force (MaximumConcurrency may have been lowered meanwhile, and a
    // throttle restarts the scale-up at 5).
    const atLimit = this.#invoking >= this.concurrencyLimit(now)
    const admission = atLimit ? undefined : admitSync(host.faults, host.concurrency, fn, now)
    const reason = atLimit ? 'the mapping is at its maximum concurrency' : (admission?.fault?.name ?? admission?.reason)
    if (reason !== undefined) {
      // Spec §9/§11.2: the poller backs off (after a throttle the scale-up starts over) and retries
      // while the messages stay hidden.
      if (!atLimit) this.#rampStart = now
      const delay = throttleDelayMs(b.throttles++)
      this.#emit('throttled', { ids: b.messages.map((x) => x.messageId), reason })
      if (now + delay < b.hiddenUntil && this.#running) host.scheduler.schedule(b, now + delay)
      else this.#giveBack(b, 'throttled until the visibility timeout')
      return
    }
    const requestId = host.uuid()
    b.invocations++
    this.#invoking++
    if (host.observed) {
      host.emit({ type: 'attempt-started', time: now, requestId, functionName: fn.name, version: version.version, attempt: 1, invocationType: 'RequestResponse', coldStart: version.idle.length === 0 })
      this.#emit('batch', { requestId, ids: b.messages.map((x) => x.messageId) })
    }
    startAttempt(
      host,
      {
        version,
        requestId,
        eventJson: b.eventJson,
        invokedFunctionArn: m.functionArn,
        clientContext: undefined,
        label: `${fn.name} (${requestId}, ${b.messages.length} message${b.messages.length === 1 ? '' : 's'} from ${this.#queue.name})`,
        lineage: b.lineage,
      },
      (o) => this.#finished(b, requestId, o, fn),
    )
  }

  #giveBack(b: SqsBatch, reason: string): void {
    this.#emit('returned', { ids: b.messages.map((x) => x.messageId), reason })
    this.#active--
    this.#wakeAt(this.#host.now())
  }

  /** `fn`: the function the batch ran on (the mapping may point at another one by now). */
  #finished(b: SqsBatch, requestId: string, o: AttemptOutcome, fn: LambdaFunction): void {
    const host = this.#host
    const m = this.#m
    host.concurrency.release(fn)
    this.#invoking--
    if (host.observed) {
      host.emit(attemptFinishedEvent(host.now(), requestId, fn.name, 1, 'RequestResponse', o))
    }
    let failed: Set<string> | undefined
    let reason: string | undefined
    if (!o.ok) {
      reason = `function error ${o.errorType ?? ''}`.trim()
    } else if (m.settings.reportBatchItemFailures) {
      const verdict = judgeBatchResponse(o.payloadJson, new Set(b.messages.map((x) => x.messageId)))
      if (verdict.kind === 'failure') reason = `invalid partial batch response: ${verdict.reason}`
      else if (verdict.kind === 'partial') failed = verdict.failed
    }
    const handles = new Set<string>()
    const deleted: string[] = []
    const returned: string[] = []
    for (let i = 0; i < b.messages.length; i++) {
      const x = b.messages[i] as QueueMessage
      if (reason !== undefined || failed?.has(x.messageId) === true) returned.push(x.messageId)
      else {
        // DeleteMessage needs the most recent receipt handle: if the message was received again while
        // this batch ran (or waited out throttles), the batch's handle is stale and deletes nothing, and
        // the message is the newer batch's to report (not listed here as deleted).
        const h = b.receiptHandles[i]
        if (h === undefined || h !== x.receiptHandle) continue
        deleted.push(x.messageId)
        handles.add(h)
      }
    }
    deleteReceivedByMapping(this.#queue, handles)
    if (deleted.length > 0) this.#emit('deleted', { requestId, ids: deleted })
    if (returned.length > 0) this.#emit('returned', { requestId, ids: returned, reason: reason ?? 'reported in batchItemFailures' })
    // Without ReportBatchItemFailures a failed batch makes the poller back off (spec §11.2).
    if (reason !== undefined && !m.settings.reportBatchItemFailures) this.#rampStart = host.now()
    this.#active--
    this.#wakeAt(host.now())
  }
}
