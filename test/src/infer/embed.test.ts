import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import * as tf from '@tensorflow/tfjs-core'
import { fuseFlipped, l2NormalizeRows } from '../../../src/eval/embedding'
import type { RgbImage } from '../../../src/image/codec'
import { resizeBilinear } from '../../../src/image/resize'
import { embedImages, type EmbedProgress, type ImageList, modelShape } from '../../../src/infer/embed'
import { loadCheckpoint } from '../../../src/infer/model'
import { useBackend } from '../../helpers/wasm'
import { saveTinyCheckpoint, synthImage, TINY, tinyModel } from './helpers'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-embed-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))
t.before(() => useBackend('wasm'))

const YAWS = [0, 30, -45, 90, 10]
const images = YAWS.map((_, i) => synthImage(i, i))
const list = (imgs: readonly RgbImage[], yaws: readonly number[] = YAWS): ImageList => ({ length: imgs.length, load: (i) => ({ image: imgs[i], yaw: yaws[i] }) })

const mirror = (img: RgbImage): RgbImage => {
  const out = new Uint8Array(img.data.length)
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let c = 0; c < 3; c++) out[(y * img.width + x) * 3 + c] = img.data[(y * img.width + (img.width - 1 - x)) * 3 + c]
  return { ...img, data: out }
}

/** The model's raw [N, D] output, one predict call, no normalisation. */
const raw = (model: ReturnType<typeof tinyModel>, imgs: readonly RgbImage[], yaws: readonly number[]): Float32Array => {
  const s = TINY.size
  const pixels = new Float32Array(imgs.length * s * s * 3)
  imgs.forEach((img, i) => pixels.set(img.data, i * s * s * 3))
  const out = tf.tidy(() => model.predict([tf.tensor4d(pixels, [imgs.length, s, s, 3]), tf.tensor2d([...yaws], [yaws.length, 1])]) as tf.Tensor)
  const data = out.dataSync() as Float32Array
  out.dispose()
  return data
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

t.test('flip fusion is the sum of the embeddings of image and mirror (yaw negated), L2-normalised', async (t) => {
  const model = tinyModel()
  t.same(modelShape(model), { size: TINY.size, dim: TINY.embedding })
  const emb = await embedImages(model, list(images), { batch: 2 })
  t.equal(emb.count, 5)
  t.equal(emb.dim, TINY.embedding)
  const manual = fuseFlipped(raw(model, images, YAWS), raw(model, images.map(mirror), YAWS.map((y) => -y)), TINY.embedding)
  t.ok(maxAbsDiff(emb.data, manual) < 1e-5, `max |diff| ${maxAbsDiff(emb.data, manual)}`)
  // the mirror's yaw is negated: with the mirror at +yaw the result differs for yawed images
  const wrongYaw = fuseFlipped(raw(model, images, YAWS), raw(model, images.map(mirror), YAWS), TINY.embedding)
  t.ok(maxAbsDiff(emb.data.subarray(TINY.embedding, 2 * TINY.embedding), wrongYaw.subarray(TINY.embedding, 2 * TINY.embedding)) < 1e-5, 'the gate reads |yaw|: sign makes no difference')
  for (let r = 0; r < emb.count; r++) {
    const row = emb.data.subarray(r * emb.dim, (r + 1) * emb.dim)
    t.ok(Math.abs(Math.hypot(...row) - 1) < 1e-5, `row ${r} is a unit vector`)
  }
  model.dispose()
})

t.test('without flip: the plain L2-normalised embedding; the yaw reaches the model', async (t) => {
  const model = tinyModel()
  const emb = await embedImages(model, list(images), { flip: false })
  const manual = l2NormalizeRows(raw(model, images, YAWS), TINY.embedding)
  t.ok(maxAbsDiff(emb.data, manual) < 1e-5)
  const atZero = await embedImages(model, list(images, YAWS.map(() => 0)), { flip: false })
  t.ok(maxAbsDiff(emb.data.subarray(3 * 8, 4 * 8), atZero.data.subarray(3 * 8, 4 * 8)) > 1e-4, 'yaw 90 and yaw 0 give different embeddings')
  t.ok(maxAbsDiff(emb.data.subarray(0, 8), atZero.data.subarray(0, 8)) < 1e-6, 'same yaw, same embedding')
  model.dispose()
})

t.test('batch size does not change the result; progress after each batch; no tensor leaks', async (t) => {
  const model = tinyModel()
  const seen: EmbedProgress[] = []
  const before = tf.memory().numTensors
  const one = await embedImages(model, list(images), { batch: 1 })
  const big = await embedImages(model, list(images), { batch: 2, onProgress: (p) => seen.push(p) })
  await t.rejects(embedImages(model, { length: 3, load: (i) => { if (i === 2) throw new Error('boom'); return { image: images[i], yaw: 0 } } }, { batch: 2 }))
  t.equal(tf.memory().numTensors, before, 'tensor count unchanged after three runs (one failing)')
  t.ok(maxAbsDiff(one.data, big.data) < 1e-5)
  t.same(seen.map((p) => [p.done, p.total]), [[2, 5], [4, 5], [5, 5]])
  t.ok(seen.every((p) => p.imagesPerSecond > 0 && p.elapsedSeconds >= 0))
  await t.rejects(embedImages(model, list(images), { batch: 0 }), { message: 'embed: the batch size must be a positive integer, got 0' })
  const empty = await embedImages(model, list([], []))
  t.equal(empty.data.length, 0)
  model.dispose()
})

t.test('images of another size are resized to the model input', async (t) => {
  const model = tinyModel()
  const big = images.map((_, i) => synthImage(i, i, 24))
  const emb = await embedImages(model, list(big))
  const resized = await embedImages(model, list(big.map((img) => resizeBilinear(img, TINY.size, TINY.size))))
  t.ok(maxAbsDiff(emb.data, resized.data) < 1e-6)
  model.dispose()
})

t.test('a saved checkpoint embeds as the model it was saved from; label from pam.json', async (t) => {
  const dir = path.join(tmp, 'ckpt')
  await saveTinyCheckpoint(dir, 3)
  const loaded = await loadCheckpoint(dir)
  t.equal(loaded.label, `IR18+PAM12 [${dir}]`)
  t.equal(loaded.size, TINY.size)
  t.equal(loaded.dim, TINY.embedding)
  const model = tinyModel(3)
  const a = await embedImages(loaded.model, list(images))
  const b = await embedImages(model, list(images))
  t.ok(maxAbsDiff(a.data, b.data) < 1e-6)
  loaded.model.dispose()
  model.dispose()
})
