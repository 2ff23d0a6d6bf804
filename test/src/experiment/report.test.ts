import t from 'tap'
import * as E from 'fp-ts/Either'
import type { SetOutcome } from '../../../src/experiment/evaluate'
import { decodePlan, expandRuns, planColumns, type Plan } from '../../../src/experiment/plan'
import { accuracySvg, formatDelta, formatParams, resultsMarkdown, resultsTableMd, yawSvg } from '../../../src/experiment/report'
import type { RunResults } from '../../../src/experiment/results'
import { paramsOf } from '../../../src/experiment/runner'
import { binomialTwoSided, mcnemar, sampleStd, signTest } from '../../../src/experiment/stats'
import { summarize } from '../../../src/experiment/summary'

const plan = (seeds: number[]): Plan => {
  const r = decodePlan(
    {
      title: 'T',
      baseline: 'IR',
      seeds,
      train: { size: 16, width: 0.0625, embedding: 8, data: { kind: 'synthetic', dir: 'd', identities: 4, imagesPerIdentity: 2, testIdentities: 20, seed: 1 } },
      eval: [{ kind: 'synthetic', protocols: ['FP'] }, { kind: 'bin', file: 'lfw.bin' }],
      runs: [
        { name: 'IR', model: 'IR18' },
        { name: 'PAM12', model: 'IR18+PAM12' },
        { name: 'DREAM', model: 'IR18+DREAM' },
      ],
    },
    '/cfp',
  )
  if (E.isLeft(r)) throw new Error(r.left.join('\n'))
  return r.right
}

/** Ten folds alternating a − d, a + d: mean a, population std d. */
const outcome = (name: string, a: number, d: number, correct: string, yaw = false): SetOutcome => ({
  name,
  pairs: correct.length,
  folding: 'ten folds',
  accuracy: { mean: a, std: d },
  folds: Array.from({ length: 10 }, (_, f) => ({ fold: f, pairs: 10, threshold: 1, accuracy: f % 2 === 0 ? a - d : a + d })),
  auc: 0.9,
  eer: 0.1,
  tar: { mean: 0.5, std: 0.1 },
  correct,
  ...(yaw ? { pairYaw: Array.from({ length: correct.length }, (_, i) => (i % 2 === 0 ? 5 : 80)) } : {}),
})

const results = (p: Plan, id: string, sets: SetOutcome[]): RunResults => {
  const spec = expandRuns(p).find((s) => s.id === id)
  if (!spec) throw new Error(id)
  return {
    version: 1,
    id,
    name: spec.name,
    label: spec.label,
    model: spec.model,
    seed: spec.seed,
    config: {},
    data: spec.data,
    eval: spec.eval,
    params: paramsOf(spec.config) ?? NaN,
    training: { steps: 100, loss: 1.5, accuracy: 0.5, seconds: 90, sessions: 1 },
    sets,
    backend: 'cpu',
    finishedAt: '2026-01-01T00:00:00.000Z',
  }
}

const summary = (p: Plan, done: RunResults[]) =>
  summarize(
    { baseline: p.baseline, columns: planColumns(p), variants: p.runs.map((r) => ({ name: r.name, label: r.label, model: r.model, params: paramsOf(r.config) })), specs: expandRuns(p) },
    new Map(done.map((r) => [r.id, r])),
  )

const IR = '1'.repeat(80) + '0'.repeat(20)
const PAM = '1'.repeat(86) + '0'.repeat(14)

t.test('the paper layout: Methods, one column per set, mean ± fold std, Params as a delta over the baseline', async (t) => {
  const p = plan([1])
  const done = [
    results(p, 'IR-s1', [outcome('Synth-FP', 0.8, 0.02, IR, true), outcome('LFW', 0.9, 0.01, IR)]),
    results(p, 'PAM12-s1', [outcome('Synth-FP', 0.86, 0.01, PAM, true), outcome('LFW', 0.9, 0.01, IR)]),
    results(p, 'DREAM-s1', [outcome('Synth-FP', 0.8, 0.01, IR, true)]),
  ]
  const s = summary(p, done)
  t.equal(
    resultsTableMd(s),
    [
      '| Methods | Synth-FP | LFW | Params |',
      '| --- | ---: | ---: | ---: |',
      '| IR18 | 80.00 ± 2.00 | 90.00 ± 1.00 | 44,704 |',
      '| IR18 + PAM12 | 86.00 ± 1.00 | 90.00 ± 1.00 | + 300 |',
      '| IR18 + DREAM | 80.00 ± 1.00 | – | + 144 |',
      '',
    ].join('\n'),
  )
  t.same(
    s.comparisons.map((c) => c.text),
    [
      '**IR18 + PAM12** vs IR18 on Synth-FP: +6.00 points (86.00 vs 80.00); the larger fold-to-fold std is 2.00, so |Δ| is larger than the spread. ' +
        'Matched folds: better on 10, worse on 0, equal on 0 of 10 (sign test p = 0.002). ' +
        'Matched pairs: 6 right only with IR18 + PAM12, 0 only with IR18 (McNemar p = 0.031). ' +
        'Verdict: these two trained networks differ (larger than the spread, every paired test p < 0.05), but with one seed the variation from training to training is not measured; more seeds are needed before crediting the variant.',
      '**IR18 + PAM12** vs IR18 on LFW: +0.00 points (90.00 vs 90.00); the larger fold-to-fold std is 1.00, so |Δ| is within the spread. ' +
        'Matched folds: better on 0, worse on 0, equal on 10 of 10 (sign test p = 1.000). ' +
        'Matched pairs: 0 right only with IR18 + PAM12, 0 only with IR18 (McNemar p = 1.000). Verdict: no difference can be claimed.',
      '**IR18 + DREAM** vs IR18 on Synth-FP: +0.00 points (80.00 vs 80.00); the larger fold-to-fold std is 2.00, so |Δ| is within the spread. ' +
        'Matched folds: better on 5, worse on 5, equal on 0 of 10 (sign test p = 1.000). ' +
        'Matched pairs: 0 right only with IR18 + DREAM, 0 only with IR18 (McNemar p = 1.000). Verdict: no difference can be claimed.',
    ],
  )
  t.same(
    s.comparisons.map((c) => c.verdict),
    ['confirmed', 'within', 'within'],
  )
  const md = resultsMarkdown({ title: 'T', planFile: 'p.json', summary: s, specs: expandRuns(p), done: new Map(done.map((r) => [r.id, r])), status: () => 'not started', setup: ['x'] })
  t.match(md, /^# T\n\n3 of 3 runs finished\./)
  t.match(md, /Mean ± std over the folds of one run \(population std, as insightface\)\./)
  t.match(md, /In all: 1 of 3 differences are larger than the spread; 1 of them also pass both paired tests at the 5 % level\./)
  t.match(md, /### Synth-FP\n\n\| Methods \| 0–15° \| 75–90° \|\n\| --- \| ---: \| ---: \|\n\| IR18 \| 80\.00 \(50\) \| 80\.00 \(50\) \|\n\| IR18 \+ PAM12 \| 86\.00 \(50\) \| 86\.00 \(50\) \|/)
  t.match(md, /\| DREAM-s1 \| IR18\+DREAM \| 1 \| 100 \| 1\.500 \| 50\.0 \| 1\.5 \| 80\.00 ± 1\.00 \| – \|/)
  t.match(accuracySvg(s, 'A'), /^<svg [^]*IR18 \+ DREAM[^]*<\/svg>\n$/)
  t.match(yawSvg(s, 'Y'), /0–15°[^]*75–90°/)
})

t.test('several seeds: the spread is the sample std of the seed means; unfinished cells are marked', async (t) => {
  const p = plan([1, 2])
  const done = [
    results(p, 'IR-s1', [outcome('Synth-FP', 0.8, 0.02, IR)]),
    results(p, 'IR-s2', [outcome('Synth-FP', 0.82, 0.02, IR)]),
    results(p, 'PAM12-s1', [outcome('Synth-FP', 0.83, 0.01, PAM)]),
  ]
  const s = summary(p, done)
  t.equal(resultsTableMd(s).split('\n')[2], '| IR18 | 81.00 ± 1.41 | – | 44,704 |')
  t.equal(resultsTableMd(s).split('\n')[3], '| IR18 + PAM12 | 83.00 ± 1.00* | – | + 300 |', 'one seed in so far: fold std, and a *')
  const c = s.comparisons[0]
  t.equal(c.delta.toFixed(4), '0.0300', 'over the seeds both have: seed 1 only')
  t.match(c.text, /the larger seed-to-seed std is 1\.41, so \|Δ\| is larger than the spread\./)
  t.match(c.text, /\(Partial: 1\/2 and 2\/2 runs finished\.\)$/)
})

t.test('numbers as the paper prints them', async (t) => {
  t.equal(formatParams(43574976), '43.57M')
  t.equal(formatParams(44704), '44,704')
  t.equal(formatDelta(6976), '+ 6,976')
  t.equal(formatDelta(-1024), '− 1,024')
})

t.test('paired tests', async (t) => {
  t.equal(binomialTwoSided(0, 0), 1)
  t.equal(binomialTwoSided(10, 10), 2 / 1024)
  t.equal(binomialTwoSided(5, 10), 1)
  t.equal(binomialTwoSided(1, 10).toFixed(6), (2 * 11 / 1024).toFixed(6))
  t.ok(binomialTwoSided(600, 1000) < 1e-9, 'large counts stay finite')
  t.same(signTest([1, 2, 3, 4], [0, 2, 4, 3]), { wins: 2, losses: 1, ties: 1, p: 1 })
  t.same(mcnemar('1100', '1010'), { onlyFirst: 1, onlySecond: 1, p: 1 })
  t.equal(sampleStd([1]), 0)
  t.equal(sampleStd([1, 3]), Math.SQRT2)
})
