import { describe, expect, it } from 'vitest'
import { createSimulator, type Queue } from '../src/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

describe('recursive loop detection (spec §10)', () => {
  it('a function → queue → same function loop stops at the 17th invocation; the message returns to the queue and reaches its DLQ', async () => {
    const sim = createSimulator()
    let invocations = 0
    const dlq = sim.createQueue('loop-dlq')
    const q: Queue = sim.createQueue('loop', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
    sim.createFunction('looper', async () => {
      invocations++
      q.sendMessage({ body: 'again' })
    })
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'looper', batchSize: 1 })
    q.sendMessage({ body: 'start' })
    await sim.runUntilIdle()
    expect(invocations).toBe(16)
    expect(sim.timeline.ofType('esm').filter((e) => e.action === 'recursion-dropped')).toHaveLength(2)
    expect(dlq.bodies).toEqual(['again'])
    expect(sim.now() - T0).toBe(60_000)
  })

  it('an async self-invoke chain stops at the 17th invocation with a RecursiveInvocationDropped on-failure record and a DLQ message', async () => {
    const sim = createSimulator()
    let invocations = 0
    const onFailure = sim.createQueue('on-failure')
    const dlq = sim.createQueue('dlq')
    sim.createFunction(
      'selfie',
      async (e: { n: number }) => {
        invocations++
        await sim.invoke('selfie', { n: e.n + 1 }, 'Event')
      },
      { deadLetterConfig: { targetArn: dlq.arn } },
    )
    sim.putFunctionEventInvokeConfig({ functionName: 'selfie', destinationConfig: { onFailure: { destination: onFailure.arn } } })
    await sim.invoke('selfie', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(invocations).toBe(16)
    const rec = onFailure.bodies[0] as { requestContext: { condition: string; approximateInvokeCount: number }; requestPayload: { n: number }; responseContext?: unknown }
    expect(rec.requestContext.condition).toBe('RecursiveInvocationDropped')
    expect(rec.requestContext.approximateInvokeCount).toBe(0)
    expect(rec.requestPayload).toEqual({ n: 17 })
    expect(rec.responseContext).toBeUndefined()
    expect(dlq.bodies).toEqual([{ n: 17 }])
    expect(dlq.messages[0]?.messageAttributes['ErrorCode']).toEqual({ dataType: 'Number', stringValue: '400' })
  })

  it('a loop through a topic counts too', async () => {
    const sim = createSimulator()
    let invocations = 0
    const topic = sim.createTopic('loop')
    sim.createFunction('echo', async () => {
      invocations++
      topic.publish({ message: 'again' })
    })
    topic.subscribe('echo')
    topic.publish({ message: 'start' })
    await sim.runUntilIdle()
    expect(invocations).toBe(16)
  })

  it('a synchronous self-invoke chain stops at the 17th invocation: the 16th invocation\'s invoke rejects with RecursiveInvocationException (400)', async () => {
    const sim = createSimulator()
    let invocations = 0
    const errors: unknown[] = []
    sim.createFunction('selfie', async (e: { n: number }) => {
      invocations++
      try {
        return (await sim.invoke('selfie', { n: e.n + 1 })).payload
      } catch (error) {
        errors.push(error)
        return `stopped at ${e.n + 1}`
      }
    })
    const r = await sim.invoke('selfie', { n: 1 })
    expect(invocations).toBe(16)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      name: 'RecursiveInvocationException',
      statusCode: 400,
      message: "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.",
    })
    expect(r.payload).toBe('stopped at 17')
    const warnings = sim.timeline.ofType('warning').filter((w) => w.kind === 'recursive-invocation')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ functionName: 'selfie', details: { invocation: 17 } })
    // With Allow, the same chain is not stopped.
    sim.putFunctionRecursionConfig({ functionName: 'selfie', recursiveLoop: 'Allow' })
    invocations = 0
    sim.createFunction('bounded', async (e: { n: number }): Promise<unknown> => (e.n < 20 ? (await sim.invoke('bounded', { n: e.n + 1 })).payload : e.n))
    sim.putFunctionRecursionConfig({ functionName: 'bounded', recursiveLoop: 'Allow' })
    expect((await sim.invoke('bounded', { n: 1 })).payload).toBe(20)
  })

  it('synchronous and asynchronous hops count in the same chain: 8 async hops then sync hops stop at the 17th invocation', async () => {
    const sim = createSimulator()
    const seen: number[] = []
    let stoppedAt: number | undefined
    sim.createFunction('mixed', async (e: { n: number }) => {
      seen.push(e.n)
      if (e.n < 8) {
        await sim.invoke('mixed', { n: e.n + 1 }, 'Event')
        return
      }
      try {
        await sim.invoke('mixed', { n: e.n + 1 })
      } catch (error) {
        if ((error as Error).name === 'RecursiveInvocationException') stoppedAt = e.n + 1
        else throw error
      }
    })
    await sim.invoke('mixed', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(seen).toEqual(Array.from({ length: 16 }, (_, i) => i + 1))
    expect(stoppedAt).toBe(17)
  })

  it('with RecursiveLoop Allow the loop is not stopped', async () => {
    const sim = createSimulator()
    let invocations = 0
    sim.createFunction('selfie', async (e: { n: number }) => {
      invocations++
      if (e.n < 30) await sim.invoke('selfie', { n: e.n + 1 }, 'Event')
    })
    expect(sim.getFunctionRecursionConfig({ functionName: 'selfie' })).toEqual({ recursiveLoop: 'Terminate' })
    expect(sim.putFunctionRecursionConfig({ functionName: 'selfie', recursiveLoop: 'Allow' })).toEqual({ recursiveLoop: 'Allow' })
    await sim.invoke('selfie', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(invocations).toBe(30)
  })

  it('an invalid recursion config is a ValidationException with the enum text; a qualified name is rejected', () => {
    const sim = createSimulator()
    sim.createFunction('f', async () => undefined)
    expect(() => sim.putFunctionRecursionConfig({ functionName: 'f', recursiveLoop: 'InvalidValue' as never })).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: "1 validation error detected: Value 'InvalidValue' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]" }),
    )
    expect(() => sim.getFunctionRecursionConfig({ functionName: 'f:1' })).toThrow(expect.objectContaining({ name: expect.stringMatching(/Exception$/) }))
  })

  it("a request chain never crosses simulators: what a handler sends to another simulator's queue or function starts a chain there", async () => {
    const a = createSimulator()
    const b = createSimulator()
    const q = b.createQueue('q')
    b.createFunction('g', async () => 'ok')
    // A chain 16 invocations deep in simulator a, each hop sending one message and one async invoke into b.
    let hops = 0
    a.createFunction('f', async () => {
      hops++
      q.sendMessage({ body: String(hops) })
      await b.invoke('g', { hop: hops }, 'Event')
      if (hops < 16) await a.invoke('f', {}, 'Event')
    })
    await a.invoke('f', {}, 'Event')
    await a.runUntilIdle()
    expect(hops).toBe(16)
    expect(q.messages.map((m) => m.chainDepth)).toEqual(new Array(16).fill(0))
    await b.runUntilIdle()
    expect(b.timeline.ofType('terminal').map((e) => e.condition)).toEqual(new Array(16).fill('Success'))
  })

  it('messages sent from test code start a new chain each time', async () => {
    const sim = createSimulator()
    let invocations = 0
    sim.createFunction('consumer', async () => {
      invocations++
    })
    const q = sim.createQueue('jobs')
    sim.createEventSourceMapping({ eventSourceArn: q.arn, functionName: 'consumer', batchSize: 1 })
    for (let i = 0; i < 40; i++) q.sendMessage({ body: String(i) })
    await sim.runUntilIdle()
    expect(invocations).toBe(40)
  })

  it('a loop through the on-failure destination (a topic the function subscribes to) stops at the 17th invocation; the record that 17th stop sends starts an 18th, stopped with no record', async () => {
    const sim = createSimulator()
    const starts: number[] = []
    sim.createFunction('b', async () => {
      starts.push(sim.now() - T0)
      throw new Error('b fails')
    })
    const topic = sim.createTopic('failures')
    topic.subscribe('b')
    sim.putFunctionEventInvokeConfig({ functionName: 'b', destinationConfig: { onFailure: { destination: topic.arn } } })
    await sim.invoke('b', { n: 1 }, 'Event')
    await sim.runUntilIdle()
    // 16 invocations of 3 attempts each (0, 60 and 180 s after each is accepted), one after another.
    expect(starts).toHaveLength(48)
    expect(starts.slice(0, 6)).toEqual([0, 60_000, 180_000, 180_000, 240_000, 360_000])
    expect(starts.at(-1)).toBe(15 * 180_000 + 180_000)
    const terminals = sim.timeline.ofType('terminal')
    expect(terminals.map((t) => t.condition)).toEqual([...Array<string>(16).fill('RetriesExhausted'), 'RecursiveInvocationDropped', 'RecursiveInvocationDropped'])
    expect(terminals.at(-1)?.reason).toBe('Request chain already stopped at invocation 17: no record sent again')
    expect(terminals.at(-2)?.reason).toBeUndefined()
    // 16 failure records and the 17th stop's record; none for the 18th.
    expect(topic.messages).toHaveLength(17)
    expect((JSON.parse(topic.messages[16]?.message as string) as { requestContext: { condition: string } }).requestContext.condition).toBe('RecursiveInvocationDropped')
    expect(sim.now() - T0).toBe(16 * 180_000)
  })

  it("an on-success loop through function destinations (a → b → a) stops at a's 17th invocation (the chain's 33rd)", async () => {
    const sim = createSimulator()
    const ran: string[] = []
    sim.createFunction('a', async () => {
      ran.push('a')
      return 'a done'
    })
    sim.createFunction('b', async () => {
      ran.push('b')
      return 'b done'
    })
    const arn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`
    sim.putFunctionEventInvokeConfig({ functionName: 'a', destinationConfig: { onSuccess: { destination: arn('b') } } })
    sim.putFunctionEventInvokeConfig({ functionName: 'b', destinationConfig: { onSuccess: { destination: arn('a') } } })
    await sim.invoke('a', {}, 'Event')
    await sim.runUntilIdle()
    expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 'a' : 'b')))
    expect(sim.timeline.ofType('terminal').map((t) => `${t.functionName}:${t.condition}`)).toEqual([...Array.from({ length: 32 }, (_, i) => `${i % 2 === 0 ? 'a' : 'b'}:Success`), 'a:RecursiveInvocationDropped'])
    expect(sim.now()).toBe(T0)
  })

  it("a destination record and a dead-letter message carry their event's place in its request chain", async () => {
    const sim = createSimulator()
    const records = sim.createQueue('records')
    const dlq = sim.createQueue('dlq')
    sim.createFunction('fails', async () => {
      throw new Error('no')
    }, { deadLetterConfig: { targetArn: dlq.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'fails', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: records.arn } } })
    sim.createFunction('caller', async () => {
      await sim.invoke('fails', {}, 'Event')
    })
    await sim.invoke('fails', {}, 'Event')
    await sim.invoke('caller', {}, 'Event')
    await sim.runUntilIdle()
    // The first event is invocation 1 of its chain; the one invoked from the caller's handler is invocation 2.
    expect(records.messages.map((m) => m.chainDepth)).toEqual([1, 2])
    expect(dlq.messages.map((m) => m.chainDepth)).toEqual([1, 2])
  })

  it("a stream mapping's on-failure record, for exhausted retries or for records too old, continues the chain of the invocation that read them", async () => {
    const sim = createSimulator()
    const stream = sim.createStream('clicks')
    const failures = sim.createQueue('failures')
    sim.createFunction('consumer', async () => {
      throw new Error('bad batch')
    })
    sim.createFunction('writer', async () => {
      stream.putRecord({ partitionKey: 'k', data: 'from a handler' })
    })
    const esm = sim.createEventSourceMapping({ eventSourceArn: stream.arn, functionName: 'consumer', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: failures.arn } } })
    stream.putRecord({ partitionKey: 'k', data: 'from test code' })
    await sim.runUntilIdle()
    await sim.invoke('writer', {}, 'Event')
    await sim.runUntilIdle()
    // Records older than the maximum age are discarded by the poller itself, outside any handler.
    sim.updateEventSourceMapping({ uuid: esm.uuid, maximumRetryAttempts: -1, maximumRecordAgeInSeconds: 60 })
    await sim.invoke('writer', {}, 'Event')
    await sim.runUntilIdle()
    // Test code's record is read by invocation 1 of a chain; the writer is invocation 1, so its record is read by invocation 2.
    expect(failures.messages.map((m) => [(JSON.parse(m.body) as { requestContext: { condition: string } }).requestContext.condition, m.chainDepth])).toEqual([
      ['RetryAttemptsExhausted', 1],
      ['RetryAttemptsExhausted', 2],
      ['RecordAgeExceeded', 2],
    ])
  })

  it("a duplicate delivery runs at its event's place in the request chain", async () => {
    const sim = createSimulator()
    const sent = sim.createQueue('sent')
    sim.createFunction('worker', async () => {
      sent.sendMessage({ body: 'from worker' })
    })
    let workerRequestId = ''
    sim.createFunction('caller', async () => {
      workerRequestId = (await sim.invoke('worker', {}, 'Event')).requestId
      sim.deliverDuplicate(workerRequestId, { when: 'now', delayMs: 1000 })
    })
    await sim.invoke('caller', {}, 'Event')
    await sim.runUntilIdle()
    // The worker is invocation 2 of the chain, and so is its duplicate: both messages are sent from depth 2.
    expect(sim.timeline.ofType('attempt-started').filter((e) => e.requestId === workerRequestId).map((e) => e.duplicate === true)).toEqual([false, true])
    expect(sent.messages.map((m) => m.chainDepth)).toEqual([2, 2])
  })

  describe('the count is per function in the chain (AWS Lineage: one entry per function)', () => {
    it("a two-function loop through queues (a → q-b → b → q-a → a) stops at a's 17th invocation: a and b run 16 times each", async () => {
      const sim = createSimulator()
      const ran: string[] = []
      const dlq = sim.createQueue('to-a-dlq')
      const toA = sim.createQueue('to-a', { visibilityTimeout: 30, redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 } })
      const toB = sim.createQueue('to-b')
      sim.createFunction('a', async () => {
        ran.push('a')
        toB.sendMessage({ body: `a${ran.length}` })
      })
      sim.createFunction('b', async () => {
        ran.push('b')
        toA.sendMessage({ body: `b${ran.length}` })
      })
      const esmA = sim.createEventSourceMapping({ eventSourceArn: toA.arn, functionName: 'a', batchSize: 1 })
      sim.createEventSourceMapping({ eventSourceArn: toB.arn, functionName: 'b', batchSize: 1 })
      toA.sendMessage({ body: 'start' })
      await sim.runUntilIdle()
      expect(ran.filter((f) => f === 'a')).toHaveLength(16)
      expect(ran.filter((f) => f === 'b')).toHaveLength(16)
      expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 'a' : 'b')))
      // b's 16th message is a's 17th invocation: not processed, returned twice, then redriven.
      const drops = sim.timeline.ofType('esm').filter((e) => e.action === 'recursion-dropped')
      expect(drops.map((e) => [e.mappingId, e.functionName])).toEqual([[esmA.uuid, 'a'], [esmA.uuid, 'a']])
      expect(dlq.bodies).toEqual(['b32'])
      expect(dlq.messages.map((m) => [m.lineage.toString(), m.chainDepth])).toEqual([['a:16|b:16', 32]])
      expect(sim.now() - T0).toBe(60_000)
    })

    it("a two-function async loop stops at a's 17th invocation with a RecursiveInvocationDropped on-failure record", async () => {
      const sim = createSimulator()
      const ran: string[] = []
      const onFailure = sim.createQueue('on-failure')
      for (const [self, other] of [['a', 'b'], ['b', 'a']] as const) {
        sim.createFunction(self, async (e: { n: number }) => {
          ran.push(`${self}${e.n}`)
          await sim.invoke(other, { n: e.n + 1 }, 'Event')
        })
        sim.putFunctionEventInvokeConfig({ functionName: self, destinationConfig: { onFailure: { destination: onFailure.arn } } })
      }
      await sim.invoke('a', { n: 1 }, 'Event')
      await sim.runUntilIdle()
      expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => `${i % 2 === 0 ? 'a' : 'b'}${i + 1}`))
      expect(sim.timeline.ofType('terminal').map((t) => `${t.functionName}:${t.condition}`).slice(-2)).toEqual(['b:Success', 'a:RecursiveInvocationDropped'])
      expect(onFailure.messages).toHaveLength(1)
      const rec = onFailure.bodies[0] as { requestContext: { condition: string; approximateInvokeCount: number; functionArn: string }; requestPayload: { n: number }; responseContext?: unknown }
      expect(rec.requestContext).toMatchObject({ condition: 'RecursiveInvocationDropped', approximateInvokeCount: 0, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:a:$LATEST' })
      expect(rec.requestPayload).toEqual({ n: 33 })
      expect(rec.responseContext).toBeUndefined()
      // The record continues the chain with a's stopped invocation counted in.
      expect(onFailure.messages.map((m) => [m.lineage.toString(), m.chainDepth])).toEqual([['a:17|b:16', 33]])
    })

    it("Allow on one function of a two-function loop: a (Allow) runs its 17th invocation, b's 17th is stopped", async () => {
      const sim = createSimulator()
      const ran: string[] = []
      for (const [self, other] of [['a', 'b'], ['b', 'a']] as const) {
        sim.createFunction(self, async () => {
          ran.push(self)
          await sim.invoke(other, {}, 'Event')
        })
      }
      sim.putFunctionRecursionConfig({ functionName: 'a', recursiveLoop: 'Allow' })
      await sim.invoke('a', {}, 'Event')
      await sim.runUntilIdle()
      expect(ran).toEqual(Array.from({ length: 33 }, (_, i) => (i % 2 === 0 ? 'a' : 'b')))
      expect(sim.timeline.ofType('terminal').filter((t) => t.condition === 'RecursiveInvocationDropped').map((t) => t.functionName)).toEqual(['b'])
    })

    it("a synchronous chain alternating two functions: b's 16th invocation's invoke of a (a's 17th) rejects with RecursiveInvocationException", async () => {
      const sim = createSimulator()
      const ran: string[] = []
      const errors: unknown[] = []
      for (const [self, other] of [['a', 'b'], ['b', 'a']] as const) {
        sim.createFunction(self, async (e: { n: number }): Promise<unknown> => {
          ran.push(`${self}${e.n}`)
          try {
            return (await sim.invoke(other, { n: e.n + 1 })).payload
          } catch (error) {
            errors.push(error)
            return `stopped at ${other}${e.n + 1}`
          }
        })
      }
      const r = await sim.invoke('a', { n: 1 })
      expect(ran).toEqual(Array.from({ length: 32 }, (_, i) => `${i % 2 === 0 ? 'a' : 'b'}${i + 1}`))
      expect(r.payload).toBe('stopped at a33')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatchObject({ name: 'RecursiveInvocationException', statusCode: 400 })
      const warnings = sim.timeline.ofType('warning').filter((w) => w.kind === 'recursive-invocation')
      expect(warnings.map((w) => [w.functionName, w.message, w.details])).toEqual([
        ['a', 'Invocation 17 of a in a request chain was stopped: a was invoked more than 16 times in one chain (invocations so far: a:16|b:16)', { requestId: warnings[0]?.requestId, functionName: 'a', invocation: 17, chainInvocation: 33 }],
      ])
    })
  })
})
