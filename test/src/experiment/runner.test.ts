import t from 'tap'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Evaluate, SetOutcome } from '../../../src/experiment/evaluate'
import { decodePlan, type Plan } from '../../../src/experiment/plan'
import { readResults, readSessions } from '../../../src/experiment/results'
import { checkSyntheticSet, lockDir, runPlan, type RunnerDeps } from '../../../src/experiment/runner'
import type { Progress } from '../../../src/train/progress'
import { runTraining, type RunOptions } from '../../../src/train/run'
import { toyDataset } from '../../helpers/toy-data'
import { useBackend } from '../../helpers/wasm'

t.before(() => useBackend('cpu'))

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-exp-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

const rawPlan = (o: { lr?: number; eval?: unknown[] } = {}) => ({
  title: 'Toy',
  baseline: 'IR',
  seeds: [1],
  train: {
    size: 16,
    width: 0.0625,
    embedding: 8,
    dropout: 0,
    // The runner's openData is replaced below: this folder is never read.
    data: { kind: 'folder', root: 'unused', yawCsv: 'unused' },
    epochs: 2,
    batchSize: 8,
    lr: o.lr ?? 0.05,
    milestones: [1],
    head: { kind: 'arcface', s: 8, m: 0.2 },
    logEverySteps: 1,
  },
  eval: o.eval ?? [{ kind: 'bin', file: 'toy.bin', name: 'Toy' }],
  runs: [
    { name: 'IR', model: 'IR18' },
    { name: 'PAM12', model: 'IR18+PAM12' },
  ],
})

const decode = (raw: unknown): Plan => {
  const r = decodePlan(raw, '/nowhere')
  if (E.isLeft(r)) throw new Error(r.left.join('\n'))
  return r.right
}

/** An evaluation that reads only the model directory's existence: fold accuracies from its path. */
const fakeOutcome = (name: string, seed: number): SetOutcome => {
  const folds = Array.from({ length: 10 }, (_, f) => ({ fold: f, pairs: 10, threshold: 1, accuracy: 0.6 + ((seed * 7 + f * 3) % 10) / 100 }))
  const m = folds.reduce((a, f) => a + f.accuracy, 0) / 10
  const std = Math.sqrt(folds.reduce((a, f) => a + (f.accuracy - m) ** 2, 0) / 10)
  return { name, pairs: 100, folding: '10 test folds', accuracy: { mean: m, std }, folds, auc: 0.7, eer: 0.3, tar: { mean: 0.1, std: 0.01 }, correct: '10'.repeat(50), pairYaw: Array.from({ length: 100 }, (_, i) => i % 91) }
}

interface Counts {
  train: number
  evaluate: number
  notes: string[]
}

const deps = (counts: Counts, train: (o: RunOptions) => Promise<import('../../../src/train/run').RunResult> = runTraining): RunnerDeps => {
  const ds = toyDataset(4, 6, 16) // 24 images: 3 steps an epoch, 6 in all
  const progress: Progress = { step: () => {}, note: (m) => counts.notes.push(m), done: () => {} }
  const evaluate: Evaluate = async (modelDir, sets) => {
    counts.evaluate++
    if (!fs.existsSync(path.join(modelDir, 'model.json'))) throw new Error(`no model in ${modelDir}`)
    const seed = JSON.parse(fs.readFileSync(path.join(modelDir, '..', 'config.json'), 'utf8')).seed as number
    return sets.map((s) => fakeOutcome(s.kind === 'bin' ? (s.name ?? path.basename(s.file, '.bin')) : s.kind, seed))
  }
  return {
    evaluate,
    train: (o) => {
      counts.train++
      return train(o)
    },
    openData: () => ds,
    log: () => {},
    progress: () => progress,
    backend: 'cpu',
  }
}

t.test('a plan runs each run once; run again it trains and evaluates nothing', async (t) => {
  const out = path.join(tmp, 'twice')
  const plan = decode(rawPlan())
  const c1: Counts = { train: 0, evaluate: 0, notes: [] }
  const first = await runPlan({ plan, planFile: 'toy.json', out }, deps(c1))
  t.same(first.trained, ['IR-s1', 'PAM12-s1'])
  t.same(first.failed, [])
  t.equal(c1.train, 2)
  t.equal(c1.evaluate, 2)
  for (const id of ['IR-s1', 'PAM12-s1']) {
    const dir = path.join(out, 'runs', id)
    t.ok(fs.existsSync(path.join(dir, 'metrics.jsonl')), `${id}: metrics.jsonl`)
    const r = readResults(dir)
    t.equal(r?.training.steps, 6)
    t.same(r?.sets.map((s) => s.name), ['Toy'])
  }
  t.ok(fs.existsSync(path.join(out, 'results.md')) && fs.existsSync(path.join(out, 'accuracy.svg')) && fs.existsSync(path.join(out, 'accuracy-by-yaw.svg')))
  const before = fs.statSync(path.join(out, 'runs', 'IR-s1', 'results.json')).mtimeMs

  const c2: Counts = { train: 0, evaluate: 0, notes: [] }
  const second = await runPlan({ plan, planFile: 'toy.json', out }, deps(c2))
  t.same([c2.train, c2.evaluate], [0, 0], 'no training, no evaluation')
  t.same(second.skipped, ['IR-s1', 'PAM12-s1'])
  t.equal(fs.statSync(path.join(out, 'runs', 'IR-s1', 'results.json')).mtimeMs, before, 'results.json untouched')
  t.match(fs.readFileSync(path.join(out, 'results.md'), 'utf8'), /2 of 2 runs finished/)

  // New evaluation sets: evaluated again from the saved model, not retrained.
  const more = decode(rawPlan({ eval: [{ kind: 'bin', file: 'toy.bin', name: 'Toy' }, { kind: 'bin', file: 'other.bin' }] }))
  const c3: Counts = { train: 0, evaluate: 0, notes: [] }
  const third = await runPlan({ plan: more, planFile: 'toy.json', out, only: ['IR'] }, deps(c3))
  t.same([c3.train, c3.evaluate], [0, 1])
  t.same(third.evaluated, ['IR-s1'])
  t.same(readResults(path.join(out, 'runs', 'IR-s1'))?.sets.map((s) => s.name), ['Toy', 'other'])

  // Another training config under the same run names: refused run by run, nothing overwritten.
  const other = decode(rawPlan({ lr: 0.01 }))
  const c4: Counts = { train: 0, evaluate: 0, notes: [] }
  const fourth = await runPlan({ plan: other, planFile: 'toy.json', out }, deps(c4))
  t.equal(c4.train, 0)
  t.same(
    fourth.failed.map((f) => f.message),
    ['IR-s1', 'PAM12-s1'].map(
      (id) =>
        `${path.join(out, 'runs', id)}: holds a run of another training config (results.json differs in lr); delete the directory to train this run again, or give the run another name`,
    ),
  )
})

t.test('an interrupted run resumes from its checkpoint; the others are not redone', async (t) => {
  const out = path.join(tmp, 'resume')
  const plan = decode(rawPlan())
  // First session: the second run is "killed" after step 4 (its last checkpoint: step 3, the end of epoch 1).
  const c1: Counts = { train: 0, evaluate: 0, notes: [] }
  const halting = (o: RunOptions) => runTraining(o.out.endsWith('PAM12-s1') ? { ...o, haltAfterStep: 4 } : o)
  const first = await runPlan({ plan, planFile: 'toy.json', out }, deps(c1, halting))
  t.same(first.evaluated, ['IR-s1'])
  t.same(first.failed.map((f) => f.id), ['PAM12-s1'])
  t.equal(first.failed[0].message, 'PAM12-s1: training stopped after step 4, before the end; run the plan again to resume it')
  t.match(fs.readFileSync(path.join(out, 'results.md'), 'utf8'), /\| PAM12-s1 \| IR18\+PAM12 \| 1 \| failed: PAM12-s1: training stopped after step 4/)

  const c2: Counts = { train: 0, evaluate: 0, notes: [] }
  const second = await runPlan({ plan, planFile: 'toy.json', out }, deps(c2))
  t.same(second.skipped, ['IR-s1'])
  t.same(second.trained, ['PAM12-s1'])
  t.equal(c2.train, 1)
  t.ok(c2.notes.some((n) => /^resumed from .*PAM12-s1.*step-00000003 \(epoch 2, step 1, 3 steps done\)$/.test(n)), c2.notes.join('\n'))
  const dir = path.join(out, 'runs', 'PAM12-s1')
  t.same(
    readSessions(dir).map((s) => [s.fromStep, s.toStep]),
    [
      [0, 4],
      [3, 6],
    ],
  )
  const r = readResults(dir)
  t.equal(r?.training.steps, 6)
  t.equal(r?.training.sessions, 2)
  const metrics = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')
  t.same(metrics.map((l) => JSON.parse(l).globalStep), [1, 2, 3, 4, 5, 6], 'the steps after the checkpoint are logged once')
})

t.test('--only selects runs by name or id; an unknown name is refused', async (t) => {
  const out = path.join(tmp, 'only')
  const plan = decode(rawPlan())
  const c: Counts = { train: 0, evaluate: 0, notes: [] }
  await t.rejects(runPlan({ plan, planFile: 'toy.json', out, only: ['PAM'] }, deps(c)), {
    message: '--only PAM: no run of that name or id (names: IR, PAM12; ids such as IR-s1)',
  })
  const r = await runPlan({ plan, planFile: 'toy.json', out, only: ['PAM12-s1'] }, deps(c))
  t.same(r.trained, ['PAM12-s1'])
  const md = fs.readFileSync(path.join(out, 'results.md'), 'utf8')
  t.match(md, /1 of 2 runs finished/)
  t.match(md, /\| IR18 \| – \| 44,704 \|\n\| IR18 \+ PAM12 \| \d+\.\d\d ± \d+\.\d\d \| \+ 300 \|/, 'the baseline row is there, without results yet; Params as a delta')
  t.match(md, /\| IR-s1 \| IR18 \| 1 \| not started \|/)
})

t.test('one experiment at a time per directory', async (t) => {
  const out = path.join(tmp, 'lock')
  const release = lockDir(out)
  fs.writeFileSync(path.join(out, '.pam-experiment.lock'), String(process.ppid))
  t.throws(() => lockDir(out), {
    message: `${out}: another pam experiment (pid ${process.ppid}) is running in this directory; wait for it, or remove ${path.join(out, '.pam-experiment.lock')} if it is gone`,
  })
  fs.writeFileSync(path.join(out, '.pam-experiment.lock'), '999999999')
  const again = lockDir(out)
  t.equal(fs.readFileSync(path.join(out, '.pam-experiment.lock'), 'utf8'), String(process.pid), 'a lock left by a dead process is taken over')
  again()
  release()
  t.notOk(fs.existsSync(path.join(out, '.pam-experiment.lock')))
})

t.test('a synthetic set on disk that the plan does not describe is refused', async (t) => {
  const dir = path.join(tmp, 'synth')
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, 'synth.json'), JSON.stringify({ generator: 'pam synth', identities: 8, imagesPerIdentity: 6, testIdentities: 20, seed: 1 }))
  const r = decodePlan({ ...rawPlan(), train: { ...rawPlan().train, data: { kind: 'synthetic', dir, identities: 10, imagesPerIdentity: 6, testIdentities: 20, seed: 2 } } }, '/nowhere')
  if (E.isLeft(r)) throw new Error(r.left.join('\n'))
  t.throws(() => checkSyntheticSet(r.right.runs[0].config), {
    message: `${path.join(dir, 'synth.json')}: the synthetic set there was generated with identities 8, seed 1, but the plan asks for identities 10, seed 2; delete the directory or choose another train.data.dir`,
  })
  const same = decodePlan({ ...rawPlan(), train: { ...rawPlan().train, data: { kind: 'synthetic', dir, identities: 8, imagesPerIdentity: 6, testIdentities: 20, seed: 1 } } }, '/nowhere')
  if (E.isLeft(same)) throw new Error(same.left.join('\n'))
  t.doesNotThrow(() => checkSyntheticSet(same.right.runs[0].config))
})
