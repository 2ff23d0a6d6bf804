import t from 'tap'
import * as fs from 'fs'
import * as path from 'path'
import { decodeImage } from '../../../src/image/codec'
import { parseFiducials } from '../../../src/eval/cfp'
import { ARCFACE_TEMPLATE, PROFILE_TEMPLATE, alignCfp, alignFivePoints, cfpLandmarks, cfpTransform } from '../../../src/eval/align'
import { applySimilarity } from '../../../src/eval/similarity'

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/eval')
const load = (rel: string) => ({
  img: decodeImage(fs.readFileSync(path.join(FIXTURES, 'cfp-mini/Data/Images', `${rel}.jpg`)), rel),
  fiducials: parseFiducials(fs.readFileSync(path.join(FIXTURES, 'cfp-mini/Data/Fiducials', `${rel}.txt`), 'utf8'), rel),
})

t.test('frontal landmarks: eye centre, nose root, nose tip, mouth corner, lip midpoint', async (t) => {
  const { fiducials } = load('036/frontal/07')
  const { src, dst } = cfpLandmarks(fiducials, 'frontal')
  const mean = (ns: number[], c: number) => ns.reduce((s, n) => s + fiducials[2 * (n - 1) + c], 0) / ns.length
  const round = (xs: ArrayLike<number>) => Array.from(xs, (v) => +v.toFixed(9))
  t.same(round(src), round([
    mean([13, 14, 15, 16, 17, 18], 0), mean([13, 14, 15, 16, 17, 18], 1),
    fiducials[36], fiducials[37], fiducials[42], fiducials[43], fiducials[50], fiducials[51],
    mean([28, 30], 0), mean([28, 30], 1),
  ]))
  // CFP annotates the image-left half of frontal faces: the ArcFace left eye and mouth corner,
  // the eye and mouth-corner midpoints for the midline points.
  const [lx, ly, rx, ry, nx, ny, mlx, mly, mrx, mry] = ARCFACE_TEMPLATE
  t.same(Array.from(dst), [lx, ly, (lx + rx) / 2, (ly + ry) / 2, nx, ny, mlx, mly, (mlx + mrx) / 2, (mly + mry) / 2])
  t.same(Array.from(cfpLandmarks(fiducials, 'frontal', 224).dst), Array.from(dst, (v) => v * 2))
})

t.test('profile landmarks: template as is facing right, mirrored facing left', async (t) => {
  const right = cfpLandmarks(load('003/profile/03').fiducials, 'profile')
  t.same(Array.from(right.dst), Array.from(PROFILE_TEMPLATE))
  const left = cfpLandmarks(load('036/profile/04').fiducials, 'profile')
  t.same(Array.from(left.dst), Array.from(PROFILE_TEMPLATE, (v, i) => (i % 2 === 0 ? 112 - v : v)))
  const f = load('036/profile/04').fiducials
  t.same(Array.from(left.src.slice(8)), [f[16], f[17]]) // chin = fiducial 9
})

t.test('the fitted transform lands the landmarks near their targets', async (t) => {
  for (const [rel, pose] of [['003/frontal/07', 'frontal'], ['036/frontal/07', 'frontal'], ['003/profile/03', 'profile'], ['036/profile/04', 'profile']] as const) {
    const { fiducials } = load(rel)
    const { src, dst } = cfpLandmarks(fiducials, pose)
    const m = cfpTransform(fiducials, pose)
    let se = 0
    for (let i = 0; i < 5; i++) {
      const [x, y] = applySimilarity(m, src[2 * i], src[2 * i + 1])
      se += (x - dst[2 * i]) ** 2 + (y - dst[2 * i + 1]) ** 2
    }
    t.ok(Math.sqrt(se / 5) < 4, `${rel}: RMS residual ${Math.sqrt(se / 5).toFixed(2)} px`)
  }
})

t.test('aligned crops match the recorded examples', async (t) => {
  for (const rel of ['003/frontal/07', '036/frontal/07', '003/profile/03', '036/profile/04']) {
    const { img, fiducials } = load(rel)
    const pose = rel.includes('profile') ? 'profile' : 'frontal'
    const crop = alignCfp(img, fiducials, pose)
    t.equal(crop.width, 112)
    t.equal(crop.height, 112)
    const file = path.join(FIXTURES, 'aligned-examples', `${rel.replace(/\//g, '-')}.png`)
    const recorded = decodeImage(fs.readFileSync(file), file)
    t.ok(Buffer.from(crop.data).equals(Buffer.from(recorded.data)), rel)
  }
  const { img, fiducials } = load('003/frontal/07')
  const big = alignCfp(img, fiducials, 'frontal', 224)
  t.same([big.width, big.height], [224, 224])
})

t.test('alignFivePoints maps the template onto itself', async (t) => {
  // Landmarks already at the template: the crop is the image's top-left 112 × 112.
  const w = 130
  const img = { width: w, height: 120, data: Uint8Array.from({ length: w * 120 * 3 }, (_, i) => (i * 7) % 251) }
  const crop = alignFivePoints(img, ARCFACE_TEMPLATE)
  for (const y of [0, 50, 111]) {
    t.same(Array.from(crop.data.slice(y * 112 * 3, (y + 1) * 112 * 3)), Array.from(img.data.slice(y * w * 3, (y * w + 112) * 3)), `row ${y}`)
  }
  t.throws(() => alignFivePoints(img, [1, 2, 3]), { name: 'PamError', message: 'alignFivePoints: expected 5 landmarks, got 1.5' })
  t.throws(() => cfpLandmarks([1, 2], 'frontal'), { message: 'cfpLandmarks: expected 30 fiducial points, got 1' })
})
