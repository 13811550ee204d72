import { format } from 'node:util'
import { activityStorage } from './scheduler.js'

/**
 * Console capture. Lambda's Node.js runtime itself patches `console` to prefix every line with the
 * time, the request id and the level; we do the same, attributing each call to the attempt running it
 * (through the async context), so `LogType: 'Tail'` and the timeline carry the handler's own lines.
 * Calls made outside any attempt go straight to the original console.
 */
export interface LogSink {
  /** One console call: its level and arguments (formatted by the sink, as Text or JSON). */
  append(level: string, args: unknown[]): void
  /** Whether the line should also reach the real console. */
  readonly echo: boolean
}

let installed = false

// `fatal` is not a Node.js console method: the runtime adds it (LogPatch.js); outside a handler it writes like `error`.
const LEVELS: Record<string, string> = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE', fatal: 'FATAL' }

/** Patch the console methods once, so that lines written by handler code reach their attempt's sink. */
export function installLogCapture(): void {
  if (installed) return
  installed = true
  for (const method of Object.keys(LEVELS) as (keyof typeof LEVELS)[]) {
    const c = console as unknown as Record<string, (...args: unknown[]) => void>
    const original = c[method] ?? (method === 'fatal' ? c['error'] : undefined)
    if (typeof original !== 'function') continue
    const level = LEVELS[method] as string
    c[method] = function patched(this: unknown, ...args: unknown[]): void {
      const sink = activityStorage.getStore()?.currentLogSink()
      if (sink === undefined) {
        original.apply(console, args)
        return
      }
      sink.append(level, args)
      if (sink.echo) original.apply(console, args)
    }
  }
}

/** Application log levels, least severe first (the runtime's `levels` priorities, LogPatch.js). */
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const
export type ApplicationLogLevel = (typeof APPLICATION_LOG_LEVELS)[number]
/** System log levels, most detailed first (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html). */
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number]

/** The severity rank of an application level (TRACE 0 … FATAL 5). */
export function applicationRank(level: string): number {
  return APPLICATION_LOG_LEVELS.indexOf(level as ApplicationLogLevel)
}

/** A console line in the Text format: `<ISO>\t<requestId>\t<LEVEL>\t<message>`. */
export function textLine(iso: string, requestId: string, level: string, args: unknown[]): string {
  return `${iso}\t${requestId}\t${level}\t${format(...args)}\n`
}

/**
 * The runtime's `jsonErrorReplacer` (LogPatch.js): an Error becomes `{errorType, errorMessage,
 * stackTrace}` plus its own enumerable properties. `errorType` is the constructor's name. The stack
 * lines go through `stackLines` (lambda-sim cuts its own frames, as in error payloads).
 */
function jsonErrorReplacer(stackLines: (stack: string) => string[]): (key: string, value: unknown) => unknown {
  return (_key, value) => {
    if (!(value instanceof Error)) return value
    return Object.assign(
      { errorType: (value as { constructor?: { name?: string } }).constructor?.name ?? 'UnknownError', errorMessage: value.message, stackTrace: typeof value.stack === 'string' ? stackLines(value.stack) : value.stack },
      value,
    )
  }
}

/**
 * A console line in the JSON format, as the runtime's `formatJsonMessage` builds it (LogPatch.js):
 * `{timestamp, level, requestId, message}`, `requestId` left out when there is none (init code). One
 * argument is the message as it is (an object stays an object, an Error is serialised by the
 * replacer; one JSON cannot serialise is formatted instead); several are formatted with
 * `util.format`, and the first Error among them adds `errorType`, `errorMessage` and `stackTrace`.
 */
export function jsonLine(iso: string, requestId: string | undefined, level: string, args: unknown[], stackLines: (stack: string) => string[] = splitLines): string {
  const result: Record<string, unknown> = { timestamp: iso, level, requestId }
  // `console.log()` passes the runtime one undefined message, which JSON leaves out.
  if (args.length <= 1) {
    result['message'] = args[0]
    try {
      return `${JSON.stringify(result, jsonErrorReplacer(stackLines))}\n`
    } catch {
      result['message'] = format(args[0])
      return `${JSON.stringify(result)}\n`
    }
  }
  result['message'] = format(...args)
  for (const param of args) {
    if (param instanceof Error) {
      result['errorType'] = (param as { constructor?: { name?: string } }).constructor?.name ?? 'UnknownError'
      result['errorMessage'] = param.message
      result['stackTrace'] = typeof param.stack === 'string' ? stackLines(param.stack) : []
      break
    }
  }
  return `${JSON.stringify(result)}\n`
}

const splitLines = (stack: string): string[] => stack.split('\n')

/** Keep the last `maxBytes` bytes of `text`, base64 encoded (`X-Amz-Log-Result`). */
export function tailBase64(text: string, maxBytes = 4096): string {
  const buf = Buffer.from(text, 'utf8')
  return (buf.length > maxBytes ? buf.subarray(buf.length - maxBytes) : buf).toString('base64')
}
