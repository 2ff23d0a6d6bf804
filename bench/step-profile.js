// Where a training step's time goes on wasm: kernel time by kernel name (tf.profile) for one step
// of a 112×112 zoo model after a warm-up step.
// Usage (after `npm test` or `npx tsc` has built dist/): node bench/step-profile.js [BATCH] [MODEL]
const tf = require('@tensorflow/tfjs-core')
const { setupStep } = require('./trainee-step')

const main = async () => {
  const { batch, model, step } = await setupStep()
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
