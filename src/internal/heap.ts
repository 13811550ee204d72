/**
 * A task the scheduler can run at a virtual instant. Tasks are plain objects that carry their own
 * heap position, so that scheduling allocates nothing beyond the task itself and cancelling is
 * O(log n) removal (no tombstones left in the heap). The instant and the insertion sequence live in
 * the heap (see TaskHeap), not on the task: an epoch-ms time in a field is a separate boxed number,
 * and a queued async event is a task that 1,000,000 of may wait at once.
 */
export interface Task {
  /** Position in the heap, or -1 when not scheduled. */
  heapIndex: number
  /** Run the task. Called with the clock already at its instant. */
  fire(): void
  /** A short label for error messages ("retry resize#3"). Only called on the error path. */
  describe(): string
}

/** A scheduled task with its keys (diagnostics). */
export interface ScheduledTask {
  readonly task: Task
  /** Virtual epoch ms at which it is due. */
  readonly at: number
  /** Insertion counter: ties at the same instant run in this order. */
  readonly seq: number
}

/**
 * Binary min-heap of tasks keyed on (at, seq). The keys live in two typed arrays beside the task
 * array, so sifting compares numbers in contiguous memory instead of loading each task object (and
 * the boxed number its `at` field points to): with 100,000 queued events a pop touches ~17 levels,
 * and those loads were cache misses. Only the task that moves is written (its `heapIndex`).
 */
export class TaskHeap {
  readonly #items: Task[] = []
  #at = new Float64Array(1024)
  #seq = new Float64Array(1024)

  get size(): number {
    return this.#items.length
  }

  peek(): Task | undefined {
    return this.#items[0]
  }

  /** The instant of the first task, Infinity when empty. */
  peekAt(): number {
    return this.#items.length === 0 ? Infinity : (this.#at[0] as number)
  }

  /** The instant `task` is due at, or undefined when it is not in this heap. */
  atOf(task: Task): number | undefined {
    const i = task.heapIndex
    return i >= 0 && this.#items[i] === task ? this.#at[i] : undefined
  }

  /** Add `task`, due at `at`; ties at one instant run in `seq` order. */
  push(task: Task, at: number, seq: number): void {
    const items = this.#items
    const i = items.length
    if (i === this.#at.length) this.#grow()
    items.push(task)
    this.#up(i, task, at, seq)
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

  /** Tasks with their keys in firing order (for diagnostics; O(n log n)). */
  sorted(): ScheduledTask[] {
    return this.#items.map((task, i) => ({ task, at: this.#at[i] as number, seq: this.#seq[i] as number })).sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  #grow(): void {
    const at = new Float64Array(this.#at.length * 2)
    at.set(this.#at)
    this.#at = at
    const seq = new Float64Array(this.#seq.length * 2)
    seq.set(this.#seq)
    this.#seq = seq
  }

  #removeAt(i: number): void {
    const items = this.#items
    const removed = items[i] as Task
    const last = items.pop() as Task
    removed.heapIndex = -1
    const n = items.length
    if (i < n) {
      const at = this.#at[n] as number
      const seq = this.#seq[n] as number
      const j = this.#down(i, last, at, seq)
      if (j === i) this.#up(i, last, at, seq)
    }
  }

  /** Place `task` (keys `at`, `seq`) at hole `i` or above it. */
  #up(i: number, task: Task, at: number, seq: number): void {
    const items = this.#items
    const ats = this.#at
    const seqs = this.#seq
    while (i > 0) {
      const p = (i - 1) >> 1
      const pa = ats[p] as number
      if (pa < at || (pa === at && (seqs[p] as number) <= seq)) break
      const parent = items[p] as Task
      items[i] = parent
      ats[i] = pa
      seqs[i] = seqs[p] as number
      parent.heapIndex = i
      i = p
    }
    items[i] = task
    ats[i] = at
    seqs[i] = seq
    task.heapIndex = i
  }

  /** Place `task` (keys `at`, `seq`) at hole `i` or below it; returns where it went. */
  #down(i: number, task: Task, at: number, seq: number): number {
    const items = this.#items
    const ats = this.#at
    const seqs = this.#seq
    const n = items.length
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      let ca = ats[c] as number
      let cs = seqs[c] as number
      const r = c + 1
      if (r < n) {
        const ra = ats[r] as number
        const rs = seqs[r] as number
        if (ra < ca || (ra === ca && rs < cs)) {
          c = r
          ca = ra
          cs = rs
        }
      }
      if (at < ca || (at === ca && seq < cs)) break
      const child = items[c] as Task
      items[i] = child
      ats[i] = ca
      seqs[i] = cs
      child.heapIndex = i
      i = c
    }
    items[i] = task
    ats[i] = at
    seqs[i] = seq
    task.heapIndex = i
    return i
  }
}
