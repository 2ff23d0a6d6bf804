/**
 * Reading a saved model's weights by name and writing them into a compiled model: how a run is
 * resumed and how imported weights land, without building a second model.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { PamError } from '../util/errors'
import { MODEL_JSON, WEIGHTS_BIN } from './model-dir'

export interface NamedArray {
  readonly shape: readonly number[]
  readonly data: Float32Array
}

/** The weights of a saved model directory, by weight name (`stage1/unit0/res/1/kernel`). */
export const readSavedWeights = (dir: string): Map<string, NamedArray> => {
  const jsonPath = path.join(dir, MODEL_JSON)
  let manifest: { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] }
  try {
    manifest = JSON.parse(fs.readFileSync(jsonPath, 'utf8'))
  } catch (e) {
    throw new PamError(`${jsonPath}: cannot read the saved model (${(e as Error).message})`)
  }
  const bytes = fs.readFileSync(path.join(dir, WEIGHTS_BIN))
  const out = new Map<string, NamedArray>()
  let offset = 0
  for (const group of manifest.weightsManifest)
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new PamError(`${jsonPath}: weight ${w.name} is ${w.dtype}; only float32 is supported`)
      const n = w.shape.reduce((a, b) => a * b, 1)
      if (offset + n * 4 > bytes.length) throw new PamError(`${path.join(dir, WEIGHTS_BIN)}: truncated at weight ${w.name}`)
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
