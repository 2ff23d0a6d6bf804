/**
 * PReLU with its gradient written out, for training.
 *
 * tfjs's own PReLU gradient sums dα over the batch and spatial axes with `tf.sum`, which on wasm
 * transposes the activation first (see channel-sums.ts); here dα = Σ dy · min(x, 0) per channel
 * is one matrix product. dx = dy where x > 0, else α · dy, as in tfjs.
 */
import * as tf from '@tensorflow/tfjs-core'
import { channelSums } from './channel-sums'

export const preluTrain = (x: tf.Tensor, alpha: tf.Tensor): tf.Tensor => {
  const f = tf.customGrad((x, alpha, save) => {
    ;(save as tf.GradSaveFunc)([x as tf.Tensor, alpha as tf.Tensor])
    return {
      value: tf.prelu(x as tf.Tensor, alpha as tf.Tensor),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, a] = saved
        const d = dy as tf.Tensor
        const positive = tf.greater(xs, 0)
        const dx = tf.where(positive, d, tf.mul(d, a))
        // where rather than min(x, 0): wasm's Minimum against a scalar takes its slow broadcast path
        const dAlpha = tf.reshape(channelSums(tf.where(positive, tf.zerosLike(d), tf.mul(d, xs))), a.shape)
        return [dx, dAlpha]
      },
    }
  })
  return f(x, alpha)
}
