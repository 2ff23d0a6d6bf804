/**
 * Seeded value noise (lattice hash, smooth trilinear blend) and its fractal sum: the procedural
 * skin blotches, hair streaks and noisy backgrounds. Pure functions of (seed, point), so a texel's
 * value does not depend on evaluation order.
 */

const hash3 = (x: number, y: number, z: number, seed: number): number => {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x1b873593) ^ seed
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296
}

const fade = (t: number): number => t * t * (3 - 2 * t)

/** Value noise in [0, 1) at a 3D point; lattice spacing 1. */
export const valueNoise3 = (x: number, y: number, z: number, seed: number): number => {
  const x0 = Math.floor(x)
  const y0 = Math.floor(y)
  const z0 = Math.floor(z)
  const tx = fade(x - x0)
  const ty = fade(y - y0)
  const tz = fade(z - z0)
  const c000 = hash3(x0, y0, z0, seed)
  const c100 = hash3(x0 + 1, y0, z0, seed)
  const c010 = hash3(x0, y0 + 1, z0, seed)
  const c110 = hash3(x0 + 1, y0 + 1, z0, seed)
  const c001 = hash3(x0, y0, z0 + 1, seed)
  const c101 = hash3(x0 + 1, y0, z0 + 1, seed)
  const c011 = hash3(x0, y0 + 1, z0 + 1, seed)
  const c111 = hash3(x0 + 1, y0 + 1, z0 + 1, seed)
  const x00 = c000 + (c100 - c000) * tx
  const x10 = c010 + (c110 - c010) * tx
  const x01 = c001 + (c101 - c001) * tx
  const x11 = c011 + (c111 - c011) * tx
  const y0v = x00 + (x10 - x00) * ty
  const y1v = x01 + (x11 - x01) * ty
  return y0v + (y1v - y0v) * tz
}

/** Fractal sum of `octaves` value-noise layers, centred on 0, roughly in [-0.5, 0.5]. */
export const fbm3 = (x: number, y: number, z: number, seed: number, octaves = 3): number => {
  let sum = 0
  let amp = 0.5
  let norm = 0
  let f = 1
  for (let o = 0; o < octaves; o++) {
    sum += amp * (valueNoise3(x * f, y * f, z * f, seed + o * 7919) - 0.5)
    norm += amp
    amp *= 0.5
    f *= 2.03
  }
  return sum / norm
}
