/**
 * A point chart with error bars, grouped: one group per evaluation set along x, one point per
 * variant inside it (mean, with a bar of ± the spread), and the values behind the spread (folds,
 * splits or seeds) as small open dots beside it. SVG, dependency-free, as src/plot/line-chart.
 */
import { COLOURS, escapeXml as esc, niceTicks } from '../plot/svg'

export interface ErrorPoint {
  readonly group: string
  readonly mean: number
  readonly spread: number
  /** The individual values behind the spread. */
  readonly values: readonly number[]
}

export interface ErrorSeries {
  readonly label: string
  readonly points: readonly ErrorPoint[]
}

export interface ErrorChartOptions {
  readonly title: string
  readonly yLabel: string
  /** A line under the title (what the bars are). */
  readonly subtitle?: string
  readonly width?: number
  readonly height?: number
}

export const errorBarChartSvg = (series: readonly ErrorSeries[], groups: readonly string[], o: ErrorChartOptions): string => {
  const legendWidth = Math.min(260, 24 + 7 * Math.max(8, ...series.map((s) => s.label.length)))
  const w = o.width ?? Math.max(520, 140 * groups.length + legendWidth + 80, 7 * (o.subtitle?.length ?? 0) + 40, 8 * o.title.length + 40)
  const h = o.height ?? 420
  const m = { left: 64, right: legendWidth + 16, top: o.subtitle ? 52 : 36, bottom: 48 }
  const all = series.flatMap((s) => s.points.flatMap((p) => [p.mean - p.spread, p.mean + p.spread, ...p.values])).filter(Number.isFinite)
  let [y0, y1] = all.length ? [Math.min(...all), Math.max(...all)] : [0, 1]
  const pad = (y1 - y0) * 0.08 || 1
  y0 -= pad
  y1 += pad
  const plotW = w - m.left - m.right
  const groupW = plotW / Math.max(1, groups.length)
  const slot = groupW / (series.length + 1)
  const sy = (y: number) => h - m.bottom - ((y - y0) / (y1 - y0 || 1)) * (h - m.top - m.bottom)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
  ]
  if (o.subtitle) parts.push(`<text x="${w / 2}" y="38" text-anchor="middle" fill="#555">${esc(o.subtitle)}</text>`)
  for (const t of niceTicks(y0, y1, 6)) {
    parts.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#ddd"/>`)
    parts.push(`<text x="${m.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`)
  }
  groups.forEach((g, gi) => {
    parts.push(`<text x="${(m.left + groupW * (gi + 0.5)).toFixed(1)}" y="${h - m.bottom + 18}" text-anchor="middle">${esc(g)}</text>`)
    if (gi > 0) parts.push(`<line x1="${(m.left + groupW * gi).toFixed(1)}" x2="${(m.left + groupW * gi).toFixed(1)}" y1="${m.top}" y2="${h - m.bottom}" stroke="#eee"/>`)
  })
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${h - m.top - m.bottom}" fill="none" stroke="#333"/>`)
  parts.push(`<text transform="translate(16 ${(m.top + (h - m.bottom)) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`)
  series.forEach((s, si) => {
    const c = COLOURS[si % COLOURS.length]
    for (const p of s.points) {
      const gi = groups.indexOf(p.group)
      if (gi < 0 || !Number.isFinite(p.mean)) continue
      const x = m.left + groupW * gi + slot * (si + 1)
      const [top, bottom] = [sy(p.mean + p.spread), sy(p.mean - p.spread)]
      parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${top.toFixed(1)}" y2="${bottom.toFixed(1)}" stroke="${c}" stroke-width="1.5"/>`)
      for (const yy of [top, bottom]) parts.push(`<line x1="${(x - 5).toFixed(1)}" x2="${(x + 5).toFixed(1)}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="${c}" stroke-width="1.5"/>`)
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${sy(p.mean).toFixed(1)}" r="4" fill="${c}"/>`)
      for (const v of p.values) parts.push(`<circle cx="${(x + 9).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="2" fill="none" stroke="${c}" stroke-opacity="0.6"/>`)
    }
    const ly = m.top + 10 + si * 18
    parts.push(`<circle cx="${w - m.right + 22}" cy="${ly}" r="4" fill="${c}"/>`)
    parts.push(`<text x="${w - m.right + 32}" y="${ly + 4}">${esc(s.label)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}
