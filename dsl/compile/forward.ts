/**
 * The forward computation of each primitive on tensors: the only place the DSL touches tfjs ops.
 * Every function maps `[N, …]` to `[N, …]` as the shape rules in `../primitive-rules` say.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { Padding, Primitive } from '../block'
import { batchNormInfer } from './batch-norm-infer'
import { batchNormTrain } from './batch-norm-train'
import { globalMaxPool } from './global-max-pool'
import { preluTrain } from './prelu-train'
import { subsample } from './subsample'

type Pad4 = [[number, number], [number, number], [number, number], [number, number]]

/** tfjs takes 'same' / 'valid' or explicit NHWC pairs; PyTorch's symmetric `padding=p` is the latter. */
const tfPadding = (p: Padding): 'same' | 'valid' | Pad4 =>
  typeof p === 'number' ? [[0, 0], [p, p], [p, p], [0, 0]] : p

/** Weights of one primitive layer, by their spec name (`kernel`, `gamma`, …). */
export type Weights = Readonly<Record<string, tf.Tensor>>

export interface ForwardContext {
  readonly training: boolean
  /** Seed for dropout masks, so a resumed run draws the same masks. */
  readonly seed?: number
  /** Receives BatchNorm's new moving statistics in training (`assign` them to the variables). */
  readonly updateMoving?: (mean: tf.Tensor, variance: tf.Tensor) => void
}

const batchNormTraining = (x: tf.Tensor, w: Weights, epsilon: number, ctx: ForwardContext): tf.Tensor =>
  batchNormTrain(x, w.gamma, w.beta, epsilon, (mean, variance) => {
    if (!ctx.updateMoving) return
    // PyTorch keeps the unbiased batch variance in its running estimate
    const n = x.size / x.shape[x.rank - 1]
    ctx.updateMoving(mean, n > 1 ? tf.mul(variance, n / (n - 1)) : variance)
  })

export const forwardPrimitive = (p: Primitive, x: tf.Tensor, w: Weights, ctx: ForwardContext): tf.Tensor => {
  switch (p._tag) {
    case 'Conv2d': {
      const y = tf.conv2d(x as tf.Tensor4D, w.kernel as tf.Tensor4D, p.stride, tfPadding(p.padding), 'NHWC', p.dilation)
      return p.bias ? tf.add(y, w.bias) : y
    }
    case 'DepthwiseConv2d': {
      const y = tf.depthwiseConv2d(x as tf.Tensor4D, w.kernel as tf.Tensor4D, p.stride, tfPadding(p.padding), 'NHWC', p.dilation)
      return p.bias ? tf.add(y, w.bias) : y
    }
    case 'BatchNorm':
      return ctx.training
        ? batchNormTraining(x, w, p.epsilon, ctx)
        : batchNormInfer(x, w.moving_mean, w.moving_variance, w.beta, w.gamma, p.epsilon)
    case 'PRelu':
      return ctx.training ? preluTrain(x, w.alpha) : tf.prelu(x, w.alpha)
    case 'Relu':
      return tf.relu(x)
    case 'Sigmoid':
      return tf.sigmoid(x)
    case 'Identity':
      return x
    case 'Dense': {
      const y = tf.matMul(x as tf.Tensor2D, w.kernel as tf.Tensor2D)
      return p.bias ? tf.add(y, w.bias) : y
    }
    case 'Flatten':
      return tf.reshape(x, [x.shape[0], -1])
    case 'Dropout':
      return ctx.training && p.rate > 0 ? tf.dropout(x, p.rate, undefined, ctx.seed) : x
    case 'GlobalPool':
      return p.mode === 'avg' ? tf.mean(x, [1, 2], true) : globalMaxPool(x)
    case 'Subsample':
      // MaxPool2d(1, s) in PyTorch: a 1×1 window only picks every s-th pixel (see subsample.ts
      // for why not tf.maxPool)
      return subsample(x as tf.Tensor4D, p.stride)
    case 'Normalize':
      return tf.div(tf.sub(x, p.offset), p.divisor)
  }
}
