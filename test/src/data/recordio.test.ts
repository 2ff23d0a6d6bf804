import * as fs from 'fs'
import * as path from 'path'
import t from 'tap'
import { encodePng, type RgbImage } from '../../../src/image/codec'
import { openRecordIo, parseIdx, recordIoPaths } from '../../../src/data/recordio'
import { arrayHeader, packRecord, RECORDIO_MAGIC, scalarHeader } from '../../../src/data/recordio-format'
import { createRecordIoWriter, writeFaceRecordIo } from '../../../src/data/recordio-writer'

const png = (v: number, w = 3): Buffer => {
  const img: RgbImage = { width: w, height: 2, data: new Uint8Array(w * 2 * 3).fill(v) }
  return encodePng(img)
}

const yawCsv = (dir: string, rows: string): void => fs.writeFileSync(path.join(dir, 'yaw.csv'), rows)

/** Two identities: class 0 has images 1, 2; class 1 has image 3. */
const smallSet = (t: tap.Test, options: { labelArray?: boolean } = {}): string => {
  const dir = t.testdir({})
  writeFaceRecordIo(dir, [[png(10), png(20)], [png(30, 5)]], options)
  yawCsv(dir, 'index,yaw\n1,0\n2,-45\n3,90\n')
  return dir
}

t.test('faces_emore layout round-trips (scalar labels)', async (t) => {
  const dir = smallSet(t)
  t.equal(fs.readFileSync(path.join(dir, 'property'), 'utf8'), '2,112,112\n')
  t.equal(fs.readFileSync(path.join(dir, 'train.idx'), 'utf8').split('\n')[0], '0\t0')
  const ds = openRecordIo(recordIoPaths(dir))
  t.teardown(() => ds.close())
  t.equal(ds.size, 3)
  t.equal(ds.numClasses, 2)
  const got = [0, 1, 2].map((i) => {
    const e = ds.get(i)
    return [e.label, e.yaw, e.image.width, e.image.data[0], e.source]
  })
  const rec = path.join(dir, 'train.rec')
  t.same(got, [
    [0, 0, 3, 10, `${rec}#1`],
    [0, -45, 3, 20, `${rec}#2`],
    [1, 90, 5, 30, `${rec}#3`],
  ])
  // Record 0 and the identity records hold the ranges.
  const header = ds.readPayload(0)
  t.same([header.readUInt32LE(0), header.readFloatLE(24), header.readFloatLE(28)], [2, 4, 6])
  const id1 = ds.readPayload(5)
  t.same([id1.readFloatLE(24), id1.readFloatLE(28)], [3, 4])
})

t.test('label-array headers (flag > 0) on image records', async (t) => {
  const ds = openRecordIo(recordIoPaths(smallSet(t, { labelArray: true })))
  t.same([0, 1, 2].map((i) => ds.get(i).label), [0, 0, 1])
  ds.close()
})

t.test('a record split across continuation chunks reads back whole', async (t) => {
  const dir = t.testdir({})
  const p = recordIoPaths(dir)
  const w = createRecordIoWriter(p.rec, p.idx)
  const image = png(77)
  // The magic as the low words of id and id2 (offsets 8 and 16): MXNet splits the record twice,
  // into chunks of 8 (header bytes 0-7), 4 (bytes 12-15) and the rest.
  const split = packRecord({ flag: 0, label: 0, labels: [], id: RECORDIO_MAGIC, id2: RECORDIO_MAGIC }, image)
  w.write(0, packRecord(arrayHeader([2, 3], 0), new Uint8Array(0)))
  w.write(1, split)
  w.write(2, packRecord(arrayHeader([1, 2], 2), new Uint8Array(0)))
  w.close()
  fs.writeFileSync(p.property!, '1,112,112\n')
  yawCsv(dir, '1,30\n')
  const raw = fs.readFileSync(p.rec)
  const at = parseIdx(fs.readFileSync(p.idx, 'utf8'), p.idx).offset(1)!
  t.same([raw.readUInt32LE(at + 4) >>> 29, raw.readUInt32LE(at + 16 + 4) >>> 29, raw.readUInt32LE(at + 28 + 4) >>> 29], [1, 2, 3], 'chunk flags 1, 2, 3')
  const ds = openRecordIo(p)
  t.same(ds.readPayload(1), split)
  const e = ds.get(0)
  t.same([e.label, e.yaw, e.image.data[0]], [0, 30, 77])
  ds.close()
})

t.test('a file without the index record uses every key and the property file', async (t) => {
  const dir = t.testdir({})
  const p = recordIoPaths(dir)
  const w = createRecordIoWriter(p.rec, p.idx)
  w.write(0, packRecord(scalarHeader(1, 0), png(1)))
  w.write(5, packRecord(scalarHeader(0, 5), png(5)))
  w.close()
  fs.writeFileSync(p.property!, '2,2,3\n')
  yawCsv(dir, '0,1\n5,-1\n')
  const ds = openRecordIo(p)
  t.same([ds.size, ds.numClasses, ds.recordKey(1), ds.get(1).label, ds.get(0).yaw], [2, 2, 5, 0, 1])
  ds.close()
  fs.rmSync(p.property!)
  t.throws(() => openRecordIo(p), { name: 'PamError', message: `${p.property}: cannot read RecordIO property file (ENOENT)` })
})

t.test('unreadable records name the file and record index', async (t) => {
  const dir = smallSet(t)
  const p = recordIoPaths(dir)
  const idx = parseIdx(fs.readFileSync(p.idx, 'utf8'), p.idx)
  const fd = fs.openSync(p.rec, 'r+')
  fs.writeSync(fd, Buffer.from([1, 2, 3, 4]), 0, 4, idx.offset(2)!)
  fs.closeSync(fd)
  const ds = openRecordIo(p)
  t.throws(() => ds.get(1), {
    name: 'PamError',
    message: `${p.rec}#2: bad chunk magic 0x04030201 at byte ${idx.offset(2)} (expected 0xced7230a)`,
  })
  t.equal(ds.get(0).label, 0, 'other records still read')
  fs.truncateSync(p.rec, idx.offset(3)! + 20)
  t.throws(() => ds.get(2), { message: new RegExp(`^${p.rec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#3: truncated, chunk at byte \\d+ announces \\d+ bytes past the end of the file$`) })
  ds.close()
})

t.test('an image that does not decode, a label out of range', async (t) => {
  const dir = t.testdir({})
  writeFaceRecordIo(dir, [[png(1), Buffer.from('garbage!')]])
  yawCsv(dir, '1,0\n2,0\n')
  const ds = openRecordIo(recordIoPaths(dir))
  t.throws(() => ds.get(1), { name: 'PamError', message: `${path.join(dir, 'train.rec')}#2: image does not decode (neither JPEG nor PNG; 8 bytes)` })
  ds.close()
  const dir2 = t.testdir({})
  const p = recordIoPaths(dir2)
  const w = createRecordIoWriter(p.rec, p.idx)
  w.write(0, packRecord(arrayHeader([2, 3], 0), new Uint8Array(0)))
  w.write(1, packRecord(scalarHeader(4, 1), png(1)))
  w.write(2, packRecord(arrayHeader([1, 2], 2), new Uint8Array(0)))
  w.close()
  yawCsv(dir2, '1,0\n')
  t.throws(() => openRecordIo(p).get(0), { message: `${p.rec}#1: label 4 is not a class index in [0, 1)` })
})

t.test('yaw file errors name the file and the record or line', async (t) => {
  const dir = smallSet(t)
  const p = recordIoPaths(dir)
  yawCsv(dir, '1,0\n3,10\n')
  t.throws(() => openRecordIo(p), { name: 'PamError', message: `${p.yaw}: no yaw for record 2 (train.rec#2)` })
  yawCsv(dir, 'index,yaw\n1,0\n2,100\n3,0\n')
  t.throws(() => openRecordIo(p), { message: `${p.yaw}:3: 2: yaw 100 is outside [-90, 90]` })
  yawCsv(dir, '1,0\n2,NaN\n3,0\n')
  t.throws(() => openRecordIo(p), { message: `${p.yaw}:2: 2: yaw 'NaN' is not a number` })
  yawCsv(dir, '1,0\n2,0\n3,0\n4,0\n')
  t.throws(() => openRecordIo(p), { message: `${p.yaw}:4: '4' is not an image record index of train.rec` })
  yawCsv(dir, '1,0\n2,0\n3,0\n2,1\n')
  t.throws(() => openRecordIo(p), { message: `${p.yaw}:4: record 2 already has a yaw` })
})

t.test('index and property consistency', async (t) => {
  const dir = smallSet(t)
  const p = recordIoPaths(dir)
  fs.writeFileSync(p.property!, '3,112,112\n')
  t.throws(() => openRecordIo(p), { message: `${p.property}: num_classes 3 disagrees with train.rec#0, which lists 2 identity records` })
  t.throws(() => parseIdx('0\t0\nx\t1\n', 'a.idx'), { message: "a.idx:2: expected 'key<TAB>offset', got 'x\t1'" })
  t.throws(() => parseIdx('0\t0\n0\t8\n', 'a.idx'), { message: 'a.idx: record 0 is listed twice' })
  const sorted = parseIdx('3\t30\n1\t10\n2\t20\n', 'a.idx')
  t.same([[...sorted.keys], sorted.offset(2), sorted.offset(4)], [[1, 2, 3], 20, undefined])
})
