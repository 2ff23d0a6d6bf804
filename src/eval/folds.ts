/**
 * Fold assignments for k-fold verification: a fold index in [0, k) per pair.
 *
 * insightface's `.bin` sets use sklearn's `KFold(n_splits=10, shuffle=False)`: contiguous blocks,
 * the first `n % k` blocks one pair longer. CFP and LFW name their folds in the protocol files
 * (CFP split 01..10, LFW sets in `pairs.txt` order), so those come in as ids.
 */
import { PamError } from '../util/errors'

/** n pairs → [n] fold index: k contiguous blocks, sizes ⌊n/k⌋ + 1 for the first n mod k. */
export const contiguousFolds = (n: number, k = 10): Int32Array => {
  if (!Number.isInteger(k) || k < 1) throw new PamError(`folds: the number of folds must be a positive integer, got ${k}`)
  if (n < k) throw new PamError(`folds: ${n} pairs cannot make ${k} folds`)
  const out = new Int32Array(n)
  const base = Math.floor(n / k)
  const extra = n % k
  let i = 0
  for (let f = 0; f < k; f++) {
    const size = base + (f < extra ? 1 : 0)
    out.fill(f, i, i + size)
    i += size
  }
  return out
}

/**
 * [n] arbitrary fold ids (CFP split numbers 1..10, say) → [n] fold index 0..k-1, numbered by
 * sorted id, and the ids in that order.
 */
export const foldsFromIds = (ids: ArrayLike<number>): { readonly folds: Int32Array; readonly ids: readonly number[] } => {
  const sorted = [...new Set(Array.from(ids))].sort((a, b) => a - b)
  const index = new Map(sorted.map((id, i) => [id, i]))
  const folds = new Int32Array(ids.length)
  for (let i = 0; i < ids.length; i++) folds[i] = index.get(ids[i]) as number
  return { folds, ids: sorted }
}

/**
 * The number of folds k of [n] fold indices, checked: each index an integer in [0, k), every
 * fold non-empty. `what` names the data in the error message.
 */
export const countFolds = (folds: ArrayLike<number>, what: string): number => {
  let k = 0
  for (let i = 0; i < folds.length; i++) {
    const f = folds[i]
    if (!Number.isInteger(f) || f < 0) throw new PamError(`${what}: pair ${i}: fold ${f} is not an index >= 0`)
    k = Math.max(k, f + 1)
  }
  const sizes = new Int32Array(k)
  for (let i = 0; i < folds.length; i++) sizes[folds[i]]++
  const empty = sizes.indexOf(0)
  if (empty >= 0) throw new PamError(`${what}: fold ${empty} has no pairs (folds are 0..${k - 1})`)
  return k
}
