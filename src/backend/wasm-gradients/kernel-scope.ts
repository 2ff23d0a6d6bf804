/**
 * Composing wasm kernels inside a kernel.
 *
 * A gradient kernel here is a short program over the wasm backend's own kernels (Conv2D,
 * DepthwiseConv2dNative, Transpose, PadV2, ...), called directly through the kernel registry so
 * that no engine tensors are created and autograd never sees the steps. Every intermediate
 * `TensorInfo` those kernels return lives in the backend (not in `tf.memory()`), so the scope
 * frees each one through `backend.disposeData` once the result exists, also when a step throws.
 * Reshape-like kernels share their input's buffer and bump its reference count, so freeing an
 * intermediate that the result aliases only drops that count.
 */
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core'
import { PamError } from '../../util/errors'

/** The part of the wasm backend a composed kernel touches (public methods of `BackendWasm`). */
export interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean
  /** A new float32 buffer on the wasm heap. */
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo
  /** A view of a float32 tensor's values on the wasm heap (valid until the heap next grows). */
  typedArrayFromHeap(t: TensorInfo): Float32Array
}

/** Runs the wasm kernel `name`; its output is owned by the surrounding scope. */
export type Run = (name: string, inputs: NamedTensorInfoMap, attrs?: NamedAttrMap) => TensorInfo

export interface KernelOps {
  readonly run: Run
  /** Makes `t` (a buffer made outside `run`) owned by the scope. */
  readonly track: (t: TensorInfo) => TensorInfo
  /** Reverses the order of the `count` equal contiguous blocks of `x` (memcpy per block). */
  readonly reverseBlocks: (x: TensorInfo, count: number) => TensorInfo
  readonly reshape: (x: TensorInfo, shape: readonly number[]) => TensorInfo
  readonly transpose: (x: TensorInfo, perm: readonly number[]) => TensorInfo
}

const wasmKernel = (name: string) => {
  const k = getKernel(name, 'wasm')
  if (k === undefined) throw new PamError(`wasm backend: kernel ${name} is not registered (is @tensorflow/tfjs-backend-wasm 4.22 loaded?)`)
  return k.kernelFunc
}

/**
 * Runs `body` with kernel helpers bound to `backend`; frees every intermediate but the returned
 * one. The result must be an output of `run` (or one of the helpers), never an input.
 */
export const inKernelScope = (backend: WasmBackendLike, body: (ops: KernelOps) => TensorInfo): TensorInfo => {
  const made: TensorInfo[] = []
  const run: Run = (name, inputs, attrs = {}) => {
    // Kernels with one output return a TensorInfo; none used here returns several.
    const out = wasmKernel(name)({ inputs, backend: backend as never, attrs }) as TensorInfo
    made.push(out)
    return out
  }
  const track = (t: TensorInfo): TensorInfo => {
    made.push(t)
    return t
  }
  const ops: KernelOps = {
    run,
    track,
    reverseBlocks: (x, count) => {
      // The backend's Reverse is a per-element loop (~0.1 s for a 3×3×512×512 filter); a tap
      // flip only moves whole [inC,outC] blocks.
      const out = track(backend.makeOutput([...x.shape], 'float32'))
      const src = backend.typedArrayFromHeap(x)
      const dst = backend.typedArrayFromHeap(out)
      const block = src.length / count
      for (let i = 0; i < count; i++) dst.set(src.subarray((count - 1 - i) * block, (count - i) * block), i * block)
      return out
    },
    reshape: (x, shape) => run('Reshape', { x }, { shape: [...shape] }),
    transpose: (x, perm) => run('Transpose', { x }, { perm: [...perm] }),
  }
  let result: TensorInfo | undefined
  try {
    result = body(ops)
    return result
  } finally {
    for (const t of made) if (t !== result) backend.disposeData(t.dataId)
  }
}
