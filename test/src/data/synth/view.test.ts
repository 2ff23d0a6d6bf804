import t from 'tap'
import { createRng } from '../../../../src/util/rng'
import { canonicalView, sampleView } from '../../../../src/data/synth/view'

t.test('views: the yaw given, small pitch and roll, a light in front', async (t) => {
  const rng = createRng(9)
  const kinds = new Set<string>()
  for (let i = 0; i < 500; i++) {
    const v = sampleView(rng, 33)
    t.equal(v.yaw, 33)
    t.ok(Math.abs(v.pitch) <= 10 && Math.abs(v.roll) <= 8)
    t.ok(Math.abs(Math.hypot(...v.light) - 1) < 1e-9 && v.light[2] > 0)
    kinds.add(v.background._tag)
  }
  t.same([...kinds].sort(), ['noise', 'plain'])
  t.same(sampleView(createRng(5), 0), sampleView(createRng(5), 0))
  t.equal(canonicalView(-20).yaw, -20)
})
