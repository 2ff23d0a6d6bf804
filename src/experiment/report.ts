/**
 * The plan's report: `results.md` in the paper's layout (Methods, one column per evaluation set,
 * Params as a delta over the baseline), the comparison lines, accuracy by |yaw|, a table of runs;
 * `accuracy.svg` (mean per variant and set, error bars of ± the spread, the folds / seeds as
 * dots) and `accuracy-by-yaw.svg`.
 */
import * as path from 'node:path'
import { inMillions } from '../../models/paper-figures'
import { writeFileAtomic } from '../persist/model-dir'
import { errorBarChartSvg } from './chart'
import type { RunSpec } from './plan'
import type { RunResults } from './results'
import { sampleStd } from './stats'
import type { Cell, Summary, SpreadKind } from './summary'

const pct = (x: number, digits = 2): string => (x * 100).toFixed(digits)
const esc = (s: string): string => s.replace(/\|/g, '\\|')

/** A parameter count as the paper prints a total: `43.57M`, or in full when small. */
export const formatParams = (n: number): string => (n >= 1e5 ? inMillions(n) : n.toLocaleString('en-US'))

/** A parameter delta as the paper prints it: `+ 6,976` (`− 1,024` when smaller). */
export const formatDelta = (d: number): string => `${d < 0 ? '−' : '+'} ${Math.abs(d).toLocaleString('en-US')}`

const cellText = (c: Cell | undefined): string => {
  if (c === undefined) return '–'
  const mark = c.runsDone < c.runsPlanned ? '*' : ''
  return `${pct(c.mean)} ± ${pct(c.std)}${mark}`
}

const SPREAD: Readonly<Record<SpreadKind, string>> = {
  folds: 'std over the folds of one run (population std, as insightface)',
  splits: 'std over the CFP test splits (population std)',
  seeds: "sample std over the seeds' means",
}

/** The main table: Methods, one column per set, Params (total for the baseline, deltas for the rest). */
export const resultsTableMd = (s: Summary): string => {
  const base = s.variants.find((v) => v.name === s.baseline)
  const lines = [`| Methods | ${s.columns.map(esc).join(' | ')} | Params |`, `| --- |${s.columns.map(() => ' ---: |').join('')} ---: |`]
  for (const v of s.variants) {
    const cells = s.columns.map((col) => cellText(s.cells.find((c) => c.variant === v.name && c.set === col)))
    const params =
      v.params === undefined ? '–' : v.name === s.baseline || base?.params === undefined ? formatParams(v.params) : formatDelta(v.params - base.params)
    lines.push(`| ${esc(v.label)} | ${cells.join(' | ')} | ${params} |`)
  }
  return lines.join('\n') + '\n'
}

/** Accuracy by |yaw| bin: one table per set with known yaw (and the pool of them). */
export const yawTablesMd = (s: Summary): string => {
  const perSet = [...new Set(s.yaw.filter((r) => r.set !== 'all').map((r) => r.set))]
  const sets = perSet.length > 1 ? [...perSet, 'all'] : perSet
  const out: string[] = []
  for (const set of sets) {
    const rows = s.yaw.filter((r) => r.set === set)
    const used = rows[0].bins.map((_, b) => b).filter((b) => rows.some((r) => r.bins[b].pairs > 0))
    out.push(`### ${set === 'all' ? 'All sets with known yaw, pooled' : set}`, '')
    out.push(`| Methods | ${used.map((b) => `${rows[0].bins[b].lo}–${rows[0].bins[b].hi}°`).join(' | ')} |`, `| --- |${used.map(() => ' ---: |').join('')}`)
    for (const r of rows) {
      const label = s.variants.find((v) => v.name === r.variant)?.label ?? r.variant
      out.push(`| ${esc(label)} | ${used.map((b) => `${pct(r.bins[b].accuracy)} (${r.bins[b].pairs.toLocaleString('en-US')})`).join(' | ')} |`)
    }
    out.push('')
  }
  return out.join('\n')
}

const minutes = (s: number): string => (s / 60).toFixed(1)

/** One row per planned run: what it did and scored, or where it stands. */
export const runsTableMd = (specs: readonly RunSpec[], done: ReadonlyMap<string, RunResults>, columns: readonly string[], status: (spec: RunSpec) => string): string => {
  const lines = [
    `| Run | Model | Seed | Steps | Final loss | Train acc. (%) | Train min | ${columns.map(esc).join(' | ')} |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: |${columns.map(() => ' ---: |').join('')}`,
  ]
  for (const spec of specs) {
    const r = done.get(spec.id)
    if (!r) {
      lines.push(`| ${spec.id} | ${spec.model} | ${spec.seed} | ${status(spec)} | | | |${columns.map(() => ' |').join('')}`)
      continue
    }
    const t = r.training
    const sets = columns.map((col) => {
      const o = r.sets.find((x) => x.name === col)
      return o ? `${pct(o.accuracy.mean)} ± ${pct(o.accuracy.std)}` : '–'
    })
    lines.push(
      `| ${r.id} | ${r.model} | ${r.seed} | ${t.steps} | ${t.loss?.toFixed(3) ?? '–'} | ${t.accuracy === undefined ? '–' : pct(t.accuracy, 1)} | ${minutes(t.seconds)}${t.sessions > 1 ? ` (${t.sessions} sessions)` : ''} | ${sets.join(' | ')} |`,
    )
  }
  return lines.join('\n') + '\n'
}

export interface ReportInput {
  readonly title: string
  readonly planFile: string
  readonly summary: Summary
  readonly specs: readonly RunSpec[]
  readonly done: ReadonlyMap<string, RunResults>
  /** A status word for a run without results ("not started", "interrupted at step 120", …). */
  readonly status: (spec: RunSpec) => string
  /** Lines describing the training setup. */
  readonly setup: readonly string[]
}

export const resultsMarkdown = (r: ReportInput): string => {
  const s = r.summary
  const finished = r.specs.filter((x) => r.done.has(x.id)).length
  const base = s.variants.find((v) => v.name === s.baseline)
  const spreads = [...new Set(s.cells.map((c) => c.spread))]
  const byFolding = new Map<string, string[]>()
  for (const c of s.cells) {
    const sets = byFolding.get(c.folding) ?? []
    if (!sets.includes(c.set)) sets.push(c.set)
    byFolding.set(c.folding, sets)
  }
  const foldings = [...byFolding].map(([folding, sets]) => `${sets.join(', ')}: ${folding}`)
  const md: string[] = [
    `# ${r.title}`,
    '',
    `${finished} of ${r.specs.length} runs finished. Plan \`${r.planFile}\`; each run in \`runs/<id>/\` (config.json, metrics.jsonl, loss and accuracy curves, model/, results.json).`,
    '',
    '## Verification accuracy (%)',
    '',
    resultsTableMd(s),
    `Mean ± ${spreads.map((k) => SPREAD[k]).join('; or ') || 'std'}. ` +
      (s.cells.some((c) => c.runsDone < c.runsPlanned) ? 'A * marks a cell some of whose runs have not finished. ' : '') +
      `Params: trainable parameters of the embedding network from the static audit (the ArcFace head excluded), ${base?.params !== undefined ? `${base.label} in full, the others as the difference from it` : 'unknown'}.`,
    '',
    ...foldings.map((f) => `- Folds of ${f}.`),
    '',
    '![Accuracy per variant](accuracy.svg)',
    '',
  ]
  if (s.comparisons.length > 0) {
    md.push(`## Differences from ${base?.label ?? s.baseline}`, '')
    for (const c of s.comparisons) md.push(`- ${c.text}`)
    const n = s.comparisons.length
    const confirmed = s.comparisons.filter((c) => c.verdict === 'confirmed').length
    const beyond = s.comparisons.filter((c) => c.verdict !== 'within').length
    const fewSeeds = [...new Set(s.cells.filter((c) => c.spread === 'seeds' && c.n <= 4).map((c) => c.n))].sort()
    md.push(
      '',
      `In all: ${beyond} of ${n} differences are larger than the spread; ${confirmed} of them also pass both paired tests at the 5 % level. ` +
        `With ${n} comparisons, about ${(n * 0.05).toFixed(1)} would pass a single 5 % test by chance alone; the folds of one run share its training, so fold-level tests understate the run-to-run variation that only more seeds measure.` +
        (fewSeeds.length > 0
          ? ` A std from ${fewSeeds.join(' or ')} seeds is a very rough estimate: the true seed-to-seed spread may be several times larger.`
          : ''),
      '',
    )
  }
  if (s.yaw.length > 0) {
    md.push('## Accuracy by |yaw|', '', 'Pairs binned by the larger |yaw| of their two images, each scored at its fold\'s threshold; accuracy (%) with the number of pairs (all seeds pooled).', '', yawTablesMd(s), '![Accuracy by |yaw|](accuracy-by-yaw.svg)', '')
  }
  md.push('## Runs', '', runsTableMd(r.specs, r.done, s.columns, r.status), '## Setup', '', ...r.setup.map((l) => `- ${l}`), '')
  return md.join('\n')
}

/** accuracy.svg: one point per variant and set, ± the spread, the values behind it as dots. */
export const accuracySvg = (s: Summary, title: string): string =>
  errorBarChartSvg(
    s.variants.map((v) => ({
      label: v.label,
      points: s.cells
        .filter((c) => c.variant === v.name)
        .map((c) => ({
          group: c.set,
          mean: c.mean * 100,
          spread: c.std * 100,
          values: (c.spread === 'seeds' ? c.seeds.map((x) => x.mean) : c.seeds[0].units).map((x) => x * 100),
        })),
    })),
    s.columns,
    {
      title,
      yLabel: 'verification accuracy (%)',
      subtitle: `dot: mean; bar: ± ${[...new Set(s.cells.map((c) => c.spread))].map((k) => SPREAD[k].replace(/ \(.*\)/, '')).join(' / ') || 'std'}; circles: the individual ${[...new Set(s.cells.map((c) => c.spread))].join(' / ')}`,
    },
  )

/**
 * accuracy-by-yaw.svg: accuracy per |yaw| bin (bins with pairs only), one point per variant, all
 * sets with known yaw pooled. Bars: ± the sample std over seeds when several seeds finished,
 * else ± the binomial standard error √(p(1−p)/n) of the bin's pairs; dots: the seeds.
 */
export const yawSvg = (s: Summary, title: string): string => {
  const rows = s.yaw.filter((r) => r.set === 'all')
  const used = rows.length ? rows[0].bins.map((_, b) => b).filter((b) => rows.some((r) => r.bins[b].pairs > 0)) : []
  const name = (b: number) => `${rows[0].bins[b].lo}–${rows[0].bins[b].hi}°`
  const manySeeds = rows.some((r) => r.seedBins.length > 1)
  return errorBarChartSvg(
    s.variants.flatMap((v) => {
      const row = rows.find((r) => r.variant === v.name)
      if (!row) return []
      return [
        {
          label: v.label,
          points: used
            .filter((b) => row.bins[b].pairs > 0)
            .map((b) => {
              const p = row.bins[b].accuracy
              const seeds = row.seedBins.map((sb) => sb[b].accuracy).filter(Number.isFinite)
              return {
                group: name(b),
                mean: p * 100,
                spread: (seeds.length > 1 ? sampleStd(seeds) : Math.sqrt((p * (1 - p)) / row.bins[b].pairs)) * 100,
                values: seeds.length > 1 ? seeds.map((x) => x * 100) : [],
              }
            }),
        },
      ]
    }),
    used.map(name),
    {
      title,
      yLabel: 'verification accuracy (%)',
      subtitle: `pairs by the larger |yaw| of their images; bar: ± ${manySeeds ? 'sample std over seeds' : 'binomial standard error'}${manySeeds ? '; circles: seeds' : ''}`,
    },
  )
}

/** Writes results.md, accuracy.svg and accuracy-by-yaw.svg into `out`; returns their paths. */
export const writeReport = (out: string, r: ReportInput): string[] => {
  const files: string[] = []
  const md = path.join(out, 'results.md')
  writeFileAtomic(md, resultsMarkdown(r))
  files.push(md)
  if (r.summary.cells.length > 0) {
    const acc = path.join(out, 'accuracy.svg')
    writeFileAtomic(acc, accuracySvg(r.summary, 'Verification accuracy per variant'))
    files.push(acc)
  }
  if (r.summary.yaw.length > 0) {
    const yaw = path.join(out, 'accuracy-by-yaw.svg')
    writeFileAtomic(yaw, yawSvg(r.summary, 'Accuracy by |yaw| bin'))
    files.push(yaw)
  }
  return files
}
