/**
 * Yaw side files: a two-column CSV `key,yaw` (`path,yaw` for image folders, `index,yaw` for
 * RecordIO), one row a line, an optional header row naming the columns.
 *
 * The yaw feeds the PAM soft gate, so a value outside [-90, 90] or not a number is refused at
 * load time with the file and line, rather than silently saturating the gate mid-training.
 * MS1MV2 has 5.8M rows, so rows are visited one at a time instead of collected into objects.
 */
import * as fs from 'fs'
import { PamError } from '../util/errors'

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A finite yaw in degrees within [-90, 90], or the reason it is not one. */
export const checkYaw = (text: string): number | string => {
  const trimmed = text.trim()
  // Number('') is 0 and Number('0x10') is 16: accept plain decimal notation only.
  if (!DECIMAL.test(trimmed)) return `yaw '${trimmed}' is not a number`
  const yaw = Number(trimmed)
  if (!(yaw >= -90 && yaw <= 90)) return `yaw ${trimmed} is outside [-90, 90]`
  return yaw
}

/**
 * Calls `visit(key, yaw, line)` for each row of CSV `text` (line 1-based). A first line
 * `<keyColumn>,yaw` is a header and skipped; blank lines are ignored. Throws `PamError` naming
 * `file` and the line on a malformed row or a bad yaw. `visit` may throw its own `PamError`
 * (a repeated or unknown key) using the line it is given.
 */
export const forEachYawRow = (
  text: string,
  file: string,
  keyColumn: string,
  visit: (key: string, yaw: number, line: number) => void,
): void => {
  let start = 0
  for (let line = 1; start < text.length; line++) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const raw = text.slice(start, end).replace(/\r$/, '')
    start = end + 1
    if (raw.trim() === '') continue
    if (line === 1 && raw.trim().toLowerCase() === `${keyColumn},yaw`) continue
    const comma = raw.lastIndexOf(',')
    if (comma <= 0) throw new PamError(`${file}:${line}: expected '${keyColumn},yaw', got '${raw}'`)
    const key = raw.slice(0, comma).trim()
    const yaw = checkYaw(raw.slice(comma + 1))
    if (typeof yaw === 'string') throw new PamError(`${file}:${line}: ${key}: ${yaw}`)
    visit(key, yaw, line)
  }
}

/** Reads a whole text file; a missing or unreadable file is a `PamError` naming it and `what`. */
export const readTextFile = (file: string, what: string): string => {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (e) {
    throw new PamError(`${file}: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}

/** Formats a yaw for writing: two decimals, so a yaw rounded by `roundYaw` reads back exactly. */
export const formatYaw = (yaw: number): string => (Object.is(yaw, -0) ? 0 : yaw).toFixed(2)

/** Rounds to 0.01 degree: the generator renders this value, so the CSV states it exactly. */
export const roundYaw = (yaw: number): number => Math.round(yaw * 100) / 100 + 0
