/**
 * Reading `torch.save`d state_dicts without PyTorch and without running the pickle.
 *
 * Three containers hold the same pickled object (tensors as persistent ids naming storages):
 * - zip (PyTorch ≥ 1.6): `<prefix>/data.pkl`, `<prefix>/data/<key>` raw storages, `<prefix>/version`
 *   and, since 2.1, `<prefix>/byteorder`;
 * - legacy (face.evoLVe's released weights): pickles of the magic number, protocol version
 *   1001, system info, the object, the sorted storage keys, then each storage as an int64
 *   element count followed by its raw little-endian bytes;
 * - a plain pickle (`pickle.dump(state_dict)`): each storage is `torch.storage._load_from_bytes`
 *   of a nested legacy file.
 * The allow-list holds only what a state_dict needs: OrderedDict, the tensor and parameter
 * rebuild functions, the storage classes, bytes helpers and numpy scalars (wrappers often carry
 * metrics as numpy floats).
 */
import * as fs from 'fs'
import { PamError } from '../util/errors'
import { cursor, i64, take } from './byte-cursor'
import { unpickle } from './pickle'
import { bytesGlobals, orderedDict } from './pickle-builtins'
import { numpyGlobals } from './pickle-numpy'
import { asText, describe, dictGet, isDict, isGlobal, isInt, isObject, PyCallable, PyDict, PyValue } from './pickle-value'
import { elementSize, materialise, storageClasses, TorchDtype, TorchStorage, TorchTensor } from './torch-storage'
import { findEntry, isZip, openZip, readEntry } from './zip'

export type { TorchDtype } from './torch-storage'

export interface TorchTensorEntry {
  readonly name: string
  /** The dtype in the file; `data` is always float32. */
  readonly dtype: TorchDtype
  readonly shape: readonly number[]
  /** Row-major; float16 and integers converted (int64 exactly up to 2^24). */
  readonly data: Float32Array
}

export interface TorchCheckpoint {
  readonly format: 'zip' | 'legacy' | 'pickle'
  /** In the state_dict's order. */
  readonly tensors: readonly TorchTensorEntry[]
  /** The key of the wrapping dict the state_dict was found under, or null when it was the top. */
  readonly wrapperKey: string | null
  /** `module.` when every name carried DataParallel's prefix and it was stripped, else null. */
  readonly strippedPrefix: string | null
}

/** Keys under which training scripts commonly nest the state_dict, in the order they are tried. */
export const wrapperKeys = ['state_dict', 'model_state_dict', 'model', 'net', 'network', 'backbone', 'module', 'params', 'weights'] as const

const MAGIC = 0x1950a86a20f9469cfc6cn
const LEGACY_PROTOCOL = 1001

const isTensor = (v: PyValue | undefined): v is TorchTensor => v !== undefined && isObject<TorchTensor>(v, 'torch.Tensor')
const isStorage = (v: PyValue | undefined): v is TorchStorage => v !== undefined && isObject<TorchStorage>(v, 'torch.storage')

const ints = (v: PyValue, what: string): number[] => {
  if (!Array.isArray(v) || !v.every(isInt)) throw new Error(`${what} is ${describe(v)}, expected a tuple of ints`)
  return v as number[]
}

/** `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])` and v1. */
const rebuildTensor: PyCallable = (args) => {
  const [storage, offset] = args
  if (!isStorage(storage)) throw new Error(`expects a storage, got ${describe(storage ?? null)}`)
  if (!isInt(offset ?? null)) throw new Error('storage offset is not an int')
  const shape = ints(args[2] ?? null, 'size')
  const stride = ints(args[3] ?? null, 'stride')
  if (shape.length !== stride.length) throw new Error(`size has ${shape.length} dims, stride ${stride.length}`)
  const t: TorchTensor = { _tag: 'torch.Tensor', storage, offset: offset as number, shape, stride }
  return t
}

/** `_rebuild_parameter(data, requires_grad, hooks[, state])`: a Parameter is its data here. */
const rebuildParameter: PyCallable = (args) => {
  if (!isTensor(args[0])) throw new Error(`expects a tensor, got ${describe(args[0] ?? null)}`)
  return args[0]
}

const storageNames = Object.fromEntries(Object.keys(storageClasses).map((k) => [k, null]))

/** The allow-list; `loadFromBytes` handles storages pickled without `torch.save`. */
const globalsFor = (loadFromBytes: PyCallable): Readonly<Record<string, PyCallable | null>> => {
  const base: Record<string, PyCallable | null> = {
    'collections.OrderedDict': orderedDict,
    'torch._utils._rebuild_tensor': rebuildTensor,
    'torch._utils._rebuild_tensor_v2': rebuildTensor,
    'torch._utils._rebuild_parameter': rebuildParameter,
    'torch._utils._rebuild_parameter_with_state': rebuildParameter,
    'torch.storage._load_from_bytes': loadFromBytes,
    'torch._tensor._rebuild_from_type_v2': null, // replaced below: it calls another global
    'torch.Tensor': null,
    'torch.nn.parameter.Parameter': null,
    ...storageNames,
    ...bytesGlobals,
    ...numpyGlobals,
  }
  // `_rebuild_from_type_v2(func, new_type, args, state)` wraps a rebuild for tensor subclasses
  base['torch._tensor._rebuild_from_type_v2'] = (args) => {
    const [fn, , inner] = args
    const impl = isGlobal(fn ?? null) ? base[(fn as { name: string }).name] : undefined
    if (!impl || !Array.isArray(inner)) throw new Error('expects (rebuild function, type, args, state)')
    return impl(inner)
  }
  return base
}

/** Reads the storage pid tuple shared by both formats: ('storage', class, key, location, numel, ...). */
const storagePid = (pid: PyValue): { dtype: TorchDtype; key: string; numel: number; rest: readonly PyValue[] } => {
  if (!Array.isArray(pid) || pid.length < 5) throw new Error(`unexpected persistent id ${describe(pid)}`)
  const kind = asText(pid[0])
  if (kind === 'module') throw new Error('the file holds a whole pickled model, not a state_dict')
  if (kind !== 'storage') throw new Error(`unexpected persistent id of kind ${kind ?? describe(pid[0])}`)
  const cls = pid[1]
  const dtype = isGlobal(cls) ? storageClasses[cls.name] : undefined
  if (!dtype) throw new Error(`unsupported storage type ${describe(cls)}`)
  const key = asText(pid[2])
  if (key === undefined || !isInt(pid[4])) throw new Error('malformed storage id')
  return { dtype, key, numel: pid[4], rest: pid.slice(5) }
}

const newStorage = (key: string, dtype: TorchDtype, numel: number, bytes: Uint8Array | null): TorchStorage => ({
  _tag: 'torch.storage', key, dtype, numel, bytes, littleEndian: true,
})

// ---------------------------------------------------------------------------------------------
// containers
// ---------------------------------------------------------------------------------------------

const loadZip = (bytes: Uint8Array, source: string): PyValue => {
  const zip = openZip(bytes, source)
  const pkl = zip.entries.find((e) => e.name === 'data.pkl' || e.name.endsWith('/data.pkl'))
  if (!pkl) throw new PamError(`${source}: zip archive without data.pkl (not a torch.save file)`)
  const prefix = pkl.name.slice(0, -'data.pkl'.length)
  const order = findEntry(zip, `${prefix}byteorder`)
  const littleEndian = order === undefined || new TextDecoder().decode(readEntry(zip, order)).trim() !== 'big'
  const storages = new Map<string, TorchStorage>()
  const persistentLoad = (pid: PyValue): PyValue => {
    const { dtype, key, numel } = storagePid(pid)
    const known = storages.get(key)
    if (known) return known
    const entry = findEntry(zip, `${prefix}data/${key}`)
    if (!entry) throw new PamError(`${source}: storage ${key} is missing (no ${prefix}data/${key} in the archive)`)
    const data = readEntry(zip, entry)
    if (data.length < numel * elementSize[dtype]) {
      throw new PamError(`${source}: storage ${key} holds ${data.length} bytes, ${numel} ${dtype} elements need ${numel * elementSize[dtype]}`)
    }
    const s = newStorage(key, dtype, numel, data)
    s.littleEndian = littleEndian
    storages.set(key, s)
    return s
  }
  return unpickle(readEntry(zip, pkl), { source: `${source}:${pkl.name}`, globals: globalsFor(loadFromBytes(source)), persistentLoad }).value
}

/** The legacy stream: five pickles, then the raw storages in the order of the key list. */
const loadLegacy = (bytes: Uint8Array, source: string, afterMagic: number): PyValue => {
  const globals = globalsFor(loadFromBytes(source))
  const next = (start: number) => unpickle(bytes, { source, globals }, start)
  const version = next(afterMagic)
  if (version.value !== LEGACY_PROTOCOL) throw new PamError(`${source}: legacy torch file with protocol ${describe(version.value)}, expected ${LEGACY_PROTOCOL}`)
  const sysInfo = next(version.end)
  if (isDict(sysInfo.value) && dictGet(sysInfo.value, 'little_endian') === false) {
    throw new PamError(`${source}: written on a big-endian machine, which is not supported`)
  }
  const roots = new Map<string, TorchStorage>()
  const views = new Map<string, TorchStorage>()
  const persistentLoad = (pid: PyValue): PyValue => {
    const { dtype, key, numel, rest } = storagePid(pid)
    const root = roots.get(key) ?? newStorage(key, dtype, numel, null)
    roots.set(key, root)
    const view = rest[0] ?? null
    if (view === null) return root
    // an old-style storage view: (view_key, offset, size) in elements of the root storage
    const [vKey, vOffset, vSize] = Array.isArray(view) && view.length === 3 ? view : []
    const viewKey = asText(vKey ?? null)
    if (viewKey === undefined || !isInt(vOffset ?? null) || !isInt(vSize ?? null)) throw new Error('malformed storage view')
    const s = views.get(viewKey) ?? { ...newStorage(viewKey, dtype, vSize as number, null), view: { root, offset: vOffset as number } }
    views.set(viewKey, s)
    return s
  }
  const object = unpickle(bytes, { source, globals, persistentLoad }, sysInfo.end)
  const keys = next(object.end)
  if (!Array.isArray(keys.value)) throw new PamError(`${source}: expected the list of storage keys at offset ${object.end}`)
  const c = cursor(bytes, source, keys.end)
  for (const k of keys.value) {
    const key = asText(k) ?? ''
    const s = roots.get(key)
    if (!s) throw new PamError(`${source}: storage key ${key} at offset ${c.pos} is not used by the object`)
    const numel = i64(c, `storage ${key} size`)
    s.bytes = take(c, numel * elementSize[s.dtype], `storage ${key} (${numel} ${s.dtype} elements)`)
  }
  return object.value
}

/** `_load_from_bytes(b)`: `b` is a whole nested legacy file whose object is one storage. */
const loadFromBytes =
  (source: string): PyCallable =>
  (args) => {
    const b = args[0]
    if (!(b instanceof Uint8Array)) throw new Error('expects bytes')
    const v = loadAny(b, `${source} (nested storage)`)
    return v.value
  }

const loadAny = (bytes: Uint8Array, source: string): { format: TorchCheckpoint['format']; value: PyValue } => {
  if (isZip(bytes)) return { format: 'zip', value: loadZip(bytes, source) }
  if (bytes.length > 262 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar') {
    throw new PamError(`${source}: a tar-format torch file (PyTorch < 0.4), which is not supported`)
  }
  const first = unpickle(bytes, { source, globals: globalsFor(loadFromBytes(source)) })
  if (first.value === MAGIC) return { format: 'legacy', value: loadLegacy(bytes, source, first.end) }
  return { format: 'pickle', value: first.value }
}

// ---------------------------------------------------------------------------------------------
// finding the state_dict
// ---------------------------------------------------------------------------------------------

/** A state_dict: a dict with at least one entry whose values are all tensors. */
const isStateDict = (v: PyValue | undefined): v is PyDict =>
  v !== undefined && isDict(v) && v.size > 0 && [...v.values()].every(isTensor)

const findStateDict = (top: PyValue, source: string): { dict: PyDict; wrapperKey: string | null } => {
  if (isStateDict(top)) return { dict: top, wrapperKey: null }
  if (isDict(top)) {
    for (const key of wrapperKeys) {
      const inner = dictGet(top, key)
      if (isStateDict(inner)) return { dict: inner, wrapperKey: key }
    }
    const keys = [...top.keys()].map((k) => asText(k) ?? describe(k)).join(', ')
    throw new PamError(`${source}: no state_dict found: the top-level dict has keys ${keys} (looked for a dict of tensors at the top or under ${wrapperKeys.join(', ')})`)
  }
  throw new PamError(`${source}: expected a state_dict (a dict of tensors), found ${describe(top)}`)
}

const PREFIX = 'module.'

/** Parses a `torch.save` file held in memory; `source` names it in errors. */
export const parseTorchCheckpoint = (bytes: Uint8Array, source: string): TorchCheckpoint => {
  const { format, value } = loadAny(bytes, source)
  const { dict, wrapperKey } = findStateDict(value, source)
  const named = [...dict].map(([k, t]) => {
    const name = asText(k)
    if (name === undefined) throw new PamError(`${source}: state_dict key ${describe(k)} is not a name`)
    return { name, tensor: t as TorchTensor }
  })
  // DataParallel saves every name with `module.`; strip it only when all names carry it
  const strip = named.every(({ name }) => name.startsWith(PREFIX))
  const tensors = named.map(({ name, tensor }) => ({
    name: strip ? name.slice(PREFIX.length) : name,
    dtype: tensor.storage.dtype,
    shape: tensor.shape,
    data: materialise(tensor, name, source),
  }))
  return { format, tensors, wrapperKey, strippedPrefix: strip ? PREFIX : null }
}

/** Reads a `torch.save` file from disk. */
export const readTorchCheckpoint = (path: string): TorchCheckpoint => {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path)
  } catch (e) {
    throw new PamError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return parseTorchCheckpoint(bytes, path)
}
