/**
 * The whole training gradient of a small compiled IR18 + PAM12 with ArcFace loss: wasm (fused
 * multiply-adds, this project's gradient kernels and compositions) against the cpu backend, from
 * the same weights and batch. Per-kernel tests cannot see a kernel that only this model's graph
 * reaches (tfjs-backend-wasm's MaxPoolGrad, which ignores negative maxima, was one).
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import * as E from 'fp-ts/Either'
import { compile } from '../../../../dsl/compile/compile'
import { cosines, marginLogitsFromCosines, PAPER_HEAD, softmaxCrossEntropy } from '../../../../models/arcface'
import { buildModel } from '../../../../models/zoo'
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { variableGrads } from '../../../../src/train/variable-grads'
import { useBackend } from '../../../helpers/wasm'

const SIZE = 48
const N = 6
/**
 * Largest |wasm − cpu| of each gradient over its largest |cpu|, floored at 1e-3 of the largest
 * |cpu| of all: the betas before a training-mode BatchNorm (and the bias before the embedding's)
 * have a gradient of exactly 0 in exact arithmetic (the next BatchNorm removes any per-channel
 * shift), so both backends return rounding noise of ~1e-7 there.
 */
const TOLERANCE = 1e-3
const FLOOR = 1e-3

interface Run {
  readonly loss: number
  readonly grads: Map<string, Float32Array>
  readonly weights: Float32Array[]
}

const run = (weights?: Float32Array[]): Run => {
  const block = E.getOrElseW((e: string) => { throw new Error(e) })(buildModel('IR18+PAM12', { size: SIZE, width: 1 / 16, embedding: 16, dropout: 0 }))
  const model = E.getOrElseW(() => { throw new Error('compile') })(compile(block, { input: [SIZE, SIZE, 3], seed: 3 }))
  if (weights) model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)))
  const head = tf.variable(tf.randomNormal([16, 4], 0, 0.1, 'float32', 7), true, 'head')
  const x = tf.randomUniform([N, SIZE, SIZE, 3], 0, 255, 'float32', 5)
  const yaw = tf.tensor2d([-60, -20, 0, 10, 45, 90], [N, 1])
  const labels = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32')
  const loss = () =>
    tf.tidy(() => {
      const e = model.apply([x, yaw], { training: true }) as tf.Tensor2D
      return softmaxCrossEntropy(marginLogitsFromCosines(PAPER_HEAD, cosines(e, head as tf.Tensor as tf.Tensor2D), labels), labels) as tf.Scalar
    })
  const vars = [...model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val), head]
  const names = [...model.trainableWeights.map((w) => w.originalName), 'head']
  const g = variableGrads(loss, vars)
  const grads = new Map(vars.map((v, i) => [names[i], g.grads[v.name].dataSync() as Float32Array]))
  const result = { loss: g.value.dataSync()[0], grads, weights: model.getWeights().map((w) => w.dataSync() as Float32Array) }
  tf.dispose([g.value, ...Object.values(g.grads), head, x, yaw, labels])
  model.dispose()
  return result
}

t.test('IR18+PAM12 + ArcFace: every gradient on wasm agrees with cpu', async (t) => {
  await useBackend('cpu')
  const onCpu = run()
  await useBackend('wasm')
  registerWasmGradientKernels()
  const onWasm = run(onCpu.weights)
  t.ok(Math.abs(onWasm.loss - onCpu.loss) < 1e-4 * Math.abs(onCpu.loss), `loss ${onWasm.loss} vs ${onCpu.loss}`)
  t.equal(onWasm.grads.size, onCpu.grads.size)
  let worst = { name: '', d: 0 }
  const largest = Math.max(...Array.from(onCpu.grads.values(), (g) => Math.max(...Array.from(g, Math.abs))))
  for (const [name, ref] of onCpu.grads) {
    const got = onWasm.grads.get(name)
    if (got === undefined) {
      t.fail(`${name}: no gradient on wasm`)
      continue
    }
    const scale = Math.max(...Array.from(ref, Math.abs), FLOOR * largest)
    let d = 0
    for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(got[i] - ref[i]) / scale)
    if (d >= TOLERANCE) t.fail(`${name}: max |wasm − cpu| / max |cpu| = ${d.toExponential(2)} (scale ${scale.toExponential(2)})`)
    if (d > worst.d) worst = { name, d }
  }
  t.ok(worst.d < TOLERANCE, `worst: ${worst.name} ${worst.d.toExponential(2)} (${onCpu.grads.size} gradients, largest |cpu| ${largest.toExponential(2)})`)
})
