import * as fs from 'fs'
import * as path from 'path'
import t from 'tap'
import * as jpeg from 'jpeg-js'
import { encodePng, type RgbImage } from '../../../src/image/codec'
import { openImageFolder } from '../../../src/data/image-folder'

const image = (w: number, h: number, v: number): RgbImage => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(v) })

const jpegBytes = (img: RgbImage): Buffer => {
  const rgba = Buffer.alloc(img.width * img.height * 4, 255)
  for (let i = 0; i < img.width * img.height; i++) rgba.set(img.data.subarray(i * 3, i * 3 + 3), i * 4)
  return jpeg.encode({ data: rgba, width: img.width, height: img.height }, 95).data
}

/** bob has 2 images, alice 1 (a JPEG); identities sort by name: alice = 0, bob = 1. */
const folder = (t: tap.Test, csv: string, extra: Record<string, string | Buffer> = {}): string =>
  t.testdir({
    bob: { '2.png': encodePng(image(4, 3, 200)), '1.png': encodePng(image(4, 3, 100)), 'notes.txt': 'ignored' },
    alice: { 'a.JPG': jpegBytes(image(8, 8, 50)) },
    'yaw.csv': csv,
    ...extra,
  })

const GOOD = 'path,yaw\nbob/1.png,10\nbob/2.png,-75.5\nalice/a.JPG,0\n'

t.test('labels by sorted identity, images sorted, lazy decode', async (t) => {
  const root = folder(t, GOOD)
  const ds = openImageFolder(root)
  t.equal(ds.size, 3)
  t.equal(ds.numClasses, 2)
  t.same(ds.identities, ['alice', 'bob'])
  t.same(ds.paths, ['alice/a.JPG', 'bob/1.png', 'bob/2.png'])
  const a = ds.get(0)
  t.equal(a.label, 0)
  t.equal(a.yaw, 0)
  t.equal(a.image.width, 8)
  t.ok(Math.abs(a.image.data[0] - 50) <= 2, 'jpeg pixel')
  const b = ds.get(2)
  t.same([b.label, b.yaw, b.image.width, b.image.height, b.image.data[0]], [1, -75.5, 4, 3, 200])
  t.equal(b.source, path.join(root, 'bob/2.png'))
  t.throws(() => ds.get(3), { name: 'PamError', message: `${root}: example index 3 is outside [0, 3)` })
})

t.test('a yaw CSV elsewhere, with ./ paths', async (t) => {
  const root = folder(t, '', { 'other.csv': './bob/1.png,1\nbob/2.png,2\nalice/a.JPG,3\n' })
  const ds = openImageFolder(root, { yawCsv: path.join(root, 'other.csv') })
  t.same([0, 1, 2].map((i) => ds.get(i).yaw), [3, 1, 2])
})

t.test('yaw errors name the CSV line or the image', async (t) => {
  const missing = folder(t, 'bob/1.png,10\nalice/a.JPG,0\n')
  t.throws(() => openImageFolder(missing), { name: 'PamError', message: `${path.join(missing, 'bob/2.png')}: no yaw for this image in ${path.join(missing, 'yaw.csv')}` })
  const range = folder(t, 'bob/1.png,10\nbob/2.png,-95\nalice/a.JPG,0\n')
  t.throws(() => openImageFolder(range), { message: `${path.join(range, 'yaw.csv')}:2: bob/2.png: yaw -95 is outside [-90, 90]` })
  const nan = folder(t, 'path,yaw\nbob/1.png,NaN\n')
  t.throws(() => openImageFolder(nan), { message: `${path.join(nan, 'yaw.csv')}:2: bob/1.png: yaw 'NaN' is not a number` })
  const twice = folder(t, GOOD + './bob/1.png,3\n')
  t.throws(() => openImageFolder(twice), { message: `${path.join(twice, 'yaw.csv')}:5: bob/1.png already has a yaw on line 2` })
  const stray = folder(t, GOOD + 'carol/1.png,3\n')
  t.throws(() => openImageFolder(stray), { message: `${path.join(stray, 'yaw.csv')}:5: carol/1.png: no such image under ${stray}` })
  const nocsv = t.testdir({ bob: { '1.png': encodePng(image(2, 2, 0)) } })
  t.throws(() => openImageFolder(nocsv), { message: `${path.join(nocsv, 'yaw.csv')}: cannot read yaw file (ENOENT)` })
})

t.test('unreadable images and empty folders', async (t) => {
  const root = folder(t, GOOD)
  fs.writeFileSync(path.join(root, 'bob/2.png'), 'not a png')
  const ds = openImageFolder(root)
  t.throws(() => ds.get(2), { name: 'PamError', message: `${path.join(root, 'bob/2.png')}: image does not decode (neither JPEG nor PNG; 9 bytes)` })
  const empty = t.testdir({ 'yaw.csv': '' })
  t.throws(() => openImageFolder(empty), { message: `${empty}: no <identity>/*.jpg|png images in the image folder` })
})
