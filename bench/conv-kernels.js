// The three convolution kernels of a training step on wasm, one layer shape at a time: forward,
// input gradient, filter gradient (ms, mean of 3 after a warm-up). Run it twice to compare the
// fused binary with the shipped one:  node bench/conv-kernels.js; PAM_WASM_FMA=0 node bench/conv-kernels.js
// (after `npm test` or `npx tsc` has built dist/).
const tf = require('@tensorflow/tfjs-core')
const { initBackend } = require('../dist/src/cli/backend-init')

// [batch, size, size, in channels, out channels, stride], 3×3 'same'
const LAYERS = [[8, 56, 56, 64, 64, 1], [8, 112, 112, 64, 64, 1], [8, 28, 28, 128, 128, 1], [8, 56, 56, 64, 128, 2]]

const time = (f) => {
  tf.tidy(() => void f().dataSync())
  const start = performance.now()
  for (let i = 0; i < 3; i++) tf.tidy(() => void f().dataSync())
  return ((performance.now() - start) / 3).toFixed(0)
}

const main = async () => {
  await initBackend('wasm')
  for (const [n, h, w, ci, co, s] of LAYERS) {
    const x = tf.randomNormal([n, h, w, ci])
    const filter = tf.randomNormal([3, 3, ci, co])
    const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, filter, s, 'same').shape))
    const attrs = { strides: s, pad: 'same', dataFormat: 'NHWC' }
    const forward = time(() => tf.conv2d(x, filter, s, 'same'))
    const input = time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: x.shape }))
    const weights = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: filter.shape }))
    console.log(`[${n},${h},${w},${ci}] 3×3 → ${co}, stride ${s}: forward ${forward} ms, input gradient ${input} ms, filter gradient ${weights} ms (PAM_WASM_FMA=${process.env.PAM_WASM_FMA ?? 'default'})`)
    tf.dispose([x, filter, dy])
  }
}
main()
