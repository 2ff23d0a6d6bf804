// Per-channel sums over the batch and spatial axes on wasm, on fresh activations (as in training):
// tf.sum against the two matrix-product forms (see dsl/compile/channel-sums.ts).
// Usage (after `npm test` or `npx tsc` has built dist/): node bench/channel-sums.js
const tf = require('@tensorflow/tfjs-core')
const { initBackend } = require('../dist/src/cli/backend-init')

const main = async () => {
  await initBackend('wasm')
  for (const shape of [[8, 112, 112, 64], [8, 56, 56, 64], [8, 14, 14, 256]]) {
    const [rows, c] = [shape[0] * shape[1] * shape[2], shape[3]]
    const xs = Array.from({ length: 6 }, (_, i) => tf.randomNormal(shape, 0, 1, 'float32', i))
    const onesRow = tf.ones([1, rows])
    const onesCol = tf.ones([rows, 1])
    const ms = (f) => {
      let ns = 0
      for (const x of xs) {
        const t0 = process.hrtime.bigint()
        const y = f(x)
        y.dataSync()
        ns += Number(process.hrtime.bigint() - t0)
        y.dispose()
      }
      return (ns / xs.length / 1e6).toFixed(1)
    }
    const sum = ms((x) => tf.sum(x, [0, 1, 2]))
    const left = ms((x) => tf.tidy(() => tf.matMul(onesRow, tf.reshape(x, [rows, c]))))
    const right = ms((x) => tf.tidy(() => tf.matMul(tf.reshape(x, [rows, c]), onesCol, true, false)))
    console.log(`[${shape}]: tf.sum ${sum} ms, 1ᵀ·X ${left} ms, Xᵀ·1 ${right} ms`)
    tf.dispose([...xs, onesRow, onesCol])
  }
}
main()
