/**
 * Moving weights between a PyTorch state_dict and a compiled model, by a `Plan`.
 *
 * Import: every backbone key of the plan must be in the checkpoint with the shape the model
 * implies, and every checkpoint key must be used (`num_batches_tracked` aside); what does not fit
 * is reported by name. Extra blocks (PAM, DREAM) come from the checkpoint when it has them (a
 * file `pam export` wrote) and are otherwise left as initialised, which is not a problem.
 * Export: the plan's entries in PyTorch's order, each BatchNorm followed by
 * `num_batches_tracked` = 0 (int64), as `torch.save` writes a module's state_dict.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { TorchTensorEntry } from '../io/torch-checkpoint'
import type { SavedTensor } from '../io/torch-save'
import type { NamedArray } from '../persist/weights'
import { PamError } from '../util/errors'
import { familyTitle, type Plan, type PlanEntry } from './families'
import { fromTorch, toTorch } from './layout'

export interface ShapeMismatch {
  readonly torch: string
  readonly ours: string
  /** In the checkpoint. */
  readonly found: readonly number[]
  /** What the model needs, in torch's layout. */
  readonly expected: readonly number[]
}

export interface ImportReport {
  /** Checkpoint tensors written into the model. */
  readonly loaded: number
  /** Of those, tensors of extra blocks (a checkpoint `pam export` wrote). */
  readonly loadedExtra: number
  /** Backbone keys the model needs and the checkpoint lacks. */
  readonly missing: readonly string[]
  /** Checkpoint keys the model has no place for. */
  readonly unexpected: readonly string[]
  readonly mismatched: readonly ShapeMismatch[]
  /** Our weights of extra blocks the checkpoint lacks: they keep their initial values. */
  readonly leftInitialised: readonly string[]
  /** Keys read and deliberately not used (`num_batches_tracked`). */
  readonly ignored: readonly string[]
}

export interface Mapped {
  /** Our weights by name, in our layout. */
  readonly weights: Map<string, NamedArray>
  readonly report: ImportReport
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** Converts what fits; reports what does not. Nothing is written to a model here. */
export const mapCheckpoint = (plan: Plan, tensors: readonly TorchTensorEntry[]): Mapped => {
  const byName = new Map(tensors.map((t) => [t.name, t]))
  const used = new Set<string>()
  const weights = new Map<string, NamedArray>()
  const missing: string[] = []
  const mismatched: ShapeMismatch[] = []
  const leftInitialised: string[] = []
  let loadedExtra = 0
  for (const e of plan.entries) {
    const t = byName.get(e.torch)
    if (!t) {
      ;(e.part === 'backbone' ? missing : leftInitialised).push(e.part === 'backbone' ? e.torch : e.ours)
      continue
    }
    used.add(e.torch)
    if (!sameShape(t.shape, e.torchShape)) {
      mismatched.push({ torch: e.torch, ours: e.ours, found: t.shape, expected: e.torchShape })
      continue
    }
    const x = fromTorch(e.layout, t, e.shape)
    weights.set(e.ours, { shape: x.shape, data: x.data })
    if (e.part === 'extra') loadedExtra++
  }
  const ignored: string[] = []
  const unexpected: string[] = []
  const bnCounters = new Set(plan.batchNorms.map((b) => b.torch))
  for (const t of tensors) {
    if (used.has(t.name)) continue
    ;(bnCounters.has(t.name) ? ignored : unexpected).push(t.name)
  }
  return { weights, report: { loaded: weights.size, loadedExtra, missing, unexpected, mismatched, leftInitialised, ignored } }
}

export const hasProblems = (r: ImportReport): boolean => r.missing.length + r.unexpected.length + r.mismatched.length > 0

const LIST_LIMIT = 12

const listed = (names: readonly string[]): string =>
  names.length <= LIST_LIMIT ? names.join(', ') : `${names.slice(0, LIST_LIMIT).join(', ')}, … (${names.length - LIST_LIMIT} more)`

const dims = (s: readonly number[]): string => `[${s.join(', ')}]`

/** One line per kind of problem, naming the keys (the first dozen of a long list). */
export const problemLines = (r: ImportReport): string[] => [
  ...(r.missing.length ? [`missing from the checkpoint (${r.missing.length}): ${listed(r.missing)}`] : []),
  ...(r.unexpected.length ? [`unexpected in the checkpoint (${r.unexpected.length}): ${listed(r.unexpected)}`] : []),
  ...(r.mismatched.length
    ? [
        `shape mismatches (${r.mismatched.length}): ${listed(r.mismatched.map((m) => `${m.torch} is ${dims(m.found)}, ${m.ours} needs ${dims(m.expected)}`))}`,
      ]
    : []),
]

/** Extra blocks left as initialised, by top-level block: `pam1 (12 weights), dream (4 weights)`. */
export const leftInitialisedSummary = (r: ImportReport): string => {
  const counts = new Map<string, number>()
  for (const name of r.leftInitialised) {
    const block = name.split('/')[0]
    counts.set(block, (counts.get(block) ?? 0) + 1)
  }
  return [...counts].map(([b, n]) => `${b} (${n} weight${n === 1 ? '' : 's'})`).join(', ')
}

/** Writes mapped weights into the model's variables; a shape the model does not have is a bug here. */
export const writeWeights = (model: tfl.LayersModel, weights: ReadonlyMap<string, NamedArray>): void => {
  for (const v of model.weights) {
    const w = weights.get(v.originalName)
    if (!w) continue
    if (!sameShape(w.shape, v.shape as number[])) throw new Error(`${v.originalName}: [${w.shape}] into [${v.shape}]`)
    const t = tf.tensor(w.data, [...w.shape])
    v.write(t)
    t.dispose()
  }
}

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

export interface Exported {
  /** Torch key → tensor, in state_dict order. */
  readonly entries: readonly (readonly [string, SavedTensor])[]
  readonly backbone: number
  /** Keys of extra blocks written (under their block paths). */
  readonly extra: readonly string[]
  /** Extra blocks' weights left out (`backboneOnly`). */
  readonly omitted: readonly string[]
}

/** The model's weights (by our name) as a state_dict in `plan`'s naming. */
export const exportStateDict = (
  plan: Plan,
  weights: ReadonlyMap<string, NamedArray>,
  o: { readonly backboneOnly?: boolean } = {},
): Exported => {
  const entries: (readonly [string, SavedTensor])[] = []
  const extra: string[] = []
  const omitted: string[] = []
  const counters = new Map(plan.batchNorms.map((b) => [b.torch.slice(0, -'num_batches_tracked'.length) + 'running_var', b.torch]))
  let backbone = 0
  const emit = (e: PlanEntry) => {
    const w = weights.get(e.ours)
    if (!w) throw new PamError(`the model has no weight ${e.ours} (needed for ${e.torch} of ${familyTitle[plan.family]})`)
    const t = toTorch(e.layout, { shape: w.shape, data: w.data })
    entries.push([e.torch, { shape: t.shape, data: t.data }])
    const counter = counters.get(e.torch)
    if (counter) entries.push([counter, { shape: [], data: Float32Array.of(0), writeAs: 'int64' }])
  }
  for (const e of plan.entries) {
    if (e.part === 'extra' && o.backboneOnly) {
      omitted.push(e.ours)
      continue
    }
    emit(e)
    if (e.part === 'backbone') backbone++
    else extra.push(e.torch)
  }
  return { entries, backbone, extra, omitted }
}
