/**
 * The `pam` command line: dispatches to a command; a `PamError` is printed as its one line and
 * exits non-zero, anything else is a bug and keeps its stack trace.
 */
import { isPamError } from '../util/errors'
import { auditCommand } from './commands/audit'
import { benchCommand } from './commands/bench'
import { doctorCommand } from './commands/doctor'
import { embedCommand } from './commands/embed'
import { evalCommand } from './commands/eval'
import { experimentCommand } from './commands/experiment'
import { exportCommand } from './commands/export'
import { importCommand } from './commands/import'
import { synthCommand } from './commands/synth'
import { setAfterTraining, trainCommand } from './commands/train'
import { evaluateAfterTraining } from './commands/train-eval'

type Command = (argv: string[]) => Promise<number>

setAfterTraining(evaluateAfterTraining)

const COMMANDS: Readonly<Record<string, readonly [Command, string]>> = {
  audit: [auditCommand, 'static parameter / MAC audit of models; --paper compares with the paper'],
  bench: [benchCommand, 'time a training step or inference (images/s, peak RSS)'],
  doctor: [doctorCommand, 'the tfjs backends present, the one in use, and why the others were skipped'],
  eval: [evalCommand, 'verification accuracy on .bin pair sets or raw CFP (table, --pairs-out, --report)'],
  embed: [embedCommand, 'embeddings of face images as float32 .npy (+ .txt of paths)'],
  experiment: [experimentCommand, "train and evaluate a plan of runs (variants × seeds), resumable; results in the paper's layout, plots"],
  import: [importCommand, 'import a face.evoLVe IR or insightface iResNet PyTorch checkpoint'],
  export: [exportCommand, 'export a model as a PyTorch state_dict (face.evoLVe / insightface naming)'],
  synth: [synthCommand, 'generate a synthetic pose-varying face dataset (train split + CFP-style test pairs)'],
  train: [trainCommand, 'train a model from a JSON config (ArcFace, SGD, resumable)'],
}

const usage = (): string =>
  ['usage: pam COMMAND [flags]   (pam COMMAND --help for its flags)', '', 'commands:', ...Object.entries(COMMANDS).map(([n, [, what]]) => `  ${n.padEnd(10)} ${what}`)].join('\n')

export const run = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage())
    return name === undefined ? 2 : 0
  }
  const entry = COMMANDS[name]
  if (!entry) {
    console.error(`pam: unknown command "${name}"\n${usage()}`)
    return 2
  }
  try {
    return await entry[0](rest)
  } catch (e) {
    if (isPamError(e)) {
      console.error(e.message)
      return 2
    }
    // the wasm heap is capped at 4 GiB; emscripten aborts when an allocation fails
    if (e instanceof Error && /^Aborted\(/.test(e.message) && /tfjs-backend-wasm/.test(e.stack ?? '')) {
      console.error(`pam ${name}: the wasm backend ran out of memory (its heap is limited to 4 GiB); use a smaller --batch, input size or width, or a tfjs-node backend`)
      return 1
    }
    // a file the user named cannot be read or written: their fix, not our bug
    const fsError = e as NodeJS.ErrnoException
    if (fsError.code && fsError.path && fsError.syscall) {
      console.error(`pam ${name}: cannot ${fsError.syscall} ${fsError.path} (${fsError.code})`)
      return 1
    }
    throw e
  }
}

export const main = (argv: string[]): void => {
  run(argv).then(
    (code) => {
      process.exitCode = code
    },
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
