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

/**
 * The context of one attempt. Built once per attempt without intermediate objects: the values come
 * straight from the attempt; `now` reads the virtual clock for `getRemainingTimeInMillis`.
 */
export function createContext(
  functionName: string,
  functionVersion: string,
  invokedFunctionArn: string,
  memorySize: number,
  awsRequestId: string,
  logStreamName: string,
  deadline: number,
  clock: { readonly now: number },
  clientContext: Context['clientContext'],
  init: unknown,
  complete: (error: unknown, result: unknown) => void,
): SimContext {
  const context: SimContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion,
    invokedFunctionArn,
    memoryLimitInMB: String(memorySize),
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now),
    done: (error?: Error, result?: unknown) => complete(error ?? null, result),
    fail: (error: Error | string) => complete(error ?? 'handled', undefined),
    succeed: (result: unknown) => complete(null, result),
  }
  if (clientContext !== undefined) context.clientContext = clientContext
  if (init !== undefined) (context as { init?: unknown }).init = init
  return context
}
