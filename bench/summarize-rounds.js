// Medians and ratios of `bench/rounds.sh` output: one line per mode and model with the median
// images/s of each label, tfjs / PyTorch, tfjs / baseline, and IR50+PAM12's step time over IR50's.
// Usage: node bench/summarize-rounds.js rounds.jsonl
const fs = require('fs')
const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const groups = new Map()
for (const l of lines) {
  const key = `${l.mode} ${l.model}`
  const g = groups.get(key) ?? {}
  ;(g[l.label] ??= []).push(l)
  groups.set(key, g)
}
const ips = (g, label) => (g[label] ? median(g[label].map((l) => l.imagesPerSecond)) : undefined)
const ms = (g, label) => (g[label] ? median(g[label].map((l) => l.msPerStep)) : undefined)
const rss = (g, label) => (g[label] ? Math.max(...g[label].map((l) => l.peakRssBytes)) : undefined)
const f = (x, d = 3) => (x === undefined ? '-' : x.toFixed(d))
for (const [key, g] of groups) {
  const [t, p, b] = ['tfjs', 'pytorch', 'baseline'].map((l) => ips(g, l))
  const runs = (g.tfjs ?? []).map((l) => l.imagesPerSecond.toFixed(3)).join(', ')
  console.log(
    `${key.padEnd(17)} tfjs ${f(t)} img/s [${runs}] (${f(ms(g, 'tfjs') / 1000, 2)} s/step, peak RSS ${f(rss(g, 'tfjs') / 1e9, 2)} GB)  PyTorch ${f(p)}  ratio ${f(t / p, 2)}×` +
      (b === undefined ? '' : `  baseline ${f(b)} → ×${f(t / b, 2)}`),
  )
}
for (const mode of ['train', 'infer']) {
  const [a, b] = [groups.get(`${mode} IR50`), groups.get(`${mode} IR50+PAM12`)]
  if (a && b) console.log(`${mode}: IR50+PAM12 / IR50 step time, tfjs ${f(ms(b, 'tfjs') / ms(a, 'tfjs'), 3)}×, PyTorch ${f(ms(b, 'pytorch') / ms(a, 'pytorch'), 3)}×`)
}
// Per round, adjacent measurements share the host's speed better than the medians do: the
// ratios taken inside each round, then their median.
const rounds = [...new Set(lines.map((l) => l.round))]
const inRound = (mode, model, label, r) => lines.find((l) => l.mode === mode && l.model === model && l.label === label && l.round === r)
for (const mode of ['train', 'infer']) {
  const pam = rounds.map((r) => [inRound(mode, 'IR50', 'tfjs', r), inRound(mode, 'IR50+PAM12', 'tfjs', r)]).filter(([a, b]) => a && b).map(([a, b]) => b.msPerStep / a.msPerStep)
  const vsTorch = rounds.flatMap((r) => ['IR50', 'IR50+PAM12'].map((m) => [inRound(mode, m, 'tfjs', r), inRound(mode, m, 'pytorch', r)])).filter(([a, b]) => a && b).map(([a, b]) => a.imagesPerSecond / b.imagesPerSecond)
  if (pam.length) console.log(`${mode} per round: IR50+PAM12 / IR50 step time ${pam.map((x) => x.toFixed(3)).join(', ')} (median ${median(pam).toFixed(3)}); tfjs / PyTorch ${vsTorch.map((x) => x.toFixed(2)).join(', ')} (median ${median(vsTorch).toFixed(2)})`)
}
