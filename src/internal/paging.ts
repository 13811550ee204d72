import { invalidParameter } from '../errors.js'

/** How the items of one list are keyed: what a key looks like, and which of two comes later. */
export interface KeyOrder<K> {
  is(value: unknown): value is K
  greater(a: K, b: K): boolean
}

/** Integer keys: a version number, a creation sequence. */
const INTEGER_KEYS: KeyOrder<number> = {
  is: (value): value is number => typeof value === 'number' && Number.isInteger(value),
  greater: (a, b) => a > b,
}

/** An opaque list marker: the page ends after the item whose list key is `key`. */
function encodeMarker(key: unknown): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64')
}

/** The key an {@link encodeMarker} marker carries; undefined for anything else. */
function decodeMarker<K>(marker: string, order: KeyOrder<K>): K | undefined {
  try {
    const v = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { after?: unknown }
    return order.is(v.after) ? v.after : undefined
  } catch {
    return undefined
  }
}

/**
 * One page of `items` from an opaque `marker` (at most `max`); an unknown marker →
 * `InvalidParameterValueException` `Invalid marker: <marker>`. `keyOf` gives each item a key that
 * increases along the list (by `order`; integers unless told) and is never reused (a version number, a
 * creation sequence): the marker names the last item returned, and the next page starts after it, so
 * deleting what a page listed (a clean-up script) skips nothing (an index would skip the item after
 * each one deleted).
 */
export function paginate<T>(items: readonly T[], marker: string | undefined, max: number, keyOf: (item: T) => number): { page: T[]; nextMarker?: string }
export function paginate<T, K>(items: readonly T[], marker: string | undefined, max: number, keyOf: (item: T) => K, order: KeyOrder<K>): { page: T[]; nextMarker?: string }
export function paginate<T, K>(items: readonly T[], marker: string | undefined, max: number, keyOf: (item: T) => K, order: KeyOrder<K> = INTEGER_KEYS as unknown as KeyOrder<K>): { page: T[]; nextMarker?: string } {
  let start = 0
  if (marker !== undefined) {
    const after = decodeMarker(marker, order)
    if (after === undefined) throw invalidParameter(`Invalid marker: ${marker}`)
    start = items.findIndex((item) => order.greater(keyOf(item), after))
    if (start < 0) start = items.length
  }
  const out: { page: T[]; nextMarker?: string } = { page: items.slice(start, start + max) }
  if (start + max < items.length) out.nextMarker = encodeMarker(keyOf(out.page[out.page.length - 1] as T))
  return out
}
