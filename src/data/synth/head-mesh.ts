/**
 * An identity's renderable geometry, built once and reused for every view: the head as a
 * latitude / longitude grid over `headPoint`, two ears (flattened ellipsoids, left out under
 * long hair), a neck (a slanted elliptic cylinder), per-vertex normals, texture coordinates and
 * ambient occlusion, and the colour texture painted by `paintTexel`.
 *
 * Every piece uses one winding: with (u, v) increasing toward the viewer's right and up on a
 * surface facing the viewer, triangles are counter-clockwise seen from outside.
 */
import type { FaceIdentity } from './identity'
import { headPoint, skullRadius, smoothstep } from './head-shape'
import { paintTexel, PLAIN_SKIN_LATITUDE, type Texel } from './face-texture'

export interface HeadTexture {
  readonly width: number
  readonly height: number
  /** Linear albedo r, g, b and specular strength per texel, row 0 at latitude -90 degrees. */
  readonly data: Float32Array
}

export interface HeadMesh {
  readonly vertexCount: number
  /** xyz per vertex, head coordinates. */
  readonly positions: Float32Array
  /** Unit outward normal per vertex. */
  readonly normals: Float32Array
  /** Texture u, v in [0, 1] per vertex. */
  readonly uvs: Float32Array
  /** Ambient-occlusion factor per vertex (1 = open). */
  readonly ao: Float32Array
  /** Three vertex indices per triangle. */
  readonly triangles: Uint32Array
  readonly texture: HeadTexture
}

export interface MeshDetail {
  readonly lon: number
  readonly lat: number
  readonly texWidth: number
  readonly texHeight: number
}

/** Grid and texture resolution for `size`-pixel renders: about one grid cell per pixel on the face. */
export const meshDetailFor = (size: number): MeshDetail => ({
  lon: Math.max(48, Math.round(size * 1.6)),
  lat: Math.max(32, Math.round(size * 0.95)),
  texWidth: Math.max(128, Math.round(size * 4)),
  texHeight: Math.max(64, Math.round(size * 2)),
})

/** Texture coordinates of the plain-skin patch under the chin. */
const PLAIN_U = 0.5
const PLAIN_V = (PLAIN_SKIN_LATITUDE - 0.15 + Math.PI / 2) / Math.PI

/** Typed-array mesh under construction: vertices appended in order, grids triangulated. */
interface Builder {
  count: number
  readonly positions: Float32Array
  readonly normals: Float32Array
  readonly uvs: Float32Array
  readonly ao: Float32Array
  readonly triangles: Uint32Array
  triangleCount: number
}

const createBuilder = (vertices: number, triangles: number): Builder => ({
  count: 0,
  positions: new Float32Array(vertices * 3),
  normals: new Float32Array(vertices * 3),
  uvs: new Float32Array(vertices * 2),
  ao: new Float32Array(vertices),
  triangles: new Uint32Array(triangles * 3),
  triangleCount: 0,
})

const pushVertex = (
  b: Builder,
  px: number, py: number, pz: number,
  nx: number, ny: number, nz: number,
  u: number, v: number, ao: number,
): void => {
  const i = b.count++
  const l = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1
  b.positions[3 * i] = px
  b.positions[3 * i + 1] = py
  b.positions[3 * i + 2] = pz
  b.normals[3 * i] = nx / l
  b.normals[3 * i + 1] = ny / l
  b.normals[3 * i + 2] = nz / l
  b.uvs[2 * i] = u
  b.uvs[2 * i + 1] = v
  b.ao[i] = ao
}

/** Triangles of a (rows + 1) × (cols + 1) vertex grid starting at vertex `base`, row-major. */
const pushGrid = (b: Builder, base: number, rows: number, cols: number): void => {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const a = base + i * (cols + 1) + j
      const t = b.triangles
      const o = 3 * b.triangleCount
      t[o] = a
      t[o + 1] = a + 1
      t[o + 2] = a + cols + 2
      t[o + 3] = a
      t[o + 4] = a + cols + 2
      t[o + 5] = a + cols + 1
      b.triangleCount += 2
    }
  }
}

const gridVertices = (rows: number, cols: number): number => (rows + 1) * (cols + 1)
const gridTriangles = (rows: number, cols: number): number => 2 * rows * cols

const EAR_ROWS = 12
const EAR_COLS = 20
const NECK_ROWS = 10
const NECK_COLS = 40

const addHead = (id: FaceIdentity, d: MeshDetail, out: Builder): void => {
  const { lon, lat } = d
  const stride = lon + 1
  const pos = new Float64Array(gridVertices(lat, lon) * 3)
  for (let i = 0; i <= lat; i++) {
    const phi = -Math.PI / 2 + (Math.PI * i) / lat
    for (let j = 0; j <= lon; j++) {
      const theta = -Math.PI + (2 * Math.PI * j) / lon
      const cp = Math.cos(phi)
      const dx = cp * Math.sin(theta)
      const dy = Math.sin(phi)
      const dz = cp * Math.cos(theta)
      headPoint(id, theta, phi, dx, dy, dz, pos, 3 * (i * stride + j))
    }
  }
  // Grid neighbour, wrapping in longitude (column lon duplicates column 0).
  const at = (i: number, j: number, k: number): number => pos[3 * (i * stride + (((j % lon) + lon) % lon)) + k]
  const base = out.count
  for (let i = 0; i <= lat; i++) {
    for (let j = 0; j <= lon; j++) {
      const o = 3 * (i * stride + j)
      const [px, py, pz] = [pos[o], pos[o + 1], pos[o + 2]]
      if (i === 0 || i === lat) {
        pushVertex(out, px, py, pz, px, py, pz, j / lon, i / lat, 1)
        continue
      }
      // Central differences: d/dtheta points right, d/dphi up, so their cross points out.
      const ax = at(i, j + 1, 0) - at(i, j - 1, 0)
      const ay = at(i, j + 1, 1) - at(i, j - 1, 1)
      const az = at(i, j + 1, 2) - at(i, j - 1, 2)
      const bx = at(i + 1, j, 0) - at(i - 1, j, 0)
      const by = at(i + 1, j, 1) - at(i - 1, j, 1)
      const bz = at(i + 1, j, 2) - at(i - 1, j, 2)
      pushVertex(out, px, py, pz, ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx, j / lon, i / lat, 1)
    }
  }
  pushGrid(out, base, lat, lon)
}

/** An ellipsoid in the frame (ex, ey, ez) (right-handed), with per-vertex ambient occlusion. */
const addEllipsoid = (
  out: Builder,
  centre: readonly number[],
  axes: readonly (readonly number[])[],
  radii: readonly number[],
  rows: number,
  cols: number,
  occlusion: (cx: number, cy: number, cz: number) => number,
): void => {
  const base = out.count
  const [ex, ey, ez] = axes
  for (let i = 0; i <= rows; i++) {
    const phi = -Math.PI / 2 + (Math.PI * i) / rows
    for (let j = 0; j <= cols; j++) {
      const theta = -Math.PI + (2 * Math.PI * j) / cols
      const cx = Math.cos(phi) * Math.sin(theta)
      const cy = Math.sin(phi)
      const cz = Math.cos(phi) * Math.cos(theta)
      const p = [0, 1, 2].map((k) => centre[k] + ex[k] * radii[0] * cx + ey[k] * radii[1] * cy + ez[k] * radii[2] * cz)
      const n = [0, 1, 2].map((k) => (ex[k] * cx) / radii[0] + (ey[k] * cy) / radii[1] + (ez[k] * cz) / radii[2])
      pushVertex(out, p[0], p[1], p[2], n[0], n[1], n[2], PLAIN_U, PLAIN_V, occlusion(cx, cy, cz))
    }
  }
  pushGrid(out, base, rows, cols)
}

const addEars = (id: FaceIdentity, out: Builder): void => {
  for (const s of [1, -1]) {
    const b = id.earAngle
    const outward = [s * Math.cos(b), 0, Math.sin(b)]
    const back0 = [s * Math.sin(b), 0, -Math.cos(b)]
    const up0 = [0, 1, 0]
    const c = Math.cos(id.earTilt)
    const sn = Math.sin(id.earTilt)
    // The top of the ear leans backward.
    const up = [0, 1, 2].map((k) => c * up0[k] + sn * back0[k])
    const back = [0, 1, 2].map((k) => c * back0[k] - sn * up0[k])
    const dir = [s, id.earY, -0.12]
    const l = Math.hypot(dir[0], dir[1], dir[2])
    const r = skullRadius(id, dir[0] / l, dir[1] / l, dir[2] / l) * 0.97
    const attach = dir.map((v) => (v / l) * r)
    const w = 0.13 * id.earSize
    const h = 0.24 * id.earSize
    const t = 0.045
    const centre = [0, 1, 2].map((k) => attach[k] + back[k] * w * 0.7 + outward[k] * t * 0.4)
    // Keep the frame right-handed on both sides so the winding stays consistent.
    const ex = s > 0 ? back : back.map((v) => -v)
    addEllipsoid(out, centre, [ex, up, outward], [w, h, t], EAR_ROWS, EAR_COLS, (cx, cy, cz) =>
      0.9 * (cz > 0 ? 1 - 0.5 * cz * Math.exp(-(((s * cx + 0.1) / 0.5) ** 2) - (cy / 0.55) ** 2) : 0.85),
    )
  }
}

const addNeck = (id: FaceIdentity, out: Builder): void => {
  const rows = NECK_ROWS
  const cols = NECK_COLS
  const rx = 0.47 * id.headWidth
  const rz = 0.5 * id.depthFront
  const top = -0.3
  const bottom = -2.4
  const base = out.count
  for (let i = 0; i <= rows; i++) {
    const y = bottom + ((top - bottom) * i) / rows
    // The neck leans forward to meet the head: its top sits further forward than its base.
    const zc = -0.26 + 0.22 * (y - top)
    for (let j = 0; j <= cols; j++) {
      const a = -Math.PI + (2 * Math.PI * j) / cols
      const occlusion = 0.62 + 0.33 * smoothstep(-0.55, -1.1, y)
      pushVertex(out, rx * Math.sin(a), y, zc + rz * Math.cos(a), Math.sin(a) / rx, 0, Math.cos(a) / rz, PLAIN_U, PLAIN_V, occlusion)
    }
  }
  pushGrid(out, base, rows, cols)
}

/** Paints the identity's texture at the given resolution. */
export const paintTexture = (id: FaceIdentity, width: number, height: number): HeadTexture => {
  const data = new Float32Array(width * height * 4)
  const t: Texel = { r: 0, g: 0, b: 0, spec: 0 }
  for (let y = 0; y < height; y++) {
    const phi = -Math.PI / 2 + (Math.PI * (y + 0.5)) / height
    for (let x = 0; x < width; x++) {
      const theta = -Math.PI + (2 * Math.PI * (x + 0.5)) / width
      paintTexel(id, theta, phi, t)
      const o = (y * width + x) * 4
      data[o] = t.r
      data[o + 1] = t.g
      data[o + 2] = t.b
      data[o + 3] = t.spec
    }
  }
  return { width, height, data }
}

/** Builds the mesh and texture of `id` (tens of ms; cache it per identity). */
export const buildHeadMesh = (id: FaceIdentity, detail: MeshDetail): HeadMesh => {
  // Long hair covers the ears.
  const ears = id.hairStyle === 'long' ? 0 : 2
  const b = createBuilder(
    gridVertices(detail.lat, detail.lon) + ears * gridVertices(EAR_ROWS, EAR_COLS) + gridVertices(NECK_ROWS, NECK_COLS),
    gridTriangles(detail.lat, detail.lon) + ears * gridTriangles(EAR_ROWS, EAR_COLS) + gridTriangles(NECK_ROWS, NECK_COLS),
  )
  addHead(id, detail, b)
  if (ears > 0) addEars(id, b)
  addNeck(id, b)
  return {
    vertexCount: b.count,
    positions: b.positions,
    normals: b.normals,
    uvs: b.uvs,
    ao: b.ao,
    triangles: b.triangles,
    texture: paintTexture(id, detail.texWidth, detail.texHeight),
  }
}
