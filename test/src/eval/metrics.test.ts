import t from 'tap'
import {
  ACCURACY_THRESHOLDS,
  VAL_THRESHOLDS,
  accuracyAt,
  aucOf,
  bestThreshold,
  eerOf,
  rocCurve,
  sortPairs,
  thresholdAtFar,
} from '../../../src/eval/metrics'

const set = (same: number[], diff: number[]) =>
  sortPairs([...same, ...diff], [...same.map(() => true), ...diff.map(() => false)])

t.test('grids are numpy arange(0, 4, 0.01) and arange(0, 4, 0.001)', async (t) => {
  t.equal(ACCURACY_THRESHOLDS.length, 400)
  t.equal(ACCURACY_THRESHOLDS[399], 3.99)
  t.equal(ACCURACY_THRESHOLDS[1], 0.01)
  t.equal(VAL_THRESHOLDS.length, 4000)
  t.equal(VAL_THRESHOLDS[3999], 3.999)
})

t.test('a pair is "same" when its distance is strictly below the threshold', async (t) => {
  const s = set([0.5], [0.7])
  t.equal(accuracyAt(s, 0.5), 0.5) // 0.5 < 0.5 is false: the same pair is rejected
  t.equal(accuracyAt(s, 0.51), 1)
  t.equal(accuracyAt(s, 0.71), 0.5)
})

t.test('bestThreshold takes the first maximum of the grid', async (t) => {
  // Accuracy 5/6 on (0.3, 1.0] and again on (1.1, 1.5]: the first grid point of the first run wins.
  const s = set([0.2, 0.3, 1.1], [1.0, 1.5, 2.0])
  t.equal(bestThreshold(s), 0.31)
  t.equal(accuracyAt(s, 0.31), 5 / 6)
  t.equal(bestThreshold(s, [2, 1.2]), 1.2) // 1.2 → 5/6 beats 2 → 4/6, whatever the order
})

t.test('exact ROC, AUC and EER on tiny cases', async (t) => {
  const interleaved = rocCurve(set([1, 3], [2, 4]))
  t.same(interleaved.map((p) => [p.far, p.tar]), [[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]])
  t.equal(aucOf(interleaved), 0.75) // Mann-Whitney: 3 of the 4 (same, diff) pairs ordered right
  t.equal(eerOf(interleaved), 0.5)

  const separable = rocCurve(set([1, 2], [3, 4]))
  t.equal(aucOf(separable), 1)
  t.equal(eerOf(separable), 0)

  const tied = rocCurve(set([1], [1]))
  t.same(tied.map((p) => [p.far, p.tar]), [[0, 0], [1, 1]])
  t.equal(aucOf(tied), 0.5) // a tie counts half
  t.equal(eerOf(tied), 0.5)

  // FAR = 1 - TAR on the flat segment from (0, 1/3) to (1, 1/3): at FAR 2/3.
  const flat = rocCurve(set([1, 3, 4], [2]))
  t.ok(Math.abs(aucOf(flat) - 1 / 3) < 1e-12)
  t.ok(Math.abs(eerOf(flat) - 2 / 3) < 1e-12)

  const inverted = rocCurve(set([3, 4], [1, 2]))
  t.equal(aucOf(inverted), 0)
  t.equal(eerOf(inverted), 1)
})

t.test('thresholdAtFar interpolates FAR(threshold) on the 0.001 grid', async (t) => {
  // FAR is 0 up to 0.5, 1/4 on (0.5, 1.0], 1/2 on (1.0, 1.5], …
  const s = set([0.1], [0.5, 1.0, 1.5, 2.0])
  // 0.3 lies between FAR 1/4 at threshold 1.000 and FAR 1/2 at 1.001.
  t.ok(Math.abs(thresholdAtFar(s, 0.3) - (1.0 + (0.05 / 0.25) * 0.001)) < 1e-12)
  // FAR is exactly 1/4 from 0.501 to 1.000: the largest of those thresholds.
  t.equal(thresholdAtFar(s, 0.25), 1.0)
  // FAR never exceeds 1 on the grid: 0, nothing accepted.
  t.equal(thresholdAtFar(s, 1.5), 0)
  t.equal(thresholdAtFar(set([0.1], [5]), 1e-3), 0)
})
