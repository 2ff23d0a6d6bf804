/**
 * `pam embed`: the embeddings of a model for a folder or list of (aligned) face images, as a
 * float32 `.npy` [N, D] of unit rows, with a `.txt` beside it naming the image of each row.
 */
import * as fs from 'node:fs'
import { checkYaw } from '../../data/yaw-csv'
import { DEFAULT_BATCH, embedImages } from '../../infer/embed'
import { type CommandIo, processIo, startBackend } from '../../infer/cli-io'
import { disposeModel, loadCheckpoint } from '../../infer/model'
import { progressReporter } from '../../infer/progress'
import { expandImageArgs, fileImageList, readPathYaws } from '../../infer/sources'
import { writeNpy } from '../../io/npy'
import { PamError } from '../../util/errors'
import { numberFlag, parseFlags, stringFlag } from '../args'

export const EMBED_USAGE =
  'usage: pam embed --checkpoint DIR --images DIR|FILES... (--yaw DEGREES | --yaw-file F) --out FILE.npy [--no-flip] [--batch N] [--backend NAME]'

const HELP = `${EMBED_USAGE}

  --checkpoint DIR   a saved model directory, a training run, or a run with checkpoints
  --images DIR|FILE  aligned face images: a directory (recursively, .jpg .jpeg .png, sorted by
                     path) or image files, in the order given; may be repeated, and files may
                     follow it as plain arguments; images are resized to the model's input
  --yaw DEGREES      the yaw of every image, within [-90, 90]
  --yaw-file F       CSV 'path,yaw' (optional header); relative paths are taken from the images
                     directory when --images names one directory, else from the current one;
                     rows for other images are ignored, every image needs one
  --out FILE.npy     float32 [N, D] unit rows; FILE.txt lists the image of each row
  --no-flip          the image's own embedding only (default: summed with its mirror image's)
  --batch N          images per batch (default ${DEFAULT_BATCH})
  --backend NAME     wasm (default) or cpu`

const fail = (message: string): never => {
  throw new PamError(`pam embed: ${message}`)
}

/** `emb.npy` → `emb.txt`; any other name gets `.txt` appended. */
export const pathsFileOf = (npy: string): string => (/\.npy$/i.test(npy) ? npy.replace(/\.npy$/i, '.txt') : `${npy}.txt`)

export const embedCommand = async (argv: string[], io: CommandIo = processIo()): Promise<number> => {
  const { values, positionals } = parseFlags(
    'embed',
    argv,
    {
      checkpoint: { type: 'string' },
      images: { type: 'string', multiple: true },
      yaw: { type: 'string' },
      'yaw-file': { type: 'string' },
      out: { type: 'string' },
      'no-flip': { type: 'boolean' },
      batch: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  )
  if (values.help) {
    io.out(`${HELP}\n`)
    return 0
  }
  const checkpoint = stringFlag(values, 'checkpoint')
  const imageArgs = [...(Array.isArray(values.images) ? (values.images as string[]) : [])]
  if (positionals.length > 0) {
    if (imageArgs.length === 0) fail(`unexpected argument "${positionals[0]}"`)
    imageArgs.push(...positionals) // `--images a.jpg b.jpg`
  }
  const yaw = stringFlag(values, 'yaw')
  const yawFile = stringFlag(values, 'yaw-file')
  const out = stringFlag(values, 'out')
  if (checkpoint === undefined) fail('--checkpoint DIR is required')
  if (imageArgs.length === 0) fail('--images DIR|FILES... is required')
  if (out === undefined) fail('--out FILE.npy is required')
  if (yaw === undefined && yawFile === undefined) fail('give the yaw: --yaw DEGREES (every image) or --yaw-file F (CSV path,yaw)')
  if (yaw !== undefined && yawFile !== undefined) fail('--yaw and --yaw-file cannot be combined')
  const batch = numberFlag('embed', 'batch', values.batch, DEFAULT_BATCH, { min: 1, integer: true })
  let constantYaw = 0
  if (yaw !== undefined) {
    const v = checkYaw(yaw)
    if (typeof v === 'string') fail(`--yaw: ${v}`)
    constantYaw = v as number
  }

  const files = expandImageArgs(imageArgs)
  let yaws: Float64Array
  if (yawFile !== undefined) {
    const oneDir = imageArgs.length === 1 && fs.statSync(imageArgs[0]).isDirectory()
    yaws = readPathYaws(yawFile, files, oneDir ? imageArgs[0] : process.cwd())
  } else yaws = new Float64Array(files.length).fill(constantYaw)

  const backend = await startBackend('embed', stringFlag(values, 'backend'))
  const m = await loadCheckpoint(checkpoint as string)
  try {
    const flip = values['no-flip'] !== true
    io.err.write(`backend ${backend}\n`)
    const reporter = progressReporter(io.err, `embedding ${files.length} images with ${m.label} (batch ${batch}${flip ? ', each with its mirror image' : ', no flip'})`)
    let emb
    try {
      emb = await embedImages(m.model, fileImageList(files, yaws), { batch, flip, onProgress: reporter.update })
    } finally {
      reporter.done()
    }
    const txt = pathsFileOf(out as string)
    writeNpy(out as string, emb.data, [emb.count, emb.dim])
    try {
      fs.writeFileSync(txt, files.map((f) => `${f}\n`).join(''))
    } catch (e) {
      throw new PamError(`${txt}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    }
    io.out(`wrote ${out} (${emb.count}×${emb.dim} float32) and ${txt}\n`)
    return 0
  } finally {
    disposeModel(m.model)
  }
}
