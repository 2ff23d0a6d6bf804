/**
 * The line reader every evaluation text format shares (CFP lists, LFW `pairs.txt`, pair CSVs).
 *
 * Line numbers are 1-based and count blank lines, so an error names the line an editor shows.
 * Files written on Windows (CRLF, a UTF-8 byte-order mark) read the same as Unix ones.
 */
import { readTextFile } from '../data/yaw-csv'

export interface TextLine {
  /** 1-based, counting blank lines. */
  readonly line: number
  /** Without the line ending; not trimmed. */
  readonly text: string
}

/** The non-blank lines of `text`. */
export const splitLines = (text: string): TextLine[] => {
  const out: TextLine[] = []
  const raw = text.replace(/^\uFEFF/, '').split('\n')
  raw.forEach((l, i) => {
    const t = l.replace(/\r$/, '')
    if (t.trim() !== '') out.push({ line: i + 1, text: t })
  })
  return out
}

/** The non-blank lines of `file`; a missing file is a `PamError` naming it and `what` it holds. */
export const readLines = (file: string, what: string): TextLine[] => splitLines(readTextFile(file, what))
