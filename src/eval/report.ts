/**
 * Markdown tables for evaluation results: accuracy per model and benchmark in the paper's column
 * order, and accuracy by pose (|yaw| bin) to show where a model loses on profiles.
 *
 * (The ROC figure is roc-svg.ts; the per-pair CSV behind `--pairs-out` is pairs-csv.ts.)
 */
import type { MeanStd } from './protocol'

/** The paper's benchmark columns (Tables 1-7), then CFP-FF, which the paper does not report. */
export const PAPER_COLUMNS = ['LFW', 'CFP-FP', 'AgeDB-30', 'CPLFW', 'CALFW', 'CFP-FF'] as const

const ALIASES: Readonly<Record<string, string>> = {
  lfw: 'LFW',
  cfp_fp: 'CFP-FP',
  'cfp-fp': 'CFP-FP',
  agedb_30: 'AgeDB-30',
  'agedb-30': 'AgeDB-30',
  cplfw: 'CPLFW',
  calfw: 'CALFW',
  cfp_ff: 'CFP-FF',
  'cfp-ff': 'CFP-FF',
}

/** A set name as insightface's `.bin` files spell it (`cfp_fp`) or as the paper does (`CFP-FP`) → the paper's column name; others unchanged. */
export const columnName = (set: string): string => ALIASES[set.toLowerCase()] ?? set

export interface ModelResults {
  readonly model: string
  /** Accuracy (a fraction) per set, keyed by set name in either spelling. */
  readonly accuracy: Readonly<Record<string, MeanStd>>
}

const cell = (text: string): string => text.replace(/\|/g, '\\|')

/** `mean ± std` in percent: 0.99553 ± 0.0031 → "99.55 ± 0.31". */
export const formatPercent = (r: MeanStd, digits = 2): string => `${(r.mean * 100).toFixed(digits)} ± ${(r.std * 100).toFixed(digits)}`

/**
 * One row a model, one column a set: the paper's columns that some model has, in the paper's
 * order, then any other sets in order of first appearance. A missing result reads "–".
 */
export const resultsTable = (rows: readonly ModelResults[], digits = 2): string => {
  const { columns, cells } = resultsGrid(rows, digits)
  const lines = [`| Model | ${columns.join(' | ')} |`, `| --- |${columns.map(() => ' ---: |').join('')}`]
  rows.forEach((row, i) => lines.push(`| ${cell(row.model)} | ${cells[i].join(' | ')} |`))
  return lines.join('\n') + '\n'
}

/** The columns of `resultsTable` (paper order, then others) and each row's cells ("–" when missing). */
export const resultsGrid = (rows: readonly ModelResults[], digits = 2): { readonly columns: string[]; readonly cells: string[][] } => {
  const present = new Set(rows.flatMap((r) => Object.keys(r.accuracy).map(columnName)))
  const columns: string[] = PAPER_COLUMNS.filter((c) => present.has(c))
  for (const c of present) if (!columns.includes(c)) columns.push(c)
  const cells = rows.map((row) => {
    const byColumn = new Map(Object.entries(row.accuracy).map(([k, v]) => [columnName(k), v]))
    return columns.map((c) => {
      const r = byColumn.get(c)
      return r === undefined ? '–' : formatPercent(r, digits)
    })
  })
  return { columns, cells }
}

/** `resultsTable` as plain text for a terminal: columns padded, numbers right-aligned. */
export const resultsText = (rows: readonly ModelResults[], digits = 2): string => {
  const { columns, cells } = resultsGrid(rows, digits)
  const header = ['Model', ...columns]
  const body = rows.map((r, i) => [r.model, ...cells[i]])
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)))
  const line = (c: readonly string[]): string => c.map((x, j) => (j === 0 ? x.padEnd(widths[j]) : x.padStart(widths[j]))).join('  ').trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n'
}

export interface YawBin {
  /** Bin [lo, hi) in degrees of |yaw|; the last bin includes hi. */
  readonly lo: number
  readonly hi: number
  readonly pairs: number
  readonly correct: number
  /** NaN for an empty bin. */
  readonly accuracy: number
}

/**
 * [N] pair yaw (the larger |yaw| of the two images) and [N] right/wrong → accuracy per |yaw| bin.
 * `edges` ascending, default 0, 30, 60, 90; yaws beyond the last edge count in the last bin.
 */
export const accuracyByYaw = (
  pairYaws: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  edges: readonly number[] = [0, 30, 60, 90],
): YawBin[] => {
  const pairs = new Array<number>(edges.length - 1).fill(0)
  const right = new Array<number>(edges.length - 1).fill(0)
  for (let i = 0; i < pairYaws.length; i++) {
    const yaw = Math.abs(pairYaws[i])
    let b = 0
    while (b < pairs.length - 1 && yaw >= edges[b + 1]) b++
    pairs[b]++
    if (correct[i]) right[b]++
  }
  return pairs.map((n, b) => ({ lo: edges[b], hi: edges[b + 1], pairs: n, correct: right[b], accuracy: n === 0 ? NaN : right[b] / n }))
}

/** Markdown table of `accuracyByYaw` bins; `title` heads the accuracy column (a model or set name). */
export const yawTable = (bins: readonly YawBin[], title = 'Accuracy', digits = 2): string => {
  const lines = [`| Max \\|yaw\\| of pair | Pairs | ${cell(title)} (%) |`, '| --- | ---: | ---: |']
  bins.forEach((b) => {
    const range = `${b.lo}–${b.hi}°`
    const acc = b.pairs === 0 ? '–' : (b.accuracy * 100).toFixed(digits)
    lines.push(`| ${range} | ${b.pairs} | ${acc} |`)
  })
  return lines.join('\n') + '\n'
}
