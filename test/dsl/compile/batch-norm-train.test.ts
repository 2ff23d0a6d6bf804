import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { batchNormTrain } from '../../../dsl/compile/batch-norm-train'
import { registerWasmGradientKernels } from '../../../src/backend/wasm-gradients'
import { maxRelDiff, useBackend } from '../../helpers/wasm'

/** The textbook composition, differentiated by tfjs op by op. */
const composed = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor => {
  const { mean, variance } = tf.moments(x, Array.from({ length: x.rank - 1 }, (_, i) => i))
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta)
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const shape of [[3, 5, 4, 6], [7, 9]]) {
    t.test(`${backend} [${shape}]: output and the hand-written gradient agree with autodiff of the composition`, async (t) => {
      await useBackend(backend)
      if (backend === 'wasm') registerWasmGradientKernels()
      const c = shape[shape.length - 1]
      const x = tf.randomNormal(shape, 2, 3, 'float32', 11)
      const gamma = tf.randomNormal([c], 1, 0.3, 'float32', 12)
      const beta = tf.randomNormal([c], 0, 0.3, 'float32', 13)
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 14)
      const loss = (f: typeof composed) => (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, g, b, 1e-5), dy))
      const ours = tf.grads(loss((a, g, b, e) => batchNormTrain(a, g, b, e)))([x, gamma, beta])
      const reference = tf.grads(loss(composed))([x, gamma, beta])
      for (const [i, name] of ['dx', 'dgamma', 'dbeta'].entries()) {
        const d = maxRelDiff(ours[i].dataSync(), reference[i].dataSync())
        t.ok(d < 1e-4, `${name}: max relative difference ${d.toExponential(2)}`)
      }
      const y = batchNormTrain(x, gamma, beta, 1e-5)
      const yRef = composed(x, gamma, beta, 1e-5)
      t.ok(maxRelDiff(y.dataSync(), yRef.dataSync()) < 1e-5, 'forward')
      tf.dispose([x, gamma, beta, dy, y, yRef, ...ours, ...reference])
    })
  }
}

t.test('the batch statistics: mean and biased variance per channel, freed after the call', async (t) => {
  await useBackend('cpu')
  const x = tf.tensor2d([1, 10, 3, 20, 5, 60], [3, 2])
  const before = tf.memory().numTensors
  let got: number[][] = []
  const y = batchNormTrain(x, tf.ones([2]), tf.zeros([2]), 0, (m, v) => {
    got = [Array.from(m.dataSync()), Array.from(v.dataSync())]
  })
  t.same(got[0], [3, 30], 'means')
  t.ok(Math.abs(got[1][0] - 8 / 3) < 1e-5 && Math.abs(got[1][1] - 1400 / 3) < 1e-3, `variances ${got[1]}`)
  y.dispose()
  t.ok(tf.memory().numTensors <= before + 2, 'only gamma and beta of this call remain')
})
