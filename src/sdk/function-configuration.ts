import { createHash } from '../internal/node-crypto.js'
import type { FunctionVersion } from '../functions.js'

/**
 * The `FunctionConfiguration` structure of GetFunction, GetFunctionConfiguration and PublishVersion,
 * in wire form (PascalCase JSON). Fields lambda-sim does not model get the values a plain Node.js
 * zip function has on AWS: runtime `nodejs22.x`, handler `index.handler`, x86_64, 512 MB /tmp,
 * state `Active`. https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
 */
export interface WireFunctionConfiguration {
  FunctionName: string
  FunctionArn: string
  Runtime: string
  Role: string
  Handler: string
  CodeSize: number
  Description: string
  Timeout: number
  MemorySize: number
  LastModified: string
  CodeSha256: string
  Version: string
  Environment?: { Variables: Record<string, string> }
  DeadLetterConfig?: { TargetArn: string }
  TracingConfig: { Mode: 'PassThrough' }
  RevisionId: string
  State: 'Active'
  LastUpdateStatus: 'Successful'
  PackageType: 'Zip'
  Architectures: ['x86_64']
  EphemeralStorage: { Size: 512 }
  SnapStart: { ApplyOn: 'None'; OptimizationStatus: 'Off' }
  LoggingConfig: { LogFormat: 'Text' | 'JSON'; ApplicationLogLevel?: string; SystemLogLevel?: string; LogGroup: string }
}

/** The runtime lambda-sim reports (the handler model follows the Node.js runtime interface client). */
export const SIMULATED_RUNTIME = 'nodejs22.x'

/** `CodeSha256`: base64 SHA-256 of the handler's source text, so it changes exactly when the code does. */
export function codeSha256(version: FunctionVersion): string {
  return createHash('sha256').update(String(version.handler)).digest('base64')
}

/**
 * `LastModified` as Lambda prints it: `2026-01-01T00:00:00.000+0000`. lambda-sim keeps one instant per
 * function (its creation on the virtual clock), used for every version.
 */
export function lastModified(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000')
}

/**
 * The configuration of `version`. `arnQualifier` is what FunctionArn is qualified with: nothing for an
 * unqualified request, else the version or alias as requested (an alias shows its own ARN and the
 * version it points to in `Version`).
 */
export function functionConfiguration(version: FunctionVersion, arnQualifier: string | undefined, accountId: string): WireFunctionConfiguration {
  const fn = version.fn
  const sha = codeSha256(version)
  const config: WireFunctionConfiguration = {
    FunctionName: fn.name,
    FunctionArn: arnQualifier === undefined ? fn.arn : `${fn.arn}:${arnQualifier}`,
    Runtime: SIMULATED_RUNTIME,
    Role: `arn:aws:iam::${accountId}:role/lambda-sim-${fn.name}`,
    Handler: 'index.handler',
    CodeSize: Buffer.byteLength(String(version.handler), 'utf8'),
    Description: version.description,
    Timeout: version.timeoutMs / 1000,
    MemorySize: version.memorySize,
    LastModified: lastModified(fn.createdAt),
    CodeSha256: sha,
    Version: version.version,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: '',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  }
  if (Object.keys(version.environment).length > 0) config.Environment = { Variables: { ...version.environment } }
  if (version.deadLetterTargetArn !== undefined) config.DeadLetterConfig = { TargetArn: version.deadLetterTargetArn }
  const json = version.jsonLogging
  if (json !== undefined) config.LoggingConfig = { LogFormat: 'JSON', ApplicationLogLevel: json.applicationLogLevel, SystemLogLevel: json.systemLogLevel, LogGroup: `/aws/lambda/${fn.name}` }
  const state: unknown[] = [fn.arn, version.version, sha, version.timeoutMs, version.memorySize, version.description, version.environment, version.deadLetterTargetArn ?? null]
  // A Text-format function's RevisionId stays what it was before logging settings existed.
  if (json !== undefined) state.push(json)
  config.RevisionId = revisionId(JSON.stringify(state))
  return config
}

/**
 * A RevisionId derived from the state it describes (a UUID-shaped hash), so it changes when the
 * configuration does and never draws from the simulator's seeded generator (ids stay identical to
 * the in-process API's).
 */
export function revisionId(state: string): string {
  const h = createHash('sha256').update(state).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}
