/**
 * The margin heads of face recognition as pure tensor functions: ArcFace (the paper's loss),
 * CosFace, and insightface's combined margin `s · (cos(m1·θ + m2) − m3)`.
 *
 * `[N,D] embeddings, [D,K] class weights, [N] labels → [N,K] logits`; embeddings and class
 * weights are L2-normalised, so a logit is `s · cos θ` and only the target class gets a margin.
 */
import * as tf from '@tensorflow/tfjs-core'

export type MarginHead =
  | { readonly kind: 'arcface'; readonly s: number; readonly m: number }
  | { readonly kind: 'cosface'; readonly s: number; readonly m: number }
  | { readonly kind: 'combined'; readonly s: number; readonly m1: number; readonly m2: number; readonly m3: number }

/** The paper's head: ArcFace, s = 64, m = 0.5. */
export const PAPER_HEAD: MarginHead = { kind: 'arcface', s: 64, m: 0.5 }

const l2normalize = (x: tf.Tensor2D, axis: number): tf.Tensor2D =>
  tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12))) as tf.Tensor2D

/** `cos θ` of every embedding with every class: `[N,K]`. */
export const cosines = (embeddings: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D =>
  tf.matMul(l2normalize(embeddings, 1), l2normalize(weights, 0))

/**
 * The target logit's margin form from the target cosine `[N]`.
 * ArcFace (classic): `cos(θ + m)` where `cos θ > cos(π − m)`, else `cos θ − m · sin(π − m)`, so
 * the logit stays monotonic in θ once θ + m passes π.
 */
export const targetMargin = (head: MarginHead, cos: tf.Tensor1D): tf.Tensor1D => {
  switch (head.kind) {
    case 'arcface': {
      const sin = tf.sqrt(tf.clipByValue(tf.sub(1, tf.square(cos)), 1e-12, 1))
      const phi = tf.sub(tf.mul(cos, Math.cos(head.m)), tf.mul(sin, Math.sin(head.m)))
      const fallback = tf.sub(cos, Math.sin(Math.PI - head.m) * head.m)
      // a 0/1 mask through `step` (whose gradient is zero) rather than `where(greater(…))`:
      // tfjs has no gradient for `greater`
      const use = tf.step(tf.sub(cos, Math.cos(Math.PI - head.m)))
      return tf.add(tf.mul(use, phi), tf.mul(tf.sub(1, use), fallback)) as tf.Tensor1D
    }
    case 'cosface':
      return tf.sub(cos, head.m)
    case 'combined': {
      const theta = tf.acos(tf.clipByValue(cos, -1 + 1e-7, 1 - 1e-7))
      return tf.sub(tf.cos(tf.add(tf.mul(theta, head.m1), head.m2)), head.m3)
    }
  }
}

/** Logits `[N,K]`: `s · cos θ_j`, the target class replaced by its margin form. */
export const marginLogits = (head: MarginHead, embeddings: tf.Tensor2D, weights: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D =>
  tf.tidy(() => marginLogitsFromCosines(head, cosines(embeddings, weights), labels))

/** `marginLogits` from cosines already computed (the training step also reads them for accuracy). */
export const marginLogitsFromCosines = (head: MarginHead, cos: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor2D =>
  tf.tidy(() => {
    const k = cos.shape[1]
    const onehot = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), k), 'float32')
    const cosTarget = tf.sum(tf.mul(cos, onehot), 1) as tf.Tensor1D
    const shift = tf.sub(targetMargin(head, cosTarget), cosTarget)
    return tf.mul(tf.add(cos, tf.mul(onehot, tf.expandDims(shift, 1))), head.s) as tf.Tensor2D
  })

/** Mean softmax cross-entropy of logits `[N,K]` against integer labels `[N]`. */
export const softmaxCrossEntropy = (logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar =>
  tf.tidy(() => {
    const k = logits.shape[1]
    const onehot = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), k), 'float32')
    const logp = tf.sub(logits, tf.logSumExp(logits, 1, true))
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as tf.Scalar
  })

/** Top-1 accuracy of the margin-free cosines, the figure a training log shows. */
export const top1Accuracy = (cos: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(cos, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar)
