/** What the built-in sinks need from the simulator. */
export interface SinkHost {
  readonly region: string
  readonly accountId: string
  now(): number
  iso(ms: number): string
  uuid(): string
  /** Accept an asynchronous invocation of a function (a topic subscriber, a function destination). */
  invokeAsync(functionArnOrName: string, eventJson: string, source: { kind: string; arn: string }): void
  /** Report something the test author should see (a `warning` event). */
  notice(kind: string, message: string, details: Record<string, unknown>): void
  /** Report a sink-level event on the simulator's stream. */
  emitSinkEvent(event: { type: 'message'; sink: string; messageId: string }): void
}
