import t from 'tap'
import * as fs from 'fs'
import * as path from 'path'
import { cfpProtocol, pairYaw, readCfp } from '../../../src/eval/cfp'
import { CFP_MINI, cfpMiniCopies } from '../../helpers/cfp-mini'

const MINI = CFP_MINI
/** A fresh copy of the mini fixture to break. */
const copy = cfpMiniCopies((f) => t.teardown(f), 'pam-cfp-')
const edit = (file: string, f: (text: string) => string): void => fs.writeFileSync(file, f(fs.readFileSync(file, 'utf8')))

t.test('reads the mini copy: pairs, folds, images, fiducials, yaw', async (t) => {
  const set = readCfp(MINI)
  t.equal(set.pairs.length, 24)
  t.equal(set.images.size, 42)
  t.same(set.pairs[0], {
    a: path.join(MINI, 'Data/Images/033/frontal/10.jpg'),
    b: path.join(MINI, 'Data/Images/033/frontal/08.jpg'),
    issame: true,
    split: 1,
    protocol: 'FF',
  })
  t.same(
    set.pairs.map((p) => `${p.protocol}${p.split}${p.issame ? 's' : 'd'}`).join(' '),
    'FF1s FF1s FF1s FF1d FF1d FF1d FF2s FF2s FF2s FF2d FF2d FF2d FP1s FP1s FP1s FP1d FP1d FP1d FP2s FP2s FP2s FP2d FP2d FP2d',
  )
  const fp = cfpProtocol(set, 'FP')
  t.same(Array.from(fp.folds), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
  t.ok(fp.pairs.every((p) => p.b.includes('/profile/') && p.a.includes('/frontal/')))

  const img = set.images.get(path.join(MINI, 'Data/Images/036/frontal/07.jpg'))
  t.ok(img)
  t.equal(img?.identity, 36)
  t.equal(img?.pose, 'frontal')
  t.equal(img?.yaw, 0)
  t.equal(img?.fiducialPath, path.join(MINI, 'Data/Fiducials/036/frontal/07.txt'))
  t.equal(img?.fiducials.length, 60)
  t.same(Array.from(img?.fiducials.slice(6, 8) ?? []), [29.352, 62.483]) // line 4 of the file
  t.equal(set.images.get(path.join(MINI, 'Data/Images/036/profile/04.jpg'))?.yaw, 90)
  t.equal(pairYaw(set, fp.pairs[0]), 90)
  t.equal(pairYaw(set, set.pairs[0]), 0)
})

t.test('one protocol only', async (t) => {
  const set = readCfp(MINI, { protocols: ['FF'] })
  t.equal(set.pairs.length, 12)
  t.equal(set.images.size, 22) // 24 pair slots, two images used twice
})

t.test('accepts image_list_*.txt, ../Data paths, CRLF endings', async (t) => {
  const root = copy()
  for (const pose of ['F', 'P']) {
    const from = path.join(root, `Protocol/Pair_list_${pose}.txt`)
    const to = path.join(root, `Protocol/image_list_${pose}.txt`)
    fs.writeFileSync(to, fs.readFileSync(from, 'utf8').replace(/ Data\//g, ' ../Data/').replace(/\n/g, '\r\n'))
    fs.rmSync(from)
  }
  edit(path.join(root, 'Protocol/Split/FP/01/same.txt'), (s) => s.replace(/\n/g, '\r\n'))
  const set = readCfp(root)
  const ref = readCfp(MINI)
  t.same(
    set.pairs.map((p) => [p.a, p.b].map((x) => path.relative(root, x))),
    ref.pairs.map((p) => [p.a, p.b].map((x) => path.relative(MINI, x))),
  )
})

t.test('a yaw CSV overrides the default yaws', async (t) => {
  const csv = path.join(copy(), 'yaw.csv')
  fs.writeFileSync(csv, `path,yaw\nData/Images/036/profile/04.jpg,-75.5\n${path.join(MINI, 'Data/Images/036/frontal/07.jpg')},12\n`)
  const set = readCfp(MINI, { yawCsv: csv })
  t.equal(set.images.get(path.join(MINI, 'Data/Images/036/profile/04.jpg'))?.yaw, -75.5)
  t.equal(set.images.get(path.join(MINI, 'Data/Images/036/frontal/07.jpg'))?.yaw, 12)
  fs.writeFileSync(csv, 'path,yaw\nData/Images/036/profile/04.jpg,abc\n')
  t.throws(() => readCfp(MINI, { yawCsv: csv }), {
    name: 'PamError',
    message: `${csv}:2: Data/Images/036/profile/04.jpg: yaw 'abc' is not a number`,
  })
  fs.writeFileSync(csv, 'Data/Images/036/profile/04.jpg,10\nData/Images/036/profile/04.jpg,20\n')
  t.throws(() => readCfp(MINI, { yawCsv: csv }), { message: `${csv}:2: Data/Images/036/profile/04.jpg repeats line 1` })
})

t.test('bad copies fail naming the file and line', async (t) => {
  const cases: Array<[string, (root: string) => void, (root: string) => string]> = [
    [
      'missing image',
      (r) => fs.rmSync(path.join(r, 'Data/Images/036/frontal/07.jpg')),
      (r) => `${r}/Protocol/Split/FF/01/same.txt:2: image ${r}/Data/Images/036/frontal/07.jpg does not exist`,
    ],
    [
      'missing fiducial file',
      (r) => fs.rmSync(path.join(r, 'Data/Fiducials/036/frontal/07.txt')),
      (r) => `${r}/Protocol/Split/FF/01/same.txt:2: fiducial file ${r}/Data/Fiducials/036/frontal/07.txt does not exist`,
    ],
    [
      'malformed fiducial line',
      (r) => edit(path.join(r, 'Data/Fiducials/036/frontal/07.txt'), (s) => s.replace('29.352,62.483', '29.352;62.483')),
      (r) => `${r}/Data/Fiducials/036/frontal/07.txt:4: expected 'x,y', got '29.352;62.483'`,
    ],
    [
      'too few fiducials',
      (r) => edit(path.join(r, 'Data/Fiducials/036/frontal/07.txt'), (s) => s.replace('29.352,62.483\n', '')),
      (r) => `${r}/Data/Fiducials/036/frontal/07.txt: expected 30 fiducial points, found 29`,
    ],
    [
      'malformed pair line',
      (r) => edit(path.join(r, 'Protocol/Split/FP/02/diff.txt'), (s) => `${s}607;323\n`),
      (r) => `${r}/Protocol/Split/FP/02/diff.txt:4: expected 'a,b' image indices, got '607;323'`,
    ],
    [
      'same and diff lists of different lengths',
      (r) => edit(path.join(r, 'Protocol/Split/FF/02/diff.txt'), (s) => s.replace('885,821\n', '')),
      (r) => `${r}/Protocol/Split/FF/02: same.txt has 3 pairs but diff.txt has 2`,
    ],
    [
      'index missing from the image list',
      (r) => edit(path.join(r, 'Protocol/Split/FP/01/same.txt'), (s) => `${s}27,2001\n`),
      (r) => `${r}/Protocol/Split/FP/01/same.txt:4: profile index 2001 is not in ${r}/Protocol/Pair_list_P.txt`,
    ],
    [
      'index list out of step with the split (identities disagree)',
      (r) => edit(path.join(r, 'Protocol/Split/FF/01/same.txt'), (s) => s.replace('357,358', '357,30')),
      (r) => `${r}/Protocol/Split/FF/01/same.txt:2: same pair 357,30 has identities 036 and 003`,
    ],
    [
      'different pair of one identity',
      (r) => edit(path.join(r, 'Protocol/Split/FF/01/diff.txt'), (s) => s.replace('163,30', '27,30')),
      (r) => `${r}/Protocol/Split/FF/01/diff.txt:2: different pair 27,30 has the one identity 003`,
    ],
    [
      'malformed image list line',
      (r) => edit(path.join(r, 'Protocol/Pair_list_F.txt'), (s) => s.replace('30 Data/Images/003/frontal/10.jpg', '30 Data/Images/003/frontal/10.jpg x')),
      (r) => `${r}/Protocol/Pair_list_F.txt:2: expected 'index path', got '30 Data/Images/003/frontal/10.jpg x'`,
    ],
    [
      'frontal and profile lists swapped',
      (r) => {
        fs.renameSync(path.join(r, 'Protocol/Pair_list_F.txt'), path.join(r, 'x'))
        fs.renameSync(path.join(r, 'Protocol/Pair_list_P.txt'), path.join(r, 'Protocol/Pair_list_F.txt'))
      },
      (r) =>
        `${r}/Protocol/Pair_list_F.txt:1: expected a frontal image path (…/NNN/frontal/NN.jpg), got 'Data/Images/003/profile/03.jpg'`,
    ],
    [
      'repeated index',
      (r) => edit(path.join(r, 'Protocol/Pair_list_F.txt'), (s) => s.replace('30 Data/Images/003/frontal/10.jpg', '27 Data/Images/003/frontal/10.jpg')),
      (r) => `${r}/Protocol/Pair_list_F.txt:2: index 27 repeats line 1`,
    ],
    [
      'no image list',
      (r) => fs.rmSync(path.join(r, 'Protocol/Pair_list_P.txt')),
      (r) => `${r}/Protocol: neither Pair_list_P.txt nor image_list_P.txt exists`,
    ],
    [
      'FF and FP with different splits',
      (r) => fs.rmSync(path.join(r, 'Protocol/Split/FP/02'), { recursive: true }),
      (r) => `${r}/Protocol/Split: FF has splits 01,02 but FP has 01`,
    ],
    [
      'missing diff.txt',
      (r) => fs.rmSync(path.join(r, 'Protocol/Split/FP/02/diff.txt')),
      (r) => `${r}/Protocol/Split/FP/02/diff.txt: cannot read CFP pair file (ENOENT)`,
    ],
    ['not a CFP folder', (r) => fs.rmSync(path.join(r, 'Protocol'), { recursive: true }), (r) => `${r}: not a CFP folder (no Protocol/ inside)`],
  ]
  for (const [name, breakIt, message] of cases) {
    const root = copy()
    breakIt(root)
    t.throws(() => readCfp(root), { name: 'PamError', message: message(root) }, name)
  }
})
