import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-wasm'
import { MISSING_WASM_KERNELS, REPLACED_WASM_KERNELS, registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'

const wasmKernels = () => new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName))
const missing = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']

t.test('tfjs-backend-wasm 4.22 lacks the three kernels', async (t) => {
  const have = wasmKernels()
  for (const k of missing) t.notOk(have.has(k), k)
  t.ok(have.has('Conv2DBackpropInput'), 'but ships a (slow) Conv2DBackpropInput')
  t.same(MISSING_WASM_KERNELS.map((c) => c.kernelName), missing)
})

t.test('the stock Conv2DBackpropInput stays when asked', async (t) => {
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc
  t.same(registerWasmGradientKernels({ replaceConv2DBackpropInput: false }), [...missing, 'Identity', 'Cast'])
  t.equal(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, stock)
})

t.test('registers, replaces, and is idempotent', async (t) => {
  t.same(registerWasmGradientKernels(), ['Conv2DBackpropInput'], 'the missing ones are already there')
  t.same(registerWasmGradientKernels(), [], 'second call: nothing to do')
  const have = wasmKernels()
  for (const k of missing) t.ok(have.has(k), k)
  t.equal(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, REPLACED_WASM_KERNELS[0].kernelFunc)
})
