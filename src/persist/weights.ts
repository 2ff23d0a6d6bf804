/**
 * Reading a saved model's weights by name and writing them into a compiled model: how a run is
 * resumed and how imported weights land, without building a second model.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { PamError } from '../util/errors'
import { readSavedFiles } from './model-dir'

export interface NamedArray {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/** The weights of a saved model directory, by weight name (`stage1/unit0/res/1/kernel`). */
export const readSavedWeights = (dir: string): Map<string, NamedArray> => {
  const { specs, bytes } = readSavedFiles(dir)
  const out = new Map<string, NamedArray>()
  let offset = 0
  for (const w of specs) {
    const n = w.shape.reduce((a, b) => a * b, 1)
    out.set(w.name, { shape: w.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + n * 4)) })
    offset += n * 4
  }
  return out
}

/**
 * Writes `weights` into `model`'s variables by name. Returns the names the model has and the
 * weights lack (`missing`) and the reverse (`unexpected`); a shape mismatch is an error naming
 * the weight.
 */
export const assignWeights = (
  model: tfl.LayersModel,
  weights: ReadonlyMap<string, NamedArray>,
  source: string,
): { missing: string[]; unexpected: string[] } => {
  const seen = new Set<string>()
  const missing: string[] = []
  for (const v of model.weights) {
    const w = weights.get(v.originalName)
    if (!w) {
      missing.push(v.originalName)
      continue
    }
    seen.add(v.originalName)
    const same = w.shape.length === v.shape.length && w.shape.every((d, i) => d === v.shape[i])
    if (!same) throw new PamError(`${source}: weight ${v.originalName} has shape [${w.shape.join(',')}], the model expects [${v.shape.join(',')}]`)
    const t = tf.tensor(w.data, [...w.shape])
    v.write(t)
    t.dispose()
  }
  return { missing, unexpected: [...weights.keys()].filter((k) => !seen.has(k)) }
}
