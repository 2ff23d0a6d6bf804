/**
 * What every SVG plot of the project shares: the palette, XML escaping and round axis ticks.
 */

/** Matplotlib's tab10 order, so curves look familiar. */
export const COLOURS: readonly string[] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf']

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** About `count` round tick values in [lo, hi]: 1, 2 or 5 times a power of ten apart. */
export const niceTicks = (lo: number, hi: number, count = 5): number[] => {
  const span = hi - lo || 1
  const raw = span / count
  const mag = Math.pow(10, Math.floor(Math.log10(raw)))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}
