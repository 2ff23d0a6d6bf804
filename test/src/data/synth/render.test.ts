import t from 'tap'
import { createRng } from '../../../../src/util/rng'
import { drawIdentity } from '../../../../src/data/synth/identity'
import { buildHeadMesh, meshDetailFor, type HeadMesh } from '../../../../src/data/synth/head-mesh'
import { poseMatrix, renderHead } from '../../../../src/data/synth/render'
import { canonicalView, sampleView } from '../../../../src/data/synth/view'

const rms = (a: Uint8Array, b: Uint8Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2
  return Math.sqrt(s / a.length)
}

const meshes = new Map<string, HeadMesh>()
const meshOf = (index: number, size: number): HeadMesh => {
  const key = `${index}/${size}`
  if (!meshes.has(key)) meshes.set(key, buildHeadMesh(drawIdentity(11, index), meshDetailFor(size)))
  return meshes.get(key)!
}

t.test('poseMatrix is a rotation; positive yaw turns the nose to +x', async (t) => {
  const r = poseMatrix(30, -7, 4)
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const dot = r[3 * i] * r[3 * j] + r[3 * i + 1] * r[3 * j + 1] + r[3 * i + 2] * r[3 * j + 2]
      t.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12)
    }
  }
  const y = poseMatrix(90, 0, 0)
  t.ok(Math.abs(y[2] - 1) < 1e-12, 'forward (0, 0, 1) maps to +x')
})

t.test('renders are deterministic, any size, background at the corners', async (t) => {
  const view = sampleView(createRng(3), 20)
  const a = renderHead(meshOf(0, 48), view, { size: 48 })
  const b = renderHead(meshOf(0, 48), view, { size: 48 })
  t.same([a.width, a.height, a.data.length], [48, 48, 48 * 48 * 3])
  t.same(a.data, b.data)
  const big = renderHead(meshOf(0, 80), canonicalView(0), { size: 80, supersample: 2 })
  t.equal(big.data.length, 80 * 80 * 3)
  const grey = Math.round(255 * 0.5)
  t.same([...big.data.subarray(0, 3)], [grey, grey, grey], 'top-left corner is background')
  const centre = (40 * 80 + 40) * 3
  t.notSame([...big.data.subarray(centre, centre + 3)], [grey, grey, grey], 'the face covers the centre')
})

t.test('pose changes appearance more than identity does (pixel space)', async (t) => {
  const n = 6
  const size = 48
  const img = (i: number, yaw: number): Uint8Array => renderHead(meshOf(i, size), canonicalView(yaw), { size }).data
  const profile = Array.from({ length: n }, (_, i) => img(i, 90))
  const frontal = Array.from({ length: n }, (_, i) => img(i, 0))
  let sameIdentity = 0
  let samePose = 0
  for (let a = 0; a < n; a++) {
    sameIdentity += rms(profile[a], frontal[a]) / n
    for (let b = 0; b < n; b++) if (a !== b) samePose += rms(profile[a], profile[b]) / (n * (n - 1))
  }
  t.ok(samePose < sameIdentity, `profile A vs profile B ${samePose.toFixed(1)} < profile A vs frontal A ${sameIdentity.toFixed(1)}`)
  // Identity still shows: two frontals of one head are closer than frontals of two heads.
  const again = Array.from({ length: n }, (_, i) => img(i, 4))
  let within = 0
  let across = 0
  for (let a = 0; a < n; a++) {
    within += rms(frontal[a], again[a]) / n
    for (let b = 0; b < n; b++) if (a !== b) across += rms(frontal[a], frontal[b]) / (n * (n - 1))
  }
  t.ok(within < across, `frontal A vs A ${within.toFixed(1)} < frontal A vs B ${across.toFixed(1)}`)
})

t.test('render time at 112×112', async (t) => {
  const mesh = meshOf(1, 112)
  const rng = createRng(1)
  const views = Array.from({ length: 60 }, (_, i) => sampleView(rng, (i * 37) % 181 - 90))
  for (const v of views.slice(0, 10)) renderHead(mesh, v, { size: 112 })
  const start = process.hrtime.bigint()
  for (const v of views) renderHead(mesh, v, { size: 112 })
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / views.length
  t.comment(`renderHead 112×112: ${ms.toFixed(2)} ms per image (mesh built once per identity)`)
  // Loose bound: the machine is shared; the target is about 5 ms.
  t.ok(ms < 40, `${ms.toFixed(2)} ms`)
})
