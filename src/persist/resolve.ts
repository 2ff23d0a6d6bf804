/**
 * Where the model of a `--checkpoint DIR` is: DIR itself when it holds `model.json` (an imported
 * model, a run's `model/`, one checkpoint), else the run's final `DIR/model`, else its newest
 * checkpoint.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { latestCheckpoint } from '../train/checkpoint'
import { PamError } from '../util/errors'
import { MODEL_JSON } from './model-dir'

export const resolveModelDir = (dir: string): string => {
  if (!fs.existsSync(dir)) throw new PamError(`${dir}: no such directory`)
  if (fs.existsSync(path.join(dir, MODEL_JSON))) return dir
  const final = path.join(dir, 'model')
  if (fs.existsSync(path.join(final, MODEL_JSON))) return final
  const latest = latestCheckpoint(dir)
  if (latest) return latest
  throw new PamError(`${dir}: holds no model (no model.json, no model/, no checkpoints/LATEST)`)
}
