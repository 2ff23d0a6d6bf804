/**
 * Checkpoints of a training run, safe against a kill at any moment:
 *
 *   DIR/checkpoints/step-00000123/   model.json, weights.bin (the compiled model, BN statistics
 *                                    included), extra.bin (head weights, momentum buffers),
 *                                    state.json (epoch, step, metrics lines, manifest of extra.bin)
 *   DIR/checkpoints/LATEST           the name of the newest complete checkpoint
 *
 * A checkpoint is written into a temporary directory, synced, renamed into place, and only then
 * named in LATEST (itself replaced atomically). Older checkpoints are removed after that, so
 * there is always at least one complete checkpoint on disk.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { saveModel, writeFileAtomic } from '../persist/model-dir'
import { assignWeights, readSavedWeights } from '../persist/weights'
import { PamError } from '../util/errors'

export interface RunPosition {
  /** The epoch the next step belongs to (0-based). */
  readonly epoch: number
  /** The next step within that epoch (0-based). */
  readonly stepInEpoch: number
  /** Steps done in all. */
  readonly globalStep: number
  /** Lines of metrics.jsonl that belong to the run up to here. */
  readonly metricsLines: number
}

const ExtraEntry = t.type({ name: t.string, shape: t.array(t.number) })
type ExtraEntry = t.TypeOf<typeof ExtraEntry>

/** `state.json`: the run position and the manifest of `extra.bin`. */
const StateFile = t.type({
  version: t.literal(1),
  epoch: t.number,
  stepInEpoch: t.number,
  globalStep: t.number,
  metricsLines: t.number,
  extra: t.array(ExtraEntry),
  savedAt: t.string,
})
type StateFile = t.TypeOf<typeof StateFile>

const KEEP = 2

export const checkpointsDir = (runDir: string): string => path.join(runDir, 'checkpoints')

const stepName = (globalStep: number): string => `step-${String(globalStep).padStart(8, '0')}`

/** The newest complete checkpoint's directory, or undefined when the run has none. */
export const latestCheckpoint = (runDir: string): string | undefined => {
  const latest = path.join(checkpointsDir(runDir), 'LATEST')
  if (!fs.existsSync(latest)) return undefined
  const name = fs.readFileSync(latest, 'utf8').trim()
  const dir = path.join(checkpointsDir(runDir), name)
  if (!fs.existsSync(path.join(dir, 'state.json'))) throw new PamError(`${latest}: names ${name}, which is incomplete or missing`)
  return dir
}

const fsyncDir = (dir: string): void => {
  const fd = fs.openSync(dir, 'r')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
}

/** Writes a checkpoint of `model`, the named `extra` tensors and the run position. */
export const writeCheckpoint = async (
  runDir: string,
  model: tfl.LayersModel,
  extra: ReadonlyMap<string, tf.Tensor>,
  position: RunPosition,
  /** Small text files written into the checkpoint too (`pam.json`). */
  texts: Readonly<Record<string, string>> = {},
): Promise<string> => {
  const root = checkpointsDir(runDir)
  fs.mkdirSync(root, { recursive: true })
  const name = stepName(position.globalStep)
  const tmp = path.join(root, `${name}.tmp-${process.pid}`)
  fs.rmSync(tmp, { recursive: true, force: true })
  fs.mkdirSync(tmp)
  await saveModel(model, tmp)
  const entries: ExtraEntry[] = []
  const chunks: Buffer[] = []
  for (const [n, t] of extra) {
    entries.push({ name: n, shape: t.shape })
    const data = t.dataSync() as Float32Array
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
  }
  writeFileAtomic(path.join(tmp, 'extra.bin'), Buffer.concat(chunks))
  for (const [file, text] of Object.entries(texts)) writeFileAtomic(path.join(tmp, file), text)
  const state: StateFile = { version: 1, ...position, extra: entries, savedAt: new Date().toISOString() }
  writeFileAtomic(path.join(tmp, 'state.json'), JSON.stringify(state, null, 2))
  const final = path.join(root, name)
  fs.rmSync(final, { recursive: true, force: true })
  fs.renameSync(tmp, final)
  fsyncDir(root)
  writeFileAtomic(path.join(root, 'LATEST'), name)
  fsyncDir(root)
  // a writer killed mid-checkpoint leaves a temporary directory: never a checkpoint to keep
  for (const d of fs.readdirSync(root).filter((d) => /^step-\d{8}\.tmp-\d+$/.test(d))) fs.rmSync(path.join(root, d), { recursive: true, force: true })
  const complete = fs
    .readdirSync(root)
    .filter((d) => /^step-\d{8}$/.test(d) && d !== name)
    .sort()
  for (const d of complete.slice(0, Math.max(0, complete.length - (KEEP - 1)))) fs.rmSync(path.join(root, d), { recursive: true, force: true })
  return final
}

export interface Restored {
  readonly position: RunPosition
  /** The saved extra tensors by name; the caller owns (and disposes) them. */
  readonly extra: Map<string, tf.Tensor>
}

/** Loads a checkpoint into `model` and returns the run position and the extra tensors. */
export const readCheckpoint = (dir: string, model: tfl.LayersModel): Restored => {
  const statePath = path.join(dir, 'state.json')
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(statePath, 'utf8'))
  } catch (e) {
    throw new PamError(`${statePath}: cannot read the checkpoint state (${(e as Error).message})`)
  }
  const decoded = StateFile.decode(raw)
  if (E.isLeft(decoded))
    throw new PamError(`${statePath}: malformed checkpoint state (${decoded.left.map((e) => e.context.map((c) => c.key).filter(Boolean).join('.') || '(top level)').join(', ')})`)
  const state = decoded.right
  const { missing, unexpected } = assignWeights(model, readSavedWeights(dir), dir)
  if (missing.length || unexpected.length)
    throw new PamError(`${dir}: the checkpoint does not match the model (missing ${missing.slice(0, 3).join(', ') || 'none'}; unexpected ${unexpected.slice(0, 3).join(', ') || 'none'})`)
  const extraPath = path.join(dir, 'extra.bin')
  if (!fs.existsSync(extraPath)) throw new PamError(`${extraPath}: missing (the checkpoint is incomplete)`)
  const bytes = fs.readFileSync(extraPath)
  const extra = new Map<string, tf.Tensor>()
  let offset = 0
  for (const e of state.extra) {
    const n = e.shape.reduce((a, b) => a * b, 1)
    if (offset + n * 4 > bytes.length) throw new PamError(`${path.join(dir, 'extra.bin')}: truncated at ${e.name}`)
    extra.set(e.name, tf.tensor(new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + n * 4)), e.shape))
    offset += n * 4
  }
  const { epoch, stepInEpoch, globalStep, metricsLines } = state
  return { position: { epoch, stepInEpoch, globalStep, metricsLines }, extra }
}
