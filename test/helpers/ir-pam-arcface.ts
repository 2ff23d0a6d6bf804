/**
 * A small IR18 + PAM12 with an ArcFace loss on a fixed batch: every kind of node a training step
 * records, at a size the cpu backend computes in a second. Shared by the gradient tests.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as E from 'fp-ts/Either'
import { compile } from '../../dsl/compile/compile'
import { cosines, marginLogitsFromCosines, PAPER_HEAD, softmaxCrossEntropy } from '../../models/arcface'
import { buildModel } from '../../models/zoo'

export const SIZE = 48
export const N = 6

/** `weights` (as `model.getWeights()` orders them) replace the seeded initial ones. */
export const smallIrPamArcFace = (weights?: readonly Float32Array[]) => {
  const block = E.getOrElseW((e: string) => { throw new Error(e) })(buildModel('IR18+PAM12', { size: SIZE, width: 1 / 16, embedding: 16, dropout: 0 }))
  const model = E.getOrElseW(() => { throw new Error('compile') })(compile(block, { input: [SIZE, SIZE, 3], seed: 3 }))
  if (weights) model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)))
  const head = tf.variable(tf.randomNormal([16, 4], 0, 0.1, 'float32', 7), true)
  const x = tf.randomUniform([N, SIZE, SIZE, 3], 0, 255, 'float32', 5)
  const yaw = tf.tensor2d([-60, -20, 0, 10, 45, 90], [N, 1])
  const labels = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32')
  const loss = () =>
    tf.tidy(() => {
      const e = model.apply([x, yaw], { training: true }) as tf.Tensor2D
      return softmaxCrossEntropy(marginLogitsFromCosines(PAPER_HEAD, cosines(e, head as tf.Tensor as tf.Tensor2D), labels), labels) as tf.Scalar
    })
  const vars = [...model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val), head]
  /** Names that are the same on every backend and compilation, in `vars` order. */
  const names = [...model.trainableWeights.map((w) => w.originalName), 'head']
  const dispose = () => {
    tf.dispose([head, x, yaw, labels])
    model.dispose()
  }
  return { model, loss, vars, names, dispose }
}
