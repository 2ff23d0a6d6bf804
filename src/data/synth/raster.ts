/**
 * A z-buffer triangle rasteriser over screen-space vertices, producing per-pixel fragments
 * (nearest triangle and its barycentric weights) for a separate shading pass. Shading once per
 * pixel after visibility is settled costs one shade per pixel however many triangles overlap it.
 *
 * Screen space: x right, y down, pixel (px, py) sampled at its centre (px + 0.5, py + 0.5);
 * depth grows toward the viewer. Triangles counter-clockwise in a y-up frame (the mesh's outside)
 * have negative signed area here; the others face away and are culled.
 */

export interface Fragments {
  readonly width: number
  readonly height: number
  /** Depth of the nearest surface, -Infinity where none. */
  readonly depth: Float32Array
  /** Index of the nearest triangle, -1 where none. */
  readonly tri: Int32Array
  /** Barycentric weights of the triangle's 2nd and 3rd vertices (the 1st is 1 - b1 - b2). */
  readonly b1: Float32Array
  readonly b2: Float32Array
}

export const rasterize = (
  width: number,
  height: number,
  sx: Float32Array,
  sy: Float32Array,
  sz: Float32Array,
  triangles: Uint32Array,
): Fragments => {
  const n = width * height
  const depth = new Float32Array(n).fill(-Infinity)
  const tri = new Int32Array(n).fill(-1)
  const b1 = new Float32Array(n)
  const b2 = new Float32Array(n)
  const count = triangles.length / 3
  for (let t = 0; t < count; t++) {
    const i0 = triangles[3 * t]
    const i1 = triangles[3 * t + 1]
    const i2 = triangles[3 * t + 2]
    const x0 = sx[i0]
    const y0 = sy[i0]
    const x1 = sx[i1]
    const y1 = sy[i1]
    const x2 = sx[i2]
    const y2 = sy[i2]
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    if (!(area < -1e-12)) continue
    const minX = Math.max(0, Math.ceil(Math.min(x0, x1, x2) - 0.5))
    const maxX = Math.min(width - 1, Math.floor(Math.max(x0, x1, x2) - 0.5))
    if (minX > maxX) continue
    const minY = Math.max(0, Math.ceil(Math.min(y0, y1, y2) - 0.5))
    const maxY = Math.min(height - 1, Math.floor(Math.max(y0, y1, y2) - 0.5))
    if (minY > maxY) continue
    const inv = 1 / area
    const z0 = sz[i0]
    const z1 = sz[i1]
    const z2 = sz[i2]
    for (let py = minY; py <= maxY; py++) {
      const cy = py + 0.5
      for (let px = minX; px <= maxX; px++) {
        const cx = px + 0.5
        // Weights of vertices 1 and 2 (edge functions over the signed area).
        const w1 = ((cx - x0) * (y2 - y0) - (x2 - x0) * (cy - y0)) * inv
        const w2 = ((x1 - x0) * (cy - y0) - (cx - x0) * (y1 - y0)) * inv
        const w0 = 1 - w1 - w2
        if (w0 < 0 || w1 < 0 || w2 < 0) continue
        const z = w0 * z0 + w1 * z1 + w2 * z2
        const o = py * width + px
        if (z > depth[o]) {
          depth[o] = z
          tri[o] = t
          b1[o] = w1
          b2[o] = w2
        }
      }
    }
  }
  return { width, height, depth, tri, b1, b2 }
}
