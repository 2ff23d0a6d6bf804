/**
 * The k-fold face verification protocol (insightface `verification.evaluate`, CFP's own protocol).
 *
 * For each fold: the threshold that maximises accuracy on the other k-1 folds (grid 0, 0.01, …,
 * 3.99, first maximum) is applied to the fold; the accuracy is reported as mean ± std over folds,
 * std being numpy's population std. VAL@FAR follows `calculate_val`: the threshold reaching FAR
 * 1e-3 on the training folds (grid step 0.001), applied to the test fold. AUC and EER, which CFP
 * asks for, come per test fold (mean ± std, as the CFP paper reports them) and pooled over all pairs.
 *
 * With one fold, training and test set are the whole set (insightface's `LFold`).
 */
import { PamError } from '../util/errors'
import { countFolds } from './folds'
import {
  ACCURACY_THRESHOLDS,
  VAL_THRESHOLDS,
  accuracyAt,
  aucOf,
  bestThreshold,
  eerOf,
  ratesAt,
  rocCurve,
  sortPairs,
  thresholdAtFar,
} from './metrics'

/** Per-pair inputs, all of length N. */
export interface VerificationInput {
  /** Squared L2 distances, smaller = more alike. */
  readonly distances: ArrayLike<number>
  readonly issame: ArrayLike<boolean>
  /** Fold index in [0, k) of each pair (see folds.ts). */
  readonly folds: ArrayLike<number>
}

export interface VerificationOptions {
  /** Ascending accuracy threshold grid; default 0, 0.01, …, 3.99. */
  readonly thresholds?: ArrayLike<number>
  /** Ascending VAL@FAR threshold grid; default 0, 0.001, …, 3.999. */
  readonly valThresholds?: ArrayLike<number>
  /** Default 1e-3. */
  readonly farTarget?: number
}

export interface MeanStd {
  readonly mean: number
  /** Population standard deviation (numpy's default, ddof = 0). */
  readonly std: number
}

export interface FoldResult {
  /** 0-based fold index. */
  readonly fold: number
  /** Number of pairs in the fold. */
  readonly pairs: number
  /** Best accuracy threshold on the other folds, applied to this one. */
  readonly threshold: number
  readonly accuracy: number
  /** On this fold alone; NaN if it lacks same or different pairs. */
  readonly auc: number
  readonly eer: number
  /** Threshold reaching the target FAR on the other folds, and TAR / FAR it gives on this fold. */
  readonly valThreshold: number
  readonly val: number
  readonly far: number
}

export interface VerificationResult {
  readonly folds: readonly FoldResult[]
  readonly accuracy: MeanStd
  readonly auc: MeanStd
  readonly eer: MeanStd
  /** Over all pairs at once. */
  readonly pooledAuc: number
  readonly pooledEer: number
  /** VAL (TAR) at `farTarget` as insightface reports it: mean ± std of the folds' VAL, and mean FAR reached. */
  readonly val: MeanStd & { readonly far: number; readonly farTarget: number }
}

/** Mean and population std of `xs`. */
export const meanStd = (xs: readonly number[]): MeanStd => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const variance = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0) / xs.length
  return { mean, std: Math.sqrt(variance) }
}

/** Checks the three arrays agree in length, distances are finite and folds well-formed; returns k. */
export const checkInput = (input: VerificationInput): number => {
  const n = input.distances.length
  if (input.issame.length !== n) throw new PamError(`verification: ${n} distances but ${input.issame.length} issame labels`)
  if (input.folds.length !== n) throw new PamError(`verification: ${n} distances but ${input.folds.length} fold indices`)
  if (n === 0) throw new PamError('verification: no pairs')
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.distances[i])) throw new PamError(`verification: pair ${i}: distance ${input.distances[i]} is not finite`)
  }
  return countFolds(input.folds, 'verification')
}

/** Pair indices of fold f and of all other folds (both the whole set when k = 1). */
const splitFold = (folds: ArrayLike<number>, f: number, k: number): { test: number[]; train: number[] } => {
  const test: number[] = []
  const train: number[] = []
  for (let i = 0; i < folds.length; i++) (folds[i] === f ? test : train).push(i)
  return k === 1 ? { test, train: test } : { test, train }
}

/** Runs the protocol: [N] distances, labels, folds → per-fold and summary results. */
export const evaluateVerification = (input: VerificationInput, options: VerificationOptions = {}): VerificationResult => {
  const k = checkInput(input)
  const grid = options.thresholds ?? ACCURACY_THRESHOLDS
  const valGrid = options.valThresholds ?? VAL_THRESHOLDS
  const farTarget = options.farTarget ?? 1e-3
  const { distances, issame, folds } = input
  const results: FoldResult[] = []
  for (let f = 0; f < k; f++) {
    const { test, train } = splitFold(folds, f, k)
    const trainSet = sortPairs(distances, issame, train)
    const testSet = sortPairs(distances, issame, test)
    const threshold = bestThreshold(trainSet, grid)
    const valThreshold = thresholdAtFar(trainSet, farTarget, valGrid)
    const rates = ratesAt(testSet, valThreshold)
    const roc = rocCurve(testSet)
    results.push({
      fold: f,
      pairs: test.length,
      threshold,
      accuracy: accuracyAt(testSet, threshold),
      auc: aucOf(roc),
      eer: eerOf(roc),
      valThreshold,
      val: rates.tar,
      far: rates.far,
    })
  }
  const pooled = rocCurve(sortPairs(distances, issame))
  const val = meanStd(results.map((r) => r.val))
  return {
    folds: results,
    accuracy: meanStd(results.map((r) => r.accuracy)),
    auc: meanStd(results.map((r) => r.auc)),
    eer: meanStd(results.map((r) => r.eer)),
    pooledAuc: aucOf(pooled),
    pooledEer: eerOf(pooled),
    val: { ...val, far: meanStd(results.map((r) => r.far)).mean, farTarget },
  }
}

/** [N] whether each pair is classified right by its fold's chosen threshold (for breakdowns by yaw). */
export const correctPairs = (input: VerificationInput, result: VerificationResult): Uint8Array => {
  const out = new Uint8Array(input.distances.length)
  for (let i = 0; i < out.length; i++) {
    const t = result.folds[input.folds[i]].threshold
    out[i] = (input.distances[i] < t) === Boolean(input.issame[i]) ? 1 : 0
  }
  return out
}
