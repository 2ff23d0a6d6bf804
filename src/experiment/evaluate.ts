/**
 * The evaluation a plan's runs get, as a function the runner takes as a parameter (`Evaluate`),
 * and its default implementation on src/infer (flip-fused embeddings) and src/eval (the 10-fold
 * protocol).
 *
 * What a set's folds are:
 * - synthetic test split and CFP without a held-out split: the official 10 splits, one fold each;
 *   on each fold the threshold is the best on the other nine.
 * - `.bin` sets: 10 contiguous blocks of pairs (insightface).
 * - CFP with a held-out split (the model trained on the identities of the other nine): only the
 *   held-out split's 700 pairs count. Its threshold is chosen by 10-fold cross-validation inside
 *   the split — same pairs and different pairs each dealt round-robin into 10 sub-folds (35 + 35
 *   pairs each); each sub-fold scored at the threshold best on the other nine. Pairs of the
 *   training splits are not used for the threshold: their identities were trained on, so their
 *   distances say little about unseen faces (a threshold fitted there is far too strict).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { alignCfp } from '../eval/align'
import { cfpProtocol, pairYaw, readCfp, requireSplits, splitName } from '../eval/cfp'
import { correctPairs, type MeanStd } from '../eval/protocol'
import { decodeImage } from '../image/codec'
import { DEFAULT_BATCH, embedImages } from '../infer/embed'
import { scoreSet } from '../infer/evaluate'
import { disposeModel, loadCheckpoint } from '../infer/model'
import { progressReporter, type TextSink } from '../infer/progress'
import { binSource, cfpSource, type EvalSource, type PairSet } from '../infer/sources'
import { PamError } from '../util/errors'
import type { EvalSpec, Protocol } from './plan'
import { binColumn } from './plan'

export interface FoldOutcome {
  /** 0-based. */
  readonly fold: number
  readonly pairs: number
  readonly threshold: number
  readonly accuracy: number
}

/** One model on one pair set, as results.json keeps it. */
export interface SetOutcome {
  /** The results-table column: `Synth-FP`, `CFP-FF`, `LFW`, … */
  readonly name: string
  readonly pairs: number
  /** What the folds are, in words (for the report). */
  readonly folding: string
  /** Mean ± std (population, as insightface) over the folds. */
  readonly accuracy: MeanStd
  readonly folds: readonly FoldOutcome[]
  /** Pooled over all pairs. */
  readonly auc: number
  readonly eer: number
  /** TAR at FAR 1e-3, mean ± std over the folds. */
  readonly tar: MeanStd
  /** Per pair, '1' when its fold's threshold classifies it right, else '0'. */
  readonly correct: string
  /** Per pair, the larger |yaw| of its two images, when known. */
  readonly pairYaw?: readonly number[]
}

export interface EvalContext {
  /** Notes (one line each). */
  readonly log: (line: string) => void
  /** Where embedding progress goes (a bar on a terminal); none when absent. */
  readonly sink?: TextSink
  /** Images per batch; default 32. */
  readonly batch?: number
}

/** Scores the model saved in `modelDir` on `sets`; one outcome per column, in set order. */
export type Evaluate = (modelDir: string, sets: readonly EvalSpec[], ctx: EvalContext) => Promise<SetOutcome[]>


/**
 * Fold of each pair for cross-validation inside splits: per split, its same pairs and its
 * different pairs each dealt round-robin into k = min(10, #same, #diff) sub-folds; splits take
 * consecutive fold numbers.
 */
export const subFolds = (issame: readonly boolean[], split: readonly number[], k = 10): Int32Array => {
  const out = new Int32Array(issame.length)
  const splits = [...new Set(split)].sort((a, b) => a - b)
  let offset = 0
  for (const s of splits) {
    const idx = split.map((x, i) => (x === s ? i : -1)).filter((i) => i >= 0)
    const same = idx.filter((i) => issame[i])
    const diff = idx.filter((i) => !issame[i])
    const kk = Math.max(1, Math.min(k, same.length, diff.length))
    same.forEach((p, j) => (out[p] = offset + (j % kk)))
    diff.forEach((p, j) => (out[p] = offset + (j % kk)))
    offset += kk
  }
  return out
}

/**
 * The held-out splits of a CFP copy as one source: only the images their pairs use, one pair set
 * per protocol, folds from `subFolds`.
 */
export const heldOutCfpSource = (root: string, protocols: readonly Protocol[], heldOut: readonly number[]): EvalSource => {
  const set = readCfp(root, { protocols })
  const present = [...new Set(set.pairs.map((p) => p.split))]
  requireSplits(root, present, heldOut)
  const used: string[] = []
  const index = new Map<string, number>()
  const at = (p: string): number => {
    let i = index.get(p)
    if (i === undefined) {
      i = used.length
      used.push(p)
      index.set(p, i)
    }
    return i
  }
  const sets = protocols.map((protocol): PairSet => {
    const pairs = cfpProtocol(set, protocol).pairs.filter((p) => heldOut.includes(p.split))
    const issame = pairs.map((p) => p.issame)
    return {
      name: `CFP-${protocol}`,
      first: Int32Array.from(pairs, (p) => at(p.a)),
      second: Int32Array.from(pairs, (p) => at(p.b)),
      issame,
      folds: subFolds(issame, pairs.map((p) => p.split)),
      pairYaw: Float64Array.from(pairs, (p) => pairYaw(set, p)),
    }
  })
  return {
    label: `${root} (split ${heldOut.map(splitName).join(', ')})`,
    count: used.length,
    images: (size) => ({
      length: used.length,
      load: (i) => {
        const img = set.images.get(used[i])
        if (img === undefined) throw new PamError(`${used[i]}: not a CFP image of ${root}`)
        return { image: alignCfp(decodeImage(fs.readFileSync(img.path), img.path), img.fiducials, img.pose, size), yaw: img.yaw }
      },
    }),
    sets,
  }
}

const renamed = (source: EvalSource, rename: (name: string) => string): EvalSource => ({
  ...source,
  images: (size) => source.images(size),
  sets: source.sets.map((s) => ({ ...s, name: rename(s.name) })),
})

/** An evaluation set → the source to embed and how its folds are described. */
export const sourceOf = (spec: EvalSpec): { readonly source: EvalSource; readonly folding: string } => {
  switch (spec.kind) {
    case 'synthetic': {
      const yaw = path.join(spec.dir, 'yaw.csv')
      const source = cfpSource(spec.dir, spec.protocols, fs.existsSync(yaw) ? yaw : undefined, true)
      return { source: renamed(source, (n) => n.replace(/^CFP-/, 'Synth-')), folding: 'the 10 official splits of the synthetic test identities' }
    }
    case 'cfp':
      return spec.heldOut === undefined
        ? { source: cfpSource(spec.dir, spec.protocols), folding: 'the 10 official CFP splits' }
        : {
            source: heldOutCfpSource(spec.dir, spec.protocols, spec.heldOut),
            folding: `10 sub-folds of held-out split ${spec.heldOut.map(splitName).join(', ')} (threshold by cross-validation inside it)`,
          }
    case 'bin': {
      const source = binSource(spec.file, spec.yawFile !== undefined ? { kind: 'file', file: spec.yawFile } : spec.yaw !== undefined ? { kind: 'constant', yaw: spec.yaw } : { kind: 'none' })
      return { source: renamed(source, () => spec.name ?? binColumn(spec.file)), folding: '10 contiguous blocks of pairs' }
    }
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100

/** The default `Evaluate`: load the model, embed each set's images (flip-fused), run the protocol. */
export const defaultEvaluate: Evaluate = async (modelDir, sets, ctx) => {
  const resolved = sets.map(sourceOf)
  const m = await loadCheckpoint(modelDir)
  const batch = ctx.batch ?? DEFAULT_BATCH
  try {
    const out: SetOutcome[] = []
    for (const { source, folding } of resolved) {
      const reporter = ctx.sink ? progressReporter(ctx.sink, `  embedding ${source.count} images of ${source.label} (each with its mirror image)`) : undefined
      let emb
      try {
        emb = await embedImages(m.model, source.images(m.size), { batch, onProgress: reporter?.update })
      } finally {
        reporter?.done()
      }
      for (const set of source.sets) {
        const { input, result } = scoreSet(emb, set)
        const correct = correctPairs(input, result)
        out.push({
          name: set.name,
          pairs: input.distances.length,
          folding,
          accuracy: result.accuracy,
          folds: result.folds.map((f) => ({ fold: f.fold, pairs: f.pairs, threshold: f.threshold, accuracy: f.accuracy })),
          auc: result.pooledAuc,
          eer: result.pooledEer,
          tar: { mean: result.val.mean, std: result.val.std },
          correct: Array.from(correct, (c) => (c ? '1' : '0')).join(''),
          ...(set.pairYaw === undefined ? {} : { pairYaw: Array.from(set.pairYaw, round2) }),
        })
        ctx.log(`  ${set.name}: ${(result.accuracy.mean * 100).toFixed(2)} ± ${(result.accuracy.std * 100).toFixed(2)} % over ${result.folds.length} folds (${input.distances.length} pairs)`)
      }
    }
    return out
  } finally {
    disposeModel(m.model)
  }
}
