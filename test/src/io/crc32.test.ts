import t from 'tap'
import { crc32, crc32Portable } from '../../../src/io/crc32'

t.test('computes the IEEE CRC-32 zip uses', async (t) => {
  const check = new Uint8Array(Buffer.from('123456789'))
  t.equal(crc32(check), 0xcbf43926)
  t.equal(crc32Portable(check), 0xcbf43926)
  t.equal(crc32(new Uint8Array(0)), 0)
  const data = Uint8Array.from({ length: 100000 }, (_, i) => (i * 31) & 0xff)
  t.equal(crc32Portable(data), crc32(data), 'portable and native agree')
  t.equal(crc32(data.subarray(500), crc32(data.subarray(0, 500))), crc32(data), 'continues from a seed')
})
