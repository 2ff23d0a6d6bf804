import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../../../src/io/npy'
import { fixtureBytes, fixturePath, thrown } from './fixtures'

t.test('writes the bytes numpy writes', async (t) => {
  t.same(encodeNpy(Float32Array.of(1, 2, 3, 4, 5, 6.5), [2, 3]), fixtureBytes('npy_f4_2x3.npy'))
  t.same(encodeNpy(Float32Array.of(0.5, -1, 2, 1e-3, 3e38), [5]), fixtureBytes('npy_f4_5.npy'))
})

t.test('reads numpy files, converting float64', async (t) => {
  t.same(readNpy(fixturePath('npy_f4_2x3.npy')), { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6.5) })
  t.same(readNpy(fixturePath('npy_f8_2x2.npy')), { shape: [2, 2], data: Float32Array.of(0.1, 0.2, Infinity, -4) })
})

t.test('round-trips N×D embeddings through a file, data 64-byte aligned', async (t) => {
  const data = Float32Array.from({ length: 7 * 512 }, (_, i) => Math.sin(i))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-npy-'))
  const file = path.join(dir, 'emb.npy')
  writeNpy(file, data, [7, 512])
  const bytes = fs.readFileSync(file)
  t.equal((10 + bytes.readUInt16LE(8)) % 64, 0)
  t.same(readNpy(file), { shape: [7, 512], data })
  fs.rmSync(dir, { recursive: true })
})

t.test('names the file at fault', async (t) => {
  const bytes = fixtureBytes('npy_f4_2x3.npy')
  t.equal(thrown(() => decodeNpy(bytes.subarray(0, 140), 'e.npy')).message, 'e.npy: truncated at offset 128: npy data (6 elements) needs 24 bytes, 12 left')
  t.equal(thrown(() => decodeNpy(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 'e.npy')).message, 'e.npy: not a .npy file (bad magic)')
  t.equal(thrown(() => encodeNpy(new Float32Array(5), [2, 3])).message, 'npy: shape [2, 3] does not hold 5 elements')
})
