/**
 * The per-pair CSV behind `--pairs-out`: `fold,issame,distance`, one pair a line, in pair order.
 *
 * Folds are written 1-based (CFP's split numbers, LFW's set numbers) and read back 0-based;
 * distances are written with JavaScript's shortest round-trip formatting, so reading the file
 * back and re-running the protocol reproduces the printed accuracy exactly.
 */
import * as fs from 'fs'
import { PamError } from '../util/errors'
import { type VerificationInput, type VerificationOptions, type VerificationResult, checkInput, evaluateVerification } from './protocol'
import { splitLines } from './text-lines'
import { readTextFile } from '../data/yaw-csv'

export const PAIRS_CSV_HEADER = 'fold,issame,distance'

/** [N] pairs → CSV text with header, fold 1-based, issame 1/0. */
export const formatPairsCsv = (input: VerificationInput): string => {
  checkInput(input)
  const rows = [PAIRS_CSV_HEADER]
  for (let i = 0; i < input.distances.length; i++) {
    rows.push(`${input.folds[i] + 1},${input.issame[i] ? 1 : 0},${String(input.distances[i])}`)
  }
  return rows.join('\n') + '\n'
}

export const writePairsCsv = (file: string, input: VerificationInput): void => {
  fs.writeFileSync(file, formatPairsCsv(input))
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** CSV text (header optional) → [N] distances, labels, 0-based folds. `file` names it in errors. */
export const parsePairsCsv = (text: string, file: string): VerificationInput => {
  const distances: number[] = []
  const issame: boolean[] = []
  const folds: number[] = []
  for (const { line, text: raw } of splitLines(text)) {
    if (distances.length === 0 && raw.trim() === PAIRS_CSV_HEADER) continue
    const cells = raw.split(',').map((c) => c.trim())
    const bad = (why: string): never => {
      throw new PamError(`${file}:${line}: ${why}, got '${raw}'`)
    }
    if (cells.length !== 3) bad(`expected '${PAIRS_CSV_HEADER}'`)
    const [fold, same, distance] = cells
    if (!/^\d+$/.test(fold) || Number(fold) < 1) bad('fold must be an integer >= 1')
    if (same !== '0' && same !== '1') bad('issame must be 0 or 1')
    if (!DECIMAL.test(distance)) bad('distance must be a number')
    folds.push(Number(fold) - 1)
    issame.push(same === '1')
    distances.push(Number(distance))
  }
  if (distances.length === 0) throw new PamError(`${file}: no pairs`)
  const input = { distances, issame, folds }
  try {
    checkInput(input)
  } catch (e) {
    throw new PamError(`${file}: ${(e as Error).message.replace(/^verification: /, '')}`)
  }
  return input
}

export const readPairsCsv = (file: string): VerificationInput => parsePairsCsv(readTextFile(file, 'pairs CSV'), file)

/** Re-runs the protocol on a `--pairs-out` CSV: the same numbers the evaluation printed. */
export const evaluatePairsCsv = (file: string, options?: VerificationOptions): VerificationResult =>
  evaluateVerification(readPairsCsv(file), options)
