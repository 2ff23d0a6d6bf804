/**
 * insightface verification pair sets (`lfw.bin`, `cfp_fp.bin`, `agedb_30.bin`, ...).
 *
 * Each is a pickle of `(bins, issame_list)`: 2·N encoded images (pair i = images 2i and 2i+1)
 * and N flags. The released files were written by Python 2 (images as `str`, some as the uint8
 * ndarrays `cv2.imencode` returns); files re-written by Python 3 hold `bytes`, which protocol 2
 * spells `_codecs.encode(text, 'latin1')`. Flags are bools or `numpy.bool_`. All of these are
 * read by the safe unpickler with an allow-list of exactly those constructors.
 */
import * as fs from 'fs'
import { PamError } from '../util/errors'
import { unpickle } from './pickle'
import { bytesGlobals } from './pickle-builtins'
import { decodeElement, NdArray, ndSize, numpyGlobals } from './pickle-numpy'
import { describe, isObject, PyValue } from './pickle-value'

export interface PairSet {
  /** Encoded JPEG/PNG bytes, 2 per pair. */
  readonly images: readonly Uint8Array[]
  /** One flag per pair: true when both images show the same person. */
  readonly issame: readonly boolean[]
}

const globals = { ...bytesGlobals, ...numpyGlobals }

const isNdArray = (v: PyValue): v is NdArray => isObject<NdArray>(v, 'numpy.ndarray')

/** An image entry: bytes, or a uint8 ndarray of any shape (its raw data is the encoded file). */
const imageBytes = (v: PyValue, i: number, source: string): Uint8Array => {
  if (v instanceof Uint8Array) return v
  if (isNdArray(v) && v.dtype !== null && (v.dtype.code === 'u1' || v.dtype.code === 'i1')) {
    // C or Fortran order: an imencode buffer is (n, 1), so both orders hold the same bytes
    if (v.fortran && v.shape.filter((d) => d > 1).length > 1) {
      throw new PamError(`${source}: image ${i} is a Fortran-order ${v.shape.join('×')} array, not an encoded image`)
    }
    const n = ndSize(v)
    if (n > v.data.length) throw new PamError(`${source}: image ${i} claims ${n} bytes, its data holds ${v.data.length}`)
    return v.data.subarray(0, n)
  }
  const what = isNdArray(v) ? `an ndarray of ${v.dtype?.code ?? 'unknown dtype'}` : describe(v)
  throw new PamError(`${source}: image ${i} is ${what}, expected encoded image bytes`)
}

const flags = (v: PyValue, source: string): boolean[] => {
  if (isNdArray(v) && v.dtype !== null) {
    const dtype = v.dtype
    const n = ndSize(v)
    // checked before allocating: a corrupt shape must not turn into a huge array
    if (dtype.code !== 'b1' || n > v.data.length) {
      throw new PamError(`${source}: the flags are a ${v.shape.join('×')} array of ${dtype.code} holding ${v.data.length} bytes, expected bools`)
    }
    return Array.from({ length: n }, (_, i) => decodeElement(dtype, v.data, i) === true)
  }
  if (!Array.isArray(v)) throw new PamError(`${source}: the flags are ${describe(v)}, expected a list of bools`)
  return v.map((f, i) => {
    if (typeof f === 'boolean') return f
    if (f === 0 || f === 1) return f === 1
    throw new PamError(`${source}: flag ${i} is ${describe(f)}, expected a bool`)
  })
}

/** Parses a pair set held in memory; `source` names it in errors. */
export const parseBinPairs = (bytes: Uint8Array, source: string): PairSet => {
  const { value } = unpickle(bytes, { source, globals })
  if (!Array.isArray(value) || value.length !== 2) {
    throw new PamError(`${source}: expected a pickled (images, issame) pair, found ${describe(value)}`)
  }
  const [bins, same] = value
  if (!Array.isArray(bins)) throw new PamError(`${source}: the images are ${describe(bins)}, expected a list`)
  const issame = flags(same, source)
  if (bins.length !== 2 * issame.length) {
    throw new PamError(`${source}: ${bins.length} images for ${issame.length} pairs; expected 2 per pair`)
  }
  return { images: bins.map((b, i) => imageBytes(b, i, source)), issame }
}

/** Reads a pair set from disk. */
export const readBinPairs = (path: string): PairSet => {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path)
  } catch (e) {
    throw new PamError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return parseBinPairs(bytes, path)
}
