/**
 * `DepthwiseConv2dNativeBackpropInput` for wasm:
 * dy [n,oh,ow,c·m], filter [kh,kw,c,m] → dx [n,h,w,c].
 *
 * Each output channel c·m+j of the forward pass reads input channel c only, so dx is a
 * depthwise (multiplier 1) stride-1 convolution of dy, zero-inserted when the forward stride
 * > 1, with the flipped filter viewed as [kh,kw,c·m,1], followed by a sum over the m channels
 * that came from the same input channel (a native innermost-axis Sum, skipped when m = 1).
 */
import { DepthwiseConv2dNativeBackpropInput, type KernelConfig } from '@tensorflow/tfjs-core'
import { inputGradientKernel, type InputGradient } from './kernel-config'
import { convGeometry } from './geometry'
import { inKernelScope } from './kernel-scope'
import { cropTo, inputGradPlan, zeroInsert } from './upsample'

export const depthwiseBackpropInput: InputGradient = (backend, dy, filter, inputShape, attrs) => {
  const g = convGeometry(DepthwiseConv2dNativeBackpropInput, inputShape, filter.shape, dy.shape, attrs, true)
  const [kh, kw, c, m] = filter.shape
  const plan = inputGradPlan(g)
  return inKernelScope(backend, (ops) => {
    const flipped = ops.reshape(ops.reverseBlocks(filter, kh * kw), [kh, kw, c * m, 1])
    const y = ops.run(
      'DepthwiseConv2dNative',
      { x: zeroInsert(ops, dy, g.strideH, g.strideW), filter: flipped },
      { strides: [1, 1], dilations: [g.dilationH, g.dilationW], pad: plan.pad },
    )
    const cropped = cropTo(ops, y, plan.crop.top, plan.crop.left, g.inH, g.inW)
    if (m === 1) return cropped
    const [n, h, w] = cropped.shape
    return ops.run('Sum', { x: ops.reshape(cropped, [n, h, w, c, m]) }, { axis: [4], keepDims: false })
  })
}

export const depthwiseBackpropInputConfig: KernelConfig = inputGradientKernel(DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput)
