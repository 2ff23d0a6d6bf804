import t from 'tap'
import { drawIdentity, type FaceIdentity } from '../../../../src/data/synth/identity'
import { paintTexel, type Texel } from '../../../../src/data/synth/face-texture'
import { skullRadius } from '../../../../src/data/synth/head-shape'

/** Texel at frontal-plane point (X, Y), found by solving for the direction on the skull. */
const texelAt = (id: FaceIdentity, X: number, Y: number): Texel => {
  let dir = [X, Y, Math.sqrt(Math.max(0.05, 1 - X * X - Y * Y))]
  for (let k = 0; k < 30; k++) {
    const l = Math.hypot(dir[0], dir[1], dir[2])
    const d = dir.map((v) => v / l)
    const r = skullRadius(id, d[0], d[1], d[2])
    dir = [X / r, Y / r, d[2]]
  }
  const l = Math.hypot(dir[0], dir[1], dir[2])
  const [dx, dy, dz] = dir.map((v) => v / l)
  const t: Texel = { r: 0, g: 0, b: 0, spec: 0 }
  paintTexel(id, Math.atan2(dx, dz), Math.asin(dy), t)
  return t
}
const lum = (t: Texel): number => 0.3 * t.r + 0.6 * t.g + 0.1 * t.b

t.test('pupils are dark, sclera light, lips redder than the cheek', async (t) => {
  for (let i = 0; i < 12; i++) {
    const id = drawIdentity(4, i)
    const pupil = texelAt(id, id.eyeSep, id.eyeY - 0.08 * id.eyeOpen)
    const sclera = texelAt(id, id.eyeSep + id.eyeWidth * 0.85, id.eyeY)
    t.ok(lum(pupil) < 0.01, `pupil ${lum(pupil)}`)
    t.ok(lum(sclera) > lum(pupil) + 0.1, 'sclera')
    t.equal(pupil.spec, 0.35, "the eye is glossy")
    const lip = texelAt(id, 0, id.mouthY - id.lowerLip * 0.5)
    const cheek = texelAt(id, 0.3, -0.3)
    t.ok(lip.r / (lip.g + 1e-6) > cheek.r / (cheek.g + 1e-6), 'lip redder than cheek')
  }
})

t.test('hair above the hairline is hair-coloured', async (t) => {
  const id = drawIdentity(4, 0)
  const top: Texel = { r: 0, g: 0, b: 0, spec: 0 }
  paintTexel(id, Math.PI, 0.2, top)
  const h = id.hairColour.map((c) => c ** 2.2)
  const ratio = (top.r + top.g + top.b) / (h[0] + h[1] + h[2])
  t.ok(ratio > 0.3 && ratio < 2.5, `back of the head ~ hair colour (${ratio})`)
})
