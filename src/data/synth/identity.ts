/**
 * A synthetic identity: every shape, colour and texture parameter of one 3D head, drawn from a
 * seed (dataset seed + identity index). These are the only things that differ between identities;
 * pose, light and background are drawn per image (see `view.ts`).
 *
 * Units: head coordinates with the head's half-height = 1 (about 11.5 cm), origin at the head
 * centre (between the ears), x to the viewer's right in a frontal view, y up, z toward the viewer.
 * Face features are placed in the frontal plane (X, Y) of the base skull.
 */
import { createRng, gaussian, randInt, uniform, type Rng } from '../../util/rng'
import { mixSeed, SeedPurpose } from './seed'

/** sRGB in [0, 1]. */
export type Rgb = readonly [number, number, number]

export type HairStyle = 'short' | 'medium' | 'long' | 'fringe' | 'bald'
export type BeardStyle = 'none' | 'stubble' | 'full' | 'goatee'

export interface Mole {
  readonly x: number
  readonly y: number
  readonly radius: number
}

export interface FaceIdentity {
  readonly index: number
  // skull: semi-axes of a half-ellipsoid per side
  readonly headWidth: number
  readonly headTop: number
  readonly headBottom: number
  readonly depthFront: number
  readonly depthBack: number
  /** Fraction by which the skull narrows from the cheekbones to the chin. */
  readonly jawTaper: number
  /** Superellipsoid exponent of the lower face: 2 round, higher a squarer jaw and chin. */
  readonly jawSquareness: number
  // eyes
  readonly eyeY: number
  readonly eyeSep: number
  readonly eyeWidth: number
  readonly eyeOpen: number
  readonly eyeTilt: number
  readonly irisRadius: number
  readonly socketDepth: number
  readonly irisColour: Rgb
  // brows
  readonly browGap: number
  readonly browArch: number
  readonly browThickness: number
  readonly browDensity: number
  readonly browRidge: number
  // nose
  readonly noseTipY: number
  readonly noseTip: number
  readonly noseBridge: number
  readonly noseWidth: number
  readonly bridgeWidth: number
  /** Profile exponent: < 1 a convex (aquiline) ridge, > 1 a concave (snub) one. */
  readonly noseCurve: number
  readonly noseHump: number
  readonly alaeWidth: number
  // mouth and chin
  readonly mouthY: number
  readonly mouthWidth: number
  readonly upperLip: number
  readonly lowerLip: number
  readonly lipProtrusion: number
  readonly muzzle: number
  readonly lipColour: Rgb
  readonly chinY: number
  readonly chinProtrusion: number
  readonly chinWidth: number
  // cheeks
  readonly cheekX: number
  readonly cheekY: number
  readonly cheekProminence: number
  // ears
  readonly earSize: number
  readonly earAngle: number
  readonly earY: number
  readonly earTilt: number
  // skin
  readonly skinColour: Rgb
  readonly skinNoise: number
  readonly blush: number
  readonly moles: readonly Mole[]
  // hair
  readonly hairStyle: HairStyle
  readonly hairColour: Rgb
  /** Latitude (radians) of the frontal hairline. */
  readonly hairline: number
  readonly templeRecess: number
  readonly hairVolume: number
  readonly beard: BeardStyle
  readonly beardDensity: number
  /** Seed of this identity's procedural textures. */
  readonly textureSeed: number
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))
/** A normal draw clipped to 2.5 sigma, so no identity is a caricature. */
const normal = (rng: Rng, mean: number, sd: number): number => mean + sd * clamp(gaussian(rng), -2.5, 2.5)
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]

/** Interpolates along a palette at t in [0, 1]. */
const palette = (stops: readonly Rgb[], t: number): Rgb => {
  const x = clamp(t, 0, 1) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(x))
  return mix(stops[i], stops[i + 1], x - i)
}

const SKIN: readonly Rgb[] = [
  [0.97, 0.85, 0.76],
  [0.92, 0.75, 0.63],
  [0.8, 0.59, 0.45],
  [0.64, 0.44, 0.31],
  [0.45, 0.3, 0.21],
  [0.3, 0.19, 0.14],
]
const HAIR: readonly Rgb[] = [
  [0.04, 0.035, 0.035],
  [0.13, 0.08, 0.05],
  [0.28, 0.17, 0.09],
  [0.48, 0.24, 0.11],
  [0.72, 0.56, 0.34],
  [0.85, 0.75, 0.55],
]
const GREY_HAIR: Rgb = [0.62, 0.61, 0.6]
const IRIS: readonly Rgb[] = [
  [0.16, 0.09, 0.05],
  [0.33, 0.2, 0.09],
  [0.42, 0.36, 0.16],
  [0.28, 0.42, 0.25],
  [0.3, 0.46, 0.62],
  [0.5, 0.56, 0.6],
]

const pick = <T>(rng: Rng, items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let r = rng.next() * total
  for (const [item, w] of items) {
    r -= w
    if (r < 0) return item
  }
  return items[items.length - 1][0]
}

/** The identity `index` of the dataset drawn with `datasetSeed`. Pure: same inputs, same head. */
export const drawIdentity = (datasetSeed: number, index: number): FaceIdentity => {
  const rng = createRng(mixSeed(datasetSeed, SeedPurpose.identity, index))
  // Triangular, not uniform: extreme tones stay possible but rare, so that between two random
  // identities colour differs less than pose changes the picture (a pose-sensitive task).
  const skinT = (rng.next() + rng.next()) / 2
  const base = palette(SKIN, skinT)
  const warmth = normal(rng, 0, 0.025)
  const skinColour: Rgb = [clamp(base[0] * (1 + warmth), 0, 1), base[1], clamp(base[2] * (1 - warmth), 0, 1)]
  // Mostly dark hair, as in most populations; fair hair and light eyes go with fair skin.
  const hairT = clamp(rng.next() ** 1.5 * (1.15 - 0.9 * skinT), 0, 1)
  const hairColour = rng.next() < 0.12 ? mix(palette(HAIR, hairT), GREY_HAIR, uniform(rng, 0.4, 0.95)) : palette(HAIR, hairT)
  const irisColour = palette(IRIS, clamp(rng.next() * (1.1 - 0.8 * skinT), 0, 1))
  const hairStyle = pick<HairStyle>(rng, [
    ['short', 0.35],
    ['medium', 0.25],
    ['long', 0.15],
    ['fringe', 0.13],
    ['bald', 0.12],
  ])
  const beard = pick<BeardStyle>(rng, [
    ['none', 0.68],
    ['stubble', 0.14],
    ['full', 0.1],
    ['goatee', 0.08],
  ])
  const eyeY = normal(rng, 0.04, 0.03)
  const mouthY = normal(rng, -0.57, 0.03)
  const lipTint: Rgb = [normal(rng, 0.78, 0.04), normal(rng, 0.42, 0.05), normal(rng, 0.42, 0.04)]
  const moleCount = randInt(rng, 5) - 1
  const moles: Mole[] = []
  for (let i = 0; i < moleCount; i++) {
    moles.push({ x: uniform(rng, -0.5, 0.5), y: uniform(rng, -0.75, 0.35), radius: uniform(rng, 0.008, 0.018) })
  }
  return {
    index,
    headWidth: normal(rng, 0.78, 0.035),
    headTop: normal(rng, 1.0, 0.03),
    headBottom: normal(rng, 0.95, 0.035),
    depthFront: normal(rng, 0.8, 0.035),
    depthBack: normal(rng, 0.95, 0.045),
    jawTaper: normal(rng, 0.2, 0.05),
    jawSquareness: normal(rng, 3.0, 0.35),
    eyeY,
    eyeSep: normal(rng, 0.27, 0.018),
    eyeWidth: normal(rng, 0.11, 0.008),
    eyeOpen: normal(rng, 0.048, 0.007),
    eyeTilt: normal(rng, 0.03, 0.07),
    irisRadius: normal(rng, 0.054, 0.004),
    socketDepth: normal(rng, 0.05, 0.012),
    irisColour,
    browGap: normal(rng, 0.1, 0.015),
    browArch: normal(rng, 0.025, 0.01),
    browThickness: normal(rng, 0.028, 0.006),
    browDensity: clamp(normal(rng, 0.85, 0.12), 0.4, 1),
    browRidge: normal(rng, 0.035, 0.012),
    noseTipY: normal(rng, -0.32, 0.035),
    noseTip: normal(rng, 0.19, 0.03),
    noseBridge: normal(rng, 0.05, 0.015),
    noseWidth: normal(rng, 0.085, 0.01),
    bridgeWidth: normal(rng, 0.05, 0.007),
    noseCurve: clamp(normal(rng, 1.0, 0.2), 0.6, 1.5),
    noseHump: normal(rng, 0.0, 0.012),
    alaeWidth: normal(rng, 0.12, 0.012),
    mouthY,
    mouthWidth: normal(rng, 0.21, 0.018),
    upperLip: normal(rng, 0.05, 0.009),
    lowerLip: normal(rng, 0.06, 0.01),
    lipProtrusion: normal(rng, 0.035, 0.01),
    muzzle: normal(rng, 0.07, 0.015),
    lipColour: lipTint,
    chinY: normal(rng, -0.86, 0.03),
    chinProtrusion: normal(rng, 0.06, 0.018),
    chinWidth: normal(rng, 0.16, 0.025),
    cheekX: normal(rng, 0.42, 0.025),
    cheekY: normal(rng, -0.12, 0.03),
    cheekProminence: normal(rng, 0.04, 0.013),
    earSize: normal(rng, 1.0, 0.09),
    earAngle: clamp(normal(rng, 0.35, 0.12), 0.05, 0.75),
    earY: normal(rng, -0.14, 0.03),
    earTilt: normal(rng, 0.22, 0.07),
    skinColour,
    skinNoise: clamp(normal(rng, 0.05, 0.02), 0.01, 0.1),
    blush: clamp(normal(rng, 0.12, 0.07), 0, 0.3),
    moles,
    hairStyle,
    hairColour,
    hairline: normal(rng, hairStyle === 'bald' ? 1.2 : 0.62, 0.07),
    templeRecess: clamp(normal(rng, 0.12, 0.08), 0, 0.35),
    hairVolume: clamp(normal(rng, hairStyle === 'bald' ? 0.015 : 0.06, 0.02), 0.01, 0.12),
    beard,
    beardDensity: clamp(normal(rng, 0.55, 0.15), 0.25, 0.85),
    textureSeed: mixSeed(datasetSeed, SeedPurpose.texture, index),
  }
}
