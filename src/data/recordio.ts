/**
 * MXNet RecordIO as a `FaceDataset`, laid out as MS1MV2 / faces_emore ships it: `train.rec`,
 * `train.idx` (`key<TAB>byte offset`), `property` (`num_classes,height,width`), plus a yaw CSV
 * keyed by record index (`index,yaw`).
 *
 * Record 0 is an index record (`flag > 0`): labels [first identity record, one past the last].
 * Image records are 1 .. first-1 and dataset index i is record i + 1; records from the first
 * identity record on hold each identity's `[start, end)` and are not examples. A file without
 * the index record (plain im2rec output) exposes every `.idx` key as an example, in key order,
 * and takes its class count from `property`.
 *
 * The `.rec` is 50+ GB: only the `.idx`, `property` and yaw file are read up front; each record
 * is read with positioned `fs.readSync` calls when asked for.
 */
import * as fs from 'fs'
import * as path from 'path'
import { decodeImage } from '../image/codec'
import { PamError } from '../util/errors'
import type { FaceDataset, FaceExample } from './dataset'
import {
  CHUNK_HEADER_BYTES,
  ChunkFlag,
  RECORDIO_MAGIC,
  headerClass,
  lrecordFlag,
  lrecordLength,
  pad4,
  unpackRecord,
} from './recordio-format'
import { forEachYawRow, readTextFile } from './yaw-csv'

export interface RecordIoPaths {
  readonly rec: string
  readonly idx: string
  /** Optional for files with an index record; required otherwise (the class count). */
  readonly property?: string
  readonly yaw: string
}

export interface RecordIoDataset extends FaceDataset {
  readonly paths: RecordIoPaths
  /** Record key of each example, in dataset order. */
  recordKey(index: number): number
  /** The raw payload (IRHeader + image) of record `key`, continuation chunks joined. */
  readPayload(key: number): Buffer
  /** Closes the `.rec` file descriptor (reopened on the next read). */
  close(): void
}

/** `dir/<prefix>.rec`, `.idx`, `dir/property`, yaw CSV default `dir/yaw.csv`. */
export const recordIoPaths = (dir: string, options: { prefix?: string; yaw?: string } = {}): RecordIoPaths => {
  const prefix = options.prefix ?? 'train'
  return {
    rec: path.join(dir, `${prefix}.rec`),
    idx: path.join(dir, `${prefix}.idx`),
    property: path.join(dir, 'property'),
    yaw: options.yaw ?? path.join(dir, 'yaw.csv'),
  }
}

/** Key → byte offset of a `.idx`, in typed arrays: MS1MV2 has 5.8M records, too many for a Map. */
export interface IdxTable {
  /** Keys in increasing order. */
  readonly keys: Float64Array
  offset(key: number): number | undefined
}

const sortedPosition = (keys: Float64Array, key: number): number => {
  let lo = 0
  let hi = keys.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid] === key) return mid
    if (keys[mid] < key) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/**
 * Parses `.idx` text (`key<TAB>offset` a line). Throws `PamError` naming the file and line.
 * A hand-written scanner: MS1MV2's index has 5.9M lines, and a regex a line takes seconds.
 */
export const parseIdx = (text: string, file: string): IdxTable => {
  let keys: Float64Array = new Float64Array(1024)
  let offs: Float64Array = new Float64Array(1024)
  let n = 0
  const grow = (a: Float64Array): Float64Array => {
    const b = new Float64Array(a.length * 2)
    b.set(a)
    return b
  }
  const badLine = (start: number, line: number): never => {
    const end = text.indexOf('\n', start)
    throw new PamError(`${file}:${line}: expected 'key<TAB>offset', got '${text.slice(start, end < 0 ? text.length : end).trim()}'`)
  }
  const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13
  const isDigit = (c: number): boolean => c >= 48 && c <= 57
  let i = 0
  for (let line = 1; i < text.length; line++) {
    const start = i
    while (i < text.length && isSpace(text.charCodeAt(i))) i++
    if (i >= text.length || text.charCodeAt(i) === 10) {
      i++
      continue
    }
    let key = 0
    if (!isDigit(text.charCodeAt(i))) badLine(start, line)
    while (i < text.length && isDigit(text.charCodeAt(i))) key = key * 10 + (text.charCodeAt(i++) - 48)
    if (!isSpace(text.charCodeAt(i))) badLine(start, line)
    while (i < text.length && isSpace(text.charCodeAt(i))) i++
    let offset = 0
    if (!isDigit(text.charCodeAt(i))) badLine(start, line)
    while (i < text.length && isDigit(text.charCodeAt(i))) offset = offset * 10 + (text.charCodeAt(i++) - 48)
    while (i < text.length && isSpace(text.charCodeAt(i))) i++
    if (i < text.length && text.charCodeAt(i) !== 10) badLine(start, line)
    i++
    if (n === keys.length) {
      keys = grow(keys)
      offs = grow(offs)
    }
    keys[n] = key
    offs[n] = offset
    n++
  }
  let sorted = true
  for (let k = 1; k < n && sorted; k++) sorted = keys[k - 1] <= keys[k]
  let sortedKeys = keys.subarray(0, n)
  let sortedOffsets = offs.subarray(0, n)
  if (!sorted) {
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => keys[a] - keys[b])
    sortedKeys = Float64Array.from(order, (k) => keys[k])
    sortedOffsets = Float64Array.from(order, (k) => offs[k])
  }
  for (let k = 1; k < n; k++) {
    if (sortedKeys[k] === sortedKeys[k - 1]) throw new PamError(`${file}: record ${sortedKeys[k]} is listed twice`)
  }
  return {
    keys: sortedKeys,
    offset: (key) => {
      const i = sortedPosition(sortedKeys, key)
      return i < 0 ? undefined : sortedOffsets[i]
    },
  }
}

const parseProperty = (file: string): { numClasses: number; height: number; width: number } => {
  const text = readTextFile(file, 'RecordIO property file').trim()
  const m = /^(\d+)\s*,\s*(\d+)\s*,\s*(\d+)$/.exec(text)
  if (!m || Number(m[1]) === 0) throw new PamError(`${file}: expected 'num_classes,height,width', got '${text.split('\n')[0]}'`)
  return { numClasses: Number(m[1]), height: Number(m[2]), width: Number(m[3]) }
}

/** Reads up to `length` bytes at `position`, looping over short reads; returns the count read. */
const readFully = (fd: number, into: Buffer, length: number, position: number): number => {
  let done = 0
  while (done < length) {
    const n = fs.readSync(fd, into, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done
}

/**
 * Reads record `key`'s payload from `fd` starting at byte `offset`, joining continuation chunks.
 * `source` (`train.rec#123`) names the record in errors.
 */
export const readRecordAt = (fd: number, offset: number, source: string): Buffer => {
  const head = Buffer.alloc(CHUNK_HEADER_BYTES)
  const parts: Buffer[] = []
  let at = offset
  for (let chunk = 0; ; chunk++) {
    if (readFully(fd, head, CHUNK_HEADER_BYTES, at) !== CHUNK_HEADER_BYTES) {
      throw new PamError(`${source}: truncated, file ends inside the chunk header at byte ${at}`)
    }
    const magic = head.readUInt32LE(0)
    if (magic !== RECORDIO_MAGIC) {
      throw new PamError(`${source}: bad chunk magic 0x${magic.toString(16).padStart(8, '0')} at byte ${at} (expected 0xced7230a)`)
    }
    const lrecord = head.readUInt32LE(4)
    const cflag = lrecordFlag(lrecord)
    const length = lrecordLength(lrecord)
    const expected = chunk === 0 ? [ChunkFlag.Whole, ChunkFlag.First] : [ChunkFlag.Middle, ChunkFlag.Last]
    if (!expected.includes(cflag)) {
      throw new PamError(`${source}: chunk ${chunk} at byte ${at} has continuation flag ${cflag}, expected ${expected.join(' or ')}`)
    }
    const body = Buffer.alloc(length)
    if (readFully(fd, body, length, at + CHUNK_HEADER_BYTES) !== length) {
      throw new PamError(`${source}: truncated, chunk at byte ${at} announces ${length} bytes past the end of the file`)
    }
    parts.push(body)
    if (cflag === ChunkFlag.Whole || cflag === ChunkFlag.Last) return Buffer.concat(parts)
    // The writer dropped the magic where it split the record: put it back.
    const magicBytes = Buffer.alloc(4)
    magicBytes.writeUInt32LE(RECORDIO_MAGIC, 0)
    parts.push(magicBytes)
    at += CHUNK_HEADER_BYTES + pad4(length)
  }
}

/** Opens a RecordIO face set. Throws `PamError` naming the file (and record or line) at fault. */
export const openRecordIo = (paths: RecordIoPaths): RecordIoDataset => {
  const recName = path.basename(paths.rec)
  const idx = parseIdx(readTextFile(paths.idx, 'RecordIO index'), paths.idx)
  let fd: number | undefined
  const file = (): number => {
    if (fd === undefined) {
      try {
        fd = fs.openSync(paths.rec, 'r')
      } catch (e) {
        throw new PamError(`${paths.rec}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
      }
    }
    return fd
  }
  const readPayload = (key: number): Buffer => {
    const offset = idx.offset(key)
    if (offset === undefined) throw new PamError(`${recName}#${key}: record not listed in ${paths.idx}`)
    return readRecordAt(file(), offset, `${paths.rec}#${key}`)
  }
  const readRecord = (key: number) => {
    const r = unpackRecord(readPayload(key))
    if (typeof r === 'string') throw new PamError(`${paths.rec}#${key}: ${r}`)
    return r
  }

  // Record 0 decides the layout; a file that lacks it is a flat list of image records.
  let keys: Float64Array
  let numClasses: number
  const first = idx.offset(0) !== undefined ? readRecord(0).header : undefined
  if (first && first.flag > 0) {
    const [identityStart, identityEnd] = first.labels
    if (!(first.labels.length >= 2 && Number.isInteger(identityStart) && identityEnd >= identityStart && identityStart >= 1)) {
      throw new PamError(`${paths.rec}#0: index record labels [${first.labels.join(', ')}] are not [first identity record, end]`)
    }
    keys = Float64Array.from({ length: identityStart - 1 }, (_, i) => i + 1)
    numClasses = identityEnd - identityStart
    if (paths.property && fs.existsSync(paths.property)) {
      const declared = parseProperty(paths.property).numClasses
      if (declared !== numClasses) {
        throw new PamError(`${paths.property}: num_classes ${declared} disagrees with ${recName}#0, which lists ${numClasses} identity records`)
      }
    }
    for (const k of keys) if (idx.offset(k) === undefined) throw new PamError(`${paths.idx}: image record ${k} is not listed`)
  } else {
    if (!paths.property) throw new PamError(`${paths.rec}: no index record 0, so a property file must give num_classes`)
    numClasses = parseProperty(paths.property).numClasses
    keys = idx.keys
  }

  const yaws = new Float64Array(keys.length).fill(NaN)
  forEachYawRow(readTextFile(paths.yaw, 'yaw file'), paths.yaw, 'index', (key, yaw, line) => {
    const i = /^\d+$/.test(key) ? sortedPosition(keys, Number(key)) : -1
    if (i < 0) throw new PamError(`${paths.yaw}:${line}: '${key}' is not an image record index of ${recName}`)
    if (!Number.isNaN(yaws[i])) throw new PamError(`${paths.yaw}:${line}: record ${key} already has a yaw`)
    yaws[i] = yaw
  })
  const missing = yaws.findIndex((y) => Number.isNaN(y))
  if (missing >= 0) throw new PamError(`${paths.yaw}: no yaw for record ${keys[missing]} (${recName}#${keys[missing]})`)

  const get = (index: number): FaceExample => {
    if (!Number.isInteger(index) || index < 0 || index >= keys.length) {
      throw new PamError(`${paths.rec}: example index ${index} is outside [0, ${keys.length})`)
    }
    const key = keys[index]
    const source = `${paths.rec}#${key}`
    const { header, image } = readRecord(key)
    const label = headerClass(header)
    if (!(Number.isInteger(label) && label >= 0 && label < numClasses)) {
      throw new PamError(`${source}: label ${label} is not a class index in [0, ${numClasses})`)
    }
    return { image: decodeImage(image, source), yaw: yaws[index], label, source }
  }

  return {
    paths,
    size: keys.length,
    numClasses,
    get,
    recordKey: (index) => keys[index],
    readPayload,
    close: () => {
      if (fd !== undefined) fs.closeSync(fd)
      fd = undefined
    },
  }
}
