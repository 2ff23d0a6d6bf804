import t from 'tap'
import { drawIdentity } from '../../../../src/data/synth/identity'
import { featureHeight, hairBoundary, headPoint, skullRadius } from '../../../../src/data/synth/head-shape'

const point = (id: ReturnType<typeof drawIdentity>, theta: number, phi: number): number[] => {
  const out = new Float64Array(3)
  const cp = Math.cos(phi)
  headPoint(id, theta, phi, cp * Math.sin(theta), Math.sin(phi), cp * Math.cos(theta), out, 0)
  return [...out]
}

t.test('the head is left-right symmetric', async (t) => {
  const id = drawIdentity(2, 5)
  for (const [theta, phi] of [
    [0.3, 0.1],
    [1.2, -0.4],
    [2.5, 0.7],
    [0.1, -0.6],
  ]) {
    const a = point(id, theta, phi)
    const b = point(id, -theta, phi)
    t.ok(Math.abs(a[0] + b[0]) < 1e-12 && Math.abs(a[1] - b[1]) < 1e-12 && Math.abs(a[2] - b[2]) < 1e-12, `${theta},${phi}`)
  }
})

t.test('the nose sticks out of the face; the eyes sit in sockets', async (t) => {
  for (let i = 0; i < 20; i++) {
    const id = drawIdentity(1, i)
    const tip = featureHeight(id, 0, id.noseTipY)
    t.ok(tip > 0.09, `nose tip height ${tip}`)
    const eye = featureHeight(id, id.eyeSep, id.eyeY)
    t.ok(eye < featureHeight(id, id.eyeSep, id.eyeY + id.browGap), 'the brow overhangs the eye')
    t.ok(featureHeight(id, 0.55, 0.4) < 0.01, 'flat forehead side')
    // The nose tip is the frontmost point at its height, well in front of the cheek.
    const noseZ = point(id, 0, Math.asin(id.noseTipY / 1.1))[2]
    const cheekZ = point(id, 0.45, Math.asin(id.noseTipY / 1.1))[2]
    t.ok(noseZ > cheekZ + 0.15, `nose ${noseZ} vs cheek ${cheekZ}`)
  }
})

t.test('skull proportions and hair boundary', async (t) => {
  const id = drawIdentity(1, 0)
  t.ok(Math.abs(skullRadius(id, 1, 0, 0) - id.headWidth) < 1e-9)
  t.ok(Math.abs(skullRadius(id, 0, 1, 0) - id.headTop) < 1e-9)
  t.ok(Math.abs(skullRadius(id, 0, 0, -1) - id.depthBack) < 1e-9)
  // The hairline is highest at the front and lowest at the nape.
  t.ok(hairBoundary(id, 0) > hairBoundary(id, Math.PI))
})
