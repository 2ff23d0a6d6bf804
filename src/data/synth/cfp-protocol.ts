/**
 * Verification pairs in the CFP protocol layout (Sengupta et al., WACV 2016), for the held-out
 * synthetic identities: `Protocol/Pair_list_F.txt` / `Pair_list_P.txt` (`<n> <path>` a line,
 * 1-based over all frontal / profile images) and `Protocol/Split/{FF,FP}/01..10/{same,diff}.txt`
 * (`a,b` a line: FF frontal,frontal; FP frontal,profile). As in CFP, the 10 splits hold disjoint
 * identities and every pair, same or different, stays inside its split.
 */
import { permutation, randInt, type Rng } from '../../util/rng'

export interface CfpLayout {
  readonly identities: number
  readonly frontalPerIdentity: number
  readonly profilePerIdentity: number
}

export type Pair = readonly [number, number]

export interface SplitPairs {
  readonly same: readonly Pair[]
  readonly diff: readonly Pair[]
}

export interface CfpPairs {
  readonly FF: readonly SplitPairs[]
  readonly FP: readonly SplitPairs[]
}

export const SPLITS = 10
/** Identities per split needed for different-identity pairs inside every split. */
export const MIN_TEST_IDENTITIES = 2 * SPLITS

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** `Data/Images/NNN/<kind>/NN.png` for 0-based identity and image (CFP numbers from 1). */
export const cfpImagePath = (layout: CfpLayout, identity: number, kind: 'frontal' | 'profile', image: number): string => {
  const idWidth = Math.max(3, String(layout.identities).length)
  const count = kind === 'frontal' ? layout.frontalPerIdentity : layout.profilePerIdentity
  return `Data/Images/${pad(identity + 1, idWidth)}/${kind}/${pad(image + 1, Math.max(2, String(count).length))}.png`
}

/** Contents of `Pair_list_F.txt` or `Pair_list_P.txt`. */
export const pairList = (layout: CfpLayout, kind: 'frontal' | 'profile'): string => {
  const per = kind === 'frontal' ? layout.frontalPerIdentity : layout.profilePerIdentity
  const lines: string[] = []
  for (let i = 0; i < layout.identities; i++) {
    for (let j = 0; j < per; j++) lines.push(`${i * per + j + 1} ${cfpImagePath(layout, i, kind, j)}\n`)
  }
  return lines.join('')
}

/** Identities of split s (0-based): a contiguous block, sizes differing by at most one. */
export const splitIdentities = (identities: number, s: number): number[] => {
  const from = Math.floor((s * identities) / SPLITS)
  const to = Math.floor(((s + 1) * identities) / SPLITS)
  return Array.from({ length: to - from }, (_, i) => from + i)
}

/**
 * Same pairs drawn round-robin over the split's identities (each identity's candidates
 * shuffled), so identities contribute equally, as in CFP (7 FP same pairs per identity).
 */
const samePairs = (rng: Rng, candidatesOf: (identity: number) => Pair[], ids: readonly number[], n: number): Pair[] => {
  const pools = ids.map((i) => {
    const c = candidatesOf(i)
    return permutation(rng, c.length).map((k) => c[k])
  })
  const out: Pair[] = []
  for (let round = 0; out.length < n; round++) {
    let took = false
    for (const pool of pools) {
      if (round < pool.length && out.length < n) {
        out.push(pool[round])
        took = true
      }
    }
    if (!took) break
  }
  return out
}

const diffPairs = (rng: Rng, ids: readonly number[], perA: number, perB: number, n: number): Pair[] => {
  const seen = new Set<string>()
  const out: Pair[] = []
  const capacity = ids.length * (ids.length - 1) * perA * perB
  while (out.length < Math.min(n, capacity)) {
    const a = ids[randInt(rng, ids.length)]
    let b = ids[randInt(rng, ids.length - 1)]
    if (b >= a) b = ids[ids.indexOf(b) + 1]
    const pair: Pair = [a * perA + randInt(rng, perA) + 1, b * perB + randInt(rng, perB) + 1]
    const key = `${pair[0]},${pair[1]}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(pair)
    }
  }
  return out
}

/**
 * Draws the FF and FP pairs of all splits: per split `min(pairsPerSplit, available same pairs)`
 * same pairs and as many different pairs.
 */
export const drawCfpPairs = (rng: Rng, layout: CfpLayout, pairsPerSplit: number): CfpPairs => {
  const F = layout.frontalPerIdentity
  const P = layout.profilePerIdentity
  const ff: SplitPairs[] = []
  const fp: SplitPairs[] = []
  for (let s = 0; s < SPLITS; s++) {
    const ids = splitIdentities(layout.identities, s)
    const ffSame = samePairs(
      rng,
      (i) => {
        const c: Pair[] = []
        for (let a = 0; a < F; a++) for (let b = a + 1; b < F; b++) c.push([i * F + a + 1, i * F + b + 1])
        return c
      },
      ids,
      pairsPerSplit,
    )
    ff.push({ same: ffSame, diff: diffPairs(rng, ids, F, F, ffSame.length) })
    const fpSame = samePairs(
      rng,
      (i) => {
        const c: Pair[] = []
        for (let a = 0; a < F; a++) for (let b = 0; b < P; b++) c.push([i * F + a + 1, i * P + b + 1])
        return c
      },
      ids,
      pairsPerSplit,
    )
    fp.push({ same: fpSame, diff: diffPairs(rng, ids, F, P, fpSame.length) })
  }
  return { FF: ff, FP: fp }
}

/** `a,b` lines, as in CFP's `same.txt` / `diff.txt`. */
export const pairLines = (pairs: readonly Pair[]): string => pairs.map(([a, b]) => `${a},${b}\n`).join('')

/** `Split/FF/01` ... `Split/FP/10`. */
export const splitDir = (protocol: 'FF' | 'FP', s: number): string => `Split/${protocol}/${pad(s + 1, 2)}`
