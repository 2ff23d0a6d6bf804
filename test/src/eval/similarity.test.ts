import t from 'tap'
import type { RgbImage } from '../../../src/image/codec'
import { applySimilarity, invertSimilarity, umeyama, warpSimilarity } from '../../../src/eval/similarity'

const close = (a: number, b: number, eps = 1e-9): boolean => Math.abs(a - b) < eps

t.test('umeyama recovers an exact similarity', async (t) => {
  const m = { a: 1.5 * Math.cos(0.3), b: 1.5 * Math.sin(0.3), tx: 7, ty: -2 }
  const src = [0, 0, 10, 0, 3, 8, -4, 5]
  const dst = src.flatMap((_, i) => (i % 2 === 0 ? applySimilarity(m, src[i], src[i + 1]) : []))
  const fit = umeyama(src, dst)
  t.ok(close(fit.a, m.a) && close(fit.b, m.b) && close(fit.tx, m.tx) && close(fit.ty, m.ty), JSON.stringify(fit))
})

t.test('umeyama is the least-squares fit, not a reflection', async (t) => {
  // A mirrored square cannot be matched by a proper similarity: the best one is scale 0
  // around the centroid (any rotation does equally badly), i.e. everything maps to the centre.
  const fit = umeyama([0, 0, 1, 0, 1, 1, 0, 1], [1, 0, 0, 0, 0, 1, 1, 1])
  t.ok(close(fit.a, 0) && close(fit.b, 0) && close(fit.tx, 0.5) && close(fit.ty, 0.5), JSON.stringify(fit))
  // Two targets pulled apart symmetrically: scale is the mean stretch.
  const s = umeyama([-1, 0, 1, 0, 0, 2, 0, -2], [-2, 0, 2, 0, 0, 2, 0, -2])
  t.ok(close(s.a, 1.2) && close(s.b, 0), JSON.stringify(s)) // Σ s·d / Σ |s|² = (2+2+4+4) / 10
  t.throws(() => umeyama([1, 1, 1, 1], [0, 0, 1, 1]), { name: 'PamError', message: 'umeyama: the source points all coincide' })
  t.throws(() => umeyama([1, 1, 2, 2], [0, 0]), { message: 'umeyama: need the same number (>= 2) of source and target points, got 2 and 1' })
})

t.test('invertSimilarity undoes the transform', async (t) => {
  const m = { a: 0.8, b: -0.6, tx: 3, ty: 4 }
  const [x, y] = applySimilarity(m, 5, -7)
  const [u, v] = applySimilarity(invertSimilarity(m), x, y)
  t.ok(close(u, 5) && close(v, -7))
})

t.test('warpSimilarity samples bilinearly with a black border', async (t) => {
  // 2 × 1 image: red, then (0, 100, 200).
  const img: RgbImage = { width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 100, 200]) }
  t.same(Array.from(warpSimilarity(img, { a: 1, b: 0, tx: 0, ty: 0 }, 2, 1).data), [255, 0, 0, 0, 100, 200])
  // Output x samples source x - 0.5: halfway between the two pixels, and half black at the left edge.
  t.same(Array.from(warpSimilarity(img, { a: 1, b: 0, tx: 0.5, ty: 0 }, 2, 1).data), [128, 0, 0, 128, 50, 100])
  // Shift right by one pixel: the left output pixel falls outside the source.
  t.same(Array.from(warpSimilarity(img, { a: 1, b: 0, tx: 1, ty: 0 }, 3, 1).data), [0, 0, 0, 255, 0, 0, 0, 100, 200])
  // Scale 2: output pixel x samples source x / 2.
  t.same(Array.from(warpSimilarity(img, { a: 2, b: 0, tx: 0, ty: 0 }, 3, 1).data), [255, 0, 0, 128, 50, 100, 0, 100, 200])
})
