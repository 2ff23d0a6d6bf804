import t from 'tap'
import {
  fuseFlipped,
  interleavedPairDistances,
  l2NormalizeRows,
  pairDistances,
} from '../../../src/eval/embedding'

t.test('l2NormalizeRows: unit rows, zero rows stay zero', async (t) => {
  t.same(Array.from(l2NormalizeRows(new Float32Array([3, 4, 0, 0]), 2)).map((v) => +v.toFixed(12)), [0.6, 0.8, 0, 0])
  t.throws(() => l2NormalizeRows([1, 2, 3], 2), {
    name: 'PamError',
    message: 'l2NormalizeRows: 3 values is not a whole number of 2-d embeddings',
  })
})

t.test('fuseFlipped sums image and flip before normalising', async (t) => {
  // (1,0) + (0,1) = (1,1) → (1/√2, 1/√2): normalising each first would give the same here,
  // so also a case where the norms differ: (3,0) + (0,1) = (3,1) → (3,1)/√10.
  const fused = fuseFlipped(new Float32Array([1, 0, 3, 0]), new Float32Array([0, 1, 0, 1]), 2)
  t.same(Array.from(fused).map((v) => +v.toFixed(12)), [0.707106781187, 0.707106781187, 0.948683298051, 0.316227766017])
  t.throws(() => fuseFlipped([1, 0], [1], 2), { message: 'fuseFlipped: 2 embedding values but 1 flipped values' })
})

t.test('squared L2 distances of unit vectors lie in [0, 4]', async (t) => {
  const e = new Float64Array([1, 0, -1, 0, 0, 1, 1, 0])
  t.same(Array.from(interleavedPairDistances(e, 2)), [4, 2])
  t.same(Array.from(pairDistances(e, 2, [[0, 3], [1, 2]])), [0, 2])
  t.throws(() => interleavedPairDistances([1, 0, 1, 0, 1, 0], 2), {
    message: 'interleavedPairDistances: 3 embeddings is an odd number; pairs need two each',
  })
  t.throws(() => pairDistances(e, 2, [[0, 4]]), { message: 'pairDistances: pair 0 refers to rows 0,4 but there are 4 embeddings' })
})
