/**
 * Writes a synthetic pose-varying face set to disk:
 *
 *   out/synth.json                       generation parameters (written last: the set is complete)
 *   out/train/<identity>/<n>.png         training images (an image folder: `openImageFolder`)
 *   out/train/yaw.csv                    path,yaw (paths relative to out/train)
 *   out/test/Data/Images/NNN/{frontal,profile}/NN.png   held-out identities, CFP layout
 *   out/test/Protocol/...                CFP pair lists and 10 identity-disjoint splits
 *   out/test/yaw.csv                     path,yaw (paths relative to out/test)
 *
 * Every image is rendered from its own seed (dataset seed, identity, image), so the output is
 * byte-identical for the same options, in any order. (Across Node versions the last bits of
 * Math.exp / pow / sin may change, and with them a few pixels.)
 */
import * as fs from 'fs'
import * as path from 'path'
import { encodePng } from '../../image/codec'
import { createRng } from '../../util/rng'
import { PamError } from '../../util/errors'
import { formatYaw } from '../yaw-csv'
import {
  cfpImagePath,
  drawCfpPairs,
  pairLines,
  pairList,
  splitDir,
  SPLITS,
  type CfpLayout,
} from './cfp-protocol'
import { buildHeadMesh, meshDetailFor, type HeadMesh } from './head-mesh'
import { drawIdentity } from './identity'
import { renderHead } from './render'
import { mixSeed, SeedPurpose } from './seed'
import { sampleView } from './view'
import { encodeSynthConfig, resolveSynthParameters, synthConfigOf, type SynthParameters } from './synth-config'
import { sampleFrontalYaw, sampleProfileYaw, sampleTrainYaw } from './yaw-distribution'

export { resolveSynthParameters, SYNTH_DEFAULTS, SYNTH_PARAMETER_RULES, type SynthParameters } from './synth-config'

export interface SynthProgress {
  readonly phase: 'train' | 'test'
  /** Images written so far in this phase. */
  readonly done: number
  readonly total: number
}

export interface SynthOptions {
  readonly out: string
  /** Training identities. */
  readonly identities: number
  readonly imagesPerIdentity: number
  /** Held-out identities for the CFP-style test set: 0 (none) or at least 20. */
  readonly testIdentities: number
  readonly size: number
  readonly seed: number
  /** Test images per held-out identity (CFP: 10 frontal, 4 profile). */
  readonly frontalPerTestIdentity?: number
  readonly profilePerTestIdentity?: number
  /** Same (and as many different) pairs per split, capped by what the split can form (CFP: 350). */
  readonly pairsPerSplit?: number
  /** Share of training yaws drawn uniformly on [0, 90] instead of near-frontal. */
  readonly tailFraction?: number
  /** Supersampling per axis (anti-aliasing), 1 = off. */
  readonly supersample?: number
  readonly onProgress?: (p: SynthProgress) => void
}

export interface SynthSummary {
  readonly parameters: SynthParameters
  readonly trainImages: number
  readonly testImages: number
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

const writeFile = (file: string, data: string | Uint8Array): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, data)
}

/** Renders one image of `mesh` at `yaw` from the per-image seed. */
const renderImage = (mesh: HeadMesh, yaw: number, seed: number, p: SynthParameters): Buffer =>
  encodePng(renderHead(mesh, sampleView(createRng(seed), yaw), { size: p.size, supersample: p.supersample }))

const generateTrain = (out: string, p: SynthParameters, progress: (done: number) => void): number => {
  const idWidth = Math.max(4, String(p.identities - 1).length)
  const imWidth = Math.max(2, String(p.imagesPerIdentity - 1).length)
  const detail = meshDetailFor(p.size)
  const csv: string[] = ['path,yaw\n']
  let done = 0
  for (let i = 0; i < p.identities; i++) {
    const mesh = buildHeadMesh(drawIdentity(p.seed, i), detail)
    for (let n = 0; n < p.imagesPerIdentity; n++) {
      const rng = createRng(mixSeed(p.seed, SeedPurpose.trainImage, i, n))
      const yaw = sampleTrainYaw(rng, p.tailFraction)
      const rel = `${pad(i, idWidth)}/${pad(n, imWidth)}.png`
      writeFile(path.join(out, rel), renderImage(mesh, yaw, Math.floor(rng.next() * 2 ** 32), p))
      csv.push(`${rel},${formatYaw(yaw)}\n`)
      progress(++done)
    }
  }
  writeFile(path.join(out, 'yaw.csv'), csv.join(''))
  return done
}

const generateTest = (out: string, p: SynthParameters, progress: (done: number) => void): number => {
  const layout: CfpLayout = {
    identities: p.testIdentities,
    frontalPerIdentity: p.frontalPerTestIdentity,
    profilePerIdentity: p.profilePerTestIdentity,
  }
  const detail = meshDetailFor(p.size)
  const csv: string[] = ['path,yaw\n']
  let done = 0
  for (let t = 0; t < p.testIdentities; t++) {
    // Test identities continue the training numbering: the same seed never repeats a head.
    const index = p.identities + t
    const mesh = buildHeadMesh(drawIdentity(p.seed, index), detail)
    const kinds = [
      ['frontal', p.frontalPerTestIdentity, sampleFrontalYaw],
      ['profile', p.profilePerTestIdentity, sampleProfileYaw],
    ] as const
    kinds.forEach(([kind, count, sample], k) => {
      for (let n = 0; n < count; n++) {
        const rng = createRng(mixSeed(p.seed, SeedPurpose.testImage, index, k, n))
        const yaw = sample(rng)
        const rel = cfpImagePath(layout, t, kind, n)
        writeFile(path.join(out, rel), renderImage(mesh, yaw, Math.floor(rng.next() * 2 ** 32), p))
        csv.push(`${rel},${formatYaw(yaw)}\n`)
        progress(++done)
      }
    })
  }
  writeFile(path.join(out, 'yaw.csv'), csv.join(''))
  writeFile(path.join(out, 'Protocol', 'Pair_list_F.txt'), pairList(layout, 'frontal'))
  writeFile(path.join(out, 'Protocol', 'Pair_list_P.txt'), pairList(layout, 'profile'))
  const pairs = drawCfpPairs(createRng(mixSeed(p.seed, SeedPurpose.protocol)), layout, p.pairsPerSplit)
  for (const protocol of ['FF', 'FP'] as const) {
    for (let s = 0; s < SPLITS; s++) {
      const dir = path.join(out, 'Protocol', splitDir(protocol, s))
      writeFile(path.join(dir, 'same.txt'), pairLines(pairs[protocol][s].same))
      writeFile(path.join(dir, 'diff.txt'), pairLines(pairs[protocol][s].diff))
    }
  }
  return done
}

/**
 * Generates the set under `options.out`. Refuses (PamError) to write over an existing set or
 * into a non-empty directory: stale images from a larger earlier run would silently join it.
 */
export const generateSynthDataset = (options: SynthOptions): SynthSummary => {
  const { out, onProgress, ...given } = options
  const p = resolveSynthParameters(given)
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
    throw new PamError(`${out}: already exists and is not an empty directory; remove it or choose another output directory`)
  }
  fs.mkdirSync(out, { recursive: true })
  const trainTotal = p.identities * p.imagesPerIdentity
  const testTotal = p.testIdentities * (p.frontalPerTestIdentity + p.profilePerTestIdentity)
  const report = onProgress ?? (() => undefined)
  const trainImages = generateTrain(path.join(out, 'train'), p, (done) => report({ phase: 'train', done, total: trainTotal }))
  const testImages = p.testIdentities > 0 ? generateTest(path.join(out, 'test'), p, (done) => report({ phase: 'test', done, total: testTotal })) : 0
  // Written last: its presence means the set is complete (a trainer checks for it).
  writeFile(path.join(out, 'synth.json'), encodeSynthConfig(synthConfigOf(p)))
  return { parameters: p, trainImages, testImages }
}
