import t from 'tap'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { decodeConfig, type TrainConfig } from '../../../src/train/config'
import type { Progress } from '../../../src/train/progress'
import { runTraining } from '../../../src/train/run'
import { compile } from '../../../dsl/compile/compile'
import { disposeModel } from '../../../dsl/compile/dispose'
import { buildModel } from '../../../models/zoo'
import { saveModel } from '../../../src/persist/model-dir'
import { readSavedWeights } from '../../../src/persist/weights'
import { toyDataset } from '../../helpers/toy-data'
import { useBackend } from '../../helpers/wasm'

const silent: Progress = { step: () => {}, note: () => {}, done: () => {} }

const config = (o: Record<string, unknown> = {}): TrainConfig => {
  const r = decodeConfig({
    model: 'IR18+PAM12',
    size: 16,
    width: 1 / 16,
    embedding: 16,
    dropout: 0.2,
    data: { kind: 'folder', root: 'unused', yawCsv: 'unused' },
    epochs: 2,
    batchSize: 8,
    milestones: [1],
    head: { kind: 'arcface', s: 8, m: 0.2 },
    logEverySteps: 1,
    checkpointEverySteps: 2,
    ...o,
  })
  if (E.isLeft(r)) throw new Error(r.left.join('\n'))
  return r.right
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pam-run-'))

t.before(() => useBackend('cpu'))

t.test('a run stopped between checkpoints and resumed reaches the weights of an uninterrupted run', async (t) => {
  const ds = toyDataset(4, 6, 16) // 24 images, 3 steps per epoch, 6 steps in all
  const c = config()
  const a = tmp()
  const full = await runTraining({ config: c, out: a, dataset: ds, progress: silent })
  t.equal(full.steps, 6)
  const b = tmp()
  const halted = await runTraining({ config: c, out: b, dataset: ds, progress: silent, haltAfterStep: 5 })
  t.ok(halted.stoppedEarly)
  t.equal(fs.readFileSync(path.join(b, 'checkpoints', 'LATEST'), 'utf8'), 'step-00000004', 'the last checkpoint before the stop')
  const resumed = await runTraining({ config: c, out: b, dataset: ds, progress: silent, resume: true })
  t.equal(resumed.steps, 6)
  t.ok(fs.readFileSync(path.join(a, 'model', 'weights.bin')).equals(fs.readFileSync(path.join(b, 'model', 'weights.bin'))), 'identical weights, byte for byte')
  const lines = (d: string) => fs.readFileSync(path.join(d, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss)
  t.same(lines(b), lines(a), 'the same losses, no duplicated records')
  t.ok(fs.existsSync(path.join(b, 'loss.svg')) && fs.existsSync(path.join(b, 'accuracy.svg')), 'curves written')
  t.ok(fs.existsSync(path.join(b, 'model', 'pam.json')))
  const kept = fs.readdirSync(path.join(b, 'checkpoints')).filter((d) => d.startsWith('step-'))
  t.same(kept, ['step-00000004', 'step-00000006'], 'older checkpoints are pruned, the newest two kept')
  fs.rmSync(a, { recursive: true })
  fs.rmSync(b, { recursive: true })
})

t.test('a non-finite loss stops the run with a clear message and keeps the last checkpoint', async (t) => {
  const ds = toyDataset(4, 6, 16)
  const out = tmp()
  const c = config({ lr: 1e30, epochs: 3, checkpointEverySteps: 1 })
  const err = await runTraining({ config: c, out, dataset: ds, progress: silent }).then(() => undefined, (e: Error) => e)
  t.ok(err, 'the run fails')
  t.match(err?.message ?? '', /^epoch \d step \d: the loss is (NaN|Infinity|-Infinity); training stopped before the optimiser touched any weight\. The last good checkpoint is .*step-\d{8}; lower lr or add warmupSteps, then resume with --resume\.$/)
  const latest = fs.readFileSync(path.join(out, 'checkpoints', 'LATEST'), 'utf8')
  t.ok(fs.existsSync(path.join(out, 'checkpoints', latest, 'weights.bin')))
  fs.rmSync(out, { recursive: true })
})

t.test('--init: a backbone without PAM starts an IR+PAM run; PAM keeps its fresh weights', async (t) => {
  const ds = toyDataset(4, 6, 16)
  const src = tmp()
  const block = E.getOrElseW((e: string) => { throw new Error(e) })(buildModel('IR18', { size: 16, width: 1 / 16, embedding: 16 }))
  const backbone = E.getOrElseW(() => { throw new Error('compile') })(compile(block, { input: [16, 16, 3], seed: 99 }))
  await saveModel(backbone, src)
  disposeModel(backbone)
  const out = tmp()
  const notes: string[] = []
  await runTraining({ config: config({ init: src, lr: 1e-9, maxSteps: 1, dropout: 0 }), out, dataset: ds, progress: { ...silent, note: (m) => notes.push(m) } })
  const before = readSavedWeights(src).get('stem/0/kernel')?.data ?? new Float32Array()
  const after = readSavedWeights(path.join(out, 'model')).get('stem/0/kernel')?.data ?? new Float32Array()
  t.ok(before.length > 0 && before.every((v, i) => Math.abs(v - after[i]) < 1e-6), 'the backbone weights came from the init model')
  t.match(notes.join('\n'), new RegExp(`initialised from ${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; \\d+ weights it lacks keep their fresh initialisation \\(pam1, pam2\\)`))
  const wide = tmp()
  const other = E.getOrElseW(() => { throw new Error('compile') })(compile(E.getOrElseW((e: string) => { throw new Error(e) })(buildModel('IR18', { size: 16, width: 1 / 8, embedding: 16 })), { input: [16, 16, 3] }))
  await saveModel(other, wide)
  disposeModel(other)
  await t.rejects(runTraining({ config: config({ init: wide }), out: tmp(), dataset: ds, progress: silent }), { message: `${wide}: weight stem/0/kernel has shape [3,3,3,8], the model expects [3,3,3,4]` })
  for (const d of [src, out, wide]) fs.rmSync(d, { recursive: true })
})
