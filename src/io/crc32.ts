/**
 * CRC-32 (IEEE, as zip uses it).
 *
 * Node ≥ 20.15 has `zlib.crc32` in native code, which matters for checkpoints of hundreds of
 * megabytes; older Node 20 releases fall back to the table-driven version here.
 */
import * as zlib from 'zlib'

const table = ((): Uint32Array => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

const crc32Js = (data: Uint8Array, seed = 0): number => {
  let c = (seed ^ 0xffffffff) >>> 0
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32

/** The CRC-32 of `data`, continuing from `seed` (the CRC of the bytes before it). */
export const crc32 = (data: Uint8Array, seed = 0): number => (native ? native(data, seed) >>> 0 : crc32Js(data, seed))

/** Exposed for tests: the portable implementation must agree with the native one. */
export const crc32Portable = crc32Js
