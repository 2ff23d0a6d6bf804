/**
 * Training on CFP with the dataset's own protocol: "use any 9 folds for training and 1 for
 * testing" (CFP's Readme). The 10 splits are identity-disjoint; which identities a split holds is
 * read from its pair files (`Protocol/Split/{FF,FP}/NN/{same,diff}.txt`, indices into
 * `Protocol/Pair_list_{F,P}.txt`, whose paths are `Data/Images/NNN/{frontal,profile}/NN.jpg`).
 *
 * The training set is every image the pair lists name (not only the images some pair uses) of the
 * identities of the training splits: CFP has 10 frontal and 4 profile images per identity. Each
 * is aligned from its 30 fiducials with the same aligner evaluation uses (src/eval/align.ts),
 * straight to the model's input size, with yaw 0° (frontal) or 90° (profile) and the identity as
 * its label (identities in ascending order → 0, 1, …). Aligned images are kept in memory: 6,300
 * images at 64 × 64 are 77 MB, at 112 × 112 237 MB.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { FaceDataset, FaceExample } from './dataset'
import { readTextFile } from './yaw-csv'
import { alignCfp } from '../eval/align'
import { type CfpPose, fiducialPathOf, parseFiducials, readCfp, requireSplits, splitName } from '../eval/cfp'
import { readLines } from '../eval/text-lines'
import { decodeImage, type RgbImage } from '../image/codec'
import { PamError } from '../util/errors'

export interface CfpSplits {
  readonly root: string
  /** Split numbers, ascending (1..10 in CFP). */
  readonly splits: readonly number[]
  /** Split → its identities (the `NNN` folder numbers), ascending. */
  readonly identities: ReadonlyMap<number, readonly number[]>
}

const id3 = (n: number): string => String(n).padStart(3, '0')

/**
 * The identities of each split, from the FF and FP pair files. Throws `PamError` when an identity
 * appears in two splits (the protocol's splits must be identity-disjoint) or a file is broken.
 */
export const cfpSplitIdentities = (root: string, aligned = false): CfpSplits => {
  const set = readCfp(root, { protocols: ['FF', 'FP'], aligned })
  const splitOf = new Map<number, number>()
  const bySplit = new Map<number, Set<number>>()
  for (const pair of set.pairs) {
    for (const p of [pair.a, pair.b]) {
      const identity = set.images.get(p)?.identity as number
      const seen = splitOf.get(identity)
      if (seen !== undefined && seen !== pair.split) {
        const [x, y] = [seen, pair.split].sort((a, b) => a - b)
        throw new PamError(
          `${path.join(root, 'Protocol', 'Split')}: identity ${id3(identity)} has pairs in split ${splitName(x)} and split ${splitName(y)}; the splits must hold disjoint identities`,
        )
      }
      splitOf.set(identity, pair.split)
      const s = bySplit.get(pair.split) ?? new Set<number>()
      s.add(identity)
      bySplit.set(pair.split, s)
    }
  }
  const splits = [...bySplit.keys()].sort((a, b) => a - b)
  return { root, splits, identities: new Map(splits.map((s) => [s, [...(bySplit.get(s) as Set<number>)].sort((a, b) => a - b)])) }
}

/** The training identities when `testSplits` are held out; every test split must exist. */
export const trainingIdentities = (splits: CfpSplits, testSplits: readonly number[]): number[] => {
  requireSplits(splits.root, splits.splits, testSplits)
  const train = splits.splits.filter((s) => !testSplits.includes(s))
  if (train.length === 0) throw new PamError(`${splits.root}: holding out split${testSplits.length > 1 ? 's' : ''} ${testSplits.map(splitName).join(', ')} leaves no split to train on`)
  return train.flatMap((s) => splits.identities.get(s) ?? []).sort((a, b) => a - b)
}

export interface CfpTrainingImage {
  readonly path: string
  readonly identity: number
  readonly pose: CfpPose
}

const IMAGE_PATH = /(\d+)[\\/](frontal|profile)[\\/]\d+\.(jpe?g|png)$/i

/** Every image `Pair_list_{F,P}.txt` (or `image_list_{F,P}.txt`) names, in list order, frontal first. */
export const cfpListedImages = (root: string): CfpTrainingImage[] => {
  const protocolDir = path.join(root, 'Protocol')
  const out: CfpTrainingImage[] = []
  for (const [letter, pose] of [['F', 'frontal'], ['P', 'profile']] as const) {
    const names = [`Pair_list_${letter}.txt`, `image_list_${letter}.txt`]
    const file = names.map((n) => path.join(protocolDir, n)).find((f) => fs.existsSync(f))
    if (file === undefined) throw new PamError(`${protocolDir}: neither ${names[0]} nor ${names[1]} exists`)
    for (const { line, text } of readLines(file, 'CFP image list')) {
      const fields = text.trim().split(/\s+/)
      const m = fields.length === 2 ? IMAGE_PATH.exec(fields[1]) : null
      if (m === null || m[2].toLowerCase() !== pose || !/^\d+$/.test(fields[0])) {
        throw new PamError(`${file}:${line}: expected 'index path' with a ${pose} image path (…/NNN/${pose}/NN.jpg), got '${text}'`)
      }
      const rel = fields[1].replace(/\\/g, '/')
      out.push({ path: path.resolve(rel.startsWith('..') ? protocolDir : root, rel), identity: Number(m[1]), pose })
    }
  }
  return out
}

export interface CfpTrainingSet extends FaceDataset {
  /** The CFP identity of each label: `identities[label]`. */
  readonly identities: readonly number[]
  readonly testSplits: readonly number[]
}

export interface CfpTrainingOptions {
  /** Called every 100 images and at the end while the images are aligned. */
  readonly onProgress?: (done: number, total: number) => void
}

/**
 * The training FaceDataset of the identities of every split but `testSplits`, aligned to
 * `size` × `size` (see the module comment). All images are read and aligned here, once; a missing
 * image or fiducial file stops with its path.
 */
export const openCfpTraining = (root: string, testSplits: readonly number[], size: number, o: CfpTrainingOptions = {}): CfpTrainingSet => {
  const splits = cfpSplitIdentities(root)
  const identities = trainingIdentities(splits, testSplits)
  const label = new Map(identities.map((id, i) => [id, i]))
  const images = cfpListedImages(root).filter((img) => label.has(img.identity))
  images.sort((a, b) => a.identity - b.identity || (a.pose === b.pose ? 0 : a.pose === 'frontal' ? -1 : 1))
  const aligned: RgbImage[] = []
  images.forEach((img, i) => {
    if (!fs.existsSync(img.path)) throw new PamError(`${img.path}: CFP image missing`)
    const fid = fiducialPathOf(img.path)
    if (!fs.existsSync(fid)) throw new PamError(`${fid}: fiducial file missing (for ${img.path})`)
    const fiducials = parseFiducials(readTextFile(fid, 'CFP fiducials'), fid)
    aligned.push(alignCfp(decodeImage(fs.readFileSync(img.path), img.path), fiducials, img.pose, size))
    if (o.onProgress && ((i + 1) % 100 === 0 || i + 1 === images.length)) o.onProgress(i + 1, images.length)
  })
  const examples: FaceExample[] = images.map((img, i) => ({
    image: aligned[i],
    yaw: img.pose === 'frontal' ? 0 : 90,
    label: label.get(img.identity) as number,
    source: img.path,
  }))
  return {
    size: examples.length,
    numClasses: identities.length,
    identities,
    testSplits,
    get(index) {
      const ex = examples[index]
      if (ex === undefined) throw new PamError(`CFP training set: index ${index} is outside 0..${examples.length - 1}`)
      return ex
    },
  }
}
