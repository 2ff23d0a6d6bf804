/**
 * Writing zip archives of stored (uncompressed) entries, each entry's data aligned.
 *
 * `torch.load` maps tensor data straight out of the archive, so PyTorch's writer pads every
 * local header with an extra field (id `FB`) until the data starts at a multiple of 64; this
 * writer does the same. Sizes and CRCs go in the local headers (no data descriptors), which
 * every reader accepts. Archives past 4 GiB would need zip64 records, which are not written.
 */
import { PamError } from '../util/errors'
import { crc32 } from './crc32'

export interface ZipInput {
  readonly name: string
  readonly data: Uint8Array
}

const MAX32 = 0xffffffff
const FLAG_UTF8 = 0x0800
const VERSION = 20 // 2.0: stored entries, no zip64

/**
 * The archive as a list of chunks (entry data is not copied); concatenated they are the file.
 * `source` names the file in the error raised when it would exceed 4 GiB.
 */
export const zipStoredChunks = (entries: readonly ZipInput[], source: string, align = 64): Uint8Array[] => {
  const chunks: Uint8Array[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const dataStart = offset + 30 + nameBytes.length + 4
    const pad = (align - (dataStart % align)) % align
    if (dataStart + pad + data.length > MAX32) {
      throw new PamError(`${source}: archive would exceed 4 GiB at entry ${name} (zip64 writing is not supported)`)
    }
    const local = Buffer.alloc(30 + nameBytes.length + 4 + pad, 0x5a) // padding bytes 'Z', as PyTorch
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(VERSION, 4)
    local.writeUInt16LE(FLAG_UTF8, 6)
    local.writeUInt16LE(0, 8) // stored
    local.writeUInt32LE(0, 10) // time and date
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    local.writeUInt16LE(4 + pad, 28)
    nameBytes.copy(local, 30)
    local.write('FB', 30 + nameBytes.length, 'latin1')
    local.writeUInt16LE(pad, 30 + nameBytes.length + 2)
    chunks.push(local, data)

    const entry = Buffer.alloc(46 + nameBytes.length)
    entry.writeUInt32LE(0x02014b50, 0)
    entry.writeUInt16LE(VERSION, 4) // made by
    entry.writeUInt16LE(VERSION, 6) // needed
    entry.writeUInt16LE(FLAG_UTF8, 8)
    entry.writeUInt16LE(0, 10)
    entry.writeUInt32LE(0, 12)
    entry.writeUInt32LE(crc, 16)
    entry.writeUInt32LE(data.length, 20)
    entry.writeUInt32LE(data.length, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    // extra, comment, disk, attributes: all zero
    entry.writeUInt32LE(offset, 42)
    nameBytes.copy(entry, 46)
    central.push(entry)
    offset += local.length + data.length
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0)
  if (offset + dirSize > MAX32 || entries.length > 0xffff) {
    throw new PamError(`${source}: archive would exceed 4 GiB or 65535 entries (zip64 writing is not supported)`)
  }
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dirSize, 12)
  end.writeUInt32LE(offset, 16)
  chunks.push(...central, end)
  return chunks
}
