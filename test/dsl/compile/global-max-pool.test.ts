import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { globalMaxPool } from '../../../dsl/compile/global-max-pool'
import { useBackend } from '../../helpers/wasm'

for (const backend of ['cpu', 'wasm'] as const) {
  t.test(`${backend}: output and gradient equal tf.max's over H and W`, async (t) => {
    await useBackend(backend)
    const x = tf.randomNormal([3, 5, 4, 6], 0, 1, 'float32', 31)
    const dy = tf.randomNormal([3, 1, 1, 6], 0, 1, 'float32', 32)
    const loss = (f: (a: tf.Tensor) => tf.Tensor) => (a: tf.Tensor) => tf.sum(tf.mul(f(a), dy))
    const ours = tf.grad(loss(globalMaxPool))(x)
    const reference = tf.grad(loss((a) => tf.max(a, [1, 2], true)))(x)
    t.same(ours.dataSync(), reference.dataSync(), 'dx exactly')
    t.equal(tf.sum(tf.notEqual(ours, 0)).dataSync()[0], 18, 'one position per image and channel')
    const [y, yRef] = [globalMaxPool(x), tf.max(x, [1, 2], true)]
    t.same(y.shape, [3, 1, 1, 6])
    t.same(y.dataSync(), yRef.dataSync(), 'forward exactly')
    tf.dispose([x, dy, ours, reference, y, yRef])
  })
}

t.test('ties: every position holding the max gets the gradient, as in tfjs', async (t) => {
  await useBackend('cpu')
  const x = tf.tensor4d([1, 3, 3, -2], [1, 2, 2, 1])
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(globalMaxPool(a), 5)))(x)
  t.same(Array.from(g.dataSync()), [0, 5, 5, 0])
  tf.dispose([x, g])
})
