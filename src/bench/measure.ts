/**
 * Timing a training step or an inference pass of a zoo model on random data, after warm-up, on
 * whatever backend is active. What the numbers mean: images per second over the timed steps
 * only; peak RSS of the whole process (Node's `maxRSS`), which includes the wasm heap.
 */
import { disposeModel } from '../../dsl/compile/dispose'
import * as tf from '@tensorflow/tfjs-core'
import * as E from 'fp-ts/Either'
import { compile } from '../../dsl/compile/compile'
import { formatShapeError } from '../../dsl/shape'
import { buildModel } from '../../models/zoo'
import type { Batch } from '../train/batch'
import { buildTrainee, disposeTrainee } from '../train/run'
import { trainStep } from '../train/step'
import { PAPER_HEAD } from '../../models/arcface'
import { PamError } from '../util/errors'
import { createRng } from '../util/rng'

export interface BenchOptions {
  readonly model: string
  readonly batch: number
  readonly size: number
  readonly width: number
  readonly steps: number
  readonly warmup: number
  readonly classes: number
}

export interface BenchResult {
  readonly mode: 'train' | 'infer'
  readonly model: string
  readonly backend: string
  readonly batch: number
  readonly size: number
  readonly width: number
  readonly steps: number
  readonly msPerStep: number
  readonly imagesPerSecond: number
  readonly peakRssBytes: number
  readonly numTensorsGrowth: number
}

const randomBatch = (o: BenchOptions): Batch => {
  const rng = createRng(7)
  return {
    size: o.batch,
    images: Float32Array.from({ length: o.batch * o.size * o.size * 3 }, () => rng.next() * 255),
    yaw: Float32Array.from({ length: o.batch }, () => rng.next() * 180 - 90),
    labels: Int32Array.from({ length: o.batch }, (_, i) => i % o.classes),
  }
}

const compileModel = (o: BenchOptions) => {
  const block = buildModel(o.model, { size: o.size, width: o.width, dropout: 0 })
  if (E.isLeft(block)) throw new PamError(`pam bench: ${block.left}`)
  const model = compile(block.right, { input: [o.size, o.size, 3] })
  if (E.isLeft(model)) throw new PamError(`pam bench: ${o.model}: ${formatShapeError(model.left)}`)
  return model.right
}

const time = (steps: number, f: () => void): number => {
  const start = process.hrtime.bigint()
  for (let i = 0; i < steps; i++) f()
  return Number(process.hrtime.bigint() - start) / 1e6 / steps
}

const result = (mode: BenchResult['mode'], o: BenchOptions, ms: number, growth: number): BenchResult => ({
  mode,
  model: o.model,
  backend: tf.getBackend(),
  batch: o.batch,
  size: o.size,
  width: o.width,
  steps: o.steps,
  msPerStep: ms,
  imagesPerSecond: (o.batch * 1000) / ms,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  numTensorsGrowth: growth,
})

/** A full training step: forward, ArcFace loss, backward, SGD update. */
export const benchTrain = (o: BenchOptions): BenchResult => {
  const t = buildTrainee({ model: o.model, size: o.size, width: o.width, embedding: 512, dropout: 0, seed: 0, excludeBatchNormFromDecay: true }, o.classes)
  const batch = randomBatch(o)
  const step = () => trainStep(t, batch, o.size, 0.01, { momentum: 0.9, weightDecay: 5e-4, head: PAPER_HEAD, seed: 1 })
  for (let i = 0; i < Math.max(1, o.warmup); i++) step()
  const before = tf.memory().numTensors
  const ms = time(o.steps, step)
  const growth = tf.memory().numTensors - before
  disposeTrainee(t)
  return result('train', o, ms, growth)
}

/** Inference: the embedding of a batch in eval mode. */
export const benchInfer = (o: BenchOptions): BenchResult => {
  const model = compileModel(o)
  const batch = randomBatch(o)
  const x = tf.tensor4d(batch.images, [o.batch, o.size, o.size, 3])
  const yaw = tf.tensor2d(batch.yaw, [o.batch, 1])
  const step = () => {
    const y = model.predict([x, yaw]) as tf.Tensor
    y.dataSync()
    y.dispose()
  }
  for (let i = 0; i < Math.max(1, o.warmup); i++) step()
  const before = tf.memory().numTensors
  const ms = time(o.steps, step)
  const growth = tf.memory().numTensors - before
  tf.dispose([x, yaw])
  disposeModel(model)
  return result('infer', o, ms, growth)
}
