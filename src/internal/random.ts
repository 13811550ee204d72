/**
 * The simulator's only source of randomness: a seeded sfc32 generator. Every id (request ids,
 * message ids, log stream names) and every probabilistic choice (weighted alias routing, injected
 * duplicates) is drawn from it, in program order, so a seed reproduces the run byte for byte.
 */
export class SeededRandom {
  /**
   * The four words a, b, c, d, as int32 (the same bits). Unsigned words in fields were boxed numbers
   * whenever they left V8's small-integer range, and every draw allocated new ones (two draws of four
   * words per async event and destination record: about 8 % of the retry storm's allocation).
   */
  readonly #s = new Int32Array(4)

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
    const st = this.#s
    st[0] = next()
    st[1] = next()
    st[2] = next()
    st[3] = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    // sfc32 modulo 2^32: the sums are exact in doubles, and an Int32Array store wraps them.
    const st = this.#s
    const a = st[0] as number
    const b = st[1] as number
    const c = st[2] as number
    const d = st[3] as number
    const t = (a + b + d) | 0
    st[3] = d + 1
    st[0] = b ^ (b >>> 9)
    st[1] = c + (c << 3)
    st[2] = ((c << 21) | (c >>> 11)) + t
    return t >>> 0
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

  /**
   * A lowercase RFC 4122 version-4 UUID, the format of Lambda request ids and SQS message ids.
   * Written byte by byte into a scratch buffer: one flat string, several times faster than
   * formatting and concatenating hex parts (request ids are on the hot path of every async event).
   * Layout from four draws a, b, c, d: `aaaaaaaa-bbbb-4bbb-Vccc-ccccdddddddd` (the fifth hex digit of b
   * is replaced by the version, the first of c by the variant).
   */
  uuid(): string {
    return formatUuid(this.uint32(), this.uint32(), this.uint32(), this.uint32())
  }

  /**
   * A random id over `alphabet` of `size` characters: nanoid's `customRandom` over our bytes, the same
   * characters for the same bytes (test/random.test.ts checks it against nanoid). A power-of-two
   * alphabet masks each byte; any other drops the bytes past the last whole multiple of its length,
   * so every character is equally likely. Written out here because nanoid's entry module imports
   * node:crypto at top level, which cost about a tenth of `import('lambda-sim')` + first invoke
   * (docs/performance.md, "Startup"); the first log stream name needs this on the first invoke.
   */
  id(alphabet: string, size: number): string {
    if (size <= 0) return ''
    const cutoff = 256 - (256 % alphabet.length)
    const mask = alphabet.length - 1
    // nanoid reads each batch of bytes from the end.
    const step = cutoff === 256 ? size : Math.ceil((1.6 * 256 * size) / cutoff)
    let id = ''
    for (;;) {
      const bytes = this.bytes(step)
      for (let i = step - 1; i >= 0; i--) {
        const byte = bytes[i] as number
        if (cutoff === 256) id += alphabet[byte & mask]
        else if (byte < cutoff) id += alphabet[byte % alphabet.length]
        else continue
        if (id.length >= size) return id
      }
    }
  }
}

/**
 * The UUID {@link SeededRandom.uuid} makes of four draws. Callers that may never show an id (queue
 * messages) keep the four words and format them on first read: the same id, later.
 */
export function formatUuid(a: number, b: number, c: number, d: number): string {
  const o = UUID_SCRATCH
  hexByte(o, 0, a >>> 24)
  hexByte(o, 2, (a >>> 16) & 255)
  hexByte(o, 4, (a >>> 8) & 255)
  hexByte(o, 6, a & 255)
  o[8] = DASH
  hexByte(o, 9, b >>> 24)
  hexByte(o, 11, (b >>> 16) & 255)
  o[13] = DASH
  o[14] = HEX_DIGITS[4] as number
  o[15] = HEX_DIGITS[(b >>> 8) & 15] as number
  hexByte(o, 16, b & 255)
  o[18] = DASH
  o[19] = HEX_DIGITS[((c >>> 28) & 3) | 8] as number
  o[20] = HEX_DIGITS[(c >>> 24) & 15] as number
  hexByte(o, 21, (c >>> 16) & 255)
  o[23] = DASH
  hexByte(o, 24, (c >>> 8) & 255)
  hexByte(o, 26, c & 255)
  hexByte(o, 28, d >>> 24)
  hexByte(o, 30, (d >>> 16) & 255)
  hexByte(o, 32, (d >>> 8) & 255)
  hexByte(o, 34, d & 255)
  return o.toString('latin1', 0, 36)
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1')
const DASH = 0x2d
const UUID_SCRATCH = Buffer.alloc(36)

function hexByte(out: Buffer, at: number, byte: number): void {
  out[at] = HEX_DIGITS[byte >>> 4] as number
  out[at + 1] = HEX_DIGITS[byte & 15] as number
}
