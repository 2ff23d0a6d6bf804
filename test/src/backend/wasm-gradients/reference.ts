/**
 * Shared by the wasm gradient kernel tests: random convolution cases and the cpu backend's
 * kernels as the reference.
 *
 * The cpu backend's four backprop kernels ignore `dilations` (tfjs' gradients reject dilation
 * > 1, so nothing there needed it). A dilated convolution is the undilated one with the filter
 * zero-inserted to ((k−1)·d+1) taps, so the reference for dilation d runs the cpu kernel on
 * that filter (input gradient) or filter shape, keeping every d-th tap (filter gradient).
 */
import * as tf from '@tensorflow/tfjs-core'
import { createRng, gaussian, randInt, type Rng } from '../../../../src/util/rng'

export type Pad = 'same' | 'valid' | number | number[][]

export interface ConvCase {
  readonly x: number[]
  /** [kh,kw,inC,outC] for conv2d, [kh,kw,inC,multiplier] for depthwise. */
  readonly filter: number[]
  readonly strides: [number, number]
  readonly dilations: [number, number]
  readonly pad: Pad
  readonly dy: number[]
}

export const describeCase = (c: ConvCase): string =>
  `x=[${c.x}] f=[${c.filter}] s=${c.strides} d=${c.dilations} pad=${JSON.stringify(c.pad)}`

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[randInt(rng, xs.length)]

/** The output shape of a case, or undefined when the convolution has no output. */
const outShape = (x: number[], filter: number[], strides: [number, number], dilations: [number, number], pad: Pad, depthwise: boolean) => {
  const info = tf.backend_util.computeConv2DInfo(x as never, filter as never, strides, dilations, pad as never, undefined, depthwise)
  return info.outShape.every((d) => d > 0) ? info.outShape : undefined
}

/** Random cases over strides 1/2, dilations 1/2, kernels 1/3/5, every padding form. */
export const randomCases = (seed: number, count: number, depthwise: boolean): ConvCase[] => {
  const rng = createRng(seed)
  const cases: ConvCase[] = []
  while (cases.length < count) {
    const k = pick(rng, [1, 3, 5])
    const kw = rng.next() < 0.8 ? k : pick(rng, [1, 3, 5])
    const s = pick(rng, [1, 2])
    const strides: [number, number] = rng.next() < 0.8 ? [s, s] : [s, 3 - s]
    const d = pick(rng, [1, 1, 2])
    const dilations: [number, number] = rng.next() < 0.8 ? [d, d] : [d, 3 - d]
    const h = 4 + randInt(rng, 9)
    const w = 4 + randInt(rng, 9)
    const inC = 1 + randInt(rng, 5)
    const last = depthwise ? pick(rng, [1, 2]) : 1 + randInt(rng, 5)
    const pad = pick<Pad>(rng, [
      'same',
      'valid',
      randInt(rng, 3),
      [[0, 0], [randInt(rng, 4), randInt(rng, 4)], [randInt(rng, 4), randInt(rng, 4)], [0, 0]],
    ])
    const x = [1 + randInt(rng, 3), h, w, inC]
    const filter = [k, kw, inC, last]
    const dy = outShape(x, filter, strides, dilations, pad, depthwise)
    if (dy !== undefined) cases.push({ x, filter, strides, dilations, pad, dy })
  }
  return cases
}

export const randomValues = (rng: Rng, shape: readonly number[]): Float32Array =>
  Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => gaussian(rng))

/** Runs one kernel on `backend` with fresh tensors; returns its values, leaving no tensor behind. */
export const runKernelOn = async (
  backend: 'cpu' | 'wasm',
  name: string,
  inputs: Record<string, { values: Float32Array; shape: readonly number[] }>,
  attrs: Record<string, unknown>,
): Promise<Float32Array> => {
  await tf.setBackend(backend)
  const ts = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, [...v.shape])]))
  const out = tf.engine().runKernel(name, ts, attrs as never) as tf.Tensor
  const values = out.dataSync() as Float32Array
  tf.dispose([out, ...Object.values(ts)])
  return values
}

/** [kh,kw,a,b] → [(kh−1)·dh+1, (kw−1)·dw+1, a, b] with zeros between the taps. */
export const dilateFilter = (values: Float32Array, shape: readonly number[], [dh, dw]: readonly number[]) => {
  const [kh, kw, a, b] = shape
  const big = [(kh - 1) * dh + 1, (kw - 1) * dw + 1, a, b]
  const out = new Float32Array(big.reduce((p, q) => p * q, 1))
  const ab = a * b
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) out.set(values.subarray((i * kw + j) * ab, (i * kw + j + 1) * ab), (i * dh * big[1] + j * dw) * ab)
  return { values: out, shape: big }
}

/** The inverse view: the taps of a gradient for the zero-inserted filter that the real filter has. */
export const keepDilatedTaps = (values: Float32Array, shape: readonly number[], [dh, dw]: readonly number[]): Float32Array => {
  const [kh, kw, a, b] = shape
  const bigW = (kw - 1) * dw + 1
  const ab = a * b
  const out = new Float32Array(kh * kw * ab)
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) out.set(values.subarray((i * dh * bigW + j * dw) * ab, (i * dh * bigW + j * dw + 1) * ab), (i * kw + j) * ab)
  return out
}

export { createRng }
