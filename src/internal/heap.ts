/**
 * A task the scheduler can run at a virtual instant. Tasks are plain objects that carry their own
 * heap position, so that scheduling allocates nothing beyond the task itself and cancelling is
 * O(log n) removal (no tombstones left in the heap).
 */
export interface Task {
  /** Virtual epoch ms at which the task is due. */
  at: number
  /** Insertion counter: ties at the same instant run in this order. */
  seq: number
  /** Position in the heap, or -1 when not scheduled. */
  heapIndex: number
  /** Run the task. Called with the clock already at `at`. */
  fire(): void
  /** A short label for error messages ("retry resize#3"). Only called on the error path. */
  describe(): string
}

/** The total order of the simulator: time, then insertion sequence. */
export function compareTasks(a: Task, b: Task): number {
  return a.at - b.at || a.seq - b.seq
}

/** Binary min-heap of tasks keyed on (at, seq). */
export class TaskHeap {
  readonly #items: Task[] = []

  get size(): number {
    return this.#items.length
  }

  peek(): Task | undefined {
    return this.#items[0]
  }

  push(task: Task): void {
    const items = this.#items
    task.heapIndex = items.length
    items.push(task)
    this.#up(task.heapIndex)
  }

  pop(): Task | undefined {
    const items = this.#items
    const top = items[0]
    if (top === undefined) return undefined
    this.#removeAt(0)
    return top
  }

  remove(task: Task): boolean {
    const i = task.heapIndex
    if (i < 0 || this.#items[i] !== task) return false
    this.#removeAt(i)
    return true
  }

  /** Tasks in firing order (for diagnostics; O(n log n)). */
  sorted(): Task[] {
    return [...this.#items].sort(compareTasks)
  }

  #removeAt(i: number): void {
    const items = this.#items
    const removed = items[i] as Task
    const last = items.pop() as Task
    removed.heapIndex = -1
    if (i < items.length) {
      items[i] = last
      last.heapIndex = i
      this.#down(i)
      this.#up(last.heapIndex)
    }
  }

  #up(i: number): void {
    const items = this.#items
    const task = items[i] as Task
    while (i > 0) {
      const parentIndex = (i - 1) >> 1
      const parent = items[parentIndex] as Task
      if (compareTasks(task, parent) >= 0) break
      items[i] = parent
      parent.heapIndex = i
      i = parentIndex
    }
    items[i] = task
    task.heapIndex = i
  }

  #down(i: number): void {
    const items = this.#items
    const n = items.length
    const task = items[i] as Task
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      let child = left
      if (right < n && compareTasks(items[right] as Task, items[left] as Task) < 0) child = right
      const childTask = items[child] as Task
      if (compareTasks(childTask, task) >= 0) break
      items[i] = childTask
      childTask.heapIndex = i
      i = child
    }
    items[i] = task
    task.heapIndex = i
  }
}
