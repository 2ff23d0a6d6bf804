/**
 * Deriving independent seeds from structured keys (dataset seed, identity, image, purpose).
 *
 * Each identity and each image gets its own RNG stream, seeded from its key alone, so rendering
 * identity 7 does not depend on how many numbers identity 6 drew: a generator change in one
 * place leaves every other image byte-identical, and images can be rendered in any order.
 */

/** 32-bit avalanche mix (murmur3 finaliser). */
const fmix = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A 32-bit seed from a sequence of integers; different sequences give unrelated seeds. */
export const mixSeed = (...parts: readonly number[]): number => {
  let h = 0x9e3779b9
  for (const p of parts) {
    h = fmix((h ^ fmix((p | 0) + 0x632be5ab)) + Math.imul(h, 5))
  }
  return h
}

/** Stream purposes, so the identity stream and the image streams of one identity never collide. */
export const SeedPurpose = {
  identity: 1,
  trainImage: 2,
  testImage: 3,
  protocol: 4,
  texture: 5,
} as const
