/**
 * `pam experiment --plan FILE --out DIR [--only NAME]... [--backend NAME] [--batch N] [--report-only]`
 *
 * Trains and evaluates the runs of a plan one after another (see src/experiment/plan.ts for the
 * format, src/experiment/runner.ts for what is redone and what is not), then writes
 * `DIR/results.md`, `DIR/accuracy.svg` and `DIR/accuracy-by-yaw.svg`. Started again, it skips the
 * finished runs and resumes an interrupted one from its checkpoint.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { selectBackend } from '../../backend/select'
import { defaultEvaluate } from '../../experiment/evaluate'
import { expandRuns, readPlan } from '../../experiment/plan'
import { resultsTableMd } from '../../experiment/report'
import { openRunData, reportPlan, runDir, runPlan, runState, selectRuns } from '../../experiment/runner'
import { type CommandIo, processIo } from '../../infer/cli-io'
import { streamProgress } from '../../train/progress'
import { runTraining } from '../../train/run'
import { isPamError, PamError } from '../../util/errors'
import { numberFlag, parseFlags, stringFlag } from '../args'

export const EXPERIMENT_USAGE =
  'usage: pam experiment --plan FILE --out DIR [--only NAME]... [--backend NAME] [--batch N] [--report-only] | pam experiment --help-plan'

export const PLAN_HELP = `A plan (JSON) lists the runs of an experiment and the sets each is evaluated on:

  {
    "title":    "Synthetic: IR vs +PAM12 vs +DREAM",          heading of results.md (optional)
    "baseline": "IR",                                          run the Params deltas and the
                                                               comparisons are taken against
    "seeds":    [1, 2],                                        one training run per seed
    "cfp":      "../shared/datasets/cfp",                      CFP copy (optional; default
                                                               ../shared/datasets/cfp beside the repo)
    "train":    { ...training config... },                     shared by all runs: every field of
                                                               \`pam train --help-config\` but model,
                                                               seed and eval; "data" may also be
                                                               {"kind": "cfp", "testSplits": [10]}
    "eval":     [ {"kind": "synthetic", "protocols": ["FF", "FP"]},   the synthetic test split
                  {"kind": "cfp", "protocols": ["FP"]},                CFP FF / FP
                  {"kind": "bin", "file": "lfw.bin", "yaw": 0, "yawFile": "…", "name": "LFW"} ],
    "runs":     [ {"name": "IR", "model": "IR18"},
                  {"name": "PAM12", "model": "IR18+PAM12", "label": "IR18 + PAM12",
                   "config": { ...overrides of "train"... }, "seeds": [1, 2, 3]} ]
  }

Each run trains once per seed into DIR/runs/<name>-s<seed>/ (on CFP once per test split too:
DIR/runs/<name>-split<NN>-s<seed>/), with the training config "train" + the run's "config" + its
model and seed. On CFP the run trains on every image of the identities of the other splits and
is scored on the test split's pairs. Evaluation columns: Synth-FF / Synth-FP, CFP-FF / CFP-FP,
and a .bin file's paper name (lfw.bin → LFW, cfp_fp.bin → CFP-FP, …) or its "name".

Run again, the command skips runs whose results.json exists, resumes interrupted ones from their
last checkpoint, and rewrites the report. --only NAME (a run name or id; repeatable or
comma-separated) runs part of the plan; the report still covers every run that has finished.`

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
    .filter((x): x is string => typeof x === 'string')
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter((x) => x !== '')

export const experimentCommand = async (argv: string[], io: CommandIo = processIo()): Promise<number> => {
  const { values } = parseFlags('experiment', argv, {
    plan: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string', multiple: true },
    backend: { type: 'string' },
    batch: { type: 'string' },
    'report-only': { type: 'boolean' },
    'help-plan': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(`${EXPERIMENT_USAGE}\n`)
    return 0
  }
  if (values['help-plan']) {
    io.out(`${PLAN_HELP}\n`)
    return 0
  }
  const planFile = stringFlag(values, 'plan')
  const out = stringFlag(values, 'out')
  if (planFile === undefined || out === undefined) throw new PamError(`pam experiment: --plan FILE and --out DIR are required\n${EXPERIMENT_USAGE}`)
  const batch = numberFlag('experiment', 'batch', values.batch, 32, { min: 1, integer: true })
  const plan = readPlan(planFile)
  const only = list(values.only)
  const specs = expandRuns(plan)
  const selected = selectRuns(specs, only)
  const err = (line: string) => io.err.write(`${line}\n`)

  if (values['report-only']) {
    if (!fs.existsSync(out)) throw new PamError(`pam experiment: ${out}: no such directory (nothing to report)`)
    const outcome = reportPlan({ plan, planFile, out })
    io.out(resultsTableMd(outcome.summary))
    for (const f of outcome.files) err(`wrote ${f}`)
    return 0
  }

  const selection = await selectBackend({ requested: stringFlag(values, 'backend') })
  const inUse = selection.candidates.find((c) => c.name === selection.inUse)
  const detail = inUse?.status.kind === 'in-use' && inUse.status.detail ? ` (${inUse.status.detail})` : ''
  err(`pam experiment: ${plan.title}; backend ${selection.inUse}${detail}; ${selected.length} of ${specs.length} runs selected; out ${out}`)
  for (const spec of selected) {
    let status: string
    try {
      const st = runState(runDir(out, spec), spec)
      status = st.kind === 'done' ? 'done' : st.kind === 'partial' ? `resume after step ${st.step}` : st.kind === 'trained' ? 'evaluate' : 'train'
    } catch (e) {
      if (!isPamError(e)) throw e
      status = `refused: ${e.message}`
    }
    err(`  ${spec.id.padEnd(28)} ${spec.model.padEnd(20)} ${status}`)
  }

  const outcome = await runPlan(
    { plan, planFile, out, only, batch, planText: fs.readFileSync(planFile, 'utf8') },
    {
      evaluate: defaultEvaluate,
      train: runTraining,
      openData: openRunData,
      log: err,
      progress: (spec) => streamProgress(process.stderr, spec.config.batchSize),
      sink: io.err,
      backend: selection.inUse,
    },
  )
  io.out(`\n${resultsTableMd(outcome.summary)}\n`)
  for (const c of outcome.summary.comparisons) io.out(`- ${c.text.replace(/\*\*/g, '')}\n`)
  err(
    `\n${outcome.trained.length} trained, ${outcome.evaluated.length} evaluated, ${outcome.skipped.length} already done, ${outcome.failed.length} failed; ` +
      `report: ${outcome.files.map((f) => path.relative(process.cwd(), f) || f).join(', ')}`,
  )
  for (const f of outcome.failed) err(`failed: ${f.id}: ${f.message}`)
  return outcome.failed.length > 0 ? 1 : 0
}
