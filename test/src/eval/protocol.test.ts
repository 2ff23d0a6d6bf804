import t from 'tap'
import { contiguousFolds } from '../../../src/eval/folds'
import { correctPairs, evaluateVerification, meanStd } from '../../../src/eval/protocol'

/** 10 folds of one same pair and one different pair each, fold f = pairs 2f, 2f+1. */
const tenFolds = (same: (f: number) => number, diff: (f: number) => number) => {
  const distances: number[] = []
  const issame: boolean[] = []
  for (let f = 0; f < 10; f++) {
    distances.push(same(f), diff(f))
    issame.push(true, false)
  }
  return { distances, issame, folds: contiguousFolds(20) }
}

t.test('perfectly separable pairs: 100% on every fold', async (t) => {
  const input = tenFolds(() => 0.5, () => 2.5)
  const r = evaluateVerification(input)
  t.same(r.accuracy, { mean: 1, std: 0 })
  // The first grid threshold above 0.5 that separates: 0.51 (0.5 < 0.5 is false).
  t.same(r.folds.map((f) => f.threshold), Array(10).fill(0.51))
  t.equal(r.pooledAuc, 1)
  t.equal(r.pooledEer, 0)
  t.same(r.auc, { mean: 1, std: 0 })
  t.same(r.eer, { mean: 0, std: 0 })
  // insightface's interpolation quirk on tiny sets: training FAR jumps from 0 at 2.500 to 1 at
  // 2.501, so FAR 1e-3 interpolates to 2.500001, which accepts the different pair at 2.5.
  t.same(r.val, { mean: 1, std: 0, far: 1, farTarget: 1e-3 })
  t.ok(Math.abs(r.folds[0].valThreshold - 2.500001) < 1e-12)
})

t.test('the training folds choose a threshold that misclassifies a known pair', async (t) => {
  // Same pairs at 0.4 except fold 3's at 1.2; different pairs at 1.6. Without fold 3 the nine
  // training folds separate at 0.41, which rejects fold 3's same pair; every other fold trains
  // with fold 3 inside and picks 1.21.
  const input = tenFolds((f) => (f === 3 ? 1.2 : 0.4), () => 1.6)
  const r = evaluateVerification(input)
  t.same(r.folds.map((f) => f.threshold), [1.21, 1.21, 1.21, 0.41, 1.21, 1.21, 1.21, 1.21, 1.21, 1.21].map((x) => Math.round(x * 100) * 0.01))
  t.same(r.folds.map((f) => f.accuracy), [1, 1, 1, 0.5, 1, 1, 1, 1, 1, 1])
  t.equal(r.accuracy.mean, 0.95)
  // numpy's population std: √((9 · 0.05² + 0.45²) / 10) = 0.15 (the sample std would be 0.158).
  t.ok(Math.abs(r.accuracy.std - 0.15) < 1e-15)
  t.same(Array.from(correctPairs(input, r)), [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
  // Pooled, every same pair (≤ 1.2) still ranks below every different pair (1.6).
  t.equal(r.pooledAuc, 1)
})

t.test('the best threshold is known exactly (and ties go to the smallest)', async (t) => {
  // One fold: trained and tested on the whole set. Accuracy 5/6 on (0.3, 1.0] and (1.1, 1.5].
  const r = evaluateVerification({
    distances: [0.2, 0.3, 1.1, 1.0, 1.5, 2.0],
    issame: [true, true, true, false, false, false],
    folds: [0, 0, 0, 0, 0, 0],
  })
  t.equal(r.folds[0].threshold, 0.31)
  t.equal(r.accuracy.mean, 5 / 6)
  t.equal(r.accuracy.std, 0)
  // Mann-Whitney: of the 9 (same, diff) orderings only (1.1, 1.0) is wrong.
  t.ok(Math.abs(r.pooledAuc - 8 / 9) < 1e-12)
})

t.test('VAL@FAR uses the training folds threshold on the test fold', async (t) => {
  // 10 folds of 100 different pairs at 1.0 + fold/100 + j/1000 and 100 same pairs at 0.2 + j/1000.
  const distances: number[] = []
  const issame: boolean[] = []
  const folds: number[] = []
  for (let f = 0; f < 10; f++) {
    for (let j = 0; j < 100; j++) {
      distances.push(0.2 + j / 1000, 1 + f / 100 + j / 1000)
      issame.push(true, false)
      folds.push(f, f)
    }
  }
  const r = evaluateVerification({ distances, issame, folds })
  t.same(r.val.mean, 1)
  // Every fold's FAR 1e-3 threshold lies below its training folds' smallest different
  // distance (1.0, or 1.01 for fold 0) by less than one grid step (FAR 1/900 at the next point).
  for (const f of r.folds) {
    const lowest = f.fold === 0 ? 1.01 : 1.0
    t.ok(f.valThreshold > lowest && f.valThreshold < lowest + 0.002, `fold ${f.fold}: ${f.valThreshold}`)
  }
  t.ok(r.val.far < 0.02)
})

t.test('meanStd is the population std', async (t) => {
  t.same(meanStd([1, 3]), { mean: 2, std: 1 })
})

t.test('bad inputs name the pair at fault', async (t) => {
  const ok = { distances: [0.1, 0.2], issame: [true, false], folds: [0, 0] }
  t.throws(() => evaluateVerification({ ...ok, issame: [true] }), {
    name: 'PamError',
    message: 'verification: 2 distances but 1 issame labels',
  })
  t.throws(() => evaluateVerification({ ...ok, folds: [0] }), { message: 'verification: 2 distances but 1 fold indices' })
  t.throws(() => evaluateVerification({ ...ok, distances: [0.1, NaN] }), {
    message: 'verification: pair 1: distance NaN is not finite',
  })
  t.throws(() => evaluateVerification({ ...ok, folds: [0, 2] }), { message: 'verification: fold 1 has no pairs (folds are 0..2)' })
  t.throws(() => evaluateVerification({ distances: [], issame: [], folds: [] }), { message: 'verification: no pairs' })
})
