/**
 * `pam train --config FILE --out DIR [--backend NAME]`   start a run
 * `pam train --resume DIR [--backend NAME]`               continue it from its latest checkpoint
 * `pam train --config FILE --out DIR --continue`         start, or continue if DIR holds the run
 * `pam train --help-config`                               every config field and its default
 *
 * Prints the model's audit, generates a synthetic set on first use, shows progress, checkpoints,
 * and at the end evaluates verification accuracy (the synthetic set's FF / FP split, or CFP when
 * the config names it).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { latestCheckpoint } from '../../train/checkpoint'
import { encodeConfig, FIELD_DOCS, PAPER_DEFAULTS, readConfig, type TrainConfig } from '../../train/config'
import { ensureSynthetic, openTrainingData } from '../../train/data-source'
import { streamProgress } from '../../train/progress'
import { auditText, runTraining, type RunResult } from '../../train/run'
import { PamError } from '../../util/errors'
import { parseFlags, stringFlag } from '../args'
import { progressPrinter } from './synth'
import { initBackend } from '../backend-init'

const USAGE = 'usage: pam train --config FILE --out DIR [--init MODEL_DIR] [--continue] [--backend NAME] | pam train --resume DIR [--backend NAME] | pam train --help-config'

export const configHelp = (): string =>
  [
    'Training config (JSON). Every field is optional except "data"; defaults are the paper\'s.',
    '',
    ...Object.entries(FIELD_DOCS).map(([k, doc]) => {
      const d = (PAPER_DEFAULTS as Record<string, unknown>)[k]
      return `  ${k.padEnd(26)} ${doc}${d !== undefined ? `\n  ${''.padEnd(26)} default: ${JSON.stringify(d)}` : ''}`
    }),
  ].join('\n')

/** Evaluation after training; set by the evaluation module (it owns the embedding code). */
export type AfterTraining = (c: TrainConfig, result: RunResult, log: (s: string) => void) => Promise<void>

let afterTraining: AfterTraining | undefined
export const setAfterTraining = (f: AfterTraining): void => {
  afterTraining = f
}

export const trainCommand = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags('train', argv, {
    config: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'string' },
    continue: { type: 'boolean' },
    init: { type: 'string' },
    backend: { type: 'string' },
    'help-config': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (values['help-config']) {
    console.log(configHelp())
    return 0
  }
  const resumeDir = stringFlag(values, 'resume')
  const configFile = stringFlag(values, 'config')
  const outFlag = stringFlag(values, 'out')
  if (resumeDir && (configFile || outFlag)) throw new PamError(`pam train: --resume DIR takes the config from DIR/config.json; drop --config and --out\n${USAGE}`)
  if (!resumeDir && (!configFile || !outFlag)) throw new PamError(`pam train: --config FILE and --out DIR are required (or --resume DIR)\n${USAGE}`)
  const out = resumeDir ?? (outFlag as string)
  const fromFile = readConfig(resumeDir ? path.join(resumeDir, 'config.json') : (configFile as string))
  const initFlag = stringFlag(values, 'init')
  if (initFlag && resumeDir) throw new PamError('pam train: --init starts a run; a resumed run continues from its checkpoint')
  const config = initFlag ? { ...fromFile, init: initFlag } : fromFile
  if (resumeDir && !latestCheckpoint(out)) throw new PamError(`${out}: no checkpoint to resume from (checkpoints/LATEST is missing)`)
  const existing = !resumeDir && fs.existsSync(path.join(out, 'checkpoints', 'LATEST'))
  if (existing && !values.continue)
    throw new PamError(`${out}: already holds a training run; continue it with pam train --resume ${out}, or choose another --out`)
  if (existing) {
    const saved = readConfig(path.join(out, 'config.json'))
    if (encodeConfig(saved) !== encodeConfig(config))
      throw new PamError(`${out}: holds a run of another config (${path.join(out, 'config.json')} differs from ${configFile}); choose another --out`)
  }
  const resuming = resumeDir !== undefined || existing

  const log = (s: string) => process.stderr.write(`${s}\n`)
  const backend = await initBackend(stringFlag(values, 'backend'))
  console.log(auditText(config))
  console.log(`\nbackend ${backend}; config ${resumeDir ? path.join(out, 'config.json') : configFile}; run directory ${out}${resuming ? ' (resuming)' : ''}`)
  const generated = ensureSynthetic(config, progressPrinter(process.stderr))
  if (generated && config.data.kind === 'synthetic') log(`synth: generated ${config.data.dir}`)
  const dataset = openTrainingData(config, { log })
  console.log(`training data: ${dataset.size} images of ${dataset.numClasses} identities; ${Math.floor(dataset.size / config.batchSize)} steps per epoch`)
  const started = Date.now()
  const result = await runTraining({ config, out, dataset, progress: streamProgress(process.stderr, config.batchSize), resume: resuming })
  const minutes = (Date.now() - started) / 60000
  console.log(
    `trained ${result.steps} steps in ${minutes.toFixed(1)} min; final loss ${result.last?.loss.toFixed(4) ?? '?'}, training accuracy ${result.last ? (result.last.accuracy * 100).toFixed(1) + '%' : '?'}`,
  )
  console.log(`model: ${result.modelDir}; metrics: ${path.join(out, 'metrics.jsonl')}; curves: ${path.join(out, 'loss.svg')}, ${path.join(out, 'accuracy.svg')}`)
  if (afterTraining) await afterTraining(config, result, (s) => console.log(s))
  return 0
}
