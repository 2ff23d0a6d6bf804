import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import { registerWasmGradientKernels } from '../../../src/backend/wasm-gradients'
import { variableGrads } from '../../../src/train/variable-grads'
import { smallIrPamArcFace } from '../../helpers/ir-pam-arcface'
import { useBackend } from '../../helpers/wasm'

const setup = () => smallIrPamArcFace()

for (const backend of ['cpu', 'wasm'] as const) {
  t.test(`${backend}: the same gradients as tf.variableGrads, bit for bit, without leaks`, async (t) => {
    await useBackend(backend)
    if (backend === 'wasm') registerWasmGradientKernels()
    const s = setup()
    const reference = tf.variableGrads(s.loss, s.vars)
    const ours = variableGrads(s.loss, s.vars)
    t.equal(ours.value.dataSync()[0], reference.value.dataSync()[0], 'loss')
    t.same(Object.keys(ours.grads).sort(), Object.keys(reference.grads).sort(), 'one gradient per trainable variable')
    t.equal(Object.keys(ours.grads).length, s.vars.length)
    for (const [name, g] of Object.entries(reference.grads)) t.same(ours.grads[name].dataSync(), g.dataSync(), name)
    tf.dispose([ours.value, reference.value, ...Object.values(ours.grads), ...Object.values(reference.grads)])

    const before = tf.memory().numTensors
    const again = variableGrads(s.loss, s.vars)
    tf.dispose([again.value, ...Object.values(again.grads)])
    t.equal(tf.memory().numTensors, before, 'no tensor outlives the call but its results')
    s.dispose()
  })
}

t.test('gradients and saved tensors are freed as the walk back passes them', async (t) => {
  await useBackend('cpu')
  // v → probe → 30 × tanh → sum; the probe's gradient runs last and reads what is still alive
  const v = tf.variable(tf.randomNormal([100_000], 0, 1, 'float32', 1), true)
  let liveAtFirstNode = 0
  const probe = tf.customGrad((x, _save) => ({
    value: tf.clone(x as tf.Tensor),
    gradFunc: (dy) => {
      liveAtFirstNode = tf.memory().numBytes
      return tf.clone(dy as tf.Tensor)
    },
  }))
  const f = () => {
    let h = probe(v)
    for (let i = 0; i < 30; i++) h = tf.tanh(h)
    return tf.sum(h) as tf.Scalar
  }
  const base = tf.memory().numBytes
  const theirs = tf.variableGrads(f, [v])
  const theirsLive = liveAtFirstNode - base
  const expected = theirs.grads[v.name].dataSync()
  tf.dispose([theirs.value, ...Object.values(theirs.grads)])
  const ours = variableGrads(f, [v])
  const oursLive = liveAtFirstNode - base
  t.same(ours.grads[v.name].dataSync(), expected)
  tf.dispose([ours.value, ...Object.values(ours.grads), v])
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`
  t.ok(theirsLive > 50 * 400_000, `tf.variableGrads holds ${mb(theirsLive)} there (30 outputs and 30 gradients)`)
  t.ok(oursLive < 5 * 400_000, `ours holds ${mb(oursLive)}`)
})

t.test('refuses what tf.variableGrads refuses, in its words', async (t) => {
  await useBackend('cpu')
  const v = tf.variable(tf.scalar(2), false)
  t.throws(() => variableGrads(() => tf.mul(v, 3) as tf.Scalar, [v]), {
    message: 'variableGrads() expects at least one of the input variables to be trainable, but none of the 1 variables is trainable.',
  })
  const w = tf.variable(tf.ones([2]), true)
  t.throws(() => variableGrads(() => tf.mul(w, 3) as unknown as tf.Scalar, [w]), {
    message: 'The f passed in variableGrads(f) must return a scalar, but it returned a rank-1 tensor',
  })
  const u = tf.variable(tf.scalar(1), true)
  t.throws(() => variableGrads(() => tf.mul(tf.sum(w), 2) as tf.Scalar, [u]), { message: /^Cannot find a connection between any variable and the result/ })
  tf.dispose([v, w, u])
})
