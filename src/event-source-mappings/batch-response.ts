/**
 * Partial batch responses (`ReportBatchItemFailures`), spec §11.2 and §11.4:
 * - complete success: a null response, an empty response object, or `batchItemFailures` null or `[]`;
 * - complete failure: a response that is not an object (invalid `EventResponse`), `batchItemFailures`
 *   that is not a list, or any entry whose `itemIdentifier` is missing (a wrong key name), null, an
 *   empty string, or not an id of the batch;
 * - otherwise the listed items failed and the rest succeeded.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export type BatchVerdict = { kind: 'success' } | { kind: 'partial'; failed: Set<string> } | { kind: 'failure'; reason: string }

export function judgeBatchResponse(payloadJson: string, ids: ReadonlySet<string>): BatchVerdict {
  let response: unknown
  try {
    response = JSON.parse(payloadJson)
  } catch {
    return { kind: 'failure', reason: 'the response is not valid JSON' }
  }
  if (response === null) return { kind: 'success' }
  if (typeof response !== 'object' || Array.isArray(response)) return { kind: 'failure', reason: 'the response is not a JSON object' }
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures
  if (list === undefined || list === null) return { kind: 'success' }
  if (!Array.isArray(list)) return { kind: 'failure', reason: 'batchItemFailures is not a list' }
  if (list.length === 0) return { kind: 'success' }
  const failed = new Set<string>()
  for (const item of list as unknown[]) {
    const id = typeof item === 'object' && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined
    if (typeof id !== 'string' || id === '') return { kind: 'failure', reason: `an itemIdentifier is missing, null or empty: ${JSON.stringify(item)}` }
    if (!ids.has(id)) return { kind: 'failure', reason: `itemIdentifier ${JSON.stringify(id)} is not in the batch` }
    failed.add(id)
  }
  return { kind: 'partial', failed }
}
