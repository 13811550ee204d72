import { afterAll, beforeAll } from 'vitest'

/**
 * What reaches the process while this test file runs: every `uncaughtException` and
 * `unhandledRejection` (listeners registered for the whole file). The fuzz suites assert it stays empty.
 */
export function collectEscapes(): unknown[] {
  const escaped: unknown[] = []
  const onEscape = (e: unknown): void => {
    escaped.push(e)
  }
  beforeAll(() => {
    process.on('uncaughtException', onEscape)
    process.on('unhandledRejection', onEscape)
  })
  afterAll(() => {
    process.off('uncaughtException', onEscape)
    process.off('unhandledRejection', onEscape)
  })
  return escaped
}
