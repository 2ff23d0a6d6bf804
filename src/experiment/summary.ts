/**
 * From the finished runs of a plan to what the report shows: per variant and evaluation set the
 * accuracy with its spread, the differences from the baseline with paired tests, and accuracy by
 * |yaw|.
 *
 * Spread. With one seed, the spread is the fold-to-fold standard deviation of that run
 * (population std over the 10 folds, as the field reports it); with one seed and several CFP test
 * splits, over the splits. With several seeds, each seed's mean is one value and the spread is
 * the sample standard deviation (n − 1) of those means: the run-to-run variation a reader must
 * beat before believing a difference.
 *
 * Comparisons (variant against baseline, per set) use only seeds (and splits) both have finished:
 * Δ of the means; whether |Δ| exceeds the larger of the two spreads; a sign test over matched
 * folds (seed by seed, fold by fold); and McNemar's exact test over matched pairs.
 */
import { accuracyByYaw, type YawBin } from '../eval/report'
import type { FoldOutcome, SetOutcome } from './evaluate'
import type { RunSpec } from './plan'
import type { RunResults } from './results'
import { mcnemar, type McNemar, mean, populationStd, sampleStd, signTest, type SignTest } from './stats'

export interface VariantInfo {
  readonly name: string
  readonly label: string
  readonly model: string
  /** Trainable parameters (static audit), when known. */
  readonly params?: number
  readonly runsPlanned: number
  readonly runsDone: number
}

export interface SeedCell {
  readonly seed: number
  readonly runs: readonly string[]
  /** The values the spread is taken over: the run's folds, or one accuracy per test split. */
  readonly units: readonly number[]
  readonly mean: number
  readonly unitStd: number
  /** Per-pair correctness of the seed's runs, concatenated in split order. */
  readonly correct: string
  readonly pairYaw?: readonly number[]
}

export type SpreadKind = 'folds' | 'splits' | 'seeds'

export interface Cell {
  readonly variant: string
  readonly set: string
  readonly seeds: readonly SeedCell[]
  readonly mean: number
  readonly std: number
  readonly spread: SpreadKind
  /** Number of values behind `std` (folds, splits or seeds). */
  readonly n: number
  readonly runsPlanned: number
  readonly runsDone: number
  readonly folding: string
}

export type Verdict = 'within' | 'exceeds' | 'confirmed'

export interface Comparison {
  readonly variant: string
  readonly set: string
  /** Variant mean − baseline mean (fractions), over the seeds both have. */
  readonly delta: number
  readonly variantMean: number
  readonly baselineMean: number
  /** The larger of the two spreads (fractions). */
  readonly spread: number
  readonly spreadKind: SpreadKind
  readonly sign?: SignTest
  readonly mcnemar?: McNemar
  readonly verdict: Verdict
  /** The plain-words line of the report. */
  readonly text: string
}

export interface YawRow {
  readonly variant: string
  /** A set name, or 'all' for every set with known yaw pooled. */
  readonly set: string
  /** All seeds pooled. */
  readonly bins: readonly YawBin[]
  /** The same bins seed by seed, in the order of the cell's seeds. */
  readonly seedBins: readonly (readonly YawBin[])[]
}

export interface Summary {
  readonly baseline: string
  readonly columns: readonly string[]
  readonly variants: readonly VariantInfo[]
  readonly cells: readonly Cell[]
  readonly comparisons: readonly Comparison[]
  readonly yaw: readonly YawRow[]
  readonly yawEdges: readonly number[]
}

/** |yaw| bins of the report: 15° wide (CFP only fills the first and the last). */
export const YAW_EDGES: readonly number[] = [0, 15, 30, 45, 60, 75, 90]

const setOf = (r: RunResults, set: string): SetOutcome | undefined => r.sets.find((s) => s.name === set)

const seedCell = (seed: number, runs: readonly RunResults[], set: string): SeedCell | undefined => {
  const outs = runs.map((r) => setOf(r, set))
  if (outs.some((o) => o === undefined)) return undefined
  const sets = outs as SetOutcome[]
  const units = sets.length === 1 ? sets[0].folds.map((f: FoldOutcome) => f.accuracy) : sets.map((s) => s.accuracy.mean)
  const yaws = sets.every((s) => s.pairYaw !== undefined) ? sets.flatMap((s) => s.pairYaw as number[]) : undefined
  return {
    seed,
    runs: runs.map((r) => r.id),
    units,
    mean: mean(units),
    unitStd: populationStd(units),
    correct: sets.map((s) => s.correct).join(''),
    ...(yaws === undefined ? {} : { pairYaw: yaws }),
  }
}

/** Cells of one variant and set from its finished runs (grouped by seed, splits in order). */
const makeCell = (variant: string, set: string, specs: readonly RunSpec[], done: ReadonlyMap<string, RunResults>): Cell | undefined => {
  const mine = specs.filter((s) => s.name === variant)
  const seeds = [...new Set(mine.map((s) => s.seed))]
  const cells: SeedCell[] = []
  let runsDone = 0
  for (const seed of seeds) {
    const planned = mine.filter((s) => s.seed === seed).sort((a, b) => (a.testSplit ?? 0) - (b.testSplit ?? 0))
    const finished = planned.map((s) => done.get(s.id)).filter((r): r is RunResults => r !== undefined && setOf(r, set) !== undefined)
    runsDone += finished.length
    // A seed counts once all its splits are in, so every seed's mean covers the same splits.
    if (finished.length === planned.length) {
      const c = seedCell(seed, finished, set)
      if (c) cells.push(c)
    }
  }
  if (cells.length === 0) return undefined
  const first = [...done.values()].find((r) => r.name === variant && setOf(r, set))
  const folding = first ? (setOf(first, set) as SetOutcome).folding : ''
  if (cells.length === 1) {
    const c = cells[0]
    return {
      variant,
      set,
      seeds: cells,
      mean: c.mean,
      std: c.unitStd,
      spread: c.runs.length > 1 ? 'splits' : 'folds',
      n: c.units.length,
      runsPlanned: mine.length,
      runsDone,
      folding,
    }
  }
  const means = cells.map((c) => c.mean)
  return { variant, set, seeds: cells, mean: mean(means), std: sampleStd(means), spread: 'seeds', n: cells.length, runsPlanned: mine.length, runsDone, folding }
}

const pp = (x: number, digits = 2): string => (x * 100).toFixed(digits)
const signed = (x: number, digits = 2): string => {
  const v = pp(Math.abs(x), digits)
  return `${x < 0 && Number(v) !== 0 ? '−' : '+'}${v}`
}
const pValue = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`)

const SPREAD_WORDS: Readonly<Record<SpreadKind, string>> = {
  folds: 'fold-to-fold std',
  splits: 'split-to-split std',
  seeds: 'seed-to-seed std',
}

/** Variant against baseline on one set, over the seeds both have finished. */
export const compare = (variant: Cell, baseline: Cell, labels: { readonly variant: string; readonly baseline: string }): Comparison => {
  const common = variant.seeds.map((s) => s.seed).filter((s) => baseline.seeds.some((b) => b.seed === s))
  const pick = (c: Cell) => common.map((s) => c.seeds.find((x) => x.seed === s) as SeedCell)
  const v = pick(variant)
  const b = pick(baseline)
  const vMean = mean(v.map((s) => s.mean))
  const bMean = mean(b.map((s) => s.mean))
  const delta = vMean - bMean
  const spread = Math.max(variant.std, baseline.std)
  const spreadKind: SpreadKind = variant.spread === 'seeds' || baseline.spread === 'seeds' ? 'seeds' : variant.spread
  const matchedUnits = common.length > 0 && v.every((s, i) => s.units.length === b[i].units.length)
  const sign = matchedUnits ? signTest(v.flatMap((s) => s.units), b.flatMap((s) => s.units)) : undefined
  const matchedPairs = common.length > 0 && v.every((s, i) => s.correct.length === b[i].correct.length && s.correct.length > 0)
  const mc = matchedPairs ? mcnemar(v.map((s) => s.correct).join(''), b.map((s) => s.correct).join('')) : undefined
  const exceeds = Math.abs(delta) > spread
  const tests = [sign?.p, mc?.p].filter((p): p is number => p !== undefined)
  const allSignificant = tests.length > 0 && tests.every((p) => p < 0.05)
  const verdict: Verdict = !exceeds ? 'within' : allSignificant ? 'confirmed' : 'exceeds'
  const unconfirmed = [...(sign && sign.p >= 0.05 ? ['the sign test over folds'] : []), ...(mc && mc.p >= 0.05 ? ['McNemar\'s test over pairs'] : [])]
  const seedsText = common.length > 1 ? `, ${common.length} seeds` : ''
  const parts = [
    `**${labels.variant}** vs ${labels.baseline} on ${variant.set}: ${signed(delta)} points (${pp(vMean)} vs ${pp(bMean)}${seedsText}); ` +
      `the larger ${SPREAD_WORDS[spreadKind]} is ${pp(spread)}, so |Δ| is ${exceeds ? 'larger than' : 'within'} the spread.`,
  ]
  if (sign) {
    const n = sign.wins + sign.losses + sign.ties
    parts.push(`Matched folds: better on ${sign.wins}, worse on ${sign.losses}, equal on ${sign.ties} of ${n} (sign test ${pValue(sign.p)}).`)
  }
  if (mc) parts.push(`Matched pairs: ${mc.onlyFirst} right only with ${labels.variant}, ${mc.onlySecond} only with ${labels.baseline} (McNemar ${pValue(mc.p)}).`)
  const conclusion =
    verdict === 'within'
      ? tests.some((p) => p < 0.05)
        ? 'Verdict: within the spread — the paired tests show a consistent but small shift; not a difference to report on its own.'
        : 'Verdict: no difference can be claimed.'
      : verdict === 'confirmed'
        ? spreadKind === 'seeds'
          ? 'Verdict: a difference — larger than the seed-to-seed spread and every paired test gives p < 0.05.'
          : 'Verdict: these two trained networks differ (larger than the spread, every paired test p < 0.05), but with one seed the variation from training to training is not measured; more seeds are needed before crediting the variant.'
        : `Verdict: larger than the spread, but ${unconfirmed.length === 0 ? 'no paired test could be run' : `${unconfirmed.join(' and ')} ${unconfirmed.length > 1 ? 'do' : 'does'} not confirm it (p ≥ 0.05)`}; treat as unresolved.`
  parts.push(conclusion)
  if (variant.runsDone < variant.runsPlanned || baseline.runsDone < baseline.runsPlanned) {
    parts.push(`(Partial: ${variant.runsDone}/${variant.runsPlanned} and ${baseline.runsDone}/${baseline.runsPlanned} runs finished.)`)
  }
  return { variant: variant.variant, set: variant.set, delta, variantMean: vMean, baselineMean: bMean, spread, spreadKind, sign, mcnemar: mc, verdict, text: parts.join(' ') }
}

/** Everything the report needs from the plan's runs and the results found. */
export const summarize = (
  o: {
    readonly baseline: string
    readonly columns: readonly string[]
    readonly variants: readonly Omit<VariantInfo, 'runsPlanned' | 'runsDone'>[]
    readonly specs: readonly RunSpec[]
  },
  done: ReadonlyMap<string, RunResults>,
): Summary => {
  const variants: VariantInfo[] = o.variants.map((v) => ({
    ...v,
    runsPlanned: o.specs.filter((s) => s.name === v.name).length,
    runsDone: o.specs.filter((s) => s.name === v.name && done.has(s.id)).length,
  }))
  const cells: Cell[] = []
  for (const v of variants) for (const set of o.columns) {
    const c = makeCell(v.name, set, o.specs, done)
    if (c) cells.push(c)
  }
  const cellOf = (variant: string, set: string) => cells.find((c) => c.variant === variant && c.set === set)
  const label = (name: string) => variants.find((v) => v.name === name)?.label ?? name
  const comparisons: Comparison[] = []
  for (const v of variants) {
    if (v.name === o.baseline) continue
    for (const set of o.columns) {
      const a = cellOf(v.name, set)
      const b = cellOf(o.baseline, set)
      if (a && b) comparisons.push(compare(a, b, { variant: v.label, baseline: label(o.baseline) }))
    }
  }
  const bins = (yaws: readonly number[], correct: string): YawBin[] => accuracyByYaw(yaws, Array.from(correct, (ch) => ch === '1'), YAW_EDGES)
  const yaw: YawRow[] = []
  for (const v of variants) {
    // Per seed, every set with known yaw: pooled into the 'all' row seed by seed.
    const pooled = new Map<number, { yaws: number[]; correct: string[] }>()
    for (const set of o.columns) {
      const c = cellOf(v.name, set)
      if (!c || !c.seeds.every((s) => s.pairYaw !== undefined)) continue
      for (const s of c.seeds) {
        const p = pooled.get(s.seed) ?? { yaws: [], correct: [] }
        p.yaws.push(...(s.pairYaw as number[]))
        p.correct.push(s.correct)
        pooled.set(s.seed, p)
      }
      yaw.push({
        variant: v.name,
        set,
        bins: bins(c.seeds.flatMap((s) => s.pairYaw as number[]), c.seeds.map((s) => s.correct).join('')),
        seedBins: c.seeds.map((s) => bins(s.pairYaw as number[], s.correct)),
      })
    }
    if (pooled.size > 0) {
      const all = [...pooled.values()]
      yaw.push({
        variant: v.name,
        set: 'all',
        bins: bins(all.flatMap((p) => p.yaws), all.map((p) => p.correct.join('')).join('')),
        seedBins: all.map((p) => bins(p.yaws, p.correct.join(''))),
      })
    }
  }
  return { baseline: o.baseline, columns: o.columns, variants, cells, comparisons, yaw, yawEdges: YAW_EDGES }
}
