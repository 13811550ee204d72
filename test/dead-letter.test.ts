import { describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../src/index.js'
import { errorJson, fixedError, T0 } from './helpers/async-dest.js'
import { lambdaErr } from './helpers/errors.js'

const Q = 'arn:aws:sqs:us-east-1:123456789012'

function attrs(requestId: string, code: string, message: string): Record<string, { dataType: string; stringValue: string }> {
  return {
    RequestID: { dataType: 'String', stringValue: requestId },
    ErrorCode: { dataType: 'Number', stringValue: code },
    ErrorMessage: { dataType: 'String', stringValue: message },
  }
}

function failing(sim: Simulator, dlq: string, message = 'boom'): void {
  sim.createFunction(
    'f',
    async () => {
      throw fixedError(message)
    },
    { deadLetterConfig: { targetArn: dlq } },
  )
}

describe('dead-letter queue messages', () => {
  it('after the last failed attempt: body = the original event bytes, attributes RequestID, ErrorCode "200", ErrorMessage', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    failing(sim, dlq.arn)
    const event = { ünïcödé: 'ä€😀', nested: { b: 2, a: [1, null, true] }, n: 1.5e-7 }
    const { requestId } = await sim.invoke('f', event, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.body, m.messageAttributes, m.sentTimestamp])).toEqual([[JSON.stringify(event), attrs(requestId, '200', 'boom'), T0 + 180_000]])
  })

  it('ErrorMessage is the first 1 KB of the error message, never splitting a character', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    failing(sim, dlq.arn, `${'a'.repeat(1023)}é and more`)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages[0]?.messageAttributes['ErrorMessage']?.stringValue).toBe('a'.repeat(1023))
  })

  it('a timed-out event gives the runtime\'s timeout message', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    sim.createFunction(
      'f',
      async () => {
        await sim.sleep(10_000)
      },
      { timeout: 1, deadLetterConfig: { targetArn: dlq.arn } },
    )
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.messageAttributes, m.sentTimestamp])).toEqual([[attrs(requestId, '200', `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`), T0 + 1000]])
  })

  it('EventAgeExceeded after an attempt goes to the DLQ with the last error', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    failing(sim, dlq.arn)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60 })
    const { requestId } = await sim.invoke('f', 'plain string event', 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.body, m.messageAttributes, m.sentTimestamp])).toEqual([['"plain string event"', attrs(requestId, '200', 'boom'), T0]])
  })

  for (const recordTimeline of [true, false]) {
    it(`EventAgeExceeded while a retry is held off by faults: the DLQ message and the on-failure record carry the failed attempt's error (timeline ${recordTimeline ? 'on' : 'off'})`, async () => {
      // The event waits for its retry holding what its failed attempt left (a kept failure, not the outcome).
      const sim = createSimulator({ throttleJitter: false, recordTimeline })
      const dlq = sim.createQueue('dlq')
      const onFailure = sim.createQueue('on-failure')
      failing(sim, dlq.arn)
      sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 90, destinationConfig: { onFailure: { destination: onFailure.arn } } })
      const { requestId } = await sim.invoke('f', { k: 1 }, 'Event')
      await sim.advanceBy(0)
      sim.faults.inject({ functionName: 'f', count: 100 })
      await sim.runUntilIdle()
      // Retry at 60 s, then faults back it off 1, 2, 4, 8 s; the next 16 s would pass the 90 s age at 75 s.
      expect(dlq.messages.map((m) => [m.body, m.messageAttributes, m.sentTimestamp])).toEqual([['{"k":1}', attrs(requestId, '200', 'boom'), T0 + 75_000]])
      const record = JSON.parse(onFailure.messages[0]?.body ?? '{}') as { requestContext: unknown; responseContext: unknown; responsePayload: unknown }
      expect(record.requestContext).toEqual({ requestId, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST', condition: 'EventAgeExceeded', approximateInvokeCount: 1 })
      expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' })
      expect(record.responsePayload).toEqual(JSON.parse(errorJson('boom')))
    })
  }

  it('ZeroReservedConcurrency goes to the DLQ at once with ErrorCode "429" and "Rate Exceeded." (choice)', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    failing(sim, dlq.arn)
    sim.putFunctionConcurrency('f', 0)
    const { requestId } = await sim.invoke('f', { z: 0 }, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.body, m.messageAttributes, m.sentTimestamp])).toEqual([['{"z":0}', attrs(requestId, '429', 'Rate Exceeded.'), T0]])
  })

  it('an event that expires while it is being failed by service faults: ErrorCode "500" (choice)', async () => {
    const sim = createSimulator({ throttleJitter: false })
    const dlq = sim.createQueue('dlq')
    failing(sim, dlq.arn)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumEventAgeInSeconds: 60 })
    sim.faults.inject({ functionName: 'f', count: 100 })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.messageAttributes, m.sentTimestamp])).toEqual([[attrs(requestId, '500', 'ServiceException'), T0 + 31_000]])
  })

  it('an SNS topic as DLQ: Message = the event, with the same attributes', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('dead')
    failing(sim, topic.arn)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    const { requestId } = await sim.invoke('f', [1, 'two'], 'Event')
    await sim.runUntilIdle()
    expect(topic.messages.map((m) => [m.message, m.messageAttributes])).toEqual([['[1,"two"]', attrs(requestId, '200', 'boom')]])
  })

  it('success never reaches the DLQ, and neither do synchronous failures', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    sim.createFunction('ok', async () => 1, { deadLetterConfig: { targetArn: dlq.arn } })
    failing(sim, dlq.arn)
    await sim.invoke('ok', {}, 'Event')
    expect((await sim.invoke('f', {})).functionError).toBe('Unhandled')
    await sim.runUntilIdle()
    expect(dlq.messages).toEqual([])
  })
})

describe('DLQ and on-failure destination together', () => {
  it('both receive their message at the same terminal instant: the destination first, then the DLQ (choice, open question 3)', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    const dest = sim.createQueue('dest')
    failing(sim, dlq.arn)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', destinationConfig: { onFailure: { destination: dest } } })
    const { requestId } = await sim.invoke('f', { k: 1 }, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages.map((m) => [m.body, m.sentTimestamp])).toEqual([['{"k":1}', T0 + 180_000]])
    expect(dest.messages.map((m) => [(JSON.parse(m.body) as { requestContext: { condition: string } }).requestContext.condition, m.sentTimestamp])).toEqual([['RetriesExhausted', T0 + 180_000]])
    expect(sim.timeline.ofType('delivered').map((e) => [e.kind, e.time, e.requestId])).toEqual([
      ['on-failure', T0 + 180_000, requestId],
      ['dead-letter', T0 + 180_000, requestId],
    ])
  })

  it('a failing DLQ counts DeadLetterErrors and does not stop the destination', async () => {
    const sim = createSimulator()
    const dest = sim.createQueue('dest')
    sim.registerDestination({
      arn: `${Q}:broken-dlq`,
      deliver: () => {
        throw new Error('queue deleted')
      },
    })
    failing(sim, `${Q}:broken-dlq`)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: dest } } })
    const { requestId } = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(dest.messages).toHaveLength(1)
    expect(sim.metrics).toMatchObject({ deadLetterErrors: 1, destinationDeliveryFailures: 0 })
    expect(sim.timeline.ofType('delivery-failed')).toEqual([{ type: 'delivery-failed', time: T0, requestId, functionName: 'f', kind: 'dead-letter', destination: `${Q}:broken-dlq`, error: 'Error: queue deleted' }])
  })

  it('an event over the SNS limit cannot be dead-lettered to a topic: DeadLetterErrors', async () => {
    const sim = createSimulator()
    const topic = sim.createTopic('dead')
    failing(sim, topic.arn)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    await sim.invoke('f', 'v'.repeat(300_000), 'Event')
    await sim.runUntilIdle()
    expect(topic.messages).toEqual([])
    expect(sim.metrics.deadLetterErrors).toBe(1)
  })
})

describe('deadLetterConfig on the function', () => {
  it('is per version and frozen on publish; updateFunctionConfiguration changes only $LATEST', async () => {
    const sim = createSimulator()
    const first = sim.createQueue('first')
    const second = sim.createQueue('second')
    failing(sim, first.arn)
    sim.publishVersion('f')
    sim.updateFunctionConfiguration('f', { deadLetterConfig: { targetArn: second.arn } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    sim.putFunctionEventInvokeConfig({ functionName: 'f:1', maximumRetryAttempts: 0 })
    const v1 = await sim.invoke('f:1', {}, 'Event')
    const latest = await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(first.messages.map((m) => m.messageAttributes['RequestID']?.stringValue)).toEqual([v1.requestId])
    expect(second.messages.map((m) => m.messageAttributes['RequestID']?.stringValue)).toEqual([latest.requestId])
  })

  it('updateFunctionConfiguration with targetArn "" removes the DLQ', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('dlq')
    failing(sim, dlq.arn)
    sim.updateFunctionConfiguration('f', { deadLetterConfig: { targetArn: '' } })
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(dlq.messages).toEqual([])
    expect(sim.timeline.ofType('delivery-failed')).toEqual([])
  })

  it('a target that fails AWS\'s ARN pattern is a ValidationException', () => {
    const sim = createSimulator()
    expect(lambdaErr(() => sim.createFunction('f', async () => 1, { deadLetterConfig: { targetArn: 'my-queue' } }))).toEqual([
      'ValidationException',
      400,
      "1 validation error detected: Value 'my-queue' at 'deadLetterConfig.targetArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
    ])
  })

  it('"" on createFunction is AWS\'s "ARNs must start with \'arn:\'" error', () => {
    const sim = createSimulator()
    expect(lambdaErr(() => sim.createFunction('f', async () => 1, { deadLetterConfig: { targetArn: '' } }))).toEqual(['InvalidParameterValueException', 400, "Invalid dead letter queue ARN: ARNs must start with 'arn:'"])
  })

  it('a target that is neither an SQS queue nor an SNS topic is rejected', () => {
    const sim = createSimulator()
    const bus = sim.createEventBus('b')
    expect(lambdaErr(() => sim.createFunction('f', async () => 1, { deadLetterConfig: { targetArn: bus.arn } }))).toEqual([
      'InvalidParameterValueException',
      400,
      `Invalid dead letter queue ARN: ${bus.arn} is neither an Amazon SQS queue nor an Amazon SNS topic`,
    ])
    sim.createFunction('g', async () => 1)
    expect(lambdaErr(() => sim.updateFunctionConfiguration('g', { deadLetterConfig: { targetArn: 'arn:aws:s3:::bucket' } }))[0]).toBe('InvalidParameterValueException')
  })

  it('a FIFO queue as DLQ: every dead letter fails (DeadLetterErrors)', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('dead.fifo')
    failing(sim, q.arn)
    sim.putFunctionEventInvokeConfig({ functionName: 'f', maximumRetryAttempts: 0 })
    await sim.invoke('f', {}, 'Event')
    await sim.runUntilIdle()
    expect(q.messages).toEqual([])
    expect(sim.metrics.deadLetterErrors).toBe(1)
  })
})
