/**
 * ROC curves as a standalone SVG: TAR against FAR on a log axis, the view the face-recognition
 * literature uses because the operating points of interest are FAR 1e-3 … 1e-6.
 *
 * FARs below the axis minimum (FAR 0 included) cannot sit on a log axis: each curve starts at the
 * left edge with the TAR reached there.
 *
 * The exact ROC of a 6000-pair set has up to 6001 points; points closer than half a pixel to the
 * last one drawn are dropped, which leaves the picture unchanged and the file small.
 */
import { COLOURS, escapeXml } from '../plot/svg'
import type { RocPoint } from './metrics'

export interface RocSeries {
  readonly label: string
  readonly roc: readonly RocPoint[]
}

export interface RocSvgOptions {
  readonly width?: number
  readonly height?: number
  /** Left end of the FAR axis; FARs below it (including 0) are drawn at it. Default 1e-4. */
  readonly minFar?: number
  readonly title?: string
}

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString()

/** Curves → SVG text (one polyline a series, legend in the lower right). */
export const rocSvg = (series: readonly RocSeries[], options: RocSvgOptions = {}): string => {
  const width = options.width ?? 640
  const height = options.height ?? 480
  const minFar = options.minFar ?? 1e-4
  const m = { left: 60, right: 20, top: options.title === undefined ? 20 : 40, bottom: 50 }
  const pw = width - m.left - m.right
  const ph = height - m.top - m.bottom
  const decades = Math.log10(1 / minFar)
  const x = (far: number): number => m.left + (pw * (Math.log10(Math.max(far, minFar)) + decades)) / decades
  const y = (tar: number): number => m.top + ph * (1 - tar)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ]
  if (options.title !== undefined) {
    out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`)
  }
  for (let d = 0; d <= decades; d++) {
    const far = minFar * 10 ** d
    const xd = fmt(x(far))
    out.push(`<line x1="${xd}" y1="${m.top}" x2="${xd}" y2="${m.top + ph}" stroke="#ddd"/>`)
    out.push(`<text x="${xd}" y="${m.top + ph + 16}" text-anchor="middle">${d === decades ? '1' : `1e${Math.round(Math.log10(far))}`}</text>`)
  }
  for (let k = 0; k <= 10; k += 2) {
    const yt = fmt(y(k / 10))
    out.push(`<line x1="${m.left}" y1="${yt}" x2="${m.left + pw}" y2="${yt}" stroke="#ddd"/>`)
    out.push(`<text x="${m.left - 6}" y="${yt}" text-anchor="end" dominant-baseline="middle">${(k / 10).toFixed(1)}</text>`)
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="black"/>`)
  out.push(`<text x="${m.left + pw / 2}" y="${height - 12}" text-anchor="middle">FAR (log scale)</text>`)
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">TAR</text>`)
  series.forEach((s, i) => {
    const pts: string[] = []
    let lx = NaN
    let ly = NaN
    // Below minFar the curve would pile up on the left edge: start it at the last such point.
    const firstShown = Math.max(0, s.roc.findIndex((p) => p.far >= minFar) - 1)
    s.roc.forEach((p, k) => {
      if (k < firstShown) return
      const px = x(p.far)
      const py = y(p.tar)
      const last = k === s.roc.length - 1
      if (!last && Math.abs(px - lx) < 0.5 && Math.abs(py - ly) < 0.5) return
      pts.push(`${fmt(px)},${fmt(py)}`)
      lx = px
      ly = py
    })
    const colour = COLOURS[i % COLOURS.length]
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${pts.join(' ')}"/>`)
    const ly2 = m.top + ph - 12 - 16 * (series.length - 1 - i)
    out.push(`<line x1="${m.left + pw - 150}" y1="${ly2}" x2="${m.left + pw - 130}" y2="${ly2}" stroke="${colour}" stroke-width="2"/>`)
    out.push(`<text x="${m.left + pw - 124}" y="${ly2}" dominant-baseline="middle">${escapeXml(s.label)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}
