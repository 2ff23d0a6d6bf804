/**
 * The evaluation `pam train` runs when training ends: the synthetic set's own FF / FP test split
 * (already aligned crops, exact yaw from its yaw.csv), CFP's held-out splits when the model
 * trained on CFP's protocol, and CFP when the config names it (the held-out splits only when it
 * is the copy the model trained on: the other splits' identities were seen in training).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { formatResults, runEvaluation } from '../../infer/evaluate'
import { disposeModel, loadCheckpoint } from '../../infer/model'
import { progressReporter } from '../../infer/progress'
import { cfpSource, type EvalSource } from '../../infer/sources'
import { heldOutCfpSource } from '../../experiment/evaluate'
import { syntheticTestDir } from '../../train/data-source'
import type { AfterTraining } from './train'

const protocolsOf = (p: 'FF' | 'FP' | 'both' | undefined) => (p === 'FF' ? (['FF'] as const) : p === 'FP' ? (['FP'] as const) : (['FF', 'FP'] as const))

export const evaluateAfterTraining: AfterTraining = async (c, result, log) => {
  const sources: EvalSource[] = []
  const synth = syntheticTestDir(c)
  if (synth) sources.push(cfpSource(synth, ['FF', 'FP'], path.join(synth, 'yaw.csv'), true))
  const trainedOnCfp = c.data.kind === 'cfp' ? c.data : undefined
  if (trainedOnCfp) sources.push(heldOutCfpSource(trainedOnCfp.dir, protocolsOf(c.eval.protocol), trainedOnCfp.testSplits))
  const sameCopy = trainedOnCfp !== undefined && c.eval.cfp !== undefined && path.resolve(c.eval.cfp) === path.resolve(trainedOnCfp.dir)
  if (c.eval.cfp && !sameCopy) sources.push(cfpSource(c.eval.cfp, protocolsOf(c.eval.protocol), c.eval.yawFile))
  if (sources.length === 0) return
  const m = await loadCheckpoint(result.modelDir)
  try {
    const sink = { isTTY: process.stderr.isTTY === true, write: (s: string) => process.stderr.write(s) }
    const results = await runEvaluation([m], sources, { progress: (_, s) => progressReporter(sink, `embedding ${s.label}`) })
    const text = formatResults(results)
    log(`\nverification (10 folds, flip-fused embeddings):\n${text}`)
    fs.writeFileSync(path.join(path.dirname(result.modelDir), 'verification.txt'), text)
  } finally {
    disposeModel(m.model)
  }
}
