/**
 * One training step: forward in training mode (BatchNorm statistics updated, dropout on),
 * margin head, softmax cross-entropy, backward, SGD. Every tensor the step makes is disposed
 * before it returns; a non-finite loss stops before any weight is touched.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { PrimitiveLayer } from '../../dsl/compile/layers'
import { cosines, marginLogitsFromCosines, softmaxCrossEntropy, top1Accuracy, type MarginHead } from '../../models/arcface'
import type { Batch } from './batch'
import { sgdStep, type SgdOptions, type SgdParam, type SgdState } from './sgd'
import { variableGrads } from './variable-grads'

export interface Trainee {
  readonly model: tfl.LayersModel
  /** Class weights `[D, K]`. */
  readonly head: tf.Variable
  readonly params: readonly SgdParam[]
  readonly sgd: SgdState
}

export const HEAD_WEIGHT = 'arcface/weight'

/** The model's trainable weights and the head's, with BN's gamma / beta marked decay-free if asked. */
export const sgdParams = (model: tfl.LayersModel, head: tf.Variable, excludeBatchNorm: boolean): SgdParam[] => {
  const bnWeights = new Set<string>()
  for (const layer of model.layers)
    if (layer instanceof PrimitiveLayer && layer.block._tag === 'BatchNorm') layer.weights.forEach((w) => bnWeights.add(w.originalName))
  return [
    ...model.trainableWeights.map((w) => ({
      name: w.originalName,
      variable: w.read() as tf.Variable,
      decay: !(excludeBatchNorm && bnWeights.has(w.originalName)),
    })),
    { name: HEAD_WEIGHT, variable: head, decay: true },
  ]
}

export interface StepResult {
  readonly loss: number
  readonly accuracy: number
}

export class NonFiniteLoss extends Error {
  constructor(readonly loss: number) {
    super(`loss is ${loss}`)
  }
}

export const trainStep = (
  t: Trainee,
  batch: Batch,
  imageSize: number,
  lr: number,
  o: SgdOptions & { readonly head: MarginHead; readonly seed: number },
): StepResult => {
  const x = tf.tensor4d(batch.images, [batch.size, imageSize, imageSize, 3])
  const yaw = tf.tensor2d(batch.yaw, [batch.size, 1])
  const labels = tf.tensor1d(batch.labels, 'int32')
  let accuracy: tf.Scalar | undefined
  const { value, grads } = variableGrads(() => {
    const embeddings = t.model.apply([x, yaw], { training: true, seed: o.seed }) as tf.Tensor2D
    const cos = cosines(embeddings, t.head as tf.Tensor as tf.Tensor2D)
    accuracy = tf.keep(top1Accuracy(cos, labels))
    return softmaxCrossEntropy(marginLogitsFromCosines(o.head, cos, labels), labels)
  }, t.params.map((p) => p.variable))
  try {
    const loss = value.dataSync()[0]
    if (!Number.isFinite(loss)) throw new NonFiniteLoss(loss)
    sgdStep(t.params, grads, lr, o, t.sgd)
    return { loss, accuracy: accuracy ? accuracy.dataSync()[0] : NaN }
  } finally {
    tf.dispose([x, yaw, labels, value, ...Object.values(grads), ...(accuracy ? [accuracy] : [])])
  }
}
