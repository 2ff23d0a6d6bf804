/**
 * The threaded SIMD build under Node: it starts with the threads asked for, computes what the
 * single-threaded cpu reference computes, and does not keep the process alive (tap would time
 * this file out if it did).
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-wasm'
import '@tensorflow/tfjs-backend-cpu'
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { threadedWasmStatus, useThreadedWasm, wasmThreadsWanted } from '../../../../src/backend/wasm-gradients/threads'
import { maxRelDiff } from '../../../helpers/wasm'

t.test('PAM_WASM_THREADS sizes the pool, within [1, 8]', async (t) => {
  t.equal(wasmThreadsWanted({ PAM_WASM_THREADS: '3' }), 3)
  t.equal(wasmThreadsWanted({ PAM_WASM_THREADS: '64' }), 8)
  t.equal(wasmThreadsWanted({ PAM_WASM_THREADS: '0' }), 1)
  t.ok(wasmThreadsWanted({}) >= 1, 'defaults to the machine')
  t.equal(useThreadedWasm(1), false, 'one thread: the stock loader stays')
})

t.test('starts with two threads and computes like the cpu backend', async (t) => {
  registerWasmGradientKernels()
  t.equal(useThreadedWasm(2), true)
  t.equal(useThreadedWasm(2), true, 'a second call keeps the first')
  t.ok(await tf.setBackend('wasm'))
  t.same(threadedWasmStatus(), { threads: 2 })
  t.equal(getThreadsCount(), 2)
  t.equal(useThreadedWasm(2), false, 'too late once started')

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
