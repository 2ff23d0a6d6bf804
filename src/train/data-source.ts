/**
 * Opens the training data a config names as a FaceDataset: a synthetic set (generated on first
 * use), an image folder with a yaw CSV, MXNet RecordIO with a yaw file, or CFP's training splits.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { openCfpTraining } from '../data/cfp-train'
import { splitName } from '../eval/cfp'
import type { FaceDataset, FaceExample } from '../data/dataset'
import { openImageFolder } from '../data/image-folder'
import { openRecordIo, recordIoPaths } from '../data/recordio'
import { generateSynthDataset, type SynthProgress } from '../data/synth/generate'
import { resizeBilinear } from '../image/resize'
import type { TrainConfig } from './config'

/** The synthetic set's test split in the CFP layout, or undefined for other data. */
export const syntheticTestDir = (c: TrainConfig): string | undefined =>
  c.data.kind === 'synthetic' && c.data.testIdentities > 0 ? path.join(c.data.dir, 'test') : undefined

/** Generates the synthetic set named by the config unless `dir/synth.json` says it is there. */
export const ensureSynthetic = (c: TrainConfig, onProgress: (p: SynthProgress) => void): boolean => {
  if (c.data.kind !== 'synthetic') return false
  if (fs.existsSync(path.join(c.data.dir, 'synth.json'))) return false
  generateSynthDataset({
    out: c.data.dir,
    identities: c.data.identities,
    imagesPerIdentity: c.data.imagesPerIdentity,
    testIdentities: c.data.testIdentities,
    size: c.size,
    seed: c.data.seed,
    onProgress,
  })
  return true
}

/**
 * Keeps decoded images resized to the model's input in memory, up to `maxBytes`: decoding is
 * most of the data cost of a small set, and every epoch reads every image again.
 */
export const cached = (ds: FaceDataset, size: number, maxBytes = 2 ** 30): FaceDataset => {
  const fits = ds.size * size * size * 3 <= maxBytes
  const memo = new Map<number, FaceExample>()
  return {
    size: ds.size,
    numClasses: ds.numClasses,
    get(index) {
      const hit = memo.get(index)
      if (hit) return hit
      const ex = ds.get(index)
      const resized = { ...ex, image: resizeBilinear(ex.image, size, size) }
      if (fits) memo.set(index, resized)
      return resized
    },
  }
}

export interface OpenDataOptions {
  /** Progress of slow preparation (aligning CFP's images), one line at a time. */
  readonly log?: (line: string) => void
}

export const openTrainingData = (c: TrainConfig, o: OpenDataOptions = {}): FaceDataset => {
  switch (c.data.kind) {
    case 'synthetic':
      return cached(openImageFolder(path.join(c.data.dir, 'train')), c.size)
    case 'folder':
      return cached(openImageFolder(c.data.root, { yawCsv: c.data.yawCsv }), c.size)
    case 'recordio':
      return openRecordIo(recordIoPaths(c.data.dir, { yaw: c.data.yawFile }))
    case 'cfp': {
      const log = o.log ?? (() => undefined)
      log(`aligning the CFP images of every split but ${c.data.testSplits.map(splitName).join(', ')} to ${c.size}×${c.size}`)
      return openCfpTraining(c.data.dir, c.data.testSplits, c.size, {
        onProgress: (done, total) => {
          if (done % 1000 === 0 || done === total) log(`aligned ${done}/${total}`)
        },
      })
    }
  }
}
