/**
 * A PyTorch checkpoint of face.evoLVe IR or insightface iResNet into a compiled zoo model, and a
 * saved model back into a state_dict: what `pam import` and `pam export` do, without the CLI.
 * A tfjs backend must be ready before either is called.
 */
import { disposeModel } from '../../dsl/compile/dispose'
import type * as tfl from '@tensorflow/tfjs-layers'
import * as E from 'fp-ts/Either'
import { compile } from '../../dsl/compile/compile'
import { formatShapeError } from '../../dsl/shape'
import { DEPTHS } from '../../models/backbone'
import { buildFromSpec, inputShape, parseModelName, type ModelSpec } from '../../models/zoo'
import { readTorchCheckpoint, type TorchCheckpoint } from '../io/torch-checkpoint'
import type { ModelInfo } from '../persist/model-info'
import type { NamedArray } from '../persist/weights'
import { PamError } from '../util/errors'
import { checkFamily, familyOfZoo, familyTitle, inferArchitecture, withArticle, planFor, zooFamily, type CheckpointArchitecture, type Family, type Plan } from './families'
import { describeModel } from './structure'
import { exportStateDict, hasProblems, mapCheckpoint, problemLines, writeWeights, type Exported, type ImportReport } from './transfer'

export interface ImportOptions {
  readonly family: Family
  /** A zoo name of the matching family (`IR50+PAM12`, `IRESNET100`). */
  readonly model: string
  /** Defaults: read off the checkpoint (input size from the Linear, width from the stem, embedding), else 112 / 1 / 512. */
  readonly size?: number
  readonly width?: number
  readonly embedding?: number
  /** Default: the family's (face.evoLVe 0.5, insightface 0). */
  readonly dropout?: number
  /** Import what fits; leave missing and mismatched weights as initialised, ignore unexpected keys. */
  readonly partial?: boolean
  /** Seeds the initialisation of whatever the checkpoint does not cover. */
  readonly seed?: number
}

export interface ImportOutcome {
  readonly model: tfl.LayersModel
  readonly info: ModelInfo
  readonly report: ImportReport
  readonly architecture: CheckpointArchitecture
  readonly checkpoint: { readonly format: TorchCheckpoint['format']; readonly tensors: number; readonly dtypes: readonly string[] }
}

/** The spec of a zoo name that belongs to `family`, or a clear error. */
export const specFor = (family: Family, model: string): ModelSpec => {
  const spec = parseModelName(model)
  if (E.isLeft(spec)) throw new PamError(spec.left)
  if (spec.right.family !== zooFamily[family]) {
    const other = familyOfZoo(spec.right.family)
    throw new PamError(
      `model ${spec.right.name} is ${withArticle(other)}; ${familyTitle[family]} checkpoints import into ${family === 'evolve' ? 'IR' : 'IRESNET'} models (or use --family ${other})`,
    )
  }
  return spec.right
}

const prefix = (family: Family): string => (family === 'evolve' ? 'IR' : 'IRESNET')

/** `a face.evoLVe IR with units [3, 4, 14, 3] (IR50), widths [64, 128, 256, 512], embedding 512, input 112×112`. */
export const describeArchitecture = (family: Family, a: CheckpointArchitecture): string =>
  [
    `${withArticle(family)} with units [${a.units.join(', ')}]${a.depth ? ` (${prefix(family)}${a.depth})` : ''}`,
    `widths [${a.widths.join(', ')}]`,
    ...(a.embedding !== undefined ? [`embedding ${a.embedding}`] : []),
    ...(a.size !== undefined ? [`input ${a.size}×${a.size}`] : []),
  ].join(', ')

const describeInfo = (info: ModelInfo): string => `${info.model} (size ${info.size}, width ${info.width}, embedding ${info.embedding})`

/** Maps a parsed checkpoint onto a freshly compiled model; `source` names the file in messages. */
export const importTensors = (checkpoint: TorchCheckpoint, source: string, o: ImportOptions): ImportOutcome => {
  const spec = specFor(o.family, o.model)
  const names = checkpoint.tensors.map((t) => t.name)
  checkFamily(o.family, names, source)
  const architecture = inferArchitecture(o.family, new Map(checkpoint.tensors.map((t) => [t.name, t.shape])))
  const info: ModelInfo = {
    model: spec.name,
    size: o.size ?? architecture.size ?? 112,
    width: o.width ?? architecture.width ?? 1,
    embedding: o.embedding ?? architecture.embedding ?? 512,
    dropout: o.dropout ?? (o.family === 'evolve' ? 0.5 : 0),
  }
  const block = buildFromSpec(spec, info)
  const compiled = compile(block, { input: inputShape(info), seed: o.seed, name: spec.name })
  if (E.isLeft(compiled)) throw new PamError(`${describeInfo(info)} does not compile: ${formatShapeError(compiled.left)}`)
  const model = compiled.right
  let plan: Plan
  try {
    plan = planFor(o.family, describeModel(model))
  } catch (e) {
    disposeModel(model)
    throw e
  }
  const { weights, report } = mapCheckpoint(plan, checkpoint.tensors)
  if (hasProblems(report) && !o.partial) {
    disposeModel(model)
    const units = DEPTHS[spec.depth]
    const differs = architecture.units.length !== units.length || architecture.units.some((n, i) => n !== units[i])
    throw new PamError(
      [
        `${source}: does not fit ${describeInfo(info)}: the checkpoint is ${describeArchitecture(o.family, architecture)}` +
          (differs ? `; ${spec.name} has units [${units.join(', ')}]` : ''),
        ...problemLines(report).map((l) => `  ${l}`),
        '  (--partial imports what fits and leaves the rest as initialised)',
      ].join('\n'),
    )
  }
  writeWeights(model, weights)
  return {
    model,
    info,
    report,
    architecture,
    checkpoint: { format: checkpoint.format, tensors: checkpoint.tensors.length, dtypes: [...new Set(checkpoint.tensors.map((t) => t.dtype))] },
  }
}

/** Reads `file` (zip or legacy `torch.save`) and imports it. */
export const importCheckpoint = (file: string, o: ImportOptions): ImportOutcome => importTensors(readTorchCheckpoint(file), file, o)

/** A model's weights as a state_dict of `family` (PAM / DREAM under their block paths unless `backboneOnly`). */
export const exportModel = (
  model: tfl.LayersModel,
  family: Family,
  weights: ReadonlyMap<string, NamedArray>,
  o: { readonly backboneOnly?: boolean } = {},
): Exported => exportStateDict(planFor(family, describeModel(model)), weights, o)
