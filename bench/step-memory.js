// Memory of one training step on wasm: live tensor bytes (tf.profile), wasm heap and RSS after
// each of two steps of a 112×112 zoo model with a 1000-class ArcFace head.
// Usage (after `npm test` or `npx tsc` has built dist/): node bench/step-memory.js [BATCH] [MODEL]
const tf = require('@tensorflow/tfjs-core')
const { initBackend } = require('../dist/src/cli/backend-init')
const { buildTrainee } = require('../dist/src/train/run')
const { trainStep } = require('../dist/src/train/step')
const { PAPER_HEAD } = require('../dist/models/arcface')

const main = async () => {
  await initBackend('wasm')
  const batch = Number(process.argv[2] || 8)
  const model = process.argv[3] || 'IR50+PAM12'
  const size = 112
  const t = buildTrainee({ model, size, width: 1, embedding: 512, dropout: 0, seed: 0, excludeBatchNormFromDecay: true }, 1000)
  const b = { size: batch, images: new Float32Array(batch * size * size * 3).fill(100), yaw: new Float32Array(batch), labels: Int32Array.from({ length: batch }, (_, i) => i) }
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`
  const heap = () => tf.backend().wasm.HEAPU8.buffer.byteLength
  for (let i = 0; i < 2; i++) {
    const p = await tf.profile(() => trainStep(t, b, size, 0.01, { momentum: 0.9, weightDecay: 5e-4, head: PAPER_HEAD, seed: 1 }))
    console.log(`${model} batch ${batch}, step ${i + 1}: peak live tensors ${mib(p.peakBytes)} (shared buffers counted once per tensor), wasm heap ${mib(heap())}, RSS ${mib(process.memoryUsage().rss)}`)
  }
}
main()
