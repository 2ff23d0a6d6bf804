/**
 * Renders a head mesh under a view: rotate (yaw, then pitch, then roll), project orthographically
 * into an aligned-crop framing, rasterise with a z-buffer (self-occlusion), shade each visible
 * pixel (Lambert + a little Blinn-Phong specular, in linear light, with the texture's albedo and
 * the mesh's ambient occlusion), composite over the background, add sensor noise.
 *
 * Framing follows 112×112 ArcFace crops: eyes near 44% of the height, the chin near the bottom,
 * the crown cut off. As the head turns the crop follows the face, as landmark alignment does, so
 * the nose stays near the centre column and a profile shows the face's silhouette against the
 * background with the ear and the back of the head behind it (as CFP's profile photos do).
 */
import type { RgbImage } from '../../image/codec'
import { createRng } from '../../util/rng'
import type { HeadMesh } from './head-mesh'
import { valueNoise3 } from './noise'
import { rasterize } from './raster'
import type { FaceView } from './view'

export interface RenderOptions {
  /** Output width and height in pixels. */
  readonly size: number
  /** Supersampling factor per axis (anti-aliasing); 1 = none. */
  readonly supersample?: number
}

/** Head units → fraction of the image size. */
const FACE_SCALE = 0.52
/** Image row (fraction) of the head origin. */
const ORIGIN_ROW = 0.46
/** How far (head units) the crop follows the face sideways at 90 degrees (nose tip ≈ 0.95). */
const FOLLOW = 0.8
/**
 * Zoom change at 90 degrees: a profile head is deeper than a frontal one is wide, and a crop
 * that keeps the ear in view is a little wider. It also keeps the silhouette, not the skin tone,
 * the dominant pixel change between a frontal and a profile view: in pixel space a profile of A
 * is nearer a profile of B than the frontal of A (tested), which makes the task pose-sensitive.
 */
const PROFILE_ZOOM = -0.15

const SRGB_LUT_SIZE = 2048
const SRGB_LUT = Uint8Array.from({ length: SRGB_LUT_SIZE + 1 }, (_, i) => Math.round(255 * (i / SRGB_LUT_SIZE) ** (1 / 2.2)))
const toSrgb = (linear: number): number => SRGB_LUT[linear >= 1 ? SRGB_LUT_SIZE : linear <= 0 ? 0 : (linear * SRGB_LUT_SIZE) | 0]

const deg = Math.PI / 180

/** Row-major 3×3 rotation R = Rz(roll) · Rx(pitch) · Ry(yaw). */
export const poseMatrix = (yaw: number, pitch: number, roll: number): number[] => {
  const [cy, sy] = [Math.cos(yaw * deg), Math.sin(yaw * deg)]
  const [cp, sp] = [Math.cos(pitch * deg), Math.sin(pitch * deg)]
  const [cr, sr] = [Math.cos(roll * deg), Math.sin(roll * deg)]
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy]
  const rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp]
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1]
  const mul = (a: number[], b: number[]): number[] =>
    Array.from({ length: 9 }, (_, k) => {
      const i = Math.floor(k / 3)
      const j = k % 3
      return a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j]
    })
  return mul(rz, mul(rx, ry))
}

const backgroundColour = (view: FaceView, u: number, v: number, out: Float32Array): void => {
  const bg = view.background
  if (bg._tag === 'plain') {
    const k = 1 + bg.gradient * (v - 0.5) * 2
    out[0] = bg.colour[0] * k
    out[1] = bg.colour[1] * k
    out[2] = bg.colour[2] * k
  } else {
    const t = valueNoise3(u * bg.scale, v * bg.scale, 0.5, bg.seed) * 0.75 + valueNoise3(u * bg.scale * 4, v * bg.scale * 4, 1.5, bg.seed) * 0.25
    out[0] = bg.colour[0] + (bg.colour2[0] - bg.colour[0]) * t
    out[1] = bg.colour[1] + (bg.colour2[1] - bg.colour[1]) * t
    out[2] = bg.colour[2] + (bg.colour2[2] - bg.colour[2]) * t
  }
}

/** `mesh` seen under `view` → a size × size RGB image. */
export const renderHead = (mesh: HeadMesh, view: FaceView, options: RenderOptions): RgbImage => {
  const size = options.size
  const ss = Math.max(1, Math.round(options.supersample ?? 1))
  const W = size * ss
  const R = poseMatrix(view.yaw, view.pitch, view.roll)
  const turn = Math.sin(view.yaw * deg)
  const k = FACE_SCALE * W * view.zoom * (1 + PROFILE_ZOOM * turn * turn)
  const follow = FOLLOW * turn
  const ox = W * (0.5 + view.shiftX) - k * follow
  const oy = W * (ORIGIN_ROW + view.shiftY)

  const n = mesh.vertexCount
  const P = mesh.positions
  const N = mesh.normals
  const sx = new Float32Array(n)
  const sy = new Float32Array(n)
  const sz = new Float32Array(n)
  const nx = new Float32Array(n)
  const ny = new Float32Array(n)
  const nz = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const x = P[3 * i]
    const y = P[3 * i + 1]
    const z = P[3 * i + 2]
    sx[i] = ox + k * (R[0] * x + R[1] * y + R[2] * z)
    sy[i] = oy - k * (R[3] * x + R[4] * y + R[5] * z)
    sz[i] = R[6] * x + R[7] * y + R[8] * z
    const a = N[3 * i]
    const b = N[3 * i + 1]
    const c = N[3 * i + 2]
    nx[i] = R[0] * a + R[1] * b + R[2] * c
    ny[i] = R[3] * a + R[4] * b + R[5] * c
    nz[i] = R[6] * a + R[7] * b + R[8] * c
  }
  const frags = rasterize(W, W, sx, sy, sz, mesh.triangles)

  const [lx, ly, lz] = view.light
  // Blinn half-vector between the light and the viewer (0, 0, 1).
  const hl = Math.hypot(lx, ly, lz + 1)
  const [hx, hy, hz] = [lx / hl, ly / hl, (lz + 1) / hl]
  const tex = mesh.texture
  const TW = tex.width
  const TH = tex.height
  const T = tex.data
  const tris = mesh.triangles
  const uvs = mesh.uvs
  const ao = mesh.ao
  const tint = view.lightTint

  const acc = new Float32Array(size * size * 3)
  const bg = new Float32Array(3)
  const inv = 1 / (ss * ss)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let needBackground = true
      let r = 0
      let g = 0
      let b = 0
      for (let sy2 = 0; sy2 < ss; sy2++) {
        for (let sx2 = 0; sx2 < ss; sx2++) {
          const o = (py * ss + sy2) * W + px * ss + sx2
          const t = frags.tri[o]
          if (t < 0) {
            // Most pixels are face: the (noise) background is computed only where it shows.
            if (needBackground) backgroundColour(view, (px + 0.5) / size, (py + 0.5) / size, bg)
            needBackground = false
            r += bg[0]
            g += bg[1]
            b += bg[2]
            continue
          }
          const w1 = frags.b1[o]
          const w2 = frags.b2[o]
          const w0 = 1 - w1 - w2
          const i0 = tris[3 * t]
          const i1 = tris[3 * t + 1]
          const i2 = tris[3 * t + 2]
          let ax = w0 * nx[i0] + w1 * nx[i1] + w2 * nx[i2]
          let ay = w0 * ny[i0] + w1 * ny[i1] + w2 * ny[i2]
          let az = w0 * nz[i0] + w1 * nz[i1] + w2 * nz[i2]
          const nl = 1 / (Math.sqrt(ax * ax + ay * ay + az * az) || 1)
          ax *= nl
          ay *= nl
          az *= nl
          const u = w0 * uvs[2 * i0] + w1 * uvs[2 * i1] + w2 * uvs[2 * i2]
          const v = w0 * uvs[2 * i0 + 1] + w1 * uvs[2 * i1 + 1] + w2 * uvs[2 * i2 + 1]
          const occ = w0 * ao[i0] + w1 * ao[i1] + w2 * ao[i2]
          // Bilinear texture lookup, wrapping around in longitude.
          const fx = u * TW - 0.5
          const fy = Math.min(TH - 1, Math.max(0, v * TH - 0.5))
          const xa = Math.floor(fx)
          const ya = Math.min(TH - 2, Math.floor(fy))
          const tx = fx - xa
          const ty = fy - ya
          const x0 = ((xa % TW) + TW) % TW
          const x1 = (x0 + 1) % TW
          const q00 = (ya * TW + x0) * 4
          const q10 = (ya * TW + x1) * 4
          const q01 = (ya * TW + TW + x0) * 4
          const q11 = (ya * TW + TW + x1) * 4
          const w00 = (1 - tx) * (1 - ty)
          const w10 = tx * (1 - ty)
          const w01 = (1 - tx) * ty
          const w11 = tx * ty
          const ar = T[q00] * w00 + T[q10] * w10 + T[q01] * w01 + T[q11] * w11
          const ag = T[q00 + 1] * w00 + T[q10 + 1] * w10 + T[q01 + 1] * w01 + T[q11 + 1] * w11
          const ab = T[q00 + 2] * w00 + T[q10 + 2] * w10 + T[q01 + 2] * w01 + T[q11 + 2] * w11
          const ks = T[q00 + 3] * w00 + T[q10 + 3] * w10 + T[q01 + 3] * w01 + T[q11 + 3] * w11
          const ndl = Math.max(0, ax * lx + ay * ly + az * lz)
          const ndh = Math.max(0, ax * hx + ay * hy + az * hz)
          const ndh2 = ndh * ndh
          const ndh8 = ndh2 * ndh2 * ndh2 * ndh2
          const spec = ks * ndh8 * ndh8 * ndh8 * view.diffuse * occ
          // Sky-like ambient: surfaces facing up get a little more.
          const light = view.ambient * occ * (0.8 + 0.2 * ay) + view.diffuse * ndl * Math.sqrt(occ)
          r += toSrgb(ar * light * tint[0] + spec) / 255
          g += toSrgb(ag * light * tint[1] + spec) / 255
          b += toSrgb(ab * light * tint[2] + spec) / 255
        }
      }
      const o3 = (py * size + px) * 3
      acc[o3] = r * inv
      acc[o3 + 1] = g * inv
      acc[o3 + 2] = b * inv
    }
  }

  const data = new Uint8Array(size * size * 3)
  const rng = createRng(view.noiseSeed)
  // Triangular noise (sum of two uniforms) has the requested standard deviation and is cheap.
  const amp = view.noise * Math.sqrt(6)
  for (let i = 0; i < data.length; i++) {
    const noise = amp > 0 ? amp * (rng.next() + rng.next() - 1) : 0
    data[i] = Math.max(0, Math.min(255, Math.round(acc[i] * 255 + noise)))
  }
  return { width: size, height: size, data }
}
