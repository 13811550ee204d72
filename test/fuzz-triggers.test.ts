import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createSimulator } from '../src/index.js'
import { collectEscapes } from './helpers/escapes.js'

const escaped = collectEscapes()

/**
 * Schedules and object notifications, the two triggers the topology fuzzer (fuzz-wide) leaves out.
 * Three functions; a bucket whose `in/` and `out/` prefixes notify two of them; functions whose code
 * succeeds, fails, sleeps past a minute or writes objects back into the bucket (an S3 loop, which
 * loop detection stops); `rate` schedules created, disabled, enabled and deleted at random; reserved
 * concurrency (0 included), retries and an on-failure destination to the bucket changed; objects put
 * and deleted; the clock advanced.
 *
 * Invariants: every accepted event has exactly one terminal outcome, and an on-failure record in the
 * bucket carries its event's request id and terminal condition; every schedule fire is one
 * accepted event from that schedule, at a whole number of periods after its creation, never while it
 * is disabled or deleted; every object created or deleted under a notified prefix is one accepted
 * event from the bucket; nothing is pending at the end; nothing escapes; same seed, same timeline.
 */
type Op =
  | { op: 'schedule'; fn: number; minutes: number }
  | { op: 'toggle'; k: number }
  | { op: 'drop'; k: number }
  | { op: 'put'; prefix: number; v: number }
  | { op: 'delete'; prefix: number; v: number }
  | { op: 'code'; fn: number; mode: number }
  | { op: 'concurrency'; fn: number; n: number }
  | { op: 'retries'; fn: number; n: number; toBucket: boolean }
  | { op: 'advance'; ms: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('schedule' as const), fn: fc.nat(2), minutes: fc.constantFrom(1, 2, 5) }),
  fc.record({ op: fc.constant('toggle' as const), k: fc.nat(3) }),
  fc.record({ op: fc.constant('drop' as const), k: fc.nat(3) }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('put' as const), prefix: fc.nat(2), v: fc.nat(5) }) },
  fc.record({ op: fc.constant('delete' as const), prefix: fc.nat(2), v: fc.nat(5) }),
  fc.record({ op: fc.constant('code' as const), fn: fc.nat(2), mode: fc.nat(4) }),
  fc.record({ op: fc.constant('concurrency' as const), fn: fc.nat(2), n: fc.integer({ min: -1, max: 2 }) }),
  fc.record({ op: fc.constant('retries' as const), fn: fc.nat(2), n: fc.nat(2), toBucket: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(0, 1_000, 30_000, 60_000, 150_000, 600_000) }) },
)

const PREFIXES = ['in/', 'out/', 'other/']
const NAMES = ['a', 'b', 'c']

/** A schedule's life as the test drove it: when it was created, and the spans it was enabled. */
interface ScheduleLog {
  arn: string
  periodMs: number
  createdAt: number
  /** [from, to] spans in which a fire may happen (both ends: a fire and a disable can share an instant); `to` is Infinity while enabled. */
  enabled: Array<[number, number]>
}

async function execute(seed: number, ops: Op[]) {
  const sim = createSimulator({ seed })
  const bucket = sim.createBucket('files')
  const modes = [0, 0, 0]
  // Objects created or removed under a notified prefix, by the test and by handlers.
  let notifiable = 0
  const put = (key: string): void => {
    if (bucket.putObject(key, 'x') !== undefined && (key.startsWith('in/') || key.startsWith('out/'))) notifiable++
  }
  for (let k = 0; k < 3; k++) {
    sim.createFunction(NAMES[k] as string, async (event: unknown) => {
      const m = modes[k]
      if (m === 1) throw new Error(`${NAMES[k]} fails`)
      if (m === 2) await sim.sleep(70_000)
      // Writes back where it was notified from: a loop through the bucket when it is notified from `in/`.
      if (m === 3) put(`in/from-${k}-${JSON.stringify(event).length}`)
      if (m === 4) put(`out/from-${k}`)
      return k
    }, { timeout: 120 })
  }
  bucket.addNotification({ events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], filter: { prefix: 'in/' }, function: 'a' })
  bucket.addNotification({ events: ['s3:ObjectCreated:*'], filter: { prefix: 'out/' }, function: 'b' })
  const schedules: Array<{ handle: ReturnType<typeof sim.createSchedule>; log: ScheduleLog }> = []
  for (const op of ops) {
    try {
      if (op.op === 'schedule') {
        const handle = sim.createSchedule({ expression: `rate(${op.minutes} minute${op.minutes === 1 ? '' : 's'})`, target: NAMES[op.fn] as string })
        schedules.push({ handle, log: { arn: handle.arn, periodMs: op.minutes * 60_000, createdAt: sim.now(), enabled: [[sim.now(), Infinity]] } })
      } else if (op.op === 'toggle' || op.op === 'drop') {
        const s = schedules[op.k % Math.max(1, schedules.length)]
        if (s === undefined || s.handle.state === 'DELETED') continue
        const last = s.log.enabled.at(-1) as [number, number]
        if (op.op === 'drop') {
          s.handle.delete()
          if (last[1] === Infinity) last[1] = sim.now()
        } else if (s.handle.state === 'ENABLED') {
          s.handle.disable()
          last[1] = sim.now()
        } else {
          s.handle.enable()
          s.log.enabled.push([sim.now(), Infinity])
        }
      } else if (op.op === 'put') put(`${PREFIXES[op.prefix] as string}${op.v}`)
      else if (op.op === 'delete') {
        // Like S3, deleting a key that does not exist still notifies (docs/semantics.md).
        const key = `${PREFIXES[op.prefix] as string}${op.v}`
        bucket.deleteObject(key)
        if (key.startsWith('in/')) notifiable++
      } else if (op.op === 'code') modes[op.fn] = op.mode
      else if (op.op === 'concurrency') {
        if (op.n < 0) sim.deleteFunctionConcurrency(NAMES[op.fn] as string)
        else sim.putFunctionConcurrency(NAMES[op.fn] as string, op.n)
      } else if (op.op === 'retries') {
        // On-failure records go to the bucket under aws/lambda/async/…, which no notification watches.
        const destinationConfig = op.toBucket ? { onFailure: { destination: bucket.arn } } : {}
        sim.putFunctionEventInvokeConfig({ functionName: NAMES[op.fn] as string, maximumRetryAttempts: op.n, destinationConfig })
      }
      else await sim.advanceBy(op.ms)
    } catch (error) {
      expect((error as Error).name, String((error as Error).stack)).toMatch(/Exception$|^SimulatorError$/)
    }
  }
  // Stop the schedules, free the functions and let everything end.
  for (const s of schedules) {
    if (s.handle.state === 'DELETED') continue
    const last = s.log.enabled.at(-1) as [number, number]
    if (last[1] === Infinity) last[1] = sim.now()
    s.handle.delete()
  }
  for (const name of NAMES) sim.deleteFunctionConcurrency(name)
  await sim.runUntilIdle()
  await sim.advanceBy(7 * 3_600_000)
  await sim.runUntilIdle()
  return { sim, bucket, schedules: schedules.map((s) => ({ log: s.log, fires: s.handle.fires })), notifiable, timeline: JSON.stringify(sim.timeline.entries) }
}

describe('fuzz: schedules and object notifications', () => {
  let accepted = 0
  let fires = 0
  let objects = 0
  let records = 0
  const conditions: Record<string, number> = {}
  afterAll(() => {
    // Figures quoted in docs/reliability.md.
    console.info(`fuzz (triggers): ${accepted} accepted events, ${fires} schedule fires, ${objects} notified object changes, ${records} on-failure records in the bucket, 0 lost; terminal conditions ${JSON.stringify(conditions)}`)
  })

  it('every fire and every notified object change is one accepted event, and each ends once; fires only on the grid while enabled; same seed, same timeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(100000), fc.array(opArb, { minLength: 1, maxLength: 30, size: 'max' }), async (seed, ops) => {
        const run = await execute(seed, ops)
        const bySource = new Map<string, number[]>()
        const acc = new Set<string>()
        const terminals = new Map<string, number>()
        for (const e of run.sim.timeline.entries) {
          if (e.type === 'accepted') {
            acc.add(e.requestId)
            const times = bySource.get(e.source ?? '') ?? []
            times.push(e.time)
            bySource.set(e.source ?? '', times)
          }
          if (e.type === 'terminal') terminals.set(e.requestId, (terminals.get(e.requestId) ?? 0) + 1)
        }
        accepted += acc.size
        for (const e of run.sim.timeline.entries) if (e.type === 'terminal') conditions[e.condition] = (conditions[e.condition] ?? 0) + 1
        // Each on-failure record in the bucket names a failed event and carries its terminal condition.
        const conditionOf = new Map<string, string>()
        for (const e of run.sim.timeline.entries) if (e.type === 'terminal') conditionOf.set(e.requestId, e.condition)
        const seenRequestIds = new Set<string>()
        for (const [key, obj] of run.bucket.objects) {
          if (!key.startsWith('aws/lambda/async/')) continue
          records++
          const record = JSON.parse(obj.body) as { timestamp: string; requestContext: { requestId: string; functionArn: string; condition: string } }
          // AWS's convention: aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>, at the record's time.
          const t = record.timestamp
          const fnName = record.requestContext.functionArn.split(':')[6] ?? ''
          expect(key.startsWith(`aws/lambda/async/${fnName}/${t.slice(0, 10).replaceAll('-', '/')}/${t.slice(0, 10)}T${t.slice(11, 19).replaceAll(':', '.')}-`), key).toBe(true)
          expect(key.slice(-36), key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
          expect(seenRequestIds.has(record.requestContext.requestId), key).toBe(false)
          seenRequestIds.add(record.requestContext.requestId)
          expect(record.requestContext.condition, key).toBe(conditionOf.get(record.requestContext.requestId))
          expect(record.requestContext.condition).not.toBe('Success')
        }
        for (const id of acc) expect(terminals.get(id), `terminals of ${id}`).toBe(1)
        expect(terminals.size).toBe(acc.size)
        for (const { log, fires: n } of run.schedules) {
          fires += n
          const times = bySource.get(log.arn) ?? []
          expect(times.length, `accepted events from ${log.arn}`).toBe(n)
          for (const t of times) {
            expect((t - log.createdAt) % log.periodMs, `fire at ${t} on the grid of ${log.arn}`).toBe(0)
            expect(log.enabled.some(([from, to]) => t >= from && t <= to), `fire at ${t} while ${log.arn} was enabled: ${JSON.stringify(log.enabled)}`).toBe(true)
          }
        }
        objects += run.notifiable
        expect(bySource.get(run.bucket.arn)?.length ?? 0, 'accepted events from the bucket').toBe(run.notifiable)
        expect(run.sim.pending()).toEqual([])
        expect(escaped).toEqual([])
        const again = await execute(seed, ops)
        expect(again.timeline).toBe(run.timeline)
      }),
      { numRuns: 150 },
    )
  })
})
