import t from 'tap'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { cfpListedImages, cfpSplitIdentities, openCfpTraining, trainingIdentities } from '../../../src/data/cfp-train'
import { decodeImage } from '../../../src/image/codec'
import { CFP_MINI, cfpMiniCopies } from '../../helpers/cfp-mini'

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/eval')
const MINI = CFP_MINI
const copy = cfpMiniCopies((f) => t.teardown(f), 'pam-cfp-train-')

const SPLIT1 = [3, 11, 12, 13, 17, 23, 25, 33, 35, 36, 46, 50]
const SPLIT2 = [61, 67, 71, 81, 83, 85, 86, 89, 90, 91, 92, 98]

t.test('the identities of each split, from the FF and FP pair files', async (t) => {
  const s = cfpSplitIdentities(MINI)
  t.same(s.splits, [1, 2])
  t.same(s.identities.get(1), SPLIT1)
  t.same(s.identities.get(2), SPLIT2)
  t.same(trainingIdentities(s, [2]), SPLIT1, 'hold out split 2: train on split 1')
  t.same(trainingIdentities(s, [1]), SPLIT2)
  t.throws(() => trainingIdentities(s, [3]), { message: `${path.join(MINI, 'Protocol', 'Split')}: no split 03 (the splits are 01, 02)` })
  t.throws(() => trainingIdentities(s, [1, 2]), { message: `${MINI}: holding out splits 01, 02 leaves no split to train on` })
})

t.test('splits sharing an identity are refused', async (t) => {
  const root = copy()
  // A same pair of identity 033 (split 01) added to split 02.
  fs.appendFileSync(path.join(root, 'Protocol/Split/FF/02/same.txt'), '330,328\n')
  fs.appendFileSync(path.join(root, 'Protocol/Split/FF/02/diff.txt'), '668,608\n')
  t.throws(() => cfpSplitIdentities(root), {
    message: `${path.join(root, 'Protocol', 'Split')}: identity 033 has pairs in split 01 and split 02; the splits must hold disjoint identities`,
  })
})

t.test('the training set: every listed image of the training identities, aligned, labelled, with yaw', async (t) => {
  const listed = cfpListedImages(MINI)
  t.equal(listed.length, 42)
  const ds = openCfpTraining(MINI, [2], 112)
  const expected = listed.filter((i) => SPLIT1.includes(i.identity))
  t.equal(ds.size, expected.length)
  t.equal(ds.size, 22)
  t.equal(ds.numClasses, 12)
  t.same(ds.identities, SPLIT1)
  const examples = Array.from({ length: ds.size }, (_, i) => ds.get(i))
  t.same(
    [...new Set(examples.map((e) => e.label))],
    SPLIT1.map((_, i) => i),
    'labels 0..11 in identity order',
  )
  for (const e of examples) {
    const identity = Number(/Images[\\/](\d+)[\\/]/.exec(e.source)?.[1])
    t.equal(e.label, SPLIT1.indexOf(identity), `${e.source}: label of its identity`)
    t.equal(e.yaw, /profile/.test(e.source) ? 90 : 0)
    t.same([e.image.width, e.image.height], [112, 112])
  }
  // The aligner the evaluation uses, pixel for pixel (its own fixtures).
  for (const name of ['003-frontal-07', '036-profile-04']) {
    const [id, pose, n] = name.split('-')
    const e = examples.find((x) => x.source === path.join(MINI, 'Data/Images', id, pose, `${n}.jpg`))
    const want = decodeImage(fs.readFileSync(path.join(FIXTURES, 'aligned-examples', `${name}.png`)), name)
    t.ok(e && Buffer.from(e.image.data).equals(Buffer.from(want.data)), `${name} aligned as src/eval/align.ts aligns it`)
  }
  t.throws(() => ds.get(22), { message: 'CFP training set: index 22 is outside 0..21' })
  const small = openCfpTraining(MINI, [1], 32)
  t.same([small.size, small.numClasses, small.get(0).image.width], [20, 12, 32])
})

t.test('a listed image or fiducial file that is missing stops with its path', async (t) => {
  const root = copy()
  fs.appendFileSync(path.join(root, 'Protocol/Pair_list_F.txt'), '999 Data/Images/003/frontal/01.jpg\n')
  t.throws(() => openCfpTraining(root, [2], 32), { message: `${path.join(root, 'Data/Images/003/frontal/01.jpg')}: CFP image missing` })
  const other = copy()
  fs.rmSync(path.join(other, 'Data/Fiducials/098/frontal/03.txt'))
  // 098 is in split 02, the test split here: the protocol reader checks every pair's files all the same.
  t.throws(() => openCfpTraining(other, [1], 32), { message: /098[\\/]frontal[\\/]03\.txt does not exist$/ })
  const bad = copy()
  fs.appendFileSync(path.join(bad, 'Protocol/Pair_list_P.txt'), '13 Data/Images/003/frontal/07.jpg\n')
  t.throws(() => cfpListedImages(bad), {
    message: `${path.join(bad, 'Protocol/Pair_list_P.txt')}:13: expected 'index path' with a profile image path (…/NNN/profile/NN.jpg), got '13 Data/Images/003/frontal/07.jpg'`,
  })
  t.throws(() => openCfpTraining(bad, [2], 32), { message: new RegExp(`^${path.join(bad, 'Protocol/Pair_list_P.txt').replace(/[.]/g, '\\.')}:13: `) }, 'the protocol reader sees it first')
})
