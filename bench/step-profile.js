// Where a training step's time goes on wasm: kernel time by kernel name (tf.profile) for one step
// of a 112×112 zoo model after a warm-up step.
// Usage (after `npm test` or `npx tsc` has built dist/): node bench/step-profile.js [BATCH] [MODEL]
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
  const step = () => trainStep(t, b, size, 0.01, { momentum: 0.9, weightDecay: 5e-4, head: PAPER_HEAD, seed: 1 })
  step()
  const p = await tf.profile(step)
  const byName = new Map()
  for (const k of p.kernels) {
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 }
    e.calls++
    e.ms += await k.kernelTimeMs
    byName.set(k.name, e)
  }
  const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms)
  const total = rows.reduce((s, [, e]) => s + e.ms, 0)
  console.log(`${model} batch ${batch}: ${total.toFixed(0)} ms of kernel time`)
  for (const [name, e] of rows.slice(0, 20)) console.log(`${name.padEnd(36)} ${String(e.calls).padStart(5)} calls ${e.ms.toFixed(0).padStart(7)} ms`)
}
main()
