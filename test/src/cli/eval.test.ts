import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import * as tf from '@tensorflow/tfjs-core'
import { evalCommand } from '../../../src/cli/commands/eval'
import { evaluatePairsCsv } from '../../../src/eval/pairs-csv'
import { formatPercent } from '../../../src/eval/report'
import { bufferIo } from '../../../src/infer/cli-io'
import { useBackend } from '../../helpers/wasm'
import { encodePng } from '../../../src/image/codec'
import { encodeBin, rejection, saveTinyCheckpoint, synthImage, TINY_FLAGS, writeSynthBin } from '../infer/helpers'

const MINI = path.resolve(__dirname, '../../../../test/fixtures/eval/cfp-mini')
const IO_FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/io')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-eval-cli-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

const ckpt = path.join(tmp, 'ckpt')
const lfw = path.join(tmp, 'lfw.bin')
t.before(async () => {
  await useBackend('wasm')
  await saveTinyCheckpoint(ckpt)
  writeSynthBin(lfw, 20)
})

/** Runs `pam eval argv`; returns exit code and output. */
const run = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = bufferIo()
  const code = await evalCommand(argv, io)
  return { code, out: io.stdout(), err: io.stderr() }
}

/** The accuracy cells of `model`'s row in the printed table, by column. */
const row = (out: string, model: string): Record<string, string> => {
  const lines = out.split('\n')
  const columns = lines[0].split(/\s{2,}/).slice(1)
  const cells = (lines.find((l) => l.startsWith(model)) as string).slice(model.length).trim().split(/\s{2,}/)
  return Object.fromEntries(columns.map((c, i) => [c, cells[i]]))
}

t.test('a .bin set with a saved checkpoint: table, metric lines, progress, and a pairs CSV that reproduces it', async (t) => {
  const csv = path.join(tmp, 'lfw-pairs.csv')
  const before = tf.memory().numTensors
  const r = await run(['--checkpoint', ckpt, '--bin', lfw, '--pairs-out', csv, '--batch', '8'])
  t.equal(tf.memory().numTensors, before, 'the model is disposed, nothing leaks')
  t.equal(r.code, 0)
  const label = `IR18+PAM12 [${ckpt}]`
  t.match(r.out, new RegExp(`^Model {2,}LFW\\n-+ {2}-+\\n${label.replace(/[[\]+]/g, '\\$&')} {2,}\\d+\\.\\d\\d ± \\d+\\.\\d\\d\\n`))
  t.match(r.out, /\n {2}LFW: AUC \d\.\d{4} ± \d\.\d{4} \(pooled \d\.\d{4}\), EER [\d.]+ ± [\d.]+ % \(pooled [\d.]+ %\), TAR@FAR=1e-3 [\d.]+ ± [\d.]+ % \(mean FAR [\d.e-]+\)\n/)
  t.equal(row(r.out, label).LFW, formatPercent(evaluatePairsCsv(csv).accuracy), 'the CSV reproduces the printed accuracy')
  t.equal(fs.readFileSync(csv, 'utf8').split('\n')[0], 'fold,issame,distance')
  t.equal(fs.readFileSync(csv, 'utf8').trim().split('\n').length, 21)
  t.match(r.err, /^backend \w+; 1 model, 40 images\nembedding 40 images of .*lfw\.bin with IR18\+PAM12 .*\n {2}8\/40 images \(20%\), [\d.]+ images\/s, ETA .*\n/)
  t.match(r.err, / {2}40\/40 images \(100%\), [\d.]+ images\/s, in \dm\d\ds\nwrote .*lfw-pairs\.csv\n$/)
})

t.test('on a terminal the progress is one bar redrawn in place', async (t) => {
  const io = bufferIo(true)
  t.equal(await evalCommand(['--checkpoint', ckpt, '--bin', lfw, '--batch', '20'], io), 0)
  t.match(io.stderr(), /\r\x1b\[2K {2}\[#{15}\.{15}\] 20\/40 images \(50%\).*\r\x1b\[2K {2}\[#{30}\] 40\/40 images \(100%\).*\n$/)
})

t.test('CFP, both protocols, two models: a column per protocol, a row per model, CSVs per set and model, a report', async (t) => {
  const csv = path.join(tmp, 'cfp.csv')
  const report = path.join(tmp, 'report')
  const r = await run([...TINY_FLAGS, '--checkpoint', ckpt, '--cfp', MINI, '--protocol', 'both', '--pairs-out', csv, '--report', report])
  t.equal(r.code, 0)
  const untrained = 'IR18+PAM12 (untrained, 16px, width 0.0625, embedding 8)'
  const saved = `IR18+PAM12 [${ckpt}]`
  t.match(r.out, /^Model +CFP-FP +CFP-FF\n/)
  t.ok(r.out.indexOf(saved) < r.out.indexOf(untrained), 'checkpoints first, then --model')
  const files = { 'CFP-FF': [1, 2], 'CFP-FP': [1, 2] }
  for (const [set, ms] of Object.entries(files)) {
    for (const m of ms) {
      const file = path.join(tmp, `cfp.${set}.m${m}.csv`)
      t.equal(row(r.out, m === 1 ? saved : untrained)[set], formatPercent(evaluatePairsCsv(file).accuracy), `${file} reproduces the table`)
    }
  }
  const md = fs.readFileSync(path.join(report, 'results.md'), 'utf8')
  t.match(md, `| Model | CFP-FP | CFP-FF |`)
  t.match(md, `### ${saved} — CFP-FP\n\n| Max \\|yaw\\| of pair | Pairs | CFP-FP (%) |`)
  t.match(md, '| 60–90° | 12 |')
  t.match(md, '![ROC curves](roc.svg)')
  const svg = fs.readFileSync(path.join(report, 'roc.svg'), 'utf8')
  t.equal(svg.match(/<polyline/g)?.length, 4, 'one ROC curve per model and set')
})

t.test('one protocol, a yaw file for a .bin set', async (t) => {
  const ff = await run([...TINY_FLAGS, '--cfp', MINI, '--protocol', 'ff'])
  t.match(ff.out, /^Model +CFP-FF\n/)
  t.match(ff.err, /embedding 22 images of /, 'FF reads frontal images only (22 of the 42)')
  const yaw = path.join(tmp, 'lfw-yaw.csv')
  fs.writeFileSync(yaw, 'index,yaw\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 90}`).join('\n'))
  const report = path.join(tmp, 'report-bin')
  const r = await run([...TINY_FLAGS, '--bin', lfw, '--yaw-file', yaw, '--report', report])
  t.equal(r.code, 0)
  t.match(fs.readFileSync(path.join(report, 'results.md'), 'utf8'), /## Accuracy by \|yaw\|[^]*\| 0–30° \| \d+ \|/)
  const noYaw = path.join(tmp, 'report-noyaw')
  await run([...TINY_FLAGS, '--bin', lfw, '--yaw', '20', '--report', noYaw])
  t.notMatch(fs.readFileSync(path.join(noYaw, 'results.md'), 'utf8'), /Accuracy by/, 'one --yaw for all images: no yaw bins')
})

t.test('usage errors: one line each, before anything is read', async (t) => {
  const cases: [string[], string][] = [
    [['--bin', lfw], 'pam eval: name a model: --checkpoint DIR or --model NAME'],
    [['--checkpoint', ckpt], 'pam eval: name the pairs to evaluate: --bin FILE... or --cfp DIR'],
    [['--checkpoint', ckpt, '--bin', lfw, '--cfp', MINI], 'pam eval: --bin and --cfp cannot be combined; evaluate them in separate runs'],
    [['--checkpoint', ckpt, '--bin', lfw, '--yaw', '10', '--yaw-file', 'y.csv'], 'pam eval: --yaw and --yaw-file cannot be combined'],
    [['--checkpoint', ckpt, '--cfp', MINI, '--yaw', '10'], 'pam eval: --yaw applies to --bin sets (CFP takes 0° frontal, 90° profile, or --yaw-file)'],
    [['--checkpoint', ckpt, '--cfp', MINI, '--protocol', 'PF'], 'pam eval: --protocol must be FF, FP or both, got "PF"'],
    [['--checkpoint', ckpt, '--bin', lfw, '--protocol', 'FF'], 'pam eval: --protocol applies to --cfp only'],
    [['--checkpoint', ckpt, '--bin', lfw, '--size', '56'], 'pam eval: --size, --width and --embedding shape --model only (a checkpoint has its own)'],
    [['--checkpoint', ckpt, '--bin', lfw, lfw, '--yaw-file', 'y.csv'], 'pam eval: 2 --bin files but 1 --yaw-file; give one yaw file per .bin file, in the same order'],
    [['--checkpoint', ckpt, '--cfp', MINI, '--yaw-file', 'a', '--yaw-file', 'b'], 'pam eval: --cfp takes one --yaw-file, got 2'],
    [['--checkpoint', ckpt, '--bin', lfw, '--yaw', 'left'], "pam eval: --yaw: yaw 'left' is not a number"],
    [['--checkpoint', ckpt, '--bin', lfw, '--batch', '0'], 'pam eval: --batch must be an integer in [1, ∞], got "0"'],
    [['--checkpoint', ckpt, 'lfw.bin'], 'pam eval: unexpected argument "lfw.bin"'],
    [['--checkpoint', ckpt, '--bins', lfw], 'pam eval: unknown flag --bins (valid: --checkpoint --model --size --width --embedding --bin --yaw --yaw-file --cfp --aligned --protocol --pairs-out --report --batch --backend --help)'],
    [['--model', 'IR51', '--bin', lfw], 'pam eval: unknown model "IR51": depth 51 is not one of 18, 34, 50, 100 (or 101), 152'],
    [['--checkpoint', path.join(tmp, 'nope'), '--bin', lfw], `${path.join(tmp, 'nope')}: no such directory`],
    [['--checkpoint', ckpt, '--bin', lfw, path.join(tmp, 'lfw.bin')], `pam eval: ${lfw} and ${lfw} both make the column LFW; evaluate them in separate runs`],
    [['--checkpoint', ckpt, '--bin', lfw, '--backend', 'gpu'], 'pam eval: unknown backend "gpu" (available: cpu, wasm)'],
  ]
  for (const [argv, message] of cases) t.equal(await rejection(() => run(argv)), message, argv.join(' '))
  const help = await run(['--help'])
  t.equal(help.code, 0)
  t.match(help.out, /^usage: pam eval /)
})

t.test('bad input stops with one line naming the file and the item', async (t) => {
  const oneLine = (m: string): string => (m.includes('\n') ? `MULTI-LINE: ${m}` : m)
  // a truncated .bin
  const bytes = fs.readFileSync(lfw)
  const cut = path.join(tmp, 'cut.bin')
  fs.writeFileSync(cut, bytes.subarray(0, 1000))
  t.match(oneLine(await rejection(() => run([...TINY_FLAGS, '--bin', cut]))), new RegExp(`^${cut}: truncated at offset \\d+: [^\\n]+$`))
  // an image that does not decode
  const images = Array.from({ length: 20 }, (_, i) => new Uint8Array(encodePng(synthImage(i, 0))))
  images[13] = Uint8Array.from([1, 2, 3, 4, 5, 6, 7])
  const broken = path.join(tmp, 'broken.bin')
  fs.writeFileSync(broken, encodeBin(images, Array.from({ length: 10 }, (_, i) => i % 2 === 0)))
  t.equal(await rejection(() => run([...TINY_FLAGS, '--bin', broken])), `${broken}: image 13 (pair 6): image does not decode (neither JPEG nor PNG; 7 bytes)`)
  // lists of different lengths: images vs flags, yaw file vs images, CFP same vs diff
  const mismatch = path.join(IO_FIXTURES, 'pairs_mismatch.bin')
  t.equal(await rejection(() => run([...TINY_FLAGS, '--bin', mismatch])), `${mismatch}: 7 images for 4 pairs; expected 2 per pair`)
  const shortYaw = path.join(tmp, 'short-yaw.csv')
  fs.writeFileSync(shortYaw, Array.from({ length: 39 }, (_, i) => `${i},0`).join('\n'))
  t.equal(await rejection(() => run([...TINY_FLAGS, '--bin', lfw, '--yaw-file', shortYaw])), `${shortYaw}: 39 rows for the 40 images of ${lfw}; no yaw for image 39`)
  const cfp = path.join(tmp, 'cfp-broken')
  fs.cpSync(MINI, cfp, { recursive: true })
  const diff = path.join(cfp, 'Protocol/Split/FP/02/diff.txt')
  fs.writeFileSync(diff, fs.readFileSync(diff, 'utf8').trim().split('\n').slice(0, 2).join('\n') + '\n')
  t.equal(await rejection(() => run([...TINY_FLAGS, '--cfp', cfp])), `${path.join(cfp, 'Protocol/Split/FP/02')}: same.txt has 3 pairs but diff.txt has 2`)
  // a pair pointing at a missing image
  fs.rmSync(path.join(cfp, 'Data/Images/033/frontal/10.jpg'))
  t.equal(
    await rejection(() => run([...TINY_FLAGS, '--cfp', cfp, '--protocol', 'FF'])),
    `${path.join(cfp, 'Protocol/Split/FF/01/same.txt')}:1: image ${path.join(cfp, 'Data/Images/033/frontal/10.jpg')} does not exist`,
  )
  // a CFP image that does not decode (found when the model reaches it)
  const cfp2 = path.join(tmp, 'cfp-undecodable')
  fs.cpSync(MINI, cfp2, { recursive: true })
  const jpg = path.join(cfp2, 'Data/Images/033/frontal/08.jpg')
  fs.writeFileSync(jpg, fs.readFileSync(jpg).subarray(0, 200))
  t.match(await rejection(() => run([...TINY_FLAGS, '--cfp', cfp2])), new RegExp(`^${jpg}: image does not decode \\([^\\n]+\\)$`))
})
