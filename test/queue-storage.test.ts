import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { deleteReceivedByMapping } from '../src/destinations/queue.js'

/**
 * The queue marks deleted messages and compacts in batches, keeps receipt handles in a map, remembers
 * the hidden prefix between receives and the messages whose visibility moved (docs/performance.md). This
 * checks all of that against the plain model it replaced: one array in send order, scanned in full.
 */
interface ModelMessage {
  id: string
  sent: number
  visibleAt: number
  receives: number
  handle: string | undefined
}

const RETENTION_S = 60

type Op =
  | { kind: 'send'; delay: number }
  | { kind: 'receive'; max: number; hide: number; rejectEvery: number }
  | { kind: 'delete-received'; pick: number[] }
  | { kind: 'delete'; pick: number; byId: boolean }
  | { kind: 'change-visibility'; pick: number; seconds: number }
  | { kind: 'advance'; ms: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), delay: fc.constantFrom(0, 0, 0, 5, 20) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('receive' as const), max: fc.integer({ min: 1, max: 10 }), hide: fc.constantFrom(0, 10, 30, 90), rejectEvery: fc.constantFrom(0, 0, 0, 3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-received' as const), pick: fc.array(fc.nat(), { maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(), byId: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('change-visibility' as const), pick: fc.nat(), seconds: fc.constantFrom(0, 1, 40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 10_000, 30_000, 2_500.25) }) },
)

describe('queue storage', () => {
  // Messages keep their times as ms since the simulator's start: any start (zero, fractional, far off)
  // gives back exactly the epoch ms it was sent and made visible at.
  const startTime = fc.constantFrom(undefined, 0, 0.1, 1_767_225_600_000.75, 8_000_000_000_000_000)

  it('a standard queue receives, hides, deletes and expires (with or without a receive) exactly as one array scanned in full would, and keeps exact send and visibility times', async () => {
    await fc.assert(
      fc.asyncProperty(startTime, fc.array(op, { minLength: 1, maxLength: 250 }), async (start, ops) => {
        const sim = createSimulator(start === undefined ? { seed: 7 } : { seed: 7, startTime: start })
        const q = sim.createQueue('q', { messageRetentionPeriod: RETENTION_S })
        const model: ModelMessage[] = []
        const handles: string[] = []
        let n = 0
        for (const o of ops) {
          const now = sim.now()
          if (o.kind === 'send') {
            const { messageId } = q.sendMessage({ body: `m${n++}`, delaySeconds: o.delay })
            model.push({ id: messageId, sent: now, visibleAt: now + o.delay * 1000, receives: 0, handle: undefined })
          } else if (o.kind === 'receive') {
            let k = 0
            const accept = o.rejectEvery === 0 ? undefined : () => ++k % o.rejectEvery !== 0
            const got = q.receive(accept === undefined ? { maxNumberOfMessages: o.max, visibilityTimeout: o.hide } : { maxNumberOfMessages: o.max, visibilityTimeout: o.hide, accept })
            // The model: scan in send order, drop expired, skip hidden, drop rejected, take visible (expired
            // ones are also dropped after every operation, below).
            let j = 0
            const want: string[] = []
            for (let i = 0; i < model.length && want.length < o.max; i++) {
              const m = model[i] as ModelMessage
              if (m.sent <= now - RETENTION_S * 1000) {
                model.splice(i--, 1)
                continue
              }
              if (m.visibleAt > now) continue
              if (accept !== undefined && ++j % o.rejectEvery === 0) {
                model.splice(i--, 1)
                continue
              }
              m.receives++
              m.visibleAt = now + o.hide * 1000
              m.handle = `${m.id}#${m.receives}`
              want.push(m.id)
            }
            expect(got.map((m) => m.messageId)).toEqual(want)
            for (const m of got) handles.push(m.receiptHandle as string)
          } else if (o.kind === 'delete-received') {
            const chosen = new Set(o.pick.map((p) => handles[p % Math.max(1, handles.length)]).filter((h): h is string => h !== undefined))
            const removed = deleteReceivedByMapping(q, chosen)
            const before = model.length
            for (let i = 0; i < model.length; i++) if (chosen.has((model[i] as ModelMessage).handle as string)) model.splice(i--, 1)
            expect(removed).toBe(before - model.length)
          } else if (o.kind === 'delete') {
            const target = model[o.pick % Math.max(1, model.length)]
            const key = target === undefined ? 'nothing' : o.byId ? target.id : (target.handle ?? target.id)
            const i = model.findIndex((m) => m.handle === key || m.id === key)
            // A string that is no handle or message id at all is SQS's ReceiptHandleIsInvalid; a stale one deletes nothing.
            if (key === 'nothing') expect(() => q.delete(key)).toThrow(expect.objectContaining({ name: 'ReceiptHandleIsInvalid' }))
            else expect(q.delete(key)).toBe(i >= 0)
            if (i >= 0) model.splice(i, 1)
          } else if (o.kind === 'change-visibility') {
            const handle = handles[o.pick % Math.max(1, handles.length)]
            // A standard queue takes any handle its message was given (an earlier one too), and changes
            // the visibility only of a message in flight (SQS answers 200 and changes nothing otherwise).
            const [id, count] = handle === undefined ? [] : handle.split('#')
            const m = model.find((x) => x.id === id && x.receives >= Number(count))
            if (handle === undefined || m === undefined) {
              // Every handle here was issued by q: its message is gone (deleted, rejected or expired), as SQS answers it.
              if (handle !== undefined) expect(() => q.changeMessageVisibility(handle, o.seconds)).toThrow(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`)
            } else {
              q.changeMessageVisibility(handle, o.seconds)
              if (m.visibleAt > now) m.visibleAt = now + o.seconds * 1000
            }
          } else {
            await sim.advanceBy(o.ms)
          }
          const t = sim.now()
          // SQS deletes a message past the retention period whether or not anything receives.
          for (let i = 0; i < model.length; i++) if ((model[i] as ModelMessage).sent <= t - RETENTION_S * 1000) model.splice(i--, 1)
          const hidden = model.filter((m) => m.visibleAt > t).map((m) => m.visibleAt)
          expect(q.nextVisibleAt()).toBe(hidden.length === 0 ? undefined : Math.min(...hidden))
          expect(q.hasVisible()).toBe(model.some((m) => m.visibleAt <= t))
          expect(q.size).toBe(model.length)
        }
        expect(q.messages.map((m) => m.messageId)).toEqual(model.map((m) => m.id))
        expect(q.messages.map((m) => [m.sentTimestamp, m.visibleAt])).toEqual(model.map((m) => [m.sent, m.visibleAt]))
        expect(q.visibleCount).toBe(model.filter((m) => m.visibleAt <= sim.now()).length)
      }),
      { numRuns: 150 },
    )
  })

  it('draining 20,000 messages in batches of 10, failures left hidden at the front, stays linear: later receives skip the hidden prefix', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    for (let i = 0; i < 20_000; i++) q.sendMessage({ body: String(i) })
    let received = 0
    for (;;) {
      const batch = q.receive({ maxNumberOfMessages: 10 })
      if (batch.length === 0) break
      received += batch.length
      // Every 20th message fails and stays hidden for the 30 s visibility timeout.
      deleteReceivedByMapping(q, new Set(batch.filter((m) => Number(m.body) % 20 !== 0).map((m) => m.receiptHandle as string)))
    }
    expect(received).toBe(20_000)
    expect(q.size).toBe(1_000)
    expect(q.hasVisible()).toBe(false)
    expect(q.nextVisibleAt()).toBe(sim.now() + 30_000)
    expect(q.messages).toHaveLength(1_000)
  })

  it('a message made visible again with changeMessageVisibility is received next, ahead of newer ones, even behind a hidden prefix', () => {
    const sim = createSimulator()
    const q = sim.createQueue('q')
    for (let i = 0; i < 5; i++) q.sendMessage({ body: String(i) })
    const first = q.receive({ maxNumberOfMessages: 3, visibilityTimeout: 30 })
    expect(first.map((m) => m.body)).toEqual(['0', '1', '2'])
    expect(q.receive({ maxNumberOfMessages: 1 }).map((m) => m.body)).toEqual(['3'])
    q.changeMessageVisibility(first[1]?.receiptHandle as string, 0)
    expect(q.receive({ maxNumberOfMessages: 2 }).map((m) => m.body)).toEqual(['1', '4'])
  })

  it('a message that outlives the retention period while hidden is deleted by the next receive', async () => {
    const sim = createSimulator()
    const q = sim.createQueue('q', { messageRetentionPeriod: 60 })
    q.sendMessage({ body: 'old' })
    expect(q.receive({ visibilityTimeout: 90 })).toHaveLength(1)
    await sim.advanceBy(30_000)
    q.sendMessage({ body: 'new' })
    expect(q.receive({ visibilityTimeout: 90 }).map((m) => m.body)).toEqual(['new'])
    await sim.advanceBy(31_000)
    // 61 s after it was sent, still hidden (until 90 s): past retention, so it is gone; 'new' stays hidden.
    expect(q.receive({ maxNumberOfMessages: 10 })).toEqual([])
    expect(q.size).toBe(1)
    expect(q.messages.map((m) => m.body)).toEqual(['new'])
  })
})
