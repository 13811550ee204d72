import { customRandom } from 'nanoid'

/**
 * The simulator's only source of randomness: a seeded sfc32 generator. Every id (request ids,
 * message ids, log stream names) and every probabilistic choice (weighted alias routing, injected
 * duplicates) is drawn from it, in program order, so a seed reproduces the run byte for byte.
 */
export class SeededRandom {
  #a: number
  #b: number
  #c: number
  #d: number

  constructor(seed: number) {
    // splitmix32 expands the 32-bit seed into the four words of state.
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.#a = next()
    this.#b = next()
    this.#c = next()
    this.#d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const a = this.#a
    const b = this.#b
    const c = this.#c
    const d = this.#d
    const t = (((a + b) >>> 0) + d) >>> 0
    this.#d = (d + 1) >>> 0
    this.#a = b ^ (b >>> 9)
    this.#b = (c + (c << 3)) >>> 0
    const r = (c << 21) | (c >>> 11)
    this.#c = (r + t) >>> 0
    return t
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i += 4) {
      let v = this.uint32()
      for (let j = i; j < i + 4 && j < n; j++) {
        out[j] = v & 0xff
        v >>>= 8
      }
    }
    return out
  }

  /** A lowercase RFC 4122 version-4 UUID, the format of Lambda request ids and SQS message ids. */
  uuid(): string {
    const h = (n: number): string => n.toString(16).padStart(8, '0')
    const a = h(this.uint32())
    const b = h(this.uint32())
    const c = h(this.uint32())
    const d = h(this.uint32())
    const variant = ((parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16)
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`
  }

  /** A random id over `alphabet` of `size` characters (nanoid's unbiased mapping, our bytes). */
  id(alphabet: string, size: number): string {
    return customRandom(alphabet, size, (n) => this.bytes(n))()
  }
}
