/**
 * Runs a plan: its runs one after another, each in `OUT/runs/<id>/`, then the plan's report.
 *
 * A run directory is what `pam train` writes (config.json, metrics.jsonl, checkpoints/, model/,
 * curves) plus `sessions.jsonl` (one line per training session: wall time, steps) and, last,
 * `results.json`. What happens to a run depends on what its directory holds:
 *
 *   results.json, same config and sets   done: skipped
 *   results.json, other sets             the model is evaluated again (no training)
 *   model/pam.json                       trained, not evaluated: evaluated
 *   checkpoints/LATEST                   interrupted: training resumes from the checkpoint
 *   nothing (or a config.json only)      trained from the start
 *
 * A directory holding a run of another training config is never reused: the run fails with the
 * fields that differ, and the plan goes on with the next run. Everything the runner decides from
 * is written atomically, so a plan killed at any moment and started again continues where it was.
 */
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { FaceDataset } from '../data/dataset'
import type { TextSink } from '../infer/progress'
import { auditModel } from '../audit-report'
import { writeFileAtomic } from '../persist/model-dir'
import { MODEL_INFO } from '../persist/model-info'
import { checkpointsDir } from '../train/checkpoint'
import { decodeConfig, encodeConfig, type TrainConfig } from '../train/config'
import { ensureSynthetic, openTrainingData } from '../train/data-source'
import { splitName } from '../eval/cfp'
import type { Progress } from '../train/progress'
import type { MetricsRecord, RunOptions, RunResult } from '../train/run'
import { isPamError, PamError } from '../util/errors'
import type { Evaluate } from './evaluate'
import { expandRuns, planColumns, type Plan, type RunSpec } from './plan'
import { writeReport } from './report'
import { appendSession, readResults, readSessions, type RunResults, writeResults } from './results'
import { summarize, type Summary } from './summary'

export interface RunnerDeps {
  readonly evaluate: Evaluate
  /** Trains one run (default `runTraining`). */
  readonly train: (o: RunOptions) => Promise<RunResult>
  /** The training images of a run (default `openRunData`). */
  readonly openData: (spec: RunSpec, log: (line: string) => void) => FaceDataset
  readonly log: (line: string) => void
  /** Training progress of a run. */
  readonly progress: (spec: RunSpec) => Progress
  /** Embedding progress. */
  readonly sink?: TextSink
  /** The tfjs backend in use, recorded in results.json. */
  readonly backend: string
}

export interface PlanOptions {
  readonly plan: Plan
  /** For the report: where the plan came from. */
  readonly planFile: string
  readonly out: string
  /** Run names or run ids; default all runs. */
  readonly only?: readonly string[]
  /** Evaluation batch size. */
  readonly batch?: number
  /** The plan file's text, kept as `OUT/plan.json` once the directory is ours. */
  readonly planText?: string
}

export interface PlanOutcome {
  /** Runs trained (from the start or resumed) in this call. */
  readonly trained: readonly string[]
  /** Runs evaluated in this call. */
  readonly evaluated: readonly string[]
  /** Runs already done. */
  readonly skipped: readonly string[]
  readonly failed: readonly { readonly id: string; readonly message: string }[]
  /** The report files written. */
  readonly files: readonly string[]
  readonly summary: Summary
}

export const runDir = (out: string, spec: RunSpec): string => path.join(out, 'runs', spec.id)

// -------------------------------------------------------------------------------------------------
// the state of a run directory
// -------------------------------------------------------------------------------------------------

export type RunState =
  | { readonly kind: 'done'; readonly results: RunResults }
  | { readonly kind: 'trained'; readonly why: string }
  | { readonly kind: 'partial'; readonly step: number }
  | { readonly kind: 'new' }

const canonical = (raw: unknown): string | undefined => {
  const c = decodeConfig(raw)
  return E.isRight(c) ? encodeConfig(c.right) : undefined
}

/** Top-level config fields whose values differ. */
const differingFields = (a: unknown, b: unknown): string[] => {
  const x = (a ?? {}) as Record<string, unknown>
  const y = (b ?? {}) as Record<string, unknown>
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]))
}

const checkSameConfig = (dir: string, saved: unknown, wanted: TrainConfig, where: string): void => {
  const mine = encodeConfig(wanted)
  if (canonical(saved) === mine) return
  const fields = differingFields(saved, JSON.parse(mine))
  throw new PamError(
    `${dir}: holds a run of another training config (${where} differs in ${fields.length ? fields.join(', ') : 'its fields'}); ` +
      'delete the directory to train this run again, or give the run another name',
  )
}

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    throw new PamError(`${file}: cannot read (${(e as Error).message})`)
  }
}

/** What the run directory holds, checked against the run (see the module comment). */
export const runState = (dir: string, spec: RunSpec): RunState => {
  const results = readResults(dir)
  if (results) {
    checkSameConfig(dir, results.config, spec.config, 'results.json')
    if (JSON.stringify(results.eval) === JSON.stringify(spec.eval)) return { kind: 'done', results }
    if (fs.existsSync(path.join(dir, 'model', MODEL_INFO))) return { kind: 'trained', why: 'the evaluation sets changed' }
  }
  const configFile = path.join(dir, 'config.json')
  if (fs.existsSync(configFile)) checkSameConfig(dir, readJson(configFile), spec.config, 'config.json')
  if (fs.existsSync(path.join(dir, 'model', MODEL_INFO))) return { kind: 'trained', why: 'trained, not evaluated' }
  const latest = path.join(checkpointsDir(dir), 'LATEST')
  if (fs.existsSync(latest)) {
    const state = readJson(path.join(checkpointsDir(dir), fs.readFileSync(latest, 'utf8').trim(), 'state.json')) as { globalStep?: number }
    return { kind: 'partial', step: state.globalStep ?? 0 }
  }
  return { kind: 'new' }
}

const describeState = (s: RunState): string => {
  switch (s.kind) {
    case 'done':
      return 'done'
    case 'trained':
      return `${s.why}: evaluating`
    case 'partial':
      return `interrupted after step ${s.step}: resuming from its checkpoint`
    case 'new':
      return 'training'
  }
}

// -------------------------------------------------------------------------------------------------
// data
// -------------------------------------------------------------------------------------------------

const synthLog = (log: (l: string) => void) => {
  let last = -1
  return (p: { phase: string; done: number; total: number }) => {
    const pct = Math.floor((100 * p.done) / p.total)
    if (pct !== last && (pct % 25 === 0 || p.done === p.total)) log(`  synth: ${p.phase} ${p.done}/${p.total} images`)
    last = pct
  }
}

/** The default training data of a run: the config's (synthetic generated on first use), or CFP's training splits. */
export const openRunData = (spec: RunSpec, log: (line: string) => void): FaceDataset => {
  if (spec.config.data.kind === 'cfp') {
    const ds = openTrainingData(spec.config, { log: (l) => log(`  ${l}`) })
    log(`  CFP training set: ${ds.size} images of ${ds.numClasses} identities`)
    return ds
  }
  checkSyntheticSet(spec.config)
  if (ensureSynthetic(spec.config, synthLog(log)) && spec.config.data.kind === 'synthetic') log(`  synth: generated ${spec.config.data.dir}`)
  return openTrainingData(spec.config)
}

/** A synthetic set already on disk must be the one the config describes (same counts and data seed). */
export const checkSyntheticSet = (c: TrainConfig): void => {
  if (c.data.kind !== 'synthetic') return
  const file = path.join(c.data.dir, 'synth.json')
  if (!fs.existsSync(file)) return
  const saved = readJson(file) as Record<string, unknown>
  const d = c.data as unknown as Record<string, unknown>
  const differ = ['identities', 'imagesPerIdentity', 'testIdentities', 'seed'].filter((k) => saved[k] !== d[k])
  if (differ.length > 0) {
    throw new PamError(
      `${file}: the synthetic set there was generated with ${differ.map((k) => `${k} ${String(saved[k])}`).join(', ')}, but the plan asks for ${differ.map((k) => `${k} ${String(d[k])}`).join(', ')}; ` +
        'delete the directory or choose another train.data.dir',
    )
  }
}

const dataKey = (spec: RunSpec): string => JSON.stringify([spec.config.data, spec.config.size])

// -------------------------------------------------------------------------------------------------
// the report's inputs
// -------------------------------------------------------------------------------------------------

const paramsCache = new Map<string, number | undefined>()

/** Trainable parameters of a run's embedding network (static audit), or undefined if it cannot be built. */
export const paramsOf = (c: TrainConfig): number | undefined => {
  const key = JSON.stringify([c.model, c.size, c.width, c.embedding])
  if (!paramsCache.has(key)) {
    const a = auditModel(c.model, { size: c.size, width: c.width, embedding: c.embedding, dropout: c.dropout })
    paramsCache.set(key, E.isRight(a) ? a.right.audit.trainable : undefined)
  }
  return paramsCache.get(key)
}

const readLastMetrics = (dir: string): MetricsRecord | undefined => {
  const file = path.join(dir, 'metrics.jsonl')
  if (!fs.existsSync(file)) return undefined
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
  try {
    return lines.length ? (JSON.parse(lines[lines.length - 1]) as MetricsRecord) : undefined
  } catch {
    return undefined
  }
}

const describeData = (plan: Plan, c: TrainConfig): string => {
  if (plan.data.kind === 'cfp') {
    return `training data: CFP (${plan.data.dir}), every image (10 frontal, 4 profile per identity) of the identities of every split but the test split (${plan.data.testSplits.map(splitName).join(', ')}), aligned from the fiducials; yaw 0° frontal, 90° profile`
  }
  const d = c.data
  switch (d.kind) {
    case 'synthetic':
      return `training data: synthetic (\`${d.dir}\`, data seed ${d.seed}): ${d.identities} identities × ${d.imagesPerIdentity} images, frontal-heavy yaw; ${d.testIdentities} held-out identities for the Synth-FF / Synth-FP pairs`
    case 'folder':
      return `training data: image folder \`${d.root}\` with yaw CSV \`${d.yawCsv}\``
    case 'recordio':
      return `training data: MXNet RecordIO \`${d.dir}\` with yaw file \`${d.yawFile}\``
    case 'cfp':
      return `training data: CFP (${d.dir}), the identities of every split but ${d.testSplits.map(splitName).join(', ')}`
  }
}

const setupLines = (plan: Plan, specs: readonly RunSpec[], backends: readonly string[]): string[] => {
  const base = plan.runs.find((r) => r.name === plan.baseline) ?? plan.runs[0]
  const c = base.config
  const lines = [
    `input ${c.size}×${c.size}, width ×${c.width}, embedding ${c.embedding}, dropout ${c.dropout}`,
    `${c.epochs} epoch${c.epochs === 1 ? '' : 's'} of batch ${c.batchSize}${c.maxSteps > 0 ? `, at most ${c.maxSteps} steps` : ''}; SGD lr ${c.lr}` +
      ` (${c.milestones.length ? `× ${c.gamma} at epoch${c.milestones.length === 1 ? '' : 's'} ${c.milestones.join(', ')}` : 'constant'}${c.warmupSteps ? `, ${c.warmupSteps} warm-up steps` : ''}),` +
      ` momentum ${c.momentum}, weight decay ${c.weightDecay}; ${c.head.kind} head ${JSON.stringify(c.head).replace(/"/g, '')}; flip p ${c.flip}`,
    describeData(plan, c),
    `seeds: ${[...new Set(specs.map((s) => s.seed))].join(', ')} (weight initialisation, data order, flips, dropout)`,
  ]
  for (const r of plan.runs) {
    const diff = differingFields(JSON.parse(encodeConfig({ ...r.config, model: c.model, seed: c.seed })), JSON.parse(encodeConfig(c)))
    if (diff.length > 0) lines.push(`${r.label}: ${diff.map((k) => `${k} ${JSON.stringify((r.config as Record<string, unknown>)[k])}`).join(', ')}`)
  }
  if (backends.length > 0) lines.push(`backend: ${backends.join(', ')}`)
  return lines
}

/** The plan's report from whatever results exist now. */
export const reportPlan = (o: PlanOptions, failures: ReadonlyMap<string, string> = new Map()): { files: string[]; summary: Summary } => {
  const specs = expandRuns(o.plan)
  const done = new Map<string, RunResults>()
  const states = new Map<string, string>()
  for (const spec of specs) {
    const dir = runDir(o.out, spec)
    try {
      const st = runState(dir, spec)
      if (st.kind === 'done') done.set(spec.id, st.results)
      else states.set(spec.id, st.kind === 'partial' ? `stopped at step ${st.step}` : st.kind === 'trained' ? 'not evaluated' : 'not started')
    } catch (e) {
      if (!isPamError(e)) throw e
      states.set(spec.id, `refused: ${e.message.split('\n')[0].slice(0, 160)}`)
    }
  }
  const summary = summarize(
    {
      baseline: o.plan.baseline,
      columns: planColumns(o.plan),
      variants: o.plan.runs.map((r) => ({ name: r.name, label: r.label, model: r.model, params: paramsOf(r.config) })),
      specs,
    },
    done,
  )
  const backends = [...new Set([...done.values()].map((r) => r.backend))]
  const files = writeReport(o.out, {
    title: o.plan.title,
    planFile: o.planFile,
    summary,
    specs,
    done,
    status: (spec) => (failures.has(spec.id) ? `failed: ${(failures.get(spec.id) as string).split('\n')[0].slice(0, 120)}` : (states.get(spec.id) ?? '')),
    setup: setupLines(o.plan, specs, backends),
  })
  return { files, summary }
}

// -------------------------------------------------------------------------------------------------
// running
// -------------------------------------------------------------------------------------------------

/** The runs `--only` selects (names or ids); an unknown name is an error listing the valid ones. */
export const selectRuns = (specs: readonly RunSpec[], only: readonly string[] | undefined): RunSpec[] => {
  if (!only || only.length === 0) return [...specs]
  for (const o of only) {
    if (!specs.some((s) => s.name === o || s.id === o)) {
      const names = [...new Set(specs.map((s) => s.name))]
      throw new PamError(`--only ${o}: no run of that name or id (names: ${names.join(', ')}; ids such as ${specs[0].id})`)
    }
  }
  return specs.filter((s) => only.includes(s.name) || only.includes(s.id))
}

const LOCK = '.pam-experiment.lock'

/** Whether `pid` is a live process (a zombie, killed but not yet reaped, is not). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // Linux: the state is the field after the parenthesised command name.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))
  } catch {
    return true
  }
}

/** Takes `out/.pam-experiment.lock` (refusing while another live process holds it); returns its release. */
export const lockDir = (out: string): (() => void) => {
  fs.mkdirSync(out, { recursive: true })
  const file = path.join(out, LOCK)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number(fs.readFileSync(file, 'utf8').trim())
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new PamError(`${out}: another pam experiment (pid ${pid}) is running in this directory; wait for it, or remove ${file} if it is gone`)
      }
      fs.rmSync(file, { force: true }) // left by a process that no longer runs
    }
  }
  throw new PamError(`${file}: cannot take the lock`)
}

export const runPlan = async (o: PlanOptions, deps: RunnerDeps): Promise<PlanOutcome> => {
  const specs = expandRuns(o.plan)
  const selected = selectRuns(specs, o.only)
  const release = lockDir(o.out)
  if (o.planText !== undefined) writeFileAtomic(path.join(o.out, 'plan.json'), o.planText)
  const trained: string[] = []
  const evaluated: string[] = []
  const skipped: string[] = []
  const failed: { id: string; message: string }[] = []
  let data: { key: string; ds: FaceDataset } | undefined
  let report: { files: string[]; summary: Summary } | undefined
  const log = deps.log
  try {
    for (const [i, spec] of selected.entries()) {
      const dir = runDir(o.out, spec)
      const head = `[${i + 1}/${selected.length}] ${spec.id} (${spec.model}, seed ${spec.seed}${spec.testSplit === undefined ? '' : `, test split ${spec.testSplit}`})`
      try {
        const state = runState(dir, spec)
        if (state.kind === 'done') {
          log(`${head}: done (${path.join(dir, 'results.json')}), skipped`)
          skipped.push(spec.id)
          continue
        }
        log(`\n${head}: ${describeState(state)}`)
        if (state.kind === 'new' || state.kind === 'partial') {
          const key = dataKey(spec)
          if (data?.key !== key) {
            data = undefined // let the previous set go before the next is read
            data = { key, ds: deps.openData(spec, log) }
          }
          const started = new Date()
          const r = await deps.train({ config: spec.config, out: dir, dataset: data.ds, progress: deps.progress(spec), resume: state.kind === 'partial' })
          appendSession(dir, { started: started.toISOString(), seconds: (Date.now() - started.getTime()) / 1000, fromStep: state.kind === 'partial' ? state.step : 0, toStep: r.steps })
          if (r.stoppedEarly) throw new PamError(`${spec.id}: training stopped after step ${r.steps}, before the end; run the plan again to resume it`)
          trained.push(spec.id)
          log(`  trained ${r.steps} steps; final loss ${r.last?.loss.toFixed(4) ?? '?'}`)
        }
        if (spec.config.data.kind === 'synthetic' && spec.eval.some((e) => e.kind === 'synthetic')) {
          checkSyntheticSet(spec.config)
          ensureSynthetic(spec.config, synthLog(log))
        }
        log(`  evaluating on ${spec.eval.map((e) => e.kind).join(', ')}`)
        const sets = await deps.evaluate(path.join(dir, 'model'), spec.eval, { log, sink: deps.sink, batch: o.batch })
        const sessions = readSessions(dir)
        const last = readLastMetrics(dir)
        const results: RunResults = {
          version: 1,
          id: spec.id,
          name: spec.name,
          label: spec.label,
          model: spec.model,
          seed: spec.seed,
          ...(spec.testSplit === undefined ? {} : { testSplit: spec.testSplit }),
          config: JSON.parse(encodeConfig(spec.config)),
          data: spec.data,
          eval: spec.eval,
          params: paramsOf(spec.config) ?? NaN,
          training: {
            steps: sessions.length ? sessions[sessions.length - 1].toStep : (last?.globalStep ?? 0),
            ...(last ? { loss: last.loss, accuracy: last.accuracy } : {}),
            seconds: sessions.reduce((a, s) => a + s.seconds, 0),
            sessions: sessions.length,
          },
          sets,
          backend: deps.backend,
          finishedAt: new Date().toISOString(),
        }
        writeResults(dir, results)
        evaluated.push(spec.id)
        log(`  wrote ${path.join(dir, 'results.json')}`)
      } catch (e) {
        if (!isPamError(e)) throw e
        failed.push({ id: spec.id, message: e.message })
        log(`${head}: FAILED: ${e.message}`)
      }
    }
  } finally {
    release()
    // The report reflects whatever is finished, even when a run failed or a bug stopped the plan.
    report = reportPlan(o, new Map(failed.map((f) => [f.id, f.message])))
  }
  return { trained, evaluated, skipped, failed, files: report.files, summary: report.summary }
}
