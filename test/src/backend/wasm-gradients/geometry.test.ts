import t from 'tap'
import { convGeometry, filterGradPads, inputGradPads } from '../../../../src/backend/wasm-gradients/geometry'
import { phasePlan } from '../../../../src/backend/wasm-gradients/phases'

const K = 'Conv2DBackpropFilter'

t.test('resolves padding forms to the four amounts tfjs uses', async (t) => {
  const same = convGeometry(K, [2, 8, 8, 3], [3, 3, 3, 4], [2, 4, 4, 4], { strides: 2, pad: 'same' }, false)
  t.match(same, { n: 2, inH: 8, outH: 4, outC: 4, kH: 3, strideH: 2, dilationH: 1, top: 0, left: 0 })
  const explicit = convGeometry(K, [1, 6, 7, 2], [3, 3, 2, 3], [1, 8, 10, 3], { pad: [[0, 0], [4, 0], [0, 5], [0, 0]] }, false)
  t.match(explicit, { top: 4, left: 0, outH: 8, outW: 10 })
  const dw = convGeometry('DepthwiseConv2dNativeBackpropFilter', [1, 9, 9, 3], [3, 3, 3, 2], [1, 5, 5, 6], { strides: 1, dilations: 2, pad: 'valid' }, true)
  t.match(dw, { outC: 6, dilationH: 2, outH: 5 })
})

t.test('refuses what it does not support, naming the kernel', async (t) => {
  const bad = (attrs: object, dy = [2, 8, 8, 4], x = [2, 8, 8, 3], f = [3, 3, 3, 4]) => () => convGeometry(K, x, f, dy, attrs, false)
  t.throws(bad({ dataFormat: 'NCHW' }), { name: 'PamError', message: "Conv2DBackpropFilter (wasm): dataFormat 'NCHW' is not supported, only 'NHWC'" })
  t.throws(bad({ strides: 0 }), { message: 'Conv2DBackpropFilter (wasm): strides must be a positive integer or a pair of them, got 0' })
  t.throws(bad({ dilations: [1, 1, 1] }), { message: 'Conv2DBackpropFilter (wasm): dilations must be a positive integer or a pair of them, got [1,1,1]' })
  t.throws(bad({ pad: -1 }), { message: 'Conv2DBackpropFilter (wasm): pad must be a non-negative integer, got -1' })
  t.throws(bad({ pad: [[1, 0], [1, 1], [1, 1], [0, 0]] }), {
    message: "Conv2DBackpropFilter (wasm): pad must be 'same', 'valid', a number or [[0,0],[top,bottom],[left,right],[0,0]], got [[1,0],[1,1],[1,1],[0,0]]",
  })
  t.throws(bad({ pad: 'full' }), { message: /^Conv2DBackpropFilter \(wasm\): pad must be 'same', 'valid'/ })
  t.throws(bad({ pad: 'same' }, [2, 8, 8]), { message: 'Conv2DBackpropFilter (wasm): dy must be rank 4, got shape [2,8,8]' })
  t.throws(bad({ pad: 'same' }, [2, 8, 8, 4], [2, 8, 8, 5]), { message: "Conv2DBackpropFilter (wasm): filter in-channels 3 differ from the input's 5 channels" })
  t.throws(bad({ pad: 'valid' }), { message: 'Conv2DBackpropFilter (wasm): dy has shape [2,8,8,4] but the convolution produces [2,6,6,4]' })
})

t.test('filter-gradient pads make the padded input exactly long enough', async (t) => {
  // 3 taps, 8 outputs at stride 1, one row of padding each side: 10 rows, no extra.
  t.same(filterGradPads(8, 8, 3, 1, 1, 1), { before: 1, after: 1, taps: 3 })
  // 'valid' stride 3 on 10 rows reads rows 0..8; the unread tenth row yields a fourth tap, which the kernel crops.
  t.same(filterGradPads(10, 3, 3, 3, 1, 0), { before: 0, after: 0, taps: 4 })
  // dilation 2: taps 0, 2, 4 of a 'same' 9-row input.
  t.same(filterGradPads(9, 9, 3, 1, 2, 2), { before: 2, after: 2, taps: 3 })
})

t.test('input-gradient pads turn into crops when the forward pads reach past the filter', async (t) => {
  // 'same' 3×3 stride 1: pad 1 each side.
  t.same(inputGradPads(8, 8, 3, 1, 1), { before: 1, after: 1, cropStart: 0 })
  // stride 2 'same' on 8 rows: dy upsampled to 8 rows, top pad 0 → 2 before, 0 after.
  t.same(inputGradPads(8, 8, 3, 1, 0), { before: 2, after: 0, cropStart: 0 })
  // forward top pad 4 with a 3-tap filter: 2 rows of dy map above the input.
  t.same(inputGradPads(6, 8, 3, 1, 4), { before: 0, after: 2, cropStart: 2 })
})

t.test('stride-2 phases read dy through a shared window', async (t) => {
  // 3×3 stride 2, top pad 0 (TF 'same' on an even input): even rows take taps 0 and 2, odd rows tap 1.
  t.same(phasePlan(112, 3, 2, 0), { window: 2, before: 1, grid: 56, taps: [[2, 0], [-1, 1]] })
  // top pad 1 (odd input): the roles swap and the window moves down by one.
  t.same(phasePlan(7, 3, 2, 1), { window: 2, before: 0, grid: 4, taps: [[1, -1], [2, 0]] })
  // 1×1 stride 2: odd rows get nothing.
  t.same(phasePlan(8, 1, 2, 0), { window: 1, before: 0, grid: 4, taps: [[0], [-1]] })
})
