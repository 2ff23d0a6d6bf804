/**
 * The few statistics the comparison text needs: mean, standard deviations, and two exact paired
 * tests that assume nothing about the shape of the differences.
 *
 * - Sign test over matched folds: of the folds where the two models differ, how many go each
 *   way; two-sided exact binomial p under "each way equally likely".
 * - McNemar's exact test over matched pairs: pairs only the variant gets right (b) against pairs
 *   only the baseline gets right (c); two-sided exact binomial p of b among b + c.
 */

export const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Population standard deviation (numpy's default; what insightface reports over folds). */
export const populationStd = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / xs.length)
}

/** Sample standard deviation (n − 1); 0 for one value. */
export const sampleStd = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN
  if (xs.length === 1) return 0
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / (xs.length - 1))
}

const logFactorials: number[] = [0]
const logFactorial = (n: number): number => {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i))
  return logFactorials[n]
}

/** P(X = k) for X ~ Binomial(n, 1/2). */
const halfBinomial = (k: number, n: number): number => Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) - n * Math.LN2)

/** Two-sided exact binomial test of k successes in n trials against p = 1/2; 1 when n = 0. */
export const binomialTwoSided = (k: number, n: number): number => {
  if (n === 0) return 1
  const lo = Math.min(k, n - k)
  let tail = 0
  for (let i = 0; i <= lo; i++) tail += halfBinomial(i, n)
  return Math.min(1, 2 * tail)
}

export interface SignTest {
  readonly wins: number
  readonly losses: number
  readonly ties: number
  readonly p: number
}

/** Sign test of matched differences `a[i] − b[i]` (ties, |d| < 1e-12, dropped). */
export const signTest = (a: readonly number[], b: readonly number[]): SignTest => {
  let wins = 0
  let losses = 0
  let ties = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i]
    if (Math.abs(d) < 1e-12) ties++
    else if (d > 0) wins++
    else losses++
  }
  return { wins, losses, ties, p: binomialTwoSided(wins, wins + losses) }
}

export interface McNemar {
  /** Pairs the first model gets right and the second wrong. */
  readonly onlyFirst: number
  /** Pairs the second model gets right and the first wrong. */
  readonly onlySecond: number
  readonly p: number
}

/** McNemar's exact test on two equally long '0'/'1' strings of per-pair correctness. */
export const mcnemar = (first: string, second: string): McNemar => {
  let onlyFirst = 0
  let onlySecond = 0
  for (let i = 0; i < first.length; i++) {
    if (first[i] === '1' && second[i] === '0') onlyFirst++
    else if (first[i] === '0' && second[i] === '1') onlySecond++
  }
  return { onlyFirst, onlySecond, p: binomialTwoSided(onlyFirst, onlyFirst + onlySecond) }
}
