import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { contiguousFolds } from '../../../src/eval/folds'
import { evaluatePairsCsv, formatPairsCsv, parsePairsCsv, readPairsCsv, writePairsCsv } from '../../../src/eval/pairs-csv'
import { evaluateVerification } from '../../../src/eval/protocol'

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/eval')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-pairs-csv-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

t.test('golden: the protocol reproduces insightface verification.py on 2000 pairs', async (t) => {
  const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'golden-insightface.json'), 'utf8'))
  const input = readPairsCsv(path.join(FIXTURES, 'golden-pairs.csv'))
  // The CSV's folds are KFold(10, shuffle=False) blocks.
  t.same(Array.from(input.folds), Array.from(contiguousFolds(2000)))
  const r = evaluateVerification(input)
  t.same(r.folds.map((f) => f.threshold), golden.thresholds)
  t.same(r.folds.map((f) => f.accuracy), golden.accuracy)
  t.ok(Math.abs(r.accuracy.mean - golden.accuracyMean) < 1e-12)
  t.ok(Math.abs(r.accuracy.std - golden.accuracyStd) < 1e-12)
  r.folds.forEach((f, i) => {
    t.ok(Math.abs(f.valThreshold - golden.valThreshold[i]) < 1e-12, `fold ${i} VAL threshold ${f.valThreshold}`)
    t.ok(Math.abs(f.auc - golden.auc[i]) < 1e-12, `fold ${i} AUC ${f.auc}`)
  })
  t.same(r.folds.map((f) => f.val), golden.val)
  t.same(r.folds.map((f) => f.far), golden.far)
  t.ok(Math.abs(r.val.mean - golden.valMean) < 1e-12)
  t.ok(Math.abs(r.val.std - golden.valStd) < 1e-12)
  t.ok(Math.abs(r.val.far - golden.farMean) < 1e-12)
  t.ok(Math.abs(r.pooledAuc - golden.pooledAuc) < 1e-12)
  t.ok(Math.abs(r.pooledEer - golden.pooledEer) < 1e-9)
})

t.test('a written CSV reproduces the accuracy exactly', async (t) => {
  // Distances with long binary expansions, to show the text round-trips them bit for bit.
  const distances = Array.from({ length: 40 }, (_, i) => Math.sqrt(i + 0.123) / 3)
  const issame = distances.map((_, i) => i % 3 !== 0)
  const input = { distances, issame, folds: contiguousFolds(40) }
  const file = path.join(tmp, 'pairs.csv')
  writePairsCsv(file, input)
  t.equal(fs.readFileSync(file, 'utf8').split('\n')[0], 'fold,issame,distance')
  t.equal(fs.readFileSync(file, 'utf8').split('\n')[1], `1,0,${distances[0]}`)
  const back = readPairsCsv(file)
  t.same(back.distances, distances)
  t.same(evaluatePairsCsv(file), evaluateVerification(input))
})

t.test('malformed CSV lines name the file and line', async (t) => {
  const ok = formatPairsCsv({ distances: [0.5, 1.5], issame: [true, false], folds: [0, 0] })
  t.equal(ok, 'fold,issame,distance\n1,1,0.5\n1,0,1.5\n')
  t.same(parsePairsCsv('1,1,0.5\r\n\r\n1,0,1.5\r\n', 'p.csv').distances, [0.5, 1.5])
  t.throws(() => parsePairsCsv(`${ok}1,0\n`, 'p.csv'), {
    name: 'PamError',
    message: "p.csv:4: expected 'fold,issame,distance', got '1,0'",
  })
  t.throws(() => parsePairsCsv(`${ok}0,0,1\n`, 'p.csv'), { message: "p.csv:4: fold must be an integer >= 1, got '0,0,1'" })
  t.throws(() => parsePairsCsv(`${ok}1,yes,1\n`, 'p.csv'), { message: "p.csv:4: issame must be 0 or 1, got '1,yes,1'" })
  t.throws(() => parsePairsCsv(`${ok}1,0,abc\n`, 'p.csv'), { message: "p.csv:4: distance must be a number, got '1,0,abc'" })
  t.throws(() => parsePairsCsv('fold,issame,distance\n', 'p.csv'), { message: 'p.csv: no pairs' })
  t.throws(() => parsePairsCsv('1,1,0.5\n3,0,1\n', 'p.csv'), { message: 'p.csv: fold 1 has no pairs (folds are 0..2)' })
  t.throws(() => readPairsCsv(path.join(tmp, 'missing.csv')), {
    message: `${path.join(tmp, 'missing.csv')}: cannot read pairs CSV (ENOENT)`,
  })
})
