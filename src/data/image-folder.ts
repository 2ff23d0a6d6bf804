/**
 * An image folder as a `FaceDataset`: `root/<identity>/<image>.{jpg,jpeg,png}`, identities sorted
 * by name and numbered 0..K-1, with a yaw CSV (`path,yaw`, paths relative to `root`).
 *
 * The synthetic generator's `out/train` is such a folder (its `yaw.csv` sits in the root), so it
 * loads with `openImageFolder('out/train')` and nothing else.
 *
 * Every image's yaw is checked when the folder is opened: a training run should fail in its first
 * second, not after hours at the first image without one. Pixels are read lazily in `get`.
 */
import * as fs from 'fs'
import * as path from 'path'
import { decodeImage } from '../image/codec'
import { PamError } from '../util/errors'
import type { FaceDataset, FaceExample } from './dataset'
import { forEachYawRow, readTextFile } from './yaw-csv'

export interface ImageFolderOptions {
  /** The yaw CSV; default `<root>/yaw.csv`. */
  readonly yawCsv?: string
}

export interface ImageFolderDataset extends FaceDataset {
  readonly root: string
  /** Identity (directory) names; `identities[label]`. */
  readonly identities: readonly string[]
  /** Image paths relative to `root` with `/` separators, in dataset order. */
  readonly paths: readonly string[]
}

const IMAGE_EXTENSION = /\.(jpe?g|png)$/i

// Plain code-unit order, not localeCompare: labels must not depend on the user's locale.
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const listDir = (dir: string): fs.Dirent[] => {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
  } catch (e) {
    throw new PamError(`${dir}: cannot list image folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}

const normaliseKey = (p: string): string => path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '')

/**
 * Opens `root`. Throws `PamError` when the folder holds no image, when an image has no yaw (naming
 * the image), when the CSV is malformed or names an image that is not there (naming CSV and line).
 */
export const openImageFolder = (root: string, options: ImageFolderOptions = {}): ImageFolderDataset => {
  const yawCsv = options.yawCsv ?? path.join(root, 'yaw.csv')
  const identities = listDir(root)
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort(byName)
  const paths: string[] = []
  const labels: number[] = []
  identities.forEach((identity, label) => {
    const files = listDir(path.join(root, identity))
      .filter((d) => d.isFile() && IMAGE_EXTENSION.test(d.name))
      .map((d) => d.name)
      .sort(byName)
    for (const f of files) {
      paths.push(`${identity}/${f}`)
      labels.push(label)
    }
  })
  if (paths.length === 0) throw new PamError(`${root}: no <identity>/*.jpg|png images in the image folder`)

  const yawOf = new Map<string, { yaw: number; line: number }>()
  forEachYawRow(readTextFile(yawCsv, 'yaw file'), yawCsv, 'path', (key, yaw, line) => {
    const normal = normaliseKey(key)
    const previous = yawOf.get(normal)
    if (previous) throw new PamError(`${yawCsv}:${line}: ${normal} already has a yaw on line ${previous.line}`)
    yawOf.set(normal, { yaw, line })
  })
  const yaws = paths.map((p) => {
    const entry = yawOf.get(p)
    if (!entry) throw new PamError(`${path.join(root, p)}: no yaw for this image in ${yawCsv}`)
    return entry.yaw
  })
  if (yawOf.size > paths.length) {
    // Only reachable when some CSV row names no image: report the first such row.
    const known = new Set(paths)
    for (const [key, { line }] of yawOf) {
      if (!known.has(key)) throw new PamError(`${yawCsv}:${line}: ${key}: no such image under ${root}`)
    }
  }

  const get = (index: number): FaceExample => {
    if (!Number.isInteger(index) || index < 0 || index >= paths.length) {
      throw new PamError(`${root}: example index ${index} is outside [0, ${paths.length})`)
    }
    const source = path.join(root, paths[index])
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(source)
    } catch (e) {
      throw new PamError(`${source}: cannot read image (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
    return { image: decodeImage(bytes, source), yaw: yaws[index], label: labels[index], source }
  }

  return { root, identities, paths, size: paths.length, numClasses: identities.length, get }
}
