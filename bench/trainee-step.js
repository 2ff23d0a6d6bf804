// The training step the bench probes measure: a 112×112 zoo model with a 1000-class ArcFace head
// on the wasm backend, a constant batch, the paper's SGD settings. Reads BATCH and MODEL from
// the command line (defaults 8 and IR50+PAM12).
const { initBackend } = require('../dist/src/cli/backend-init')
const { buildTrainee } = require('../dist/src/train/run')
const { trainStep } = require('../dist/src/train/step')
const { PAPER_HEAD } = require('../dist/models/arcface')

const SIZE = 112

const setupStep = async () => {
  await initBackend('wasm')
  const batch = Number(process.argv[2] || 8)
  const model = process.argv[3] || 'IR50+PAM12'
  const t = buildTrainee({ model, size: SIZE, width: 1, embedding: 512, dropout: 0, seed: 0, excludeBatchNormFromDecay: true }, 1000)
  const b = { size: batch, images: new Float32Array(batch * SIZE * SIZE * 3).fill(100), yaw: new Float32Array(batch), labels: Int32Array.from({ length: batch }, (_, i) => i) }
  const step = () => trainStep(t, b, SIZE, 0.01, { momentum: 0.9, weightDecay: 5e-4, head: PAPER_HEAD, seed: 1 })
  return { batch, model, step }
}

module.exports = { setupStep }
