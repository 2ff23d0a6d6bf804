/**
 * BatchNorm in inference mode: y = (x − μ) · γ / √(σ² + ε) + β with the moving statistics.
 *
 * On wasm, `tf.batchNorm` is a single-threaded loop (23 ms on a [16,56,56,64] activation, 11% of
 * an IR50 inference pass). The same affine map y = x·s + t, s = γ / √(σ² + ε), t = β − μ·s, as a
 * 1×1 depthwise convolution with bias runs in XNNPACK, SIMD and threaded (8.5 ms). The rounding
 * differs (x·s + t instead of (x − μ)·s + β), by about 1e-7 relative for activations whose mean
 * is within a few deviations of 0. Other backends, and ranks other than 4, keep `tf.batchNorm`
 * (on cpu the convolution is the slower of the two).
 */
import * as tf from '@tensorflow/tfjs-core'

export const batchNormInfer = (x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, beta: tf.Tensor, gamma: tf.Tensor, epsilon: number): tf.Tensor => {
  if (x.rank !== 4 || tf.getBackend() !== 'wasm') return tf.batchNorm(x, mean, variance, beta, gamma, epsilon)
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)))
    const shift = tf.sub(beta, tf.mul(mean, scale))
    const filter = tf.reshape(scale, [1, 1, scale.size, 1]) as tf.Tensor4D
    return tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter, strides: 1, pad: 'valid', bias: shift })
  })
}
