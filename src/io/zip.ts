/**
 * Reading zip archives held in memory: the central directory, stored and deflated entries, zip64.
 *
 * `torch.save` (since PyTorch 1.6) writes a zip through miniz: every entry stored, each entry's
 * data 64-byte aligned by padding in the local header's extra field, sizes in data descriptors
 * (so the local headers hold zeros), and a zip64 end record even for small files. The central
 * directory is therefore the only reliable source of sizes, and local headers are read only for
 * the length of their name and extra field.
 */
import * as zlib from 'zlib'
import { PamError } from '../util/errors'
import { ByteCursor, cursor, plain, u16, u32, u64 } from './byte-cursor'
import { crc32 } from './crc32'

export interface ZipEntry {
  readonly name: string
  /** 0 stored, 8 deflate. */
  readonly method: number
  readonly crc32: number
  readonly compressedSize: number
  readonly size: number
  readonly localHeaderOffset: number
}

export interface ZipArchive {
  readonly source: string
  readonly bytes: Uint8Array
  /** In central-directory order (the order the writer added them). */
  readonly entries: readonly ZipEntry[]
}

const SIG_LOCAL = 0x04034b50
const SIG_CENTRAL = 0x02014b50
const SIG_END = 0x06054b50
const SIG_END64 = 0x06064b50
const SIG_LOCATOR64 = 0x07064b50
const MAX16 = 0xffff
const MAX32 = 0xffffffff

/** True when the bytes start like a zip (a local file header). */
export const isZip = (bytes: Uint8Array): boolean =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

const sigAt = (c: ByteCursor, at: number): number =>
  at >= 0 && at + 4 <= c.bytes.length ? c.view.getUint32(at, true) : -1

interface Directory {
  readonly count: number
  readonly offset: number
  readonly size: number
}

/** Finds the end record, searching back over a trailing comment (at most 65535 bytes). */
const findDirectory = (c: ByteCursor): Directory => {
  const { source } = c
  const last = c.bytes.length - 22
  let end = -1
  for (let at = last; at >= Math.max(0, last - MAX16); at--) {
    if (sigAt(c, at) === SIG_END) {
      end = at
      break
    }
  }
  if (end < 0) throw new PamError(`${source}: not a zip archive, or truncated (no end-of-central-directory record)`)
  c.pos = end + 10
  const count = u16(c, 'end record')
  const size = u32(c, 'end record')
  const offset = u32(c, 'end record')
  const locator = end - 20
  if (sigAt(c, locator) !== SIG_LOCATOR64) return { count, size, offset }
  // zip64: the 32-bit fields may be saturated; the zip64 end record has the real values
  c.pos = locator + 8
  const end64 = u64(c, 'zip64 locator')
  if (sigAt(c, end64) !== SIG_END64) throw new PamError(`${source}: corrupt zip: no zip64 end record at offset ${end64}`)
  c.pos = end64 + 32
  return { count: u64(c, 'zip64 end record'), size: u64(c, 'zip64 end record'), offset: u64(c, 'zip64 end record') }
}

/** Reads the zip64 extra field (id 1): only the saturated fields are present, in this order. */
const zip64Extra = (c: ByteCursor, extra: Uint8Array, fields: { size: number; csize: number; offset: number }) => {
  const x = cursor(extra, c.source)
  while (x.pos + 4 <= extra.length) {
    const id = u16(x, 'extra field')
    const len = u16(x, 'extra field')
    const next = x.pos + len
    if (id === 1) {
      if (fields.size === MAX32) fields.size = u64(x, 'zip64 extra field')
      if (fields.csize === MAX32) fields.csize = u64(x, 'zip64 extra field')
      if (fields.offset === MAX32) fields.offset = u64(x, 'zip64 extra field')
    }
    x.pos = next
  }
  return fields
}

/** Parses the central directory; entry data is read on demand with `readEntry`. */
export const openZip = (buffer: Uint8Array, source: string): ZipArchive => {
  const c = cursor(buffer, source)
  const bytes = c.bytes
  const dir = findDirectory(c)
  if (dir.offset + dir.size > bytes.length) {
    throw new PamError(`${source}: corrupt or truncated zip: central directory at offset ${dir.offset} runs past the end`)
  }
  const utf8 = new TextDecoder('utf-8')
  const entries: ZipEntry[] = []
  c.pos = dir.offset
  for (let i = 0; i < dir.count; i++) {
    const at = c.pos
    if (sigAt(c, at) !== SIG_CENTRAL) throw new PamError(`${source}: corrupt zip: central directory entry ${i} at offset ${at} has a bad signature`)
    c.pos = at + 8
    const flags = u16(c, 'central directory entry')
    const method = u16(c, 'central directory entry')
    c.pos += 4 // time, date
    const crc = u32(c, 'central directory entry')
    const csize = u32(c, 'central directory entry')
    const size = u32(c, 'central directory entry')
    const nameLen = u16(c, 'central directory entry')
    const extraLen = u16(c, 'central directory entry')
    const commentLen = u16(c, 'central directory entry')
    c.pos += 8 // disk, internal and external attributes
    const offset = u32(c, 'central directory entry')
    if (c.pos + nameLen + extraLen + commentLen > bytes.length) {
      throw new PamError(`${source}: corrupt zip: central directory entry ${i} at offset ${at} runs past the end`)
    }
    const name = utf8.decode(bytes.subarray(c.pos, c.pos + nameLen))
    const extra = bytes.subarray(c.pos + nameLen, c.pos + nameLen + extraLen)
    c.pos += nameLen + extraLen + commentLen
    if (flags & 1) throw new PamError(`${source}: zip entry ${name} is encrypted`)
    const f = zip64Extra(c, extra, { size, csize, offset })
    entries.push({ name, method, crc32: crc, compressedSize: f.csize, size: f.size, localHeaderOffset: f.offset })
  }
  return { source, bytes, entries }
}

export const findEntry = (zip: ZipArchive, name: string): ZipEntry | undefined => zip.entries.find((e) => e.name === name)

/**
 * An entry's bytes, checked against its CRC. Stored entries are views into the archive (no copy);
 * deflated ones are inflated.
 */
export const readEntry = (zip: ZipArchive, entry: ZipEntry): Uint8Array => {
  const { source, bytes } = zip
  const c = cursor(bytes, source)
  const at = entry.localHeaderOffset
  if (sigAt(c, at) !== SIG_LOCAL) throw new PamError(`${source}: corrupt zip: entry ${entry.name} has no local header at offset ${at}`)
  c.pos = at + 26
  const start = at + 30 + u16(c, 'local header') + u16(c, 'local header')
  if (start + entry.compressedSize > bytes.length) {
    throw new PamError(`${source}: truncated zip: entry ${entry.name} needs bytes ${start}-${start + entry.compressedSize}, the file has ${bytes.length}`)
  }
  const raw = bytes.subarray(start, start + entry.compressedSize)
  let data: Uint8Array
  if (entry.method === 0) data = raw
  else if (entry.method === 8) {
    try {
      data = plain(zlib.inflateRawSync(raw))
    } catch (e) {
      throw new PamError(`${source}: corrupt zip: entry ${entry.name} does not inflate (${(e as Error).message})`)
    }
  } else {
    throw new PamError(`${source}: zip entry ${entry.name} uses compression method ${entry.method} (only stored and deflate are supported)`)
  }
  if (data.length !== entry.size) {
    throw new PamError(`${source}: corrupt zip: entry ${entry.name} holds ${data.length} bytes, its directory says ${entry.size}`)
  }
  if (crc32(data) !== entry.crc32) throw new PamError(`${source}: corrupt zip: entry ${entry.name} fails its CRC check`)
  return data
}
