import t from 'tap'
import { importCheckpoint } from '../../../src/import/import-checkpoint'
import { thrown } from '../io/fixtures'
import { maxRelDiff, useBackend } from '../../helpers/wasm'
import { embed, expected, fixturePath, relError } from './fixtures'

const fx = expected.fixtures.insightface
const BN_COUNT = fx.keys.filter((k) => k.endsWith('num_batches_tracked')).length

t.before(() => useBackend('wasm'))

for (const file of fx.files) {
  t.test(`${file}: the compiled IRESNET18 gives PyTorch's eval-mode embedding`, async (t) => {
    const r = importCheckpoint(fixturePath(file), { family: 'insightface', model: 'IRESNET18' })
    t.strictSame([r.report.missing, r.report.unexpected, r.report.mismatched, r.report.leftInitialised], [[], [], [], []])
    t.equal(r.report.loaded, fx.keys.length - BN_COUNT)
    t.equal(r.report.ignored.length, BN_COUNT)
    t.strictSame(r.checkpoint.dtypes, file.includes('f16') ? ['float16', 'int64'] : ['float32', 'int64'])
    t.strictSame(r.info, { model: 'IRESNET18', size: 32, width: 1 / 16, embedding: 32, dropout: 0 })
    // the feature BN's fixed scale arrives as the (non-trainable) gamma
    const gamma = r.model.weights.find((w) => w.originalName === 'head/4/gamma')!
    t.equal(gamma.trainable, false)
    t.ok(Array.from(gamma.read().dataSync()).every((v) => v === 1), 'features.weight = 1')
    const e = await embed(r.model)
    const err = relError(e, fx.embeddings)
    t.ok(err < 1e-4, `max |Δ| / max |e| = ${err.toExponential(2)} < 1e-4`)
    t.ok(maxRelDiff(e, fx.embeddings.flat()) < 1e-4, 'elementwise relative (floor 1) < 1e-4')
    r.model.dispose()
  })
}

t.test('downsample in every layerN.0, layer1.0 included', async (t) => {
  const r = importCheckpoint(fixturePath(fx.files[1]), { family: 'insightface', model: 'IRESNET18' })
  const names = r.model.weights.map((w) => w.originalName)
  for (const s of [1, 2, 3, 4]) t.ok(names.includes(`stage${s}/unit0/shortcut/0/kernel`), `stage${s}`)
  t.ok(fx.keys.includes('layer1.0.downsample.0.weight'))
  r.model.dispose()
})

t.test('a face.evoLVe checkpoint under --family insightface, and a model of the wrong family', async (t) => {
  const file = fixturePath('ir18_zip.pth')
  t.same(thrown(() => importCheckpoint(file, { family: 'insightface', model: 'IRESNET18' })), {
    name: 'PamError',
    message: `${file}: looks like a face.evoLVe IR checkpoint (keys input_layer.0.weight, body.0.res_layer.0.weight, …), not insightface iResNet; use --family evolve`,
  })
  t.same(thrown(() => importCheckpoint(fixturePath(fx.files[0]), { family: 'insightface', model: 'IR18' })), {
    name: 'PamError',
    message: 'model IR18 is a face.evoLVe IR; insightface iResNet checkpoints import into IRESNET models (or use --family evolve)',
  })
})
