/**
 * Writing a float32 state_dict as a `torch.save` file (zip format) that `torch.load` reads; a
 * tensor may ask to be stored as int64 instead (BatchNorm's `num_batches_tracked`).
 *
 * The layout is PyTorch's own: `archive/data.pkl` holds a protocol-2 pickle of an
 * `collections.OrderedDict` whose values are `torch._utils._rebuild_tensor_v2(storage, 0, size,
 * stride, False, OrderedDict())`, each storage a persistent id
 * `('storage', torch.FloatStorage, key, 'cpu', numel)`; `archive/data/<key>` holds the raw
 * little-endian floats, 64-byte aligned; `archive/version` is `3` and `archive/byteorder` is
 * `little` (read by PyTorch ≥ 2.1, ignored before). Every name used is on the allow-list of
 * `torch.load(weights_only=True)`.
 */
import * as fs from 'fs'
import * as os from 'os'
import { PamError } from '../util/errors'
import { encodePickle, global, persid, PickleExpr, reduce, tuple, withItems } from './pickle-write'
import { zipStoredChunks, ZipInput } from './zip-write'

export interface SavedTensor {
  readonly shape: readonly number[]
  /** Row-major. */
  readonly data: Float32Array
  /** The dtype written (default float32); int64 needs integer values (`torch.LongStorage`). */
  readonly writeAs?: 'float32' | 'int64'
}

const int64Bytes = (data: Float32Array, name: string, source: string): Uint8Array => {
  const out = new BigInt64Array(data.length)
  for (let i = 0; i < data.length; i++) {
    if (!Number.isInteger(data[i])) throw new PamError(`${source}: ${name}: int64 tensor holds the non-integer ${data[i]}`)
    out[i] = BigInt(data[i])
  }
  return new Uint8Array(out.buffer)
}

/** Ordered name → tensor: a `Map` or a list of pairs. */
export type StateDictInput = Iterable<readonly [string, SavedTensor]>

const rowMajorStrides = (shape: readonly number[]): number[] => {
  const strides = new Array<number>(shape.length)
  let s = 1
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s
    s *= shape[d]
  }
  return strides
}

const orderedDict = (): PickleExpr => reduce(global('collections', 'OrderedDict'))

/** The archive's chunks; `source` names the destination in errors. */
export const torchSaveChunks = (stateDict: StateDictInput, source: string, archive = 'archive'): Uint8Array[] => {
  if (os.endianness() !== 'LE') throw new PamError(`${source}: writing torch files needs a little-endian machine`)
  const items: (readonly [PickleExpr, PickleExpr])[] = []
  const records: ZipInput[] = []
  let key = 0
  for (const [name, { shape, data, writeAs }] of stateDict) {
    const numel = shape.reduce((a, b) => a * b, 1)
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new PamError(`${source}: ${name}: shape [${shape.join(', ')}] is not a list of sizes`)
    }
    if (numel !== data.length) {
      throw new PamError(`${source}: ${name}: shape [${shape.join(', ')}] holds ${numel} elements, data has ${data.length}`)
    }
    const long = writeAs === 'int64'
    const storage = persid(tuple('storage', global('torch', long ? 'LongStorage' : 'FloatStorage'), String(key), 'cpu', numel))
    const tensor = reduce(
      global('torch._utils', '_rebuild_tensor_v2'),
      storage, 0, tuple(...shape), tuple(...rowMajorStrides(shape)), false, orderedDict(),
    )
    items.push([name, tensor])
    const bytes = long ? int64Bytes(data, name, source) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    records.push({ name: `${archive}/data/${key}`, data: bytes })
    key++
  }
  const pickle = encodePickle(withItems(orderedDict(), items))
  const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'))
  return zipStoredChunks(
    [
      { name: `${archive}/data.pkl`, data: pickle },
      { name: `${archive}/byteorder`, data: text('little') },
      ...records,
      { name: `${archive}/version`, data: text('3\n') },
    ],
    source,
  )
}

/** The whole file in memory. */
export const encodeTorchSave = (stateDict: StateDictInput, archive = 'archive'): Uint8Array =>
  new Uint8Array(Buffer.concat(torchSaveChunks(stateDict, '<memory>', archive)))

/** Writes the file chunk by chunk, so tensor data is never copied into one big buffer. */
export const writeTorchSave = (path: string, stateDict: StateDictInput): void => {
  const chunks = torchSaveChunks(stateDict, path)
  let fd: number | undefined
  try {
    fd = fs.openSync(path, 'w')
    for (const c of chunks) {
      // writeSync may write less than asked (large chunks); continue from where it stopped
      for (let done = 0; done < c.length; ) done += fs.writeSync(fd, c, done, c.length - done)
    }
  } catch (e) {
    throw new PamError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
