import type FakeTimersModule from '@sinonjs/fake-timers'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import * as timersModule from 'node:timers'
import * as timersPromisesModule from 'node:timers/promises'
import { promisify } from 'node:util'
import { SimulatorError } from './errors.js'
import { andList } from './validation.js'
import { activityStorage, SleepTask, type Activity, type Scheduler } from './scheduler.js'

/**
 * @sinonjs/fake-timers (CommonJS, with its dependencies about a fifth of lambda-sim's import time) is
 * loaded the first time virtual globals are installed, not when lambda-sim is imported.
 */
let fakeTimers: typeof FakeTimersModule | undefined
function loadFakeTimers(): typeof FakeTimersModule {
  return (fakeTimers ??= createRequire(import.meta.url)('@sinonjs/fake-timers') as typeof FakeTimersModule)
}

/**
 * `sim.useVirtualGlobals()`: Date and the timer globals follow the virtual clock.
 *
 * Design (docs/testing.md, "Virtual time inside handler code"):
 * - `Date` comes from @sinonjs/fake-timers (a complete, well-tested Date replacement); its clock's
 *   `now` is made a getter on the scheduler's clock, so it never drifts from `sim.now()`.
 * - The timer functions are our own: a timer created by handler code is a {@link SleepTask} owned by
 *   the running attempt, exactly like `sim.sleep`. It parks the attempt while pending, is charged to
 *   the right attempt across awaits, and freezes with the environment when the handler returns
 *   first. Timers created anywhere else (test code, the test runner) go to the functions that were
 *   installed before, so the runner's own timeouts keep working.
 */

/** Node's limit: delays outside 1..TIMEOUT_MAX become 1 ms. */
const TIMEOUT_MAX = 2 ** 31 - 1

let active: Scheduler | undefined
/**
 * The last timer id each simulator handed out: ids count per simulator, not per process, so the same
 * program gives the same ids in a fresh simulator whatever ran before it in the process.
 */
const lastTimerId = new WeakMap<Scheduler, number>()

type Callback = (...args: unknown[]) => void

/** What virtual `setImmediate` returns, shaped like Node's `Immediate`: `ref`, `unref`, `hasRef`, no id. */
class VirtualTimer {
  readonly id: number
  task: SleepTask | undefined
  /** The attempt that last armed it (a fired timer can be refreshed). */
  owner: Activity | undefined
  /** The attempt whose code created it: its leftover work wherever it is thawed and re-armed. */
  origin: Activity | undefined
  cleared = false
  readonly callback: Callback
  readonly args: unknown[]
  /** Interval period; undefined for one-shot timers. */
  readonly repeatMs: number | undefined
  readonly delayMs: number
  protected readonly install: Installation

  constructor(install: Installation, callback: Callback, args: unknown[], delayMs: number, repeat: boolean) {
    this.id = install.nextTimerId()
    this.install = install
    this.callback = callback
    this.args = args
    this.delayMs = delayMs
    this.repeatMs = repeat ? delayMs : undefined
  }

  /** Keeps the owner's event loop alive (Node's `kRefed`); survives firing, freezing and refresh. */
  refed = true
  /** Not the handler's own work (the timer behind `AbortSignal.timeout`): never counted as work left running. */
  background = false

  /** As Node: the timer keeps the event loop alive again. */
  ref(): this {
    this.refed = true
    if (this.task !== undefined) this.task.unrefed = false
    return this
  }
  /** As Node: the timer no longer keeps the event loop alive, so the runtime's drain does not wait for it. */
  unref(): this {
    this.refed = false
    const task = this.task
    if (task !== undefined && !task.unrefed) {
      task.unrefed = true
      task.owner?.timersChanged()
    }
    return this
  }
  hasRef(): boolean {
    return this.refed
  }
}

/** What virtual `setTimeout` / `setInterval` return, shaped like Node's `Timeout`. */
class VirtualTimeout extends VirtualTimer {
  /**
   * As Node's `Timeout.prototype.refresh`: due `delayMs` from now, whether pending or already fired
   * (a fired timer is re-armed); nothing after clearTimeout/close.
   */
  refresh(): this {
    if (this.cleared) return this
    const owner = this.task?.owner ?? this.install.current() ?? this.owner
    if (owner !== undefined && owner.live) {
      this.install.disarm(this)
      this.install.arm(this, owner, this.delayMs)
    }
    return this
  }
  close(): this {
    this.install.clear(this)
    return this
  }
  [Symbol.toPrimitive](): number {
    return this.id
  }
}

class Installation {
  readonly scheduler: Scheduler
  readonly byId = new Map<number, VirtualTimeout>()

  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler
  }

  nextTimerId(): number {
    const id = (lastTimerId.get(this.scheduler) ?? 0) + 1
    lastTimerId.set(this.scheduler, id)
    return id
  }

  /** The attempt whose handler code is running, if it belongs to this simulator. */
  current(): Activity | undefined {
    const a = activityStorage.getStore()
    return a !== undefined && a.live && a.scheduler === this.scheduler ? a : undefined
  }

  arm(timer: VirtualTimer, owner: Activity, delayMs: number): void {
    const task = new SleepTask(owner, () => this.fire(timer, task))
    task.origin = timer.origin ??= owner
    task.unrefed = !timer.refed
    task.background = timer.background
    timer.task = task
    timer.owner = owner
    ;(owner.timers ??= new Set()).add(task)
    owner.park()
    if (timer instanceof VirtualTimeout) this.byId.set(timer.id, timer)
    this.scheduler.schedule(task, this.scheduler.now + delayMs)
  }

  /** Remove a pending timer from the clock (and from its owner's parked count). */
  disarm(timer: VirtualTimer): void {
    const task = timer.task
    if (task === undefined) return
    timer.task = undefined
    this.byId.delete(timer.id)
    this.scheduler.cancel(task)
    const owner = task.owner
    if (owner !== undefined && owner.timers?.delete(task) === true) {
      owner.unpark()
      owner.timersChanged()
    }
  }

  clear(timer: VirtualTimer): void {
    timer.cleared = true
    this.disarm(timer)
  }

  /** SleepTask.fire has already unparked the owner; run the callback as the owner's code. */
  fire(timer: VirtualTimer, task: SleepTask): void {
    if (timer.task !== task) return
    timer.task = undefined
    this.byId.delete(timer.id)
    if (timer.cleared) return
    const owner = task.owner
    if (owner === undefined || !owner.live) return
    activityStorage.run(owner, () => {
      try {
        timer.callback(...timer.args)
      } catch (error) {
        // On Lambda an uncaught exception ends the invocation with that error and the runtime exits.
        owner.uncaught(error)
      }
    })
    // As Node's listOnTimeout: an interval is re-inserted after its callback (behind timers the
    // callback started), due one period after the instant it ran at (virtual time has not moved).
    if (timer.repeatMs !== undefined && !timer.cleared && owner.live) {
      this.disarm(timer)
      this.arm(timer, owner, timer.repeatMs)
    }
  }
}

/** Node's Timeout constructor: `after *= 1`; outside 1..TIMEOUT_MAX it is 1, with a warning above. */
function delayOf(ms: unknown): number {
  if (typeof ms === 'bigint') throw new TypeError('Cannot mix BigInt and other types, use explicit conversions')
  const n = Number(ms)
  if (n >= 1 && n <= TIMEOUT_MAX) return Math.trunc(n)
  if (n > TIMEOUT_MAX) process.emitWarning(`${n} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`, 'TimeoutOverflowWarning')
  return 1
}

function checkCallback(name: string, callback: unknown): asserts callback is Callback {
  if (typeof callback !== 'function') {
    const error = new TypeError(`The "callback" argument must be of type function. Received ${typeof callback} (${name})`) as TypeError & { code: string }
    error.code = 'ERR_INVALID_ARG_TYPE'
    throw error
  }
}

/** Node's `AbortError` (lib/internal/errors.js), as `timers/promises` rejects with it. */
function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason }) as Error & { code: string }
  error.code = 'ABORT_ERR'
  error.name = 'AbortError'
  return error
}

interface TimerPromiseOptions {
  signal?: AbortSignal
  ref?: boolean
}

/**
 * A `timers/promises` function on virtual timers: `start` arms the timer. As Node's: an aborted signal
 * rejects with AbortError (and clears the timer), `ref: false` unrefs it.
 */
function virtualTimerPromise<T>(options: TimerPromiseOptions | undefined, start: (resolve: () => void) => VirtualTimer, clear: (timer: VirtualTimer) => void, value: T): Promise<T> {
  const signal = options?.signal
  if (signal?.aborted === true) return Promise.reject(abortError(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      clear(timer)
      reject(abortError(signal as AbortSignal))
    }
    const timer = start(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(value)
    })
    if (options?.ref === false) timer.unref()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * `timers/promises` `setInterval` on a virtual interval, as Node's (lib/timers/promises.js): the
 * interval starts at the first `next()`, each tick is counted and yielded once (ticks that came while
 * the consumer was busy are yielded at once), an abort rejects with AbortError, and `return()` (a
 * `break`) clears the interval.
 */
async function* virtualIntervalIterator<T>(
  setIntervalFn: (callback: Callback, ms: unknown) => unknown,
  clear: (timer: VirtualTimer) => void,
  after: unknown,
  value: T,
  options: TimerPromiseOptions | undefined,
): AsyncGenerator<T, never, undefined> {
  const signal = options?.signal
  if (signal?.aborted === true) throw abortError(signal)
  let interval: VirtualTimer | undefined
  let onCancel: (() => void) | undefined
  try {
    let notYielded = 0
    let callback: ((v?: unknown) => void) | undefined
    interval = setIntervalFn(() => {
      notYielded++
      callback?.()
      callback = undefined
    }, after) as VirtualTimer
    if (options?.ref === false) interval.unref()
    if (signal !== undefined) {
      onCancel = (): void => {
        clear(interval as VirtualTimer)
        callback?.(Promise.reject(abortError(signal)))
        callback = undefined
      }
      signal.addEventListener('abort', onCancel, { once: true })
    }
    // (A function: TypeScript would keep `aborted` narrowed to false from the check above.)
    const aborted = (): boolean => signal?.aborted === true
    while (!aborted()) {
      if (notYielded === 0) await new Promise((resolve) => (callback = resolve))
      for (; notYielded > 0; notYielded--) yield value
    }
    throw abortError(signal as AbortSignal)
  } finally {
    if (interval !== undefined) clear(interval)
    if (onCancel !== undefined) signal?.removeEventListener('abort', onCancel)
  }
}

/** The writable CommonJS exports behind `node:timers` and `node:timers/promises` (ESM imports follow them after syncBuiltinESMExports). */
const timersExports = (timersModule as unknown as { default: Record<string, unknown> }).default
const timersPromisesExports = (timersPromisesModule as unknown as { default: Record<string, unknown> & { scheduler: Record<string, unknown> } }).default

/** Install virtual Date and timers for `scheduler`; returns the restore function. */
export function installVirtualGlobals(scheduler: Scheduler): () => void {
  if (active !== undefined) {
    throw new SimulatorError('InvalidUse', 'Virtual globals are already on for another simulator; call the restore function its useVirtualGlobals() returned first')
  }
  // Another @sinonjs/fake-timers clock owns Date: vitest's vi.useFakeTimers() and jest's modern fake
  // timers are that library, whose own refusal ("Can't install fake timers twice on the same global
  // object.") names neither lambda-sim nor the way out.
  if ((globalThis.Date as { isFake?: unknown }).isFake === true) {
    throw new SimulatorError(
      'InvalidUse',
      'useVirtualGlobals(): Date is already faked by another fake-timers clock (vi.useFakeTimers() or jest.useFakeTimers()?); both replace the same globals. Call vi.useRealTimers() / jest.useRealTimers() first, or wait with sim.sleep(ms) in handler code instead of virtual globals',
    )
  }
  const g = globalThis as unknown as Record<string, unknown>
  const names = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'] as const
  const saved = Object.fromEntries(names.map((n) => [n, g[n]])) as Record<(typeof names)[number], Callback & ((...args: unknown[]) => unknown)>
  const install = new Installation(scheduler)

  // Nothing is replaced yet if this throws; `active` is set after it, so a failed install does not
  // leave every later useVirtualGlobals() refused as "already on for another simulator".
  const clock = loadFakeTimers().withGlobal(globalThis).install({ toFake: ['Date'], now: scheduler.now })
  active = scheduler
  Object.defineProperty(clock, 'now', { configurable: true, get: () => scheduler.now, set: () => {} })

  const make = (name: 'setTimeout' | 'setInterval' | 'setImmediate') =>
    function (this: unknown, callback: unknown, ...rest: unknown[]): unknown {
      const owner = install.current()
      if (owner === undefined) return saved[name].call(globalThis, callback, ...rest)
      checkCallback(name, callback)
      const immediate = name === 'setImmediate'
      const delayMs = immediate ? 0 : delayOf(rest[0])
      const timer = immediate ? new VirtualTimer(install, callback, rest, 0, false) : new VirtualTimeout(install, callback, rest.slice(1), delayMs, name === 'setInterval')
      install.arm(timer, owner, delayMs)
      return timer
    }
  const makeClear = (name: 'clearTimeout' | 'clearInterval' | 'clearImmediate') =>
    function (this: unknown, handle: unknown): void {
      // As Node: clearTimeout and clearInterval are one function and ignore an Immediate (it has no
      // `_onTimeout`); they take a Timeout's numeric id too. clearImmediate cancels either handle.
      if (handle instanceof VirtualTimer) {
        if (name === 'clearImmediate' || handle instanceof VirtualTimeout) install.clear(handle)
        return
      }
      if (name !== 'clearImmediate' && (typeof handle === 'number' || typeof handle === 'string')) {
        const timer = install.byId.get(Number(handle))
        if (timer !== undefined) {
          install.clear(timer)
          return
        }
      }
      saved[name].call(globalThis, handle)
    }

  const virtualSetTimeout = make('setTimeout')
  // util.promisify(setTimeout) (and libraries using it) get a virtual sleep too.
  Object.defineProperty(virtualSetTimeout, promisify.custom, {
    value: (ms?: number, value?: unknown) => new Promise((resolve) => virtualSetTimeout(resolve, ms, value)),
  })
  const virtualSetImmediate = make('setImmediate')
  Object.defineProperty(virtualSetImmediate, promisify.custom, {
    value: (value?: unknown) => new Promise((resolve) => virtualSetImmediate(resolve, value)),
  })
  g['setTimeout'] = virtualSetTimeout
  g['setInterval'] = make('setInterval')
  g['setImmediate'] = virtualSetImmediate
  g['clearTimeout'] = makeClear('clearTimeout')
  g['clearInterval'] = makeClear('clearInterval')
  g['clearImmediate'] = makeClear('clearImmediate')

  // node:timers exports the same functions as the globals; node:timers/promises gets virtual
  // setTimeout, setImmediate and scheduler.wait. Outside handler code they are the real ones.
  const savedTimers = Object.fromEntries(names.map((n) => [n, timersExports[n]]))
  for (const n of names) timersExports[n] = g[n]
  const promises = timersPromisesExports
  const realPromises = { setTimeout: promises['setTimeout'], setImmediate: promises['setImmediate'], setInterval: promises['setInterval'], wait: promises.scheduler['wait'] } as Record<string, (...args: unknown[]) => Promise<unknown>>
  promises['setTimeout'] = (delay?: unknown, value?: unknown, options?: TimerPromiseOptions): Promise<unknown> => {
    const owner = install.current()
    if (owner === undefined) return (realPromises['setTimeout'] as (...args: unknown[]) => Promise<unknown>)(delay, value, options)
    return virtualTimerPromise(options, (resolve) => virtualSetTimeout(resolve, delay) as VirtualTimer, (t) => install.clear(t), value)
  }
  promises['setImmediate'] = (value?: unknown, options?: TimerPromiseOptions): Promise<unknown> => {
    const owner = install.current()
    if (owner === undefined) return (realPromises['setImmediate'] as (...args: unknown[]) => Promise<unknown>)(value, options)
    return virtualTimerPromise(options, (resolve) => virtualSetImmediate(resolve) as VirtualTimer, (t) => install.clear(t), value)
  }
  // AbortSignal.timeout(ms): Node arms its timer with the internal setTimeout, which the globals do
  // not reach. In handler code the signal is aborted by a virtual timer, as Node's: unref'd, with a
  // `TimeoutError` DOMException as its reason (lib/internal/abort_controller.js). Invalid delays go to
  // Node's own function, so they throw its errors.
  const abortSignalTimeout = Object.getOwnPropertyDescriptor(AbortSignal, 'timeout') as PropertyDescriptor
  const realAbortSignalTimeout = abortSignalTimeout.value as (delay: number) => AbortSignal
  Object.defineProperty(AbortSignal, 'timeout', {
    ...abortSignalTimeout,
    value: function timeout(delay: number): AbortSignal {
      const owner = install.current()
      if (owner === undefined || typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 0xffffffff) return realAbortSignalTimeout.call(AbortSignal, delay)
      const controller = new AbortController()
      const abort = (): void => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
      const timer = new VirtualTimeout(install, abort, [], delayOf(delay), false)
      timer.refed = false
      timer.background = true
      install.arm(timer, owner, timer.delayMs)
      return controller.signal
    },
  })

  const virtualSetInterval = g['setInterval'] as (callback: Callback, ms: unknown) => unknown
  promises['setInterval'] = (after?: unknown, value?: unknown, options?: TimerPromiseOptions): unknown => {
    // Options Node would refuse go to Node's function, which throws its own error on the first next().
    const valid = options === undefined || (typeof options === 'object' && options !== null && (options.signal === undefined || options.signal instanceof AbortSignal) && (options.ref === undefined || typeof options.ref === 'boolean'))
    if (install.current() === undefined || !valid) return (realPromises['setInterval'] as (...args: unknown[]) => unknown)(after, value, options)
    // (The interval is made at the first next(): outside handler code that is a real one, cleared as such.)
    return virtualIntervalIterator(virtualSetInterval, (t) => (t instanceof VirtualTimer ? install.clear(t) : saved.clearInterval.call(globalThis, t)), after, value, options)
  }

  const waitWasOwn = Object.hasOwn(promises.scheduler, 'wait')
  promises.scheduler['wait'] = (delay?: unknown, options?: TimerPromiseOptions): Promise<unknown> =>
    (promises['setTimeout'] as (...args: unknown[]) => Promise<unknown>)(delay, undefined, options)
  syncBuiltinESMExports()

  const fakeDate = globalThis.Date
  const ours = Object.fromEntries(names.map((n) => [n, g[n]]))

  return () => {
    // Another fake-timers tool turned on after us (node:test's MockTimers does not check for one, as
    // @sinonjs/fake-timers does) saved our functions as its originals and puts them back when it
    // resets: restoring now cannot undo that, so say so once everything is back.
    const replaced = [...(globalThis.Date !== fakeDate ? ['Date'] : []), ...names.filter((n) => g[n] !== ours[n])]
    for (const n of names) g[n] = saved[n]
    for (const n of names) timersExports[n] = savedTimers[n]
    promises['setTimeout'] = realPromises['setTimeout']
    promises['setImmediate'] = realPromises['setImmediate']
    promises['setInterval'] = realPromises['setInterval']
    if (waitWasOwn) promises.scheduler['wait'] = realPromises['wait']
    else delete promises.scheduler['wait']
    Object.defineProperty(AbortSignal, 'timeout', abortSignalTimeout)
    syncBuiltinESMExports()
    if (globalThis.Date !== fakeDate) globalThis.Date = fakeDate // uninstall() puts back the Date it replaced only if ours is in place
    clock.uninstall()
    active = undefined
    if (replaced.length > 0) {
      throw new SimulatorError(
        'InvalidUse',
        `useVirtualGlobals() restore: ${andList(replaced)} ${replaced.length === 1 ? 'was' : 'were'} replaced after useVirtualGlobals() by another fake-timers tool (node:test's mock.timers.enable()?), which will put lambda-sim's back when it resets, leaving Date at virtual time. Reset that tool first (t.mock.timers.reset()), or turn it on before useVirtualGlobals(); both replace the same globals`,
      )
    }
  }
}
