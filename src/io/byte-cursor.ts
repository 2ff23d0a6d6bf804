/**
 * Bounds-checked reads over bytes held in memory.
 *
 * Every binary reader in `src/io` (pickle, zip, legacy torch streams, npy) needs the same
 * guarantee: reading past the end is a `PamError` naming the file and the offset, never a silent
 * `undefined` from an index or a bare `RangeError` from a `DataView`.
 */
import { PamError } from '../util/errors'

export interface ByteCursor {
  readonly bytes: Uint8Array
  readonly view: DataView
  /** Names the file in error messages. */
  readonly source: string
  /** The next byte to read; readers advance it. */
  pos: number
}

/**
 * The same memory as a plain `Uint8Array`. A Node `Buffer` is one, but its `slice` returns a view
 * where `Uint8Array.prototype.slice` copies; readers rely on the standard meaning.
 */
export const plain = (bytes: Uint8Array): Uint8Array =>
  Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)

export const cursor = (bytes: Uint8Array, source: string, pos = 0): ByteCursor => ({
  bytes: plain(bytes),
  view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  source,
  pos,
})

/** Throws unless `n` bytes remain; `what` names the item being read (an opcode, a header). */
export const need = (c: ByteCursor, n: number, what: string): void => {
  const left = c.bytes.length - c.pos
  if (!(n >= 0)) throw new PamError(`${c.source}: corrupt length at offset ${c.pos}: ${what} claims ${n} bytes`)
  if (n > left) {
    throw new PamError(`${c.source}: truncated at offset ${c.pos}: ${what} needs ${n} byte${n === 1 ? '' : 's'}, ${Math.max(left, 0)} left`)
  }
}

/** A view (not a copy) of the next `n` bytes. */
export const take = (c: ByteCursor, n: number, what: string): Uint8Array => {
  need(c, n, what)
  const out = c.bytes.subarray(c.pos, c.pos + n)
  c.pos += n
  return out
}

export const u8 = (c: ByteCursor, what: string): number => {
  need(c, 1, what)
  return c.bytes[c.pos++]
}

export const u16 = (c: ByteCursor, what: string): number => {
  need(c, 2, what)
  const v = c.view.getUint16(c.pos, true)
  c.pos += 2
  return v
}

export const u32 = (c: ByteCursor, what: string): number => {
  need(c, 4, what)
  const v = c.view.getUint32(c.pos, true)
  c.pos += 4
  return v
}

export const i32 = (c: ByteCursor, what: string): number => {
  need(c, 4, what)
  const v = c.view.getInt32(c.pos, true)
  c.pos += 4
  return v
}

/** A little-endian int64 that must fit a JS number exactly (sizes and offsets do). */
export const i64 = (c: ByteCursor, what: string): number => {
  need(c, 8, what)
  const v = c.view.getBigInt64(c.pos, true)
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new PamError(`${c.source}: ${what} at offset ${c.pos} is ${v}, too large to address`)
  }
  c.pos += 8
  return Number(v)
}

/** Unsigned 64-bit sizes (zip64): same limit as `i64`. */
export const u64 = (c: ByteCursor, what: string): number => {
  need(c, 8, what)
  const v = c.view.getBigUint64(c.pos, true)
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PamError(`${c.source}: ${what} at offset ${c.pos} is ${v}, too large to address`)
  }
  c.pos += 8
  return Number(v)
}

/** The bytes up to the next `\n` (excluded); the newline is consumed. */
export const line = (c: ByteCursor, what: string): Uint8Array => {
  const end = c.bytes.indexOf(0x0a, c.pos)
  if (end < 0) {
    throw new PamError(`${c.source}: truncated at offset ${c.pos}: ${what} has no terminating newline`)
  }
  const out = c.bytes.subarray(c.pos, end)
  c.pos = end + 1
  return out
}

export const latin1 = (b: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192))
  return s
}
