/**
 * One thread through this project's loader: the single-threaded SIMD build, its multiply-adds
 * fused, and the fusion visible in a result (a product whose rounding decides the sum).
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-wasm'
import '@tensorflow/tfjs-backend-cpu'
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { useWasmLoader, wasmLoaderStatus } from '../../../../src/backend/wasm-loader/loader'
import { maxRelDiff } from '../../../helpers/wasm'

tf.enableProdMode()

t.test('one thread: the SIMD build, fused', async (t) => {
  t.equal(useWasmLoader({ threads: 1, fma: true }), true)
  t.ok(await tf.setBackend('wasm'))
  const status = wasmLoaderStatus()
  t.equal(status?.threads, 1)
  t.equal(getThreadsCount(), 1)
  t.equal(status?.fallbackReason, undefined)
  t.ok(status?.fma.fused, 'fused')

  // [−(1+2⁻¹¹), 1+2⁻¹²] · [1, 1+2⁻¹²]: the second product is a float32 tie that rounds to
  // 1 + 2⁻¹¹, so multiply-then-add gives 0 and a fused multiply-add gives 2⁻²⁴ exactly.
  const a = tf.tensor2d([[-(1 + 2 ** -11), 1 + 2 ** -12]])
  const b = tf.tensor2d([[1], [1 + 2 ** -12]])
  const ab = tf.matMul(a, b)
  t.same(Array.from(ab.dataSync()), [2 ** -24], 'the matmul ran fused')
  tf.dispose([a, b, ab])

  const x = tf.randomNormal<tf.Rank.R4>([2, 12, 12, 16], 0, 1, 'float32', 5)
  const w = tf.randomNormal<tf.Rank.R4>([3, 3, 16, 24], 0, 1, 'float32', 6)
  const onWasm = tf.tidy(() => tf.conv2d(x, w, 2, 'same').dataSync())
  const [xs, ws] = [x.dataSync(), w.dataSync()]
  await tf.setBackend('cpu')
  const onCpu = tf.tidy(() => tf.conv2d(tf.tensor4d(xs, x.shape), tf.tensor4d(ws, w.shape), 2, 'same').dataSync())
  t.ok(maxRelDiff(onWasm, onCpu) < 1e-5, 'a strided convolution agrees with cpu')
  tf.dispose([x, w])
})
