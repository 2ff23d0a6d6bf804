import * as fs from 'fs'
import * as path from 'path'
import t from 'tap'
import { RECORDIO_MAGIC } from '../../../src/data/recordio-format'
import { createRecordIoWriter, writeFaceRecordIo } from '../../../src/data/recordio-writer'

t.test('records are appended with their offsets listed in the .idx', async (t) => {
  const dir = t.testdir({})
  const rec = path.join(dir, 'x.rec')
  const idx = path.join(dir, 'x.idx')
  const w = createRecordIoWriter(rec, idx)
  w.write(0, Buffer.from('abcde'))
  w.write(7, Buffer.alloc(0))
  w.write(2, Buffer.from('1234'))
  w.close()
  // 8 + 5 + 3 padding = 16; 8 + 0 = 8; 8 + 4 = 12.
  t.equal(fs.readFileSync(idx, 'utf8'), '0\t0\n7\t16\n2\t24\n')
  const bytes = fs.readFileSync(rec)
  t.equal(bytes.length, 36)
  t.same([0, 16, 24].map((o) => bytes.readUInt32LE(o)), [RECORDIO_MAGIC, RECORDIO_MAGIC, RECORDIO_MAGIC])
  t.same([bytes.readUInt32LE(4), bytes.readUInt32LE(20), bytes.readUInt32LE(28)], [5, 0, 4])
})

t.test('writeFaceRecordIo: record 0, images, identity ranges, property', async (t) => {
  const dir = t.testdir({})
  const p = writeFaceRecordIo(dir, [[Buffer.from('a')], [], [Buffer.from('b'), Buffer.from('c')]], { height: 96, width: 80 })
  t.equal(fs.readFileSync(p.property!, 'utf8'), '3,96,80\n')
  const keys = fs
    .readFileSync(p.idx, 'utf8')
    .trim()
    .split('\n')
    .map((l) => Number(l.split('\t')[0]))
  // 3 images (1-3), then identity records 4, 5, 6.
  t.same(keys, [0, 1, 2, 3, 4, 5, 6])
  const bytes = fs.readFileSync(p.rec)
  const record0 = 8
  t.same([bytes.readUInt32LE(record0), bytes.readFloatLE(record0 + 24), bytes.readFloatLE(record0 + 28)], [2, 4, 7])
})
