/**
 * `pam import --from FILE.pth --family evolve|insightface --model MODEL --out DIR
 *             [--size S] [--width W] [--embedding D] [--dropout P] [--partial] [--seed N]`
 *
 * Reads a PyTorch checkpoint (zip or legacy `torch.save`) of face.evoLVe IR or insightface
 * iResNet, maps it onto the compiled zoo model and writes a model directory (`model.json`,
 * `weights.bin`, `pam.json`) that `pam eval`, `pam embed` and `pam train --init` read. Blocks the
 * checkpoint lacks (PAM, DREAM) are left as initialised and listed.
 */
import { disposeModel } from '../../../dsl/compile/dispose'
import { saveModel } from '../../persist/model-dir'
import { writeModelInfo } from '../../persist/model-info'
import { FAMILIES, familyTitle, type Family } from '../../import/families'
import { describeArchitecture, importCheckpoint, specFor } from '../../import/import-checkpoint'
import { leftInitialisedSummary, problemLines } from '../../import/transfer'
import { PamError } from '../../util/errors'
import { numberFlag, parseFlags, stringFlag, requiredFlag, type Parsed } from '../args'
import { initBackend } from '../backend-init'

export const IMPORT_USAGE =
  'usage: pam import --from FILE.pth --family evolve|insightface --model MODEL --out DIR [--size S] [--width W] [--embedding D] [--dropout P] [--partial] [--seed N]'

const OPTIONS = {
  from: { type: 'string' },
  family: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
  size: { type: 'string' },
  width: { type: 'string' },
  embedding: { type: 'string' },
  dropout: { type: 'string' },
  seed: { type: 'string' },
  partial: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const required = (values: Parsed['values'], name: string, what: string): string => requiredFlag('import', IMPORT_USAGE, values, name, what)

export const parseFamily = (command: string, raw: string): Family => {
  if (!(FAMILIES as readonly string[]).includes(raw)) throw new PamError(`pam ${command}: unknown family "${raw}" (valid: ${FAMILIES.join(', ')})`)
  return raw as Family
}

/** The command with its output going to `log`; errors are `PamError`s (one line for flag errors). */
export const runImport = async (argv: readonly string[], log: (line: string) => void): Promise<number> => {
  const { values } = parseFlags('import', argv, OPTIONS)
  if (values.help) {
    log(IMPORT_USAGE)
    return 0
  }
  const from = required(values, 'from', 'FILE.pth')
  const family = parseFamily('import', required(values, 'family', 'evolve|insightface'))
  const modelName = required(values, 'model', 'MODEL')
  const out = required(values, 'out', 'DIR')
  try {
    specFor(family, modelName)
  } catch (e) {
    throw new PamError(`pam import: ${(e as Error).message}`)
  }
  const size = values.size === undefined ? undefined : numberFlag('import', 'size', values.size, 112, { min: 16, integer: true })
  const width = values.width === undefined ? undefined : numberFlag('import', 'width', values.width, 1, { min: 1 / 64, max: 16 })
  const embedding = values.embedding === undefined ? undefined : numberFlag('import', 'embedding', values.embedding, 512, { min: 1, integer: true })
  const dropout = values.dropout === undefined ? undefined : numberFlag('import', 'dropout', values.dropout, 0, { min: 0, max: 0.99 })
  const seed = numberFlag('import', 'seed', stringFlag(values, 'seed'), 0, { min: 0, integer: true })

  await initBackend()
  const r = importCheckpoint(from, { family, model: modelName, size, width, embedding, dropout, seed, partial: values.partial === true })
  try {
    const { report } = r
    log(`pam import: ${from} (${r.checkpoint.format}, ${r.checkpoint.tensors} tensors, ${r.checkpoint.dtypes.join('/')}): ${describeArchitecture(family, r.architecture)}`)
    log(`  into ${r.info.model} (size ${r.info.size}, width ${r.info.width}, embedding ${r.info.embedding}, dropout ${r.info.dropout})`)
    log(
      `  loaded ${report.loaded} tensors${report.loadedExtra ? ` (${report.loadedExtra} of extra blocks)` : ''}` +
        (report.ignored.length ? `; ignored ${report.ignored.length} num_batches_tracked` : ''),
    )
    if (report.leftInitialised.length) log(`  left initialised (not in ${familyTitle[family]}'s checkpoint): ${leftInitialisedSummary(report)}`)
    for (const line of problemLines(report)) log(`  ${line} (--partial: left initialised / ignored)`)
    await saveModel(r.model, out)
    writeModelInfo(out, r.info)
    log(`  wrote ${out} (model.json, weights.bin, pam.json)`)
  } finally {
    disposeModel(r.model)
  }
  return 0
}

export async function importCommand(argv: string[]): Promise<number> {
  return runImport(argv, (line) => console.log(line))
}
