import t from 'tap'
import { parseBinPairs, readBinPairs } from '../../../src/io/bin-pairs'
import { decodeImage } from '../../../src/image/codec'
import { PamError } from '../../../src/util/errors'
import { createRng } from '../../../src/util/rng'
import { fixtureBytes, fixtureJson, fixturePath, thrown } from './fixtures'

interface Expected {
  issame: boolean[]
  images: string[]
  formats: string[]
  size: [number, number]
}
const expected = fixtureJson<Expected>('pairs_expected.json')
const expectedImages = expected.images.map((b) => new Uint8Array(Buffer.from(b, 'base64')))

const writers = [
  'pairs_py3_p2.bin', // _codecs.encode(text, 'latin1')
  'pairs_py3_p4.bin',
  'pairs_py3_p5.bin',
  'pairs_py3_numpy_p2.bin', // uint8 ndarrays, numpy.bool_
  'pairs_py3_numpy_p5.bin',
  'pairs_py2.bin', // Python 2 str
  'pairs_py2_numpy.bin', // Python 2 ndarrays, as cfp_fp.bin
]

t.test('reads pair sets however Python wrote them', async (t) => {
  for (const name of writers) {
    const set = readBinPairs(fixturePath(name))
    t.strictSame(set.issame, expected.issame, `${name}: flags`)
    t.equal(set.images.length, 8, `${name}: 2 images per pair`)
    set.images.forEach((img, i) => t.same(img, expectedImages[i], `${name}: image ${i}`))
  }
})

t.test('the images decode', async (t) => {
  const set = readBinPairs(fixturePath('pairs_py2.bin'))
  for (const i of [0, 1]) {
    const img = decodeImage(set.images[i], `image ${i}`)
    t.same([img.width, img.height], expected.size, `${expected.formats[i]} image`)
  }
})

t.test('refuses a count of images that is not 2 per pair', async (t) => {
  t.same(thrown(() => readBinPairs(fixturePath('pairs_mismatch.bin'))), {
    name: 'PamError',
    message: `${fixturePath('pairs_mismatch.bin')}: 7 images for 4 pairs; expected 2 per pair`,
  })
})

t.test('names the file and offset of a truncated file', async (t) => {
  for (const name of ['pairs_py2.bin', 'pairs_py3_p4.bin', 'pairs_py3_numpy_p2.bin']) {
    const bytes = fixtureBytes(name)
    for (const cut of [1, 100, bytes.length - 1]) {
      t.match(thrown(() => parseBinPairs(bytes.subarray(0, cut), 'lfw.bin')).message, /^lfw\.bin: truncated at offset \d+: /, `${name} cut at ${cut}`)
    }
  }
})

t.test('refuses other structures', async (t) => {
  const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))
  t.equal(thrown(() => parseBinPairs(b('\x80\x02}q\x00.'), 'x.bin')).message, 'x.bin: expected a pickled (images, issame) pair, found a dict of 0')
  t.equal(thrown(() => parseBinPairs(b('\x80\x02K\x01]\x86.'), 'x.bin')).message, 'x.bin: the images are an int, expected a list')
  t.equal(thrown(() => parseBinPairs(b('\x80\x02]K\x01\x86.'), 'x.bin')).message, 'x.bin: the flags are an int, expected a list of bools')
  t.equal(thrown(() => parseBinPairs(b('\x80\x02](K\x01K\x02e]\x88a\x86.'), 'x.bin')).message, 'x.bin: image 0 is an int, expected encoded image bytes')
  t.equal(thrown(() => parseBinPairs(b('\x80\x02]]X\x01\x00\x00\x00ya\x86.'), 'x.bin')).message, 'x.bin: flag 0 is a str, expected a bool')
  t.equal(thrown(() => readBinPairs('/nonexistent/lfw.bin')).message, '/nonexistent/lfw.bin: cannot read (ENOENT)')
})

t.test('any corruption of the fixtures is a PamError or a value, never a crash', async (t) => {
  const rng = createRng(11)
  const others: string[] = []
  for (const name of writers) {
    const original = fixtureBytes(name)
    for (let k = 0; k < 150; k++) {
      const b = original.slice()
      for (let j = 0; j < 3; j++) b[Math.floor(rng.next() * b.length)] = Math.floor(rng.next() * 256)
      try {
        parseBinPairs(b, name)
      } catch (e) {
        if (!(e instanceof PamError)) others.push(`${name}: ${(e as Error).stack}`)
      }
    }
  }
  t.strictSame(others, [])
})
