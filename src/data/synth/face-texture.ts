/**
 * The identity's colour texture: albedo and specular strength at each point of the head,
 * painted procedurally in the frontal plane (eyes, brows, lips, nostrils, moles, beard) over a
 * noisy skin, under the hair. Evaluated once per identity into a latitude / longitude map.
 *
 * The texture rows below `PLAIN_SKIN_LATITUDE` (under the chin, hidden by the neck) are left as
 * plain skin: the ears and the neck sample their colour there.
 */
import type { FaceIdentity, Rgb } from './identity'
import { frontWeight, hairCoverage, skullRadius, smoothstep } from './head-shape'
import { fbm3, valueNoise3 } from './noise'

export const PLAIN_SKIN_LATITUDE = -1.35

/** An RGBA-like texel: linear albedo and specular strength. */
export interface Texel {
  r: number
  g: number
  b: number
  spec: number
}

const mixInto = (t: Texel, c: Rgb, a: number): void => {
  t.r += (c[0] - t.r) * a
  t.g += (c[1] - t.g) * a
  t.b += (c[2] - t.b) * a
}
const scale = (t: Texel, k: number): void => {
  t.r *= k
  t.g *= k
  t.b *= k
}

const LASH: Rgb = [0.05, 0.04, 0.04]
const SCLERA: Rgb = [0.62, 0.58, 0.54]
const PUPIL: Rgb = [0.02, 0.02, 0.02]

const paintEye = (id: FaceIdentity, t: Texel, u: number, v: number): void => {
  const q = u / id.eyeWidth
  const aq = Math.abs(q)
  const upper = aq < 1 ? id.eyeOpen * (1 - q * q) ** 0.7 : -1
  const lower = aq < 1 ? -0.65 * id.eyeOpen * (1 - q * q) ** 0.8 : 1
  // The socket shades the skin around the eye.
  scale(t, 1 - 0.12 * Math.exp(-((u / 0.16) ** 2) - ((v - 0.01) / 0.09) ** 2))
  if (aq < 1.08) {
    const crease = Math.exp(-(((v - upper - 0.032) / 0.01) ** 2))
    scale(t, 1 - 0.18 * crease * smoothstep(1.08, 0.6, aq))
  }
  if (aq < 1 && v <= upper && v >= lower) {
    t.spec = 0.35
    const di = Math.hypot(u, v + 0.08 * id.eyeOpen)
    if (di < id.irisRadius * 0.38) {
      mixInto(t, PUPIL, 1)
    } else if (di < id.irisRadius) {
      const k = di / id.irisRadius
      const c = id.irisColour
      const ring = k > 0.85 ? 0.55 : 0.8 + 0.35 * k
      t.r = c[0] * ring
      t.g = c[1] * ring
      t.b = c[2] * ring
    } else {
      t.r = SCLERA[0]
      t.g = SCLERA[1]
      t.b = SCLERA[2]
      // Pink corners: the caruncle inside, shadow outside.
      if (aq > 0.75) mixInto(t, [0.75, 0.5, 0.48], smoothstep(0.75, 1, aq) * 0.7)
    }
    // The upper lid casts a shadow on the eyeball.
    scale(t, 1 - 0.45 * smoothstep(0.45 * id.eyeOpen, 0, upper - v))
    return
  }
  if (aq < 1.1) {
    const fade = smoothstep(1.1, 0.85, aq)
    const upperLash = smoothstep(0.013, 0.004, v - upper) * (v >= upper ? 1 : 0)
    const lowerLash = smoothstep(0.007, 0.0, lower - v) * (v <= lower ? 1 : 0)
    mixInto(t, LASH, Math.max(0.9 * upperLash, 0.35 * lowerLash) * fade)
  }
}

const paintBrow = (id: FaceIdentity, t: Texel, u: number, v: number, strands: number): void => {
  const q = (u - 0.01) / (id.eyeWidth * 1.4)
  if (Math.abs(q) > 1.05) return
  const centre = id.browGap + id.browArch * (1 - q * q)
  const thick = id.browThickness * (1.1 - 0.45 * Math.max(0, q))
  const d = Math.abs(v - centre)
  const a = smoothstep(thick, thick * 0.45, d) * smoothstep(1.05, 0.8, Math.abs(q)) * id.browDensity * (0.7 + 0.6 * strands)
  const h = id.hairColour
  mixInto(t, [h[0] * 0.75, h[1] * 0.72, h[2] * 0.7], Math.min(1, a))
}

const lipMask = (id: FaceIdentity, X: number, Y: number): { lip: number; line: number } => {
  const s = X / id.mouthWidth
  if (Math.abs(s) >= 1) return { lip: 0, line: 0 }
  const edge = Math.sqrt(1 - s * s)
  const bow = 1 - 0.25 * Math.exp(-((X / 0.028) ** 2))
  const top = id.mouthY + id.upperLip * edge * bow
  const bottom = id.mouthY - id.lowerLip * edge
  const lip = smoothstep(top + 0.007, top - 0.005, Y) * smoothstep(bottom - 0.007, bottom + 0.005, Y)
  const lineY = id.mouthY + 0.006 * (1 - s * s)
  const line = smoothstep(0.009, 0.002, Math.abs(Y - lineY)) * smoothstep(1, 0.85, Math.abs(s))
  return { lip, line }
}

const beardMask = (id: FaceIdentity, X: number, Y: number, Z: number, theta: number): number => {
  if (id.beard === 'none' || Math.abs(theta) > 1.5) return 0
  const ax = Math.abs(X)
  // Over the lip the moustache stops under the nose; toward the ears the line rises to the cheek.
  const lipTop = Math.min(id.mouthY + id.upperLip + 0.07, id.noseTipY - 0.07)
  const ragged = 0.05 * fbm3(X * 9, Y * 9, Z * 9, id.textureSeed + 23, 2)
  const top = lipTop + (id.cheekY - 0.12 - lipTop) * smoothstep(id.mouthWidth, 0.55, ax) + ragged
  const region = smoothstep(top + 0.06, top - 0.06, Y) * smoothstep(1.5, 1.2, Math.abs(theta))
  if (id.beard === 'goatee') return region * smoothstep(0.24, 0.18, ax)
  return region
}

// The palette is sRGB; shading happens in linear light. A table beats 3 pow calls a texel.
const LINEAR_LUT = Float32Array.from({ length: 1025 }, (_, i) => (i / 1024) ** 2.2)
const toLinear = (c: number): number => {
  const x = Math.min(1, Math.max(0, c)) * 1024
  const i = Math.min(1023, x | 0)
  return LINEAR_LUT[i] + (LINEAR_LUT[i + 1] - LINEAR_LUT[i]) * (x - i)
}

const paintHair = (id: FaceIdentity, t: Texel, dx: number, dy: number, dz: number, coverage: number): void => {
  const streak = valueNoise3(dx * 40, dy * 6, dz * 40, id.textureSeed + 5)
  const h = id.hairColour
  const k = 0.7 + 0.6 * streak
  mixInto(t, [h[0] * k, h[1] * k, h[2] * k], coverage)
  t.spec = t.spec + (0.04 - t.spec) * coverage
}

const paintFace = (id: FaceIdentity, t: Texel, X: number, Y: number, Z: number, theta: number, front: number): void => {
  const seed = id.textureSeed
  const skin = id.skinColour
  const ax = Math.abs(X)
  const side = X >= 0 ? 1 : -1
  const blush = id.blush * Math.exp(-(((ax - 0.36) / 0.15) ** 2) - ((Y + 0.2) / 0.13) ** 2)
  mixInto(t, [skin[0] * 1.05, skin[1] * 0.75, skin[2] * 0.75], blush * front)
  for (const m of id.moles) {
    const d = Math.sqrt((X - m.x) ** 2 + (Y - m.y) ** 2)
    if (d < m.radius * 1.5) mixInto(t, [skin[0] * 0.35, skin[1] * 0.25, skin[2] * 0.2], smoothstep(m.radius, m.radius * 0.6, d) * front)
  }
  const { lip, line } = lipMask(id, X, Y)
  const beard = beardMask(id, X, Y, Z, theta) * (1 - lip)
  if (beard > 0) {
    const stubble = valueNoise3(X * 160, Y * 160, Z * 160, seed + 11)
    const density = id.beard === 'stubble' ? 0.45 * id.beardDensity : id.beardDensity
    const h = id.hairColour
    mixInto(t, [h[0] * 0.8, h[1] * 0.8, h[2] * 0.8], beard * density * (0.2 + 0.8 * stubble))
  }
  if (lip > 0) {
    const lum = 0.3 * skin[0] + 0.6 * skin[1] + 0.1 * skin[2]
    const c = id.lipColour
    const tone: Rgb = [c[0] * (0.45 + 0.55 * lum), c[1] * (0.35 + 0.65 * lum), c[2] * (0.35 + 0.65 * lum)]
    mixInto(t, tone, lip * 0.85 * front)
    t.spec = 0.08 + 0.15 * lip
  }
  if (line > 0) scale(t, 1 - 0.7 * line)
  // Nostrils: dark openings under the tip, seen from slightly below or at an angle.
  const nostril = Math.exp(-(((ax - id.noseWidth * 0.55) / 0.024) ** 2) - ((Y - (id.noseTipY - 0.04)) / 0.013) ** 2)
  scale(t, 1 - 0.8 * nostril * front)
  // Crease beside the nose wings.
  const crease = Math.exp(-(((ax - id.alaeWidth * 1.05) / 0.015) ** 2) - ((Y - id.noseTipY) / 0.04) ** 2)
  scale(t, 1 - 0.18 * crease * front)
  const u = side * (X - side * id.eyeSep)
  const v = Y - id.eyeY - id.eyeTilt * u
  if (Math.abs(u) < 0.3 && v > -0.15 && v < 0.22) {
    paintEye(id, t, u, v)
    paintBrow(id, t, u, v, valueNoise3(X * 90, Y * 30, Z * 90, seed + 17))
  }
}

/** Paints the texel at (theta, phi) into `t` (linear albedo + specular). */
export const paintTexel = (id: FaceIdentity, theta: number, phi: number, t: Texel): void => {
  const cp = Math.cos(phi)
  const dx = cp * Math.sin(theta)
  const dy = Math.sin(phi)
  const dz = cp * Math.cos(theta)
  const coverage = phi > PLAIN_SKIN_LATITUDE ? hairCoverage(id, theta, phi, () => fbm3(theta * 2.2, phi * 2.2, 0.5, id.textureSeed + 3, 2)) : 0
  t.spec = 0.08
  if (coverage >= 1) {
    t.r = t.g = t.b = 0
    paintHair(id, t, dx, dy, dz, 1)
  } else {
    const r = skullRadius(id, dx, dy, dz)
    const X = r * dx
    const Y = r * dy
    const Z = r * dz
    const skin = id.skinColour
    const k = 1 + 2 * id.skinNoise * fbm3(X * 7, Y * 7, Z * 7, id.textureSeed, 3)
    t.r = skin[0] * k
    t.g = skin[1] * k
    t.b = skin[2] * k
    const front = frontWeight(dz)
    if (front > 0 && phi > PLAIN_SKIN_LATITUDE) paintFace(id, t, X, Y, Z, theta, front)
    if (coverage > 0) paintHair(id, t, dx, dy, dz, coverage)
  }
  t.r = toLinear(t.r)
  t.g = toLinear(t.g)
  t.b = toLinear(t.b)
}
