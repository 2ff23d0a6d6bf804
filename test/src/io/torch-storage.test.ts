import t from 'tap'
import { halfToFloat, materialise, TorchStorage, TorchTensor } from '../../../src/io/torch-storage'
import { thrown } from './fixtures'

const storage = (dtype: TorchStorage['dtype'], bytes: Uint8Array, littleEndian = true): TorchStorage => ({
  _tag: 'torch.storage', key: '0', dtype, numel: 0, bytes, littleEndian,
})
const view = (s: TorchStorage, offset: number, shape: number[], stride: number[]): TorchTensor => ({
  _tag: 'torch.Tensor', storage: s, offset, shape, stride,
})
const f32 = (...xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer)

t.test('converts half floats, including the special values', async (t) => {
  t.strictSame([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00].map(halfToFloat), [1, -2, 65504, 2 ** -24, -0, Infinity, -Infinity])
  t.ok(Number.isNaN(halfToFloat(0x7e00)))
})

t.test('gathers strided views in row-major order', async (t) => {
  const s = storage('float32', f32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11))
  t.same(materialise(view(s, 0, [4, 3], [1, 4]), 'transposed', 'f'), Float32Array.of(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11))
  t.same(materialise(view(s, 1, [2, 2], [6, 2]), 'offset', 'f'), Float32Array.of(1, 3, 7, 9))
  t.same(materialise(view(s, 5, [], []), 'scalar', 'f'), Float32Array.of(5))
  t.same(materialise(view(s, 2, [3, 1], [3, 99]), 'size-1 stride ignored', 'f'), Float32Array.of(2, 5, 8))
})

t.test('reads other dtypes and byte orders', async (t) => {
  const be = new Uint8Array(8)
  new DataView(be.buffer).setFloat32(0, 1.5, false)
  new DataView(be.buffer).setFloat32(4, -3, false)
  t.same(materialise(view(storage('float32', be, false), 0, [2], [1]), 'big endian', 'f'), Float32Array.of(1.5, -3))
  const i64 = new Uint8Array(new BigInt64Array([5n, -7n]).buffer)
  t.same(materialise(view(storage('int64', i64), 0, [2], [1]), 'long', 'f'), Float32Array.of(5, -7))
  const bf = new Uint8Array(new Uint16Array([0x3fc0, 0xc040]).buffer) // 1.5, -3 as bfloat16
  t.same(materialise(view(storage('bfloat16', bf), 0, [2], [1]), 'bf16', 'f'), Float32Array.of(1.5, -3))
})

t.test('refuses views that reach past their storage', async (t) => {
  const s = storage('float32', f32(0, 1, 2, 3))
  t.same(thrown(() => materialise(view(s, 1, [2, 2], [2, 1]), 'layer.weight', 'model.pt')), {
    name: 'PamError',
    message: 'model.pt: layer.weight: view reaches element 4 of storage 0, which holds 4',
  })
})
