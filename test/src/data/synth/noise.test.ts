import t from 'tap'
import { fbm3, valueNoise3 } from '../../../../src/data/synth/noise'

t.test('value noise: deterministic, in [0, 1), continuous, seed-dependent', async (t) => {
  let lo = 1
  let hi = 0
  let maxStep = 0
  let differs = 0
  for (let i = 0; i < 2000; i++) {
    const x = i * 0.013 - 7
    const v = valueNoise3(x, 0.3 * x, 1.7, 42)
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
    maxStep = Math.max(maxStep, Math.abs(v - valueNoise3(x + 0.001, 0.3 * (x + 0.001), 1.7, 42)))
    if (Math.abs(v - valueNoise3(x, 0.3 * x, 1.7, 43)) > 1e-6) differs++
    t.equal(v, valueNoise3(x, 0.3 * x, 1.7, 42))
  }
  t.ok(lo >= 0 && hi < 1 && hi - lo > 0.5, `range [${lo}, ${hi}]`)
  t.ok(maxStep < 0.01, `continuous (max step ${maxStep})`)
  t.ok(differs > 1900, 'another seed is another field')
})

t.test('fbm is centred', async (t) => {
  let sum = 0
  for (let i = 0; i < 4000; i++) sum += fbm3(i * 0.37, i * 0.11, i * 0.05, 5)
  t.ok(Math.abs(sum / 4000) < 0.05)
})
