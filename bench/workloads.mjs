// Workloads shared by the bench implementations. Each export runs one workload once in this process
// and returns { ms, attempts, ...checks }. Timed sections use performance.now() (real time is the
// point of a benchmark; src/ never reads it).

/** Retry-storm failure rule: event i fails attempt 1 when i % 10 < 3, attempt 2 when i % 10 === 0, attempt 3 when i % 100 === 0. */
export function fails(i, attempt) {
  if (attempt === 1) return i % 10 < 3
  if (attempt === 2) return i % 10 === 0
  return i % 100 === 0
}

/** Expected counts for n events (n a multiple of 100). */
export function expected(n) {
  return { attempts: n * 1.4, successes: n * 0.99, exhausted: n / 100 }
}

/** The handler every implementation awaits, once per attempt. `tries` counts attempts per event. */
export function stormHandler(tries) {
  return async (event) => {
    const i = event.i
    const attempt = ++tries[i]
    if (fails(i, attempt)) throw new Error(`attempt ${attempt} of event ${i} fails`)
    return { i }
  }
}

function sum(a) {
  let s = 0
  for (let k = 0; k < a.length; k++) s += a[k]
  return s
}

/** Start a measurement: wall-clock ms and CPU ms (user + system, all threads) of this process. */
export function stopwatch() {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  return () => {
    const c = process.cpuUsage(c0)
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }
  }
}

export function check(name, actual, want) {
  if (actual !== want) throw new Error(`${name}: expected ${want}, got ${actual}`)
}

// ---- lambda-sim ----------------------------------------------------------------------------------

/**
 * A simulator with the storm's function and its on-success / on-failure queues (`tries` counts
 * attempts). The timeline is off unless `recordTimeline` is true (it is on by default in lambda-sim).
 */
export async function stormSimulator(lib, n, tries, recordTimeline = false) {
  const sim = lib.createSimulator({ recordTimeline })
  const ok = sim.createQueue('on-success')
  const bad = sim.createQueue('on-failure')
  sim.createFunction('storm', stormHandler(tries))
  sim.putFunctionEventInvokeConfig({ functionName: 'storm', destinationConfig: { onSuccess: { destination: ok.arn }, onFailure: { destination: bad.arn } } })
  return { sim, ok, bad }
}

function checkStormSinks(n, tries, ok, bad) {
  const want = expected(n)
  check('attempts', sum(tries), want.attempts)
  check('success records', ok.messages.length, want.successes)
  check('failure records', bad.messages.length, want.exhausted)
  for (const m of bad.messages) check('failure condition', JSON.parse(m.body).requestContext.condition, 'RetriesExhausted')
  // Spot-check success records: condition and the event they carry.
  for (let k = 0; k < ok.messages.length; k += 997) {
    const r = JSON.parse(ok.messages[k].body)
    check('success condition', r.requestContext.condition, 'Success')
    check('record payload', r.responsePayload.i, r.requestPayload.i)
  }
}

export async function lambdaSimStorm(lib, n, recordTimeline = false) {
  const tries = new Uint8Array(n)
  const { sim, ok, bad } = await stormSimulator(lib, n, tries, recordTimeline)
  const stop = stopwatch()
  for (let i = 0; i < n; i++) await sim.invoke('storm', { i }, 'Event')
  await sim.runUntilIdle()
  const { ms, cpuMs } = stop()
  checkStormSinks(n, tries, ok, bad)
  // On: attempt-started, attempt-finished and a terminal per event and attempt, plus accepted, retry-scheduled, delivered.
  if (recordTimeline) check('timeline entries', sim.timeline.length, n * 7.2)
  return { ms, cpuMs, attempts: sum(tries), virtualMs: sim.now() - Date.parse('2026-01-01T00:00:00.000Z') }
}

/** The same attempts, with events accepted in 600 batches spread evenly over `spanMs` of virtual time. */
export async function lambdaSimSpread(lib, n, spanMs) {
  const tries = new Uint8Array(n)
  const { sim, ok, bad } = await stormSimulator(lib, n, tries)
  const batches = 600
  const start = sim.now()
  const stop = stopwatch()
  let i = 0
  for (let b = 0; b < batches; b++) {
    for (const end = Math.floor(((b + 1) * n) / batches); i < end; i++) await sim.invoke('storm', { i }, 'Event')
    await sim.advanceTo(start + Math.round(((b + 1) * spanMs) / batches))
  }
  await sim.runUntilIdle()
  const { ms, cpuMs } = stop()
  checkStormSinks(n, tries, ok, bad)
  return { ms, cpuMs, attempts: sum(tries), virtualMs: sim.now() - start }
}

// ---- floor: a minimal binary-heap event loop, no Lambda semantics -----------------------------------

/** A binary min-heap of `{ at, seq }` entries (the floor's and lambda-work's event queue). */
function timeHeap() {
  const heap = []
  const less = (a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq)
  const push = (e) => {
    let j = heap.length
    heap.push(e)
    while (j > 0) {
      const p = (j - 1) >> 1
      if (!less(e, heap[p])) break
      heap[j] = heap[p]
      j = p
    }
    heap[j] = e
  }
  const pop = () => {
    const top = heap[0]
    const last = heap.pop()
    if (heap.length > 0) {
      let j = 0
      const len = heap.length
      for (;;) {
        let c = 2 * j + 1
        if (c >= len) break
        if (c + 1 < len && less(heap[c + 1], heap[c])) c++
        if (!less(heap[c], last)) break
        heap[j] = heap[c]
        j = c
      }
      heap[j] = last
    }
    return top
  }
  return { heap, push, pop }
}

export async function floorStorm(n) {
  const tries = new Uint8Array(n)
  const handler = stormHandler(tries)
  const { heap, push, pop } = timeHeap()
  let seq = 0
  let successes = 0
  let exhausted = 0
  const stop = stopwatch()
  for (let i = 0; i < n; i++) push({ at: 0, seq: seq++, i, attempt: 1 })
  while (heap.length > 0) {
    const e = pop()
    try {
      await handler({ i: e.i })
      successes++
    } catch {
      if (e.attempt < 3) {
        e.at += e.attempt === 1 ? 60_000 : 120_000
        e.seq = seq++
        e.attempt++
        push(e)
      } else exhausted++
    }
  }
  const { ms, cpuMs } = stop()
  const want = expected(n)
  check('attempts', sum(tries), want.attempts)
  check('successes', successes, want.successes)
  check('exhausted', exhausted, want.exhausted)
  return { ms, cpuMs, attempts: sum(tries) }
}

// ---- the storm's Lambda work, hand-written (a diagnostic, not a target) -----------------------------

/**
 * The least work the storm's Lambda semantics ask for, written out for this one workload like the
 * floor: per event, the JSON snapshot of the payload, a seeded request id and a promise for the
 * caller to await (Invoke is asynchronous); per attempt, the parsed event and a context object; per
 * end, a queue message with its own id and a lazily built destination record. No simulator: no
 * concurrency, timeouts, environments, logs, async context, configuration or validation. It shows
 * how much of lambda-sim's cost over the floor is the work itself.
 */
export async function lambdaWorkStorm(n) {
  const tries = new Uint8Array(n)
  const handler = stormHandler(tries)
  // sfc32 (lambda-sim's generator, a fixed state here) and the uuid layout of lambda-sim's ids.
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = 1
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((((c << 21) | (c >>> 11)) >>> 0) + t) >>> 0
    return t
  }
  const HEX = Buffer.from('0123456789abcdef', 'latin1')
  const out = Buffer.alloc(36)
  const hex = (at, byte) => {
    out[at] = HEX[byte >>> 4]
    out[at + 1] = HEX[byte & 15]
  }
  const uuid = (w0, w1, w2, w3) => {
    for (const [at, word] of [[0, w0], [9, w1], [24, w2], [28, w3]]) {
      if (at === 24) {
        hex(24, (word >>> 8) & 255)
        hex(26, word & 255)
        continue
      }
      hex(at, word >>> 24)
      hex(at + 2, (word >>> 16) & 255)
      if (at === 9) continue
      hex(at + 4, (word >>> 8) & 255)
      hex(at + 6, word & 255)
    }
    out[8] = out[13] = out[18] = out[23] = 45
    out[14] = HEX[4]
    out[15] = HEX[(w1 >>> 8) & 15]
    hex(16, w1 & 255)
    out[19] = HEX[((w2 >>> 28) & 3) | 8]
    out[20] = HEX[(w2 >>> 24) & 15]
    hex(21, (w2 >>> 16) & 255)
    return out.toString('latin1', 0, 36)
  }
  const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:storm'
  const START = Date.parse('2026-01-01T00:00:00.000Z')
  class Message {
    constructor(ev, condition, responseJson, failed, at) {
      this.w0 = u32()
      this.w1 = u32()
      this.w2 = u32()
      this.w3 = u32()
      this.requestId = ev.requestId
      this.eventJson = ev.json
      this.condition = condition
      this.count = ev.attempt
      this.responseJson = responseJson
      this.failed = failed
      this.at = at
    }
    get messageId() {
      return uuid(this.w0, this.w1, this.w2, this.w3)
    }
    get body() {
      return `{"version":"1.0","timestamp":"${new Date(START + this.at).toISOString()}","requestContext":{"requestId":"${this.requestId}","functionArn":"${ARN}:$LATEST","condition":"${this.condition}","approximateInvokeCount":${this.count}},"requestPayload":${this.eventJson},"responseContext":{"statusCode":200,"executedVersion":"$LATEST"${this.failed ? ',"functionError":"Unhandled"' : ''}},"responsePayload":${this.responseJson}}`
    }
  }
  const errorJson = (e) => JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: e.stack.split('\n') })
  const { heap, push, pop } = timeHeap()
  let seq = 0
  let now = 0
  const invoke = (event) => {
    const ev = { at: now, seq: seq++, requestId: uuid(u32(), u32(), u32(), u32()), json: JSON.stringify(event), attempt: 1, error: undefined }
    push(ev)
    return Promise.resolve({ statusCode: 202, requestId: ev.requestId })
  }
  const ok = []
  const bad = []
  const stop = stopwatch()
  for (let i = 0; i < n; i++) await invoke({ i })
  while (heap.length > 0) {
    const e = pop()
    now = e.at
    const deadline = now + 3000
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'storm',
      functionVersion: '$LATEST',
      invokedFunctionArn: ARN,
      memoryLimitInMB: '128',
      awsRequestId: e.requestId,
      logGroupName: '/aws/lambda/storm',
      logStreamName: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
      getRemainingTimeInMillis: () => deadline - now,
    }
    try {
      const result = await handler(JSON.parse(e.json), context)
      ok.push(new Message(e, 'Success', JSON.stringify(result) ?? 'null', false, now))
    } catch (error) {
      e.error = error
      if (e.attempt < 3) {
        e.at += e.attempt === 1 ? 60_000 : 120_000
        e.seq = seq++
        e.attempt++
        push(e)
      } else bad.push(new Message(e, 'RetriesExhausted', errorJson(error), true, now))
    }
  }
  const { ms, cpuMs } = stop()
  checkStormSinks(n, tries, { messages: ok }, { messages: bad })
  return { ms, cpuMs, attempts: sum(tries) }
}

// ---- @sinonjs/fake-timers: setTimeout per retry -------------------------------------------------------

export async function fakeTimersStorm(FakeTimers, n, mode = 'runAllAsync') {
  const tries = new Uint8Array(n)
  const handler = stormHandler(tries)
  const clock = FakeTimers.createClock(0, 100_000_000)
  let successes = 0
  let exhausted = 0
  const attempt = (i, k) => {
    handler({ i }).then(
      () => {
        successes++
      },
      () => {
        if (k < 3) clock.setTimeout(() => attempt(i, k + 1), k === 1 ? 60_000 : 120_000)
        else exhausted++
      },
    )
  }
  const stop = stopwatch()
  for (let i = 0; i < n; i++) clock.setTimeout(() => attempt(i, 1), 0)
  if (mode === 'runAllAsync') await clock.runAllAsync()
  else await clock.runToLastAsync()
  const { ms, cpuMs } = stop()
  const want = expected(n)
  const result = { ms, cpuMs, attempts: sum(tries), successes, exhausted, virtualMs: clock.now }
  if (mode === 'runAllAsync') {
    check('attempts', result.attempts, want.attempts)
    check('successes', successes, want.successes)
    check('exhausted', exhausted, want.exhausted)
  }
  return result
}

// ---- other lambda-sim workloads ----------------------------------------------------------------------

/** Reserved concurrency 10, 10,000 async events, handlers sleeping 2 virtual seconds. */
export async function throttleStorm(lib, n) {
  const sim = lib.createSimulator({ recordTimeline: false })
  const ok = sim.createQueue('on-success')
  const bad = sim.createQueue('on-failure')
  let attempts = 0
  let inFlight = 0
  let maxInFlight = 0
  sim.createFunction('slow', async () => {
    attempts++
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    await sim.sleep(2000)
    inFlight--
    return null
  })
  sim.putFunctionConcurrency('slow', 10)
  sim.putFunctionEventInvokeConfig({ functionName: 'slow', destinationConfig: { onSuccess: { destination: ok.arn }, onFailure: { destination: bad.arn } } })
  const start = sim.now()
  const stop = stopwatch()
  for (let i = 0; i < n; i++) await sim.invoke('slow', { i }, 'Event')
  await sim.runUntilIdle()
  const { ms, cpuMs } = stop()
  check('outcomes', ok.messages.length + bad.messages.length, n)
  check('max concurrency', maxInFlight, 10)
  return { ms, cpuMs, attempts, successes: ok.messages.length, failures: bad.messages.length, virtualMs: sim.now() - start }
}

/**
 * SQS event source mapping draining n messages, 5% of them reported failed (ReportBatchItemFailures)
 * on their first receipt. Needs issue 6's mappings; skipped when they are absent.
 */
export async function sqsDrain(lib, n) {
  const sim = lib.createSimulator({ recordTimeline: false })
  if (typeof sim.createEventSourceMapping !== 'function') return { skipped: 'sim.createEventSourceMapping is not a function (event source mappings, issue 6, not merged yet)' }
  const queue = sim.createQueue('work')
  const seen = new Uint8Array(n)
  let processed = 0
  let attempts = 0
  sim.createFunction('drain', async (event) => {
    const batchItemFailures = []
    for (const r of event.Records) {
      attempts++
      const i = JSON.parse(r.body).i
      if (seen[i]++ === 0 && i % 20 === 0) batchItemFailures.push({ itemIdentifier: r.messageId })
      else processed++
    }
    return { batchItemFailures }
  })
  const stop = stopwatch()
  for (let i = 0; i < n; i++) queue.sendMessage({ body: JSON.stringify({ i }) })
  sim.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: 'drain', batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'] })
  // A mapping polls forever (recurring work), so drive the clock until the queue is empty.
  while (queue.messages.length > 0) await sim.advanceBy(60_000)
  const { ms, cpuMs } = stop()
  check('processed', processed, n)
  return { ms, cpuMs, attempts, messages: n }
}

/** A Kinesis-like stream of 10 shards, n records, every handler call succeeding. Needs issue 6. */
export async function kinesisDrain(lib, n) {
  const sim = lib.createSimulator({ recordTimeline: false })
  if (typeof sim.createEventSourceMapping !== 'function') return { skipped: 'sim.createEventSourceMapping is not a function (event source mappings, issue 6, not merged yet)' }
  if (typeof sim.createStream !== 'function') return { skipped: 'sim.createStream is not a function' }
  const stream = sim.createStream('clicks', { shards: 10 })
  let processed = 0
  sim.createFunction('consume', async (event) => {
    processed += event.Records.length
    return null
  })
  const stop = stopwatch()
  for (let i = 0; i < n; i++) stream.putRecord({ partitionKey: `k${i % 1000}`, data: JSON.stringify({ i }) })
  sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'consume', batchSize: 100, startingPosition: 'TRIM_HORIZON' })
  for (let k = 0; k < 10_000 && processed < n; k++) await sim.advanceBy(1_000)
  const { ms, cpuMs } = stop()
  check('processed', processed, n)
  return { ms, cpuMs, attempts: processed, records: n }
}
