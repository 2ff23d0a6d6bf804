/**
 * `pam eval`'s work: embed each source's images with each model, score its pair sets with the
 * verification protocol, and present the results — a plain-text table with metric lines, the
 * per-pair CSVs of `--pairs-out`, and the `--report` folder (results.md, roc.svg).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { squaredL2 } from '../eval/embedding'
import { rocCurve, sortPairs } from '../eval/metrics'
import { writePairsCsv } from '../eval/pairs-csv'
import { type MeanStd, type VerificationInput, type VerificationResult, correctPairs, evaluateVerification } from '../eval/protocol'
import { accuracyByYaw, formatPercent, type ModelResults, resultsTable, resultsText, yawTable } from '../eval/report'
import { rocSvg } from '../eval/roc-svg'
import { PamError } from '../util/errors'
import { type Embeddings, embedImages } from './embed'
import type { RunnableModel } from './model'
import type { ProgressReporter } from './progress'
import type { EvalSource, PairSet } from './sources'

/** One model on one pair set. */
export interface SetResult {
  readonly model: string
  /** 0-based position of the model in the run (names the `--pairs-out` files of several models). */
  readonly modelIndex: number
  readonly set: string
  readonly input: VerificationInput
  readonly result: VerificationResult
  /** Per pair, the larger |yaw| of its images, when known. */
  readonly pairYaw?: Float64Array
}

/** Squared L2 distance of each pair of `set` over the embeddings of its source. */
export const setDistances = (emb: Embeddings, set: PairSet): Float64Array =>
  Float64Array.from(set.first, (a, p) => squaredL2(emb.data, emb.dim, a, set.second[p]))

/** The protocol on one pair set, given its source's embeddings. */
export const scoreSet = (emb: Embeddings, set: PairSet): { readonly input: VerificationInput; readonly result: VerificationResult } => {
  const input: VerificationInput = { distances: setDistances(emb, set), issame: set.issame, folds: set.folds }
  return { input, result: evaluateVerification(input) }
}

export interface RunOptions {
  readonly batch?: number
  /** A reporter for embedding `source` with `model`. */
  readonly progress?: (model: RunnableModel, source: EvalSource) => ProgressReporter
}

/** Every model on every source; results model by model, in source and set order. */
export const runEvaluation = async (
  models: readonly RunnableModel[],
  sources: readonly EvalSource[],
  options: RunOptions = {},
): Promise<SetResult[]> => {
  const out: SetResult[] = []
  for (const [modelIndex, m] of models.entries()) {
    for (const source of sources) {
      const reporter = options.progress?.(m, source)
      let emb: Embeddings
      try {
        emb = await embedImages(m.model, source.images(m.size), { batch: options.batch, onProgress: reporter?.update })
      } finally {
        reporter?.done()
      }
      for (const set of source.sets) out.push({ model: m.label, modelIndex, set: set.name, ...scoreSet(emb, set), pairYaw: set.pairYaw })
    }
  }
  return out
}

/** Results → rows of the accuracy table, one a model, in first-appearance order. */
export const modelRows = (results: readonly SetResult[]): ModelResults[] => {
  const rows = new Map<string, Record<string, MeanStd>>()
  for (const r of results) {
    const acc = rows.get(r.model) ?? {}
    acc[r.set] = r.result.accuracy
    rows.set(r.model, acc)
  }
  return [...rows].map(([model, accuracy]) => ({ model, accuracy }))
}

const pct = (x: number): string => (x * 100).toFixed(2)
const meanStd4 = (m: MeanStd): string => `${m.mean.toFixed(4)} ± ${m.std.toFixed(4)}`

/** One line of the metrics CFP asks for besides accuracy. */
export const metricsLine = (r: SetResult): string => {
  const v = r.result
  const far = v.val.farTarget.toExponential(0)
  return (
    `${r.set}: AUC ${meanStd4(v.auc)} (pooled ${v.pooledAuc.toFixed(4)}), ` +
    `EER ${pct(v.eer.mean)} ± ${pct(v.eer.std)} % (pooled ${pct(v.pooledEer)} %), ` +
    `TAR@FAR=${far} ${pct(v.val.mean)} ± ${pct(v.val.std)} % (mean FAR ${v.val.far.toPrecision(2)})`
  )
}

/** What `pam eval` prints: the accuracy table (%, mean ± std over folds), then per model its metric lines. */
export const formatResults = (results: readonly SetResult[]): string => {
  const lines = [resultsText(modelRows(results))]
  for (const row of modelRows(results)) {
    lines.push(row.model)
    for (const r of results.filter((x) => x.model === row.model)) lines.push(`  ${metricsLine(r)}`)
  }
  return lines.join('\n') + '\n'
}

/**
 * Where `--pairs-out FILE` puts one model's pairs on one set: FILE itself for a single model and
 * set; otherwise the set name and, with several models, `m<position>` are put before the
 * extension: `/tmp/cfp.csv` → `/tmp/cfp.CFP-FF.csv`, `/tmp/cfp.CFP-FF.m2.csv`.
 */
export const pairsOutPath = (file: string, set: string, modelIndex: number, sets: number, models: number): string => {
  const parts = [...(sets > 1 ? [set] : []), ...(models > 1 ? [`m${modelIndex + 1}`] : [])]
  if (parts.length === 0) return file
  const ext = path.extname(file)
  return `${file.slice(0, file.length - ext.length)}.${parts.join('.')}${ext}`
}

/** Writes each result's `fold,issame,distance` CSV (see pairsOutPath); returns the files written, in result order. */
export const writePairsOut = (file: string, results: readonly SetResult[]): string[] => {
  const sets = new Set(results.map((r) => r.set)).size
  const models = new Set(results.map((r) => r.modelIndex)).size
  return results.map((r) => {
    const out = pairsOutPath(file, r.set, r.modelIndex, sets, models)
    try {
      writePairsCsv(out, r.input)
    } catch (e) {
      throw new PamError(`${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
    return out
  })
}

/** results.md: accuracy table, AUC / EER / TAR table, accuracy by |yaw| where known, the ROC figure. */
export const reportMarkdown = (results: readonly SetResult[], rocFile = 'roc.svg'): string => {
  const far = results[0]?.result.val.farTarget.toExponential(0) ?? '1e-3'
  const md = [
    '# Face verification results',
    '',
    'Accuracy (%), mean ± std over the folds; each fold is scored at the distance threshold that is best on the other folds.',
    '',
    resultsTable(modelRows(results)),
    `## AUC, EER, TAR@FAR=${far}`,
    '',
    'Mean ± std over the folds; "pooled" over all pairs at once.',
    '',
    `| Model | Set | Pairs | AUC | AUC pooled | EER (%) | EER pooled (%) | TAR@FAR=${far} (%) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const v = r.result
      const model = r.model.replace(/\|/g, '\\|')
      return `| ${model} | ${r.set} | ${r.input.distances.length} | ${meanStd4(v.auc)} | ${v.pooledAuc.toFixed(4)} | ${pct(v.eer.mean)} ± ${pct(v.eer.std)} | ${pct(v.pooledEer)} | ${formatPercent(v.val)} |`
    }),
    '',
  ]
  const withYaw = results.filter((r) => r.pairYaw !== undefined)
  if (withYaw.length > 0) {
    md.push('## Accuracy by |yaw|', '', 'Pairs binned by the larger |yaw| of their two images; each pair scored at its fold\'s threshold.', '')
    for (const r of withYaw) {
      md.push(`### ${r.model} — ${r.set}`, '', yawTable(accuracyByYaw(r.pairYaw as Float64Array, correctPairs(r.input, r.result)), r.set))
    }
  }
  md.push('## ROC', '', `![ROC curves](${rocFile})`, '')
  return md.join('\n')
}

/** Writes `dir/results.md` and `dir/roc.svg` (dir created if missing); returns their paths. */
export const writeReport = (dir: string, results: readonly SetResult[]): string[] => {
  const md = path.join(dir, 'results.md')
  const svg = path.join(dir, 'roc.svg')
  try {
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(md, reportMarkdown(results))
    const series = results.map((r) => ({ label: `${r.model} ${r.set}`, roc: rocCurve(sortPairs(r.input.distances, r.input.issame)) }))
    fs.writeFileSync(svg, rocSvg(series, { title: 'ROC (pooled over folds)' }))
  } catch (e) {
    throw new PamError(`${dir}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return [md, svg]
}
