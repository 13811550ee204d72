import { describe, expect, it } from 'vitest'
import { TaskHeap, type Task } from '../src/internal/heap.js'

function task(at: number, seq: number): Task {
  return { at, seq, heapIndex: -1, fire: () => undefined, describe: () => `${at}/${seq}` }
}

describe('the task heap', () => {
  it('grows past its initial key capacity (1,024) without losing order', () => {
    const heap = new TaskHeap()
    for (let i = 0; i < 5000; i++) heap.push(task((i * 7919) % 5000, i))
    let last = -1
    for (let i = 0; i < 5000; i++) {
      const t = heap.pop() as Task
      expect(t.at).toBeGreaterThanOrEqual(last)
      last = t.at
    }
    expect(heap.pop()).toBeUndefined()
  })
})
