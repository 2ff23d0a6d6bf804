import t from 'tap'
import { rasterize } from '../../../../src/data/synth/raster'

const f32 = (...x: number[]): Float32Array => Float32Array.from(x)

t.test('a front-facing triangle covers the pixel centres inside it', async (t) => {
  // Counter-clockwise in y-up = clockwise on a y-down screen: (0,0), (0,4), (4,0) has negative area.
  const frags = rasterize(4, 4, f32(0, 0, 4), f32(0, 4, 0), f32(1, 1, 1), Uint32Array.from([0, 1, 2]))
  const covered = [...frags.tri].map((v) => (v === 0 ? 1 : 0))
  t.same(covered, [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0])
  // Pixel (0, 0) samples (0.5, 0.5): weights of vertex 1 (0,4) and 2 (4,0) are 1/8 each.
  t.ok(Math.abs(frags.b1[0] - 0.125) < 1e-6 && Math.abs(frags.b2[0] - 0.125) < 1e-6)
  t.equal(frags.depth[15], -Infinity)
})

t.test('back faces are culled, the nearest surface wins', async (t) => {
  const back = rasterize(4, 4, f32(0, 4, 0), f32(0, 0, 4), f32(1, 1, 1), Uint32Array.from([0, 1, 2]))
  t.ok(back.tri.every((v) => v === -1))
  const xs = f32(0, 0, 4, 0, 0, 4)
  const ys = f32(0, 4, 0, 0, 4, 0)
  const near = rasterize(4, 4, xs, ys, f32(1, 1, 1, 2, 2, 2), Uint32Array.from([0, 1, 2, 3, 4, 5]))
  t.equal(near.tri[0], 1)
  const nearFirst = rasterize(4, 4, xs, ys, f32(3, 3, 3, 2, 2, 2), Uint32Array.from([0, 1, 2, 3, 4, 5]))
  t.equal(nearFirst.tri[0], 0)
})
