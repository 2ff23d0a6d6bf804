import t from 'tap'
import { drawIdentity } from '../../../../src/data/synth/identity'

t.test('identities are pure functions of (dataset seed, index)', async (t) => {
  t.same(drawIdentity(3, 17), drawIdentity(3, 17))
  t.notSame(drawIdentity(3, 17), drawIdentity(3, 18))
  t.notSame(drawIdentity(3, 17), drawIdentity(4, 17))
  t.equal(drawIdentity(3, 17).index, 17)
})

t.test('parameters vary across identities and stay plausible', async (t) => {
  const ids = Array.from({ length: 300 }, (_, i) => drawIdentity(1, i))
  const spread = (f: (i: (typeof ids)[number]) => number): [number, number] => [Math.min(...ids.map(f)), Math.max(...ids.map(f))]
  const [w0, w1] = spread((i) => i.headWidth)
  t.ok(w0 > 0.65 && w1 < 0.9 && w1 - w0 > 0.1, `head width ${w0}..${w1}`)
  const [n0, n1] = spread((i) => i.noseTip)
  t.ok(n0 > 0.09 && n1 < 0.3, `nose ${n0}..${n1}`)
  const [e0, e1] = spread((i) => i.eyeSep)
  t.ok(e0 > 0.2 && e1 < 0.35, `eye separation ${e0}..${e1}`)
  const lightness = spread((i) => i.skinColour[1])
  t.ok(lightness[1] - lightness[0] > 0.4, 'skin tones from dark to light')
  for (const style of ['short', 'medium', 'long', 'fringe', 'bald']) t.ok(ids.some((i) => i.hairStyle === style), style)
  for (const beard of ['none', 'stubble', 'full', 'goatee']) t.ok(ids.some((i) => i.beard === beard), beard)
  for (const i of ids) {
    for (const c of [...i.skinColour, ...i.hairColour, ...i.irisColour]) t.ok(c >= 0 && c <= 1)
  }
})
