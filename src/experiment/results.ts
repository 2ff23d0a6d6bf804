/**
 * A finished run's record, `OUT/runs/<id>/results.json`: what was trained (the resolved config
 * and data), what it was scored on, and the outcome per evaluation set, per fold and per pair.
 * Its presence marks the run as done; it is written atomically, last.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { writeFileAtomic } from '../persist/model-dir'
import { PamError } from '../util/errors'
import type { SetOutcome } from './evaluate'
import type { EvalSpec, PlanData, RunSpec } from './plan'

export const RESULTS_FILE = 'results.json'
export const SESSIONS_FILE = 'sessions.jsonl'

export interface TrainingSummary {
  /** Optimiser steps in all. */
  readonly steps: number
  /** The last logged training loss and (margin-free top-1) accuracy. */
  readonly loss?: number
  readonly accuracy?: number
  /** Wall time of the training sessions that ended (a resumed run has several; one killed mid-way is not counted). */
  readonly seconds: number
  readonly sessions: number
}

/** What a finished run records: its identity (as the plan's `RunSpec` names it) and outcome. */
export interface RunResults extends Pick<RunSpec, 'id' | 'name' | 'label' | 'model' | 'seed' | 'testSplit'> {
  readonly version: 1
  /** The training config as `encodeConfig` writes it. */
  readonly config: unknown
  readonly data: PlanData
  readonly eval: readonly EvalSpec[]
  /** Trainable parameters of the embedding network (static audit; the ArcFace head excluded). */
  readonly params: number
  readonly training: TrainingSummary
  readonly sets: readonly SetOutcome[]
  readonly backend: string
  readonly finishedAt: string
}

export const resultsPath = (runDir: string): string => path.join(runDir, RESULTS_FILE)

/** The run's results, or undefined when it has none yet. */
export const readResults = (runDir: string): RunResults | undefined => {
  const file = resultsPath(runDir)
  if (!fs.existsSync(file)) return undefined
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunResults
    if (r.version !== 1 || !Array.isArray(r.sets)) throw new Error('not a results file of version 1')
    return r
  } catch (e) {
    throw new PamError(`${file}: cannot read the run's results (${(e as Error).message}); delete it to evaluate the run again`)
  }
}

export const writeResults = (runDir: string, r: RunResults): void => writeFileAtomic(resultsPath(runDir), JSON.stringify(r, null, 1) + '\n')

export interface Session {
  readonly started: string
  readonly seconds: number
  readonly fromStep: number
  readonly toStep: number
}

export const appendSession = (runDir: string, s: Session): void => fs.appendFileSync(path.join(runDir, SESSIONS_FILE), JSON.stringify(s) + '\n')

export const readSessions = (runDir: string): Session[] => {
  const file = path.join(runDir, SESSIONS_FILE)
  if (!fs.existsSync(file)) return []
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Session]
      } catch {
        return [] // a line cut by a kill
      }
    })
}
