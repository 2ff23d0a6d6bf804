import t from 'tap'
import { encodeU32, readU32, skipSigned, WasmFormatError } from '../../../../src/backend/wasm-fma/leb128'

t.test('u32 round trip, shortest encodings', async (t) => {
  for (const n of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 32 - 1]) {
    const bytes = new Uint8Array(encodeU32(n))
    t.equal(readU32({ bytes, pos: 0 }), n, String(n))
  }
  t.same(encodeU32(624485), [0xe5, 0x8e, 0x26], 'the textbook example')
  t.same(encodeU32(127), [0x7f])
})

t.test('signed values are skipped by their continuation bits', async (t) => {
  const c = { bytes: new Uint8Array([0xc0, 0xbb, 0x78, 0x2a]), pos: 0 } // −123456, then 42
  skipSigned(c, 32)
  t.equal(c.pos, 3)
})

t.test('errors', async (t) => {
  t.throws(() => readU32({ bytes: new Uint8Array([0x80, 0x80]), pos: 0 }), new WasmFormatError('unexpected end of the module at byte 2'))
  t.throws(() => readU32({ bytes: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f]), pos: 0 }), new WasmFormatError('u32 out of range at byte 5'))
  t.throws(() => readU32({ bytes: new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), pos: 0 }), new WasmFormatError('u32 longer than 5 bytes at byte 5'))
})
