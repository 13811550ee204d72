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
})
