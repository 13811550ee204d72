import { createRequire } from 'node:module'
import type * as Crypto from 'node:crypto'

/**
 * node:crypto, loaded on first use instead of when lambda-sim is imported: loading it pulls in Node's
 * stream modules and cost about a tenth of `import('lambda-sim')` + first invoke (docs/performance.md,
 * "Startup"), while only the hashing paths need it (SQS MD5s and content-based deduplication, S3
 * ETags, Kinesis shard hashing). Builtins loaded through `require` are synchronous and cached.
 */
let loaded: typeof Crypto | undefined
function load(): typeof Crypto {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto)
}

/** `crypto.createHash`, loading node:crypto on the first call. */
export function createHash(algorithm: string): Crypto.Hash {
  return load().createHash(algorithm)
}

/** The members of node:crypto lambda-sim uses, each loading the module on first access. */
export const nodeCrypto = {
  createHash,
  /** `crypto.hash` (one-shot digest), undefined before Node 20.12. */
  get hash(): typeof Crypto.hash | undefined {
    return (load() as { hash?: typeof Crypto.hash }).hash
  },
}
