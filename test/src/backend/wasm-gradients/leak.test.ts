/**
 * Repeated gradient calls leave nothing behind: neither engine tensors (`tf.memory()`), nor
 * backend buffers (the intermediates a composed kernel makes are backend data, invisible to the
 * engine), nor wasm heap (whose size only ever grows, so a leak of a few MB per call shows).
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-layers' // registers the gradients
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { inKernelScope } from '../../../../src/backend/wasm-gradients/kernel-scope'
import { useBackend } from '../../../helpers/wasm'

interface WasmBackendView {
  numDataIds(): number
  wasm: { HEAPU8: Uint8Array }
}

const backend = () => tf.backend() as unknown as WasmBackendView

const usage = () => ({ tensors: tf.memory().numTensors, dataIds: backend().numDataIds(), heapBytes: backend().wasm.HEAPU8.buffer.byteLength })

t.before(async () => {
  registerWasmGradientKernels()
  await useBackend('wasm')
})

const x = () => tf.randomNormal([8, 24, 24, 16], 0, 1, 'float32', 1) as tf.Tensor4D
const calls: [string, (x: tf.Tensor4D) => tf.Tensor][] = [
  ['Conv2DBackpropFilter', (x) => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: tf.onesLike(x) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 16] } as never) as tf.Tensor],
  ['Conv2DBackpropInput stride 2', (x) => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.ones([8, 12, 12, 16]), filter: tf.ones([3, 3, 16, 16]) }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape } as never) as tf.Tensor],
  ['DepthwiseConv2dNativeBackpropFilter', (x) => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: tf.onesLike(x) }, { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 16, 1] } as never) as tf.Tensor],
  ['DepthwiseConv2dNativeBackpropInput ×2', (x) => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tf.ones([8, 24, 24, 32]), filter: tf.ones([3, 3, 16, 2]) }, { strides: 1, pad: 'same', dilations: 1, inputShape: x.shape } as never) as tf.Tensor],
  ['tf.grads through conv2d and depthwiseConv2d', (x) => {
    const f = (a: tf.Tensor, w: tf.Tensor, d: tf.Tensor) => tf.sum(tf.depthwiseConv2d(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), d as tf.Tensor4D, 1, 'same'))
    const gs = tf.grads(f)([x, tf.ones([3, 3, 16, 16]), tf.ones([3, 3, 16, 1])])
    return tf.stack(gs.map((g) => tf.sum(g)))
  }],
]

for (const [name, call] of calls)
  t.test(name, async (t) => {
    const input = x()
    const once = () => tf.tidy(() => call(input).dataSync())
    for (let i = 0; i < 3; i++) once() // warm up: XNNPACK operators, heap growth
    const before = usage()
    for (let i = 0; i < 25; i++) once()
    t.same(usage(), before, 'tensors, backend buffers and wasm heap unchanged')
    input.dispose()
  })

t.test('a composed kernel that throws half-way frees what it made', async (t) => {
  const input = x()
  const before = usage()
  t.throws(
    () =>
      inKernelScope(tf.backend() as never, (ops) => {
        const y = ops.transpose(ops.reshape(input, [8, 24 * 24 * 16]), [1, 0])
        ops.run('PadV2', { x: y }, { paddings: [[1, 1], [0, 0]], constantValue: 0 })
        throw new Error('half-way')
      }),
    /half-way/,
  )
  t.same(usage(), before)
  input.dispose()
})

t.test('a kernel refusing its attributes leaves nothing behind', async (t) => {
  const input = x()
  const dy = tf.ones([8, 23, 24, 16])
  const before = usage()
  t.throws(
    () => tf.engine().runKernel('Conv2DBackpropFilter', { x: input, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 16] } as never),
    { name: 'PamError', message: 'Conv2DBackpropFilter (wasm): dy has shape [8,23,24,16] but the convolution produces [8,24,24,16]' },
  )
  t.same(usage(), before)
  tf.dispose([input, dy])
})
