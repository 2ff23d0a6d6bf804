import t from 'tap'
import { drawIdentity } from '../../../../src/data/synth/identity'
import { buildHeadMesh, meshDetailFor } from '../../../../src/data/synth/head-mesh'

t.test('mesh arrays are consistent; normals are unit and point outward', async (t) => {
  const detail = meshDetailFor(48)
  const ids = Array.from({ length: 30 }, (_, i) => drawIdentity(6, i))
  const withEars = ids.find((i) => i.hairStyle !== 'long')!
  const mesh = buildHeadMesh(withEars, detail)
  const n = mesh.vertexCount
  t.equal(mesh.positions.length, 3 * n)
  t.equal(mesh.normals.length, 3 * n)
  t.equal(mesh.uvs.length, 2 * n)
  t.equal(mesh.ao.length, n)
  t.ok(mesh.triangles.every((v) => v < n))
  t.equal(mesh.texture.data.length, 4 * detail.texWidth * detail.texHeight)
  let outward = 0
  const head = (detail.lat + 1) * (detail.lon + 1)
  for (let i = 0; i < head; i++) {
    const [x, y, z] = [mesh.positions[3 * i], mesh.positions[3 * i + 1], mesh.positions[3 * i + 2]]
    const [a, b, c] = [mesh.normals[3 * i], mesh.normals[3 * i + 1], mesh.normals[3 * i + 2]]
    t.ok(Math.abs(Math.hypot(a, b, c) - 1) < 1e-5)
    if (a * x + b * y + c * z > 0) outward++
  }
  t.ok(outward / head > 0.97, `head normals outward: ${outward}/${head}`)
  t.ok(mesh.uvs.every((u) => u >= 0 && u <= 1))
  const long = ids.find((i) => i.hairStyle === 'long')
  if (long) t.ok(buildHeadMesh(long, detail).vertexCount < n, 'long hair: no ears')
})

t.test('mesh and texture detail grow with the image size', async (t) => {
  const small = meshDetailFor(56)
  const big = meshDetailFor(224)
  t.ok(big.lon > small.lon && big.lat > small.lat && big.texWidth > small.texWidth)
  t.same(meshDetailFor(8), { lon: 48, lat: 32, texWidth: 128, texHeight: 64 })
})
