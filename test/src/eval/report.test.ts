import t from 'tap'
import { accuracyByYaw, columnName, formatPercent, resultsTable, resultsText, yawTable } from '../../../src/eval/report'

t.test('results table: paper columns in paper order, mean ± std in %', async (t) => {
  const table = resultsTable([
    { model: 'IR50', accuracy: { cfp_fp: { mean: 0.9271, std: 0.0132 }, lfw: { mean: 0.99533, std: 0.0031 } } },
    { model: 'IR50 + PAM12', accuracy: { 'CFP-FP': { mean: 0.9831, std: 0.0045 }, calfw: { mean: 0.96, std: 0.01 }, cfp_ff: { mean: 0.998, std: 0.002 } } },
  ])
  t.equal(
    table,
    [
      '| Model | LFW | CFP-FP | CALFW | CFP-FF |',
      '| --- | ---: | ---: | ---: | ---: |',
      '| IR50 | 99.53 ± 0.31 | 92.71 ± 1.32 | – | – |',
      '| IR50 + PAM12 | – | 98.31 ± 0.45 | 96.00 ± 1.00 | 99.80 ± 0.20 |',
      '',
    ].join('\n'),
  )
  // Sets the paper does not have come last, as named; a | in a model name is escaped.
  t.equal(
    resultsTable([{ model: 'a|b', accuracy: { vgg2_fp: { mean: 0.9, std: 0 }, agedb_30: { mean: 0.95, std: 0.01 }, cplfw: { mean: 0.9, std: 0.02 } } }]),
    '| Model | AgeDB-30 | CPLFW | vgg2_fp |\n| --- | ---: | ---: | ---: |\n| a\\|b | 95.00 ± 1.00 | 90.00 ± 2.00 | 90.00 ± 0.00 |\n',
  )
  t.equal(columnName('AGEDB_30'), 'AgeDB-30')
  t.equal(formatPercent({ mean: 0.98765, std: 0.00123 }, 3), '98.765 ± 0.123')
})

t.test('results as plain text: the same columns, padded, numbers right-aligned', async (t) => {
  t.equal(
    resultsText([
      { model: 'IR50', accuracy: { cfp_ff: { mean: 0.998, std: 0.002 }, cfp_fp: { mean: 0.9271, std: 0.0132 } } },
      { model: 'IR50+PAM12 (untrained)', accuracy: { 'CFP-FP': { mean: 0.5, std: 0.1 } } },
    ]),
    [
      'Model                          CFP-FP        CFP-FF',
      '----------------------  -------------  ------------',
      'IR50                     92.71 ± 1.32  99.80 ± 0.20',
      'IR50+PAM12 (untrained)  50.00 ± 10.00             –',
      '',
    ].join('\n'),
  )
})

t.test('accuracy by |yaw| bin, binned by the larger |yaw| of the pair', async (t) => {
  const bins = accuracyByYaw([0, 10, -45, 30, 90, -89.9, 120], [1, 0, 1, 1, 0, true, 1])
  t.same(bins, [
    { lo: 0, hi: 30, pairs: 2, correct: 1, accuracy: 0.5 },
    { lo: 30, hi: 60, pairs: 2, correct: 2, accuracy: 1 },
    { lo: 60, hi: 90, pairs: 3, correct: 2, accuracy: 2 / 3 },
  ])
  t.equal(
    yawTable(bins, 'IR50'),
    '| Max \\|yaw\\| of pair | Pairs | IR50 (%) |\n| --- | ---: | ---: |\n| 0–30° | 2 | 50.00 |\n| 30–60° | 2 | 100.00 |\n| 60–90° | 3 | 66.67 |\n',
  )
  const empty = accuracyByYaw([0], [1], [0, 45, 90])
  t.ok(Number.isNaN(empty[1].accuracy))
  t.match(yawTable(empty), /\| 45–90° \| 0 \| – \|/)
})
