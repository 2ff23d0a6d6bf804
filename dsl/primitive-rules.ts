/**
 * What each primitive does to a shape, which parameters it owns and what it costs: one table of
 * rules that the static audit and the compiled layers both read.
 */
import * as E from 'fp-ts/Either'
import type { Padding, Primitive } from './block'
import { formatShape, numElements, shapeError, type Shape, type ShapeError } from './shape'

// -------------------------------------------------------------------------------------------------
// parameters
// -------------------------------------------------------------------------------------------------

export type Initializer =
  | { readonly kind: 'heNormal' }
  | { readonly kind: 'glorotUniform' }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }

/** One weight a primitive owns; `name` is the last segment of its path (`…/res/1/kernel`). */
export interface ParamSpec {
  readonly name: string
  readonly shape: Shape
  /** PyTorch's convention: BN's gamma and beta train, its running statistics do not. */
  readonly trainable: boolean
  readonly init: Initializer
}

const convOut = (size: number, kernel: number, stride: number, padding: Padding, dilation: number): number => {
  const span = dilation * (kernel - 1) + 1
  if (padding === 'same') return Math.ceil(size / stride)
  const pad = padding === 'valid' ? 0 : padding
  return Math.floor((size + 2 * pad - span) / stride) + 1
}

const requireMap = (p: Primitive, input: Shape, path: string): E.Either<ShapeError, Shape> =>
  input.length === 3 ? E.right(input) : E.left(shapeError(path, `a [H,W,C] feature map for ${describe(p)}`, formatShape(input)))

const requireVector = (p: Primitive, input: Shape, path: string): E.Either<ShapeError, Shape> =>
  input.length === 1
    ? E.right(input)
    : E.left(shapeError(path, `a [features] vector for ${describe(p)} (insert flatten before it)`, formatShape(input)))

const spatial = (
  p: Primitive & { kernel: number; stride: number; padding: Padding; dilation: number },
  input: Shape,
  channels: number,
  path: string,
): E.Either<ShapeError, Shape> => {
  const [h, w] = input
  const oh = convOut(h, p.kernel, p.stride, p.padding, p.dilation)
  const ow = convOut(w, p.kernel, p.stride, p.padding, p.dilation)
  return oh >= 1 && ow >= 1
    ? E.right([oh, ow, channels])
    : E.left(shapeError(path, `an input of at least ${p.kernel}×${p.kernel} for ${describe(p)}`, formatShape(input)))
}

// -------------------------------------------------------------------------------------------------
// interpreters
// -------------------------------------------------------------------------------------------------

/** The output shape of a primitive, or why `input` does not fit it. */
export const primitiveOutput = (p: Primitive, input: Shape, path: string): E.Either<ShapeError, Shape> => {
  switch (p._tag) {
    case 'Conv2d':
      return E.chain((s: Shape) => spatial(p, s, p.filters, path))(requireMap(p, input, path))
    case 'DepthwiseConv2d':
      return E.chain((s: Shape) => spatial(p, s, s[2] * p.multiplier, path))(requireMap(p, input, path))
    case 'Subsample':
      return E.map((s: Shape) => [Math.ceil(s[0] / p.stride), Math.ceil(s[1] / p.stride), s[2]])(requireMap(p, input, path))
    case 'GlobalPool':
      return E.map((s: Shape) => [1, 1, s[2]])(requireMap(p, input, path))
    case 'Dense':
      return E.map(() => [p.units])(requireVector(p, input, path))
    case 'Flatten':
      return E.right([numElements(input)])
    case 'BatchNorm':
    case 'PRelu':
      return input.length === 1 || input.length === 3
        ? E.right(input)
        : E.left(shapeError(path, `[H,W,C] or [features] for ${describe(p)}`, formatShape(input)))
    case 'Relu':
    case 'Sigmoid':
    case 'Identity':
    case 'Dropout':
    case 'Normalize':
      return E.right(input)
  }
}

/** The weights a primitive owns at `input` (which has been checked by `primitiveOutput`). */
export const paramSpecs = (p: Primitive, input: Shape): readonly ParamSpec[] => {
  const c = input[input.length - 1]
  switch (p._tag) {
    case 'Conv2d':
      return [
        { name: 'kernel', shape: [p.kernel, p.kernel, c, p.filters], trainable: true, init: { kind: 'heNormal' } },
        ...(p.bias ? [{ name: 'bias', shape: [p.filters], trainable: true, init: { kind: 'zeros' } } as const] : []),
      ]
    case 'DepthwiseConv2d':
      return [
        { name: 'kernel', shape: [p.kernel, p.kernel, c, p.multiplier], trainable: true, init: { kind: 'heNormal' } },
        ...(p.bias ? [{ name: 'bias', shape: [c * p.multiplier], trainable: true, init: { kind: 'zeros' } } as const] : []),
      ]
    case 'Dense':
      return [
        { name: 'kernel', shape: [c, p.units], trainable: true, init: { kind: 'glorotUniform' } },
        ...(p.bias ? [{ name: 'bias', shape: [p.units], trainable: true, init: { kind: 'zeros' } } as const] : []),
      ]
    case 'BatchNorm':
      return [
        { name: 'gamma', shape: [c], trainable: p.scale === 'learned', init: { kind: 'ones' } },
        { name: 'beta', shape: [c], trainable: true, init: { kind: 'zeros' } },
        { name: 'moving_mean', shape: [c], trainable: false, init: { kind: 'zeros' } },
        { name: 'moving_variance', shape: [c], trainable: false, init: { kind: 'ones' } },
      ]
    case 'PRelu':
      return [{ name: 'alpha', shape: [c], trainable: true, init: { kind: 'constant', value: p.init } }]
    default:
      return []
  }
}

/**
 * Multiply-adds of one example: convolutions and dense layers as the field counts them
 * (output elements × fan-in), and one per output element for the elementwise affine maps
 * (BatchNorm, PReLU, normalisation) that do arithmetic on every value.
 */
export const primitiveMacs = (p: Primitive, input: Shape, output: Shape): number => {
  const c = input[input.length - 1]
  switch (p._tag) {
    case 'Conv2d':
      return numElements(output) * p.kernel * p.kernel * c
    case 'DepthwiseConv2d':
      return numElements(output) * p.kernel * p.kernel
    case 'Dense':
      return p.units * c
    case 'BatchNorm':
    case 'PRelu':
    case 'Normalize':
      return numElements(output)
    default:
      return 0
  }
}

const pad = (p: Padding): string => (typeof p === 'number' ? `p${p}` : p)

/** A short label for tables and messages: `Conv2d(3×3→64, s2, p1)`. */
export const describe = (p: Primitive): string => {
  switch (p._tag) {
    case 'Conv2d':
      return `Conv2d(${p.kernel}×${p.kernel}→${p.filters}, s${p.stride}, ${pad(p.padding)}${p.dilation > 1 ? `, d${p.dilation}` : ''}${p.bias ? ', bias' : ''})`
    case 'DepthwiseConv2d':
      return `DepthwiseConv2d(${p.kernel}×${p.kernel}${p.multiplier > 1 ? `×${p.multiplier}` : ''}, s${p.stride}, ${pad(p.padding)}${p.dilation > 1 ? `, d${p.dilation}` : ''}${p.bias ? ', bias' : ''})`
    case 'Dense':
      return `Dense(→${p.units}${p.bias ? '' : ', no bias'})`
    case 'BatchNorm':
      return p.scale === 'fixed' ? 'BatchNorm(fixed scale)' : 'BatchNorm'
    case 'PRelu':
      return 'PReLU'
    case 'Relu':
      return 'ReLU'
    case 'Sigmoid':
      return 'Sigmoid'
    case 'Identity':
      return 'Identity'
    case 'Flatten':
      return 'Flatten'
    case 'Dropout':
      return `Dropout(${p.rate})`
    case 'GlobalPool':
      return p.mode === 'avg' ? 'GlobalAvgPool' : 'GlobalMaxPool'
    case 'Subsample':
      return `Subsample(s${p.stride})`
    case 'Normalize':
      return `Normalize((x−${p.offset})/${p.divisor})`
  }
}
