import { format } from 'node:util'
import { activityStorage } from './scheduler.js'

/**
 * Console capture. Lambda's Node.js runtime itself patches `console` to prefix every line with the
 * time, the request id and the level; we do the same, attributing each call to the attempt running it
 * (through the async context), so `LogType: 'Tail'` and the timeline carry the handler's own lines.
 * Calls made outside any attempt go straight to the original console.
 */
export interface LogSink {
  append(level: string, message: string): void
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
      sink.append(level, format(...args))
      if (sink.echo) original.apply(console, args)
    }
  }
}

/** Keep the last `maxBytes` bytes of `text`, base64 encoded (`X-Amz-Log-Result`). */
export function tailBase64(text: string, maxBytes = 4096): string {
  const buf = Buffer.from(text, 'utf8')
  return (buf.length > maxBytes ? buf.subarray(buf.length - maxBytes) : buf).toString('base64')
}
