/**
 * The learning-rate schedule: step decay at milestones (the paper: 0.1, ÷10 at epochs 10, 18, 22
 * of 24), with an optional linear warm-up over the first steps. Pure: a function of the step.
 */
export interface Schedule {
  readonly lr: number
  /** Epochs (0-based count of finished epochs) at which the rate is multiplied by `gamma`. */
  readonly milestones: readonly number[]
  readonly gamma: number
  /** Linear warm-up from lr/warmupSteps to lr over this many steps (0: none). */
  readonly warmupSteps: number
}

export const PAPER_SCHEDULE: Schedule = { lr: 0.1, milestones: [10, 18, 22], gamma: 0.1, warmupSteps: 0 }

/** The rate for the step `step` (0-based, global) that falls in epoch `epoch` (0-based). */
export const learningRate = (s: Schedule, epoch: number, step: number): number => {
  const decays = s.milestones.filter((m) => epoch >= m).length
  const base = s.lr * Math.pow(s.gamma, decays)
  return s.warmupSteps > 0 && step < s.warmupSteps ? (base * (step + 1)) / s.warmupSteps : base
}
