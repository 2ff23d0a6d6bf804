/**
 * What `pam eval` and `pam embed` feed a model: image lists with a yaw per image, and the pair
 * sets of a verification benchmark defined over them.
 *
 * - insightface `.bin` sets: 2P encoded, already aligned 112 × 112 images (pair p = images 2p and
 *   2p+1), 10 contiguous folds. Yaw: one `--yaw` for all images, or a yaw file (below); without
 *   either every image is taken as frontal (0°) and the yaw is not "known" for the report.
 * - CFP as distributed: every image a pair of the chosen protocols uses, each aligned from its
 *   fiducials straight to the model's input size; FF and FP share the frontal images, so each
 *   image is embedded once; folds are the official splits; yaw 0° frontal, 90° profile, or a
 *   `path,yaw` CSV (see cfp.ts).
 * - image files (`pam embed`): a directory (recursively, `.jpg` `.jpeg` `.png`, sorted by path)
 *   or files as given, yaw from `--yaw` or a `path,yaw` CSV.
 *
 * Yaw files are CSVs with an optional header row. For a `.bin` set: `index,yaw`, index the
 * 0-based image index in the file (0 … 2P−1; pair p is images 2p and 2p+1), every image exactly
 * once. For image files: `path,yaw`, a relative path taken from `base` (the images' directory);
 * rows for other images are ignored. Yaw is in degrees within [-90, 90].
 */
import { resizeBilinear } from '../image/resize'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { forEachYawRow, readTextFile } from '../data/yaw-csv'
import { alignCfp } from '../eval/align'
import { type CfpProtocol, cfpProtocol, pairYaw, readCfp } from '../eval/cfp'
import { contiguousFolds } from '../eval/folds'
import { columnName } from '../eval/report'
import { decodeImage, type RgbImage } from '../image/codec'
import { readBinPairs } from '../io/bin-pairs'
import { PamError } from '../util/errors'
import type { ImageList } from './embed'

/** One benchmark's pairs over the images of its source. */
export interface PairSet {
  /** The results-table column: `LFW`, `CFP-FP`, … (see columnName), or the file's base name. */
  readonly name: string
  /** Image indices of each pair's two sides. */
  readonly first: Int32Array
  readonly second: Int32Array
  readonly issame: readonly boolean[]
  /** 0-based fold of each pair. */
  readonly folds: Int32Array
  /** Per pair, the larger |yaw| of its two images; present when the yaw of each image is known. */
  readonly pairYaw?: Float64Array
}

/** A set of images and the pair sets over them. */
export interface EvalSource {
  /** For progress lines: the file or folder. */
  readonly label: string
  readonly count: number
  /** The images as the model of input size × size wants them (CFP aligns to that size directly). */
  images(size: number): ImageList
  readonly sets: readonly PairSet[]
}

/** How the yaw of a `.bin` set's images is given. */
export type BinYaw =
  | { readonly kind: 'none' }
  | { readonly kind: 'constant'; readonly yaw: number }
  | { readonly kind: 'file'; readonly file: string }

const readFileBytes = (file: string): Uint8Array => {
  try {
    return fs.readFileSync(file)
  } catch (e) {
    throw new PamError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}

/** `index,yaw` CSV → [count] yaw; every index 0..count-1 exactly once. `what` names the images (`lfw.bin`). */
export const readIndexYaws = (file: string, count: number, what: string): Float64Array => {
  const yaws = new Float64Array(count).fill(NaN)
  const lineOf = new Int32Array(count)
  forEachYawRow(readTextFile(file, 'yaw CSV'), file, 'index', (key, yaw, line) => {
    if (!/^\d+$/.test(key)) throw new PamError(`${file}:${line}: index '${key}' is not a non-negative integer`)
    const i = Number(key)
    if (i >= count) throw new PamError(`${file}:${line}: index ${i} is out of range (${what} has ${count} images, 0..${count - 1})`)
    if (lineOf[i] !== 0) throw new PamError(`${file}:${line}: index ${i} repeats line ${lineOf[i]}`)
    lineOf[i] = line
    yaws[i] = yaw
  })
  const missing = lineOf.indexOf(0)
  if (missing >= 0) {
    const rows = lineOf.reduce((a, l) => a + (l === 0 ? 0 : 1), 0)
    throw new PamError(`${file}: ${rows} rows for the ${count} images of ${what}; no yaw for image ${missing}`)
  }
  return yaws
}

/** `path,yaw` CSV → the yaw of each of `images` (absolute paths); relative CSV paths are taken from `base`. */
export const readPathYaws = (file: string, images: readonly string[], base: string): Float64Array => {
  const wanted = new Map(images.map((p, i) => [path.resolve(p), i]))
  const yaws = new Float64Array(images.length).fill(NaN)
  const lineOf = new Map<string, number>()
  forEachYawRow(readTextFile(file, 'yaw CSV'), file, 'path', (key, yaw, line) => {
    const abs = path.resolve(base, key)
    if (lineOf.has(abs)) throw new PamError(`${file}:${line}: ${key} repeats line ${lineOf.get(abs)}`)
    lineOf.set(abs, line)
    const i = wanted.get(abs)
    if (i !== undefined) yaws[i] = yaw
  })
  const missing = yaws.findIndex((y) => Number.isNaN(y))
  if (missing >= 0) throw new PamError(`${file}: no yaw for image ${images[missing]}`)
  return yaws
}

/** Per pair, the larger |yaw| of its two images. */
const pairYaws = (first: Int32Array, second: Int32Array, yaw: ArrayLike<number>): Float64Array =>
  Float64Array.from(first, (a, p) => Math.max(Math.abs(yaw[a]), Math.abs(yaw[second[p]])))

/** `…/cfp_fp.bin` → `CFP-FP`; names the paper does not use stay the base name (`mine.bin` → `mine`). */
export const binSetName = (file: string): string => columnName(path.basename(file).replace(/\.bin$/i, ''))

/** An insightface `.bin` pair set (read and checked now; images decoded when the model asks). */
export const binSource = (file: string, yaw: BinYaw = { kind: 'none' }): EvalSource => {
  const set = readBinPairs(file)
  const count = set.images.length
  const pairs = set.issame.length
  let folds: Int32Array
  try {
    folds = contiguousFolds(pairs, 10)
  } catch (e) {
    throw new PamError(`${file}: ${(e as Error).message.replace(/^folds: /, '')}`)
  }
  const yaws =
    yaw.kind === 'file' ? readIndexYaws(yaw.file, count, file) : new Float64Array(count).fill(yaw.kind === 'constant' ? yaw.yaw : 0)
  const first = Int32Array.from({ length: pairs }, (_, p) => 2 * p)
  const second = Int32Array.from({ length: pairs }, (_, p) => 2 * p + 1)
  return {
    label: file,
    count,
    images: () => ({
      length: count,
      load: (i) => ({ image: decodeImage(set.images[i], `${file}: image ${i} (pair ${Math.floor(i / 2)})`), yaw: yaws[i] }),
    }),
    sets: [
      {
        name: binSetName(file),
        first,
        second,
        issame: set.issame,
        folds,
        pairYaw: yaw.kind === 'file' ? pairYaws(first, second, yaws) : undefined,
      },
    ],
  }
}

/** The CFP copy at `root`: one source, one pair set per protocol (`CFP-FF`, `CFP-FP`). */
export const cfpSource = (root: string, protocols: readonly CfpProtocol[], yawCsv?: string, aligned = false): EvalSource => {
  const set = readCfp(root, { protocols, yawCsv, aligned })
  const images = [...set.images.values()]
  const index = new Map(images.map((img, i) => [img.path, i]))
  const sets = protocols.map((protocol): PairSet => {
    const { pairs, folds } = cfpProtocol(set, protocol)
    return {
      name: `CFP-${protocol}`,
      first: Int32Array.from(pairs, (p) => index.get(p.a) as number),
      second: Int32Array.from(pairs, (p) => index.get(p.b) as number),
      issame: pairs.map((p) => p.issame),
      folds,
      pairYaw: Float64Array.from(pairs, (p) => pairYaw(set, p)),
    }
  })
  return {
    label: root,
    count: images.length,
    images: (size) => ({
      length: images.length,
      load: (i) => {
        const img = images[i]
        const decoded = decodeImage(readFileBytes(img.path), img.path)
        return { image: aligned ? resizeBilinear(decoded, size, size) : alignCfp(decoded, img.fiducials, img.pose, size), yaw: img.yaw }
      },
    }),
    sets,
  }
}

const IMAGE_EXT = /\.(jpe?g|png)$/i

/** The `.jpg` `.jpeg` `.png` files under `dir`, recursively, sorted by path (code-unit order, `/` separated). */
export const listImageFiles = (dir: string): string[] => {
  const out: string[] = []
  const walk = (rel: string): void => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    for (const e of entries) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`
      if (e.isDirectory()) walk(r)
      else if (IMAGE_EXT.test(e.name) && (e.isFile() || fs.statSync(path.join(dir, r)).isFile())) out.push(r)
    }
  }
  walk('')
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((r) => path.join(dir, r))
}

/**
 * `--images` arguments → image files: a directory expands to its images (listImageFiles), a file
 * is taken as given. A missing path, or a directory without images, is an error naming it.
 */
export const expandImageArgs = (args: readonly string[]): string[] =>
  args.flatMap((a) => {
    if (!fs.existsSync(a)) throw new PamError(`${a}: no such image file or directory`)
    if (!fs.statSync(a).isDirectory()) return [a]
    const files = listImageFiles(a)
    if (files.length === 0) throw new PamError(`${a}: no .jpg, .jpeg or .png images under this directory`)
    return files
  })

/** Image files read and decoded on demand, with their yaw. */
export const fileImageList = (files: readonly string[], yaw: ArrayLike<number>): ImageList => {
  if (yaw.length !== files.length) throw new PamError(`fileImageList: ${files.length} images but ${yaw.length} yaw values`)
  return {
    length: files.length,
    load: (i): { image: RgbImage; yaw: number } => ({ image: decodeImage(readFileBytes(files[i]), files[i]), yaw: yaw[i] }),
  }
}
