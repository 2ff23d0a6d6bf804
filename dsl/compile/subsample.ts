/**
 * Every s-th pixel in both directions, [N,H,W,C] → [N,⌈H/s⌉,⌈W/s⌉,C]: PyTorch's MaxPool2d(1, s)
 * on an IR unit's identity shortcut.
 *
 * Not as a 1×1 max pool: its gradient is tfjs-backend-wasm's MaxPoolGrad, which is wrong where
 * the input is negative (4.22: it passes no gradient there, as if the running max started at 0;
 * the cpu backend is right), and slow (88 ms on an [8,112,112,64] activation). Every IR unit
 * whose shortcut subsamples trained with a wrong gradient on wasm until this change
 * (test/src/backend/wasm-gradients/model-grads.test.ts shows it). Here it is a reshape that
 * puts each s×s block's pixels on their own axes and a slice of the first one, whose gradient
 * is a Pad: both move whole C-long rows. H and W are first padded up to a multiple of s
 * (the padding is never picked: a block's first pixel always lies inside the image).
 */
import * as tf from '@tensorflow/tfjs-core'

export const subsample = (x: tf.Tensor4D, s: number): tf.Tensor4D => {
  if (s === 1) return x
  const [n, h, w, c] = x.shape
  const [oh, ow] = [Math.ceil(h / s), Math.ceil(w / s)]
  const padded = oh * s === h && ow * s === w ? x : tf.pad(x, [[0, 0], [0, oh * s - h], [0, ow * s - w], [0, 0]])
  const blocks = tf.reshape(padded, [n, oh, s, ow, s * c])
  return tf.reshape(tf.slice(blocks, [0, 0, 0, 0, 0], [n, oh, 1, ow, c]), [n, oh, ow, c])
}
