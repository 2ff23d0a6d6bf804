import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { encodePng } from '../../../src/image/codec'
import { pairsOutPath } from '../../../src/infer/evaluate'
import { binSetName, binSource, cfpSource, expandImageArgs, fileImageList, listImageFiles, readIndexYaws, readPathYaws } from '../../../src/infer/sources'
import { synthImage, writeSynthBin } from './helpers'

const MINI = path.resolve(__dirname, '../../../../test/fixtures/eval/cfp-mini')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-sources-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))
const write = (name: string, text: string | Uint8Array): string => {
  const file = path.join(tmp, name)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  return file
}
const thrown = (f: () => unknown): string => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

t.test('index,yaw files: header optional, every image once', async (t) => {
  t.same(Array.from(readIndexYaws(write('y1.csv', 'index,yaw\n1,-30\n0,12.5\n\n2,90\n'), 3, 'x.bin')), [12.5, -30, 90])
  t.same(Array.from(readIndexYaws(write('y2.csv', '0,0\r\n1,1\r\n'), 2, 'x.bin')), [0, 1])
  const f = write('y3.csv', 'index,yaw\n0,0\n1,5\n')
  t.equal(thrown(() => readIndexYaws(f, 4, 'x.bin')), `${f}: 2 rows for the 4 images of x.bin; no yaw for image 2`)
  t.equal(thrown(() => readIndexYaws(write('y4.csv', '0,0\n7,5\n'), 4, 'x.bin')), `${path.join(tmp, 'y4.csv')}:2: index 7 is out of range (x.bin has 4 images, 0..3)`)
  t.equal(thrown(() => readIndexYaws(write('y5.csv', '0,0\n0,5\n'), 2, 'x.bin')), `${path.join(tmp, 'y5.csv')}:2: index 0 repeats line 1`)
  t.equal(thrown(() => readIndexYaws(write('y6.csv', 'a,0\n'), 2, 'x.bin')), `${path.join(tmp, 'y6.csv')}:1: index 'a' is not a non-negative integer`)
  t.equal(thrown(() => readIndexYaws(write('y7.csv', '0,100\n'), 1, 'x.bin')), `${path.join(tmp, 'y7.csv')}:1: 0: yaw 100 is outside [-90, 90]`)
  t.equal(thrown(() => readIndexYaws(path.join(tmp, 'none.csv'), 1, 'x.bin')), `${path.join(tmp, 'none.csv')}: cannot read yaw CSV (ENOENT)`)
})

t.test('path,yaw files: relative to a base, extra rows ignored, every image needs one', async (t) => {
  const imgs = [path.join(tmp, 'd/a.png'), path.join(tmp, 'd/sub/b.png')]
  t.same(Array.from(readPathYaws(write('p1.csv', 'path,yaw\nsub/b.png,-20\nother.png,5\na.png,10\n'), imgs, path.join(tmp, 'd'))), [10, -20])
  t.same(Array.from(readPathYaws(write('p2.csv', `${imgs[0]},1\n${imgs[1]},2\n`), imgs, '/elsewhere')), [1, 2])
  const f = write('p3.csv', 'a.png,10\n')
  t.equal(thrown(() => readPathYaws(f, imgs, path.join(tmp, 'd'))), `${f}: no yaw for image ${imgs[1]}`)
  const g = write('p4.csv', 'a.png,10\n./a.png,3\n')
  t.equal(thrown(() => readPathYaws(g, imgs, path.join(tmp, 'd'))), `${g}:2: ./a.png repeats line 1`)
})

t.test('image folders: recursive, jpg/jpeg/png only, sorted by path', async (t) => {
  const png = encodePng(synthImage(0, 0))
  for (const f of ['imgs/b/2.png', 'imgs/b/10.PNG', 'imgs/a.jpeg', 'imgs/c/z/y.jpg', 'imgs/notes.txt', 'imgs/B.png']) write(f, png)
  const root = path.join(tmp, 'imgs')
  t.same(
    listImageFiles(root).map((f) => path.relative(root, f)),
    ['B.png', 'a.jpeg', 'b/10.PNG', 'b/2.png', 'c/z/y.jpg'],
  )
  t.same(expandImageArgs([path.join(root, 'b/2.png'), path.join(root, 'c')]), [path.join(root, 'b/2.png'), path.join(root, 'c/z/y.jpg')])
  t.equal(thrown(() => expandImageArgs([path.join(root, 'nope.png')])), `${path.join(root, 'nope.png')}: no such image file or directory`)
  fs.mkdirSync(path.join(tmp, 'empty'))
  t.equal(thrown(() => expandImageArgs([path.join(tmp, 'empty')])), `${path.join(tmp, 'empty')}: no .jpg, .jpeg or .png images under this directory`)
  const bad = write('imgs2/bad.png', 'not a png')
  t.equal(thrown(() => fileImageList([bad], [0]).load(0)), `${bad}: image does not decode (neither JPEG nor PNG; 9 bytes)`)
  t.equal(fileImageList([path.join(root, 'B.png')], [7]).load(0).yaw, 7)
})

t.test('.bin sources: column name, contiguous folds, yaw', async (t) => {
  t.equal(binSetName('/data/cfp_fp.bin'), 'CFP-FP')
  t.equal(binSetName('agedb_30.bin'), 'AgeDB-30')
  t.equal(binSetName('mine.bin'), 'mine')
  const file = writeSynthBin(path.join(tmp, 'lfw.bin'), 23)
  const s = binSource(file)
  t.equal(s.count, 46)
  t.equal(s.sets[0].name, 'LFW')
  t.same(Array.from(s.sets[0].folds.slice(0, 7)), [0, 0, 0, 1, 1, 1, 2])
  t.same(Array.from(s.sets[0].first.slice(0, 3)), [0, 2, 4])
  t.same(Array.from(s.sets[0].second.slice(0, 3)), [1, 3, 5])
  t.equal(s.sets[0].pairYaw, undefined, 'no per-image yaw, no yaw bins')
  t.equal(s.images(16).load(3).yaw, 0)
  t.equal(s.images(16).load(3).image.width, 20, 'decoded at its own size; the embedder resizes')
  t.equal(binSource(file, { kind: 'constant', yaw: 30 }).images(16).load(0).yaw, 30)
  const yaws = write('lfw-yaw.csv', Array.from({ length: 46 }, (_, i) => `${i},${i % 2 === 0 ? -i : i}`).join('\n'))
  const withYaw = binSource(file, { kind: 'file', file: yaws })
  t.equal(withYaw.images(16).load(4).yaw, -4)
  t.same(Array.from((withYaw.sets[0].pairYaw as Float64Array).slice(0, 3)), [1, 3, 5])
  const small = writeSynthBin(path.join(tmp, 'small.bin'), 4)
  t.equal(thrown(() => binSource(small)), `${small}: 4 pairs cannot make 10 folds`)
})

t.test('CFP source: one image list for both protocols', async (t) => {
  const s = cfpSource(MINI, ['FF', 'FP'])
  t.equal(s.count, 42)
  t.same(s.sets.map((x) => [x.name, x.first.length]), [['CFP-FF', 12], ['CFP-FP', 12]])
  const img = s.images(16).load(0)
  t.same([img.image.width, img.image.height, img.yaw], [16, 16, 0])
  t.same(Array.from(new Set(s.sets[1].pairYaw)), [90])
  t.equal(cfpSource(MINI, ['FF']).count < 42, true, 'FF alone reads no profile image')
})

t.test('--pairs-out names', async (t) => {
  t.equal(pairsOutPath('/tmp/cfp.csv', 'CFP-FF', 0, 1, 1), '/tmp/cfp.csv')
  t.equal(pairsOutPath('/tmp/cfp.csv', 'CFP-FF', 0, 2, 1), '/tmp/cfp.CFP-FF.csv')
  t.equal(pairsOutPath('/tmp/cfp.csv', 'CFP-FF', 1, 2, 2), '/tmp/cfp.CFP-FF.m2.csv')
  t.equal(pairsOutPath('/tmp/out', 'LFW', 2, 1, 3), '/tmp/out.m3')
  t.equal(pairsOutPath('rel/x.y.csv', 'LFW', 0, 2, 1), 'rel/x.y.LFW.csv')
})
