/**
 * Convolution geometry for the gradient kernels: checks a kernel's attributes the way tfjs
 * would, resolves padding ('same', 'valid', a number, explicit pairs) to the four pad amounts,
 * and derives the paddings of the convolutions the gradients are rewritten into. Pure numbers,
 * no tensors.
 */
import { backend_util } from '@tensorflow/tfjs-core'
import { PamError } from '../../util/errors'

export type Pad = 'same' | 'valid' | number | readonly (readonly number[])[]

/** The attributes the four convolution gradient kernels share (tfjs names). */
export interface ConvGradAttrs {
  readonly strides?: number | readonly number[]
  /** Absent on Conv2DBackprop*: tfjs' conv2d gradient rejects dilation > 1; honoured when given. */
  readonly dilations?: number | readonly number[]
  readonly pad?: Pad
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil'
  readonly dataFormat?: string
}

/** One NHWC convolution, resolved: x [n,inH,inW,inC] ⊛ filter [kH,kW,inC,·] → y [n,outH,outW,outC]. */
export interface ConvGeometry {
  readonly n: number
  readonly inH: number
  readonly inW: number
  readonly inC: number
  readonly outH: number
  readonly outW: number
  readonly outC: number
  readonly kH: number
  readonly kW: number
  readonly strideH: number
  readonly strideW: number
  readonly dilationH: number
  readonly dilationW: number
  readonly top: number
  readonly left: number
}

const fail = (kernel: string, what: string): never => {
  throw new PamError(`${kernel} (wasm): ${what}`)
}

const pair = (kernel: string, name: string, v: number | readonly number[] | undefined): [number, number] => {
  const p = v === undefined ? [1, 1] : typeof v === 'number' ? [v, v] : [...v]
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= 1)) fail(kernel, `${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`)
  return [p[0], p[1]]
}

const checkPad = (kernel: string, pad: Pad | undefined): Pad => {
  if (pad === 'same' || pad === 'valid') return pad
  if (typeof pad === 'number') {
    if (!Number.isInteger(pad) || pad < 0) fail(kernel, `pad must be a non-negative integer, got ${pad}`)
    return pad
  }
  const rows = Array.isArray(pad) ? (pad as unknown[]) : []
  const isPair = (p: unknown): p is readonly [number, number] =>
    Array.isArray(p) && p.length === 2 && p.every((x) => Number.isInteger(x) && x >= 0)
  const zero = (p: unknown): boolean => isPair(p) && p[0] === 0 && p[1] === 0
  const ok = rows.length === 4 && rows.every(isPair) && zero(rows[0]) && zero(rows[3])
  if (!ok) fail(kernel, `pad must be 'same', 'valid', a number or [[0,0],[top,bottom],[left,right],[0,0]], got ${JSON.stringify(pad)}`)
  return pad as Pad
}

const rank4 = (kernel: string, name: string, shape: readonly number[]): void => {
  if (shape.length !== 4) fail(kernel, `${name} must be rank 4, got shape [${shape.join(',')}]`)
}

/**
 * Checks `attrs` and resolves the forward convolution of `xShape` with `filterShape`; `dyShape`
 * must be its output shape. `depthwise`: filter [kH,kW,inC,multiplier], outC = inC·multiplier.
 */
export const convGeometry = (
  kernel: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  attrs: ConvGradAttrs,
  depthwise: boolean,
): ConvGeometry => {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') fail(kernel, `dataFormat '${attrs.dataFormat}' is not supported, only 'NHWC'`)
  rank4(kernel, 'x', xShape)
  rank4(kernel, 'filter', filterShape)
  rank4(kernel, 'dy', dyShape)
  const strides = pair(kernel, 'strides', attrs.strides)
  const dilations = pair(kernel, 'dilations', attrs.dilations)
  const pad = checkPad(kernel, attrs.pad)
  if (filterShape[2] !== xShape[3]) fail(kernel, `filter in-channels ${filterShape[2]} differ from the input's ${xShape[3]} channels`)
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad as never,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  )
  if (info.outShape.some((d, i) => d !== dyShape[i]))
    fail(kernel, `dy has shape [${dyShape.join(',')}] but the convolution produces [${info.outShape.join(',')}]`)
  return {
    n: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  }
}

/**
 * Filter gradient as a convolution over the batch: the padded input, read with stride =
 * dilation and dilation = stride, correlated with dy as the filter, yields each filter tap. This
 * gives the pads that make the padded input exactly long enough, and how many taps come out
 * (more than k when the forward pass left rows unread; the extra ones are cropped).
 */
export const filterGradPads = (inLen: number, outLen: number, k: number, stride: number, dilation: number, before: number) => {
  const needed = (k - 1) * dilation + (outLen - 1) * stride + 1
  const after = Math.max(0, needed - before - inLen)
  const taps = Math.floor((before + inLen + after - ((outLen - 1) * stride + 1)) / dilation) + 1
  return { before, after, taps }
}

/**
 * Input gradient as a stride-1 convolution of dy (upsampled to `upLen` by zero insertion when
 * the forward stride > 1) with the flipped filter. Negative pads become crops of the result:
 * `cropStart` rows are dropped before the `inLen` kept ones.
 */
export const inputGradPads = (inLen: number, upLen: number, k: number, dilation: number, forwardBefore: number) => {
  const before = (k - 1) * dilation - forwardBefore
  const after = inLen + (k - 1) * dilation - upLen - before
  return { before: Math.max(0, before), after: Math.max(0, after), cropStart: Math.max(0, -before) }
}
