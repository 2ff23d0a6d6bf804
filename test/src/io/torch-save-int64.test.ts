import t from 'tap'
import { parseTorchCheckpoint } from '../../../src/io/torch-checkpoint'
import { encodeTorchSave } from '../../../src/io/torch-save'
import { thrown } from './fixtures'

t.test('int64 tensors (num_batches_tracked) are written as torch.LongStorage', async (t) => {
  const bytes = encodeTorchSave([
    ['bn.running_var', { shape: [2], data: Float32Array.of(1, 2) }],
    ['bn.num_batches_tracked', { shape: [], data: Float32Array.of(0), writeAs: 'int64' }],
    ['big', { shape: [3], data: Float32Array.of(-5, 2 ** 24, 7), writeAs: 'int64' }],
  ])
  const pickle = Buffer.from(bytes).toString('latin1')
  t.ok(pickle.includes('ctorch\nLongStorage\n'), 'names torch.LongStorage')
  const c = parseTorchCheckpoint(bytes, 'ours.pt')
  t.strictSame(c.tensors.map((x) => [x.name, x.dtype, [...x.shape], Array.from(x.data)]), [
    ['bn.running_var', 'float32', [2], [1, 2]],
    ['bn.num_batches_tracked', 'int64', [], [0]],
    ['big', 'int64', [3], [-5, 2 ** 24, 7]],
  ])
})

t.test('int64 refuses non-integers', async (t) => {
  t.same(thrown(() => encodeTorchSave([['n', { shape: [1], data: Float32Array.of(0.5), writeAs: 'int64' }]])), {
    name: 'PamError',
    message: '<memory>: n: int64 tensor holds the non-integer 0.5',
  })
})
