import * as fs from 'fs'
import * as path from 'path'
import t from 'tap'
import { decodeImage } from '../../../../src/image/codec'
import { openImageFolder } from '../../../../src/data/image-folder'
import { generateSynthDataset, type SynthProgress } from '../../../../src/data/synth/generate'
import { readSynthConfig } from '../../../../src/data/synth/synth-config'

/** A small, fast set: 3 training identities, the minimum 20 test identities, 32×32 images. */
const small = (out: string, onProgress?: (p: SynthProgress) => void) =>
  generateSynthDataset({
    out,
    identities: 3,
    imagesPerIdentity: 4,
    testIdentities: 20,
    size: 32,
    seed: 5,
    frontalPerTestIdentity: 3,
    profilePerTestIdentity: 2,
    pairsPerSplit: 5,
    onProgress,
  })

const listFiles = (root: string): string[] =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)))
    .sort()

t.test('layout, CSVs, protocol files, and the train split as an image folder', async (t) => {
  const out = path.join(t.testdir({}), 'set')
  const progress: SynthProgress[] = []
  const summary = small(out, (p) => progress.push(p))
  t.same([summary.trainImages, summary.testImages], [12, 100])
  t.same(progress.filter((p) => p.phase === 'train').map((p) => p.done), [...Array(12).keys()].map((i) => i + 1))
  t.same(progress[progress.length - 1], { phase: 'test', done: 100, total: 100 })

  const json = readSynthConfig(path.join(out, 'synth.json'))
  t.same([json.identities, json.size, json.seed, json.testIdentities, json.frontalPerTestIdentity], [3, 32, 5, 20, 3])
  t.match(json.yaw.train, /half-normal/)

  const train = openImageFolder(path.join(out, 'train'))
  t.same([train.size, train.numClasses, train.identities], [12, 3, ['0000', '0001', '0002']])
  const e = train.get(5)
  t.same([e.label, e.image.width, e.image.height], [1, 32, 32])
  t.ok(Math.abs(e.yaw) <= 90)
  t.equal(fs.readFileSync(path.join(out, 'train', 'yaw.csv'), 'utf8').split('\n')[0], 'path,yaw')

  const test = path.join(out, 'test')
  const F = fs.readFileSync(path.join(test, 'Protocol', 'Pair_list_F.txt'), 'utf8').trim().split('\n')
  const P = fs.readFileSync(path.join(test, 'Protocol', 'Pair_list_P.txt'), 'utf8').trim().split('\n')
  t.same([F.length, P.length, F[0], P[39]], [60, 40, '1 Data/Images/001/frontal/01.png', '40 Data/Images/020/profile/02.png'])
  for (const line of [...F, ...P]) t.ok(fs.existsSync(path.join(test, line.split(' ')[1])), line)
  const yaws = new Map(
    fs
      .readFileSync(path.join(test, 'yaw.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => [l.split(',')[0], Number(l.split(',')[1])] as const),
  )
  t.equal(yaws.size, 100)
  for (const [p, y] of yaws) t.ok(p.includes('/frontal/') ? Math.abs(y) <= 10 : Math.abs(y) >= 60 && Math.abs(y) <= 90, `${p} ${y}`)
  for (const protocol of ['FF', 'FP']) {
    for (let s = 1; s <= 10; s++) {
      const dir = path.join(test, 'Protocol', 'Split', protocol, String(s).padStart(2, '0'))
      const same = fs.readFileSync(path.join(dir, 'same.txt'), 'utf8')
      const diff = fs.readFileSync(path.join(dir, 'diff.txt'), 'utf8')
      t.match(same, /^(\d+,\d+\n){5}$/, `${protocol} ${s} same`)
      t.match(diff, /^(\d+,\d+\n){5}$/, `${protocol} ${s} diff`)
    }
  }
  const img = decodeImage(fs.readFileSync(path.join(test, 'Data/Images/007/profile/01.png')), 'profile')
  t.same([img.width, img.height], [32, 32])
})

t.test('same options, byte-identical files; another seed, other pixels', async (t) => {
  const dir = t.testdir({})
  const a = path.join(dir, 'a')
  const b = path.join(dir, 'b')
  small(a)
  small(b)
  const files = listFiles(a)
  t.same(listFiles(b), files)
  t.equal(files.length, 1 + 12 + 1 + 100 + 1 + 2 + 40)
  const differing = files.filter((f) => !fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))))
  t.same(differing, [])
  const c = path.join(dir, 'c')
  generateSynthDataset({ out: c, identities: 1, imagesPerIdentity: 1, testIdentities: 0, size: 32, seed: 6 })
  t.notSame(fs.readFileSync(path.join(c, 'train/0000/00.png')), fs.readFileSync(path.join(a, 'train/0000/00.png')))
  t.notOk(fs.existsSync(path.join(c, 'test')), 'no test set when testIdentities is 0')
})

t.test('refuses a non-empty output', async (t) => {
  const dir = t.testdir({ full: { 'x.txt': 'keep me' } })
  const full = path.join(dir, 'full')
  t.throws(() => generateSynthDataset({ out: full, identities: 1, imagesPerIdentity: 1, testIdentities: 0, size: 32, seed: 0 }), {
    name: 'PamError',
    message: `${full}: already exists and is not an empty directory; remove it or choose another output directory`,
  })
  t.equal(fs.readFileSync(path.join(full, 'x.txt'), 'utf8'), 'keep me')
  t.throws(() => generateSynthDataset({ out: path.join(dir, 'new'), identities: 1, imagesPerIdentity: 1, testIdentities: 12, size: 32, seed: 0 }), {
    name: 'PamError',
    message: 'synth: testIdentities must be 0 or an integer ≥ 20 (2 identities in each of the 10 splits), got 12',
  })
})
