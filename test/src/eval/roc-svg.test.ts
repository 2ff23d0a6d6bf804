import t from 'tap'
import { rocCurve, sortPairs } from '../../../src/eval/metrics'
import { rocSvg } from '../../../src/eval/roc-svg'

const roc = (same: number[], diff: number[]) =>
  rocCurve(sortPairs([...same, ...diff], [...same.map(() => true), ...diff.map(() => false)]))

t.test('one polyline a series on a log FAR axis', async (t) => {
  const svg = rocSvg([
    { label: 'IR50', roc: roc([1, 3], [2, 4]) },
    { label: 'PAM <12> & co', roc: roc([1], [2]) },
  ])
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="640" height="480"/)
  t.ok(svg.trimEnd().endsWith('</svg>'))
  const polylines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1])
  t.equal(polylines.length, 2)
  // Plot area x 60..620, y 20..430. FAR 0 points start at the left edge at the TAR reached
  // (0.5); FAR 0.5 sits at 60 + 560 · (log10 0.5 + 4) / 4 = 577.9; FAR 1 at the right edge.
  t.equal(polylines[0], '60,225 577.9,225 577.9,20 620,20')
  t.equal(polylines[1], '60,20 620,20')
  t.match(svg, />PAM &lt;12&gt; &amp; co</)
  for (const tick of ['1e-4', '1e-3', '1e-2', '1e-1', '1']) t.match(svg, new RegExp(`>${tick}</text>`))
})

t.test('options: size, axis minimum, title', async (t) => {
  const svg = rocSvg([{ label: 'x', roc: roc([1, 3], [2, 4]) }], { width: 300, height: 200, minFar: 1e-2, title: 'CFP-FP' })
  t.match(svg, /width="300" height="200"/)
  t.match(svg, />CFP-FP</)
  t.notMatch(svg, />1e-3</)
  // Plot area x 60..280, y 40..150: FAR 0.5 at 60 + 220 · (log10 0.5 + 2) / 2 = 246.9.
  t.match(svg, /points="60,95 246.9,95 246.9,40 280,40"/)
})

t.test('close points are thinned, the last point is kept', async (t) => {
  const n = 6000
  const same = Array.from({ length: n / 2 }, (_, i) => i / n)
  const diff = Array.from({ length: n / 2 }, (_, i) => 0.25 + i / n)
  const svg = rocSvg([{ label: 'big', roc: roc(same, diff) }])
  const points = /points="([^"]*)"/.exec(svg)?.[1].split(' ') ?? []
  t.ok(points.length < 1500, `${points.length} points`)
  t.equal(points[points.length - 1], '620,20')
})
