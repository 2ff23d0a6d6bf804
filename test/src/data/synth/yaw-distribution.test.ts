import t from 'tap'
import { createRng } from '../../../../src/util/rng'
import { sampleFrontalYaw, sampleProfileYaw, sampleTrainYaw } from '../../../../src/data/synth/yaw-distribution'

const draws = (f: () => number, n = 20000): number[] => Array.from({ length: n }, f)
const share = (xs: number[], p: (x: number) => boolean): number => xs.filter(p).length / xs.length
const hundredths = (x: number): boolean => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6

t.test('training yaws are frontal-heavy with a tail to 90', async (t) => {
  const rng = createRng(1)
  const ys = draws(() => sampleTrainYaw(rng))
  const small = share(ys, (y) => Math.abs(y) < 30)
  const large = share(ys, (y) => Math.abs(y) >= 60)
  t.ok(small > 0.72 && small < 0.82, `P(|yaw| < 30) = ${small}`)
  t.ok(large > 0.07 && large < 0.13, `P(|yaw| >= 60) = ${large}`)
  t.ok(Math.abs(share(ys, (y) => y > 0) - 0.5) < 0.02, 'both directions')
  t.ok(ys.every((y) => Math.abs(y) <= 90 && hundredths(y)))
  t.ok(Math.max(...ys.map(Math.abs)) > 89)
  const noTail = draws(() => sampleTrainYaw(rng, 0), 5000)
  t.ok(share(noTail, (y) => Math.abs(y) < 45) > 0.99, 'tail fraction 0: nearly all frontal')
})

t.test('test yaws: frontal jitter, profiles in [60, 90]', async (t) => {
  const rng = createRng(2)
  const f = draws(() => sampleFrontalYaw(rng), 5000)
  const p = draws(() => sampleProfileYaw(rng), 5000)
  t.ok(f.every((y) => Math.abs(y) <= 10 && hundredths(y)))
  t.ok(p.every((y) => Math.abs(y) >= 60 && Math.abs(y) <= 90 && hundredths(y)))
  t.ok(Math.abs(share(p, (y) => y > 0) - 0.5) < 0.03)
})
