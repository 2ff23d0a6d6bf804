/**
 * NumPy `.npy` files of float32 matrices (embeddings), written as v1.0 and C order.
 *
 * The header is a Python dict literal, padded with spaces and a newline so that the data starts
 * at a multiple of 64 bytes (what numpy itself writes, so `np.load(..., mmap_mode='r')` maps it
 * aligned). The reader accepts v1-v3 headers, little-endian float32 or float64 (converted) in
 * C order: enough to read back what this project writes and what numpy writes for it.
 */
import * as fs from 'fs'
import { PamError } from '../util/errors'
import { cursor, latin1, take, u16, u32, u8 } from './byte-cursor'

export interface NpyArray {
  readonly shape: readonly number[]
  /** Row-major. */
  readonly data: Float32Array
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY
const ALIGN = 64

const pyShape = (shape: readonly number[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`

/** `[...shape]`, row-major float32 → `.npy` bytes. */
export const encodeNpy = (data: Float32Array, shape: readonly number[]): Uint8Array => {
  const numel = shape.reduce((a, b) => a * b, 1)
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || numel !== data.length) {
    throw new PamError(`npy: shape [${shape.join(', ')}] does not hold ${data.length} elements`)
  }
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${pyShape(shape)}, }`
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1
  const header = dict + ' '.repeat((ALIGN - (unpadded % ALIGN)) % ALIGN) + '\n'
  const out = new Uint8Array(MAGIC.length + 4 + header.length + data.byteLength)
  out.set(MAGIC, 0)
  out[6] = 1 // version 1.0
  out[7] = 0
  new DataView(out.buffer).setUint16(8, header.length, true)
  out.set(Buffer.from(header, 'latin1'), 10)
  const le = new DataView(out.buffer, 10 + header.length)
  for (let i = 0; i < data.length; i++) le.setFloat32(i * 4, data[i], true)
  return out
}

const field = (header: string, key: string): string | undefined =>
  new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header)?.[1]

/** `.npy` bytes → shape and float32 data; `source` names the file in errors. */
export const decodeNpy = (bytes: Uint8Array, source: string): NpyArray => {
  const c = cursor(bytes, source)
  const magic = take(c, 6, 'npy magic')
  if (!MAGIC.every((b, i) => magic[i] === b)) throw new PamError(`${source}: not a .npy file (bad magic)`)
  const major = u8(c, 'npy version')
  u8(c, 'npy version')
  if (major < 1 || major > 3) throw new PamError(`${source}: .npy version ${major} is not supported`)
  const headerLen = major === 1 ? u16(c, 'npy header length') : u32(c, 'npy header length')
  const header = latin1(take(c, headerLen, 'npy header'))
  const descr = field(header, 'descr')?.slice(1, -1)
  const fortran = field(header, 'fortran_order')
  const shapeText = field(header, 'shape')
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new PamError(`${source}: malformed .npy header ${JSON.stringify(header.trim())}`)
  }
  if (fortran !== 'False') throw new PamError(`${source}: Fortran-order arrays are not supported`)
  const size = descr === '<f4' ? 4 : descr === '<f8' ? 8 : 0
  if (size === 0) throw new PamError(`${source}: dtype ${descr} is not supported (expected <f4 or <f8)`)
  const shape = shapeText.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number)
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new PamError(`${source}: malformed shape ${shapeText}`)
  const numel = shape.reduce((a, b) => a * b, 1)
  const raw = take(c, numel * size, `npy data (${numel} elements)`)
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const data = new Float32Array(numel)
  for (let i = 0; i < numel; i++) data[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true)
  return { shape, data }
}

export const writeNpy = (path: string, data: Float32Array, shape: readonly number[]): void => {
  const bytes = encodeNpy(data, shape)
  try {
    fs.writeFileSync(path, bytes)
  } catch (e) {
    throw new PamError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}

export const readNpy = (path: string): NpyArray => {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path)
  } catch (e) {
    throw new PamError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return decodeNpy(bytes, path)
}
