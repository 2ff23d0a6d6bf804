import t from 'tap'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { decodePlan, expandRuns, planColumns, readPlan, type Plan } from '../../../src/experiment/plan'

const CFP = '/data/cfp'

const errors = (raw: unknown): string[] => {
  const r = decodePlan(raw, CFP)
  if (E.isRight(r)) throw new Error('expected the plan to be refused')
  return r.left
}

const plan = (raw: unknown): Plan => {
  const r = decodePlan(raw, CFP)
  if (E.isLeft(r)) throw new Error(r.left.join('\n'))
  return r.right
}

const SYNTH = { kind: 'synthetic', dir: 'runs/data/s', identities: 10, imagesPerIdentity: 4, testIdentities: 20, seed: 1 }

t.test('every bad field of a plan, one line each, with its path', async (t) => {
  t.same(
    errors({
      baseline: 'X',
      seeds: [1, 1],
      colour: 1,
      train: { size: 0, model: 'IR50', data: { kind: 'synthetic', dir: 'd' }, colour: 3 },
      eval: [{ kind: 'synthetic', protocols: ['FX'] }, { kind: 'lfw' }, { kind: 'bin', file: 'a/lfw.bin', yaw: 100, extra: 1 }],
      runs: [
        { name: 'IR', model: 'IR18', config: { lr: -1, seed: 3, data: {} } },
        { name: 'IR', model: 'IR19', extra: true },
        { name: 'a b', model: 'IR18' },
      ],
    }),
    [
      'colour: unknown field (valid: title, baseline, seeds, cfp, train, eval, runs)',
      'eval.0.protocols.0: expected "FF" or "FP", got "FX"',
      'eval.1.kind: expected one of "synthetic", "cfp", "bin", got "lfw"',
      'eval.2.yaw: expected a yaw in degrees within [-90, 90], got 100',
      'runs.1.model: unknown model "IR19": depth 19 is not one of 18, 34, 50, 100 (or 101), 152, got "IR19"',
      'runs.2.name: expected a run name: letters, digits, "_", ".", "+" and "-", starting with a letter or digit (it names the run directory), got "a b"',
      'runs.1.extra: unknown field (valid: name, model, label, config, seeds)',
      'eval.2.extra: unknown field (valid: kind, file, name, yaw, yawFile)',
      'train.model: give each run its "model"',
      'train.colour: unknown field (valid: model, size, width, embedding, dropout, data, eval, epochs, batchSize, lr, milestones, gamma, warmupSteps, momentum, weightDecay, excludeBatchNormFromDecay, head, flip, seed, checkpointEverySteps, logEverySteps, maxSteps, init)',
      'train.size: expected a positive integer, got 0',
      'runs.0.config.seed: the seeds are the plan\'s "seeds" (or a run\'s own "seeds")',
      'runs.0.config.data: every run of a plan trains on the plan\'s "train.data"',
      'runs.0.config.lr: expected a number > 0, got -1',
      'seeds.1: seed 1 repeats seeds.0',
      'runs.1.name: "IR" repeats runs.0.name',
      'baseline: "X" is not the name of a run (IR, a b)',
    ],
  )
})

t.test('missing fields, CFP training data, conflicting columns', async (t) => {
  t.same(errors(3), ['(top level): expected a JSON object'])
  t.same(errors({}), [
    'baseline: expected a non-empty string, got nothing',
    'seeds: expected a non-empty list of seeds, got nothing',
    'train: expected a JSON object, got nothing',
    'eval: expected a non-empty list of evaluation sets, got nothing',
    'runs: expected a non-empty list of runs, got nothing',
  ])
  t.same(errors({ baseline: 'IR', seeds: [1], train: {}, eval: [{ kind: 'cfp' }], runs: [{ name: 'IR', model: 'IR18' }] }), [
    'train.data.kind: expected one of "synthetic", "folder", "recordio", "cfp", got nothing',
  ])
  t.same(
    errors({
      baseline: 'IR',
      seeds: [],
      train: { data: { kind: 'cfp', testSplits: [10, 0], dir: 'x' } },
      eval: [{ kind: 'synthetic' }, { kind: 'cfp' }, { kind: 'cfp', protocols: ['FP'] }],
      runs: [],
    }),
    [
      'seeds: expected a non-empty list of seeds, got []',
      'runs: expected a non-empty list of runs, got []',
      'train.data.dir: unknown field (valid: kind, testSplits)',
      'train.data.testSplits.1: expected a split number (an integer ≥ 1), got 0',
      'eval.0: the synthetic test split needs train.data of kind "synthetic" with testIdentities > 0',
      'eval.2: makes the column CFP-FP, as eval.1 does',
    ],
  )
  t.same(
    errors({
      baseline: 'IR',
      seeds: [1],
      train: { data: { kind: 'cfp', testSplits: [10, 10] } },
      eval: [{ kind: 'bin', file: 'x/cfp_fp.bin', yaw: 0, yawFile: 'y.csv' }, { kind: 'cfp', protocols: ['FF', 'FF'] }],
      runs: [{ name: 'IR', model: 'IR18', seeds: [2, 2] }],
    }),
    [
      'train.data.testSplits.1: split 10 repeats train.data.testSplits.0',
      'runs.0.seeds.1: seed 2 repeats runs.0.seeds.0',
      'eval.0: give "yaw" or "yawFile", not both',
      'eval.1.protocols: FF is listed twice',
    ],
  )
})

t.test('a run\'s overrides are decoded over the shared config; an error in the base is reported once', async (t) => {
  t.same(
    errors({
      baseline: 'A',
      seeds: [1],
      train: { data: SYNTH, epochs: 0 },
      eval: [{ kind: 'synthetic' }],
      runs: [
        { name: 'A', model: 'IR18', config: { head: { kind: 'arcface', s: 8, m: 2 } } },
        { name: 'B', model: 'IR18+PAM12' },
      ],
    }),
    ['train.epochs: expected a positive integer, got 0', 'runs.0.config.head.m: expected a margin in [0, π/2), got 2'],
  )
})

t.test('a valid plan: defaults, labels, merged configs, run ids and order', async (t) => {
  const p = plan({
    baseline: 'IR',
    seeds: [1, 2],
    train: { size: 16, width: 0.0625, data: SYNTH, lr: 0.05 },
    eval: [{ kind: 'synthetic' }, { kind: 'bin', file: 'sets/agedb_30.bin' }, { kind: 'bin', file: 'mine.bin', name: 'Mine' }],
    runs: [
      { name: 'IR', model: 'ir18' },
      { name: 'PAM12', model: 'IR18+PAM12', config: { lr: 0.1 }, seeds: [3] },
      { name: 'PAM12b', model: 'IR18+PAM12' },
    ],
  })
  t.equal(p.title, 'Experiment')
  t.equal(p.cfp, CFP)
  t.same(planColumns(p), ['Synth-FF', 'Synth-FP', 'AgeDB-30', 'Mine'])
  t.same(
    p.runs.map((r) => [r.name, r.label, r.model, r.seeds, r.config.lr, r.config.size]),
    [
      ['IR', 'IR18', 'IR18', [1, 2], 0.05, 16],
      ['PAM12', 'IR18 + PAM12 (PAM12)', 'IR18+PAM12', [3], 0.1, 16],
      ['PAM12b', 'IR18 + PAM12 (PAM12b)', 'IR18+PAM12', [1, 2], 0.05, 16],
    ],
  )
  const runs = expandRuns(p)
  t.same(
    runs.map((r) => [r.id, r.seed, r.config.seed]),
    [
      ['IR-s1', 1, 1],
      ['PAM12-s3', 3, 3],
      ['PAM12b-s1', 1, 1],
      ['IR-s2', 2, 2],
      ['PAM12b-s2', 2, 2],
    ],
  )
  t.same(runs[0].eval, [
    { kind: 'synthetic', dir: path.join('runs/data/s', 'test'), protocols: ['FF', 'FP'] },
    { kind: 'bin', file: 'sets/agedb_30.bin' },
    { kind: 'bin', file: 'mine.bin', name: 'Mine' },
  ])
})

t.test('CFP training: one run per test split and seed, evaluated on that split', async (t) => {
  const p = plan({
    baseline: 'IR',
    seeds: [1],
    cfp: 'here/cfp',
    train: { data: { kind: 'cfp', testSplits: [10, 3] } },
    eval: [{ kind: 'cfp' }],
    runs: [
      { name: 'IR', model: 'IR18' },
      { name: 'PAM12', model: 'IR18+PAM12' },
    ],
  })
  t.same(p.data, { kind: 'cfp', dir: 'here/cfp', testSplits: [10, 3] })
  const runs = expandRuns(p)
  t.same(
    runs.map((r) => r.id),
    ['IR-split10-s1', 'PAM12-split10-s1', 'IR-split03-s1', 'PAM12-split03-s1'],
  )
  t.same(runs[2].eval, [{ kind: 'cfp', dir: 'here/cfp', protocols: ['FF', 'FP'], heldOut: [3] }])
  t.equal(runs[2].testSplit, 3)
  t.same(runs[0].config.data, { kind: 'cfp', dir: 'here/cfp', testSplits: [10] }, 'each run\'s own config names its test split, so pam train --resume reads the same images')
  t.same(runs[2].config.data, { kind: 'cfp', dir: 'here/cfp', testSplits: [3] })
})

t.test('readPlan names the file', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-plan-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'p.json')
  t.throws(() => readPlan(path.join(dir, 'none.json')), { message: `${path.join(dir, 'none.json')}: cannot read the plan (no such file)` })
  fs.writeFileSync(file, '{"baseline": "IR", "seeds": [1], "train": {"data": {"kind": "cfp", "testSplits": [1]}}, "eval": [{"kind": "cfp"}], "runs": [{"name": "IR", "model": "IR18", "config": {"batchSize": 0}}]}')
  t.throws(() => readPlan(file), { message: `${file}: invalid plan\n  runs.0.config.batchSize: expected a positive integer, got 0` })
})

t.test('the example plans decode', async (t) => {
  const dir = path.resolve(__dirname, '../../../../examples/plans')
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const p = readPlan(path.join(dir, f), CFP)
    t.ok(expandRuns(p).length > 0, f)
  }
})
