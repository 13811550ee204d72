import { invalidParameter } from '../errors.js'

/** An opaque list marker for position `index` (shared by the paged list APIs). */
export function encodeMarker(index: number): string {
  return Buffer.from(JSON.stringify({ i: index })).toString('base64')
}

/** The position an {@link encodeMarker} marker carries; -1 for anything else. */
export function decodeMarker(marker: string): number {
  try {
    const v = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { i?: unknown }
    return typeof v.i === 'number' && Number.isInteger(v.i) ? v.i : -1
  } catch {
    return -1
  }
}

/** One page of `items` from an opaque `marker` (at most `max`); an unknown marker → `InvalidParameterValueException` `Invalid marker: <marker>`. */
export function paginate<T>(items: readonly T[], marker: string | undefined, max: number): { page: T[]; nextMarker?: string } {
  let start = 0
  if (marker !== undefined) {
    start = decodeMarker(marker)
    if (start < 0 || start > items.length) throw invalidParameter(`Invalid marker: ${marker}`)
  }
  const out: { page: T[]; nextMarker?: string } = { page: items.slice(start, start + max) }
  if (start + max < items.length) out.nextMarker = encodeMarker(start + max)
  return out
}
