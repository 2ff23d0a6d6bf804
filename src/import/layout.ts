/**
 * Tensor layouts of PyTorch and of our compiled graphs, and the exact permutations between them.
 * Every conversion only moves elements, so an import followed by an export gives the checkpoint's
 * values back bit for bit.
 *
 *   conv       torch `[O, I, kh, kw]`             ours HWIO `[kh, kw, I, O]`
 *   depthwise  torch `[C·m, 1, kh, kw]` (groups C) ours `[kh, kw, C, m]`; torch channel = c·m + j
 *   dense      torch `[out, in]`                   ours `[in, out]`; after a Flatten of `[H, W, C]`
 *              the input features are reordered: torch flattens C×H×W (feature c·HW + p), ours
 *              H×W×C (feature p·C + c), p = h·W + w in both
 *   vector     BN statistics and scales, biases, PReLU slopes: the same `[C]`
 */

export type Layout =
  | { readonly kind: 'conv' }
  | { readonly kind: 'depthwise' }
  | { readonly kind: 'dense'; readonly flatten?: { readonly channels: number; readonly positions: number } }
  | { readonly kind: 'vector' }

export interface Tensor {
  readonly shape: readonly number[]
  /** Row-major. */
  readonly data: Float32Array
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1)

/** numpy's `transpose(x, perm)`: output axis i is input axis `perm[i]`, row-major copy. */
export const transpose = (x: Tensor, perm: readonly number[]): Tensor => {
  const rank = x.shape.length
  if (perm.length !== rank) throw new Error(`transpose: ${perm.length} axes for a rank-${rank} tensor`)
  const inStrides = new Array<number>(rank)
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    inStrides[d] = s
    s *= x.shape[d]
  }
  const shape = perm.map((p) => x.shape[p])
  const strides = perm.map((p) => inStrides[p])
  const out = new Float32Array(x.data.length)
  const index = new Array<number>(rank).fill(0)
  let at = 0
  for (let i = 0; i < out.length; i++) {
    out[i] = x.data[at]
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++
      at += strides[d]
      if (index[d] < shape[d]) break
      at -= strides[d] * shape[d]
      index[d] = 0
    }
  }
  return { shape, data: out }
}

const reshape = (x: Tensor, shape: readonly number[]): Tensor => {
  if (product(shape) !== x.data.length) throw new Error(`reshape: [${x.shape}] to [${shape}]`)
  return { shape, data: x.data }
}

/** The torch shape of a weight whose shape in our graph is `ours`. */
export const torchShape = (layout: Layout, ours: readonly number[]): readonly number[] => {
  switch (layout.kind) {
    case 'conv':
      return [ours[3], ours[2], ours[0], ours[1]]
    case 'depthwise':
      return [ours[2] * ours[3], 1, ours[0], ours[1]]
    case 'dense':
      return [ours[1], ours[0]]
    case 'vector':
      return ours
  }
}

/** A torch tensor (already checked to have `torchShape(layout, ours)`) in our layout `ours`. */
export const fromTorch = (layout: Layout, t: Tensor, ours: readonly number[]): Tensor => {
  switch (layout.kind) {
    case 'conv':
      return transpose(t, [2, 3, 1, 0])
    case 'depthwise':
      return transpose(reshape(t, [ours[2], ours[3], ours[0], ours[1]]), [2, 3, 0, 1])
    case 'dense': {
      const [out, inp] = t.shape
      if (!layout.flatten) return transpose(t, [1, 0])
      const { channels: c, positions: p } = layout.flatten
      return reshape(transpose(reshape(t, [out, c, p]), [2, 1, 0]), [inp, out])
    }
    case 'vector':
      return { shape: ours, data: t.data }
  }
}

/** One of our weights (shape `ours`) in torch's layout. */
export const toTorch = (layout: Layout, x: Tensor): Tensor => {
  const s = x.shape
  switch (layout.kind) {
    case 'conv':
      return transpose(x, [3, 2, 0, 1])
    case 'depthwise':
      return reshape(transpose(x, [2, 3, 0, 1]), [s[2] * s[3], 1, s[0], s[1]])
    case 'dense': {
      const [inp, out] = s
      if (!layout.flatten) return transpose(x, [1, 0])
      const { channels: c, positions: p } = layout.flatten
      return reshape(transpose(reshape(x, [p, c, out]), [2, 1, 0]), [out, inp])
    }
    case 'vector':
      return x
  }
}
