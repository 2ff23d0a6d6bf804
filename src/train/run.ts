/**
 * A training run from a config, into a run directory, resumable at any point:
 *
 *   DIR/config.json     the resolved config (the codec's encoding)
 *   DIR/metrics.jsonl   one record per logged step
 *   DIR/checkpoints/    see ./checkpoint
 *   DIR/model/          the final model (model.json, weights.bin, pam.json)
 *   DIR/loss.svg, DIR/accuracy.svg   training curves against step
 *
 * Everything random is a function of (seed, epoch, step): the epoch's data order, each step's
 * flips and dropout masks. A resumed run therefore repeats exactly the steps an uninterrupted
 * run would take, and on the same backend reaches the same weights.
 */
import { disposeModel } from '../../dsl/compile/dispose'
import * as tf from '@tensorflow/tfjs-core'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { audit } from '../../dsl/audit'
import { compile } from '../../dsl/compile/compile'
import { formatShapeError } from '../../dsl/shape'
import { formatSummary } from '../../dsl/summary'
import { buildModel } from '../../models/zoo'
import type { FaceDataset } from '../data/dataset'
import { saveModel, writeFileAtomic } from '../persist/model-dir'
import { resolveModelDir } from '../persist/resolve'
import { assignWeights, readSavedWeights } from '../persist/weights'
import { MODEL_INFO, writeModelInfo, type ModelInfo } from '../persist/model-info'
import { lineChartSvg } from '../plot/line-chart'
import { PamError } from '../util/errors'
import { createRng, permutation } from '../util/rng'
import { makeBatch } from './batch'
import { latestCheckpoint, readCheckpoint, writeCheckpoint, type RunPosition } from './checkpoint'
import { encodeConfig, type TrainConfig } from './config'
import type { Progress } from './progress'
import { learningRate } from './schedule'
import { disposeSgdState, emptySgdState } from './sgd'
import { HEAD_WEIGHT, NonFiniteLoss, sgdParams, trainStep, type Trainee } from './step'

export interface MetricsRecord {
  readonly epoch: number
  readonly step: number
  readonly globalStep: number
  readonly loss: number
  readonly accuracy: number
  readonly lr: number
  readonly imagesPerSecond: number
  readonly time: string
}

export interface RunResult {
  readonly modelDir: string
  readonly steps: number
  readonly last?: MetricsRecord
  readonly stoppedEarly: boolean
}

export interface RunOptions {
  readonly config: TrainConfig
  readonly out: string
  readonly dataset: FaceDataset
  readonly progress: Progress
  /** Continue from the run's latest checkpoint. */
  readonly resume?: boolean
  /** Stop (as if killed, without a final checkpoint) once this many steps are done: for tests. */
  readonly haltAfterStep?: number
}

/** Seeds derived from the run seed and a position, so nothing depends on history. */
const mix = (...xs: number[]): number => {
  let h = 0x811c9dc5
  for (const x of xs) h = Math.imul(h ^ (x >>> 0), 0x01000193) ^ (h >>> 15)
  return h >>> 0
}

export const modelInfo = (c: TrainConfig): ModelInfo => ({ model: c.model, size: c.size, width: c.width, embedding: c.embedding, dropout: c.dropout })

/** What a trainee is made from: the model fields of a config. */
export type TraineeSpec = Pick<TrainConfig, 'model' | 'size' | 'width' | 'embedding' | 'dropout' | 'seed' | 'excludeBatchNormFromDecay'>

const modelBlock = (c: TraineeSpec) => {
  const block = buildModel(c.model, { size: c.size, width: c.width, embedding: c.embedding, dropout: c.dropout })
  if (E.isLeft(block)) throw new PamError(`config model: ${block.left}`)
  return block.right
}

const metricsPath = (out: string) => path.join(out, 'metrics.jsonl')

const readMetrics = (out: string): MetricsRecord[] =>
  fs.existsSync(metricsPath(out))
    ? fs
        .readFileSync(metricsPath(out), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as MetricsRecord)
    : []

/**
 * Keeps the first `lines` records: those after the checkpoint belong to steps that will rerun.
 * Lines are cut as text, so a record torn by a kill mid-write is simply dropped.
 */
const truncateMetrics = (out: string, lines: number): void => {
  const text = fs.existsSync(metricsPath(out)) ? fs.readFileSync(metricsPath(out), 'utf8') : ''
  const kept = text.split('\n').filter((l) => l.trim() !== '').slice(0, lines)
  writeFileAtomic(metricsPath(out), kept.map((l) => l + '\n').join(''))
}

export const writeCurves = (out: string): void => {
  const m = readMetrics(out)
  const svg = (key: 'loss' | 'accuracy', title: string) =>
    lineChartSvg([{ label: key, points: m.map((r) => [r.globalStep, key === 'accuracy' ? r.accuracy * 100 : r.loss] as const) }], {
      title,
      xLabel: 'step',
      yLabel: key === 'accuracy' ? 'training accuracy (%)' : 'ArcFace loss',
    })
  writeFileAtomic(path.join(out, 'loss.svg'), svg('loss', 'Training loss'))
  writeFileAtomic(path.join(out, 'accuracy.svg'), svg('accuracy', 'Training accuracy (top-1, no margin)'))
}

/** The compiled model, the margin head's class weights `[embedding, classes]` and the SGD state. */
export const buildTrainee = (c: TraineeSpec, numClasses: number): Trainee => {
  const model = compile(modelBlock(c), { input: [c.size, c.size, 3], seed: c.seed })
  if (E.isLeft(model)) throw new PamError(`${c.model}: ${formatShapeError(model.left)}`)
  // [embedding, classes]; the initial tensor is freed once the variable holds its copy
  const head = tf.tidy(() => tf.variable(tf.randomNormal([c.embedding, numClasses], 0, 0.01, 'float32', mix(c.seed, 1)), true, `${HEAD_WEIGHT}-${Date.now()}`))
  return { model: model.right, head, params: sgdParams(model.right, head, c.excludeBatchNormFromDecay), sgd: emptySgdState() }
}

export const disposeTrainee = (t: Trainee): void => {
  disposeSgdState(t.sgd)
  t.head.dispose()
  disposeModel(t.model)
}

/** The audit table printed at the start of a run. */
export const auditText = (c: TrainConfig): string => {
  const a = audit(modelBlock(c), [c.size, c.size, 3])
  if (E.isLeft(a)) throw new PamError(`${c.model}: ${formatShapeError(a.left)}`)
  return formatSummary(a.right.tree, { depth: 1, title: `${c.model} at ${c.size}×${c.size}, width ×${c.width}` })
}

export const runTraining = async (o: RunOptions): Promise<RunResult> => {
  const c = o.config
  const ds = o.dataset
  const stepsPerEpoch = Math.floor(ds.size / c.batchSize)
  if (stepsPerEpoch === 0) throw new PamError(`batchSize ${c.batchSize} is larger than the training set (${ds.size} images)`)
  const totalSteps = c.maxSteps > 0 ? Math.min(c.maxSteps, stepsPerEpoch * c.epochs) : stepsPerEpoch * c.epochs
  fs.mkdirSync(o.out, { recursive: true })
  writeFileAtomic(path.join(o.out, 'config.json'), encodeConfig(c))

  const t = buildTrainee(c, ds.numClasses)
  let pos: RunPosition = { epoch: 0, stepInEpoch: 0, globalStep: 0, metricsLines: 0 }
  try {
    const latest = o.resume ? latestCheckpoint(o.out) : undefined
    if (latest) {
      const r = readCheckpoint(latest, t.model)
      pos = r.position
      const head = r.extra.get(HEAD_WEIGHT)
      if (!head || head.shape[1] !== ds.numClasses) {
        r.extra.forEach((x) => x.dispose())
        throw new PamError(`${latest}: the checkpoint's head has ${head?.shape[1] ?? 'no'} classes, the data ${ds.numClasses}`)
      }
      t.head.assign(head)
      for (const [name, tensor] of r.extra) if (name.startsWith('sgd/')) t.sgd.buffers.set(name.slice(4), tensor)
      head.dispose()
      o.progress.note(`resumed from ${latest} (epoch ${pos.epoch + 1}, step ${pos.stepInEpoch + 1}, ${pos.globalStep} steps done)`)
    }
    if (!latest && c.init !== '') {
      const from = resolveModelDir(c.init)
      const { missing, unexpected } = assignWeights(t.model, readSavedWeights(from), from)
      if (unexpected.length > 0) throw new PamError(`init ${from}: weights the model does not have: ${unexpected.slice(0, 5).join(', ')}${unexpected.length > 5 ? ', …' : ''}`)
      o.progress.note(`initialised from ${from}${missing.length ? `; ${missing.length} weights it lacks keep their fresh initialisation (${[...new Set(missing.map((m) => m.split('/')[0]))].join(', ')})` : ''}`)
    }
    truncateMetrics(o.out, pos.metricsLines)

    const checkpoint = async (p: RunPosition): Promise<string> => {
      const extra = new Map<string, tf.Tensor>([[HEAD_WEIGHT, t.head]])
      for (const [name, b] of t.sgd.buffers) extra.set(`sgd/${name}`, b)
      return writeCheckpoint(o.out, t.model, extra, p, { [MODEL_INFO]: JSON.stringify(modelInfo(c), null, 2) })
    }

    let last: MetricsRecord | undefined
    let windowStart = Date.now()
    let windowImages = 0
    let metricsLines = pos.metricsLines
    let { epoch, stepInEpoch, globalStep } = pos
    for (; epoch < c.epochs && globalStep < totalSteps; epoch++, stepInEpoch = 0) {
      const order = permutation(createRng(mix(c.seed, 2, epoch)), ds.size)
      for (; stepInEpoch < stepsPerEpoch && globalStep < totalSteps; ) {
        const batch = makeBatch(ds, order.slice(stepInEpoch * c.batchSize, (stepInEpoch + 1) * c.batchSize), c.size, c.flip, mix(c.seed, 3, globalStep))
        const lr = learningRate(c, epoch, globalStep)
        let r
        try {
          r = trainStep(t, batch, c.size, lr, { momentum: c.momentum, weightDecay: c.weightDecay, head: c.head, seed: mix(c.seed, 4, globalStep) })
        } catch (e) {
          if (e instanceof NonFiniteLoss) {
            const kept = latestCheckpoint(o.out)
            throw new PamError(
              `epoch ${epoch + 1} step ${stepInEpoch + 1}: the loss is ${e.loss}; training stopped before the optimiser touched any weight. ` +
                (kept ? `The last good checkpoint is ${kept}; lower lr or add warmupSteps, then resume with --resume.` : 'No checkpoint was written yet.'),
            )
          }
          throw e
        }
        globalStep++
        stepInEpoch++
        windowImages += batch.size
        const seconds = (Date.now() - windowStart) / 1000
        const report = {
          epoch,
          epochs: c.epochs,
          stepInEpoch: stepInEpoch - 1,
          stepsPerEpoch,
          globalStep,
          totalSteps,
          loss: r.loss,
          accuracy: r.accuracy,
          lr,
          imagesPerSecond: windowImages / Math.max(seconds, 1e-3),
        }
        const logNow = globalStep % c.logEverySteps === 0 || globalStep === totalSteps
        o.progress.step(report, logNow)
        if (logNow) {
          last = { epoch, step: stepInEpoch - 1, globalStep, loss: r.loss, accuracy: r.accuracy, lr, imagesPerSecond: report.imagesPerSecond, time: new Date().toISOString() }
          fs.appendFileSync(metricsPath(o.out), JSON.stringify(last) + '\n')
          metricsLines++
          windowStart = Date.now()
          windowImages = 0
        }
        if (o.haltAfterStep !== undefined && globalStep >= o.haltAfterStep) return { modelDir: '', steps: globalStep, last, stoppedEarly: true }
        const epochDone = stepInEpoch === stepsPerEpoch
        const periodic = c.checkpointEverySteps > 0 && globalStep % c.checkpointEverySteps === 0
        if (epochDone || periodic || globalStep === totalSteps) {
          const next = epochDone ? { epoch: epoch + 1, stepInEpoch: 0 } : { epoch, stepInEpoch }
          const dir = await checkpoint({ ...next, globalStep, metricsLines })
          if (epochDone) o.progress.note(`epoch ${epoch + 1}/${c.epochs} done; checkpoint ${dir}`)
        }
      }
    }
    const modelDir = path.join(o.out, 'model')
    await saveModel(t.model, modelDir)
    writeModelInfo(modelDir, modelInfo(c))
    writeCurves(o.out)
    o.progress.done()
    return { modelDir, steps: globalStep, last, stoppedEarly: false }
  } finally {
    disposeTrainee(t)
  }
}
