/**
 * A small, seedable, serialisable random number generator (SplitMix32 / Mulberry32 family).
 *
 * Its whole state is one 32-bit integer, so a checkpoint stores it as a number and a resumed run
 * draws exactly the numbers an uninterrupted one would. Never use `Math.random` where a result
 * must be reproducible.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** The current state; `createRng(rng.state())` continues the same stream. */
  state(): number
}

export const createRng = (seed: number): Rng => {
  let s = seed >>> 0
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0
      let t = s
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    },
    state: () => s,
  }
}

/** Uniform in [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next()

/** Integer uniform in [0, n). */
export const randInt = (rng: Rng, n: number): number => Math.floor(rng.next() * n)

/** Standard normal draw (Box-Muller). */
export const gaussian = (rng: Rng): number => {
  const u = Math.max(rng.next(), 1e-12)
  const v = rng.next()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Fisher-Yates shuffle of `0..n-1`, drawn from `rng`. */
export const permutation = (rng: Rng, n: number): number[] => {
  const p = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = randInt(rng, i + 1)
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}
