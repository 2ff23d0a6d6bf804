/**
 * `pam.json`: what a saved model directory is — the zoo name and options it was built from — so
 * `pam eval`, `pam embed`, `pam train --init` and `pam export` can rebuild or check it. Written
 * beside `model.json` / `weights.bin` by `pam train` (every checkpoint) and `pam import`.
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { PamError } from '../util/errors'
import { writeFileAtomic } from './model-dir'

export const MODEL_INFO = 'pam.json'

export const ModelInfo = t.type({
  /** Canonical zoo name, `IR50+PAM12`. */
  model: t.string,
  size: t.number,
  width: t.number,
  embedding: t.number,
  dropout: t.number,
})

export type ModelInfo = t.TypeOf<typeof ModelInfo>

export const writeModelInfo = (dir: string, info: ModelInfo): void =>
  writeFileAtomic(path.join(dir, MODEL_INFO), JSON.stringify(ModelInfo.encode(info), null, 2))

/** The model info of a saved model directory; a clear error when it is missing or malformed. */
export const readModelInfo = (dir: string): ModelInfo => {
  const file = path.join(dir, MODEL_INFO)
  if (!fs.existsSync(file)) throw new PamError(`${dir}: no ${MODEL_INFO} (not a model saved by pam train or pam import)`)
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    throw new PamError(`${file}: not valid JSON (${(e as Error).message})`)
  }
  const r = ModelInfo.decode(raw)
  if (E.isLeft(r)) throw new PamError(`${file}: malformed (${r.left.map((e) => e.context.map((c) => c.key).filter(Boolean).join('.')).join(', ')})`)
  return r.right
}
