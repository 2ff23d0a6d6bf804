/**
 * LFW's `pairs.txt` (Huang et al. 2007) and the same format reused by other benchmarks:
 *
 *   10	300                  header: S sets of N same then N different pairs (one number: one set)
 *   Abel_Pacheco	1	4        same pair: name, image numbers
 *   Abdel_Madi_Shabneh	1	Dean_Barker	1   different pair
 *
 * Images are `root/<name>/<name>_<NNNN>.jpg`. Set s (0-based) is fold s: LFW's 10-fold view 2.
 */
import * as fs from 'fs'
import * as path from 'path'
import { PamError } from '../util/errors'
import { readTextFile } from '../data/yaw-csv'
import { splitLines } from './text-lines'

export interface LfwPair {
  /** Absolute image paths. */
  readonly a: string
  readonly b: string
  readonly issame: boolean
  /** 0-based set / fold. */
  readonly fold: number
  /** Line in the pairs file, for messages about this pair. */
  readonly line: number
}

export interface LfwPairs {
  readonly pairs: readonly LfwPair[]
  /** [P] fold index per pair, for evaluateVerification. */
  readonly folds: Int32Array
  readonly sets: number
  readonly perSet: number
}

/** `root/<name>/<name>_<NNNN>.jpg`. */
export const lfwImagePath = (root: string, name: string, n: number): string =>
  path.resolve(root, name, `${name}_${String(n).padStart(4, '0')}.jpg`)

const POSITIVE = /^[1-9]\d*$/

/** `pairs.txt` text → pairs with paths under `root`. `file` names it in errors; images are not checked here. */
export const parseLfwPairs = (text: string, file: string, root: string): LfwPairs => {
  const lines = splitLines(text)
  if (lines.length === 0) throw new PamError(`${file}: empty, expected a header 'sets pairs-per-set'`)
  const header = lines[0].text.trim().split(/\s+/)
  if (!(header.length <= 2 && header.every((h) => POSITIVE.test(h)))) {
    throw new PamError(`${file}:${lines[0].line}: expected a header 'sets pairs-per-set' (e.g. '10 300'), got '${lines[0].text}'`)
  }
  const [sets, perSet] = header.length === 2 ? header.map(Number) : [1, Number(header[0])]
  const body = lines.slice(1)
  if (body.length !== sets * 2 * perSet) {
    throw new PamError(`${file}: header '${lines[0].text.trim()}' announces ${sets * 2 * perSet} pairs, found ${body.length}`)
  }
  const pairs = body.map(({ line, text: raw }, k): LfwPair => {
    const fields = raw.trim().split(/\s+/)
    const fold = Math.floor(k / (2 * perSet))
    const issame = k % (2 * perSet) < perSet
    const where = `${file}:${line}`
    if (fields.length !== 3 && fields.length !== 4) {
      throw new PamError(`${where}: expected 'name n1 n2' or 'name1 n1 name2 n2', got '${raw}'`)
    }
    if (issame !== (fields.length === 3)) {
      const expected = issame ? "a same pair 'name n1 n2'" : "a different pair 'name1 n1 name2 n2'"
      throw new PamError(`${where}: expected ${expected} (each set is ${perSet} same then ${perSet} different pairs), got '${raw}'`)
    }
    const [nameA, nA, nameB, nB] = issame ? [fields[0], fields[1], fields[0], fields[2]] : fields
    for (const n of [nA, nB]) {
      if (!POSITIVE.test(n)) throw new PamError(`${where}: image number '${n}' is not a positive integer`)
    }
    return { a: lfwImagePath(root, nameA, Number(nA)), b: lfwImagePath(root, nameB, Number(nB)), issame, fold, line }
  })
  return { pairs, folds: Int32Array.from(pairs, (p) => p.fold), sets, perSet }
}

/** Reads `file` and checks every image it names exists under `root`. */
export const readLfwPairs = (file: string, root: string): LfwPairs => {
  const parsed = parseLfwPairs(readTextFile(file, 'LFW pairs file'), file, root)
  for (const p of parsed.pairs) {
    for (const img of [p.a, p.b]) {
      if (!fs.existsSync(img)) throw new PamError(`${file}:${p.line}: image ${img} does not exist`)
    }
  }
  return parsed
}
