import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { countParams } from '../../../dsl/audit'
import { gatedResidual, named, sequence, softGate, softGateValue } from '../../../dsl/combinators'
import { compile } from '../../../dsl/compile/compile'
import { disposeModel } from '../../../dsl/compile/dispose'
import { batchNorm, conv2d, subsample } from '../../../dsl/primitives'
import { formatShapeError } from '../../../dsl/shape'
import { buildModel, PAPER_MODELS } from '../../../models/zoo'
import { loadModel, saveModel } from '../../../src/persist/model-dir'
import { maxRelDiff, useBackend } from '../../helpers/wasm'

const mustCompile = (block: Parameters<typeof compile>[0], input: number[]) => {
  const m = compile(block, { input })
  if (E.isLeft(m)) throw new Error(formatShapeError(m.left))
  return m.right
}

const count = (ws: { shape: (number | null)[] }[]) => ws.reduce((a, w) => a + w.shape.reduce((x: number, y) => x * (y ?? 1), 1), 0)

t.before(() => useBackend('wasm'))

t.test('a shape error is a value: no layer, no tensor', async (t) => {
  const before = tf.memory().numTensors
  const r = compile(sequence(named('head', conv2d(8, 3))), { input: [8] })
  t.ok(E.isLeft(r))
  if (E.isLeft(r)) t.equal(formatShapeError(r.left), 'head: expected a [H,W,C] feature map for Conv2d(3×3→8, s1, p1), got [8]')
  t.equal(tf.memory().numTensors, before)
})

t.test('every paper model: the compiled graph has exactly the static counts', async (t) => {
  for (const [name] of PAPER_MODELS) {
    const block = E.getOrElseW((e: string) => { throw new Error(e) })(buildModel(name))
    const model = mustCompile(block, [112, 112, 3])
    const stat = E.getOrElseW(() => ({ trainable: -1, nonTrainable: -1 }))(countParams(block, [112, 112, 3]))
    t.equal(count(model.trainableWeights), stat.trainable, `${name} trainable`)
    t.equal(count(model.nonTrainableWeights), stat.nonTrainable, `${name} non-trainable`)
    model.dispose()
  }
})

t.test('weights are named by block path', async (t) => {
  const model = mustCompile(E.getOrElseW(() => { throw new Error() })(buildModel('IR18+PAM1', { size: 32, width: 0.125 })), [32, 32, 3])
  const names = model.weights.map((w) => w.originalName)
  for (const n of ['stem/0/kernel', 'stage1/unit0/res/1/kernel', 'stage2/unit0/shortcut/0/kernel', 'pam1/drm/res/1/kernel', 'pam1/cam/attention/squeeze/mlp/0/kernel', 'head/3/bias', 'head/4/moving_variance'])
    t.ok(names.includes(n), n)
  t.equal(names.filter((n) => n.startsWith('pam1/cam/attention/squeeze/mlp/0')).length, 1, 'the CAM MLP exists once though applied twice')
  model.dispose()
})

t.test('forward pass of a small IR+PAM12 on wasm; save → load → same output', async (t) => {
  const block = E.getOrElseW(() => { throw new Error() })(buildModel('IR18+PAM12+DREAM', { size: 32, width: 0.25, embedding: 64 }))
  const model = mustCompile(block, [32, 32, 3])
  const x = tf.randomUniform([3, 32, 32, 3], 0, 255, 'float32', 1)
  const yaw = tf.tensor2d([[0], [45], [-90]])
  const y = model.predict([x, yaw]) as tf.Tensor
  t.same(y.shape, [3, 64])
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-save-'))
  await saveModel(model, dir)
  t.ok(fs.existsSync(path.join(dir, 'model.json')) && fs.existsSync(path.join(dir, 'weights.bin')))
  const loaded = await loadModel(dir)
  const y2 = loaded.predict([x, yaw]) as tf.Tensor
  t.equal(maxRelDiff(await y2.data(), await y.data()), 0, 'identical outputs after reload')
  t.same(loaded.weights.map((w) => w.originalName), model.weights.map((w) => w.originalName), 'same weight names')
  tf.dispose([x, yaw, y, y2])
  model.dispose()
  loaded.dispose()
  fs.rmSync(dir, { recursive: true })
})

t.test('a truncated weights file is refused, naming the file', async (t) => {
  const model = mustCompile(sequence(conv2d(4, 3), batchNorm()), [8, 8, 3])
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-trunc-'))
  await saveModel(model, dir)
  const bin = path.join(dir, 'weights.bin')
  fs.writeFileSync(bin, fs.readFileSync(bin).subarray(0, 10))
  await t.rejects(loadModel(dir), { message: `${bin}: 10 bytes, but model.json describes ${(108 + 16) * 4} (truncated or from another model)` })
  model.dispose()
  fs.rmSync(dir, { recursive: true })
})

t.test('the soft gate: S(0) ≈ 4.54e-5, S(45) = 0.5, S(90) ≈ 0.99995, symmetric in yaw', async (t) => {
  const g = softGate()
  t.ok(Math.abs(softGateValue(g, 0) - 4.5397869e-5) < 1e-12)
  t.equal(softGateValue(g, 45), 0.5)
  t.ok(Math.abs(softGateValue(g, 90) - 0.9999546) < 1e-7)
  // the compiled gate: x + S(yaw)·(2x) with a 1×1 conv of weight 2 → output/x − 1 = 2·S(yaw)
  const block = gatedResidual(sequence(conv2d(1, 1, { padding: 0 })), g)
  const model = mustCompile(block, [1, 1, 1])
  model.setWeights([tf.tensor4d([[[[2]]]])])
  const yaws = [0, 45, 90, -45, -90, 30, -30]
  const out = model.predict([tf.ones([yaws.length, 1, 1, 1]), tf.tensor2d(yaws, [yaws.length, 1])]) as tf.Tensor
  const s = Array.from(await out.data()).map((v) => (v - 1) / 2)
  yaws.forEach((yaw, i) => t.ok(Math.abs(s[i] - softGateValue(g, yaw)) < 1e-6, `S(${yaw}) = ${s[i]}`))
  t.equal(s[1], s[3], 'S(45) = S(−45)')
  t.equal(s[2], s[4], 'S(90) = S(−90)')
  model.dispose()
})

t.test('BatchNorm in training mode updates its moving statistics as PyTorch does', async (t) => {
  const model = mustCompile(batchNorm({ momentum: 0.1 }), [2])
  const x = tf.tensor2d([[1, 10], [3, 10], [5, 16]])
  const y = model.apply([x, tf.zeros([3, 1])], { training: true }) as tf.Tensor
  const [, , mean, variance] = model.getWeights()
  // batch mean [3, 12]; unbiased variance [4, 12]
  t.ok(maxRelDiff(await mean.data(), [0.3, 1.2]) < 1e-6, 'running_mean = 0.9·0 + 0.1·mean')
  t.ok(maxRelDiff(await variance.data(), [0.9 + 0.4, 0.9 + 1.2]) < 1e-6, 'running_var = 0.9·1 + 0.1·unbiased var')
  t.ok(maxRelDiff(await y.data(), [-1.2247, -0.7071, 0, -0.7071, 1.2247, 1.4142]) < 1e-3, 'normalised by the biased batch variance')
  model.dispose()
})

t.test('Subsample picks every s-th pixel, as MaxPool2d(1, s)', async (t) => {
  const model = mustCompile(subsample(2), [3, 3, 1])
  const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1])
  const y = model.predict([x, tf.zeros([1, 1])]) as tf.Tensor
  t.same(Array.from(await y.data()), [1, 3, 7, 9])
  t.same(y.shape, [1, 2, 2, 1])
  model.dispose()
})

t.test('a model that reads no yaw still reloads with inputs [image, yaw]', async (t) => {
  const model = mustCompile(E.getOrElseW(() => { throw new Error() })(buildModel('IR18', { size: 16, width: 1 / 16 })), [16, 16, 3])
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-noyaw-'))
  await saveModel(model, dir)
  const loaded = await loadModel(dir)
  t.equal(loaded.inputs.length, 2, 'two inputs: image and yaw')
  const x = tf.randomUniform([2, 16, 16, 3], 0, 255, 'float32', 3)
  const yaw = tf.zeros([2, 1])
  const [a, b] = [model, loaded].map((m) => m.predict([x, yaw]) as tf.Tensor)
  t.equal(maxRelDiff(await b.data(), await a.data()), 0)
  tf.dispose([x, yaw, a, b])
  disposeModel(model)
  disposeModel(loaded)
  fs.rmSync(dir, { recursive: true })
})

t.test('disposing a compiled PAM model frees every weight, the shared CAM MLP included', async (t) => {
  const before = tf.memory().numTensors
  const model = mustCompile(E.getOrElseW(() => { throw new Error() })(buildModel('IR18+PAM12', { size: 16, width: 1 / 16 })), [16, 16, 3])
  t.ok(tf.memory().numTensors > before)
  disposeModel(model)
  t.equal(tf.memory().numTensors, before)
})
