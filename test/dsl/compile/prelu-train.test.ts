import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { preluTrain } from '../../../dsl/compile/prelu-train'
import { registerWasmGradientKernels } from '../../../src/backend/wasm-gradients'
import { maxRelDiff, useBackend } from '../../helpers/wasm'

for (const backend of ['cpu', 'wasm'] as const) {
  for (const shape of [[3, 5, 4, 6], [7, 9]]) {
    t.test(`${backend} [${shape}]: output and gradients equal tf.prelu's`, async (t) => {
      await useBackend(backend)
      if (backend === 'wasm') registerWasmGradientKernels()
      const c = shape[shape.length - 1]
      const x = tf.randomNormal(shape, 0, 1, 'float32', 21)
      const alpha = tf.randomUniform([c], 0, 0.5, 'float32', 22)
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 23)
      const loss = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dy))
      const ours = tf.grads(loss(preluTrain))([x, alpha])
      const reference = tf.grads(loss((a, b) => tf.prelu(a, b)))([x, alpha])
      t.same(ours[0].dataSync(), reference[0].dataSync(), 'dx exactly')
      const d = maxRelDiff(ours[1].dataSync(), reference[1].dataSync())
      t.ok(d < 1e-5, `dalpha: max relative difference ${d.toExponential(2)}`)
      const [y, yRef] = [preluTrain(x, alpha), tf.prelu(x, alpha)]
      t.same(y.dataSync(), yRef.dataSync(), 'forward exactly')
      tf.dispose([x, alpha, dy, y, yRef, ...ours, ...reference])
    })
  }
}
