/**
 * Torch storages and tensor views over them, and their materialisation as float32.
 *
 * A pickled tensor is a view: (storage, storage_offset, size, stride). Several tensors may share
 * one storage (a parameter and a view of it), a view may start anywhere in it and its strides
 * may be non-contiguous (a transposed weight). Materialising gathers the elements in row-major
 * order and converts them to float32, the one dtype this project computes in.
 */
import { PamError } from '../util/errors'
import { PyObject } from './pickle-value'

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool'

/** The legacy storage classes pickles name, which is how a storage's dtype is recorded. */
export const storageClasses: Readonly<Record<string, TorchDtype>> = {
  'torch.FloatStorage': 'float32',
  'torch.DoubleStorage': 'float64',
  'torch.HalfStorage': 'float16',
  'torch.BFloat16Storage': 'bfloat16',
  'torch.LongStorage': 'int64',
  'torch.IntStorage': 'int32',
  'torch.ShortStorage': 'int16',
  'torch.CharStorage': 'int8',
  'torch.ByteStorage': 'uint8',
  'torch.BoolStorage': 'bool',
  'torch.UntypedStorage': 'uint8',
}

export const elementSize: Readonly<Record<TorchDtype, number>> = {
  float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
}

/**
 * A storage; `bytes` arrives later in the legacy format, whose raw data follows the pickle.
 * Files from before PyTorch 1.0 may also name a view of another storage (`view`).
 */
export interface TorchStorage extends PyObject {
  readonly _tag: 'torch.storage'
  readonly key: string
  readonly dtype: TorchDtype
  readonly numel: number
  bytes: Uint8Array | null
  littleEndian: boolean
  readonly view?: { readonly root: TorchStorage; readonly offset: number }
}

/** A storage's bytes, resolving a view into its root; null while not yet read. */
export const storageBytes = (s: TorchStorage): Uint8Array | null => {
  if (!s.view) return s.bytes
  const root = storageBytes(s.view.root)
  const size = elementSize[s.dtype]
  return root && root.subarray(s.view.offset * size, (s.view.offset + s.numel) * size)
}

export interface TorchTensor extends PyObject {
  readonly _tag: 'torch.Tensor'
  readonly storage: TorchStorage
  readonly offset: number
  readonly shape: readonly number[]
  readonly stride: readonly number[]
}

/** IEEE half → number; subnormals and infinities included. */
export const halfToFloat = (h: number): number => {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >> 10) & 0x1f
  const frac = h & 0x3ff
  if (exp === 0) return sign * frac * 2 ** -24
  if (exp === 0x1f) return frac ? NaN : sign * Infinity
  return sign * (1 + frac / 1024) * 2 ** (exp - 15)
}

const bf16 = new DataView(new ArrayBuffer(4))

type Reader = (view: DataView, byteOffset: number, le: boolean) => number

const readers: Readonly<Record<TorchDtype, Reader>> = {
  float32: (v, o, le) => v.getFloat32(o, le),
  float64: (v, o, le) => v.getFloat64(o, le),
  float16: (v, o, le) => halfToFloat(v.getUint16(o, le)),
  bfloat16: (v, o, le) => (bf16.setUint32(0, v.getUint16(o, le) << 16), bf16.getFloat32(0)),
  int64: (v, o, le) => Number(v.getBigInt64(o, le)),
  int32: (v, o, le) => v.getInt32(o, le),
  int16: (v, o, le) => v.getInt16(o, le),
  int8: (v, o) => v.getInt8(o),
  uint8: (v, o) => v.getUint8(o),
  bool: (v, o) => (v.getUint8(o) ? 1 : 0),
}

const MAX_ELEMENTS = 2 ** 31 - 1

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1)

/** Row-major contiguity, ignoring the stride of size-1 dimensions (torch does not fix those). */
const isContiguous = (shape: readonly number[], stride: readonly number[]): boolean => {
  let expected = 1
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false
    expected *= shape[d]
  }
  return true
}

/** The tensor's elements, row-major, as float32. `name` and `source` go into error messages. */
export const materialise = (t: TorchTensor, name: string, source: string): Float32Array => {
  const { storage, offset, shape, stride } = t
  const numel = product(shape)
  if (shape.some((d) => d < 0) || stride.some((s) => s < 0)) {
    throw new PamError(`${source}: ${name}: negative size or stride (${shape.join('×')}, strides ${stride.join(', ')})`)
  }
  if (numel === 0) return new Float32Array(0)
  const bytes = storageBytes(storage)
  if (bytes === null) throw new PamError(`${source}: ${name}: storage ${storage.key} has no data`)
  // checked before allocating: a corrupt size must not turn into a huge allocation
  const last = offset + shape.reduce((s, d, i) => s + (d - 1) * stride[i], 0)
  const available = Math.floor(bytes.length / elementSize[storage.dtype])
  if (offset < 0 || last >= available) {
    throw new PamError(`${source}: ${name}: view reaches element ${last} of storage ${storage.key}, which holds ${available}`)
  }
  // views may repeat elements (stride 0), so a size within bounds can still be absurd
  if (numel > MAX_ELEMENTS) throw new PamError(`${source}: ${name}: ${numel} elements is more than one array holds`)
  const out = new Float32Array(numel)
  const size = elementSize[storage.dtype]
  if (storage.dtype === 'float32' && storage.littleEndian && isContiguous(shape, stride)) {
    // the common case (every weight of a model): one copy, which also fixes alignment
    out.set(new Float32Array(Uint8Array.prototype.slice.call(bytes, offset * 4, (offset + numel) * 4).buffer))
    return out
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const read = readers[storage.dtype]
  const le = storage.littleEndian
  const index = new Array<number>(shape.length).fill(0)
  let at = offset
  for (let i = 0; i < numel; i++) {
    out[i] = read(view, at * size, le)
    // advance the row-major multi-index, carrying into earlier dimensions
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]++
      at += stride[d]
      if (index[d] < shape[d]) break
      at -= stride[d] * shape[d]
      index[d] = 0
    }
  }
  return out
}
