import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import { batchNormInfer } from '../../../dsl/compile/batch-norm-infer'
import { maxRelDiff, useBackend } from '../../helpers/wasm'

for (const backend of ['cpu', 'wasm'] as const) {
  for (const shape of [[3, 5, 4, 6], [7, 9]]) {
    t.test(`${backend} [${shape}]: equals tf.batchNorm`, async (t) => {
      await useBackend(backend)
      const c = shape[shape.length - 1]
      const x = tf.randomNormal(shape, 0.5, 2, 'float32', 41)
      const mean = tf.randomNormal([c], 0.5, 0.5, 'float32', 42)
      const variance = tf.randomUniform([c], 0.5, 4, 'float32', 43)
      const beta = tf.randomNormal([c], 0, 0.3, 'float32', 44)
      const gamma = tf.randomNormal([c], 1, 0.3, 'float32', 45)
      const before = tf.memory().numTensors
      const y = batchNormInfer(x, mean, variance, beta, gamma, 1e-5)
      t.equal(tf.memory().numTensors, before + 1, 'only the result is left')
      const ref = tf.batchNorm(x, mean, variance, beta, gamma, 1e-5)
      t.same(y.shape, shape)
      const d = maxRelDiff(y.dataSync(), ref.dataSync())
      t.ok(d < 1e-5, `max relative difference ${d.toExponential(2)}`)
      tf.dispose([x, mean, variance, beta, gamma, y, ref])
    })
  }
}

t.test('which kernel runs: XNNPACK on wasm for [N,H,W,C], tf.batchNorm elsewhere', async (t) => {
  const kernels = async (shape: number[]) => {
    const c = shape[shape.length - 1]
    const args = [tf.ones(shape), tf.zeros([c]), tf.ones([c]), tf.zeros([c]), tf.ones([c])] as const
    const p = await tf.profile(() => batchNormInfer(...args, 1e-3))
    tf.dispose([...args])
    return p.kernels.map((k) => k.name)
  }
  await useBackend('wasm')
  t.ok((await kernels([1, 2, 2, 3])).includes('FusedDepthwiseConv2D'))
  t.ok((await kernels([2, 3])).includes('FusedBatchNorm'))
  await useBackend('cpu')
  t.ok((await kernels([1, 2, 2, 3])).includes('FusedBatchNorm'))
})
