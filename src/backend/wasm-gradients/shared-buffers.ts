/**
 * Identity and same-dtype Cast without a copy on wasm.
 *
 * tfjs keeps a kernel's inputs for its gradient by running `Identity` on them (engine.clone),
 * and tfjs-layers casts float32 tensors to float32 on every call. The wasm backend's kernels for
 * both copy the data, so in a training step every saved activation existed twice: in IR50 + PAM12
 * at 112 × 112, batch 2, 2,381 Identity calls wrote 851 MiB. The cpu backend instead shares the
 * buffer and counts references, as wasm's own Reshape does; these do the same. Sharing is safe
 * because no wasm kernel writes into its inputs, and a variable's `assign` swaps its buffer
 * rather than writing into it.
 */
import '@tensorflow/tfjs-backend-wasm'
import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'

interface RefCounting {
  incRef(dataId: object): void
}

const share = (x: TensorInfo, backend: unknown): TensorInfo => {
  ;(backend as RefCounting).incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo }
    // Strings do not live on the wasm heap; the stock kernel handles them.
    return x.dtype === 'string' ? (stockIdentity as KernelFunc)({ inputs, backend, attrs: {} }) : share(x, backend)
  },
}

export const castConfig: KernelConfig = {
  kernelName: 'Cast',
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: TensorInfo }
    return (args.attrs as { dtype: string }).dtype === x.dtype && x.dtype !== 'string' ? share(x, args.backend) : (stockCast as KernelFunc)(args)
  },
}

// The package's own kernels, kept for what the shared versions do not cover.
const stockIdentity = getKernel('Identity', 'wasm')?.kernelFunc
const stockCast = getKernel('Cast', 'wasm')?.kernelFunc
