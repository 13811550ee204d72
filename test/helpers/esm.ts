import type { Queue, Simulator } from '../../src/index.js'

/** Ids (message ids or sequence numbers) the timeline's `esm` `filtered` entries name. */
export function filteredIds(sim: Simulator): Set<string> {
  const ids = new Set<string>()
  for (const e of sim.timeline.entries) if (e.type === 'esm' && e.action === 'filtered') for (const id of e.ids ?? []) ids.add(id)
  return ids
}

/** The shard and sequence-number range of each Kinesis on-failure record on `queue`. */
export function kinesisFailureRanges(queue: Queue): { shard: string; start: bigint; end: bigint }[] {
  return queue.messages.map((msg) => {
    const info = (JSON.parse(msg.body) as { KinesisBatchInfo: { shardId: string; startSequenceNumber: string; endSequenceNumber: string } }).KinesisBatchInfo
    return { shard: info.shardId, start: BigInt(info.startSequenceNumber), end: BigInt(info.endSequenceNumber) }
  })
}

/** Whether `seq` on `shard` lies in one of `ranges`. */
export function inFailureRange(ranges: { shard: string; start: bigint; end: bigint }[], shard: string, seq: string): boolean {
  const n = BigInt(seq)
  return ranges.some((r) => r.shard === shard && r.start <= n && n <= r.end)
}

/**
 * Whether `name` is counted as running nowhere: with a reservation of 1, one sync invoke is answered
 * and a second, at the same time, throttled. Returns the two outcomes (status code or error name).
 */
export async function probeIdle(sim: Simulator, name: string): Promise<(number | string)[]> {
  sim.putFunctionConcurrency(name, 1)
  const outcome = (p: Promise<{ statusCode: number }>): Promise<number | string> => p.then((r) => r.statusCode, (error: Error) => error.name)
  return Promise.all([outcome(sim.invoke(name, {})), outcome(sim.invoke(name, {}))])
}

/**
 * Functions `f` and `g` that note `name@<ms since T0>` when a mapping invokes them (an event with
 * `Records`) and take 10 virtual seconds.
 */
export function slowPair(sim: Simulator, t0: number): string[] {
  const ran: string[] = []
  for (const name of ['f', 'g']) {
    sim.createFunction(
      name,
      async (e: { Records?: unknown[] }) => {
        if (e.Records !== undefined) ran.push(`${name}@${sim.now() - t0}`)
        await sim.sleep(10_000)
      },
      { timeout: 30 },
    )
  }
  return ran
}

/**
 * For each partition key, the sequence numbers in the order they were first processed successfully
 * (a record processed again later, after a retry, does not count twice). They must be increasing.
 */
export function firstProcessingOrder(seqs: readonly bigint[]): bigint[] {
  const firsts: bigint[] = []
  const seen = new Set<bigint>()
  for (const q of seqs) {
    if (seen.has(q)) continue
    seen.add(q)
    firsts.push(q)
  }
  return firsts
}

/** Whether `seqs` is strictly increasing. */
export function increasing(seqs: readonly bigint[]): boolean {
  for (let i = 1; i < seqs.length; i++) if ((seqs[i] as bigint) <= (seqs[i - 1] as bigint)) return false
  return true
}
