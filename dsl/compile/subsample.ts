/**
 * Every s-th pixel in both directions, [N,H,W,C] → [N,⌈H/s⌉,⌈W/s⌉,C]: PyTorch's MaxPool2d(1, s)
 * on an IR unit's identity shortcut.
 *
 * The forward pass is that 1×1 max pool (XNNPACK, exact: a 1×1 window holds one value). Its
 * gradient is written out here rather than left to tfjs-backend-wasm's MaxPoolGrad, which is
 * wrong where the input is negative (4.22: it passes no gradient there, as if the running max
 * started at 0; the cpu backend is right), and slow (88 ms on an [8,112,112,64] activation).
 * Every IR unit whose shortcut subsamples trained with a wrong gradient on wasm until this
 * change (test/src/backend/wasm-gradients/model-grads.test.ts shows it). The gradient puts dy at
 * the first pixel of each s×s block: a Pad that moves whole C-long rows, then a crop when s does
 * not divide H or W.
 */
import * as tf from '@tensorflow/tfjs-core'

/** dy [N,oh,ow,C] → dx [N,h,w,C], dy at (s·i, s·j) and 0 elsewhere. */
const spread = (dy: tf.Tensor4D, s: number, h: number, w: number): tf.Tensor4D => {
  const [n, oh, ow, c] = dy.shape
  // 4-d throughout: wasm's Pad and Slice move C-long rows up to rank 4
  const rows = tf.reshape(dy, [n * oh, 1, ow, c])
  const blocks = tf.pad(rows, [[0, 0], [0, s - 1], [0, 0], [0, (s - 1) * c]])
  const full = tf.reshape<tf.Rank.R4>(blocks, [n, oh * s, ow * s, c])
  return oh * s === h && ow * s === w ? full : tf.slice(full, [0, 0, 0, 0], [n, h, w, c])
}

export const subsample = (x: tf.Tensor4D, s: number): tf.Tensor4D => {
  if (s === 1) return x
  const f = tf.customGrad((x) => {
    const [, h, w] = (x as tf.Tensor4D).shape
    return {
      value: tf.maxPool(x as tf.Tensor4D, 1, s, 'valid'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => spread(dy as tf.Tensor4D, s, h, w),
    }
  })
  return f(x) as tf.Tensor4D
}
