/**
 * MXNet RecordIO byte layout (dmlc-core `recordio.cc`, mxnet `recordio.py`), shared by the reader
 * and the writer.
 *
 * A record is stored as one or more chunks: uint32 magic, uint32 `(cflag << 29) | length`, the
 * bytes, zero padding to a multiple of 4. The writer splits a record wherever the magic number
 * occurs at a 4-aligned offset of its payload and *drops* those four bytes (cflag 1 = first,
 * 2 = middle, 3 = last chunk); the reader puts the magic back between chunks. So a reader that
 * looks for the magic to resynchronise never mistakes image bytes for a chunk start.
 *
 * A record's payload is an IRHeader, struct `IfQQ` little-endian (flag, label, id, id2), then,
 * when `flag > 0`, `flag` float32 labels, then the encoded image.
 */

export const RECORDIO_MAGIC = 0xced7230a
export const CHUNK_HEADER_BYTES = 8
export const IR_HEADER_BYTES = 24
/** lrecord keeps the length in its low 29 bits. */
export const MAX_CHUNK_LENGTH = (1 << 29) - 1

export const enum ChunkFlag {
  Whole = 0,
  First = 1,
  Middle = 2,
  Last = 3,
}

export const pad4 = (n: number): number => (n + 3) & ~3

export const encodeLrecord = (cflag: ChunkFlag, length: number): number => ((cflag << 29) | length) >>> 0
export const lrecordFlag = (lrecord: number): ChunkFlag => (lrecord >>> 29) & 7
export const lrecordLength = (lrecord: number): number => lrecord & MAX_CHUNK_LENGTH

/** The IRHeader of an image record. `labels` holds the `flag` float32 labels (empty if flag 0). */
export interface IrHeader {
  readonly flag: number
  readonly label: number
  readonly labels: readonly number[]
  readonly id: number
  readonly id2: number
}

/** A header with a scalar label (`flag` 0), as image records carry their class. */
export const scalarHeader = (label: number, id: number): IrHeader => ({ flag: 0, label, labels: [], id, id2: 0 })

/** A header with a label array (`flag` = its length), as the faces_emore index records carry. */
export const arrayHeader = (labels: readonly number[], id: number): IrHeader => ({
  flag: labels.length,
  label: 0,
  labels,
  id,
  id2: 0,
})

/** The class an image record names: its scalar label, or the first of its label array. */
export const headerClass = (h: IrHeader): number => (h.flag > 0 ? h.labels[0] : h.label)

/** `IrHeader + image bytes → record payload` (what mxnet's `recordio.pack` produces). */
export const packRecord = (header: IrHeader, image: Uint8Array): Buffer => {
  const labelBytes = 4 * header.labels.length
  const out = Buffer.alloc(IR_HEADER_BYTES + labelBytes + image.length)
  out.writeUInt32LE(header.labels.length > 0 ? header.labels.length : header.flag, 0)
  out.writeFloatLE(header.labels.length > 0 ? 0 : header.label, 4)
  out.writeBigUInt64LE(BigInt(header.id), 8)
  out.writeBigUInt64LE(BigInt(header.id2), 16)
  header.labels.forEach((l, i) => out.writeFloatLE(l, IR_HEADER_BYTES + 4 * i))
  out.set(image, IR_HEADER_BYTES + labelBytes)
  return out
}

/** Record payload → header and image bytes, or the reason it is not a record. */
export const unpackRecord = (payload: Uint8Array): { header: IrHeader; image: Uint8Array } | string => {
  if (payload.length < IR_HEADER_BYTES) return `record is ${payload.length} bytes, shorter than its 24-byte IRHeader`
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength)
  const flag = view.getUint32(0, true)
  const labelEnd = IR_HEADER_BYTES + 4 * flag
  if (labelEnd > payload.length) return `IRHeader flag ${flag} announces more labels than the record's ${payload.length} bytes hold`
  const labels: number[] = []
  for (let o = IR_HEADER_BYTES; o < labelEnd; o += 4) labels.push(view.getFloat32(o, true))
  const header: IrHeader = {
    flag,
    label: view.getFloat32(4, true),
    labels,
    id: Number(view.getBigUint64(8, true)),
    id2: Number(view.getBigUint64(16, true)),
  }
  return { header, image: payload.subarray(labelEnd) }
}

/**
 * Encodes one record as its chunks, splitting at 4-aligned occurrences of the magic exactly as
 * dmlc-core does (so files round-trip byte for byte with MXNet's writer).
 */
export const encodeRecordChunks = (payload: Uint8Array): Buffer => {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength)
  const parts: Buffer[] = []
  const chunk = (cflag: ChunkFlag, from: number, to: number): void => {
    const head = Buffer.alloc(CHUNK_HEADER_BYTES)
    head.writeUInt32LE(RECORDIO_MAGIC, 0)
    head.writeUInt32LE(encodeLrecord(cflag, to - from), 4)
    parts.push(head, Buffer.from(payload.buffer, payload.byteOffset + from, to - from))
  }
  if (payload.length > MAX_CHUNK_LENGTH) throw new RangeError(`RecordIO record of ${payload.length} bytes exceeds 2^29 - 1`)
  let start = 0
  const lowerAlign = payload.length & ~3
  for (let i = 0; i < lowerAlign; i += 4) {
    if (view.getUint32(i, true) === RECORDIO_MAGIC) {
      chunk(start === 0 ? ChunkFlag.First : ChunkFlag.Middle, start, i)
      start = i + 4
    }
  }
  chunk(start === 0 ? ChunkFlag.Whole : ChunkFlag.Last, start, payload.length)
  // Only the last chunk needs padding: the others end at 4-aligned offsets.
  const padding = pad4(payload.length) - payload.length
  if (padding > 0) parts.push(Buffer.alloc(padding))
  return Buffer.concat(parts)
}
