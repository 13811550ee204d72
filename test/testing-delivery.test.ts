import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createSimulator, SimulatorError, type SimEvent } from '../src/index.js'
import { expectAttempts, expectEveryEventSettled, expectOutcome, expectRecord, LambdaSimAssertionError } from '../src/testing/index.js'

const start = Date.parse('2026-01-01T00:00:00.000Z')

describe('duplicate deliveries', () => {
  test('deliverDuplicate finds an event wherever it waits: queued, running, handled (observers of its attempts, retries and throttles), or taken unfired from the queue by a runaway loop; not once it has ended', async () => {
    const sim = createSimulator({ seed: 3 })
    let calls = 0
    sim.createFunction('h', async () => {
      if (calls++ < 2) throw new Error('first')
      await sim.sleep(1000)
    })
    sim.putFunctionConcurrency('h', 1)
    const answers: string[] = []
    const ask = (where: string, requestId: string): void => {
      try {
        sim.deliverDuplicate(requestId, { delayMs: 5 })
        answers.push(`${where} ok`)
      } catch (error) {
        answers.push(`${where} refused: ${(error as Error).message.includes('no accepted async event with that request id is waiting') ? 'not waiting' : String(error)}`)
      }
    }
    const asked = new Set<string>()
    for (const type of ['attempt-started', 'attempt-finished', 'retry-scheduled', 'throttled', 'terminal'] as const) {
      sim.on(type, (e: SimEvent) => {
        const key = `${type} ${(e as { requestId: string }).requestId}`
        if ((e as { duplicate?: boolean }).duplicate === true || asked.has(key)) return
        asked.add(key)
        ask(type, (e as { requestId: string }).requestId)
      })
    }
    const first = (await sim.invoke('h', { i: 0 }, 'Event')).requestId
    ask('queued', first)
    await sim.invoke('h', { i: 1 }, 'Event')
    await sim.runUntilIdle()
    // (The answers of the build before events stopped being kept in a list of pending events.)
    expect(answers).toEqual([
      'queued ok',
      'attempt-started ok',
      'attempt-finished ok',
      'retry-scheduled ok',
      'attempt-started ok',
      'attempt-finished ok',
      'retry-scheduled ok',
      'throttled ok',
      'terminal refused: not waiting',
      'throttled refused: not waiting',
      'terminal refused: not waiting',
    ])

    const looping = createSimulator({ loopLimit: 2 })
    let running: string[] = []
    looping.createFunction('g', async (_e: unknown, ctx: { awsRequestId: string }) => {
      looping.deliverDuplicate(ctx.awsRequestId, { when: 'now', delayMs: 60_000 })
      running.push('running ok')
    })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await looping.invoke('g', { i }, 'Event')).requestId)
    await expect(looping.runUntilIdle()).rejects.toMatchObject({ code: 'RunawayLoop' })
    expect(running).toEqual(['running ok', 'running ok'])
    running = []
    // The third event was taken from the queue and never fired: it has no outcome yet.
    expect(() => looping.deliverDuplicate(ids[2] as string)).not.toThrow()
    expect(() => looping.deliverDuplicate(ids[0] as string)).toThrow('no accepted async event with that request id is waiting')
    expect(() => looping.deliverDuplicate(ids[1] as string)).toThrow('no accepted async event with that request id is waiting')
  })

  test('deliverDuplicate after success runs the event again delayMs after its success, with the same request id, and the event still ends once', async () => {
    const sim = createSimulator()
    const seen: string[] = []
    sim.createFunction('f', async (_e: unknown, ctx: { awsRequestId: string }) => {
      seen.push(`${sim.now() - start}:${ctx.awsRequestId}`)
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    sim.deliverDuplicate(requestId, { delayMs: 5_000 })
    await sim.runUntilIdle()
    expect(seen).toEqual([`0:${requestId}`, `5000:${requestId}`])
    expect(sim.timeline.ofType('duplicate')).toEqual([{ type: 'duplicate', time: start, requestId, functionName: 'f', attempt: 2, delayMs: 5000, mode: 'after-success' }])
    expectAttempts(sim, requestId).at([0]).count(1)
    expectAttempts(sim, requestId).includingDuplicates().at([0, 5_000]).outcomes(['success', 'success'])
    expectOutcome(sim, requestId).is('Success')
    expectEveryEventSettled(sim)
  })

  test("deliverDuplicate when: 'now' runs a concurrent copy alongside the original's first attempt", async () => {
    const sim = createSimulator()
    let running = 0
    let most = 0
    sim.createFunction('f', async () => {
      running++
      most = Math.max(most, running)
      await sim.sleep(100)
      running--
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    sim.deliverDuplicate(requestId, { when: 'now' })
    await sim.runUntilIdle()
    expect(most).toBe(2)
    expect(sim.now()).toBe(start + 100)
    expectAttempts(sim, requestId).includingDuplicates().at([0, 0])
    expect(sim.timeline.ofType('terminal')).toHaveLength(1)
  })

  test('a duplicate of an event that never succeeds is never delivered (after-success)', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw new Error('no')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    sim.deliverDuplicate(requestId)
    await sim.runUntilIdle()
    expectAttempts(sim, requestId).includingDuplicates().at([0, 60_000, 180_000]).outcomes(['error', 'error', 'error'])
    expectOutcome(sim, requestId).is('RetriesExhausted')
    expect(sim.timeline.ofType('duplicate')).toEqual([])
  })

  test('deliverDuplicate of an unknown or finished request throws SimulatorError naming the id', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {})
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(() => sim.deliverDuplicate(requestId)).toThrow(`Cannot deliver a duplicate of "${requestId}": no accepted async event with that request id is waiting for its outcome`)
    expect(() => sim.deliverDuplicate('x', { delayMs: -1 })).toThrow('Invalid option deliverDuplicate delayMs: expected an integer from 0 to 21600000 (ms), got -1')
    expect(() => sim.deliverDuplicate('x', { when: 'later' as never })).toThrow('Invalid deliverDuplicate when: expected "after-success" or "now", got "later"')
  })

  test('deliverDuplicate of an event that already ended, or of a synchronous invocation, says which and what to do', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {})
    await sim.advanceBy(1_500)
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(() => sim.deliverDuplicate(requestId)).toThrow(
      `Cannot deliver a duplicate of "${requestId}": no accepted async event with that request id is waiting for its outcome: it already ended (Success at 2026-01-01T00:00:01.500Z); call deliverDuplicate right after the invoke that accepted it`,
    )
    const sync = await sim.invoke('f', {})
    expect(() => sim.deliverDuplicate(sync.requestId)).toThrow(
      `Cannot deliver a duplicate of "${sync.requestId}": no accepted async event with that request id is waiting for its outcome: it is a synchronous (RequestResponse) invocation, and only asynchronous (Event) invocations are delivered more than once`,
    )
    expect(() => sim.deliverDuplicate('nope')).toThrow(/^Cannot deliver a duplicate of "nope": no accepted async event with that request id is waiting for its outcome$/)
  })

  test('a duplicate that is throttled until the event is too old just ends: the event keeps its single Success outcome', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {})
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    sim.deliverDuplicate(requestId, { delayMs: 1_000 })
    await sim.advanceBy(500)
    sim.putFunctionConcurrency('f', 0)
    await sim.runUntilIdle()
    expectOutcome(sim, requestId).is('Success')
    expectEveryEventSettled(sim)
  })
})

describe('drops (opt-in)', () => {
  test('with drops.whenQueueDepthExceeds 2, the third event in flight is dropped: terminal Dropped with the reason, no attempt, no destination', async () => {
    const sim = createSimulator({ drops: { whenQueueDepthExceeds: 2 } })
    const failures = sim.createQueue('failures')
    sim.createFunction('f', async () => {
      await sim.sleep(1_000)
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: failures.arn } } })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await sim.invoke('f', { i }, 'Event')).requestId)
    await sim.runUntilIdle()
    expectOutcome(sim, ids[0] as string).is('Success')
    expectOutcome(sim, ids[1] as string).is('Success')
    const dropped = expectOutcome(sim, ids[2] as string).is('Dropped')
    expect(dropped).toEqual({ type: 'terminal', time: start, requestId: ids[2], functionName: 'f', condition: 'Dropped', approximateInvokeCount: 0, reason: 'Queue depth 3 exceeded drops.whenQueueDepthExceeds (2): the function could not keep up' })
    expectAttempts(sim, ids[2] as string).count(0)
    expectRecord(failures).count(0)
    // Once the backlog has drained, new events are accepted again.
    const later = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expectOutcome(sim, later.requestId).is('Success')
    expectEveryEventSettled(sim)
  })

  test('drops.probability drops a seeded share of events; the same seed drops the same ones', async () => {
    const run = async (): Promise<string[]> => {
      const sim = createSimulator({ seed: 5, drops: { probability: 0.5 } })
      sim.createFunction('f', async () => {})
      for (let i = 0; i < 40; i++) await sim.invoke('f', { i }, 'Event')
      await sim.runUntilIdle()
      expectEveryEventSettled(sim)
      return sim.timeline.ofType('terminal').map((t) => `${t.condition}${t.reason === undefined ? '' : `: ${t.reason}`}`)
    }
    const a = await run()
    const dropped = a.filter((c) => c.startsWith('Dropped'))
    expect(dropped.length).toBeGreaterThan(5)
    expect(dropped.length).toBeLessThan(35)
    expect(dropped[0]).toBe('Dropped: Dropped at random (drops.probability 0.5): the function could not keep up')
    expect(await run()).toEqual(a)
  })

  test('bad drops options name the field and the allowed range', () => {
    expect(() => createSimulator({ drops: { whenQueueDepthExceeds: 0 } })).toThrow('Invalid option drops.whenQueueDepthExceeds: expected an integer from 1 to 9007199254740991 (events), got 0')
    expect(() => createSimulator({ drops: { probability: 2 } })).toThrow('Invalid option drops.probability: expected a number from 0 to 1, got 2')
    expect(() => createSimulator({ drops: {} })).toThrow('Invalid option drops: give whenQueueDepthExceeds, probability, or both')
    expect(() => createSimulator({ drops: { depth: 1 } as never })).toThrow('Unknown option "depth" for drops; allowed: whenQueueDepthExceeds, probability')
  })
})

describe('assertion helpers', () => {
  test('expectAttempts(...).at() reads the offsets after acceptance and explains a mismatch', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw new Error('boom')
    })
    await sim.advanceBy(1_000)
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expectAttempts(sim, requestId).at([0, 60_000, 180_000]).count(3).outcomes(['error', 'error', 'error'])
    expect(() => expectAttempts(sim, requestId).at([0, 60_000])).toThrow(`Expected the attempts of request ${requestId} at +0ms, +1m0s after acceptance; they started at +0ms, +1m0s, +3m0s`)
    expect(() => expectAttempts(sim, requestId).count(2)).toThrow(LambdaSimAssertionError)
    expect(() => expectAttempts(sim, 'nope')).toThrow('Expected request nope on the timeline, but the timeline has no entry for it')
  })

  test('expectAttempts on an async event that has not ended yet says so and how to run it, as expectOutcome does', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      throw new Error('boom')
    })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    const hint = ': the event has not ended yet (advance the clock, or runUntilIdle(), first)'
    expect(() => expectAttempts(sim, requestId).at([0])).toThrow(`Expected the attempts of request ${requestId} at +0ms after acceptance; they started at none${hint}`)
    await sim.advanceBy(1)
    expect(() => expectAttempts(sim, requestId).count(3)).toThrow(`Expected 3 attempts of request ${requestId}; there was 1 (started at +0ms after acceptance)${hint}`)
    expect(() => expectAttempts(sim, requestId).outcomes(['error', 'error', 'error'])).toThrow(`Expected the attempts of request ${requestId} to end ["error","error","error"]; they ended ["error"] (at +0ms after acceptance)${hint}`)
    await sim.runUntilIdle()
    expect(() => expectAttempts(sim, requestId).count(2)).toThrow(`Expected 2 attempts of request ${requestId}; there were 3 (started at +0ms, +1m0s, +3m0s after acceptance)`)
  })

  test('expectAttempts without includingDuplicates(): a failed check says which duplicate attempts it left out and how to count them', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    const { requestId } = await sim.invoke('f', {}, 'Event')
    sim.deliverDuplicate(requestId, { delayMs: 5_000 })
    await sim.runUntilIdle()
    const note = '; 1 duplicate attempt (at +5s) left out: use includingDuplicates() to count it'
    expect(() => expectAttempts(sim, requestId).at([0, 5_000])).toThrow(`Expected the attempts of request ${requestId} at +0ms, +5s after acceptance; they started at +0ms${note}`)
    expect(() => expectAttempts(sim, requestId).count(2)).toThrow(`Expected 2 attempts of request ${requestId}; there was 1 (started at +0ms after acceptance)${note}`)
    expect(() => expectAttempts(sim, requestId).outcomes(['success', 'success'])).toThrow(`Expected the attempts of request ${requestId} to end ["success","success"]; they ended ["success"] (at +0ms after acceptance)${note}`)
    expectAttempts(sim, requestId).includingDuplicates().at([0, 5_000]).count(2)
    expect(() => expectAttempts(sim, requestId).includingDuplicates().count(3)).toThrow(`Expected 3 attempts of request ${requestId} (with duplicates); there were 2 (started at +0ms, +5s after acceptance)`)
  })

  test('expectRecord on a dead-letter queue says its messages are not invocation records and where the DLQ message is, not only that it holds none', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    sim.createFunction('f', async () => {
      throw new Error('boom')
    }, { deadLetterConfig: { targetArn: dlq.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    const dlqHint = 'it holds no invocation record, and 1 message that is not one: a dead-letter queue receives the event itself, with RequestID, ErrorCode and ErrorMessage attributes (read queue.messages)'
    expect(() => expectRecord(dlq).withCondition('RetriesExhausted')).toThrow(`Expected one record with condition RetriesExhausted; found 0: ${dlqHint}`)
    expect(() => expectRecord(dlq).count(1)).toThrow(`Expected 1 invocation record; ${dlqHint}`)
    const other = sim.createQueue('other')
    other.sendMessage({ body: 'hello' })
    expect(() => expectRecord(other).count(1)).toThrow('Expected 1 invocation record; it holds no invocation record, and 1 message that is not one')
    expect(() => expectRecord(sim.createQueue('empty')).count(1)).toThrow(/^Expected 1 invocation record; it holds no invocation record$/)
  })

  test('expectRecord(queue).withCondition finds the one record and lists what is there when it is missing', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('failures')
    sim.createFunction('f', async () => {
      throw new Error('boom')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 1, destinationConfig: { onFailure: { destination: q.arn } } })
    const { requestId } = await sim.invoke('f', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    const record = expectRecord(q).count(1).withCondition('RetriesExhausted', { requestId, approximateInvokeCount: 2 })
    expect(record.requestPayload).toEqual({ n: 1 })
    expect(() => expectRecord(q).withCondition('EventAgeExceeded')).toThrow(`Expected one record with condition EventAgeExceeded; found 0: it holds RetriesExhausted (${requestId}, count 2, at 2026-01-01T00:01:00.000Z)`)
    expect(expectRecord([q.messages[0]?.body as string]).withCondition('RetriesExhausted').requestContext.requestId).toBe(requestId)
  })

  test('expectOutcome and expectEveryEventSettled explain what they saw', () => {
    const entries: SimEvent[] = [
      { type: 'accepted', time: 0, requestId: 'r1', functionName: 'f', qualifier: '$LATEST', invocationType: 'Event' },
      { type: 'terminal', time: 1, requestId: 'r1', functionName: 'f', condition: 'Success', approximateInvokeCount: 1 },
      { type: 'accepted', time: 0, requestId: 'r2', functionName: 'f', qualifier: '$LATEST', invocationType: 'Event' },
    ]
    expect(() => expectOutcome(entries, 'r1').is('RetriesExhausted')).toThrow('Expected request r1 to end with RetriesExhausted; it ended with Success')
    expect(() => expectOutcome(entries, 'r2').is('Success')).toThrow('Expected request r2 to end once with Success; it has 0 terminal outcomes: the event has not ended yet (advance the clock, or runUntilIdle(), first)')
    expect(() => expectOutcome(entries, 'r3').is('Success')).toThrow('Expected request r3 to end once with Success; it has 0 terminal outcomes: no accepted event has this request id on the timeline')
    expect(() => expectEveryEventSettled(entries)).toThrow('Expected every accepted event to end exactly once; r2 has 0 terminal outcomes')
  })

  test('expectEveryEventSettled on events that have not ended yet says so and how to run them, as expectOutcome does', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    const a = await sim.invoke('f', {}, 'Event')
    const b = await sim.invoke('f', {}, 'Event')
    expect(() => expectEveryEventSettled(sim)).toThrow(
      new RegExp(`^Expected every accepted event to end exactly once; ${a.requestId} has 0 terminal outcomes; ${b.requestId} has 0 terminal outcomes: an event with 0 has not ended yet \\(advance the clock, or runUntilIdle\\(\\), first\\)$`),
    )
    await sim.runUntilIdle()
    expectEveryEventSettled(sim)
  })

  test('expectOutcome on a synchronous invocation says that only async events have a terminal outcome (it said only "0 terminal outcomes")', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    const { requestId } = await sim.invoke('f', {})
    expect(() => expectOutcome(sim, requestId).is('Success')).toThrow(
      `Expected request ${requestId} to end once with Success; it has 0 terminal outcomes: it is a synchronous (RequestResponse) invocation, and only asynchronous (Event) invocations have a terminal outcome; assert on the response, or with expectAttempts`,
    )
    expectAttempts(sim, requestId).count(1).outcomes(['success'])
  })
})

describe('timelines', () => {
  async function scenario(seed: number): Promise<ReturnType<typeof createSimulator>> {
    const sim = createSimulator({ seed })
    const failures = sim.createQueue('failures')
    sim.createFunction('pay', async (e: { fail?: boolean }) => {
      await sim.sleep(12)
      if (e.fail === true) throw new Error('card declined')
      return 'ok'
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'pay', destinationConfig: { onFailure: { destination: failures.arn } } })
    await sim.invoke('pay', { fail: true }, 'Event')
    const ok = await sim.invoke('pay', {}, 'Event')
    sim.deliverDuplicate(ok.requestId, { delayMs: 5_000 })
    await sim.runUntilIdle()
    return sim
  }

  test('render() draws one lane per request, then each request in words (snapshot)', async () => {
    const sim = await scenario(1)
    expect(sim.timeline.render()).toMatchInlineSnapshot(`
      "lambda-sim timeline: 2 requests, offsets from 2026-01-01T00:00:00.000Z

      request       +0ms  +12ms             +5.012s  +5.024s  +1m0.012s  +1m0.024s  +3m0.024s  +3m0.036s
      pay 6cf764cf  > #1--x...................................#2---------x..........#3---------x =RetriesExhausted ->on-failure
      pay f747e6eb  > #1--ok =Success +dup  #2d------ok

      pay 6cf764cf-ca59-43c5-b0e6-58c6862c38f0
        +0ms       accepted (Event, $LATEST)
        +0ms       attempt 1 started (cold start)
        +12ms      attempt 1 failed after 12ms: Error: card declined
        +12ms      retry (attempt 2) in 1m0s, at +1m0.012s
        +1m0.012s  attempt 2 started
        +1m0.024s  attempt 2 failed after 12ms: Error: card declined
        +1m0.024s  retry (attempt 3) in 2m0s, at +3m0.024s
        +3m0.024s  attempt 3 started
        +3m0.036s  attempt 3 failed after 12ms: Error: card declined
        +3m0.036s  terminal RetriesExhausted after 3 attempts
        +3m0.036s  delivered on-failure to arn:aws:sqs:us-east-1:123456789012:failures

      pay f747e6eb-f1bc-4746-8031-cfb8dbfdcec2
        +0ms     accepted (Event, $LATEST)
        +0ms     attempt 1 started (cold start)
        +12ms    attempt 1 succeeded after 12ms
        +12ms    terminal Success after 1 attempt
        +12ms    duplicate delivery (after-success) in 5s
        +5.012s  duplicate attempt 2 started
        +5.024s  duplicate attempt 2 succeeded after 12ms
      "
    `)
  })

  test('toMermaid() gives a gantt chart: bars per attempt, milestones for outcomes and deliveries (snapshot)', async () => {
    const sim = await scenario(1)
    expect(sim.timeline.toMermaid({ title: 'pay: retries' })).toMatchInlineSnapshot(`
      "gantt
        title pay retries
        dateFormat x
        axisFormat %H:%M:%S
        section pay 6cf764cf
          attempt 1 Error : crit, r0a0, 1767225600000, 1767225600012
          attempt 2 Error : crit, r0a1, 1767225660012, 1767225660024
          attempt 3 Error : crit, r0a2, 1767225780024, 1767225780036
          RetriesExhausted : milestone, r0m3, 1767225780036, 1767225780036
          on-failure to failures : milestone, r0m4, 1767225780036, 1767225780036
        section pay f747e6eb
          attempt 1 ok : done, r1a0, 1767225600000, 1767225600012
          Success : milestone, r1m1, 1767225600012, 1767225600012
          duplicate scheduled (after-success) : milestone, r1m2, 1767225600012, 1767225600012
          duplicate attempt 2 ok : done, r1a3, 1767225605012, 1767225605024
      "
    `)
  })

  test('render({ details: false }) draws only the chart; a sync invocation is a lane too', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => {
      await sim.sleep(1_500)
    })
    await sim.invoke('f', {})
    expect(sim.timeline.render({ details: false })).toBe(
      ['lambda-sim timeline: 1 request, offsets from 2026-01-01T00:00:00.000Z', '', 'request     +0ms  +1.5s', 'f 6cf764cf  #1----ok', ''].join('\n'),
    )
    expect(createSimulator().timeline.render()).toBe('lambda-sim timeline: 0 requests, offsets from 2026-01-01T00:00:00.000Z\n')
  })

  test('render and toMermaid refuse a requestIds entry that is on no timeline entry (they drew an empty "? <id>" lane), and name the full id when it is the 8-character prefix the chart shows', async () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => 'ok')
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    const short = requestId.slice(0, 8)
    expect(() => sim.timeline.render({ requestIds: [short] })).toThrow(
      new SimulatorError('InvalidOption', `Invalid timeline.render requestIds: "${short}" is on no timeline entry; the chart shows the first 8 characters of a request id: did you mean "${requestId}"?`),
    )
    expect(() => sim.timeline.toMermaid({ requestIds: [requestId, 'nope'] })).toThrow(
      new SimulatorError('InvalidOption', 'Invalid timeline.toMermaid requestIds: "nope" is on no timeline entry (the timeline has 1 request)'),
    )
    expect(sim.timeline.render({ requestIds: [requestId], details: false })).toBe(
      ['lambda-sim timeline: 1 request, offsets from 2026-01-01T00:00:00.000Z', '', 'request     +0ms', 'f 6cf764cf  > #1 ok =Success', ''].join('\n'),
    )
  })

  test('render() words an expiry decided by the age look-ahead as the next attempt being past the maximum age, not as an age below it being too old', async () => {
    const sim = createSimulator({ throttleJitter: false })
    sim.createFunction('f', async () => {
      throw new Error('down')
    })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 90 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    const lines = sim.timeline.render().split('\n')
    // attempt 2 fails at +60 s; attempt 3 would start at +180 s, past 90 s: the event ends at +60 s, aged 60 s
    expect(lines.filter((l) => l.includes('too old'))).toEqual([
      '  +1m0s  event too old for its next attempt: at +3m0s it would be 3m0s old, past the maximum age 1m30s',
    ])
    // a dequeue that finds the event already at its age (the age was lowered while its retry waited) keeps the plain wording
    const late = createSimulator()
    late.createFunction('g', async () => {
      throw new Error('down')
    })
    await late.invoke('g', {}, 'Event')
    await late.advanceBy(1)
    late.putFunctionEventInvokeConfig({ functionName: 'g', maximumEventAgeInSeconds: 60 })
    await late.runUntilIdle()
    expect(late.timeline.render().split('\n').filter((l) => l.includes('too old'))).toEqual(['  +1m0s  event too old: age 1m0s of at most 1m0s'])
  })

  test('property: identical seeds give identical JSON timelines (and pictures)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.array(fc.record({ fail: fc.boolean(), at: fc.nat(200_000), dup: fc.boolean() }), { minLength: 1, maxLength: 5 }), async (seed, plan) => {
        const run = async (): Promise<[string, string]> => {
          const sim = createSimulator({ seed, duplicates: { probability: 0.3, delayMs: 10 } })
          sim.createFunction('f', async (e: { fail: boolean }) => {
            await sim.sleep(7)
            if (e.fail) throw new Error('x')
          })
          for (const p of [...plan].sort((a, b) => a.at - b.at)) {
            await sim.advanceTo(start + p.at)
            const { requestId } = await sim.invoke('f', p, 'Event')
            if (p.dup) sim.deliverDuplicate(requestId, { when: 'now', delayMs: 3 })
          }
          await sim.runUntilIdle()
          expectEveryEventSettled(sim)
          return [JSON.stringify(sim.timeline), sim.timeline.render() + sim.timeline.toMermaid()]
        }
        expect(await run()).toEqual(await run())
      }),
      { numRuns: 40 },
    )
  })
})
