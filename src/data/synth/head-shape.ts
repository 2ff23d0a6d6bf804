/**
 * The head surface of an identity as a radius function over directions from the head centre:
 * an ellipsoid with a different semi-axis on each side (narrowing toward the jaw), plus the face
 * features as smooth bumps and dents in the frontal plane, plus the hair's volume.
 *
 * A star-shaped surface keeps the mesh a plain latitude / longitude grid and makes self-occlusion
 * come for free from the z-buffer: the nose hides the far cheek at 45 degrees, the brow ridge and
 * nose carve the profile silhouette at 90, which is what makes the task pose-sensitive.
 */
import type { FaceIdentity } from './identity'

export const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)))
  return t * t * (3 - 2 * t)
}

const gauss2 = (dx: number, sx: number, dy: number, sy: number): number => Math.exp(-((dx / sx) ** 2) - (dy / sy) ** 2)

/**
 * Radius of the bare skull (no features, no hair) along unit direction (dx, dy, dz). The lower
 * front is a superellipse in the profile plane (exponent up to `jawSquareness`): an ellipsoid's round bottom would
 * put the chin far behind the lips and give a profile without a jaw line.
 */
export const skullRadius = (id: FaceIdentity, dx: number, dy: number, dz: number): number => {
  const ax = id.headWidth * (1 - id.jawTaper * smoothstep(-0.3, -0.95, dy))
  const ay = dy > 0 ? id.headTop : id.headBottom
  const az = dz > 0 ? id.depthFront : id.depthBack
  const jaw = dy < 0 && dz > -0.2 ? smoothstep(0, -0.45, dy) * smoothstep(-0.2, 0.3, dz) : 0
  if (jaw === 0) return 1 / Math.sqrt((dx / ax) ** 2 + (dy / ay) ** 2 + (dz / az) ** 2)
  // Square in the profile plane only: squaring x too would give jowls.
  const p = 2 + (id.jawSquareness - 2) * jaw
  const yz = (Math.abs(dy / ay) ** p + Math.abs(dz / az) ** p) ** (2 / p)
  return 1 / Math.sqrt((dx / ax) ** 2 + yz)
}

/** How much a direction belongs to the face (the front): 0 at the sides, 1 on the face. */
export const frontWeight = (dz: number): number => smoothstep(0.2, 0.6, dz)

const noseHeight = (id: FaceIdentity, X: number, Y: number): number => {
  const yTop = id.eyeY + 0.02
  const yTip = id.noseTipY
  let h: number
  let w: number
  if (Y >= yTop) {
    h = id.noseBridge * Math.exp(-(((Y - yTop) / 0.07) ** 2))
    w = id.bridgeWidth
  } else if (Y >= yTip) {
    const t = (yTop - Y) / (yTop - yTip)
    h = id.noseBridge + (id.noseTip - id.noseBridge) * t ** id.noseCurve + id.noseHump * Math.sin(Math.PI * t)
    w = id.bridgeWidth + (id.noseWidth - id.bridgeWidth) * t * t
  } else {
    // Under the tip the nose falls back to the lip quickly: the columella and nostrils.
    h = id.noseTip * Math.exp(-(((Y - yTip) / 0.05) ** 2))
    w = id.noseWidth
  }
  const ridge = h * Math.exp(-((X / w) ** 2))
  const alae = 0.05 * gauss2(Math.abs(X) - id.alaeWidth * 0.72, 0.045, Y - (yTip - 0.015), 0.045)
  return ridge + alae
}

/** Face-feature displacement (radial, head units) at frontal-plane point (X, Y). */
export const featureHeight = (id: FaceIdentity, X: number, Y: number): number => {
  const ax = Math.abs(X)
  const eyeDx = ax - id.eyeSep
  const socket = -id.socketDepth * gauss2(eyeDx, 0.14, Y - id.eyeY - 0.01, 0.09)
  const eyeball = id.socketDepth * 0.6 * gauss2(eyeDx, id.eyeWidth * 0.95, Y - id.eyeY, id.eyeWidth * 0.55)
  const browY = id.eyeY + id.browGap
  const brow = id.browRidge * Math.exp(-(((Y - browY) / 0.06) ** 2) - (X / 0.42) ** 4)
  const cheek = id.cheekProminence * gauss2(ax - id.cheekX, 0.14, Y - id.cheekY, 0.12)
  const muzzle = id.muzzle * gauss2(X, 0.26, Y - (id.mouthY + 0.04), 0.16)
  const mw = id.mouthWidth
  const upper = id.lipProtrusion * Math.exp(-((X / mw) ** 4) - ((Y - (id.mouthY + id.upperLip * 0.6)) / (id.upperLip * 0.9)) ** 2)
  const lower =
    id.lipProtrusion * 1.05 * Math.exp(-((X / (mw * 0.9)) ** 4) - ((Y - (id.mouthY - id.lowerLip * 0.6)) / (id.lowerLip * 0.9)) ** 2)
  const sulcus = -0.02 * gauss2(X, 0.15, Y - (id.mouthY - 0.14), 0.04)
  const chin = id.chinProtrusion * gauss2(X, id.chinWidth, Y - id.chinY, 0.1)
  return socket + eyeball + brow + cheek + muzzle + upper + lower + sulcus + chin + noseHeight(id, X, Y)
}

const lerpKnots = (ts: readonly number[], vs: readonly number[], t: number): number => {
  if (t <= ts[0]) return vs[0]
  for (let i = 1; i < ts.length; i++) {
    if (t <= ts[i]) {
      const u = smoothstep(ts[i - 1], ts[i], t)
      return vs[i - 1] + (vs[i] - vs[i - 1]) * u
    }
  }
  return vs[vs.length - 1]
}

/**
 * Latitude (radians) of the hair boundary at longitude `theta`: hair lies above it.
 * Knots go front (|theta| = 0), temple, sideburn, above the ear, behind the ear, nape.
 */
export const hairBoundary = (id: FaceIdentity, theta: number): number =>
  lerpKnots(HAIR_KNOTS, hairLatitudes(id), Math.abs(theta) / Math.PI)

// The ear sits a little behind |theta| = 90 degrees (t = 0.5): the hairline goes around it.
const HAIR_KNOTS = [0, 0.24, 0.43, 0.54, 0.65, 1]
// Memo: the boundary is evaluated for every texel and vertex of the identity.
const latitudeCache = new WeakMap<FaceIdentity, readonly number[]>()
const hairLatitudes = (id: FaceIdentity): readonly number[] => {
  const cached = latitudeCache.get(id)
  if (cached) return cached
  const front = id.hairStyle === 'fringe' ? 0.32 : id.hairline
  const temple = id.hairStyle === 'fringe' ? 0.3 : Math.max(0.05, id.hairline - 0.25 + id.templeRecess)
  const side = id.hairStyle === 'long' ? -0.75 : id.hairStyle === 'medium' ? -0.05 : 0.14
  const nape = id.hairStyle === 'long' ? -1.3 : id.hairStyle === 'medium' ? -0.75 : -0.55
  const values = [front, temple, -0.08, side, Math.min(side, -0.1), nape]
  latitudeCache.set(id, values)
  return values
}

/** Bald heads keep only a horseshoe of hair around the back: the crown cap is removed. */
const baldCap = (id: FaceIdentity, theta: number, phi: number): number =>
  id.hairStyle === 'bald' ? 1 - smoothstep(-0.1, 0.1, phi - (0.3 + 0.35 * (Math.abs(theta) / Math.PI))) : 1

/**
 * Hair coverage in [0, 1] at (theta, phi). `wiggle()` (about ±0.5) roughens the hairline; it is
 * only called near the hairline, since noise is the costly part of painting a texel.
 */
export const hairCoverage = (id: FaceIdentity, theta: number, phi: number, wiggle: () => number): number => {
  let b = hairBoundary(id, theta)
  if (Math.abs(phi - b) < 0.04) b += 0.025 * wiggle()
  return smoothstep(b - 0.025, b + 0.025, phi) * baldCap(id, theta, phi)
}

/** Hair thickness (head units) at (theta, phi): grows away from the hairline, no cliff at it. */
export const hairThickness = (id: FaceIdentity, theta: number, phi: number): number => {
  const b = hairBoundary(id, theta)
  return id.hairVolume * smoothstep(b - 0.02, b + 0.25, phi) * baldCap(id, theta, phi)
}

/**
 * The head surface point (skull + hair along the radius, face features pushed mostly forward)
 * for direction (dx, dy, dz) = dir(theta, phi), written into `out`. Features move along a
 * forward-leaning direction rather than the radius: under the nose and at the chin the radius
 * points down, and a chin pushed down instead of forward is no chin.
 */
export const headPoint = (
  id: FaceIdentity,
  theta: number,
  phi: number,
  dx: number,
  dy: number,
  dz: number,
  out: Float64Array,
  o: number,
): void => {
  const r = skullRadius(id, dx, dy, dz) + hairThickness(id, theta, phi)
  const front = frontWeight(dz)
  let h = 0
  let fx = 0
  let fy = 0
  let fz = 1
  if (front > 0) {
    const rs = skullRadius(id, dx, dy, dz)
    h = front * featureHeight(id, rs * dx, rs * dy)
    const l = Math.sqrt(0.25 * dx * dx + 0.25 * dy * dy + dz * dz)
    fx = (0.5 * dx) / l
    fy = (0.5 * dy) / l
    fz = dz / l
  }
  out[o] = r * dx + h * fx
  out[o + 1] = r * dy + h * fy
  out[o + 2] = r * dz + h * fz
}
