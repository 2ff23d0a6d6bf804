/**
 * A small SVG line chart (linear axes, several series, a legend): the training curves and the
 * experiment plots. SVG keeps it dependency-free and readable in any browser or viewer.
 */
import { COLOURS, escapeXml as esc, niceTicks as ticks } from './svg'

export interface Series {
  readonly label: string
  readonly points: ReadonlyArray<readonly [number, number]>
}

export interface ChartOptions {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly width?: number
  readonly height?: number
  /** Fixed y range; default: the data's range. */
  readonly yRange?: readonly [number, number]
}

export const lineChartSvg = (series: readonly Series[], o: ChartOptions): string => {
  const w = o.width ?? 640
  const h = o.height ?? 400
  const m = { left: 64, right: 16, top: 36, bottom: 48 }
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
  const xs = all.map((p) => p[0])
  const ys = all.map((p) => p[1])
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1]
  const [y0, y1] = o.yRange ?? (ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1])
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * (w - m.left - m.right)
  const sy = (y: number) => h - m.bottom - ((y - y0) / (y1 - y0 || 1)) * (h - m.top - m.bottom)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
  ]
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${m.left}" x2="${w - m.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#ddd"/>`)
    parts.push(`<text x="${m.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`)
  }
  for (const t of ticks(x0, x1)) parts.push(`<text x="${sx(t).toFixed(1)}" y="${h - m.bottom + 16}" text-anchor="middle">${t}</text>`)
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${w - m.left - m.right}" height="${h - m.top - m.bottom}" fill="none" stroke="#333"/>`)
  parts.push(`<text x="${w / 2}" y="${h - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`)
  parts.push(`<text transform="translate(16 ${h / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`)
  series.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length]
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.join(' ')}"/>`)
    else if (pts.length === 1) parts.push(`<circle cx="${pts[0].split(',')[0]}" cy="${pts[0].split(',')[1]}" r="3" fill="${c}"/>`)
    parts.push(`<rect x="${w - m.right - 150}" y="${m.top + 8 + i * 18}" width="12" height="3" fill="${c}"/>`)
    parts.push(`<text x="${w - m.right - 132}" y="${m.top + 13 + i * 18}">${esc(s.label)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n')
}
