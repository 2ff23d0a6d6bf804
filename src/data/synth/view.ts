/**
 * Everything about one picture that is not the identity: head pose, light, framing jitter,
 * background and sensor noise, drawn from a per-image RNG. The yaw itself is chosen by the
 * caller (see `yaw-distribution.ts`); pitch and roll are small jitters, as in aligned crops.
 *
 * Yaw convention: positive yaw turns the face toward the viewer's right (the subject's left), so
 * at +90 degrees the nose points to the image's right edge. A horizontal flip negates the yaw.
 */
import type { Rgb } from './identity'
import { gaussian, uniform, type Rng } from '../../util/rng'

export type Background =
  | { readonly _tag: 'plain'; readonly colour: Rgb; readonly gradient: number }
  | { readonly _tag: 'noise'; readonly colour: Rgb; readonly colour2: Rgb; readonly scale: number; readonly seed: number }

export interface FaceView {
  /** Degrees, in [-90, 90]. */
  readonly yaw: number
  readonly pitch: number
  readonly roll: number
  /** Unit direction toward the light, camera coordinates (x right, y up, z toward the viewer). */
  readonly light: readonly [number, number, number]
  readonly ambient: number
  readonly diffuse: number
  readonly lightTint: Rgb
  /** Multiplies the head's on-screen size. */
  readonly zoom: number
  /** Framing offset as a fraction of the image size. */
  readonly shiftX: number
  readonly shiftY: number
  readonly background: Background
  /** Standard deviation of additive pixel noise, in 8-bit levels. */
  readonly noise: number
  /** Seed of the pixel noise. */
  readonly noiseSeed: number
}

const clip = (x: number, lim: number): number => Math.max(-lim, Math.min(lim, x))

const normalise = (v: readonly number[]): [number, number, number] => {
  const l = Math.hypot(v[0], v[1], v[2])
  return [v[0] / l, v[1] / l, v[2] / l]
}

/** A frontal view with no jitter, a light from the upper front and a grey background. */
export const canonicalView = (yaw: number): FaceView => ({
  yaw,
  pitch: 0,
  roll: 0,
  light: normalise([0.3, 0.35, 0.89]),
  ambient: 0.45,
  diffuse: 0.75,
  lightTint: [1, 1, 1],
  zoom: 1,
  shiftX: 0,
  shiftY: 0,
  background: { _tag: 'plain', colour: [0.5, 0.5, 0.5], gradient: 0 },
  noise: 0,
  noiseSeed: 0,
})

const randomColour = (rng: Rng): Rgb => {
  // Muted colours: real backgrounds are rarely saturated.
  const grey = uniform(rng, 0.1, 0.9)
  const sat = uniform(rng, 0, 0.35)
  return [0, 1, 2].map(() => Math.max(0, Math.min(1, grey + sat * (rng.next() - 0.5)))) as unknown as Rgb
}

/** Draws the nuisance parameters of one image at the given yaw. */
export const sampleView = (rng: Rng, yaw: number): FaceView => {
  const azimuth = uniform(rng, -65, 65) * (Math.PI / 180)
  const elevation = uniform(rng, -5, 50) * (Math.PI / 180)
  const light = normalise([Math.sin(azimuth) * Math.cos(elevation), Math.sin(elevation), Math.cos(azimuth) * Math.cos(elevation)])
  const warm = uniform(rng, -0.08, 0.08)
  const background: Background =
    rng.next() < 0.5
      ? { _tag: 'plain', colour: randomColour(rng), gradient: uniform(rng, -0.15, 0.15) }
      : { _tag: 'noise', colour: randomColour(rng), colour2: randomColour(rng), scale: uniform(rng, 2, 10), seed: Math.floor(rng.next() * 2 ** 31) }
  return {
    yaw,
    pitch: clip(gaussian(rng) * 4, 10),
    roll: clip(gaussian(rng) * 3, 8),
    light,
    ambient: uniform(rng, 0.3, 0.5),
    diffuse: uniform(rng, 0.55, 0.85),
    lightTint: [1 + warm, 1, 1 - warm],
    zoom: uniform(rng, 0.96, 1.04),
    shiftX: uniform(rng, -0.02, 0.02),
    shiftY: uniform(rng, -0.02, 0.02),
    background,
    noise: uniform(rng, 0, 3),
    noiseSeed: Math.floor(rng.next() * 2 ** 31),
  }
}
