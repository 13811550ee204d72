import { AsyncLocalStorage } from 'node:async_hooks'
import { attemptInputOf, endedAttemptOf } from '../attempt.js'
import { Activity, activityStorage, type FreezableWork, type Scheduler } from '../scheduler.js'
import { internals, type Simulator, type SimulatorImpl } from '../simulator.js'

/**
 * Un-awaited sends and the freeze (docs/sdk.md, "A send the handler does not await"). Between
 * `client.send(...)` and the request handler the SDK's middleware takes about a hundred microtasks,
 * and on the first request of a process real file I/O (it reads the shared AWS config files), so a
 * handler that returns without awaiting its send has finished long before its request reaches the
 * simulator; the response takes as long to come back. The middleware sees the send start,
 * synchronously, in the handler's async context, and makes it this activity:
 *
 * - From then until the request reaches the simulator it is busy work, like a running handler or an
 *   async sink's delivery: virtual time does not move, so where the request lands never depends on
 *   real time. The same holds for the response, from the simulator's answer until the send settles
 *   (the `response` leg); while the simulator works on the request (a synchronous invoke's callee
 *   runs) and while `virtualRetryStrategy` waits, the send is parked and time moves. One that never
 *   arrives, or never settles, is given up after the real-time grace, with a warning.
 * - If its attempt ends before the request arrives, the request is work left running: counted in the
 *   attempt's `work-left-running` event (and strict mode), frozen with the environment, and sent when
 *   that environment is next invoked, or never if it is not (a timeout discards it with the
 *   environment).
 */
class SdkSend extends Activity implements FreezableWork {
  /** The attempt whose code sent it (its async context is the request's). */
  readonly sender: Activity
  /** The attempt it is work of (until it arrives, it is in that attempt's `work`). */
  #owner: Activity | undefined
  #frozen = false
  #discarded = false
  /** Reached the simulator while frozen: released by thaw. */
  #release: (() => void) | undefined = undefined
  /** From the request's arrival to the send's end: parked while the simulator or the retry strategy waits. */
  #response: Activity | undefined = undefined
  #responseParked = false
  /** The send settled (it may have been aborted while its request was held): nothing more to track. */
  #settled = false

  constructor(scheduler: Scheduler, owner: Activity) {
    super(`SDK request sent by ${owner.label}`)
    this.sender = owner
    this.#owner = owner
    this.about = owner.aboutInfo()
    ;(owner.work ??= new Set()).add(this)
    scheduler.start(this)
  }

  /** The request is no longer on its way: it reached the simulator, or the send failed before it did. */
  #stopped(): void {
    if (!this.live) return
    this.#owner?.work?.delete(this)
    this.#owner = undefined
    this.scheduler.end(this)
  }

  /** Park or unpark the response leg (idempotent). */
  #parkResponse(parked: boolean): void {
    const response = this.#response
    if (response === undefined || this.#responseParked === parked) return
    this.#responseParked = parked
    if (parked) response.park()
    else response.unpark()
  }

  /** The request is routed now: the response leg starts, parked while the simulator works on it. */
  readonly #routed = (): void => {
    if (this.#settled) return
    const response = this.scheduler.begin(`SDK response to ${this.label.slice('SDK request sent by '.length)}`)
    response.about = this.about
    this.#response = response
    this.#parkResponse(true)
  }

  /**
   * The request reached the simulator. Returns undefined when it goes on now, or a promise settled
   * when it may (never, for a request discarded with its environment). A retry of the same send
   * reaches here again and goes on.
   */
  arrived(): Promise<void> | undefined {
    if (!this.live) {
      this.#parkResponse(true)
      return undefined
    }
    this.#stopped()
    if (this.#discarded) return new Promise<void>(() => undefined)
    if (this.#frozen) {
      return new Promise<void>((resolve) => {
        this.#release = () => {
          this.#routed()
          resolve()
        }
      })
    }
    this.#routed()
    return undefined
  }

  /** The simulator answered: the response is on its way back through the SDK. */
  answered(): void {
    this.#parkResponse(false)
  }

  /** The retry strategy waits on the virtual clock (parked), or is done waiting. */
  waiting(parked: boolean): void {
    this.#parkResponse(parked)
  }

  /** The send settled. */
  readonly settled = (): void => {
    this.#settled = true
    this.#stopped()
    const response = this.#response
    if (response !== undefined) {
      this.#response = undefined
      this.scheduler.end(response)
    }
  }

  freeze(discarded: boolean): void {
    this.#owner = undefined
    if (discarded) this.#discarded = true
    else this.#frozen = true
  }

  thaw(activity: Activity): void {
    this.#frozen = false
    const release = this.#release
    if (release !== undefined) {
      this.#release = undefined
      release()
    } else if (this.live) {
      // Still on its way (the next invocation started before it arrived): it is that attempt's work now.
      this.#owner = activity
      ;(activity.work ??= new Set()).add(this)
    }
  }
}

/** The send whose request the request handler is answering (see sendTracking). */
const sendStorage = new AsyncLocalStorage<SdkSend>()

/**
 * The tracked send of the code running now. A callee that a tracked synchronous invoke runs inherits
 * the caller's store; its own sends through a client without tracking must not act on the caller's.
 */
function currentSend(): SdkSend | undefined {
  const send = sendStorage.getStore()
  return send !== undefined && send.sender === activityStorage.getStore() ? send : undefined
}

/** Called by the request handler when a request reaches the simulator: undefined, or a promise to wait for (see SdkSend.arrived). */
export function requestArrived(): Promise<void> | undefined {
  return currentSend()?.arrived()
}

/**
 * Called by the request handler when a request reaches the simulator with no tracked send (a client
 * without `sendTracking`): if it comes in the async context of an attempt of `sim` that has already
 * ended, the handler returned without awaiting it. Like a tracked send left running, it waits, frozen
 * with the environment, until the environment is next invoked: the promise returned settles then
 * (never, if the environment ended with the attempt). It goes on at once if the environment has been
 * invoked again since (it thawed). Either way an `unawaited-sdk-request` warning names it, since the
 * attempt's `work-left-running` was decided without it. Undefined when the request goes on now.
 */
export function untrackedArrival(sim: SimulatorImpl, request: string): Promise<void> | undefined {
  if (currentSend() !== undefined) return undefined
  const activity = activityStorage.getStore()
  if (activity === undefined || activity.scheduler !== sim.scheduler) return undefined
  const ended = endedAttemptOf(activity)
  if (ended === undefined) return undefined
  const about = activity.aboutInfo()
  if (about === undefined) return undefined
  const { requestId, functionName } = about
  const fate = ended.discarded ? 'discarded' : ended.frozen ? 'frozen' : 'thawed'
  sim.unawaitedSdkRequest({ requestId, functionName, label: ended.label, environment: ended.env.id, request, fate, intended: ended.intended })
  if (fate === 'discarded') return new Promise<void>(() => undefined)
  if (fate === 'thawed') return undefined
  return new Promise<void>((resolve) => {
    // Already frozen (the environment was frozen when the attempt ended): only thaw has anything to do.
    ;(ended.env.frozenWork ??= []).push({ freeze: () => undefined, thaw: () => resolve() })
  })
}

/** Called by the request handler when the simulator has answered the request. */
export function requestAnswered(): void {
  currentSend()?.answered()
}

/** Called by `virtualRetryStrategy` around its wait on the virtual clock. */
export function retryWaiting(parked: boolean): void {
  currentSend()?.waiting(parked)
}

type Next = (args: unknown) => Promise<unknown>

/**
 * The initialize-step middleware that tracks sends made by handler code of `sim` (see SdkSend).
 * Sends from test code, or from code another simulator runs, pass through unchanged. Structurally
 * typed (no SDK import); sdk/index.ts wraps it as the SDK's plugin, {@link sendTracking}.
 */
export function sendTrackingMiddleware(sim: Simulator): (next: Next) => Next {
  const scheduler = internals(sim).scheduler
  return (next) => (args) => {
    const activity = activityStorage.getStore()
    if (activity === undefined || !activity.live || activity.scheduler !== scheduler || attemptInputOf(activity) === undefined) return next(args)
    const send = new SdkSend(scheduler, activity)
    let result: Promise<unknown>
    try {
      result = sendStorage.run(send, next, args)
    } catch (error) {
      send.settled()
      throw error
    }
    // A side branch: the promise the SDK goes on with is the one `next` returned, unchanged.
    result.then(send.settled, send.settled)
    return result
  }
}
