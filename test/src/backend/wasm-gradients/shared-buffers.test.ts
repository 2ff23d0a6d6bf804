import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import { registerWasmGradientKernels, SHARING_WASM_KERNELS } from '../../../../src/backend/wasm-gradients'
import { useBackend } from '../../../helpers/wasm'

const heapOffset = (x: tf.Tensor): number => (tf.backend() as unknown as { getMemoryOffset(id: object): number }).getMemoryOffset(x.dataId)

t.before(async () => {
  await useBackend('wasm')
  registerWasmGradientKernels()
})

t.test('Identity and same-dtype Cast share the buffer; either may be disposed first', async (t) => {
  t.same(SHARING_WASM_KERNELS.map((k) => k.kernelName), ['Identity', 'Cast'])
  const x = tf.tensor1d([1, 2, 3])
  const before = (tf.backend() as unknown as { numDataIds(): number }).numDataIds()
  const c = tf.clone(x)
  const f = tf.cast(x, 'float32')
  t.equal(heapOffset(c), heapOffset(x), 'clone: same heap memory')
  t.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), before, 'no new buffer')
  x.dispose()
  t.same(Array.from(c.dataSync()), [1, 2, 3], 'the clone outlives the original')
  c.dispose()
  t.same(Array.from(f.dataSync()), [1, 2, 3])
  f.dispose()
  t.equal((tf.backend() as unknown as { numDataIds(): number }).numDataIds(), before - 1, 'the buffer is freed with its last tensor')
})

t.test('a Cast that changes dtype still converts, into a buffer of its own', async (t) => {
  const x = tf.tensor1d([1.7, -2.2, 0])
  const i = tf.cast(x, 'int32')
  t.equal(i.dtype, 'int32')
  t.same(Array.from(i.dataSync()), [1, -2, 0])
  t.not(heapOffset(i), heapOffset(x))
  tf.dispose([x, i])
})

t.test('string tensors keep the stock kernel', async (t) => {
  const s = tf.tensor1d(['a', 'bc'], 'string')
  const c = tf.clone(s)
  s.dispose()
  t.same(await c.array(), ['a', 'bc'])
  c.dispose()
})
