/**
 * `pam eval`: 1:1 verification accuracy of one or more models on insightface `.bin` pair sets or
 * on the raw CFP benchmark, as the paper's tables report it. See USAGE and HELP.
 */
import { checkYaw } from '../../data/yaw-csv'
import type { CfpProtocol } from '../../eval/cfp'
import { DEFAULT_BATCH } from '../../infer/embed'
import { type CommandIo, processIo, startBackend } from '../../infer/cli-io'
import { formatResults, runEvaluation, writePairsOut, writeReport } from '../../infer/evaluate'
import { buildUntrained, disposeModel, loadCheckpoint, type RunnableModel } from '../../infer/model'
import { progressReporter } from '../../infer/progress'
import { type BinYaw, binSource, cfpSource, type EvalSource } from '../../infer/sources'
import { PamError } from '../../util/errors'
import { numberFlag, parseFlags, stringFlag } from '../args'

export const EVAL_USAGE =
  'usage: pam eval (--checkpoint DIR | --model NAME [--size S] [--width W] [--embedding D])... ' +
  '(--bin FILE... [--yaw DEGREES | --yaw-file F...] | --cfp DIR [--protocol FF|FP|both] [--yaw-file F]) ' +
  '[--pairs-out FILE.csv] [--report DIR] [--batch N] [--backend NAME]'

const HELP = `${EVAL_USAGE}

Models (each one row of the table; --checkpoint and --model may be repeated and mixed):
  --checkpoint DIR   a saved model directory, a training run, or a run with checkpoints
  --model NAME       a zoo model compiled with fresh weights (untrained); --size (default 112),
                     --width (default 1) and --embedding (default 512) shape it
Pair sets (each one column):
  --bin FILE...      insightface .bin sets (lfw.bin, cfp_fp.bin, agedb_30.bin, ...): aligned
                     112x112 images, 10 contiguous folds; the column is named after the file
  --yaw DEGREES      the yaw of every .bin image (default 0, taken as frontal)
  --yaw-file F       per .bin file, in the same order: CSV 'index,yaw' (optional header), index the
                     0-based image index in the file (pair p = images 2p and 2p+1), every image
                     once, yaw in degrees within [-90, 90]
  --cfp DIR          the CFP benchmark as distributed; images aligned from their fiducials;
                     folds = the official 10 splits
  --aligned          (with --cfp) the images are aligned crops already, no fiducials (the test
                     split of a pam synth set: DIR/test)
  --protocol P       FF, FP or both (default both)
  --yaw-file F       (with --cfp) CSV 'path,yaw' (paths relative to DIR); default 0 frontal, 90 profile
Output:
  --pairs-out FILE   CSV 'fold,issame,distance' per pair (fold 1-based); with several sets the
                     set name, with several models m<position>, goes before the extension:
                     out.csv -> out.CFP-FF.csv, out.CFP-FP.m2.csv
  --report DIR       results.md (tables, accuracy by |yaw| where known) and roc.svg
  --batch N          images per batch (default ${DEFAULT_BATCH}; each runs with its mirror image)
  --backend NAME     wasm (default) or cpu`

const PROTOCOLS: Readonly<Record<string, readonly CfpProtocol[]>> = { FF: ['FF'], FP: ['FP'], BOTH: ['FF', 'FP'] }

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

const fail = (message: string): never => {
  throw new PamError(`pam eval: ${message}`)
}

/** Flags → models to build, sources to read, outputs; every usage error before any file is read. */
const parse = (argv: readonly string[]) => {
  const { values, positionals } = parseFlags(
    'eval',
    argv,
    {
      checkpoint: { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      size: { type: 'string' },
      width: { type: 'string' },
      embedding: { type: 'string' },
      bin: { type: 'string', multiple: true },
      yaw: { type: 'string' },
      'yaw-file': { type: 'string', multiple: true },
      cfp: { type: 'string' },
      aligned: { type: 'boolean' },
      protocol: { type: 'string' },
      'pairs-out': { type: 'string' },
      report: { type: 'string' },
      batch: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  )
  const checkpoints = list(values.checkpoint)
  const names = list(values.model)
  const cfp = stringFlag(values, 'cfp')
  const bins = [...list(values.bin)]
  const yawFiles = list(values['yaw-file'])
  const yaw = stringFlag(values, 'yaw')
  if (values.help === true) return { help: true as const }
  if (positionals.length > 0) {
    if (bins.length === 0) fail(`unexpected argument "${positionals[0]}"`)
    bins.push(...positionals) // `--bin a.bin b.bin`
  }
  if (checkpoints.length + names.length === 0) fail('name a model: --checkpoint DIR or --model NAME')
  if (bins.length === 0 && cfp === undefined) fail('name the pairs to evaluate: --bin FILE... or --cfp DIR')
  if (bins.length > 0 && cfp !== undefined) fail('--bin and --cfp cannot be combined; evaluate them in separate runs')
  if (names.length === 0 && (values.size !== undefined || values.width !== undefined || values.embedding !== undefined)) {
    fail('--size, --width and --embedding shape --model only (a checkpoint has its own)')
  }
  if (yaw !== undefined && yawFiles.length > 0) fail('--yaw and --yaw-file cannot be combined')
  if (values.aligned === true && cfp === undefined) fail('--aligned applies to --cfp only')
  let protocols: readonly CfpProtocol[] = PROTOCOLS.BOTH
  const protocol = stringFlag(values, 'protocol')
  if (cfp !== undefined) {
    if (yaw !== undefined) fail('--yaw applies to --bin sets (CFP takes 0° frontal, 90° profile, or --yaw-file)')
    if (yawFiles.length > 1) fail(`--cfp takes one --yaw-file, got ${yawFiles.length}`)
    if (protocol !== undefined) {
      protocols = PROTOCOLS[protocol.toUpperCase()] ?? fail(`--protocol must be FF, FP or both, got "${protocol}"`)
    }
  } else {
    if (protocol !== undefined) fail('--protocol applies to --cfp only')
    if (yawFiles.length > 0 && yawFiles.length !== bins.length) {
      fail(`${bins.length} --bin files but ${yawFiles.length} --yaw-file; give one yaw file per .bin file, in the same order`)
    }
  }
  let binYaw: BinYaw = { kind: 'none' }
  if (yaw !== undefined) {
    const v = checkYaw(yaw)
    if (typeof v === 'string') fail(`--yaw: ${v}`)
    binYaw = { kind: 'constant', yaw: v as number }
  }
  return {
    help: false as const,
    checkpoints,
    names,
    shape: {
      size: numberFlag('eval', 'size', values.size, 112, { min: 1, integer: true }),
      width: numberFlag('eval', 'width', values.width, 1, { min: 0.001 }),
      embedding: numberFlag('eval', 'embedding', values.embedding, 512, { min: 1, integer: true }),
    },
    readSources: (): EvalSource[] => {
      if (cfp !== undefined) return [cfpSource(cfp, protocols, yawFiles[0], values.aligned === true)]
      const sources = bins.map((file, i) => binSource(file, yawFiles.length > 0 ? { kind: 'file', file: yawFiles[i] } : binYaw))
      const seen = new Map<string, string>()
      for (const s of sources) {
        const name = s.sets[0].name
        if (seen.has(name)) fail(`${seen.get(name)} and ${s.label} both make the column ${name}; evaluate them in separate runs`)
        seen.set(name, s.label)
      }
      return sources
    },
    pairsOut: stringFlag(values, 'pairs-out'),
    report: stringFlag(values, 'report'),
    batch: numberFlag('eval', 'batch', values.batch, DEFAULT_BATCH, { min: 1, integer: true }),
    backend: stringFlag(values, 'backend'),
  }
}

export const evalCommand = async (argv: string[], io: CommandIo = processIo()): Promise<number> => {
  const o = parse(argv)
  if (o.help) {
    io.out(`${HELP}\n`)
    return 0
  }
  const sources = o.readSources()
  const backend = await startBackend('eval', o.backend)
  const models: RunnableModel[] = []
  try {
    for (const dir of o.checkpoints) models.push(await loadCheckpoint(dir))
    for (const name of o.names) {
      try {
        models.push(buildUntrained(name, o.shape))
      } catch (e) {
        throw e instanceof PamError ? new PamError(`pam eval: ${e.message}`) : e
      }
    }
    io.err.write(`backend ${backend}; ${models.length} model${models.length === 1 ? '' : 's'}, ${sources.reduce((a, s) => a + s.count, 0)} images\n`)
    const results = await runEvaluation(models, sources, {
      batch: o.batch,
      progress: (m, s) => progressReporter(io.err, `embedding ${s.count} images of ${s.label} with ${m.label} (batch ${o.batch}, each with its mirror image)`),
    })
    io.out(formatResults(results))
    if (o.pairsOut !== undefined) for (const f of writePairsOut(o.pairsOut, results)) io.err.write(`wrote ${f}\n`)
    if (o.report !== undefined) for (const f of writeReport(o.report, results)) io.err.write(`wrote ${f}\n`)
    return 0
  } finally {
    for (const m of models) disposeModel(m.model)
  }
}
