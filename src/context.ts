import type { Context } from 'aws-lambda'

/**
 * The Lambda context object (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html).
 * Values follow the Node.js runtime interface client: `memoryLimitInMB` is a string, `functionVersion`
 * is the executed version, `invokedFunctionArn` carries a qualifier only if the caller gave one.
 */
export interface SimContext extends Context {
  /** Result of the function's `init` for this execution environment (lambda-sim extension). */
  readonly init?: unknown
}

/** Defaults used when a test builds a context by hand (e.g. to call a handler directly). */
export const defaultContext: Omit<Context, 'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed'> = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'handler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:handler',
  memoryLimitInMB: '128',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/handler',
  logStreamName: '2026/01/01/[$LATEST]00000000000000000000000000000000',
}

/** What a context answers to: the attempt it belongs to. */
export interface ContextOwner {
  /** Virtual epoch ms of the attempt's deadline. */
  readonly deadline: number
  readonly scheduler: { readonly now: number }
  /** The first completion of any kind counts (`context.done/succeed/fail`, a settled promise). */
  complete(error: unknown, result: unknown): void
}

/**
 * The context of one attempt. Its functions are own properties, as the runtime's are, and work when
 * called detached (`promise.then(context.succeed)`); they close over the attempt alone, so the four
 * share one closure scope. Strings that depend only on the function come from `shared`.
 */
export function createContext(
  owner: ContextOwner,
  functionName: string,
  functionVersion: string,
  invokedFunctionArn: string,
  memoryLimitInMB: string,
  awsRequestId: string,
  logGroupName: string,
  logStreamName: string,
  clientContext: Context['clientContext'],
  init: unknown,
): SimContext {
  const context: SimContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn,
    memoryLimitInMB,
    awsRequestId,
    logGroupName,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, owner.deadline - owner.scheduler.now),
    done: (error?: Error, result?: unknown) => owner.complete(error ?? null, result),
    fail: (error: Error | string) => owner.complete(error ?? 'handled', undefined),
    succeed: (result: unknown) => owner.complete(null, result),
  }
  // As the RIC's InvokeContext: both keys are always assigned, undefined when the invoke carried none.
  const own = context as { clientContext?: unknown; identity?: unknown }
  own.clientContext = clientContext
  own.identity = undefined
  if (init !== undefined) (context as { init?: unknown }).init = init
  return context
}
