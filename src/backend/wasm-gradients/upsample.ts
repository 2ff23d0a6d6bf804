/**
 * Shared steps of the two input-gradient kernels, which both run dy through a stride-1
 * convolution with the spatially flipped filter.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core'
import { inputGradPads } from './geometry'
import type { ConvGeometry } from './geometry'
import type { KernelOps } from './kernel-scope'

/**
 * dy [n,oh,ow,c] → [n,oh·sh,ow·sw,c] with sh−1 zero rows after each row (and columns likewise),
 * so that a stride-1 convolution sees dy where the strided forward pass wrote it. One PadV2 on a
 * rank-6 view does it in a single native pass.
 */
export const zeroInsert = (ops: KernelOps, dy: TensorInfo, sh: number, sw: number): TensorInfo => {
  if (sh === 1 && sw === 1) return dy
  const [n, oh, ow, c] = dy.shape
  const spread = ops.run(
    'PadV2',
    { x: ops.reshape(dy, [n, oh, 1, ow, 1, c]) },
    { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 },
  )
  return ops.reshape(spread, [n, oh * sh, ow * sw, c])
}

/** The explicit pads of the stride-1 convolution and the crop that follows it (usually none). */
export const inputGradPlan = (g: ConvGeometry) => {
  const rows = inputGradPads(g.inH, g.outH * g.strideH, g.kH, g.dilationH, g.top)
  const cols = inputGradPads(g.inW, g.outW * g.strideW, g.kW, g.dilationW, g.left)
  return {
    pad: [[0, 0], [rows.before, rows.after], [cols.before, cols.after], [0, 0]],
    crop: { top: rows.cropStart, left: cols.cropStart },
  }
}

/**
 * Keeps rows [top, top+h) and columns [left, left+w) of y [n,H,W,c] when y is larger than that
 * (explicit pads beyond the filter's reach); a no-op otherwise.
 */
export const cropTo = (ops: KernelOps, y: TensorInfo, top: number, left: number, h: number, w: number): TensorInfo => {
  const [n, yh, yw, c] = y.shape
  if (top === 0 && left === 0 && yh === h && yw === w) return y
  return ops.run('Slice', { x: y }, { begin: [0, top, left, 0], size: [n, h, w, c] })
}
