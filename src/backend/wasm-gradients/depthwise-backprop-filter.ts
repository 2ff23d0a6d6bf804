/**
 * `DepthwiseConv2dNativeBackpropFilter` for wasm:
 * x [n,h,w,c], dy [n,oh,ow,c·m] → dW [kh,kw,c,m].
 *
 * dW[i,j,c,k] = Σ_{b,y,x} xpad[b, y·s + i·d, x·s + j·d, c] · dy[b,y,x,c·m+k]: per tap, a product
 * summed over every position. Rather than copying a shifted window of x per tap, dy (zero-
 * inserted when s > 1) is padded so that it lands on the tap's window of the padded x — PadV2
 * is one native pass — then one broadcasting Multiply and one AvgPool over all rows at once
 * (XNNPACK's multipass pooling, a single read) give the tap's sums up to the pool size.
 * Measured at x [16,56,56,64], 3×3, one thread: ~10 ms a tap, 90 ms in all; folding the batch
 * into the channels and running ONE depthwise convolution with dy as a 56×56 filter took 180 ms,
 * because XNNPACK has no depthwise microkernel for such a filter and falls back to a grouped
 * GEMM. Still ~7× its forward pass, but PAM has four such layers per step.
 */
import { DepthwiseConv2dNativeBackpropFilter, type KernelConfig, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core'
import { filterGradientKernel, type FilterGradient } from './kernel-config'
import { convGeometry } from './geometry'
import { inKernelScope } from './kernel-scope'
import { zeroInsert } from './upsample'

export const depthwiseBackpropFilter: FilterGradient = (backend, x, dy, filterShape, attrs) => {
  const g = convGeometry(DepthwiseConv2dNativeBackpropFilter, x.shape, filterShape, dy.shape, attrs, true)
  const [kh, kw, c, m] = filterShape
  const upH = g.outH * g.strideH
  const upW = g.outW * g.strideW
  // One extent that holds the padded input and every shifted dy.
  const rows = Math.max(g.top + g.inH, (kh - 1) * g.dilationH + upH)
  const cols = Math.max(g.left + g.inW, (kw - 1) * g.dilationW + upW)
  return inKernelScope(backend, (ops) => {
    const pad = (t: TensorInfo, top: number, h: number, left: number, w: number): TensorInfo =>
      ops.run('PadV2', { x: t }, { paddings: [[0, 0], [top, rows - top - h], [left, cols - left - w], [0, 0]], constantValue: 0 })
    const xPad = ops.reshape(pad(x, g.top, g.inH, g.left, g.inW), [g.n, rows, cols, c, 1])
    const dyUp = zeroInsert(ops, dy, g.strideH, g.strideW)
    const taps: TensorInfo[] = []
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++) {
        const shifted = ops.reshape(pad(dyUp, i * g.dilationH, upH, j * g.dilationW, upW), [g.n, rows, cols, c, m])
        const products = ops.reshape(ops.run('Multiply', { a: xPad, b: shifted }), [1, g.n * rows, cols, c * m])
        taps.push(ops.run('AvgPool', { x: products }, { filterSize: [g.n * rows, cols], strides: 1, pad: 'valid' }))
      }
    const means = ops.run('Concat', taps as unknown as NamedTensorInfoMap, { axis: 0 }) // [kh·kw, 1, 1, c·m]
    const count = ops.run('Fill', {}, { shape: [1], value: g.n * rows * cols, dtype: 'float32' })
    return ops.reshape(ops.run('Multiply', { a: means, b: count }), [kh, kw, c, m])
  })
}

export const depthwiseBackpropFilterConfig: KernelConfig = filterGradientKernel(DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter)
