/**
 * The CFP benchmark (Sengupta et al., WACV 2016) read as its authors distribute it:
 *
 *   Data/Images/NNN/{frontal,profile}/NN.jpg     raw photographs
 *   Data/Fiducials/NNN/{frontal,profile}/NN.txt  30 points `x,y`, one a line
 *   Protocol/Pair_list_{F,P}.txt                 `index path` (some copies: image_list_{F,P}.txt)
 *   Protocol/Split/{FF,FP}/01..10/{same,diff}.txt  `a,b` indices (FF: F,F; FP: F,P)
 *
 * List paths are `Data/Images/…` relative to the root in some copies and `../Data/Images/…`
 * relative to `Protocol/` in others: a path starting with `..` is resolved against `Protocol/`,
 * any other against the root. Everything a pair refers to is checked when the set is read (the
 * image exists, its fiducials parse, both sides of a same pair share an identity), so a broken
 * copy fails before any model runs, naming the file and line at fault.
 */
import * as fs from 'fs'
import * as path from 'path'
import { forEachYawRow, readTextFile } from '../data/yaw-csv'
import { PamError } from '../util/errors'
import { foldsFromIds } from './folds'
import { readLines, splitLines } from './text-lines'

export type CfpProtocol = 'FF' | 'FP'
export type CfpPose = 'frontal' | 'profile'

export const CFP_FIDUCIALS = 30

export interface CfpImage {
  /** Absolute path of the JPEG. */
  readonly path: string
  readonly fiducialPath: string
  /** The `NNN` folder: 1..500. */
  readonly identity: number
  readonly pose: CfpPose
  /** Degrees: frontal 0, profile 90, unless the yaw CSV says otherwise. */
  readonly yaw: number
  /** [30, 2] interleaved x, y in source pixels. */
  readonly fiducials: Float64Array
}

export interface CfpPair {
  /** Absolute image paths; `a` is frontal, `b` frontal (FF) or profile (FP). */
  readonly a: string
  readonly b: string
  readonly issame: boolean
  /** The split folder number, 1..10. */
  readonly split: number
  readonly protocol: CfpProtocol
}

export interface CfpSet {
  readonly root: string
  /** Per protocol, per split, the same pairs then the different ones, in file order. */
  readonly pairs: readonly CfpPair[]
  /** Every image some pair refers to, by absolute path. */
  readonly images: ReadonlyMap<string, CfpImage>
}

export interface CfpOptions {
  /** Default both. */
  readonly protocols?: readonly CfpProtocol[]
  /** CSV `path,yaw` (paths absolute or relative to the root); rows for images no pair uses are ignored. */
  readonly yawCsv?: string
  /**
   * The images are already aligned crops (the synthetic set's test split): no fiducial files
   * are read, and `fiducials` is empty.
   */
  readonly aligned?: boolean
}

const IMAGE_PATH = /(\d+)[\\/](frontal|profile)[\\/]\d+\.(jpe?g|png)$/i
const POSE_LETTER: Record<CfpPose, 'F' | 'P'> = { frontal: 'F', profile: 'P' }

interface ListEntry {
  readonly path: string
  readonly identity: number
}

/** `Protocol/Pair_list_F.txt` or `image_list_F.txt` → index → entry. */
const readImageList = (root: string, pose: CfpPose): { file: string; entries: Map<number, ListEntry> } => {
  const protocolDir = path.join(root, 'Protocol')
  const names = [`Pair_list_${POSE_LETTER[pose]}.txt`, `image_list_${POSE_LETTER[pose]}.txt`]
  const file = names.map((n) => path.join(protocolDir, n)).find((f) => fs.existsSync(f))
  if (file === undefined) throw new PamError(`${protocolDir}: neither ${names[0]} nor ${names[1]} exists`)
  const entries = new Map<number, ListEntry>()
  const lineOf = new Map<number, number>()
  for (const { line, text } of readLines(file, 'CFP image list')) {
    const fields = text.trim().split(/\s+/)
    if (fields.length !== 2 || !/^\d+$/.test(fields[0])) {
      throw new PamError(`${file}:${line}: expected 'index path', got '${text}'`)
    }
    const match = IMAGE_PATH.exec(fields[1])
    if (match === null || match[2].toLowerCase() !== pose) {
      throw new PamError(`${file}:${line}: expected a ${pose} image path (…/NNN/${pose}/NN.jpg), got '${fields[1]}'`)
    }
    const index = Number(fields[0])
    if (lineOf.has(index)) throw new PamError(`${file}:${line}: index ${index} repeats line ${lineOf.get(index)}`)
    lineOf.set(index, line)
    const rel = fields[1].replace(/\\/g, '/')
    const abs = path.resolve(rel.startsWith('..') ? protocolDir : root, rel)
    entries.set(index, { path: abs, identity: Number(match[1]) })
  }
  return { file, entries }
}

/** The split folders (`01`, `02`, …) of `Protocol/Split/<protocol>`, as numbers, ascending. */
const splitNumbers = (root: string, protocol: CfpProtocol): number[] => {
  const dir = path.join(root, 'Protocol', 'Split', protocol)
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^\d+$/.test(n) && fs.statSync(path.join(dir, n)).isDirectory()) : []
  if (names.length === 0) throw new PamError(`${dir}: no split folders (01, 02, …)`)
  return names.map(Number).sort((a, b) => a - b)
}

/** Parses a fiducial file: 30 lines `x,y` → [30, 2] interleaved. */
export const parseFiducials = (text: string, file: string): Float64Array => {
  const out: number[] = []
  for (const { line, text: raw } of splitLines(text)) {
    const xy = raw.trim().split(',').map((v) => v.trim())
    const nums = xy.map(Number)
    if (xy.length !== 2 || xy.some((v) => v === '') || !nums.every(Number.isFinite)) {
      throw new PamError(`${file}:${line}: expected 'x,y', got '${raw.trim()}'`)
    }
    out.push(nums[0], nums[1])
  }
  if (out.length !== 2 * CFP_FIDUCIALS) {
    throw new PamError(`${file}: expected ${CFP_FIDUCIALS} fiducial points, found ${out.length / 2}`)
  }
  return Float64Array.from(out)
}

/** `…/Images/NNN/pose/NN.jpg` → `…/Fiducials/NNN/pose/NN.txt`. */
export const fiducialPathOf = (imagePath: string): string => {
  const file = path.basename(imagePath).replace(/\.jpg$/i, '.txt')
  const poseDir = path.dirname(imagePath)
  const idDir = path.dirname(poseDir)
  const dataDir = path.dirname(path.dirname(idDir))
  return path.join(dataDir, 'Fiducials', path.basename(idDir), path.basename(poseDir), file)
}

const readYaws = (file: string, root: string): Map<string, number> => {
  const yaws = new Map<string, number>()
  const lineOf = new Map<string, number>()
  forEachYawRow(readTextFile(file, 'yaw CSV'), file, 'path', (key, yaw, line) => {
    const abs = path.resolve(root, key)
    if (lineOf.has(abs)) throw new PamError(`${file}:${line}: ${key} repeats line ${lineOf.get(abs)}`)
    lineOf.set(abs, line)
    yaws.set(abs, yaw)
  })
  return yaws
}

/** A split as CFP names its folders: `Protocol/Split/FF/07`. */
export const splitName = (n: number): string => String(n).padStart(2, '0')

/** Throws `PamError` naming the split folder unless every split of `wanted` is one of `present`. */
export const requireSplits = (root: string, present: readonly number[], wanted: readonly number[]): void => {
  for (const s of wanted) {
    if (!present.includes(s)) {
      throw new PamError(`${path.join(root, 'Protocol', 'Split')}: no split ${splitName(s)} (the splits are ${[...present].sort((a, b) => a - b).map(splitName).join(', ')})`)
    }
  }
}

/** Reads and checks the CFP copy at `root` (see the module comment). Throws `PamError` naming file and line. */
export const readCfp = (root: string, options: CfpOptions = {}): CfpSet => {
  const protocols = options.protocols ?? ['FF', 'FP']
  if (!fs.existsSync(path.join(root, 'Protocol'))) throw new PamError(`${root}: not a CFP folder (no Protocol/ inside)`)
  const frontal = readImageList(root, 'frontal')
  const profile = protocols.includes('FP') ? readImageList(root, 'profile') : frontal
  const yaws = options.yawCsv === undefined ? new Map<string, number>() : readYaws(options.yawCsv, root)
  const splits = protocols.map((p) => splitNumbers(root, p))
  if (splits.length === 2 && splits[0].join() !== splits[1].join()) {
    const show = (s: number[]): string => s.map(splitName).join(',')
    throw new PamError(`${path.join(root, 'Protocol', 'Split')}: FF has splits ${show(splits[0])} but FP has ${show(splits[1])}`)
  }
  const pairs: CfpPair[] = []
  const images = new Map<string, CfpImage>()
  const addImage = (entry: ListEntry, pose: CfpPose, where: string): void => {
    if (images.has(entry.path)) return
    if (!fs.existsSync(entry.path)) throw new PamError(`${where}: image ${entry.path} does not exist`)
    const fiducialPath = fiducialPathOf(entry.path)
    if (!options.aligned && !fs.existsSync(fiducialPath)) throw new PamError(`${where}: fiducial file ${fiducialPath} does not exist`)
    const fiducials = options.aligned ? new Float64Array(0) : parseFiducials(readTextFile(fiducialPath, 'CFP fiducials'), fiducialPath)
    const yaw = yaws.get(entry.path) ?? (pose === 'frontal' ? 0 : 90)
    images.set(entry.path, { path: entry.path, fiducialPath, identity: entry.identity, pose, yaw, fiducials })
  }
  protocols.forEach((protocol, p) => {
    const second = protocol === 'FF' ? frontal : profile
    const secondPose: CfpPose = protocol === 'FF' ? 'frontal' : 'profile'
    for (const split of splits[p]) {
      const dir = path.join(root, 'Protocol', 'Split', protocol, splitName(split))
      const counts: number[] = []
      for (const issame of [true, false]) {
        const file = path.join(dir, issame ? 'same.txt' : 'diff.txt')
        const lines = readLines(file, 'CFP pair file')
        counts.push(lines.length)
        for (const { line, text } of lines) {
          const where = `${file}:${line}`
          const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text)
          if (m === null) throw new PamError(`${where}: expected 'a,b' image indices, got '${text}'`)
          const a = frontal.entries.get(Number(m[1]))
          if (a === undefined) throw new PamError(`${where}: frontal index ${m[1]} is not in ${frontal.file}`)
          const b = second.entries.get(Number(m[2]))
          if (b === undefined) throw new PamError(`${where}: ${secondPose} index ${m[2]} is not in ${second.file}`)
          if ((a.identity === b.identity) !== issame) {
            const id = (n: number): string => String(n).padStart(3, '0')
            const ids = issame ? `identities ${id(a.identity)} and ${id(b.identity)}` : `the one identity ${id(a.identity)}`
            throw new PamError(`${where}: ${issame ? 'same' : 'different'} pair ${m[1]},${m[2]} has ${ids}`)
          }
          addImage(a, 'frontal', where)
          addImage(b, secondPose, where)
          pairs.push({ a: a.path, b: b.path, issame, split, protocol })
        }
      }
      if (counts[0] !== counts[1]) throw new PamError(`${dir}: same.txt has ${counts[0]} pairs but diff.txt has ${counts[1]}`)
    }
  })
  return { root, pairs, images }
}

/** One protocol's pairs and their fold indices (split 1..10 → fold 0..9), ready for evaluateVerification. */
export const cfpProtocol = (set: CfpSet, protocol: CfpProtocol): { readonly pairs: readonly CfpPair[]; readonly folds: Int32Array } => {
  const pairs = set.pairs.filter((p) => p.protocol === protocol)
  return { pairs, folds: foldsFromIds(pairs.map((p) => p.split)).folds }
}

/** The larger |yaw| of a pair's two images: the pose difficulty the yaw-bin table groups by. */
export const pairYaw = (set: CfpSet, pair: CfpPair): number =>
  Math.max(Math.abs((set.images.get(pair.a) as CfpImage).yaw), Math.abs((set.images.get(pair.b) as CfpImage).yaw))
