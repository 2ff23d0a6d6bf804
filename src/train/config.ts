/**
 * The training config: one JSON file decoded with io-ts, the paper's values as defaults.
 * An invalid config is refused before any work starts, with the path of every bad field.
 * The same codec writes the resolved config back (`DIR/config.json`), so a run can be resumed
 * and reproduced from its own directory.
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { SYNTH_PARAMETER_RULES } from '../data/synth/synth-config'
import { PamError } from '../util/errors'
import { readJsonFile } from '../util/json-file'
import {
  byKind,
  DropoutRate,
  listOf,
  Margin,
  Milestones,
  ModelName,
  NonEmptyString,
  NonNegativeInt,
  NonNegativeNumber,
  numberWhere,
  PositiveInt,
  PositiveNumber,
  Probability,
} from './config-codecs'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/** The synthetic set's own rules (pam synth), so a config is refused before any work starts. */
const synthRule = (name: keyof typeof SYNTH_PARAMETER_RULES) => numberWhere(SYNTH_PARAMETER_RULES[name].expected, SYNTH_PARAMETER_RULES[name].ok)
const SyntheticData = t.type({
  kind: t.literal('synthetic'),
  dir: NonEmptyString,
  identities: synthRule('identities'),
  imagesPerIdentity: synthRule('imagesPerIdentity'),
  testIdentities: synthRule('testIdentities'),
  seed: synthRule('seed'),
})
const FolderData = t.type({ kind: t.literal('folder'), root: NonEmptyString, yawCsv: NonEmptyString })
const RecordIoData = t.type({ kind: t.literal('recordio'), dir: NonEmptyString, yawFile: NonEmptyString })
/** CFP with its own protocol: every image of the identities of the splits not in testSplits. */
const CfpSplit = numberWhere('a split number (an integer ≥ 1)', (n) => Number.isInteger(n) && n >= 1)
const CfpData = t.type({ kind: t.literal('cfp'), dir: NonEmptyString, testSplits: listOf(CfpSplit, 'split numbers') })
export const DataConfig = byKind('training data', { synthetic: SyntheticData, folder: FolderData, recordio: RecordIoData, cfp: CfpData })

const Head = byKind('margin head', {
  arcface: t.type({ kind: t.literal('arcface'), s: PositiveNumber, m: Margin }),
  cosface: t.type({ kind: t.literal('cosface'), s: PositiveNumber, m: NonNegativeNumber }),
  combined: t.type({ kind: t.literal('combined'), s: PositiveNumber, m1: PositiveNumber, m2: Margin, m3: NonNegativeNumber }),
})

export const EvalConfig = t.partial({ cfp: NonEmptyString, protocol: t.keyof({ FF: null, FP: null, both: null }), yawFile: NonEmptyString })

export const TrainConfig = t.type({
  model: ModelName,
  size: PositiveInt,
  width: PositiveNumber,
  embedding: PositiveInt,
  dropout: DropoutRate,
  data: DataConfig,
  eval: EvalConfig,
  epochs: PositiveInt,
  batchSize: PositiveInt,
  lr: PositiveNumber,
  milestones: Milestones,
  gamma: PositiveNumber,
  warmupSteps: NonNegativeInt,
  momentum: NonNegativeNumber,
  weightDecay: NonNegativeNumber,
  excludeBatchNormFromDecay: t.boolean,
  head: Head,
  flip: Probability,
  seed: NonNegativeInt,
  checkpointEverySteps: NonNegativeInt,
  logEverySteps: PositiveInt,
  maxSteps: NonNegativeInt,
  init: t.string,
})

export type TrainConfig = t.TypeOf<typeof TrainConfig>

/** What each field means; `pam train --help-config` prints it and the docs quote it. */
export const FIELD_DOCS: Readonly<Record<keyof TrainConfig, string>> = {
  model: 'model name from the zoo, e.g. "IR50+PAM12" (see `pam audit --help`)',
  size: 'input height = width in pixels; images of another size are resized (paper: 112)',
  width: 'multiplier of the stage widths 64-128-256-512 (paper: 1)',
  embedding: 'embedding dimension (paper: 512)',
  dropout: 'dropout rate before the embedding layer (face.evoLVe: 0.5)',
  data: 'training data: {"kind":"synthetic","dir","identities","imagesPerIdentity","testIdentities","seed"} (generated into dir if missing), {"kind":"folder","root","yawCsv"}, {"kind":"recordio","dir","yawFile"}, or {"kind":"cfp","dir","testSplits"} (CFP\'s protocol: the identities of every split but testSplits, aligned from the fiducials, yaw 0° frontal / 90° profile)',
  eval: 'evaluation after training: {"cfp": DIR, "protocol": "FF"|"FP"|"both", "yawFile"}; a synthetic set is evaluated on its own test split',
  epochs: 'number of epochs (paper: 24)',
  batchSize: 'images per step (paper: 256)',
  lr: 'initial learning rate (paper: 0.1)',
  milestones: 'epochs at which the learning rate is multiplied by gamma (paper: [10, 18, 22])',
  gamma: 'learning-rate decay factor at each milestone (paper: 0.1)',
  warmupSteps: 'linear learning-rate warm-up over this many steps (paper: 0, none)',
  momentum: 'SGD momentum (paper: 0.9)',
  weightDecay: 'weight decay, added to the gradient as PyTorch SGD does (paper: 5e-4)',
  excludeBatchNormFromDecay: 'no weight decay on BatchNorm gamma and beta (face.evoLVe: true)',
  head: 'margin head: {"kind":"arcface","s":64,"m":0.5} (paper), {"kind":"cosface","s","m"}, or {"kind":"combined","s","m1","m2","m3"}',
  flip: 'probability of a random horizontal flip (paper: 0.5)',
  seed: 'seed of weight initialisation, data order, flips and dropout',
  checkpointEverySteps: 'also checkpoint every N steps (0: only at the end of each epoch)',
  logEverySteps: 'steps between log lines and metrics.jsonl records',
  maxSteps: 'stop after this many steps in all (0: no limit); for quick trials',
  init: 'start from the weights of a saved model (pam import --out DIR, or a run); blocks it lacks (PAM, DREAM) keep their fresh initialisation; "" for none',
}

export const PAPER_DEFAULTS: Omit<TrainConfig, 'data'> = {
  model: 'IR50+PAM12',
  size: 112,
  width: 1,
  embedding: 512,
  dropout: 0.5,
  eval: {},
  epochs: 24,
  batchSize: 256,
  lr: 0.1,
  milestones: [10, 18, 22],
  gamma: 0.1,
  warmupSteps: 0,
  momentum: 0.9,
  weightDecay: 5e-4,
  excludeBatchNormFromDecay: true,
  head: { kind: 'arcface', s: 64, m: 0.5 },
  flip: 0.5,
  seed: 0,
  checkpointEverySteps: 0,
  logEverySteps: 10,
  maxSteps: 0,
  init: '',
}

const SYNTHETIC_DEFAULTS = { identities: 200, imagesPerIdentity: 20, testIdentities: 100, seed: 1 }

// -------------------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------------------

const pathOf = (e: t.ValidationError): string =>
  e.context
    .slice(1)
    .map((c) => c.key)
    .filter((k) => k !== '')
    .join('.')

const show = (u: unknown): string => (u === undefined ? 'nothing' : JSON.stringify(u))

/** Every bad field, one line each: `data.identities: expected a positive integer, got -3`. */
export const formatErrors = (errors: t.Errors): string[] => {
  const lines = new Map<string, string>()
  for (const e of errors) {
    const p = pathOf(e) || '(top level)'
    if (!lines.has(p)) lines.set(p, `${p}: ${e.message ?? `expected ${e.context[e.context.length - 1]?.type.name}`}, got ${show(e.value)}`)
  }
  return [...lines.values()]
}

const unknownFields = (raw: Record<string, unknown>): string[] =>
  Object.keys(raw)
    .filter((k) => !(k in FIELD_DOCS))
    .map((k) => `${k}: unknown field (valid: ${Object.keys(FIELD_DOCS).join(', ')})`)

/** Fills the paper's defaults into a raw config object and decodes it. */
export const decodeConfig = (raw: unknown): E.Either<string[], TrainConfig> => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return E.left(['(top level): expected a JSON object'])
  const obj = raw as Record<string, unknown>
  const unknown = unknownFields(obj)
  const data = obj.data as Record<string, unknown> | undefined
  const withDefaults = {
    ...PAPER_DEFAULTS,
    ...obj,
    data: data && data.kind === 'synthetic' ? { ...SYNTHETIC_DEFAULTS, ...data } : data,
  }
  const r = TrainConfig.decode(withDefaults)
  const errors = [...unknown, ...(E.isLeft(r) ? formatErrors(r.left) : [])]
  return errors.length > 0 || E.isLeft(r) ? E.left(errors) : E.right(r.right)
}

/** Reads and decodes a config file; throws one `PamError` listing every bad field. */
export const readConfig = (file: string): TrainConfig => {
  const raw = readJsonFile(file, 'config')
  const r = decodeConfig(raw)
  if (E.isLeft(r)) throw new PamError(`${file}: invalid config\n${r.left.map((l) => `  ${l}`).join('\n')}`)
  return r.right
}

/** The resolved config as JSON (the codec's own encoding). */
export const encodeConfig = (c: TrainConfig): string => JSON.stringify(TrainConfig.encode(c), null, 2)
