/**
 * `Conv2DBackpropInput` for wasm: dy [n,oh,ow,outC], filter [kh,kw,inC,outC] → dx [n,h,w,inC].
 *
 * The backend ships this kernel as plain C++ loops, ~10× slower than the forward convolution
 * (1.1 s against 0.11 s at dy [16,56,56,64], 3×3): on a training step that is most of the time.
 * dx is the stride-1 convolution of dy (zero-inserted when the forward stride > 1) with the
 * filter flipped in space and with in/out channels swapped, which XNNPACK runs at forward speed.
 * Equal strides s > 1 (dilation 1) take the phase decomposition of phases.ts instead, which
 * does not convolve the s²−1 zeros of every s² upsampled positions; other strided cases
 * (unequal strides, or stride with dilation, which tfjs' gradients never produce) upsample.
 */
import { Conv2DBackpropInput, type KernelConfig } from '@tensorflow/tfjs-core'
import { inputGradientKernel, type InputGradient } from './kernel-config'
import { convGeometry } from './geometry'
import { inKernelScope } from './kernel-scope'
import { phaseInputGrad } from './phases'
import { cropTo, inputGradPlan, zeroInsert } from './upsample'

export const conv2dBackpropInput: InputGradient = (backend, dy, filter, inputShape, attrs) => {
  const g = convGeometry(Conv2DBackpropInput, inputShape, filter.shape, dy.shape, attrs, false)
  const plan = inputGradPlan(g)
  return inKernelScope(backend, (ops) => {
    const [kh, kw] = filter.shape
    if (g.strideH === g.strideW && g.strideH > 1 && g.dilationH === 1 && g.dilationW === 1)
      return phaseInputGrad(backend, ops, dy, ops.transpose(filter, [0, 1, 3, 2]), g)
    // [kh,kw,inC,outC] → flipped in space, [kh,kw,outC,inC].
    const flipped = ops.transpose(ops.reverseBlocks(filter, kh * kw), [0, 1, 3, 2])
    const y = ops.run(
      'Conv2D',
      { x: zeroInsert(ops, dy, g.strideH, g.strideW), filter: flipped },
      { strides: [1, 1], dilations: [g.dilationH, g.dilationW], pad: plan.pad, dataFormat: 'NHWC' },
    )
    return cropTo(ops, y, plan.crop.top, plan.crop.left, g.inH, g.inW)
  })
}

export const conv2dBackpropInputConfig: KernelConfig = inputGradientKernel(Conv2DBackpropInput, conv2dBackpropInput)
