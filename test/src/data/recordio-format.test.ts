import t from 'tap'
import {
  arrayHeader,
  ChunkFlag,
  encodeRecordChunks,
  headerClass,
  packRecord,
  RECORDIO_MAGIC,
  scalarHeader,
  unpackRecord,
} from '../../../src/data/recordio-format'

const u32 = (...xs: number[]): Buffer => {
  const b = Buffer.alloc(4 * xs.length)
  xs.forEach((x, i) => b.writeUInt32LE(x >>> 0, 4 * i))
  return b
}
const lrec = (flag: ChunkFlag, length: number): number => ((flag << 29) | length) >>> 0

t.test('a record without the magic is one chunk, zero-padded to 4 bytes', async (t) => {
  const payload = Buffer.from([1, 2, 3, 4, 5])
  t.same(encodeRecordChunks(payload), Buffer.concat([u32(RECORDIO_MAGIC, lrec(ChunkFlag.Whole, 5)), payload, Buffer.alloc(3)]))
  t.same(encodeRecordChunks(Buffer.alloc(0)), u32(RECORDIO_MAGIC, 0))
})

t.test('the magic at 4-aligned offsets splits the record and is dropped (dmlc-core)', async (t) => {
  // bytes: AAAA MAGIC BBBB MAGIC CC
  const payload = Buffer.concat([Buffer.from('AAAA'), u32(RECORDIO_MAGIC), Buffer.from('BBBB'), u32(RECORDIO_MAGIC), Buffer.from('CC')])
  const expected = Buffer.concat([
    u32(RECORDIO_MAGIC, lrec(ChunkFlag.First, 4)),
    Buffer.from('AAAA'),
    u32(RECORDIO_MAGIC, lrec(ChunkFlag.Middle, 4)),
    Buffer.from('BBBB'),
    u32(RECORDIO_MAGIC, lrec(ChunkFlag.Last, 2)),
    Buffer.from('CC'),
    Buffer.alloc(2),
  ])
  t.same(encodeRecordChunks(payload), expected)
  // At offset 0 the first chunk is empty; an unaligned magic is data.
  t.same(encodeRecordChunks(Buffer.concat([u32(RECORDIO_MAGIC), Buffer.from('DDDD')])), Buffer.concat([u32(RECORDIO_MAGIC, lrec(ChunkFlag.First, 0), RECORDIO_MAGIC, lrec(ChunkFlag.Last, 4)), Buffer.from('DDDD')]))
  const unaligned = Buffer.concat([Buffer.from('E'), u32(RECORDIO_MAGIC), Buffer.from('FFF')])
  t.same(encodeRecordChunks(unaligned), Buffer.concat([u32(RECORDIO_MAGIC, lrec(ChunkFlag.Whole, 8)), unaligned]))
})

t.test('IRHeader IfQQ: scalar and label-array forms round-trip', async (t) => {
  const image = Buffer.from([0xff, 0xd8, 0xff, 9])
  const scalar = packRecord(scalarHeader(7, 123), image)
  t.equal(scalar.length, 24 + 4)
  t.same([scalar.readUInt32LE(0), scalar.readFloatLE(4), Number(scalar.readBigUInt64LE(8)), Number(scalar.readBigUInt64LE(16))], [0, 7, 123, 0])
  const s = unpackRecord(scalar)
  if (typeof s === 'string') throw new Error(s)
  t.same([s.header.flag, s.header.label, s.header.labels, s.header.id, headerClass(s.header)], [0, 7, [], 123, 7])
  t.same(Buffer.from(s.image), image)

  const array = packRecord(arrayHeader([3, 0.5], 9), image)
  t.equal(array.length, 24 + 8 + 4)
  t.same([array.readUInt32LE(0), array.readFloatLE(4), array.readFloatLE(24), array.readFloatLE(28)], [2, 0, 3, 0.5])
  const a = unpackRecord(array)
  if (typeof a === 'string') throw new Error(a)
  t.same([a.header.flag, a.header.labels, headerClass(a.header)], [2, [3, 0.5], 3])
  t.same(Buffer.from(a.image), image)
})

t.test('short records are described, not thrown', async (t) => {
  t.equal(unpackRecord(Buffer.alloc(10)), 'record is 10 bytes, shorter than its 24-byte IRHeader')
  const liar = Buffer.alloc(28)
  liar.writeUInt32LE(5, 0)
  t.equal(unpackRecord(liar), "IRHeader flag 5 announces more labels than the record's 28 bytes hold")
})
