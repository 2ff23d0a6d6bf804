/**
 * Verification metrics over one set of pairs: accuracy at a distance threshold, the threshold
 * search, the exact ROC with its AUC and EER, and insightface's VAL@FAR threshold rule.
 *
 * A pair is predicted "same" when its distance is strictly below the threshold (`np.less` in
 * insightface). Each set is held as the sorted distances of its same pairs and of its different
 * pairs, so a count at any threshold is a binary search: the 4000-step VAL grid over 6000 pairs
 * costs milliseconds instead of a 24M-comparison loop.
 */

/** The distances of one set of pairs, split by label and sorted ascending. */
export interface SortedPairs {
  readonly same: Float64Array
  readonly diff: Float64Array
}

/** insightface's accuracy grid `np.arange(0, 4, 0.01)`: 0, 0.01, …, 3.99 (value i is i × 0.01, as numpy computes it). */
export const ACCURACY_THRESHOLDS: Float64Array = Float64Array.from({ length: 400 }, (_, i) => i * 0.01)

/** insightface's VAL@FAR grid `np.arange(0, 4, 0.001)`: 0, 0.001, …, 3.999. */
export const VAL_THRESHOLDS: Float64Array = Float64Array.from({ length: 4000 }, (_, i) => i * 0.001)

/** [N] distances, [N] labels, optional subset of pair indices → that subset split by label, sorted. */
export const sortPairs = (
  distances: ArrayLike<number>,
  issame: ArrayLike<boolean>,
  indices?: ArrayLike<number>,
): SortedPairs => {
  const same: number[] = []
  const diff: number[] = []
  const n = indices === undefined ? distances.length : indices.length
  for (let k = 0; k < n; k++) {
    const i = indices === undefined ? k : indices[k]
    ;(issame[i] ? same : diff).push(distances[i])
  }
  return { same: Float64Array.from(same).sort(), diff: Float64Array.from(diff).sort() }
}

/** The number of values of ascending `sorted` strictly below `t`. */
export const countBelow = (sorted: Float64Array, t: number): number => {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Rates at threshold t: TAR (= TPR = VAL) over same pairs, FAR (= FPR) over different pairs; 0 when a class is empty. */
export const ratesAt = (s: SortedPairs, t: number): { readonly tar: number; readonly far: number } => ({
  tar: s.same.length === 0 ? 0 : countBelow(s.same, t) / s.same.length,
  far: s.diff.length === 0 ? 0 : countBelow(s.diff, t) / s.diff.length,
})

/** Fraction of pairs classified right at threshold t. */
export const accuracyAt = (s: SortedPairs, t: number): number => {
  const tp = countBelow(s.same, t)
  const tn = s.diff.length - countBelow(s.diff, t)
  return (tp + tn) / (s.same.length + s.diff.length)
}

/**
 * The threshold of `grid` with the highest accuracy on `s`; on a tie the first in grid order
 * (np.argmax), so with an ascending grid the smallest.
 */
export const bestThreshold = (s: SortedPairs, grid: ArrayLike<number> = ACCURACY_THRESHOLDS): number => {
  let best = grid[0]
  let bestAcc = -1
  for (let i = 0; i < grid.length; i++) {
    const acc = accuracyAt(s, grid[i])
    if (acc > bestAcc) {
      bestAcc = acc
      best = grid[i]
    }
  }
  return best
}

/**
 * insightface's `calculate_val` threshold: the threshold at which FAR on `s` reaches `farTarget`,
 * read off the FAR-vs-threshold curve on the ascending `grid` by linear interpolation
 * (`interp1d(far, thresholds, kind='slinear')`). Where FAR equals the target on a run of grid
 * thresholds, the largest of them; when FAR never reaches the target, 0.
 */
export const thresholdAtFar = (s: SortedPairs, farTarget: number, grid: ArrayLike<number> = VAL_THRESHOLDS): number => {
  const far = Float64Array.from({ length: grid.length }, (_, i) => ratesAt(s, grid[i]).far)
  if (!(far[far.length - 1] >= farTarget)) return 0
  let lastBelow = -1
  let lastEqual = -1
  for (let i = 0; i < far.length; i++) {
    if (far[i] < farTarget) lastBelow = i
    else if (far[i] === farTarget) lastEqual = i
  }
  if (lastEqual >= 0) return grid[lastEqual]
  if (lastBelow < 0) return grid[0]
  const j = lastBelow + 1
  return grid[lastBelow] + ((farTarget - far[lastBelow]) * (grid[j] - grid[lastBelow])) / (far[j] - far[lastBelow])
}

/** One point of an ROC curve: pairs with distance <= threshold accepted as same. */
export interface RocPoint {
  readonly threshold: number
  readonly far: number
  readonly tar: number
}

/**
 * The exact ROC of `s`: (0, 0) at threshold -∞, then one point per distinct distance, ending at
 * (1, 1). Tied distances move the curve diagonally, which makes its area the Mann-Whitney AUC.
 * An empty class makes its rate NaN.
 */
export const rocCurve = (s: SortedPairs): RocPoint[] => {
  const ns = s.same.length
  const nd = s.diff.length
  const points: RocPoint[] = [{ threshold: -Infinity, far: 0, tar: 0 }]
  let i = 0
  let j = 0
  while (i < ns || j < nd) {
    const t = Math.min(i < ns ? s.same[i] : Infinity, j < nd ? s.diff[j] : Infinity)
    while (i < ns && s.same[i] === t) i++
    while (j < nd && s.diff[j] === t) j++
    points.push({ threshold: t, far: j / nd, tar: i / ns })
  }
  return points
}

/** Area under a ROC polyline (trapezoids). */
export const aucOf = (roc: readonly RocPoint[]): number => {
  let area = 0
  for (let k = 1; k < roc.length; k++) area += ((roc[k].far - roc[k - 1].far) * (roc[k].tar + roc[k - 1].tar)) / 2
  return area
}

/**
 * Equal error rate of a ROC polyline: the FAR where FAR = 1 - TAR, interpolated linearly along
 * the polyline (as `brentq(lambda x: 1 - x - interp1d(fpr, tpr)(x), 0, 1)` in facenet's lfw.py).
 */
export const eerOf = (roc: readonly RocPoint[]): number => {
  const g = (p: RocPoint): number => p.far + p.tar - 1
  for (let k = 1; k < roc.length; k++) {
    const g0 = g(roc[k - 1])
    const g1 = g(roc[k])
    if (g0 < 0 && g1 >= 0) {
      const lambda = -g0 / (g1 - g0)
      return roc[k - 1].far + lambda * (roc[k].far - roc[k - 1].far)
    }
  }
  return NaN
}
