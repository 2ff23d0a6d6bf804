/**
 * Writing MXNet RecordIO: a record at a time (`createRecordIoWriter`), or a whole face set in the
 * faces_emore layout (`writeFaceRecordIo`). Used by the tests and by anyone converting an image
 * folder into the format MS1MV2 ships in; the bytes match what MXNet's `MXIndexedRecordIO` writes.
 */
import * as fs from 'fs'
import { encodeRecordChunks, packRecord, arrayHeader, scalarHeader } from './recordio-format'
import { recordIoPaths, type RecordIoPaths } from './recordio'

export interface RecordIoWriter {
  /** Appends a record (a packed payload) under `key` and lists it in the `.idx`. */
  write(key: number, payload: Uint8Array): void
  /** Flushes the `.idx` and closes both files. */
  close(): void
}

/** Opens `rec` and `idx` for writing (truncating them). */
export const createRecordIoWriter = (rec: string, idx: string): RecordIoWriter => {
  const fd = fs.openSync(rec, 'w')
  const lines: string[] = []
  let position = 0
  return {
    write(key, payload) {
      const bytes = encodeRecordChunks(payload)
      lines.push(`${key}\t${position}\n`)
      fs.writeSync(fd, bytes)
      position += bytes.length
    },
    close() {
      fs.closeSync(fd)
      fs.writeFileSync(idx, lines.join(''))
    },
  }
}

export interface FaceRecordIoOptions {
  readonly prefix?: string
  /** Image size recorded in `property`; default 112 × 112. */
  readonly height?: number
  readonly width?: number
  /** Store image labels as a one-element label array (`flag` 1) instead of the scalar field. */
  readonly labelArray?: boolean
}

/**
 * Writes `identities[c]` (encoded JPEG / PNG bytes of class c) as `<prefix>.rec/.idx` and
 * `property` under `dir`, laid out like faces_emore: record 0 = [first identity record, end],
 * image records 1..N in class order, then one `[start, end)` record per identity.
 * Returns the paths (the yaw file is the caller's: `index,yaw` with index = image record key).
 */
export const writeFaceRecordIo = (
  dir: string,
  identities: readonly (readonly Uint8Array[])[],
  options: FaceRecordIoOptions = {},
): RecordIoPaths => {
  const paths = recordIoPaths(dir, { prefix: options.prefix })
  fs.mkdirSync(dir, { recursive: true })
  const numImages = identities.reduce((n, images) => n + images.length, 0)
  const firstIdentity = numImages + 1
  const writer = createRecordIoWriter(paths.rec, paths.idx)
  writer.write(0, packRecord(arrayHeader([firstIdentity, firstIdentity + identities.length], 0), new Uint8Array(0)))
  let key = 1
  const ranges: [number, number][] = []
  identities.forEach((images, label) => {
    const start = key
    for (const image of images) {
      const header = options.labelArray ? arrayHeader([label], key) : scalarHeader(label, key)
      writer.write(key, packRecord(header, image))
      key++
    }
    ranges.push([start, key])
  })
  ranges.forEach((range, c) => writer.write(firstIdentity + c, packRecord(arrayHeader(range, firstIdentity + c), new Uint8Array(0))))
  writer.close()
  fs.writeFileSync(paths.property!, `${identities.length},${options.height ?? 112},${options.width ?? 112}\n`)
  return paths
}
