import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

describe('fan-out scenario on the virtual clock', () => {
  it('upload → ingest → topic → two subscribers; the failing one is retried at 60 s and 180 s and lands in its DLQ at 180 s', async () => {
    const sim = createSimulator()
    const dlq = sim.createQueue('notify-dlq')
    const topic = sim.createTopic('uploaded')
    const bucket = sim.createBucket('inbox')
    const ingest = sim.createFunction('ingest', async (event: { Records: { s3: { object: { key: string } } }[] }) => {
      const key = event.Records[0]?.s3.object.key as string
      topic.publish({ message: JSON.stringify({ key }), subject: 'uploaded' })
      return key
    })
    const index = sim.createFunction('index', async () => 'indexed')
    const notify = sim.createFunction(
      'notify',
      async () => {
        throw new Error('mail server down')
      },
      { deadLetterConfig: { targetArn: dlq.arn } },
    )
    bucket.addNotification({ events: ['s3:ObjectCreated:*'], function: ingest })
    topic.subscribe(index)
    topic.subscribe(notify)

    bucket.putObject('report 2026.pdf', '%PDF')
    await sim.runUntilIdle()

    const seconds = (t: number): number => (t - T0) / 1000
    const attempts = sim.timeline.ofType('attempt-started').map((e) => [e.functionName, e.attempt, seconds(e.time)])
    expect(attempts).toEqual([
      ['ingest', 1, 0],
      ['index', 1, 0],
      ['notify', 1, 0],
      ['notify', 2, 60],
      ['notify', 3, 180],
    ])
    const finished = sim.timeline.ofType('attempt-finished').map((e) => [e.functionName, e.outcome, seconds(e.time)])
    expect(finished).toEqual([
      ['ingest', 'success', 0],
      ['index', 'success', 0],
      ['notify', 'error', 0],
      ['notify', 'error', 60],
      ['notify', 'error', 180],
    ])
    const notifyRequest = sim.timeline.ofType('terminal').find((e) => e.functionName === 'notify')
    expect(notifyRequest).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3, time: T0 + 180_000 })
    expect(dlq.messages).toHaveLength(1)
    const message = dlq.messages[0]
    expect(message?.sentTimestamp).toBe(T0 + 180_000)
    expect(message?.messageAttributes).toEqual({
      RequestID: { dataType: 'String', stringValue: notifyRequest?.requestId },
      ErrorCode: { dataType: 'Number', stringValue: '200' },
      ErrorMessage: { dataType: 'String', stringValue: 'mail server down' },
    })
    // The DLQ body is the event notify received: the SNS record carrying ingest's message.
    const body = JSON.parse(message?.body as string) as { Records: { EventSource: string; Sns: { Message: string; Subject: string; TopicArn: string } }[] }
    expect(body.Records[0]?.EventSource).toBe('aws:sns')
    expect(body.Records[0]?.Sns).toMatchObject({ Message: '{"key":"report+2026.pdf"}', Subject: 'uploaded', TopicArn: topic.arn })
    // Sources name the resource that invoked each function.
    expect(sim.timeline.ofType('accepted').map((e) => [e.functionName, e.source])).toEqual([
      ['ingest', bucket.arn],
      ['index', topic.arn],
      ['notify', topic.arn],
    ])
    expect(seconds(sim.now())).toBe(180)
  })
})
