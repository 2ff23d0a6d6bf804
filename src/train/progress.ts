/**
 * Progress of a training run: on a terminal, one progress bar redrawn in place (epoch, step,
 * loss, accuracy, lr, images/s, ETA); otherwise plain log lines, one every `logEverySteps`.
 */
export interface StepReport {
  readonly epoch: number
  readonly epochs: number
  readonly stepInEpoch: number
  readonly stepsPerEpoch: number
  readonly globalStep: number
  readonly totalSteps: number
  readonly loss: number
  readonly accuracy: number
  readonly lr: number
  readonly imagesPerSecond: number
}

export interface Progress {
  step(r: StepReport, logLine: boolean): void
  /** A message on its own line (checkpoints, evaluation). */
  note(message: string): void
  done(): void
}

export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '?'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`
}

const eta = (r: StepReport): number => ((r.totalSteps - r.globalStep) * 1) / Math.max(r.imagesPerSecond, 1e-9)

export const formatStep = (r: StepReport, batchSize: number): string =>
  `epoch ${r.epoch + 1}/${r.epochs} step ${r.stepInEpoch + 1}/${r.stepsPerEpoch} loss ${r.loss.toFixed(4)} acc ${(r.accuracy * 100).toFixed(1)}% lr ${r.lr.toPrecision(3)} ${r.imagesPerSecond.toFixed(1)} img/s ETA ${formatDuration(eta(r) * batchSize)}`

/** Progress to a stream; a bar when the stream is a terminal. */
export const streamProgress = (stream: NodeJS.WriteStream, batchSize: number): Progress => {
  const tty = stream.isTTY === true
  let open = false
  const bar = (r: StepReport): string => {
    const width = 24
    const filled = Math.round((width * r.globalStep) / Math.max(1, r.totalSteps))
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatStep(r, batchSize)}`
  }
  return {
    step(r, logLine) {
      if (tty) {
        stream.write(`\r\x1b[2K${bar(r)}`)
        open = true
      } else if (logLine) stream.write(`${formatStep(r, batchSize)}\n`)
    },
    note(message) {
      if (open) stream.write('\n')
      open = false
      stream.write(`${message}\n`)
    },
    done() {
      if (open) stream.write('\n')
      open = false
    },
  }
}
