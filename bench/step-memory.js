// Memory of one training step on wasm: live tensor bytes (tf.profile), wasm heap and RSS after
// each of two steps of a 112×112 zoo model with a 1000-class ArcFace head.
// Usage (after `npm test` or `npx tsc` has built dist/): node bench/step-memory.js [BATCH] [MODEL]
const tf = require('@tensorflow/tfjs-core')
const { setupStep } = require('./trainee-step')

const main = async () => {
  const { batch, model, step } = await setupStep()
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`
  const heap = () => tf.backend().wasm.HEAPU8.buffer.byteLength
  for (let i = 0; i < 2; i++) {
    const p = await tf.profile(step)
    console.log(`${model} batch ${batch}, step ${i + 1}: peak live tensors ${mib(p.peakBytes)} (shared buffers counted once per tensor), wasm heap ${mib(heap())}, RSS ${mib(process.memoryUsage().rss)}`)
  }
}
main()
