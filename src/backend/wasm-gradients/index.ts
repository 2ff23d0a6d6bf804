/**
 * Training on the wasm backend: the convolution gradient kernels tfjs-backend-wasm 4.22 lacks
 * (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput`), and a fast replacement for its `Conv2DBackpropInput`
 * (plain loops, ~10× the forward convolution). Each is rewritten into the backend's own XNNPACK
 * convolutions; see the kernel files for the identities used. Identity and same-dtype Cast share
 * their input's buffer instead of copying it (shared-buffers.ts): training keeps half the memory.
 *
 * `registerWasmGradientKernels()` may be called any number of times, before or after
 * `tf.setBackend('wasm')`. It loads tfjs-backend-wasm first so that the package's own kernel
 * registrations cannot later overwrite ours.
 */
import '@tensorflow/tfjs-backend-wasm'
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core'
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter'
import { conv2dBackpropInputConfig } from './conv2d-backprop-input'
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter'
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input'
import { castConfig, identityConfig } from './shared-buffers'

export { conv2dBackpropFilter } from './conv2d-backprop-filter'
export { conv2dBackpropInput } from './conv2d-backprop-input'
export { depthwiseBackpropFilter } from './depthwise-backprop-filter'
export { depthwiseBackpropInput } from './depthwise-backprop-input'

/** The kernels tfjs-backend-wasm 4.22 does not register at all. */
export const MISSING_WASM_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterConfig, depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig]

/** Kernels the backend has but that we replace for speed. */
export const REPLACED_WASM_KERNELS: readonly KernelConfig[] = [conv2dBackpropInputConfig]

/** Kernels the backend has but that we replace for memory: they share buffers instead of copying. */
export const SHARING_WASM_KERNELS: readonly KernelConfig[] = [identityConfig, castConfig]

export interface RegisterOptions {
  /** Replace the backend's loop-based Conv2DBackpropInput (default true). */
  readonly replaceConv2DBackpropInput?: boolean
  /** Identity and same-dtype Cast share buffers instead of copying (default true). */
  readonly shareBuffers?: boolean
}

const isOurs = (c: KernelConfig): boolean => getKernel(c.kernelName, 'wasm')?.kernelFunc === c.kernelFunc

/** Registers the gradient kernels for 'wasm'; returns the names it (re)registered this call. */
export const registerWasmGradientKernels = (options: RegisterOptions = {}): string[] => {
  const wanted = [
    ...MISSING_WASM_KERNELS,
    ...(options.replaceConv2DBackpropInput ?? true ? REPLACED_WASM_KERNELS : []),
    ...(options.shareBuffers ?? true ? SHARING_WASM_KERNELS : []),
  ]
  const done: string[] = []
  for (const c of wanted) {
    if (isOurs(c)) continue
    if (getKernel(c.kernelName, 'wasm') !== undefined) unregisterKernel(c.kernelName, 'wasm')
    registerKernel(c)
    done.push(c.kernelName)
  }
  return done
}
