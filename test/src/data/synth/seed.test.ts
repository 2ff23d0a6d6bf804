import t from 'tap'
import { mixSeed } from '../../../../src/data/synth/seed'

t.test('mixSeed is a pure function of the whole key, order included', async (t) => {
  t.equal(mixSeed(1, 2, 3), mixSeed(1, 2, 3))
  const seeds = new Set<number>()
  for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) seeds.add(mixSeed(7, a, b))
  t.equal(seeds.size, 400, 'no collisions on a small grid')
  t.not(mixSeed(1, 2), mixSeed(2, 1))
  t.not(mixSeed(0), mixSeed(0, 0))
  for (const s of seeds) t.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 32)
})
