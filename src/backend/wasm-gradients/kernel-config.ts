/**
 * The tfjs kernel registrations of the gradient kernels: each takes its tensors and the attrs
 * tfjs passes (`filterShape` for filter gradients, `inputShape` for input gradients) and calls
 * the kernel function on the wasm backend.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core'
import type { ConvGradAttrs } from './geometry'
import type { WasmBackendLike } from './kernel-scope'

/** x, dy, the filter's shape → dW, on the wasm backend. */
export type FilterGradient = (b: WasmBackendLike, x: TensorInfo, dy: TensorInfo, filterShape: readonly number[], a: ConvGradAttrs) => TensorInfo
/** dy, the filter, the input's shape → dx, on the wasm backend. */
export type InputGradient = (b: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, inputShape: readonly number[], a: ConvGradAttrs) => TensorInfo

/** `{x, dy}` + `filterShape` → dW. */
export const filterGradientKernel = (kernelName: string, f: FilterGradient): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
    const a = attrs as unknown as ConvGradAttrs & { filterShape: readonly number[] }
    return f(backend as unknown as WasmBackendLike, x, dy, a.filterShape, a)
  },
})

/** `{dy, filter}` + `inputShape` → dx. */
export const inputGradientKernel = (kernelName: string, f: InputGradient): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo }
    const a = attrs as unknown as ConvGradAttrs & { inputShape: readonly number[] }
    return f(backend as unknown as WasmBackendLike, dy, filter, a.inputShape, a)
  },
})
