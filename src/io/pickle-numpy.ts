/**
 * Safe stand-ins for the numpy globals that pickled arrays and scalars name.
 *
 * insightface's pair-set scripts append `cv2.imencode(...)[1]` (a uint8 ndarray) to the image
 * list of `cfp_fp.bin` and `agedb_30.bin`, and a list of flags may hold `numpy.bool_`. Pickled,
 * an ndarray is `_reconstruct(ndarray, (0,), b'b')` followed by BUILD with
 * `(version, shape, dtype, is_fortran, raw bytes)` (protocols 2-4), or
 * `_frombuffer(buffer, dtype, shape, order)` (protocol 5); a scalar is `scalar(dtype, raw bytes)`;
 * a dtype is `dtype('u1', False, True)` followed by BUILD with its byte order. numpy 2 moved
 * `numpy.core` to `numpy._core`; both spellings are accepted.
 */
import { asText, describe, isInt, isObject, PyCallable, PyObject, PyValue } from './pickle-value'

/** A dtype as numpy pickles it: kind+size (`u1`, `f4`, `b1`) and byte order (`<`, `>`, `|`). */
export interface NdDtype extends PyObject {
  readonly _tag: 'numpy.dtype'
  readonly code: string
  byteorder: string
}

/** An array's raw bytes, C order unless `fortran`; no element is interpreted until asked. */
export interface NdArray extends PyObject {
  readonly _tag: 'numpy.ndarray'
  dtype: NdDtype | null
  shape: readonly number[]
  fortran: boolean
  data: Uint8Array
}

const bytesOf = (v: PyValue, what: string): Uint8Array => {
  if (v instanceof Uint8Array) return v
  // Python 2 numpy pickles raw data as str; read as latin-1 text it would be a string
  if (typeof v === 'string') return Uint8Array.from(v, (ch) => ch.charCodeAt(0) & 0xff)
  throw new Error(`${what} is ${describe(v)}, expected raw bytes (object arrays are not supported)`)
}

const shapeOf = (v: PyValue): number[] => {
  if (!Array.isArray(v) || !v.every(isInt)) throw new Error(`shape is ${describe(v)}, expected a tuple of ints`)
  return v as number[]
}

const dtypeOf = (v: PyValue): NdDtype => {
  if (!isObject<NdDtype>(v, 'numpy.dtype')) throw new Error(`dtype is ${describe(v)}`)
  return v
}

const makeDtype: PyCallable = (args) => {
  const spec = asText(args[0] ?? null)
  if (spec === undefined) throw new Error('dtype expects a type code')
  const order = /^[<>|=]/.test(spec) ? spec[0] : '|'
  const dtype: NdDtype = {
    _tag: 'numpy.dtype',
    code: /^[<>|=]/.test(spec) ? spec.slice(1) : spec,
    byteorder: order,
    __setstate__(state) {
      // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
      if (!Array.isArray(state) || state.length < 2) throw new Error('unexpected dtype state')
      const bo = asText(state[1])
      if (bo === undefined) throw new Error('dtype byte order is not text')
      if (state[3] !== null || state[2] !== null) throw new Error('structured dtypes are not supported')
      dtype.byteorder = bo
    },
  }
  return dtype
}

const makeArray = (dtype: NdDtype | null, shape: readonly number[], fortran: boolean, data: Uint8Array): NdArray => ({
  _tag: 'numpy.ndarray',
  dtype,
  shape,
  fortran,
  data,
  __setstate__(state) {
    // (version, shape, dtype, is_fortran, raw) or, from old numpy, the same without version
    if (!Array.isArray(state) || (state.length !== 5 && state.length !== 4)) throw new Error('unexpected ndarray state')
    const s = state.length === 5 ? state.slice(1) : state
    this.shape = shapeOf(s[0])
    this.dtype = dtypeOf(s[1])
    this.fortran = s[2] === true || s[2] === 1
    this.data = bytesOf(s[3], 'array data')
  },
})

/** `_reconstruct(ndarray, shape, typecode)`: an empty array that BUILD fills. */
const reconstruct: PyCallable = () => makeArray(null, [0], false, new Uint8Array(0))

/** Protocol 5: `_frombuffer(buffer, dtype, shape, order)`. */
const fromBuffer: PyCallable = (args) =>
  makeArray(dtypeOf(args[1] ?? null), shapeOf(args[2] ?? null), asText(args[3] ?? null) === 'F', bytesOf(args[0] ?? null, 'buffer'))

/** `scalar(dtype, raw)`: numpy scalars come out as the matching JS primitive. */
const scalar: PyCallable = (args) => {
  const dtype = dtypeOf(args[0] ?? null)
  const raw = bytesOf(args[1] ?? null, 'scalar data')
  return decodeElement(dtype, raw, 0)
}

const elementSizes: Readonly<Record<string, number>> = {
  b1: 1, u1: 1, i1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f2: 2, f4: 4, f8: 8,
}

/** Element `i` of raw numpy data as a JS value: booleans for `b1`, numbers otherwise. */
export const decodeElement = (dtype: NdDtype, raw: Uint8Array, i: number): boolean | number => {
  const size = elementSizes[dtype.code]
  if (size === undefined) throw new Error(`dtype ${dtype.code} is not supported`)
  if ((i + 1) * size > raw.length) throw new Error(`data holds ${raw.length} bytes, too few for element ${i}`)
  const view = new DataView(raw.buffer, raw.byteOffset + i * size, size)
  const le = dtype.byteorder !== '>'
  switch (dtype.code) {
    case 'b1': return view.getUint8(0) !== 0
    case 'u1': return view.getUint8(0)
    case 'i1': return view.getInt8(0)
    case 'u2': return view.getUint16(0, le)
    case 'i2': return view.getInt16(0, le)
    case 'u4': return view.getUint32(0, le)
    case 'i4': return view.getInt32(0, le)
    case 'u8': return Number(view.getBigUint64(0, le))
    case 'i8': return Number(view.getBigInt64(0, le))
    case 'f4': return view.getFloat32(0, le)
    case 'f8': return view.getFloat64(0, le)
    default: throw new Error(`dtype ${dtype.code} is not supported`)
  }
}

/** The number of elements an array's shape holds. */
export const ndSize = (a: NdArray): number => a.shape.reduce((n, d) => n * d, 1)

const forBoth = (suffix: string, impl: PyCallable | null): Record<string, PyCallable | null> => ({
  [`numpy.core.${suffix}`]: impl,
  [`numpy._core.${suffix}`]: impl,
})

/** Allow-list entries for pickled ndarrays, dtypes and scalars (numpy 1 and 2 names). */
export const numpyGlobals: Readonly<Record<string, PyCallable | null>> = {
  ...forBoth('multiarray._reconstruct', reconstruct),
  ...forBoth('multiarray.scalar', scalar),
  ...forBoth('numeric._frombuffer', fromBuffer),
  'numpy.ndarray': null,
  'numpy.dtype': makeDtype,
}
