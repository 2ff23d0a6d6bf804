/**
 * `pam synth`: renders the synthetic pose-varying face set (see `src/data/synth/generate.ts`).
 *
 *   pam synth --out DIR [--identities N] [--images-per-identity N] [--test-identities N]
 *             [--size S] [--seed N] [--supersample K] [--pairs-per-split N]
 *
 * Exit codes: 0 done, 1 the set could not be written (one line naming why), 2 bad usage.
 * Progress goes to stderr, the closing summary to stdout.
 */
import { parseArgs } from 'util'
import { isPamError } from '../../util/errors'
import { generateSynthDataset, type SynthProgress } from '../../data/synth/generate'
import { SYNTH_DEFAULTS, SYNTH_PARAMETER_RULES, type SynthParameters } from '../../data/synth/synth-config'

/** Integer-valued flags and the parameter each sets. */
const FLAGS: readonly (readonly [string, keyof SynthParameters])[] = [
  ['identities', 'identities'],
  ['images-per-identity', 'imagesPerIdentity'],
  ['test-identities', 'testIdentities'],
  ['size', 'size'],
  ['seed', 'seed'],
  ['supersample', 'supersample'],
  ['pairs-per-split', 'pairsPerSplit'],
]

export const SYNTH_USAGE = `usage: pam synth --out DIR [options]

Renders a synthetic pose-varying face set: DIR/train/<identity>/<n>.png with DIR/train/yaw.csv,
held-out identities in the CFP layout under DIR/test (FF and FP pairs, 10 splits), DIR/synth.json.

  --out DIR                  output directory (must not exist or be empty)
  --identities N             training identities            (default ${SYNTH_DEFAULTS.identities})
  --images-per-identity N    training images per identity   (default ${SYNTH_DEFAULTS.imagesPerIdentity})
  --test-identities N        held-out identities, 0 or ≥ 20 (default ${SYNTH_DEFAULTS.testIdentities})
  --size S                   image width and height         (default ${SYNTH_DEFAULTS.size})
  --seed N                   dataset seed                   (default ${SYNTH_DEFAULTS.seed})
  --supersample K            anti-aliasing factor, 1-4      (default ${SYNTH_DEFAULTS.supersample})
  --pairs-per-split N        same / diff pairs per split    (default ${SYNTH_DEFAULTS.pairsPerSplit}, capped by the split)
`

type Parsed = { readonly ok: true; readonly out: string; readonly params: Partial<Record<keyof SynthParameters, number>> } | { readonly ok: false; readonly message: string } | { readonly ok: 'help' }

/** Parses argv into the generator's options, or the one line explaining what is wrong. */
export const parseSynthArgs = (argv: readonly string[]): Parsed => {
  let values: Record<string, string | boolean | undefined>
  try {
    const options = Object.fromEntries([
      ['out', { type: 'string' as const }],
      ['help', { type: 'boolean' as const, short: 'h' }],
      ...FLAGS.map(([flag]) => [flag, { type: 'string' as const }]),
    ])
    // No option is `multiple`, so every value is a string, a boolean or absent.
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>
  } catch (e) {
    // Node's messages are one line already ("Unknown option '--x'", "Option '--size <value>' argument missing").
    return { ok: false, message: (e as Error).message.split('\n')[0] }
  }
  if (values.help) return { ok: 'help' }
  if (typeof values.out !== 'string' || values.out === '') return { ok: false, message: '--out DIR is required' }
  const params: Partial<Record<keyof SynthParameters, number>> = {}
  for (const [flag, name] of FLAGS) {
    const raw = values[flag]
    if (raw === undefined) continue
    const rule = SYNTH_PARAMETER_RULES[name]
    const value = typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN
    if (!rule.ok(value)) return { ok: false, message: `--${flag} must be ${rule.expected}, got '${String(raw)}'` }
    params[name] = value
  }
  return { ok: true, out: values.out, params }
}

/** A progress printer: a rewritten line on a terminal, a line per 10% otherwise. */
export const progressPrinter = (stream: NodeJS.WriteStream): ((p: SynthProgress) => void) => {
  let lastTenth = -1
  return (p) => {
    const text = `synth: ${p.phase} ${p.done}/${p.total} images`
    if (stream.isTTY) {
      if (p.done === p.total || p.done % 10 === 0) stream.write(`\r${text}${p.done === p.total ? '\n' : ''}`)
      return
    }
    const tenth = Math.floor((10 * p.done) / p.total)
    if (tenth !== lastTenth || p.done === p.total) {
      lastTenth = tenth
      stream.write(`${text}\n`)
    }
  }
}

export async function synthCommand(argv: string[]): Promise<number> {
  const parsed = parseSynthArgs(argv)
  if (parsed.ok === 'help') {
    process.stdout.write(SYNTH_USAGE)
    return 0
  }
  if (!parsed.ok) {
    process.stderr.write(`pam synth: ${parsed.message} (see pam synth --help)\n`)
    return 2
  }
  const p = parsed.params
  const started = Date.now()
  try {
    const summary = generateSynthDataset({
      out: parsed.out,
      identities: p.identities ?? SYNTH_DEFAULTS.identities,
      imagesPerIdentity: p.imagesPerIdentity ?? SYNTH_DEFAULTS.imagesPerIdentity,
      testIdentities: p.testIdentities ?? SYNTH_DEFAULTS.testIdentities,
      size: p.size ?? SYNTH_DEFAULTS.size,
      seed: p.seed ?? SYNTH_DEFAULTS.seed,
      supersample: p.supersample,
      pairsPerSplit: p.pairsPerSplit,
      onProgress: progressPrinter(process.stderr),
    })
    const s = summary.parameters
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    process.stdout.write(
      `pam synth: ${summary.trainImages} training images (${s.identities} identities) and ${summary.testImages} test images ` +
        `(${s.testIdentities} identities, CFP layout) of ${s.size}×${s.size} in ${parsed.out} (${seconds} s)\n`,
    )
    return 0
  } catch (e) {
    if (isPamError(e)) {
      process.stderr.write(`pam synth: ${e.message}\n`)
      return 1
    }
    throw e
  }
}
