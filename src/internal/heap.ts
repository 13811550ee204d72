/**
 * A task the scheduler can run at a virtual instant. Tasks are plain objects that carry their own
 * queue position, so that scheduling allocates nothing beyond the task itself and cancelling is
 * O(log n) (no tombstones left in the heap). The instant and the insertion sequence live in the
 * queue (see TaskHeap), not on the task: an epoch-ms time in a field is a separate boxed number,
 * and a queued async event is a task that 1,000,000 of may wait at once.
 */
export interface Task {
  /** Where the task is queued (the heap's business: a heap index, or a slot of its in-order lane), or -1 when not scheduled. */
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

/** A lane slot `k` is stored in `heapIndex` as `LANE - k` (heap indices are >= 0, -1 is "not queued"). */
const LANE = -2

/**
 * Priority queue of tasks keyed on (at, seq): a binary min-heap, and beside it an in-order lane for
 * tasks pushed after every task already in the lane (by key). The lane is the common case: events
 * accepted at one instant, and their retries a fixed delay after the instant they failed at, arrive
 * in key order; a lane push and pop are O(1) instead of a heap's ~17 levels of sifting (100,000
 * queued events), each level writing the `heapIndex` of a task that may be anywhere in memory. A pop
 * takes the smaller of the two fronts, so the order is exactly the keys' order.
 *
 * The heap's keys live in two typed arrays beside the task array, so sifting compares numbers in
 * contiguous memory instead of loading each task object (and the boxed number its `at` field points
 * to). Only the task that moves is written (its `heapIndex`). The lane keeps its keys the same way;
 * a cancelled lane task leaves a hole, skipped at the front and dropped at the back, and the lane is
 * compacted once its consumed front is three quarters of it or its holes outnumber its tasks by 1,024.
 */
export class TaskHeap {
  readonly #items: Task[] = []
  #at = new Float64Array(1024)
  #seq = new Float64Array(1024)
  /** The lane: slots #head to #tail, in key order; undefined where a task was cancelled (and past #tail). */
  readonly #lane: (Task | undefined)[] = []
  #laneAt = new Float64Array(1024)
  #laneSeq = new Float64Array(1024)
  /** First slot of the lane; it holds a task whenever the lane has any (#laneSize > 0). */
  #head = 0
  #tail = 0
  #laneSize = 0

  get size(): number {
    return this.#items.length + this.#laneSize
  }

  peek(): Task | undefined {
    if (this.#laneSize === 0) return this.#items[0]
    if (this.#items.length === 0 || this.#laneFirst()) return this.#lane[this.#head]
    return this.#items[0]
  }

  /** The instant of the first task, Infinity when empty. */
  peekAt(): number {
    const heapAt = this.#items.length === 0 ? Infinity : (this.#at[0] as number)
    if (this.#laneSize === 0) return heapAt
    const laneAt = this.#laneAt[this.#head] as number
    return laneAt < heapAt ? laneAt : heapAt
  }

  /** The instant `task` is due at, or undefined when it is not in this heap. */
  atOf(task: Task): number | undefined {
    const i = task.heapIndex
    if (i >= 0) return this.#items[i] === task ? this.#at[i] : undefined
    const k = LANE - i
    return k >= 0 && this.#lane[k] === task ? this.#laneAt[k] : undefined
  }

  /** Add `task`, due at `at`; ties at one instant run in `seq` order. */
  push(task: Task, at: number, seq: number): void {
    const lane = this.#lane
    const k = this.#tail
    if (k === this.#head) {
      // The lane is empty: it takes any task.
    } else {
      const tailAt = this.#laneAt[k - 1] as number
      if (at < tailAt || (at === tailAt && seq <= (this.#laneSeq[k - 1] as number))) {
        this.#heapPush(task, at, seq)
        return
      }
    }
    if (k === this.#laneAt.length) {
      this.#laneAt = grown(this.#laneAt)
      this.#laneSeq = grown(this.#laneSeq)
    }
    lane[k] = task
    this.#tail = k + 1
    this.#laneAt[k] = at
    this.#laneSeq[k] = seq
    task.heapIndex = LANE - k
    this.#laneSize++
  }

  pop(): Task | undefined {
    if (this.#laneSize > 0 && (this.#items.length === 0 || this.#laneFirst())) {
      const task = this.#lane[this.#head] as Task
      this.#laneRemove(this.#head, task)
      return task
    }
    const items = this.#items
    const top = items[0]
    if (top === undefined) return undefined
    this.#removeAt(0)
    return top
  }

  remove(task: Task): boolean {
    const i = task.heapIndex
    if (i >= 0) {
      if (this.#items[i] !== task) return false
      this.#removeAt(i)
      return true
    }
    const k = LANE - i
    if (k < 0 || this.#lane[k] !== task) return false
    this.#laneRemove(k, task)
    return true
  }

  /** The first queued task (in no particular order) that `match` accepts: O(n), for lookups that are not on a hot path. */
  find<T extends Task>(match: (task: Task) => task is T): T | undefined {
    for (const task of this.#items) if (match(task)) return task
    const lane = this.#lane
    for (let k = this.#head; k < this.#tail; k++) {
      const task = lane[k]
      if (task !== undefined && match(task)) return task
    }
    return undefined
  }

  /** Tasks with their keys in firing order (for diagnostics; O(n log n)). */
  sorted(): ScheduledTask[] {
    const all = this.#items.map((task, i) => ({ task, at: this.#at[i] as number, seq: this.#seq[i] as number }))
    const lane = this.#lane
    for (let k = this.#head; k < this.#tail; k++) {
      const task = lane[k]
      if (task !== undefined) all.push({ task, at: this.#laneAt[k] as number, seq: this.#laneSeq[k] as number })
    }
    return all.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  /** The lane's first task comes before the heap's (both non-empty). */
  #laneFirst(): boolean {
    const h = this.#head
    const la = this.#laneAt[h] as number
    const ha = this.#at[0] as number
    return la < ha || (la === ha && (this.#laneSeq[h] as number) < (this.#seq[0] as number))
  }

  #laneRemove(k: number, task: Task): void {
    const lane = this.#lane
    lane[k] = undefined
    task.heapIndex = -1
    if (--this.#laneSize === 0) {
      // Empty: start over at slot 0. The slots are kept (setting the length to 0 would free the
      // array's store, and a lane that empties after every task would allocate one per task), unless
      // a burst made them many.
      if (lane.length > 4096) lane.length = 0
      this.#head = 0
      this.#tail = 0
      return
    }
    if (k === this.#head) {
      let h = k + 1
      while (lane[h] === undefined) h++
      this.#head = h
      // Compact once the consumed front is three quarters of the lane: each compaction moves at most
      // a third as many tasks as were taken since the last one.
      if (h >= 1024 && h * 4 >= this.#tail * 3) this.#compact()
    } else if (k === this.#tail - 1) {
      // A hole at the back: drop it, so that the lane's last key is a queued task's again.
      let t = k
      while (lane[t - 1] === undefined) t--
      this.#tail = t
    } else if (this.#tail - this.#head >= 2 * this.#laneSize + 1024) {
      // Mostly holes (tasks cancelled behind a task that stays): squeeze them out.
      this.#compact()
    }
  }

  /** Move the lane's tasks to its start, in order, without the holes. */
  #compact(): void {
    const lane = this.#lane
    const ats = this.#laneAt
    const seqs = this.#laneSeq
    let k = 0
    const tail = this.#tail
    for (let j = this.#head; j < tail; j++) {
      const task = lane[j]
      if (task === undefined) continue
      lane[k] = task
      ats[k] = ats[j] as number
      seqs[k] = seqs[j] as number
      task.heapIndex = LANE - k
      k++
    }
    // The slots past the tasks held moved (or cancelled) tasks: drop them.
    lane.length = k
    this.#head = 0
    this.#tail = k
  }

  #heapPush(task: Task, at: number, seq: number): void {
    const items = this.#items
    const i = items.length
    if (i === this.#at.length) {
      this.#at = grown(this.#at)
      this.#seq = grown(this.#seq)
    }
    items.push(task)
    this.#up(i, task, at, seq)
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

function grown(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2)
  b.set(a)
  return b
}
