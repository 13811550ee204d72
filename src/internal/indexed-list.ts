/** Something that knows its position in one {@link IndexedList} (-1 when in none). */
export interface Listed {
  listIndex: number
}

/**
 * An unordered set of objects that carry their own index: O(1) add and delete with no hashing and no
 * rehash garbage (a `Set` with one add and one delete per attempt churns its table). Iteration order
 * is not insertion order after deletions; callers that list items for people sort them.
 */
export class IndexedList<T extends Listed> implements Iterable<T> {
  readonly #items: T[] = []

  get size(): number {
    return this.#items.length
  }

  add(item: T): void {
    item.listIndex = this.#items.length
    this.#items.push(item)
  }

  delete(item: T): boolean {
    const items = this.#items
    const i = item.listIndex
    if (i < 0 || items[i] !== item) return false
    const last = items.pop() as T
    if (last !== item) {
      items[i] = last
      last.listIndex = i
    }
    item.listIndex = -1
    return true
  }

  [Symbol.iterator](): Iterator<T> {
    return this.#items[Symbol.iterator]()
  }
}
