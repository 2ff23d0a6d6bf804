/**
 * The whole training gradient of a small compiled IR18 + PAM12 with ArcFace loss: wasm (fused
 * multiply-adds, this project's gradient kernels and compositions) against the cpu backend, from
 * the same weights and batch. Per-kernel tests cannot see a kernel that only this model's graph
 * reaches (tfjs-backend-wasm's MaxPoolGrad, which ignores negative maxima, was one).
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { variableGrads } from '../../../../src/train/variable-grads'
import { smallIrPamArcFace } from '../../../helpers/ir-pam-arcface'
import { useBackend } from '../../../helpers/wasm'

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
  const m = smallIrPamArcFace(weights)
  const g = variableGrads(m.loss, m.vars)
  const grads = new Map(m.vars.map((v, i) => [m.names[i], g.grads[v.name].dataSync() as Float32Array]))
  const result = { loss: g.value.dataSync()[0], grads, weights: m.model.getWeights().map((w) => w.dataSync() as Float32Array) }
  tf.dispose([g.value, ...Object.values(g.grads)])
  m.dispose()
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
