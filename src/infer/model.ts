/**
 * The models `pam eval` and `pam embed` run: a saved one (`--checkpoint DIR`: a model directory, a
 * training run, or a run with checkpoints) or a freshly compiled, untrained zoo model
 * (`--model NAME`), each with the label its row in the results table carries.
 */
import { disposeModel } from '../../dsl/compile/dispose'
import * as E from 'fp-ts/Either'
import type * as tfl from '@tensorflow/tfjs-layers'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { compile } from '../../dsl/compile/compile'
import { formatShapeError } from '../../dsl/shape'
import { buildFromSpec, parseModelName } from '../../models/zoo'
import { loadModel } from '../persist/model-dir'
import { MODEL_INFO, readModelInfo } from '../persist/model-info'
import { resolveModelDir } from '../persist/resolve'
import { PamError } from '../util/errors'
import { modelShape } from './embed'

export interface RunnableModel {
  /** Row label: `IR50+PAM12 [runs/a]` for a checkpoint, `IR50+PAM12 (untrained)` for a zoo model. */
  readonly label: string
  readonly model: tfl.LayersModel
  /** Input size S of `[S, S, 3]`. */
  readonly size: number
  /** Embedding size D. */
  readonly dim: number
}

/** Loads the model a `--checkpoint DIR` names (see resolveModelDir). */
export const loadCheckpoint = async (dir: string): Promise<RunnableModel> => {
  const modelDir = resolveModelDir(dir)
  const model = await loadModel(modelDir)
  const info = fs.existsSync(path.join(modelDir, MODEL_INFO)) ? readModelInfo(modelDir) : undefined
  const { size, dim } = modelShape(model)
  if (info !== undefined && (info.size !== size || info.embedding !== dim)) {
    disposeModel(model)
    throw new PamError(`${path.join(modelDir, MODEL_INFO)}: says size ${info.size}, embedding ${info.embedding}, but model.json has input ${size}, embedding ${dim}`)
  }
  return { label: info === undefined ? dir : `${info.model} [${dir}]`, model, size, dim }
}

export interface UntrainedOptions {
  readonly size?: number
  readonly width?: number
  readonly embedding?: number
  /** Weight initialiser seed; default 0. */
  readonly seed?: number
}

/** A zoo model compiled with fresh (seeded) weights; BatchNorm at its initial statistics. */
export const buildUntrained = (name: string, o: UntrainedOptions = {}): RunnableModel => {
  const size = o.size ?? 112
  const width = o.width ?? 1
  const embedding = o.embedding ?? 512
  const spec = parseModelName(name)
  if (E.isLeft(spec)) throw new PamError(spec.left)
  const block = buildFromSpec(spec.right, { size, width, embedding })
  const compiled = compile(block, { input: [size, size, 3], seed: o.seed ?? 0 })
  if (E.isLeft(compiled)) throw new PamError(`${spec.right.name} at ${size}×${size}: ${formatShapeError(compiled.left)}`)
  const model = compiled.right
  const extras = [size === 112 ? '' : `${size}px`, width === 1 ? '' : `width ${width}`, embedding === 512 ? '' : `embedding ${embedding}`].filter((s) => s !== '')
  return { label: `${spec.right.name} (untrained${extras.map((e) => `, ${e}`).join('')})`, model, size, dim: modelShape(model).dim }
}

export { disposeModel }
