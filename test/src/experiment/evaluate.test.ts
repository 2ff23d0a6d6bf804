import t from 'tap'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { generateSynthDataset } from '../../../src/data/synth/generate'
import { defaultEvaluate, heldOutCfpSource, subFolds } from '../../../src/experiment/evaluate'
import { saveTinyCheckpoint } from '../infer/helpers'
import { useBackend } from '../../helpers/wasm'

const MINI = path.resolve(__dirname, '../../../../test/fixtures/eval/cfp-mini')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-exp-eval-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))
t.before(() => useBackend('cpu'))

t.test('sub-folds inside a split: same and different pairs dealt round-robin', async (t) => {
  const issame = [true, true, true, true, false, false, false, false, true, false]
  t.same(Array.from(subFolds(issame, [1, 1, 1, 1, 1, 1, 1, 1, 2, 2], 3)), [0, 1, 2, 0, 0, 1, 2, 0, 3, 3])
  t.same(Array.from(subFolds([true, false, true, false], [5, 5, 5, 5])), [0, 0, 1, 1], 'k = min(10, #same, #diff)')
})

t.test('a held-out CFP split: its pairs only, its images only, sub-folds', async (t) => {
  const s = heldOutCfpSource(MINI, ['FF', 'FP'], [2])
  t.same(s.sets.map((x) => [x.name, x.issame.length, Array.from(x.folds)]), [
    ['CFP-FF', 6, [0, 1, 2, 0, 1, 2]],
    ['CFP-FP', 6, [0, 1, 2, 0, 1, 2]],
  ])
  t.equal(s.count, 20, 'the distinct images of split 02\'s FF and FP pairs')
  t.same(Array.from(s.sets[1].pairYaw ?? []), [90, 90, 90, 90, 90, 90])
  const img = s.images(24).load(0)
  t.same([img.image.width, img.yaw], [24, 0])
  t.throws(() => heldOutCfpSource(MINI, ['FP'], [7]), { message: `${path.join(MINI, 'Protocol', 'Split')}: no split 07 (the splits are 01, 02)` })
})

t.test('the default evaluation: a saved model on the synthetic test split and a held-out CFP split', async (t) => {
  const synth = path.join(tmp, 'synth')
  generateSynthDataset({ out: synth, identities: 2, imagesPerIdentity: 2, testIdentities: 20, size: 16, seed: 3, frontalPerTestIdentity: 3, profilePerTestIdentity: 2, pairsPerSplit: 4 })
  const model = path.join(tmp, 'model')
  await saveTinyCheckpoint(model)
  const lines: string[] = []
  const out = await defaultEvaluate(
    model,
    [
      { kind: 'synthetic', dir: path.join(synth, 'test'), protocols: ['FF', 'FP'] },
      { kind: 'cfp', dir: MINI, protocols: ['FP'], heldOut: [1] },
    ],
    { log: (l) => lines.push(l), batch: 16 },
  )
  t.same(
    out.map((o) => [o.name, o.folds.length, o.correct.length === o.pairs, o.pairYaw?.length === o.pairs]),
    [
      ['Synth-FF', 10, true, true],
      ['Synth-FP', 10, true, true],
      ['CFP-FP', 3, true, true],
    ],
  )
  for (const o of out) {
    const right = [...o.correct].filter((c) => c === '1').length
    const fromFolds = o.folds.reduce((a, f) => a + f.accuracy * f.pairs, 0)
    t.equal(Math.round(fromFolds), right, `${o.name}: the per-pair record adds up to the fold accuracies`)
    t.ok(o.accuracy.mean >= 0 && o.accuracy.mean <= 1)
  }
  t.ok(out[1].pairYaw?.every((y) => y >= 60), 'FP pairs hold a profile (|yaw| ≥ 60)')
  t.match(out[2].folding, /sub-folds of held-out split 01/)
  t.equal(lines.length, 3)
  t.match(lines[0], /^ {2}Synth-FF: \d+\.\d\d ± \d+\.\d\d % over 10 folds \(\d+ pairs\)$/)
})
