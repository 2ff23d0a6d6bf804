/**
 * Constructors of the primitive blocks, with PyTorch's defaults where the field has one.
 * Only output sizes are declared; input channels come from shape inference.
 */
import type {
  BatchNorm,
  Conv2d,
  Dense,
  DepthwiseConv2d,
  Dropout,
  Flatten,
  GlobalPool,
  Identity,
  Normalize,
  Padding,
  PRelu,
  Relu,
  Sigmoid,
  Subsample,
} from './block'

export interface ConvOptions {
  readonly stride?: number
  /** Default: PyTorch's usual `padding = dilation · (kernel − 1) / 2`, symmetric. */
  readonly padding?: Padding
  readonly dilation?: number
  readonly bias?: boolean
}

const defaultPadding = (kernel: number, dilation: number): number => Math.floor((dilation * (kernel - 1)) / 2)

/** `[N,H,W,C] → [N,H/s,W/s,filters]`; no bias unless asked (every conv of the IR nets is bias-free). */
export const conv2d = (filters: number, kernel: number, o: ConvOptions = {}): Conv2d => ({
  _tag: 'Conv2d',
  filters,
  kernel,
  stride: o.stride ?? 1,
  padding: o.padding ?? defaultPadding(kernel, o.dilation ?? 1),
  dilation: o.dilation ?? 1,
  bias: o.bias ?? false,
})

/** `[N,H,W,C] → [N,H/s,W/s,C·multiplier]`. */
export const depthwiseConv2d = (kernel: number, o: ConvOptions & { readonly multiplier?: number } = {}): DepthwiseConv2d => ({
  _tag: 'DepthwiseConv2d',
  kernel,
  stride: o.stride ?? 1,
  padding: o.padding ?? defaultPadding(kernel, o.dilation ?? 1),
  dilation: o.dilation ?? 1,
  multiplier: o.multiplier ?? 1,
  bias: o.bias ?? false,
})

/** PyTorch defaults: eps 1e-5, momentum 0.1, learned scale and shift. */
export const batchNorm = (o: Partial<Omit<BatchNorm, '_tag'>> = {}): BatchNorm => ({
  _tag: 'BatchNorm',
  epsilon: o.epsilon ?? 1e-5,
  momentum: o.momentum ?? 0.1,
  scale: o.scale ?? 'learned',
})

/** One slope per channel, initialised to PyTorch's 0.25. */
export const prelu = (init = 0.25): PRelu => ({ _tag: 'PRelu', init })

export const relu: Relu = { _tag: 'Relu' }
export const sigmoid: Sigmoid = { _tag: 'Sigmoid' }
export const identity: Identity = { _tag: 'Identity' }
export const flatten: Flatten = { _tag: 'Flatten' }

/** `[N,F] → [N,units]`, with bias by default as `nn.Linear`. */
export const dense = (units: number, o: { readonly bias?: boolean } = {}): Dense => ({
  _tag: 'Dense',
  units,
  bias: o.bias ?? true,
})

/** Training-time dropout; PyTorch's default rate 0.5. */
export const dropout = (rate = 0.5): Dropout => ({ _tag: 'Dropout', rate })

export const globalAvgPool: GlobalPool = { _tag: 'GlobalPool', mode: 'avg' }
export const globalMaxPool: GlobalPool = { _tag: 'GlobalPool', mode: 'max' }

/** The parameter-free strided shortcut, `MaxPool2d(1, stride)`. */
export const subsample = (stride: number): Subsample => ({ _tag: 'Subsample', stride })

/** `(x − offset) / divisor`. */
export const normalize = (offset: number, divisor: number): Normalize => ({ _tag: 'Normalize', offset, divisor })
