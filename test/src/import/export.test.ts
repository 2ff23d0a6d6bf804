import t from 'tap'
import * as fs from 'fs'
import * as path from 'path'
import { runExport } from '../../../src/cli/commands/export'
import { runImport } from '../../../src/cli/commands/import'
import { importCheckpoint } from '../../../src/import/import-checkpoint'
import { readTorchCheckpoint } from '../../../src/io/torch-checkpoint'
import { readSavedWeights } from '../../../src/persist/weights'
import { useBackend } from '../../helpers/wasm'
import { collector, expected, fixturePath, rejected, tmpDir } from './fixtures'

t.before(() => useBackend('wasm'))

const work = tmpDir()
t.teardown(() => fs.rmSync(work, { recursive: true }))

const quiet = () => undefined

for (const fx of [expected.fixtures.evolve, expected.fixtures.insightface]) {
  t.test(`${fx.family}: import → export gives PyTorch's state_dict back, key order included`, async (t) => {
    const dir = path.join(work, `${fx.family}-model`)
    const file = path.join(work, `${fx.family}.pth`)
    const original = readTorchCheckpoint(fixturePath(fx.files[0]))
    await runImport(['--from', fixturePath(fx.files[0]), '--family', fx.family, '--model', fx.model, '--out', dir], quiet)
    const { lines, log } = collector()
    t.equal(await runExport(['--checkpoint', dir, '--to', file], log), 0)
    const title = fx.family === 'evolve' ? 'face.evoLVe IR' : 'insightface iResNet'
    const bns = fx.keys.filter((k) => k.endsWith('num_batches_tracked')).length
    t.strictSame(lines, [
      `pam export: ${dir} (${fx.model}) → ${file}: ${fx.keys.length} tensors in ${title}'s naming`,
      `  ${fx.keys.length - bns} backbone weights, ${bns} num_batches_tracked (int64 0)`,
    ])
    const back = readTorchCheckpoint(file)
    t.equal(back.format, 'zip')
    t.strictSame(back.tensors.map((x) => x.name), fx.keys, 'the names in PyTorch\'s order')
    back.tensors.forEach((x, i) => {
      const o = original.tensors[i]
      t.strictSame(x.shape, o.shape, `${x.name} shape`)
      if (x.name.endsWith('num_batches_tracked')) {
        t.equal(x.dtype, 'int64')
        t.strictSame(Array.from(x.data), [0])
      } else {
        t.equal(x.dtype, 'float32')
        // float16 values widen exactly, so the comparison is exact for both fixtures
        if (!x.data.every((v, j) => v === o.data[j])) t.fail(`${x.name} values differ`)
      }
    })
  })
}

t.test('PAM weights travel under their block paths and come back', async (t) => {
  const dir = path.join(work, 'pam-model')
  const file = path.join(work, 'pam.pth')
  await runImport(['--from', fixturePath('ir18_zip.pth'), '--family', 'evolve', '--model', 'IR18+PAM12', '--seed', '7', '--out', dir], quiet)
  const { lines, log } = collector()
  await runExport(['--checkpoint', dir, '--to', file, '--family', 'evolve'], log)
  t.equal(lines[2], "  26 weights of pam1, pam2 under their block paths (not part of face.evoLVe IR; load with strict=False)")
  const names = readTorchCheckpoint(file).tensors.map((x) => x.name)
  t.ok(names.includes('pam1.drm.res.1.weight') && names.includes('pam2.cam.attention.squeeze.mlp.2.weight'))
  t.ok(names.includes('pam1.drm.res.0.num_batches_tracked'))
  const drm = readTorchCheckpoint(file).tensors.find((x) => x.name === 'pam1.drm.res.1.weight')!
  t.strictSame(drm.shape, [4, 1, 3, 3], 'depthwise in PyTorch layout [C, 1, kh, kw]')

  // re-import into the same model: nothing left initialised, every weight as saved
  const r = importCheckpoint(file, { family: 'evolve', model: 'IR18+PAM12', seed: 99 })
  t.strictSame([r.report.missing, r.report.unexpected, r.report.mismatched, r.report.leftInitialised], [[], [], [], []])
  t.equal(r.report.loadedExtra, 26)
  const saved = readSavedWeights(dir)
  for (const w of r.model.weights) {
    const s = saved.get(w.originalName)!
    if (!Array.from(w.read().dataSync()).every((v, i) => v === s.data[i])) t.fail(`${w.originalName} differs`)
  }
  t.pass('all weights equal after export → import')
  r.model.dispose()

  // into a model without PAM the extra keys are unexpected
  const e = await rejected(async () => importCheckpoint(file, { family: 'evolve', model: 'IR18' }))
  t.match(e.message, /\n {2}unexpected in the checkpoint \(30\): pam1\.drm\.res\.0\.weight, /)

  // --backbone-only leaves them out
  const bare = path.join(work, 'bare.pth')
  const c = collector()
  await runExport(['--checkpoint', dir, '--to', bare, '--backbone-only'], c.log)
  t.equal(c.lines[2], '  left out (--backbone-only): 26 weights of pam1, pam2')
  t.strictSame(readTorchCheckpoint(bare).tensors.map((x) => x.name), expected.fixtures.evolve.keys)
})

t.test('export errors: wrong family, not a model directory, missing flags', async (t) => {
  const dir = path.join(work, 'evolve-model')
  t.same(await rejected(() => runExport(['--checkpoint', dir, '--to', path.join(work, 'x.pth'), '--family', 'insightface'], quiet)), {
    name: 'PamError',
    message: `pam export: ${dir} holds IR18, a face.evoLVe IR; it exports as --family evolve, not insightface`,
  })
  t.same(await rejected(() => runExport(['--checkpoint', work, '--to', path.join(work, 'x.pth')], quiet)), {
    name: 'PamError',
    message: `${work}: no pam.json (not a model saved by pam train or pam import)`,
  })
  t.same(await rejected(() => runExport(['--checkpoint', dir], quiet)), {
    name: 'PamError',
    message: 'pam export: --to FILE.pth is required (usage: pam export --checkpoint DIR --to FILE.pth [--family evolve|insightface] [--backbone-only])',
  })
  t.same(await rejected(() => runExport(['--checkpoint', dir, '--to', 'x.pth', '--family', 'mxnet'], quiet)), {
    name: 'PamError',
    message: 'pam export: unknown family "mxnet" (valid: evolve, insightface)',
  })
})
