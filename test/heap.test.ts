import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TaskHeap, type Task } from '../src/internal/heap.js'

type Keyed = Task & { at: number; seq: number }

function task(at: number, seq: number): Keyed {
  return { at, seq, heapIndex: -1, fire: () => undefined, describe: () => `${at}/${seq}` }
}

describe('the task heap', () => {
  it('grows past its initial key capacity (1,024) without losing order', () => {
    const heap = new TaskHeap()
    for (let i = 0; i < 5000; i++) {
      const t = task((i * 7919) % 5000, i)
      heap.push(t, t.at, t.seq)
    }
    let last = -1
    for (let i = 0; i < 5000; i++) {
      const t = heap.pop() as Keyed
      expect(t.at).toBeGreaterThanOrEqual(last)
      last = t.at
    }
    expect(heap.pop()).toBeUndefined()
  })

  it('squeezes out the holes of tasks cancelled behind a task that stays, keeping the order', () => {
    const heap = new TaskHeap()
    const tasks = Array.from({ length: 5000 }, (_, i) => task(1000 + Math.floor(i / 3), i))
    for (const t of tasks) heap.push(t, t.at, t.seq)
    // Cancel all but every 500th: the first stays, so the lane's front never moves past the holes.
    const kept = tasks.filter((_, i) => i % 500 === 0 || i === tasks.length - 1)
    for (const t of tasks) if (!kept.includes(t)) expect(heap.remove(t)).toBe(true)
    expect(heap.size).toBe(kept.length)
    for (const t of kept) expect(heap.atOf(t)).toBe(t.at)
    expect(heap.sorted().map((s) => s.task)).toEqual(kept)
    const later = task(9999, 5000)
    heap.push(later, later.at, later.seq)
    const early = task(0, 5001)
    heap.push(early, early.at, early.seq)
    const popped: Task[] = []
    for (let t = heap.pop(); t !== undefined; t = heap.pop()) popped.push(t)
    expect(popped).toEqual([early, ...kept, later])
  })

  // Most pushes of a simulation come in key order (events accepted at one instant, retries a fixed
  // delay later) and go to the in-order lane; the rest, and the lane's holes and compaction, must
  // not change the order. Thousands of tasks, so that the lane compacts (from 1,024 taken).
  it('pops in (at, seq) order when most pushes come in key order, under cancels, pops and lane compaction', () => {
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('push' as const), back: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }) }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), n: fc.integer({ min: 100, max: 1500 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const heap = new TaskHeap()
        const queued = new Set<Keyed>()
        let seq = 0
        let clock = 0
        const key = (a: Keyed, b: Keyed): number => a.at - b.at || a.seq - b.seq
        const first = (): Keyed | undefined => [...queued].sort(key)[0]
        const push = (at: number): void => {
          const t = task(at, seq++)
          heap.push(t, t.at, t.seq)
          queued.add(t)
        }
        for (const o of ops) {
          if (o.kind === 'push') push(clock + 60 - o.back)
          else if (o.kind === 'burst') for (let i = 0; i < o.n; i++) push(clock + 60)
          else if (o.kind === 'cancel') {
            const all = [...queued]
            if (all.length === 0) continue
            const victim = all[o.pick % all.length] as Keyed
            expect(heap.atOf(victim)).toBe(victim.at)
            expect(heap.remove(victim)).toBe(true)
            expect(heap.remove(victim)).toBe(false)
            expect(victim.heapIndex).toBe(-1)
            expect(heap.atOf(victim)).toBeUndefined()
            queued.delete(victim)
          } else {
            for (let i = 0; i < 700 && queued.size > 0; i++) {
              const want = first() as Keyed
              expect(heap.peekAt()).toBe(want.at)
              expect(heap.pop()).toBe(want)
              queued.delete(want)
              clock = want.at
            }
          }
          expect(heap.size).toBe(queued.size)
          expect(heap.peek()).toBe(first())
        }
        expect(heap.sorted().map((s) => s.task)).toEqual([...queued].sort(key))
        const drained: Task[] = []
        for (let t = heap.pop(); t !== undefined; t = heap.pop()) drained.push(t)
        expect(drained).toEqual([...queued].sort(key))
      }),
      { numRuns: 60 },
    )
  })
})
