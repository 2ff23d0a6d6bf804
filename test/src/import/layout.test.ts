import t from 'tap'
import { fromTorch, toTorch, torchShape, transpose, type Layout, type Tensor } from '../../../src/import/layout'

const ramp = (shape: number[]): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i) })

/** Row-major offset of an index. */
const at = (shape: readonly number[], index: number[]): number => index.reduce((o, x, d) => o * shape[d] + x, 0)

t.test('transpose is numpy.transpose', async (t) => {
  const x = ramp([2, 3, 4])
  const y = transpose(x, [2, 0, 1])
  t.strictSame(y.shape, [4, 2, 3])
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 3; b++)
      for (let c = 0; c < 4; c++) t.equal(y.data[at(y.shape, [c, a, b])], x.data[at(x.shape, [a, b, c])])
})

t.test('conv: OIHW → HWIO, element by element', async (t) => {
  const w = ramp([5, 3, 2, 4]) // [O, I, kh, kw]
  const ours = [2, 4, 3, 5]
  t.strictSame(torchShape({ kind: 'conv' }, ours), w.shape)
  const k = fromTorch({ kind: 'conv' }, w, ours)
  t.strictSame(k.shape, ours)
  for (let o = 0; o < 5; o++)
    for (let i = 0; i < 3; i++)
      for (let h = 0; h < 2; h++)
        for (let v = 0; v < 4; v++) if (k.data[at(ours, [h, v, i, o])] !== w.data[at(w.shape, [o, i, h, v])]) t.fail(`[${o},${i},${h},${v}]`)
})

t.test('depthwise: [C·m, 1, kh, kw] → [kh, kw, C, m], torch channel c·m + j', async (t) => {
  const C = 3
  const m = 2
  const w = ramp([C * m, 1, 3, 3])
  const ours = [3, 3, C, m]
  t.strictSame(torchShape({ kind: 'depthwise' }, ours), w.shape)
  const k = fromTorch({ kind: 'depthwise' }, w, ours)
  for (let c = 0; c < C; c++)
    for (let j = 0; j < m; j++)
      for (let h = 0; h < 3; h++)
        for (let v = 0; v < 3; v++) if (k.data[at(ours, [h, v, c, j])] !== w.data[at(w.shape, [c * m + j, 0, h, v])]) t.fail(`[${c},${j},${h},${v}]`)
  t.pass('all elements where they belong')
})

t.test('dense after flatten: input features C×H×W → H×W×C', async (t) => {
  const C = 3
  const H = 2
  const W = 2
  const out = 4
  const w = ramp([out, C * H * W]) // torch: feature c·HW + (h·W + w)
  const layout: Layout = { kind: 'dense', flatten: { channels: C, positions: H * W } }
  const ours = [H * W * C, out]
  t.strictSame(torchShape(layout, ours), w.shape)
  const k = fromTorch(layout, w, ours)
  for (let o = 0; o < out; o++)
    for (let c = 0; c < C; c++)
      for (let p = 0; p < H * W; p++) if (k.data[at(ours, [p * C + c, o])] !== w.data[at(w.shape, [o, c * H * W + p])]) t.fail(`${o} ${c} ${p}`)
  t.pass('all elements where they belong')
  const plain = fromTorch({ kind: 'dense' }, w, ours)
  t.not(plain.data.join(), k.data.join(), 'the reorder is not a plain transpose')
})

t.test('every layout round-trips exactly', async (t) => {
  const cases: [Layout, number[]][] = [
    [{ kind: 'conv' }, [3, 3, 4, 6]],
    [{ kind: 'conv' }, [1, 1, 4, 6]],
    [{ kind: 'depthwise' }, [3, 3, 5, 1]],
    [{ kind: 'depthwise' }, [3, 3, 5, 2]],
    [{ kind: 'dense' }, [7, 5]],
    [{ kind: 'dense', flatten: { channels: 4, positions: 9 } }, [36, 5]],
    [{ kind: 'vector' }, [8]],
  ]
  for (const [layout, ours] of cases) {
    const x = ramp(ours)
    const torch = toTorch(layout, x)
    t.strictSame(torch.shape, torchShape(layout, ours), `${layout.kind} shape`)
    const back = fromTorch(layout, torch, ours)
    t.strictSame(back.shape, ours)
    t.same(back.data, x.data, `${layout.kind} [${ours}] back`)
  }
})
