/**
 * A compiled model on disk as tfjs lays it out: `DIR/model.json` (topology + weights manifest)
 * and `DIR/weights.bin`, written and read with plain `fs`, so neither tfjs-node nor a browser is
 * needed. Writes are atomic: each file goes to a temporary name first, then is renamed, so a
 * crash never leaves a half-written model where a good one was.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import * as fs from 'node:fs'
import * as path from 'node:path'
import '../../dsl/compile/layers' // registers the custom layers a saved model names
import { PamError } from '../util/errors'

export const MODEL_JSON = 'model.json'
export const WEIGHTS_BIN = 'weights.bin'

/** Writes `data` to `file` through a temporary file and a rename. */
export const writeFileAtomic = (file: string, data: string | Uint8Array): void => {
  const tmp = `${file}.tmp-${process.pid}`
  fs.writeFileSync(tmp, data)
  const fd = fs.openSync(tmp, 'r')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  fs.renameSync(tmp, file)
}

const toBytes = (data: tf.io.WeightData | undefined): Uint8Array => {
  if (data === undefined) return new Uint8Array(0)
  return new Uint8Array(Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data)
}

/** An IOHandler that saves into `dir` (created if missing). */
export const dirSaveHandler = (dir: string): tf.io.IOHandler => ({
  save: async (artifacts) => {
    fs.mkdirSync(dir, { recursive: true })
    const weights = toBytes(artifacts.weightData)
    // weights first: a model.json only ever points at a complete weights file
    writeFileAtomic(path.join(dir, WEIGHTS_BIN), weights)
    const json = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
    }
    writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(json))
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) }
  },
})

interface SavedFiles {
  readonly modelTopology: unknown
  readonly format?: string
  readonly specs: tf.io.WeightsManifestEntry[]
  /** All weight files, concatenated in manifest order, checked to hold exactly the specs. */
  readonly bytes: Buffer
}

/** Reads and checks `DIR/model.json` and its weight files; every failure names the file. */
export const readSavedFiles = (dir: string): SavedFiles => {
  const jsonPath = path.join(dir, MODEL_JSON)
  if (!fs.existsSync(jsonPath)) throw new PamError(`${dir}: no ${MODEL_JSON} here (not a saved model directory)`)
  let json: { modelTopology: unknown; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; format?: string }
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'))
  } catch (e) {
    throw new PamError(`${jsonPath}: not valid JSON (${(e as Error).message})`)
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new PamError(`${jsonPath}: not a tfjs layers model (modelTopology or weightsManifest missing)`)
  const specs = json.weightsManifest.flatMap((g) => g.weights)
  const bad = specs.find((w) => w.dtype !== 'float32')
  if (bad) throw new PamError(`${jsonPath}: weight ${bad.name} is ${bad.dtype}; only float32 is supported`)
  const buffers = json.weightsManifest.flatMap((g) =>
    g.paths.map((p) => {
      const file = path.join(dir, p)
      if (!fs.existsSync(file)) throw new PamError(`${jsonPath}: weights file ${p} is missing`)
      return fs.readFileSync(file)
    }),
  )
  const bytes = Buffer.concat(buffers)
  const expected = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1) * 4, 0)
  if (bytes.length !== expected)
    throw new PamError(`${path.join(dir, WEIGHTS_BIN)}: ${bytes.length} bytes, but ${MODEL_JSON} describes ${expected} (truncated or from another model)`)
  return { modelTopology: json.modelTopology, format: json.format, specs, bytes }
}

/** An IOHandler that loads what `dirSaveHandler` wrote. */
export const dirLoadHandler = (dir: string): tf.io.IOHandler => ({
  load: async () => {
    const f = readSavedFiles(dir)
    return {
      modelTopology: f.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: f.specs,
      weightData: f.bytes.buffer.slice(f.bytes.byteOffset, f.bytes.byteOffset + f.bytes.byteLength) as ArrayBuffer,
      format: f.format,
    }
  },
})

export const saveModel = async (model: tfl.LayersModel, dir: string): Promise<void> => {
  await model.save(dirSaveHandler(dir))
}

export const loadModel = async (dir: string): Promise<tfl.LayersModel> => tfl.loadLayersModel(dirLoadHandler(dir))
