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
})
