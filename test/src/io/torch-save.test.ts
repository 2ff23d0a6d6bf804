import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { parseTorchCheckpoint, readTorchCheckpoint } from '../../../src/io/torch-checkpoint'
import { encodeTorchSave, SavedTensor, writeTorchSave } from '../../../src/io/torch-save'
import { openZip, readEntry } from '../../../src/io/zip'
import { fixturePath, thrown } from './fixtures'

const ramp = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => (i - n / 2) * scale)

const stateDict: [string, SavedTensor][] = [
  ['conv1.weight', { shape: [4, 3, 2, 2], data: ramp(48, 0.125) }],
  ['bn1.running_var', { shape: [4], data: Float32Array.of(1, 2, 3, 1e-5) }],
  ['bn1.num_batches_tracked', { shape: [], data: Float32Array.of(12345) }],
  ['fc.weight', { shape: [0, 3], data: new Float32Array(0) }],
  ['features.weight', { shape: [2, 70000], data: ramp(140000, 1e-3) }],
]

t.test('round-trips through the reader', async (t) => {
  const c = parseTorchCheckpoint(encodeTorchSave(stateDict), 'ours.pt')
  t.equal(c.format, 'zip')
  t.strictSame(c.tensors.map((x) => [x.name, x.dtype, [...x.shape]]), stateDict.map(([n, s]) => [n, 'float32', s.shape]))
  c.tensors.forEach((x, i) => t.same(x.data, stateDict[i][1].data, `${x.name} data`))
})

t.test('lays the archive out as torch.save does', async (t) => {
  const bytes = encodeTorchSave(new Map(stateDict))
  const zip = openZip(bytes, 'ours.pt')
  t.strictSame(zip.entries.map((e) => e.name), [
    'archive/data.pkl', 'archive/byteorder',
    ...stateDict.map((_, i) => `archive/data/${i}`),
    'archive/version',
  ])
  t.equal(Buffer.from(readEntry(zip, zip.entries.at(-1)!)).toString(), '3\n')
  t.equal(Buffer.from(readEntry(zip, zip.entries[1])).toString(), 'little')
  const v = new DataView(bytes.buffer, bytes.byteOffset)
  for (const e of zip.entries) {
    const start = e.localHeaderOffset + 30 + v.getUint16(e.localHeaderOffset + 26, true) + v.getUint16(e.localHeaderOffset + 28, true)
    t.equal(start % 64, 0, `${e.name} data is 64-byte aligned`)
    t.equal(e.method, 0, `${e.name} is stored`)
  }
})

t.test('re-writes a checkpoint PyTorch wrote, values intact', async (t) => {
  const original = readTorchCheckpoint(fixturePath('torch_zip.pt'))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-io-'))
  const file = path.join(dir, 'rewritten.pt')
  writeTorchSave(file, original.tensors.map((x) => [x.name, x] as const))
  const back = readTorchCheckpoint(file)
  t.strictSame(back.tensors.map((x) => x.name), original.tensors.map((x) => x.name))
  back.tensors.forEach((x, i) => {
    t.strictSame([...x.shape], [...original.tensors[i].shape])
    t.same(x.data, original.tensors[i].data, x.name)
  })
  fs.rmSync(dir, { recursive: true })
})

t.test('refuses data that does not fill the shape', async (t) => {
  t.same(thrown(() => encodeTorchSave([['w', { shape: [2, 3], data: new Float32Array(5) }]])), {
    name: 'PamError',
    message: '<memory>: w: shape [2, 3] holds 6 elements, data has 5',
  })
})
