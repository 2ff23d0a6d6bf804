import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import * as E from 'fp-ts/Either'
import { compile } from '../../../dsl/compile/compile'
import { PAPER_HEAD } from '../../../models/arcface'
import { buildModel } from '../../../models/zoo'
import type { Batch } from '../../../src/train/batch'
import { emptySgdState, disposeSgdState } from '../../../src/train/sgd'
import { sgdParams, trainStep, type Trainee } from '../../../src/train/step'
import { useBackend } from '../../helpers/wasm'

const SIZE = 16
const CLASSES = 4

const trainee = (seed = 0): Trainee => {
  const block = E.getOrElseW((e: string) => { throw new Error(e) })(buildModel('IR18+PAM12', { size: SIZE, width: 1 / 16, embedding: 16, dropout: 0 }))
  const model = E.getOrElseW(() => { throw new Error('compile') })(compile(block, { input: [SIZE, SIZE, 3], seed }))
  const head = tf.variable(tf.randomNormal([16, CLASSES], 0, 0.1, 'float32', 7), true, `head${seed}`)
  return { model, head, params: sgdParams(model, head, true), sgd: emptySgdState() }
}

const batch = (): Batch => {
  const n = 8
  const images = new Float32Array(n * SIZE * SIZE * 3)
  for (let i = 0; i < images.length; i++) images[i] = ((i * 2654435761) >>> 0) % 256
  return { size: n, images, yaw: Float32Array.from({ length: n }, (_, i) => i * 10 - 40), labels: Int32Array.from({ length: n }, (_, i) => i % CLASSES) }
}

t.before(() => useBackend('cpu'))

t.test('loss falls on a fixed batch and no tensor leaks across steps', async (t) => {
  const tr = trainee()
  const b = batch()
  const o = { momentum: 0.9, weightDecay: 5e-4, head: { ...PAPER_HEAD, s: 8, m: 0.2 }, seed: 1 }
  const first = trainStep(tr, b, SIZE, 0.05, o)
  const afterFirst = tf.memory().numTensors
  let last = first
  for (let i = 0; i < 8; i++) last = trainStep(tr, b, SIZE, 0.05, o)
  t.equal(tf.memory().numTensors, afterFirst, 'tensor count is flat after the momentum buffers exist')
  t.ok(last.loss < first.loss, `loss ${first.loss.toFixed(3)} → ${last.loss.toFixed(3)}`)
  disposeSgdState(tr.sgd)
  tr.head.dispose()
  tr.model.dispose()
})

t.test('BatchNorm gamma and beta are excluded from weight decay on request', async (t) => {
  const tr = trainee(1)
  const free = tr.params.filter((p) => !p.decay).map((p) => p.name)
  t.ok(free.includes('stem/1/gamma') && free.includes('stem/1/beta'))
  t.notOk(free.includes('stem/0/kernel'))
  t.ok(tr.params.find((p) => p.name === 'stem/2/alpha')?.decay, 'PReLU slopes decay, as face.evoLVe does')
  tr.head.dispose()
  tr.model.dispose()
})
