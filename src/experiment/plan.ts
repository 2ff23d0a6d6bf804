/**
 * An experiment plan: the runs `pam experiment` trains one after another and the evaluation sets
 * it scores each of them on. JSON, decoded with io-ts; an invalid plan is refused before any work
 * starts, with one line per bad field naming its path (`runs.1.config.lr: expected a number > 0,
 * got -1`), as `pam train` does for a config.
 *
 *   {
 *     "title": "…",                         optional heading of results.md
 *     "baseline": "IR",                     the run whose row the Params deltas and the
 *                                           comparisons are taken against
 *     "seeds": [1, 2],                      one training run per seed (a run may list its own)
 *     "cfp": "../shared/datasets/cfp",      the CFP copy (default: ../shared/datasets/cfp next to
 *                                           the repository)
 *     "train": { …training config… },       shared by every run: the fields of `pam train
 *                                           --help-config` except model, seed and eval; "data"
 *                                           may also be {"kind": "cfp", "testSplits": [10]}
 *     "eval": [ {"kind": "synthetic"}, {"kind": "cfp"}, {"kind": "bin", "file": "lfw.bin"} ],
 *     "runs": [ {"name": "IR", "model": "IR18", "config": {…overrides…}, "label": "…",
 *                "seeds": […]}, … ]
 *   }
 *
 * Each run is trained once per seed (and, on CFP, once per test split) into
 * `OUT/runs/<name>-s<seed>` (`<name>-split<NN>-s<seed>` on CFP); see runner.ts.
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { decodeConfig, formatErrors, type TrainConfig } from '../train/config'
import { ModelName, NonEmptyString, byKind, listOf } from '../train/config-codecs'
import { splitName } from '../eval/cfp'
import { PamError } from '../util/errors'
import { readJsonFile } from '../util/json-file'

// -------------------------------------------------------------------------------------------------
// resolved types
// -------------------------------------------------------------------------------------------------

export type Protocol = 'FF' | 'FP'

/** An evaluation set as the runner and `Evaluate` see it (paths as the plan gives them). */
export type EvalSpec =
  /** The synthetic set's own held-out FF / FP split (`<data.dir>/test`), official 10 folds. */
  | { readonly kind: 'synthetic'; readonly dir: string; readonly protocols: readonly Protocol[] }
  /**
   * CFP as distributed. Without `heldOut`: all 10 splits, one fold each. With `heldOut` (the
   * model trained on the other splits' identities): those splits' pairs only, each scored by
   * 10-fold cross-validation inside the split (see evaluate.ts).
   */
  | { readonly kind: 'cfp'; readonly dir: string; readonly protocols: readonly Protocol[]; readonly heldOut?: readonly number[] }
  /** An insightface `.bin` pair set: 10 contiguous folds. */
  | { readonly kind: 'bin'; readonly file: string; readonly name?: string; readonly yaw?: number; readonly yawFile?: string }

/** Where a run's training images come from. */
export type PlanData =
  /** `config.data` (synthetic, image folder or RecordIO), as `pam train` reads it. */
  | { readonly kind: 'config' }
  /** The identities of every CFP split but the test split of the run. */
  | { readonly kind: 'cfp'; readonly dir: string; readonly testSplits: readonly number[] }

/** A set as written in the plan, before it is bound to a run. */
export type PlanEval =
  | { readonly kind: 'synthetic'; readonly protocols: readonly Protocol[] }
  | { readonly kind: 'cfp'; readonly protocols: readonly Protocol[] }
  | { readonly kind: 'bin'; readonly file: string; readonly name?: string; readonly yaw?: number; readonly yawFile?: string }

export interface PlanRun {
  readonly name: string
  /** The Methods column: the run's "label", else the model as the paper writes it (`IR18 + PAM12`). */
  readonly label: string
  readonly model: string
  readonly seeds: readonly number[]
  /** The decoded training config (its seed is the first seed; expandRuns sets each). */
  readonly config: TrainConfig
}

export interface Plan {
  readonly title: string
  readonly baseline: string
  readonly cfp: string
  readonly data: PlanData
  readonly eval: readonly PlanEval[]
  readonly runs: readonly PlanRun[]
}

/** One training run of a plan: a variant, a seed, and on CFP a test split. */
export interface RunSpec {
  /** Directory name under `OUT/runs/`: `<name>-s<seed>` or `<name>-split<NN>-s<seed>`. */
  readonly id: string
  readonly name: string
  readonly label: string
  readonly model: string
  readonly seed: number
  readonly testSplit?: number
  readonly config: TrainConfig
  readonly data: PlanData
  readonly eval: readonly EvalSpec[]
}

// -------------------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------------------

const where = <A>(name: string, message: string, ok: (u: unknown) => u is A) =>
  new t.Type<A, A, unknown>(
    name,
    ok,
    (u, c) => (ok(u) ? t.success(u) : t.failure(u, c, message)),
    (a) => a,
  )

const JsonObject = where<Record<string, unknown>>(
  'a JSON object',
  'expected a JSON object',
  (u): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u),
)

const Seed = where<number>('a seed', 'expected a seed (an integer ≥ 0)', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0)
const SplitNumber = where<number>('a split number', 'expected a split number (an integer ≥ 1)', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1)
const Yaw = where<number>('a yaw', 'expected a yaw in degrees within [-90, 90]', (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= -90 && u <= 90)
const Text = where<string>('a string', 'expected a string', (u): u is string => typeof u === 'string')

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/
const RunName = where<string>(
  'a run name',
  'expected a run name: letters, digits, "_", ".", "+" and "-", starting with a letter or digit (it names the run directory)',
  (u): u is string => typeof u === 'string' && RUN_NAME.test(u) && u.length <= 80,
)

const ProtocolCodec = t.keyof({ FF: null, FP: null })

/** A non-empty list whose error, when it is not one, says what it should hold. */
const Protocols = listOf(
  new t.Type<Protocol, Protocol, unknown>('FF or FP', ProtocolCodec.is, (u, c) => (ProtocolCodec.is(u) ? t.success(u) : t.failure(u, c, 'expected "FF" or "FP"')), (a) => a),
  '"FF" / "FP"',
)

const EvalSet = byKind('evaluation set', {
  synthetic: t.intersection([t.type({ kind: t.literal('synthetic') }), t.partial({ protocols: Protocols })]),
  cfp: t.intersection([t.type({ kind: t.literal('cfp') }), t.partial({ protocols: Protocols })]),
  bin: t.intersection([t.type({ kind: t.literal('bin'), file: NonEmptyString }), t.partial({ name: NonEmptyString, yaw: Yaw, yawFile: NonEmptyString })]),
})

const RunEntry = t.intersection([
  t.type({ name: RunName, model: ModelName }),
  t.partial({ label: NonEmptyString, config: JsonObject, seeds: listOf(Seed, 'seeds') }),
])

const PlanCodec = t.intersection([
  t.type({
    baseline: NonEmptyString,
    seeds: listOf(Seed, 'seeds'),
    train: JsonObject,
    eval: listOf(EvalSet, 'evaluation sets'),
    runs: listOf(RunEntry, 'runs'),
  }),
  t.partial({ title: Text, cfp: NonEmptyString }),
])

const CfpData = t.type({ kind: t.literal('cfp'), testSplits: listOf(SplitNumber, 'split numbers') })

// -------------------------------------------------------------------------------------------------
// field lists (unknown fields are errors: a misspelt field would otherwise be silently ignored)
// -------------------------------------------------------------------------------------------------

export const PLAN_FIELDS = ['title', 'baseline', 'seeds', 'cfp', 'train', 'eval', 'runs'] as const
export const RUN_FIELDS = ['name', 'model', 'label', 'config', 'seeds'] as const
const EVAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  synthetic: ['kind', 'protocols'],
  cfp: ['kind', 'protocols'],
  bin: ['kind', 'file', 'name', 'yaw', 'yawFile'],
}
const CFP_DATA_FIELDS = ['kind', 'testSplits']

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

const unknownFields = (obj: Record<string, unknown>, valid: readonly string[], prefix: string): string[] =>
  Object.keys(obj)
    .filter((k) => !valid.includes(k))
    .map((k) => `${prefix}${k}: unknown field (valid: ${valid.join(', ')})`)

/** What the runner needs to find the repository's neighbour `../shared/datasets/cfp`. */
export const findRepoRoot = (from: string = __dirname): string => {
  let dir = path.resolve(from)
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pam-dsl') return dir
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir)
    if (up === dir) return process.cwd()
    dir = up
  }
}

export const DEFAULT_CFP = (): string => path.resolve(findRepoRoot(), '..', 'shared', 'datasets', 'cfp')

/** `IR18+PAM12` → `IR18 + PAM12`, as the paper's tables write it. */
export const paperLabel = (model: string): string => model.replace(/\+/g, ' + ')

// -------------------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------------------

/** Keys of the training config the plan sets by other means, and where a user should put them. */
const RESERVED: Readonly<Record<string, string>> = {
  model: 'give each run its "model"',
  seed: 'the seeds are the plan\'s "seeds" (or a run\'s own "seeds")',
  eval: 'the evaluation sets are the plan\'s "eval"',
}

/** The training data of a run that tests on `testSplits` of the plan's CFP copy. */
const cfpTrainingData = (dir: string, testSplits: readonly number[]): TrainConfig['data'] => ({ kind: 'cfp', dir, testSplits: [...testSplits] })

/** Training-config error lines with the path they have in the plan. */
const configErrors = (lines: readonly string[], prefix: string): string[] => lines.map((l) => `${prefix}${l}`)

const firstKey = (line: string): string => line.split(/[.:]/)[0]

/**
 * io-ts errors as `path: message, got value` lines (as the training config's are), the path
 * without the member indices io-ts puts in for intersections.
 */
export const planErrors = (errors: t.Errors): string[] =>
  formatErrors(
    errors.map((e) => ({
      ...e,
      context: e.context.filter((c) => !(/^\d+$/.test(c.key) && (c.type instanceof t.InterfaceType || c.type instanceof t.PartialType))),
    })),
  )

/** Decodes a parsed plan. `cfpDefault` is where the CFP copy is when the plan does not say. */
export const decodePlan = (raw: unknown, cfpDefault: string = DEFAULT_CFP()): E.Either<string[], Plan> => {
  if (!isObject(raw)) return E.left(['(top level): expected a JSON object'])
  const errors: string[] = [...unknownFields(raw, PLAN_FIELDS, '')]
  const add = (lines: readonly string[]) => {
    for (const l of lines) if (!errors.includes(l)) errors.push(l)
  }
  const decoded = PlanCodec.decode(raw)
  if (E.isLeft(decoded)) add(planErrors(decoded.left))

  // Unknown fields of the runs and evaluation sets, whatever else is wrong.
  const rawRuns = Array.isArray(raw.runs) ? raw.runs : []
  rawRuns.forEach((r, i) => {
    if (isObject(r)) add(unknownFields(r, RUN_FIELDS, `runs.${i}.`))
  })
  const rawEval = Array.isArray(raw.eval) ? raw.eval : []
  rawEval.forEach((e, i) => {
    if (isObject(e) && typeof e.kind === 'string' && EVAL_FIELDS[e.kind]) add(unknownFields(e, EVAL_FIELDS[e.kind], `eval.${i}.`))
  })

  // The shared training config, then each run's overrides over it.
  const cfp = typeof raw.cfp === 'string' && raw.cfp !== '' ? raw.cfp : cfpDefault
  const base = isObject(raw.train) ? raw.train : undefined
  let data: PlanData = { kind: 'config' }
  let dataForCodec: unknown = base?.data
  if (base) {
    for (const [k, why] of Object.entries(RESERVED)) if (k in base) add([`train.${k}: ${why}`])
    const d = base.data
    if (isObject(d) && d.kind === 'cfp') {
      add(unknownFields(d, CFP_DATA_FIELDS, 'train.data.'))
      const c = CfpData.decode(d)
      if (E.isLeft(c)) add(planErrors(c.left).map((l) => `train.data.${l}`))
      else {
        const splits = c.right.testSplits
        splits.forEach((s, i) => {
          const j = splits.indexOf(s)
          if (j < i) add([`train.data.testSplits.${i}: split ${s} repeats train.data.testSplits.${j}`])
        })
        data = { kind: 'cfp', dir: cfp, testSplits: splits }
      }
      dataForCodec = cfpTrainingData(cfp, E.isRight(c) ? c.right.testSplits : [1])
    }
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !(k in RESERVED)))
    const baseDecoded = decodeConfig({ ...strip(base), data: dataForCodec, model: 'IR18' })
    if (E.isLeft(baseDecoded)) add(configErrors(baseDecoded.left, 'train.'))
  }

  const runs: PlanRun[] = []
  rawRuns.forEach((r, i) => {
    if (!isObject(r) || !base) return
    const over = isObject(r.config) ? r.config : {}
    for (const [k, why] of Object.entries({ ...RESERVED, data: 'every run of a plan trains on the plan\'s "train.data"' })) {
      if (k in over) add([`runs.${i}.config.${k}: ${why}`])
    }
    const allowed = Object.fromEntries(Object.entries(over).filter(([k]) => !(k in RESERVED) && k !== 'data'))
    const strip = Object.fromEntries(Object.entries(base).filter(([k]) => !(k in RESERVED)))
    const seeds = Array.isArray(r.seeds) && r.seeds.length > 0 ? r.seeds : Array.isArray(raw.seeds) ? raw.seeds : [0]
    const merged = { ...strip, ...allowed, data: dataForCodec, model: typeof r.model === 'string' ? r.model : 'IR18', seed: Seed.is(seeds[0]) ? seeds[0] : 0 }
    const c = decodeConfig(merged)
    if (E.isLeft(c)) {
      // Lines about fields the run overrides belong to the run; the rest were reported as train.*.
      add(configErrors(c.left.filter((l) => firstKey(l) in allowed), `runs.${i}.config.`))
      return
    }
    if (typeof r.name === 'string' && typeof r.model === 'string') {
      runs.push({
        name: r.name,
        label: typeof r.label === 'string' ? r.label : paperLabel(c.right.model),
        model: c.right.model,
        seeds: seeds.filter((s): s is number => Seed.is(s)),
        config: c.right,
      })
    }
  })

  // Checks across fields, on whatever parts are well-formed.
  const seedRepeats = (list: unknown, prefix: string) => {
    if (!Array.isArray(list)) return
    list.forEach((x, i) => {
      const j = list.indexOf(x)
      if (Seed.is(x) && j < i) add([`${prefix}.${i}: seed ${x} repeats ${prefix}.${j}`])
    })
  }
  seedRepeats(raw.seeds, 'seeds')
  const runNames = rawRuns.map((r) => (isObject(r) && typeof r.name === 'string' ? r.name : undefined))
  rawRuns.forEach((r, i) => {
    if (!isObject(r)) return
    seedRepeats(r.seeds, `runs.${i}.seeds`)
    const j = runNames.indexOf(runNames[i])
    if (runNames[i] !== undefined && j < i) add([`runs.${i}.name: "${runNames[i]}" repeats runs.${j}.name`])
  })
  const named = [...new Set(runNames.filter((n): n is string => n !== undefined))]
  if (typeof raw.baseline === 'string' && raw.baseline !== '' && named.length > 0 && !named.includes(raw.baseline)) {
    add([`baseline: "${raw.baseline}" is not the name of a run (${named.join(', ')})`])
  }
  const names: string[][] = []
  rawEval.forEach((e, i) => {
    if (!isObject(e) || typeof e.kind !== 'string' || !EVAL_FIELDS[e.kind]) return names.push([])
    if (e.kind === 'synthetic' && base) {
      const d = base.data
      const ok = isObject(d) && d.kind === 'synthetic' && (d.testIdentities === undefined || (typeof d.testIdentities === 'number' && d.testIdentities > 0))
      if (!ok) add([`eval.${i}: the synthetic test split needs train.data of kind "synthetic" with testIdentities > 0`])
    }
    if (e.kind === 'bin' && e.yaw !== undefined && e.yawFile !== undefined) add([`eval.${i}: give "yaw" or "yawFile", not both`])
    const protocols = Array.isArray(e.protocols) ? e.protocols.filter((x): x is Protocol => x === 'FF' || x === 'FP') : undefined
    names.push(evalNames({ kind: e.kind, protocols, file: typeof e.file === 'string' ? e.file : '', name: typeof e.name === 'string' ? e.name : undefined }))
  })
  names.forEach((ns, i) =>
    [...new Set(ns)].forEach((n) => {
      const j = names.findIndex((o) => o.includes(n))
      if (j < i) add([`eval.${i}: makes the column ${n}, as eval.${j} does`])
      else if (ns.indexOf(n) !== ns.lastIndexOf(n)) add([`eval.${i}.protocols: ${n.replace(/^.*-/, '')} is listed twice`])
    }),
  )

  if (errors.length > 0 || E.isLeft(decoded)) return E.left(errors)
  const p = decoded.right
  // Labels: two runs of one model without labels are told apart by their names.
  const labelled = runs.map((r, i) => {
    const sameModel = runs.filter((o) => o.model === r.model).length > 1
    return p.runs[i].label === undefined && sameModel ? { ...r, label: `${r.label} (${r.name})` } : r
  })
  return E.right({
    title: p.title ?? 'Experiment',
    baseline: p.baseline,
    cfp,
    data,
    eval: p.eval.map((e): PlanEval => (e.kind === 'bin' ? e : { kind: e.kind, protocols: e.protocols ?? ['FF', 'FP'] })),
    runs: labelled.map((r, i) => ({ ...r, seeds: p.runs[i].seeds ?? p.seeds })),
  })
}

/** The result-table columns a plan set makes. */
export const evalNames = (e: { readonly kind: string; readonly protocols?: readonly Protocol[]; readonly file?: string; readonly name?: string }): string[] => {
  switch (e.kind) {
    case 'synthetic':
      return (e.protocols ?? ['FF', 'FP']).map((p) => `Synth-${p}`)
    case 'cfp':
      return (e.protocols ?? ['FF', 'FP']).map((p) => `CFP-${p}`)
    default:
      return [e.name ?? binColumn(e.file ?? '')]
  }
}

const BIN_COLUMNS: Readonly<Record<string, string>> = {
  lfw: 'LFW',
  cfp_fp: 'CFP-FP',
  cfp_ff: 'CFP-FF',
  agedb_30: 'AgeDB-30',
  cplfw: 'CPLFW',
  calfw: 'CALFW',
}

/** `…/cfp_fp.bin` → `CFP-FP` (the paper's column), other files their base name. */
export const binColumn = (file: string): string => {
  const base = path.basename(file).replace(/\.bin$/i, '')
  return BIN_COLUMNS[base.toLowerCase()] ?? base
}

/** Reads and decodes a plan file; throws one `PamError` listing every bad field. */
export const readPlan = (file: string, cfpDefault?: string): Plan => {
  const raw = readJsonFile(file, 'plan')
  const r = decodePlan(raw, cfpDefault)
  if (E.isLeft(r)) throw new PamError(`${file}: invalid plan\n${r.left.map((l) => `  ${l}`).join('\n')}`)
  return r.right
}

// -------------------------------------------------------------------------------------------------
// expansion into runs
// -------------------------------------------------------------------------------------------------


/** The evaluation sets of one run: paths filled in, CFP restricted to the run's test split. */
const bindEval = (plan: Plan, config: TrainConfig, testSplit: number | undefined): EvalSpec[] =>
  plan.eval.map((e): EvalSpec => {
    switch (e.kind) {
      case 'synthetic':
        return { kind: 'synthetic', dir: path.join(config.data.kind === 'synthetic' ? config.data.dir : '', 'test'), protocols: e.protocols }
      case 'cfp':
        return testSplit === undefined ? { kind: 'cfp', dir: plan.cfp, protocols: e.protocols } : { kind: 'cfp', dir: plan.cfp, protocols: e.protocols, heldOut: [testSplit] }
      case 'bin':
        return e
    }
  })

/**
 * Every run of the plan, in the order they train: test split by test split, then seed by seed
 * (the i-th seed of every run), then run by run — so the first variants finished are comparable.
 */
export const expandRuns = (plan: Plan): RunSpec[] => {
  const splits: (number | undefined)[] = plan.data.kind === 'cfp' ? [...plan.data.testSplits] : [undefined]
  const cfpDir = plan.data.kind === 'cfp' ? plan.data.dir : undefined
  const rounds = Math.max(...plan.runs.map((r) => r.seeds.length))
  const out: RunSpec[] = []
  for (const split of splits) {
    for (let i = 0; i < rounds; i++) {
      for (const r of plan.runs) {
        if (i >= r.seeds.length) continue
        const seed = r.seeds[i]
        const config: TrainConfig = { ...r.config, seed, ...(cfpDir === undefined || split === undefined ? {} : { data: cfpTrainingData(cfpDir, [split]) }) }
        out.push({
          id: `${r.name}${split === undefined ? '' : `-split${splitName(split)}`}-s${seed}`,
          name: r.name,
          label: r.label,
          model: r.model,
          seed,
          ...(split === undefined ? {} : { testSplit: split }),
          config,
          data: plan.data,
          eval: bindEval(plan, config, split),
        })
      }
    }
  }
  return out
}

/** The column names of the plan's evaluation sets, in plan order. */
export const planColumns = (plan: Plan): string[] => plan.eval.flatMap(evalNames)
