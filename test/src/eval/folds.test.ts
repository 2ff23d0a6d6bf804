import t from 'tap'
import { contiguousFolds, countFolds, foldsFromIds } from '../../../src/eval/folds'

t.test('contiguousFolds: sklearn KFold(shuffle=False) block sizes', async (t) => {
  t.same(Array.from(contiguousFolds(6000)).filter((f) => f === 3).length, 600)
  // 23 pairs in 10 folds: the first 3 folds hold 3 pairs, the rest 2 (sklearn's rule).
  t.same(Array.from(contiguousFolds(23)), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9])
  t.same(Array.from(contiguousFolds(5, 1)), [0, 0, 0, 0, 0])
  t.throws(() => contiguousFolds(9, 10), { name: 'PamError', message: 'folds: 9 pairs cannot make 10 folds' })
  t.throws(() => contiguousFolds(9, 0), { message: 'folds: the number of folds must be a positive integer, got 0' })
})

t.test('foldsFromIds numbers ids in sorted order', async (t) => {
  const { folds, ids } = foldsFromIds([10, 2, 2, 10, 5])
  t.same(Array.from(folds), [2, 0, 0, 2, 1])
  t.same(ids, [2, 5, 10])
})

t.test('countFolds checks indices and empty folds', async (t) => {
  t.equal(countFolds([0, 1, 2, 1], 'x'), 3)
  t.throws(() => countFolds([0, 2], 'x'), { message: 'x: fold 1 has no pairs (folds are 0..2)' })
  t.throws(() => countFolds([0, -1], 'x'), { message: 'x: pair 1: fold -1 is not an index >= 0' })
  t.throws(() => countFolds([0, 0.5], 'x'), { message: 'x: pair 1: fold 0.5 is not an index >= 0' })
})
