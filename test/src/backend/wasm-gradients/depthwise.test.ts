/**
 * DepthwiseConv2dNativeBackpropFilter and -Input on wasm against the cpu backend's kernels, on
 * random shapes over strides 1/2, dilations 1/2, kernels 1/3/5, channel multipliers 1/2 and
 * every padding form.
 */
import t from 'tap'
import '@tensorflow/tfjs-backend-cpu'
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { maxRelDiff, useBackend } from '../../../helpers/wasm'
import { createRng, describeCase, dilateFilter, keepDilatedTaps, randomCases, randomValues, runKernelOn, type ConvCase } from './reference'

const TOLERANCE = 1e-4

t.before(async () => {
  registerWasmGradientKernels()
  await useBackend('wasm')
})

const fixed: ConvCase[] = [
  // PAM's DRM: depthwise 3×3 'same', stride 1, multiplier 1
  { x: [2, 8, 8, 6], filter: [3, 3, 6, 1], strides: [1, 1], dilations: [1, 1], pad: 'same', dy: [2, 8, 8, 6] },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: [2, 2], dilations: [1, 1], pad: 'same', dy: [2, 4, 4, 6] },
  { x: [1, 6, 7, 2], filter: [3, 3, 2, 2], strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [4, 0], [0, 5], [0, 0]], dy: [1, 8, 10, 4] },
  { x: [2, 10, 9, 3], filter: [3, 2, 3, 1], strides: [3, 3], dilations: [1, 1], pad: 'valid', dy: [2, 3, 3, 3] },
  { x: [2, 12, 11, 2], filter: [3, 3, 2, 2], strides: [2, 2], dilations: [2, 2], pad: 'same', dy: [2, 6, 6, 4] },
]

const check = async (t: tap.Test, c: ConvCase, rngSeed: number): Promise<void> => {
  const rng = createRng(rngSeed)
  const x = randomValues(rng, c.x)
  const dy = randomValues(rng, c.dy)
  const w = randomValues(rng, c.filter)
  const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations }
  const plain = { ...attrs, dilations: [1, 1] }
  const big = dilateFilter(w, c.filter, c.dilations)

  const dwWasm = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x: { values: x, shape: c.x }, dy: { values: dy, shape: c.dy } }, { ...attrs, filterShape: c.filter })
  const dwCpu = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x: { values: x, shape: c.x }, dy: { values: dy, shape: c.dy } }, { ...plain, filterShape: big.shape })
  t.ok(maxRelDiff(dwWasm, keepDilatedTaps(dwCpu, c.filter, c.dilations)) < TOLERANCE, `filter gradient ${describeCase(c)}`)

  const dxWasm = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy: { values: dy, shape: c.dy }, filter: { values: w, shape: c.filter } }, { ...attrs, inputShape: c.x })
  const dxCpu = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy: { values: dy, shape: c.dy }, filter: big }, { ...plain, inputShape: c.x })
  t.ok(maxRelDiff(dxWasm, dxCpu) < TOLERANCE, `input gradient ${describeCase(c)}`)
}

t.test('fixed cases', async (t) => {
  for (const [i, c] of fixed.entries()) await check(t, c, 100 + i)
})

t.test('random cases', async (t) => {
  for (const [i, c] of randomCases(11, 60, true).entries()) await check(t, c, 1000 + i)
})
