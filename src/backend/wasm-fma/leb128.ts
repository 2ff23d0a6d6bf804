/**
 * LEB128, the variable-length integers of the WebAssembly binary format: what the FMA pass needs
 * to walk a module (skip signed immediates, read unsigned counts and sizes) and to write the
 * sizes it changes.
 */

/** A position in a byte array, advanced by the readers. */
export interface Cursor {
  readonly bytes: Uint8Array
  pos: number
}

export class WasmFormatError extends Error {}

const byteAt = (c: Cursor): number => {
  if (c.pos >= c.bytes.length) throw new WasmFormatError(`unexpected end of the module at byte ${c.pos}`)
  return c.bytes[c.pos++]
}

/** An unsigned LEB128 of at most 32 bits. */
export const readU32 = (c: Cursor): number => {
  let result = 0
  for (let shift = 0; shift < 35; shift += 7) {
    const b = byteAt(c)
    result += (b & 0x7f) * 2 ** shift
    if ((b & 0x80) === 0) {
      if (result > 0xffffffff) throw new WasmFormatError(`u32 out of range at byte ${c.pos}`)
      return result
    }
  }
  throw new WasmFormatError(`u32 longer than 5 bytes at byte ${c.pos}`)
}

/** Skips a signed LEB128 of at most `bits` bits (an i32/i64 constant or a block type). */
export const skipSigned = (c: Cursor, bits: 32 | 33 | 64): void => {
  const maxBytes = Math.ceil(bits / 7)
  for (let i = 0; i < maxBytes; i++) if ((byteAt(c) & 0x80) === 0) return
  throw new WasmFormatError(`s${bits} longer than ${maxBytes} bytes at byte ${c.pos}`)
}

export const readByte = byteAt

/** The shortest unsigned LEB128 encoding of `n` (0 ≤ n < 2³²). */
export const encodeU32 = (n: number): number[] => {
  const out: number[] = []
  let v = n
  do {
    let b = v % 128
    v = Math.floor(v / 128)
    if (v !== 0) b |= 0x80
    out.push(b)
  } while (v !== 0)
  return out
}
