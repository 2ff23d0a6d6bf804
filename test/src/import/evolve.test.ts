import t from 'tap'
import * as fs from 'fs'
import * as path from 'path'
import { runImport } from '../../../src/cli/commands/import'
import { checkFamily, recogniseKeys } from '../../../src/import/families'
import { importCheckpoint } from '../../../src/import/import-checkpoint'
import { fromTorch } from '../../../src/import/layout'
import { leftInitialisedSummary } from '../../../src/import/transfer'
import { readTorchCheckpoint } from '../../../src/io/torch-checkpoint'
import { loadModel } from '../../../src/persist/model-dir'
import { readModelInfo } from '../../../src/persist/model-info'
import { thrown } from '../io/fixtures'
import { maxRelDiff, useBackend } from '../../helpers/wasm'
import { collector, embed, expected, fixturePath, rejected, relError, tmpDir } from './fixtures'

const fx = expected.fixtures.evolve
const BN_COUNT = fx.keys.filter((k) => k.endsWith('num_batches_tracked')).length

t.before(() => useBackend('wasm'))

for (const file of fx.files) {
  t.test(`${file}: the compiled IR18 gives PyTorch's eval-mode embedding`, async (t) => {
    const r = importCheckpoint(fixturePath(file), { family: 'evolve', model: 'IR18' })
    t.strictSame(
      { missing: r.report.missing, unexpected: r.report.unexpected, mismatched: r.report.mismatched, left: r.report.leftInitialised },
      { missing: [], unexpected: [], mismatched: [], left: [] },
    )
    t.equal(r.report.loaded, fx.keys.length - BN_COUNT, 'every tensor but num_batches_tracked')
    t.equal(r.report.ignored.length, BN_COUNT)
    t.strictSame(r.info, { model: 'IR18', size: 32, width: 1 / 16, embedding: 32, dropout: 0.5 }, 'options read off the checkpoint')
    t.equal(r.checkpoint.format, file.includes('zip') ? 'zip' : 'legacy')
    const e = await embed(r.model)
    const err = relError(e, fx.embeddings)
    t.ok(err < 1e-4, `max |Δ| / max |e| = ${err.toExponential(2)} < 1e-4`)
    t.ok(maxRelDiff(e, fx.embeddings.flat()) < 1e-4, 'elementwise relative (floor 1) < 1e-4')
    r.model.dispose()
  })
}

t.test('the test would notice a Linear imported without the C×H×W → H×W×C reorder', async (t) => {
  const r = importCheckpoint(fixturePath(fx.files[0]), { family: 'evolve', model: 'IR18' })
  const w = readTorchCheckpoint(fixturePath(fx.files[0])).tensors.find((x) => x.name === 'output_layer.3.weight')!
  const kernel = r.model.weights.find((v) => v.originalName === 'head/3/kernel')!
  const plain = fromTorch({ kind: 'dense' }, w, kernel.shape as number[])
  const tf = await import('@tensorflow/tfjs-core')
  kernel.write(tf.tensor(plain.data, [...plain.shape]))
  const err = relError(await embed(r.model), fx.embeddings)
  t.ok(err > 1e-2, `plain transpose: error ${err.toExponential(2)}`)
  r.model.dispose()
})

t.test('PAM and DREAM blocks are left initialised, not reported as problems', async (t) => {
  const plain = importCheckpoint(fixturePath(fx.files[0]), { family: 'evolve', model: 'IR18' })
  const r = importCheckpoint(fixturePath(fx.files[0]), { family: 'evolve', model: 'ir18+pam12+dream' })
  t.equal(r.info.model, 'IR18+PAM12+DREAM')
  t.strictSame([r.report.missing, r.report.unexpected, r.report.mismatched], [[], [], []])
  t.equal(r.report.loaded, fx.keys.length - BN_COUNT)
  const extra = r.model.weights.map((w) => w.originalName).filter((n) => /^(pam\d|dream)\//.test(n))
  t.strictSame([...r.report.leftInitialised].sort(), extra.sort(), 'exactly the PAM and DREAM weights')
  t.equal(leftInitialisedSummary(r.report), 'pam1 (13 weights), pam2 (13 weights), dream (4 weights)')
  // the backbone weights are the same as in the plain import
  const values = (m: typeof r.model) => new Map(m.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]))
  const a = values(plain.model)
  const b = values(r.model)
  for (const [name, v] of a) if (b.get(name)?.join() !== v.join()) t.fail(`${name} differs`)
  t.pass('backbone weights identical')
  plain.model.dispose()
  r.model.dispose()
})

t.test('a checkpoint of the other family, of IR-SE, or of something else: clear errors', async (t) => {
  t.same(thrown(() => importCheckpoint(fixturePath('iresnet18_legacy.pth'), { family: 'evolve', model: 'IR18' })), {
    name: 'PamError',
    message: `${fixturePath('iresnet18_legacy.pth')}: looks like an insightface iResNet checkpoint (keys conv1.weight, layer1.0.bn1.weight, …), not face.evoLVe IR; use --family insightface`,
  })
  const se = ['input_layer.0.weight', 'body.0.res_layer.0.weight', 'body.0.res_layer.5.fc1.weight', 'body.0.res_layer.5.fc2.weight']
  t.equal(recogniseKeys(se).family, 'evolve-se')
  t.same(thrown(() => checkFamily('evolve', se, 'se.pth')), {
    name: 'PamError',
    message: 'se.pth: looks like a face.evoLVe IR-SE checkpoint (keys input_layer.0.weight, body.0.res_layer.5.fc1.weight, …); the zoo has no IR-SE models, only IR',
  })
  t.same(thrown(() => checkFamily('evolve', ['0.weight', '0.bias', '1.weight', '1.bias'], 'x.pth')), {
    name: 'PamError',
    message: 'x.pth: not a face.evoLVe IR state_dict (no input_layer.0.weight, body.0.res_layer.0.weight; its first keys: 0.weight, 0.bias, 1.weight, …)',
  })
})

t.test('corrupt files: the reader names the file and what is wrong', async (t) => {
  const dir = tmpDir()
  const cut = (name: string, n: number) => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, fs.readFileSync(fixturePath(name)).subarray(0, n))
    return file
  }
  const zip = cut('ir18_zip.pth', 100000)
  t.same(thrown(() => importCheckpoint(zip, { family: 'evolve', model: 'IR18' })), {
    name: 'PamError',
    message: `${zip}: not a zip archive, or truncated (no end-of-central-directory record)`,
  })
  const legacy = cut('ir18_legacy.pth', 100000)
  t.same(thrown(() => importCheckpoint(legacy, { family: 'evolve', model: 'IR18' })), {
    name: 'PamError',
    message: `${legacy}: truncated at offset 86102: storage 708610992 (4608 float32 elements) needs 18432 bytes, 13898 left`,
  })
  const garbage = path.join(dir, 'garbage.pth')
  fs.writeFileSync(garbage, Buffer.from('this is not a checkpoint'))
  t.same(thrown(() => importCheckpoint(garbage, { family: 'evolve', model: 'IR18' })), {
    name: 'PamError',
    message: `${garbage}: malformed pickle: no MARK (TUPLE at offset 0)`,
  })
  fs.rmSync(dir, { recursive: true })
})

t.test('a model that does not fit the checkpoint: every problem by name', async (t) => {
  const file = fixturePath(fx.files[0])
  const e = thrown(() => importCheckpoint(file, { family: 'evolve', model: 'IR18', size: 64 }))
  t.same(e, {
    name: 'PamError',
    message: [
      `${file}: does not fit IR18 (size 64, width 0.0625, embedding 32): the checkpoint is a face.evoLVe IR with units [2, 2, 2, 2] (IR18), widths [4, 8, 16, 32], embedding 32, input 32×32`,
      '  shape mismatches (1): output_layer.3.weight is [32, 128], head/3/kernel needs [32, 512]',
      '  (--partial imports what fits and leaves the rest as initialised)',
    ].join('\n'),
  })
  const deeper = thrown(() => importCheckpoint(file, { family: 'evolve', model: 'IR34' }))
  t.equal(
    deeper.message.split('\n')[0],
    `${file}: does not fit IR34 (size 32, width 0.0625, embedding 32): the checkpoint is a face.evoLVe IR with units [2, 2, 2, 2] (IR18), widths [4, 8, 16, 32], embedding 32, input 32×32; IR34 has units [3, 4, 6, 3]`,
  )
  t.match(deeper.message, /\n {2}missing from the checkpoint \(\d+\): /)
  t.match(deeper.message, /\n {2}unexpected in the checkpoint \(\d+\): /)
  // --partial keeps what fits
  const r = importCheckpoint(file, { family: 'evolve', model: 'IR18', size: 64, partial: true })
  t.equal(r.report.mismatched.length, 1)
  t.equal(r.report.loaded, fx.keys.length - BN_COUNT - 1)
  r.model.dispose()
})

t.test('pam import writes a model directory that reloads to the same embedding', async (t) => {
  const dir = path.join(tmpDir(), 'ir18')
  const { lines, log } = collector()
  const file = fixturePath(fx.files[1])
  t.equal(await runImport(['--from', file, '--family', 'evolve', '--model', 'IR18+PAM12', '--out', dir], log), 0)
  t.strictSame(lines, [
    `pam import: ${file} (legacy, ${fx.keys.length} tensors, float32/int64): a face.evoLVe IR with units [2, 2, 2, 2] (IR18), widths [4, 8, 16, 32], embedding 32, input 32×32`,
    '  into IR18+PAM12 (size 32, width 0.0625, embedding 32, dropout 0.5)',
    `  loaded ${fx.keys.length - BN_COUNT} tensors; ignored ${BN_COUNT} num_batches_tracked`,
    "  left initialised (not in face.evoLVe IR's checkpoint): pam1 (13 weights), pam2 (13 weights)",
    `  wrote ${dir} (model.json, weights.bin, pam.json)`,
  ])
  t.strictSame(fs.readdirSync(dir).sort(), ['model.json', 'pam.json', 'weights.bin'])
  t.strictSame(readModelInfo(dir), { model: 'IR18+PAM12', size: 32, width: 0.0625, embedding: 32, dropout: 0.5 })
  // the plain backbone reloads to PyTorch's embedding
  const plainDir = path.join(path.dirname(dir), 'plain')
  await runImport(['--from', file, '--family', 'evolve', '--model', 'IR18', '--out', plainDir], () => undefined)
  const loaded = await loadModel(plainDir)
  const err = relError(await embed(loaded), fx.embeddings)
  t.ok(err < 1e-4, `reloaded: ${err.toExponential(2)}`)
  loaded.dispose()
  fs.rmSync(path.dirname(dir), { recursive: true })
})

t.test('pam import --partial lists what it left out', async (t) => {
  const dir = path.join(tmpDir(), 'm')
  const { lines, log } = collector()
  await runImport(['--from', fixturePath(fx.files[0]), '--family', 'evolve', '--model', 'IR18', '--size', '64', '--partial', '--out', dir], log)
  t.equal(lines[3], '  shape mismatches (1): output_layer.3.weight is [32, 128], head/3/kernel needs [32, 512] (--partial: left initialised / ignored)')
  t.ok(fs.existsSync(path.join(dir, 'model.json')))
  const e = await rejected(() => runImport(['--from', fixturePath('iresnet18_legacy.pth'), '--family', 'evolve', '--model', 'IR18', '--out', dir], () => undefined))
  t.match(e.message, /looks like an insightface iResNet checkpoint/)
  fs.rmSync(path.dirname(dir), { recursive: true })
})
