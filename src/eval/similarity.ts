/**
 * 2-D similarity transforms (rotation, uniform scale, translation; no reflection): the least-
 * squares fit between two point sets and the bilinear warp of an RGB image, in pure TypeScript.
 *
 * Coordinates are pixel centres, x right, y down, as in OpenCV's `warpAffine`, so a 5-point
 * ArcFace alignment here samples the same places as insightface's `norm_crop`.
 */
import type { RgbImage } from '../image/codec'
import { PamError } from '../util/errors'

/** (x, y) ↦ (a·x − b·y + tx, b·x + a·y + ty): scale √(a²+b²), rotation atan2(b, a). */
export interface Similarity {
  readonly a: number
  readonly b: number
  readonly tx: number
  readonly ty: number
}

export const applySimilarity = (m: Similarity, x: number, y: number): readonly [number, number] => [
  m.a * x - m.b * y + m.tx,
  m.b * x + m.a * y + m.ty,
]

export const invertSimilarity = (m: Similarity): Similarity => {
  const d = m.a * m.a + m.b * m.b
  const a = m.a / d
  const b = -m.b / d
  return { a, b, tx: -(a * m.tx - b * m.ty), ty: -(b * m.tx + a * m.ty) }
}

/**
 * Least-squares similarity taking `src` onto `dst`, both [K, 2] interleaved, K >= 2: Umeyama's
 * estimator (1991). In 2-D it has the closed form below, where (a, b) is the complex ratio
 * Σ conj(s)·d / Σ |s|² of the centred points; that ratio is always a proper rotation, so the
 * reflection correction of the general algorithm never triggers.
 */
export const umeyama = (src: ArrayLike<number>, dst: ArrayLike<number>): Similarity => {
  if (src.length !== dst.length || src.length % 2 !== 0 || src.length < 4) {
    throw new PamError(`umeyama: need the same number (>= 2) of source and target points, got ${src.length / 2} and ${dst.length / 2}`)
  }
  const k = src.length / 2
  let msx = 0, msy = 0, mdx = 0, mdy = 0
  for (let i = 0; i < k; i++) {
    msx += src[2 * i] / k
    msy += src[2 * i + 1] / k
    mdx += dst[2 * i] / k
    mdy += dst[2 * i + 1] / k
  }
  let ss = 0, re = 0, im = 0
  for (let i = 0; i < k; i++) {
    const sx = src[2 * i] - msx
    const sy = src[2 * i + 1] - msy
    const dx = dst[2 * i] - mdx
    const dy = dst[2 * i + 1] - mdy
    ss += sx * sx + sy * sy
    re += sx * dx + sy * dy
    im += sx * dy - sy * dx
  }
  if (!(ss > 0)) throw new PamError('umeyama: the source points all coincide')
  const a = re / ss
  const b = im / ss
  return { a, b, tx: mdx - (a * msx - b * msy), ty: mdy - (b * msx + a * msy) }
}

/**
 * Warps `img` by `m` (source → output coordinates) into a width × height image: each output
 * pixel samples the source bilinearly at m⁻¹(x, y); samples outside the source count as black
 * (OpenCV's default constant border).
 */
export const warpSimilarity = (img: RgbImage, m: Similarity, width: number, height: number): RgbImage => {
  const inv = invertSimilarity(m)
  const out = new Uint8Array(width * height * 3)
  const { width: w, height: h, data } = img
  const rgb = [0, 0, 0]
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = inv.a * x - inv.b * y + inv.tx
      const sy = inv.b * x + inv.a * y + inv.ty
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      rgb[0] = rgb[1] = rgb[2] = 0
      for (let dy = 0; dy < 2; dy++) {
        const yy = y0 + dy
        if (yy < 0 || yy >= h) continue
        const wy = dy === 0 ? 1 - fy : fy
        for (let dx = 0; dx < 2; dx++) {
          const xx = x0 + dx
          if (xx < 0 || xx >= w) continue
          const wgt = wy * (dx === 0 ? 1 - fx : fx)
          const p = (yy * w + xx) * 3
          rgb[0] += wgt * data[p]
          rgb[1] += wgt * data[p + 1]
          rgb[2] += wgt * data[p + 2]
        }
      }
      const o = (y * width + x) * 3
      out[o] = Math.round(rgb[0])
      out[o + 1] = Math.round(rgb[1])
      out[o + 2] = Math.round(rgb[2])
    }
  }
  return { width, height, data: out }
}
