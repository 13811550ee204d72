import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'

/** The queue's own SQS rules (CreateQueue, SendMessage, SendMessageBatch), checked against AWS's texts. */
describe('SQS queue rules', () => {
  it('a queue name is at most 80 characters, the .fifo suffix of a FIFO queue included', () => {
    const sim = createSimulator()
    expect(sim.createQueue('s'.repeat(80)).name).toHaveLength(80)
    expect(sim.createQueue(`${'f'.repeat(75)}.fifo`).fifo).toBe(true)
    expect(() => sim.createQueue('s'.repeat(81))).toThrow(`Invalid queue name "${'s'.repeat(81)}": 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue's .fifo suffix counts), got 81`)
    expect(() => sim.createQueue(`${'g'.repeat(76)}.fifo`)).toThrow(`Invalid queue name "${'g'.repeat(76)}.fifo": 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue's .fifo suffix counts), got 81`)
    expect(() => sim.createQueue('bad name')).toThrow('Invalid queue name "bad name": 1–80 characters (letters, digits, hyphens or underscores; a FIFO queue\'s .fifo suffix counts)')
  })

  it('an empty body is refused with MissingParameter; the queue is unchanged', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    expect(() => q.sendMessage({ body: '' })).toThrow(expect.objectContaining({ name: 'MissingParameter', message: 'The request must contain the parameter MessageBody.' }))
    expect(q.size).toBe(0)
  })
})
