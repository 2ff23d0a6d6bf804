/**
 * `pam bench train|infer [--model M] [--batch B] [--size S] [--width W] [--steps K] [--warmup N]
 *  [--backend NAME] [--json]`: times a training step or inference (see src/bench/measure.ts).
 */
import { benchInfer, benchTrain, type BenchResult } from '../../bench/measure'
import { PamError } from '../../util/errors'
import { numberFlag, parseFlags, stringFlag } from '../args'
import { initBackend } from '../backend-init'

const USAGE = 'usage: pam bench train|infer [--model IR50+PAM12] [--batch 16] [--size 112] [--width 1] [--steps 5] [--warmup 2] [--backend NAME] [--json]'

const text = (r: BenchResult): string =>
  `${r.mode} ${r.model} ${r.size}×${r.size} width ${r.width} batch ${r.batch} on ${r.backend}: ${r.msPerStep.toFixed(0)} ms/step, ${r.imagesPerSecond.toFixed(2)} images/s, peak RSS ${(r.peakRssBytes / 2 ** 30).toFixed(2)} GiB, tensor growth ${r.numTensorsGrowth}`

export const benchCommand = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseFlags(
    'bench',
    argv,
    {
      model: { type: 'string' },
      batch: { type: 'string' },
      size: { type: 'string' },
      width: { type: 'string' },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      classes: { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  )
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const mode = positionals[0]
  if (positionals.length !== 1 || (mode !== 'train' && mode !== 'infer')) throw new PamError(`pam bench: say train or infer\n${USAGE}`)
  const o = {
    model: stringFlag(values, 'model') ?? 'IR50+PAM12',
    batch: numberFlag('bench', 'batch', values.batch, 16, { min: 1, integer: true }),
    size: numberFlag('bench', 'size', values.size, 112, { min: 8, integer: true }),
    width: numberFlag('bench', 'width', values.width, 1, { min: 0.01 }),
    steps: numberFlag('bench', 'steps', values.steps, 5, { min: 1, integer: true }),
    warmup: numberFlag('bench', 'warmup', values.warmup, 2, { min: 0, integer: true }),
    classes: numberFlag('bench', 'classes', values.classes, 1000, { min: 2, integer: true }),
  }
  await initBackend(stringFlag(values, 'backend'))
  const r = mode === 'train' ? benchTrain(o) : benchInfer(o)
  console.log(values.json ? JSON.stringify(r) : text(r))
  return 0
}
