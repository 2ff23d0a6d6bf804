/**
 * Conv2DBackpropFilter and Conv2DBackpropInput on wasm against the cpu backend's kernels, on
 * random shapes over strides 1/2, dilations 1/2, kernels 1/3/5 and every padding form.
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
  // the shapes of the paper's nets, shrunk: 3×3 'same' stride 1 and 2, the 1×1 stride-2 shortcut
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 5], strides: [1, 1], dilations: [1, 1], pad: 'same', dy: [2, 8, 8, 5] },
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 5], strides: [2, 2], dilations: [1, 1], pad: 'same', dy: [2, 4, 4, 5] },
  { x: [2, 8, 8, 4], filter: [1, 1, 4, 5], strides: [2, 2], dilations: [1, 1], pad: 'valid', dy: [2, 4, 4, 5] },
  // explicit pads wider than the filter reaches: the input gradient crops
  { x: [1, 6, 7, 2], filter: [3, 3, 2, 3], strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [4, 0], [0, 5], [0, 0]], dy: [1, 8, 10, 3] },
  // rows the forward pass never reads ('valid', stride 3): the filter gradient crops
  { x: [2, 10, 9, 3], filter: [3, 2, 3, 2], strides: [3, 3], dilations: [1, 1], pad: 'valid', dy: [2, 3, 3, 2] },
  // the input gradient's phase decomposition (equal strides > 1): odd sizes, pads past the filter, stride 3
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 4], strides: [2, 2], dilations: [1, 1], pad: 'same', dy: [2, 5, 4, 4] },
  { x: [1, 8, 8, 2], filter: [3, 3, 2, 3], strides: [2, 2], dilations: [1, 1], pad: [[0, 0], [4, 1], [3, 0], [0, 0]], dy: [1, 6, 5, 3] },
  { x: [2, 8, 8, 4], filter: [5, 5, 4, 2], strides: [2, 2], dilations: [1, 1], pad: 'valid', dy: [2, 2, 2, 2] },
  { x: [2, 12, 11, 2], filter: [3, 3, 2, 2], strides: [3, 3], dilations: [1, 1], pad: 'same', dy: [2, 4, 4, 2] },
  // stride and dilation together (tfjs ops refuse it, the kernels do not)
  { x: [2, 12, 11, 2], filter: [3, 3, 2, 2], strides: [2, 2], dilations: [2, 2], pad: 'same', dy: [2, 6, 6, 2] },
]

const check = async (t: tap.Test, c: ConvCase, rngSeed: number): Promise<void> => {
  const rng = createRng(rngSeed)
  const x = randomValues(rng, c.x)
  const dy = randomValues(rng, c.dy)
  const w = randomValues(rng, c.filter)
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations }
  const plain = { ...attrs, dilations: [1, 1] }
  const big = dilateFilter(w, c.filter, c.dilations)

  const dwWasm = await runKernelOn('wasm', 'Conv2DBackpropFilter', { x: { values: x, shape: c.x }, dy: { values: dy, shape: c.dy } }, { ...attrs, filterShape: c.filter })
  const dwCpu = await runKernelOn('cpu', 'Conv2DBackpropFilter', { x: { values: x, shape: c.x }, dy: { values: dy, shape: c.dy } }, { ...plain, filterShape: big.shape })
  t.ok(maxRelDiff(dwWasm, keepDilatedTaps(dwCpu, c.filter, c.dilations)) < TOLERANCE, `filter gradient ${describeCase(c)}`)

  const dxWasm = await runKernelOn('wasm', 'Conv2DBackpropInput', { dy: { values: dy, shape: c.dy }, filter: { values: w, shape: c.filter } }, { ...attrs, inputShape: c.x })
  const dxCpu = await runKernelOn('cpu', 'Conv2DBackpropInput', { dy: { values: dy, shape: c.dy }, filter: big }, { ...plain, inputShape: c.x })
  t.ok(maxRelDiff(dxWasm, dxCpu) < TOLERANCE, `input gradient ${describeCase(c)}`)
}

t.test('fixed cases', async (t) => {
  for (const [i, c] of fixed.entries()) await check(t, c, 100 + i)
})

t.test('random cases', async (t) => {
  for (const [i, c] of randomCases(7, 60, false).entries()) await check(t, c, 1000 + i)
})
