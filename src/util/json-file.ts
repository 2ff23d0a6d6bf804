/**
 * Reading a user's JSON file (a training config, an experiment plan): one `PamError` naming the
 * file and what it is when it is missing or not JSON.
 */
import * as fs from 'node:fs'
import { PamError } from './errors'

/** `what` names the file's role in the message: `FILE: cannot read the config (no such file)`. */
export const readJsonFile = (file: string, what: string): unknown => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    throw new PamError(`${file}: cannot read the ${what} (${why})`)
  }
}
