import t from 'tap'
import { encodePickle, global, persid, reduce, tuple, withItems } from '../../../src/io/pickle-write'
import { parseTorchCheckpoint, readTorchCheckpoint, TorchCheckpoint } from '../../../src/io/torch-checkpoint'
import { zipStoredChunks } from '../../../src/io/zip-write'
import { PamError } from '../../../src/util/errors'
import { createRng } from '../../../src/util/rng'
import { fixtureBytes, fixtureJson, fixturePath, thrown } from './fixtures'

interface Expected {
  tensors: { name: string; dtype: string; shape: number[]; values: number[] }[]
}
const expected = fixtureJson<Expected>('torch_expected.json').tensors

/** Every tensor matches PyTorch's values, rounded to float32 (what the reader returns). */
const matchesTorch = (t: tap.Test, c: TorchCheckpoint, label: string) => {
  t.strictSame(c.tensors.map((x) => x.name), expected.map((e) => e.name), `${label}: names in order`)
  c.tensors.forEach((x, i) => {
    const e = expected[i]
    t.equal(x.dtype, e.dtype, `${label}: ${e.name} dtype`)
    t.strictSame([...x.shape], e.shape, `${label}: ${e.name} shape`)
    t.strictSame(Array.from(x.data), e.values.map(Math.fround), `${label}: ${e.name} values`)
  })
}

t.test('reads the zip format (PyTorch >= 1.6)', async (t) => {
  const c = readTorchCheckpoint(fixturePath('torch_zip.pt'))
  t.equal(c.format, 'zip')
  t.equal(c.wrapperKey, null)
  t.equal(c.strippedPrefix, null)
  matchesTorch(t, c, 'zip')
})

t.test('reads the legacy format', async (t) => {
  const c = readTorchCheckpoint(fixturePath('torch_legacy.pt'))
  t.equal(c.format, 'legacy')
  matchesTorch(t, c, 'legacy')
})

t.test('reads a state_dict pickled without torch.save (_load_from_bytes)', async (t) => {
  const c = readTorchCheckpoint(fixturePath('torch_plain.pkl'))
  t.equal(c.format, 'pickle')
  matchesTorch(t, c, 'plain pickle')
})

t.test('unwraps {state_dict: ...} and {model: ...} and strips module.', async (t) => {
  const zip = readTorchCheckpoint(fixturePath('torch_wrapped_zip.pt'))
  t.same([zip.wrapperKey, zip.strippedPrefix], ['state_dict', 'module.'])
  matchesTorch(t, zip, 'wrapped zip')
  const legacy = readTorchCheckpoint(fixturePath('torch_wrapped_legacy.pt'))
  t.same([legacy.wrapperKey, legacy.strippedPrefix], ['model', 'module.'])
  matchesTorch(t, legacy, 'wrapped legacy')
})

t.test('the common values come out as the paper needs them', async (t) => {
  const c = readTorchCheckpoint(fixturePath('torch_zip.pt'))
  const byName = new Map(c.tensors.map((x) => [x.name, x]))
  const nbt = byName.get('1.num_batches_tracked')!
  t.same([nbt.dtype, nbt.shape, Array.from(nbt.data)], ['int64', [], [12345]])
  t.same(Array.from(byName.get('strided.weight')!.data), [0, 2, 4, 6, 8, 10])
  t.same(byName.get('empty.rows')!.shape, [0, 3])
})

t.test('refuses a whole pickled model, naming the class', async (t) => {
  const { name, message } = thrown(() => readTorchCheckpoint(fixturePath('torch_whole_model.pt')))
  t.equal(name, 'PamError')
  t.match(message, /^.*torch_whole_model\.pt:torch_whole_model\/data\.pkl: pickle refers to torch\.nn\.modules\.container\.Sequential, which is not allowed \(allowed: collections\.OrderedDict, /)
})

t.test('names the file when it is corrupt or truncated', async (t) => {
  const zip = fixtureBytes('torch_zip.pt')
  t.match(thrown(() => parseTorchCheckpoint(zip.subarray(0, 3000), 'model.pt')).message, /^model\.pt: not a zip archive, or truncated/)
  const flipped = zip.slice()
  flipped[0x40 + 200] ^= 0x55 // inside data.pkl
  t.equal(thrown(() => parseTorchCheckpoint(flipped, 'model.pt')).message, 'model.pt: corrupt zip: entry torch_zip/data.pkl fails its CRC check')

  const legacy = fixtureBytes('torch_legacy.pt')
  for (const cut of [10, 500, legacy.length - 1]) {
    t.match(thrown(() => parseTorchCheckpoint(legacy.subarray(0, cut), 'old.pt')).message, /^old\.pt: truncated at offset \d+: /, `legacy cut at ${cut}`)
  }
  t.equal(thrown(() => parseTorchCheckpoint(Uint8Array.of(0x80, 2, 0x4b, 3, 0x2e), 'x.pt')).message, 'x.pt: expected a state_dict (a dict of tensors), found an int')
  t.equal(
    thrown(() => parseTorchCheckpoint(Uint8Array.from('\x80\x02}X\x05\x00\x00\x00epochK\x03s.', (c) => c.charCodeAt(0)), 'x.pt')).message,
    'x.pt: no state_dict found: the top-level dict has keys epoch (looked for a dict of tensors at the top or under state_dict, model_state_dict, model, net, network, backbone, module, params, weights)',
  )
})

t.test('honours a big-endian byteorder record and tensor subclasses', async (t) => {
  const storage = persid(tuple('storage', global('torch', 'FloatStorage'), '0', 'cpu', 3))
  const rebuild = global('torch._utils', '_rebuild_tensor_v2')
  const args = [storage, 1, tuple(2), tuple(1), false, reduce(global('collections', 'OrderedDict'))] as const
  const pickle = encodePickle(
    withItems(reduce(global('collections', 'OrderedDict')), [
      ['plain', reduce(rebuild, ...args)],
      ['subclass', reduce(global('torch._tensor', '_rebuild_from_type_v2'), rebuild, global('torch', 'Tensor'), tuple(...args), null)],
    ]),
  )
  const data = new Uint8Array(12)
  ;[1.5, -2, 0.25].forEach((x, i) => new DataView(data.buffer).setFloat32(4 * i, x, false))
  const text = (s: string) => new Uint8Array(Buffer.from(s))
  const file = Buffer.concat(
    zipStoredChunks(
      [
        { name: 'be/data.pkl', data: pickle },
        { name: 'be/byteorder', data: text('big') },
        { name: 'be/data/0', data },
        { name: 'be/version', data: text('3\n') },
      ],
      'be.pt',
    ),
  )
  const c = parseTorchCheckpoint(file, 'be.pt')
  t.strictSame(c.tensors.map((x) => [x.name, Array.from(x.data)]), [['plain', [-2, 0.25]], ['subclass', [-2, 0.25]]])
})

t.test('any corruption of the fixtures is a PamError or a value, never a crash', async (t) => {
  const rng = createRng(7)
  const others: string[] = []
  for (const name of ['torch_zip.pt', 'torch_legacy.pt', 'torch_plain.pkl', 'torch_wrapped_legacy.pt']) {
    const original = fixtureBytes(name)
    for (let k = 0; k < 200; k++) {
      const b = original.slice()
      for (let j = 0; j < 3; j++) b[Math.floor(rng.next() * b.length)] = Math.floor(rng.next() * 256)
      const input = rng.next() < 0.3 ? b.subarray(0, Math.floor(rng.next() * b.length)) : b
      try {
        parseTorchCheckpoint(input, name)
      } catch (e) {
        if (!(e instanceof PamError)) others.push(`${name}: ${(e as Error).stack}`)
      }
    }
  }
  t.strictSame(others, [])
})
