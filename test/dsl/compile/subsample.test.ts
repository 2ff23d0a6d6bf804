import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { subsample } from '../../../dsl/compile/subsample'
import { useBackend } from '../../helpers/wasm'

const CASES = [[[2, 8, 6, 3], 2], [[2, 7, 5, 3], 2], [[1, 7, 9, 4], 3], [[1, 4, 4, 2], 1]] as const

/** A 1×1 max pool and its gradient on the cpu backend (wasm's MaxPoolGrad is wrong for x < 0). */
const reference = async (shape: readonly number[], s: number) => {
  await useBackend('cpu')
  return tf.tidy(() => {
    const x = tf.randomNormal<tf.Rank.R4>([...shape] as [number, number, number, number], 0, 1, 'float32', 51)
    const y = tf.maxPool(x, 1, s, 'valid')
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 52)
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 1, s, 'valid'), dy)))(x)
    return { y: y.dataSync(), yShape: y.shape, g: g.dataSync() }
  })
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const [shape, s] of CASES) {
    t.test(`${backend} [${shape}] stride ${s}: output and gradient equal a 1×1 max pool's on cpu`, async (t) => {
      const ref = await reference(shape, s)
      await useBackend(backend)
      const x = tf.randomNormal<tf.Rank.R4>([...shape] as [number, number, number, number], 0, 1, 'float32', 51)
      const y = subsample(x, s)
      t.same(y.shape, ref.yShape)
      t.same(y.dataSync(), ref.y, 'forward exactly')
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 52)
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(subsample(a as tf.Tensor4D, s), dy)))(x)
      t.same(g.dataSync(), ref.g, 'gradient exactly')
      tf.dispose([x, y, dy, g])
    })
  }
}
