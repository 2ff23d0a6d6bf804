/**
 * Progress of an embedding run on stderr: on a terminal one bar redrawn in place; otherwise
 * plain lines, one at each further 10 % and at least one a minute, so a log file shows the rate
 * without thousands of lines.
 */
import { formatDuration } from '../train/progress'
import type { EmbedProgress } from './embed'

/** Where progress goes: stderr in the CLI, a buffer in tests. */
export interface TextSink {
  write(text: string): void
  readonly isTTY: boolean
}

export const formatProgress = (p: EmbedProgress): string => {
  const pct = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total)
  const rate = `${p.imagesPerSecond.toFixed(1)} images/s`
  const time = p.done >= p.total ? `in ${formatDuration(p.elapsedSeconds)}` : `ETA ${formatDuration((p.total - p.done) / Math.max(p.imagesPerSecond, 1e-9))}`
  return `${p.done}/${p.total} images (${pct}%), ${rate}, ${time}`
}

export interface ProgressReporter {
  update(p: EmbedProgress): void
  /** Ends the bar's line (a terminal) — call before writing anything else. */
  done(): void
}

/** A reporter for one embedding run, announced by `title` (`embedding 7000 images of …`). */
export const progressReporter = (sink: TextSink, title: string, width = 30): ProgressReporter => {
  sink.write(`${title}\n`)
  let open = false
  let nextPct = 10
  let lastLine = 0
  return {
    update(p) {
      if (sink.isTTY) {
        const filled = p.total === 0 ? width : Math.round((width * p.done) / p.total)
        sink.write(`\r\x1b[2K  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatProgress(p)}`)
        open = true
        return
      }
      const pct = p.total === 0 ? 100 : (100 * p.done) / p.total
      if (pct >= nextPct || p.done >= p.total || p.elapsedSeconds - lastLine >= 60) {
        sink.write(`  ${formatProgress(p)}\n`)
        while (nextPct <= pct) nextPct += 10
        lastLine = p.elapsedSeconds
      }
    },
    done() {
      if (open) sink.write('\n')
      open = false
    },
  }
}
