/**
 * Embedding post-processing for verification, as insightface's `verification.test` does it:
 * the embeddings of an image and of its horizontal flip are summed, the sum L2-normalised, and a
 * pair scored by the squared Euclidean distance (in [0, 4] for unit vectors; smaller = same).
 *
 * Embeddings are row-major [N, D] arrays. Results are Float64Array because insightface does this
 * arithmetic in float64 and the thresholds are compared with `<`: rounding a distance to float32
 * could move a pair across a threshold and change the reported accuracy.
 */
import { PamError } from '../util/errors'

const rowsOf = (x: ArrayLike<number>, dim: number, what: string): number => {
  if (!Number.isInteger(dim) || dim < 1) throw new PamError(`${what}: embedding size must be a positive integer, got ${dim}`)
  if (x.length % dim !== 0) throw new PamError(`${what}: ${x.length} values is not a whole number of ${dim}-d embeddings`)
  return x.length / dim
}

/** [N, D] → [N, D], each row divided by its L2 norm; an all-zero row stays zero (as sklearn's normalize). */
export const l2NormalizeRows = (x: ArrayLike<number>, dim: number): Float64Array => {
  const n = rowsOf(x, dim, 'l2NormalizeRows')
  const out = new Float64Array(x.length)
  for (let r = 0; r < n; r++) {
    let ss = 0
    for (let j = r * dim; j < (r + 1) * dim; j++) ss += x[j] * x[j]
    const norm = Math.sqrt(ss)
    const inv = norm === 0 ? 1 : 1 / norm
    for (let j = r * dim; j < (r + 1) * dim; j++) out[j] = x[j] * inv
  }
  return out
}

/** [N, D] embeddings and [N, D] embeddings of the flipped images → [N, D] unit rows of their sum. */
export const fuseFlipped = (embeddings: ArrayLike<number>, flipped: ArrayLike<number>, dim: number): Float64Array => {
  if (embeddings.length !== flipped.length) {
    throw new PamError(`fuseFlipped: ${embeddings.length} embedding values but ${flipped.length} flipped values`)
  }
  const sum = new Float64Array(embeddings.length)
  for (let i = 0; i < sum.length; i++) sum[i] = embeddings[i] + flipped[i]
  return l2NormalizeRows(sum, dim)
}

/** Squared L2 distance between row i and row j of the [N, D] array `x`. */
export const squaredL2 = (x: ArrayLike<number>, dim: number, i: number, j: number): number => {
  let s = 0
  for (let d = 0; d < dim; d++) {
    const v = x[i * dim + d] - x[j * dim + d]
    s += v * v
  }
  return s
}

/** [2P, D] embeddings in `.bin` order (pair p = rows 2p, 2p+1) → [P] squared L2 distances. */
export const interleavedPairDistances = (x: ArrayLike<number>, dim: number): Float64Array => {
  const n = rowsOf(x, dim, 'interleavedPairDistances')
  if (n % 2 !== 0) throw new PamError(`interleavedPairDistances: ${n} embeddings is an odd number; pairs need two each`)
  const out = new Float64Array(n / 2)
  for (let p = 0; p < out.length; p++) out[p] = squaredL2(x, dim, 2 * p, 2 * p + 1)
  return out
}

/** [M, D] embeddings and P pairs of row indices → [P] squared L2 distances. */
export const pairDistances = (
  x: ArrayLike<number>,
  dim: number,
  pairs: ReadonlyArray<readonly [number, number]>,
): Float64Array => {
  const n = rowsOf(x, dim, 'pairDistances')
  return Float64Array.from(pairs, ([a, b], p) => {
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < n && b < n)) {
      throw new PamError(`pairDistances: pair ${p} refers to rows ${a},${b} but there are ${n} embeddings`)
    }
    return squaredL2(x, dim, a, b)
  })
}
