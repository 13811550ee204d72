import { createHash } from '../internal/node-crypto.js'
import { attemptFinishedEvent, startAttempt, type AttemptOutcome } from '../attempt.js'
import { admitSync } from '../concurrency.js'
import { Bucket } from '../destinations/bucket.js'
import type { Delivery } from '../destinations/destination.js'
import type { EsmAction } from '../events.js'
import type { FunctionVersion, LambdaFunction } from '../functions.js'
import type { Task } from '../internal/heap.js'
import { PayloadBudget } from './batch-cap.js'
import { judgeBatchResponse } from './batch-response.js'
import { emitMappingAction, throttleDelayMs, type EsmHost } from './host.js'
import type { Mapping } from './mappings.js'
import { deepestLineage, enterChainHop, exitChainHop, lineageAfter, stopsRecursion } from './recursion.js'
import { streamFailureRecordJson, type StreamFailureInput } from './records.js'
import type { Shard, ShardRecord, StreamSource } from './streams.js'
import { judgeWindowState, MAX_WINDOW_STATE_BYTES, openWindow, windowEventJson, windowStartOf, type OpenWindow, type WindowInvoke } from './tumbling-windows.js'

/** Each Kinesis shard is polled about once per second (spec §11.4): at most one poll per lane per second. */
export const STREAM_POLL_INTERVAL_MS = 1000
/**
 * "Lambda polls shards in your DynamoDB stream for records at a base rate of 4 times per second"
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html): at most one poll per lane per 250 ms.
 */
export const DYNAMODB_STREAM_POLL_INTERVAL_MS = 250

interface Batch {
  records: ShardRecord[]
  /** Lane index one past the last record scanned (filtered-out records included). */
  end: number
  /** The scan stopped at the end of the window (or of the records), not at the batch size. */
  complete: boolean
  eventJson: string
  /** Set when the mapping has a tumbling window. */
  window?: WindowInvoke
}

/** One ordered sub-stream of a shard: the whole shard, or one of `parallelizationFactor` key-hash lanes. */
class Lane implements Task {
  heapIndex = -1
  readonly shard: Shard
  readonly index: number
  records: ShardRecord[] = []
  pos = 0
  busy = false
  /** Failed invocations of the batch at `pos` that count toward MaximumRetryAttempts. */
  retries = 0
  /** Invocations of the batch at `pos` (approximateInvokeCount). */
  invokes = 0
  throttles = 0
  /** Pending bisected batch sizes. */
  splits: number[] = []
  lastPollAt = -Infinity
  lastRequestId: string | undefined
  /** Batching windows: the records from `pos` measured against the 6 MB so far (see #pendingFull). */
  sized: { records: ShardRecord[]; from: number; to: number; budget: PayloadBudget } | undefined = undefined
  /** Tumbling windows: the window being aggregated (its state), until its final invocation succeeds. */
  window: OpenWindow | undefined = undefined
  readonly poller: StreamPoller

  constructor(poller: StreamPoller, shard: Shard, index: number) {
    this.poller = poller
    this.shard = shard
    this.index = index
  }

  fire(): void {
    this.poller.poll(this)
  }

  describe(): string {
    return `poll of ${this.shard.shardId}${this.index > 0 ? ` lane ${this.index}` : ''} for ${this.poller.label}`
  }
}

/** A lane with no batch running, retrying, bisected or in an open tumbling window. */
function betweenBatches(lane: Lane): boolean {
  return !lane.busy && lane.invokes === 0 && lane.retries === 0 && lane.splits.length === 0 && lane.window === undefined
}

/** Sequence-number order (decimal strings without leading zeros: shorter is smaller). */
function bySequence(a: ShardRecord, b: ShardRecord): number {
  return a.sequenceNumber.length - b.sequenceNumber.length || (a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0)
}

/**
 * The poller of one Kinesis or DynamoDB stream mapping (spec §11.4): per-shard order, the shard (or
 * key lane, with a parallelization factor) blocked while its batch retries, bisect on error, retry
 * and record-age limits, checkpointing at the lowest reported failure, and the on-failure record.
 * A lane has a poll task only while it has records pending.
 */
export class StreamPoller {
  readonly #host: EsmHost
  readonly #m: Mapping
  readonly #source: StreamSource
  readonly #lanes = new Map<Shard, Lane[]>()
  /** Kinesis: 1 s; DynamoDB: 250 ms. */
  readonly #pollIntervalMs: number
  #running = false
  #unsubscribe: (() => void) | undefined

  constructor(host: EsmHost, m: Mapping, source: StreamSource) {
    this.#host = host
    this.#m = m
    this.#source = source
    this.#pollIntervalMs = source.kind === 'dynamodb' ? DYNAMODB_STREAM_POLL_INTERVAL_MS : STREAM_POLL_INTERVAL_MS
  }

  get label(): string {
    return `${this.#m.fn.name} (mapping ${this.#m.uuid})`
  }

  start(): void {
    const first = this.#lanes.size === 0
    this.#running = true
    if (first) {
      const s = this.#m.settings
      const now = this.#host.now()
      for (const shard of this.#source.shards) {
        const lanes = Array.from({ length: s.parallelizationFactor }, (_, i) => new Lane(this, shard, i))
        this.#lanes.set(shard, lanes)
        let from = shard.records.length
        if (s.startingPosition === 'TRIM_HORIZON') from = 0
        else if (s.startingPosition === 'AT_TIMESTAMP') {
          from = shard.records.findIndex((r) => r.arrivalTime >= (s.startingPositionTimestamp as number))
          if (from < 0) from = shard.records.length
        }
        for (let i = from; i < shard.records.length; i++) {
          const r = shard.records[i] as ShardRecord
          if (r.arrivalTime > now - this.#source.retentionMs) this.#laneFor(lanes, r).records.push(r)
        }
      }
      this.#unsubscribe = this.#source.onRecord((shard, r) => {
        const lanes = this.#lanes.get(shard)
        if (lanes === undefined) return
        const lane = this.#laneFor(lanes, r)
        lane.records.push(r)
        if (this.#running) this.#schedule(lane)
      })
    }
    this.#scheduleAll()
  }

  /**
   * Poll every lane as early as its settings allow, except that a lane already waiting to retry its
   * batch or out a throttle keeps that wait (an update or a transition of the mapping does not cut it).
   */
  #scheduleAll(): void {
    const scheduler = this.#host.scheduler
    for (const lanes of this.#lanes.values()) {
      for (const lane of lanes) if (scheduler.dueAt(lane) === undefined || (lane.invokes === 0 && lane.throttles === 0)) this.#schedule(lane)
    }
  }

  pause(): void {
    this.#running = false
    for (const lanes of this.#lanes.values()) for (const lane of lanes) this.#host.scheduler.cancel(lane)
  }

  stop(): void {
    this.pause()
    this.#unsubscribe?.()
  }

  settingsChanged(): void {
    if (this.#m.settings.tumblingWindowInSeconds === 0) for (const lanes of this.#lanes.values()) for (const lane of lanes) lane.window = undefined
    for (const shard of [...this.#lanes.keys()]) this.#relane(shard)
    // New settings may allow an earlier poll (a shorter batching window).
    if (this.#running) this.#scheduleAll()
  }

  /** Whether the shard's lanes were made for another parallelization factor than the one in force. */
  #factorChanged(shard: Shard): boolean {
    return (this.#lanes.get(shard)?.length ?? this.#m.settings.parallelizationFactor) !== this.#m.settings.parallelizationFactor
  }

  /**
   * A new parallelization factor takes effect on a shard once every lane of it is between batches
   * (none running, retrying, bisected or in an open tumbling window): the records still to process
   * are dealt again, in sequence order, over lanes for the new factor. Until then the lanes finish
   * what they hold, no more of them at once than the new factor, and start nothing new (see poll),
   * so per-key order holds and no shard runs more batches than the factor in force when each started.
   */
  #relane(shard: Shard): void {
    const lanes = this.#lanes.get(shard)
    const factor = this.#m.settings.parallelizationFactor
    if (lanes === undefined || lanes.length === factor || !lanes.every(betweenBatches)) return
    const scheduler = this.#host.scheduler
    const rest = lanes.flatMap((lane) => lane.records.slice(lane.pos)).sort(bySequence)
    const fresh = Array.from({ length: factor }, (_, i) => new Lane(this, shard, i))
    const lastPollAt = Math.max(...lanes.map((lane) => lane.lastPollAt))
    // A lane waiting out a throttle hands its backoff (count and next poll) to the lanes its records go to.
    const notBefore = fresh.map(() => 0)
    for (const lane of lanes) {
      const due = scheduler.dueAt(lane)
      if (lane.throttles === 0 || due === undefined) continue
      for (let i = lane.pos; i < lane.records.length; i++) {
        const to = this.#laneFor(fresh, lane.records[i] as ShardRecord)
        to.throttles = Math.max(to.throttles, lane.throttles)
        notBefore[to.index] = Math.max(notBefore[to.index] as number, due)
      }
    }
    for (const lane of lanes) scheduler.cancel(lane)
    for (const r of rest) this.#laneFor(fresh, r).records.push(r)
    for (const lane of fresh) lane.lastPollAt = lastPollAt
    this.#lanes.set(shard, fresh)
    if (this.#running) for (const lane of fresh) this.#schedule(lane, notBefore[lane.index])
  }

  #laneFor(lanes: Lane[], r: ShardRecord): Lane {
    if (lanes.length === 1) return lanes[0] as Lane
    // Same partition key, same lane: per-key order holds with a parallelization factor.
    const h = createHash('md5').update(r.partitionKey).digest().readUInt32BE(0)
    return lanes[h % lanes.length] as Lane
  }

  /**
   * Schedule the lane's next poll if it has records pending (or an open tumbling window to close) and
   * no batch in flight. A window with nothing pending wakes the lane once, at the window's end (or at
   * once after an oversized state); this is the one task per open window.
   */
  #schedule(lane: Lane, notBefore = 0): void {
    if (!this.#running || lane.busy) return
    const host = this.#host
    const now = host.now()
    const w = lane.window
    if (w !== undefined && (w.terminatedEarly || lane.pos >= lane.records.length)) {
      const at = Math.max(now, notBefore, w.terminatedEarly ? now : w.end)
      if ((host.scheduler.dueAt(lane) ?? Infinity) <= at) return
      host.scheduler.schedule(lane, at)
      return
    }
    if (lane.pos >= lane.records.length) return
    let at = Math.max(now, lane.lastPollAt + this.#pollIntervalMs, notBefore)
    const s = this.#m.settings
    const pending = lane.records.length - lane.pos
    if (s.maximumBatchingWindowInSeconds > 0 && pending < s.batchSize && lane.splits.length === 0 && lane.invokes === 0 && !this.#pendingFull(lane)) {
      at = Math.max(at, (lane.records[lane.pos] as ShardRecord).arrivalTime + s.maximumBatchingWindowInSeconds * 1000)
    }
    if ((host.scheduler.dueAt(lane) ?? Infinity) <= at) return
    host.scheduler.schedule(lane, at)
  }

  /**
   * Whether the records pending in the lane already fill a 6 MB event: then the batching window does
   * not wait (spec §11.4). Measured incrementally as records arrive. With a tumbling window the
   * window's fields are not counted here (the batch itself counts them).
   */
  #pendingFull(lane: Lane): boolean {
    let z = lane.sized
    if (z === undefined || z.records !== lane.records || z.from !== lane.pos) z = lane.sized = { records: lane.records, from: lane.pos, to: lane.pos, budget: new PayloadBudget() }
    while (!z.budget.full && z.to < lane.records.length) if (z.budget.add((lane.records[z.to] as ShardRecord).recordJson)) z.to++
    return z.budget.full
  }

  #emit(action: EsmAction, extra: { requestId?: string; ids?: string[]; reason?: string } = {}): void {
    emitMappingAction(this.#host, this.#m, action, extra)
  }

  poll(lane: Lane): void {
    if (!this.#running || lane.busy) return
    if (this.#factorChanged(lane.shard)) {
      // A new factor is waiting for the shard's lanes to finish their batches (see #relane): a lane
      // between batches starts nothing; one still busy with a batch (retrying it, bisected, in a
      // tumbling window) goes on only while fewer lanes than the new factor are running.
      if (betweenBatches(lane)) {
        this.#relane(lane.shard)
        return
      }
      let running = 0
      for (const other of this.#lanes.get(lane.shard) as Lane[]) if (other.busy) running++
      if (running >= this.#m.settings.parallelizationFactor) return
    }
    const host = this.#host
    const now = host.now()
    const s = this.#m.settings
    lane.lastPollAt = now
    // Records past the stream's retention are gone.
    const expiredBefore = now - this.#source.retentionMs
    if (lane.pos < lane.records.length && (lane.records[lane.pos] as ShardRecord).arrivalTime <= expiredBefore) {
      while (lane.pos < lane.records.length && (lane.records[lane.pos] as ShardRecord).arrivalTime <= expiredBefore) this.#advance(lane, lane.pos + 1)
      // The batch being retried (or bisected) lost its oldest records: the next read is a new batch.
      lane.splits.length = 0
    }
    // Records older than MaximumRecordAgeInSeconds are discarded with an on-failure record.
    if (s.maximumRecordAgeInSeconds >= 0) {
      const oldBefore = now - s.maximumRecordAgeInSeconds * 1000
      let n = lane.pos
      while (n < lane.records.length && (lane.records[n] as ShardRecord).arrivalTime < oldBefore) n++
      if (n > lane.pos) {
        const old = lane.records.slice(lane.pos, n)
        this.#emit('record-age-exceeded', { ids: old.map((r) => r.sequenceNumber) })
        this.#onFailure(lane, old, 'RecordAgeExceeded', undefined, undefined)
        this.#advance(lane, n)
        lane.splits.length = 0
      }
    }
    const batch = s.tumblingWindowInSeconds > 0 ? this.#takeWindowBatch(lane, s.tumblingWindowInSeconds * 1000, now) : this.#takeBatch(lane)
    if (batch === undefined) {
      this.#schedule(lane)
      return
    }
    this.#invoke(lane, batch)
  }

  /**
   * The next batch of a lane with tumbling windows: records of one window only, with the window's
   * state. After the window's end, the batch holding the window's last remaining records (or none)
   * is the final invocation; so is the invocation right after a state over 1 MB.
   */
  #takeWindowBatch(lane: Lane, lengthMs: number, now: number): Batch | undefined {
    for (;;) {
      const w = lane.window
      const next = lane.records[lane.pos]
      if (w !== undefined && (w.terminatedEarly || next === undefined || windowStartOf(next.arrivalTime, lengthMs) !== w.start)) {
        // Nothing of this window is pending (or it ends early): its final invocation, without records.
        if (!w.terminatedEarly && now < w.end) return undefined
        const invoke: WindowInvoke = { window: w, final: true, terminatedEarly: w.terminatedEarly }
        return { records: [], end: lane.pos, complete: true, eventJson: windowEventJson([], invoke, lane.shard.shardId, this.#source.arn), window: invoke }
      }
      if (next === undefined) return undefined
      const ws = windowStartOf(next.arrivalTime, lengthMs)
      const open = w ?? openWindow(next.arrivalTime, lengthMs)
      // The window's fields and state count toward the 6 MB ("false" for the final flag: its longer value).
      const overhead = windowEventJson([], { window: open, final: false, terminatedEarly: false }, lane.shard.shardId, this.#source.arn)
      const batch = this.#takeBatch(lane, ws + lengthMs, false, overhead)
      if (batch === undefined) continue // all filtered out: look again from the new position
      lane.window = open
      const invoke: WindowInvoke = { window: open, final: now >= open.end && batch.complete, terminatedEarly: false }
      batch.window = invoke
      batch.eventJson = windowEventJson(
        batch.records.map((r) => r.recordJson),
        invoke,
        lane.shard.shardId,
        this.#source.arn,
      )
      return batch
    }
  }

  /** Move the checkpoint to lane index `to`; a new batch starts there. */
  #advance(lane: Lane, to: number): void {
    if (to !== lane.pos) {
      lane.retries = 0
      lane.invokes = 0
    }
    lane.pos = to
    if (lane.pos > 1024 && lane.pos * 2 > lane.records.length) {
      lane.records = lane.records.slice(lane.pos)
      lane.pos = 0
    }
  }

  /**
   * Up to a batch of records from the checkpoint on, stopping at the first one that arrived at or
   * after `before`, or that would take the event (`overheadJson` with the records) past 6 MB.
   */
  #takeBatch(lane: Lane, before = Infinity, buildJson = true, overheadJson?: string): Batch | undefined {
    const s = this.#m.settings
    const size = lane.splits[0] ?? s.batchSize
    const filters = s.compiledFilters
    const records: ShardRecord[] = []
    const budget = new PayloadBudget(overheadJson)
    let i = lane.pos
    const skipped: string[] = []
    for (; i < lane.records.length && records.length < size; i++) {
      const r = lane.records[i] as ShardRecord
      if (r.arrivalTime >= before) break
      if (filters !== undefined && !filters.some((f) => f.matches(r.filterView))) {
        skipped.push(r.sequenceNumber)
        continue
      }
      if (!budget.add(r.recordJson)) break
      records.push(r)
    }
    if (skipped.length > 0) this.#emit('filtered', { ids: skipped })
    if (records.length === 0) {
      this.#advance(lane, i)
      return undefined
    }
    let json = ''
    if (buildJson) {
      json = '{"Records":['
      for (let k = 0; k < records.length; k++) json += (k > 0 ? ',' : '') + (records[k] as ShardRecord).recordJson
      json += ']}'
    }
    const complete = i >= lane.records.length || (lane.records[i] as ShardRecord).arrivalTime >= before
    return { records, end: i, complete, eventJson: json }
  }

  #invoke(lane: Lane, batch: Batch): void {
    const host = this.#host
    const m = this.#m
    const fn = m.fn
    const now = host.now()
    let version: FunctionVersion
    try {
      version = host.versionFor(fn, m.qualifier)
    } catch {
      this.#schedule(lane, now + this.#pollIntervalMs)
      return
    }
    const lineage = deepestLineage(batch.records, fn.name)
    if (stopsRecursion(lineage.count(fn.name) + 1, fn.recursiveLoop)) {
      // Streams are not in loop detection's list (SQS, SNS, Lambda, S3); this only stops a chain that entered through them.
      this.#emit('recursion-dropped', { ids: batch.records.map((r) => r.sequenceNumber), reason: 'RecursiveInvocationException' })
      this.#advance(lane, batch.end)
      this.#schedule(lane)
      return
    }
    const admission = admitSync(host.faults, host.concurrency, fn, now)
    const reason = admission.fault?.name ?? admission.reason
    if (reason !== undefined) {
      // Throttles retry until the records expire and do not count as retry attempts (spec §11.4).
      const delay = throttleDelayMs(lane.throttles++)
      this.#emit('throttled', { ids: batch.records.map((r) => r.sequenceNumber), reason })
      this.#schedule(lane, now + delay)
      return
    }
    lane.throttles = 0
    lane.busy = true
    lane.invokes++
    const requestId = host.uuid()
    lane.lastRequestId = requestId
    if (host.observed) {
      host.emit({ type: 'attempt-started', time: now, requestId, functionName: fn.name, version: version.version, attempt: lane.invokes, invocationType: 'RequestResponse', coldStart: version.idle.length === 0 })
      const w = batch.window
      const reason = w === undefined ? undefined : `window ${this.#host.iso(w.window.start)}${w.final ? (w.terminatedEarly ? ', final (terminated early)' : ', final') : ''}`
      this.#emit('batch', { requestId, ids: batch.records.map((r) => r.sequenceNumber), ...(reason === undefined ? {} : { reason }) })
    }
    startAttempt(
      host,
      {
        version,
        requestId,
        eventJson: batch.eventJson,
        invokedFunctionArn: m.functionArn,
        clientContext: undefined,
        label: `${fn.name} (${requestId}, ${batch.records.length} record${batch.records.length === 1 ? '' : 's'} from ${lane.shard.shardId})`,
        lineage,
      },
      (o) => this.#finished(lane, batch, requestId, o, fn),
    )
  }

  /** `fn`: the function the batch ran on (the mapping may point at another one by now). */
  #finished(lane: Lane, batch: Batch, requestId: string, o: AttemptOutcome, fn: LambdaFunction): void {
    this.#settle(lane, batch, requestId, o, fn)
    if (!this.#factorChanged(lane.shard)) return
    this.#relane(lane.shard)
    // Not yet: wake the lanes that still have a batch to finish and waited for this one (see poll).
    if (this.#factorChanged(lane.shard)) for (const other of this.#lanes.get(lane.shard) as Lane[]) if (other !== lane && !betweenBatches(other)) this.#schedule(other)
  }

  #settle(lane: Lane, batch: Batch, requestId: string, o: AttemptOutcome, fn: LambdaFunction): void {
    const host = this.#host
    const m = this.#m
    host.concurrency.release(fn)
    lane.busy = false
    if (host.observed) {
      host.emit(attemptFinishedEvent(host.now(), requestId, fn.name, lane.invokes, 'RequestResponse', o))
    }
    let failedFrom: number | undefined
    let partial = false
    let state: { stateJson: string; bytes: number } | undefined
    if (!o.ok) failedFrom = 0
    else if (batch.window !== undefined) {
      // With a tumbling window the response must carry `state`; without it the invocation failed.
      const verdict = judgeWindowState(o.payloadJson)
      if (verdict.ok) state = verdict
      else {
        failedFrom = 0
        this.#emit('retry-scheduled', { requestId, ids: batch.records.map((r) => r.sequenceNumber), reason: `invalid window response: ${verdict.reason}` })
      }
    }
    if (failedFrom === undefined && o.ok && m.settings.reportBatchItemFailures) {
      const verdict = judgeBatchResponse(o.payloadJson, new Set(batch.records.map((r) => r.sequenceNumber)))
      if (verdict.kind === 'failure') failedFrom = 0
      else if (verdict.kind === 'partial') {
        partial = true
        // Checkpoint before the lowest failed sequence number (numeric order) and retry from it.
        let lowest: bigint | undefined
        for (const id of verdict.failed) if (lowest === undefined || BigInt(id) < lowest) lowest = BigInt(id)
        failedFrom = batch.records.findIndex((r) => BigInt(r.sequenceNumber) === lowest)
      }
    }
    if (state !== undefined && failedFrom !== 0) this.#keepState(lane, batch, state, failedFrom === undefined)
    if (failedFrom === undefined) {
      m.lastProcessingResult = 'OK'
      // A window's final invocation without records was never one of the bisected halves.
      if (batch.records.length > 0) lane.splits.shift()
      this.#advance(lane, batch.end)
      this.#schedule(lane)
      return
    }
    m.lastProcessingResult = 'PROBLEM: Function call failed'
    const s = m.settings
    const n = batch.records.length
    // With bisect on, a partial response splits the batch at the returned sequence number and only
    // the rest of this batch is retried (not the next batchSize records from there); it is not halved.
    // https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
    const splitAtFailure = partial && s.bisectBatchOnFunctionError
    if (failedFrom > 0) {
      const failed = batch.records[failedFrom] as ShardRecord
      this.#emit('checkpoint', { requestId, ids: [failed.sequenceNumber] })
      if (splitAtFailure) lane.splits.splice(0, lane.splits.length === 0 ? 0 : 1, n - failedFrom)
      else lane.splits.length = 0
      this.#advance(lane, lane.records.indexOf(failed, lane.pos))
      this.#schedule(lane, host.now() + this.#pollIntervalMs)
      return
    }
    // The first record reported: its retry is the same batch.
    if (splitAtFailure) lane.splits.splice(0, lane.splits.length === 0 ? 0 : 1, n)
    else if (s.bisectBatchOnFunctionError && n > 1) {
      const first = Math.ceil(n / 2)
      lane.splits.splice(0, lane.splits.length === 0 ? 0 : 1, first, n - first)
      lane.retries = 0
      lane.invokes = 0
      this.#emit('bisected', { requestId, ids: batch.records.map((r) => r.sequenceNumber), reason: `${first} + ${n - first}` })
      this.#schedule(lane)
      return
    }
    lane.retries++
    if (s.maximumRetryAttempts >= 0 && lane.retries > s.maximumRetryAttempts) {
      this.#onFailure(lane, batch.records, 'RetryAttemptsExhausted', o, batch.eventJson, fn)
      if (batch.records.length > 0) lane.splits.shift()
      this.#advance(lane, batch.end)
      // A final invocation that used up its retries still closes the window (its state is dropped).
      if (batch.window?.final === true) this.#closeWindow(lane, batch.window.window)
      this.#schedule(lane)
      return
    }
    // "Lambda retries the batch": the retry holds exactly the records that failed, not records that
    // arrived since (they wait behind it), so approximateInvokeCount and the on-failure record's range
    // describe one batch.
    if (n > 0) lane.splits.splice(0, lane.splits.length === 0 ? 0 : 1, n)
    this.#emit('retry-scheduled', { requestId, ids: batch.records.map((r) => r.sequenceNumber), reason: `retry ${lane.retries}` })
    this.#schedule(lane, host.now() + this.#pollIntervalMs)
  }

  /**
   * A window invocation succeeded (wholly, or partly with `batchItemFailures`): keep its state for
   * the next invocation, close the window after a successful final one, or end the window early
   * when the state is over 1 MB (the next invocation, at once, is the final one with that state).
   */
  #keepState(lane: Lane, batch: Batch, state: { stateJson: string; bytes: number }, whole: boolean): void {
    const w = batch.window as WindowInvoke
    if (lane.window !== w.window) return
    if (w.final && whole) {
      this.#closeWindow(lane, w.window)
      return
    }
    w.window.stateJson = state.stateJson
    if (!w.final && state.bytes > MAX_WINDOW_STATE_BYTES) {
      w.window.terminatedEarly = true
      this.#emit('checkpoint', { ids: batch.records.map((r) => r.sequenceNumber), reason: `window state of ${state.bytes} bytes is over ${MAX_WINDOW_STATE_BYTES}: the window ends early` })
    }
  }

  #closeWindow(lane: Lane, w: OpenWindow): void {
    if (lane.window !== w) return
    lane.window = undefined
    lane.retries = 0
    lane.invokes = 0
  }

  /**
   * A record's arrival as the on-failure record writes it: Kinesis with milliseconds
   * (`2022-07-13T13:48:01.000Z`), DynamoDB in whole seconds without them (`2022-07-13T13:48:01Z`, its
   * ApproximateCreationDateTime), as AWS sends them (LocalStack's AWS-validated recordings, 2025-11).
   */
  #arrivalIso(r: ShardRecord): string {
    if (this.#source.kind === 'kinesis') return this.#host.iso(r.arrivalTime)
    return `${this.#host.iso(r.arrivalTime).slice(0, 19)}Z`
  }

  /** `fn`: the function the last invocation ran on (the mapping may point at another one by now). */
  #onFailure(lane: Lane, records: ShardRecord[], condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded', o: AttemptOutcome | undefined, eventJson: string | undefined, fn: LambdaFunction = this.#m.fn): void {
    const host = this.#host
    const m = this.#m
    if (condition === 'RetryAttemptsExhausted') this.#emit('on-failure', { ids: records.map((r) => r.sequenceNumber), reason: condition })
    const arn = m.settings.onFailure
    if (arn === undefined || records.length === 0) return
    const first = records[0] as ShardRecord
    const last = records[records.length - 1] as ShardRecord
    const now = host.now()
    // Records never invoked (too old when first read) get a request id of their own, not that of an earlier batch.
    const requestId = lane.invokes > 0 && lane.lastRequestId !== undefined ? lane.lastRequestId : host.uuid()
    const sink = host.destinationFor(arn)
    const input: StreamFailureInput = {
      kind: this.#source.kind,
      requestId,
      functionArn: fn.arn,
      condition,
      // AWS reports 1 for records discarded for their age before any invocation (LocalStack's AWS-validated
      // test_kinesis_maximum_record_age_exceeded[expire-before-ingestion], …_discard_records, 2025-11).
      approximateInvokeCount: Math.max(1, lane.invokes),
      response: o === undefined ? undefined : { executedVersion: o.executedVersion, functionError: o.ok ? null : 'Unhandled' },
      timestampIso: host.iso(now),
      shardId: lane.shard.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      firstArrivalIso: this.#arrivalIso(first),
      lastArrivalIso: this.#arrivalIso(last),
      batchSize: records.length,
      streamArn: this.#source.arn,
    }
    const fail = (error: unknown): void => {
      if (host.observed) {
        host.emit({ type: 'delivery-failed', time: host.now(), requestId, functionName: fn.name, kind: 'on-failure', destination: arn, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
      }
    }
    if (sink === undefined) {
      fail(new Error(`No destination with ARN ${arn} exists in this simulator`))
      return
    }
    // The record continues the request chain of the invocation that read the records (its function counted in).
    const outer = enterChainHop(host.scheduler, lineageAfter(deepestLineage(records, fn.name), fn))
    try {
      if (sink instanceof Bucket) {
        const payload = eventJson ?? `{"Records":[${records.map((r) => r.recordJson).join(',')}]}`
        const body = streamFailureRecordJson({ ...input, payloadJson: payload })
        const iso = host.iso(now)
        const key = `aws/lambda/${m.uuid}/${lane.shard.shardId}/${iso.slice(0, 10).replaceAll('-', '/')}/${iso.slice(0, 19).replaceAll(':', '.')}-${host.uuid()}`
        sink.putObject(key, body)
      } else {
        const delivery: Delivery = { kind: 'on-failure', body: streamFailureRecordJson(input), messageAttributes: undefined, record: undefined, requestId, functionArn: fn.arn, time: now }
        const r = sink.deliver(delivery)
        if (r !== undefined && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).then(undefined, fail)
      }
    } catch (error) {
      fail(error)
    } finally {
      exitChainHop(outer)
    }
  }
}
