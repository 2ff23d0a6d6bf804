/**
 * The threaded SIMD build under Node: it starts with the threads asked for and its multiply-adds
 * fused, computes what the single-threaded cpu reference computes, and does not keep the process
 * alive (tap would time this file out if it did).
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-wasm'
import '@tensorflow/tfjs-backend-cpu'
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { useWasmLoader, wasmLoaderOptions, wasmLoaderStatus, wasmThreadsWanted } from '../../../../src/backend/wasm-loader/loader'
import { maxRelDiff } from '../../../helpers/wasm'

t.test('PAM_WASM_THREADS sizes the pool, within [1, 8]', async (t) => {
  t.equal(wasmThreadsWanted({ PAM_WASM_THREADS: '3' }), 3)
  t.equal(wasmThreadsWanted({ PAM_WASM_THREADS: '64' }), 8)
  t.equal(wasmThreadsWanted({ PAM_WASM_THREADS: '0' }), 1)
  t.ok(wasmThreadsWanted({}) >= 1, 'defaults to the machine')
})

t.test('PAM_WASM_FMA=0 keeps the shipped binary; fusing is the default', async (t) => {
  t.same(wasmLoaderOptions({ PAM_WASM_THREADS: '2' }), { threads: 2, fma: true })
  for (const off of ['0', 'off', 'false', 'no', ' OFF ']) t.equal(wasmLoaderOptions({ PAM_WASM_FMA: off }).fma, false, off)
  t.equal(wasmLoaderOptions({ PAM_WASM_FMA: '1' }).fma, true)
})

t.test('starts with two threads and computes like the cpu backend', async (t) => {
  registerWasmGradientKernels()
  t.equal(useWasmLoader({ threads: 2, fma: true }), true)
  t.equal(useWasmLoader({ threads: 3, fma: false }), true, 'a second call keeps the first')
  t.ok(await tf.setBackend('wasm'))
  const status = wasmLoaderStatus()
  t.equal(status?.threads, 2)
  t.equal(status?.fallbackReason, undefined)
  t.ok(status?.fma.fused === true && status.fma.counts.madd > 1000, 'multiply-adds fused')
  t.equal(getThreadsCount(), 2)
  t.equal(useWasmLoader({ threads: 2, fma: true }), false, 'too late once started')

  const x = tf.randomNormal([4, 16, 16, 8], 0, 1, 'float32', 3)
  const dy = tf.randomNormal([4, 16, 16, 8], 0, 1, 'float32', 4)
  const run = () =>
    tf.tidy(() => {
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 8, 8] }
      return (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor).dataSync()
    })
  const onWasm = run()
  const [xs, dys] = [x.dataSync(), dy.dataSync()]
  await tf.setBackend('cpu')
  const cpuX = tf.tensor(xs, x.shape)
  const cpuDy = tf.tensor(dys, dy.shape)
  const onCpu = tf.tidy(() =>
    (tf.engine().runKernel('Conv2DBackpropFilter', { x: cpuX, dy: cpuDy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 8, 8] } as never) as tf.Tensor).dataSync(),
  )
  t.ok(maxRelDiff(onWasm, onCpu) < 1e-4)
  tf.dispose([x, dy, cpuX, cpuDy])
})
