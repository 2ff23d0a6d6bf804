/**
 * Training-mode BatchNorm over every axis but the last, with its gradient written out.
 *
 * tfjs keeps, for the backward pass, the inputs of every op it records. BatchNorm written as
 * ops (moments, subtract, scale, shift) therefore keeps three activation-sized tensors per
 * layer (x, x − mean, the scaled value) and its gradient runs the reductions of each op again.
 * Here the forward runs unrecorded and keeps only x̂ = (x − mean) / √(var + ε); the gradient is
 * the closed form (N values per channel, sums over the reduced axes, taken as matrix products:
 * see channel-sums.ts):
 *
 *   dβ = Σ dy     dγ = Σ dy · x̂     dx = γ / √(var + ε) · (dy − dβ / N − x̂ · dγ / N)
 *
 * `onStats` receives the batch mean and the biased variance (for the moving averages) and must not
 * keep them: tfjs frees everything a custom gradient's forward made but its output and what it
 * saves.
 */
import * as tf from '@tensorflow/tfjs-core'
import { channelMeans, channelSums } from './channel-sums'

export const batchNormTrain = (
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  onStats?: (mean: tf.Tensor, variance: tf.Tensor) => void,
): tf.Tensor => {
  const n = x.size / x.shape[x.rank - 1]
  const f = tf.customGrad((x, gamma, beta, save) => {
    const mean = channelMeans(x as tf.Tensor)
    const centred = tf.sub(x as tf.Tensor, mean)
    const variance = channelMeans(tf.square(centred))
    if (onStats) onStats(mean, variance)
    const invStd = tf.rsqrt(tf.add(variance, epsilon))
    const xhat = tf.mul(centred, invStd)
    const y = tf.add(tf.mul(xhat, gamma as tf.Tensor), beta as tf.Tensor)
    ;(save as tf.GradSaveFunc)([xhat, invStd, gamma as tf.Tensor])
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xh, inv, g] = saved
        const d = dy as tf.Tensor
        const dBeta = channelSums(d)
        const dGamma = channelSums(tf.mul(d, xh))
        const centred = tf.sub(tf.sub(d, tf.div(dBeta, n)), tf.mul(xh, tf.div(dGamma, n)))
        return [tf.mul(centred, tf.mul(inv, g)), dGamma, dBeta]
      },
    }
  })
  return f(x, gamma, beta)
}
