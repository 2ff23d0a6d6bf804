import t from 'tap'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { decodeConfig, encodeConfig, PAPER_DEFAULTS, readConfig } from '../../../src/train/config'

t.test('the paper\'s values are the defaults', async (t) => {
  const r = decodeConfig({ data: { kind: 'folder', root: 'faces', yawCsv: 'faces/yaw.csv' } })
  if (E.isLeft(r)) return t.fail(r.left.join('\n'))
  t.equal(r.right.lr, 0.1)
  t.same(r.right.milestones, [10, 18, 22])
  t.equal(r.right.epochs, 24)
  t.equal(r.right.batchSize, 256)
  t.equal(r.right.momentum, 0.9)
  t.equal(r.right.weightDecay, 5e-4)
  t.same(r.right.head, { kind: 'arcface', s: 64, m: 0.5 })
  t.equal(r.right.flip, 0.5)
  t.equal(r.right.model, PAPER_DEFAULTS.model)
})

t.test('every bad field is named, with what was expected and what was found', async (t) => {
  const r = decodeConfig({
    model: 'IR50+PAM21',
    data: { kind: 'synthetic', dir: 'x', identities: -3 },
    batchSize: 0,
    milestones: [18, 10],
    head: { kind: 'arcface', s: 64, m: 2 },
    flip: 1.5,
    lr: 'fast',
    epoch: 24,
  })
  t.same(r, E.left([
    'epoch: unknown field (valid: model, size, width, embedding, dropout, data, eval, epochs, batchSize, lr, milestones, gamma, warmupSteps, momentum, weightDecay, excludeBatchNormFromDecay, head, flip, seed, checkpointEverySteps, logEverySteps, maxSteps, init)',
    'model: unknown model "IR50+PAM21": PAM stages must be distinct digits 1-4 in ascending order, got 21, got "IR50+PAM21"',
    'data.identities: expected an integer ≥ 1, got -3',
    'batchSize: expected a positive integer, got 0',
    'lr: expected a number > 0, got "fast"',
    'milestones: expected ascending epoch numbers, such as [10, 18, 22], got [18,10]',
    'head.m: expected a margin in [0, π/2), got 2',
    'flip: expected a number in [0, 1], got 1.5',
  ]))
  t.same(decodeConfig({ data: { kind: 'lmdb' } }), E.left(['data.kind: expected one of "synthetic", "folder", "recordio", "cfp", got "lmdb"']))
  t.same(
    decodeConfig({ data: { kind: 'cfp', dir: 'cfp', testSplits: [10, 0] } }),
    E.left(['data.testSplits.1: expected a split number (an integer ≥ 1), got 0']),
  )
  t.same(decodeConfig({ data: { kind: 'cfp', dir: 'cfp', testSplits: [] } }), E.left(['data.testSplits: expected a non-empty list of split numbers, got []']))
  t.same(decodeConfig([]), E.left(['(top level): expected a JSON object']))
})

t.test('a config file: refused before any work, naming the file; written back by the same codec', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-config-'))
  const bad = path.join(dir, 'bad.json')
  fs.writeFileSync(bad, JSON.stringify({ data: { kind: 'folder', root: 'a' }, epochs: 0 }))
  t.throws(() => readConfig(bad), { message: `${bad}: invalid config\n  data.yawCsv: expected a non-empty string, got nothing\n  epochs: expected a positive integer, got 0` })
  const broken = path.join(dir, 'broken.json')
  fs.writeFileSync(broken, '{ "data": ')
  t.throws(() => readConfig(broken), { message: new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the config \\(`) })
  t.throws(() => readConfig(path.join(dir, 'none.json')), { message: `${path.join(dir, 'none.json')}: cannot read the config (no such file)` })
  const good = path.join(dir, 'good.json')
  fs.writeFileSync(good, JSON.stringify({ model: 'ir18+pam12', data: { kind: 'synthetic', dir: 'd' } }))
  const c = readConfig(good)
  t.equal(c.model, 'IR18+PAM12', 'model names are stored canonical')
  const again = path.join(dir, 'again.json')
  fs.writeFileSync(again, encodeConfig(c))
  t.same(readConfig(again), c, 'encode → decode is the identity')
  fs.rmSync(dir, { recursive: true })
})
