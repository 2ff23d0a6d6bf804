import t from 'tap'
import { findEntry, isZip, openZip, readEntry } from '../../../src/io/zip'
import { fixtureBytes, thrown } from './fixtures'

const bBin = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 251)
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8')

t.test('reads stored and deflated entries past an archive comment', async (t) => {
  const zip = openZip(fixtureBytes('zip_plain.zip'), 'plain.zip')
  t.strictSame(zip.entries.map((e) => [e.name, e.method]), [['a.txt', 0], ['dir/b.bin', 8]])
  t.equal(text(readEntry(zip, findEntry(zip, 'a.txt')!)), 'hello\n')
  t.same(readEntry(zip, findEntry(zip, 'dir/b.bin')!), bBin)
})

t.test('reads zip64 extra fields and end records', async (t) => {
  const bytes = fixtureBytes('zip_zip64.zip')
  const zip = openZip(bytes, 'z64.zip')
  const b = findEntry(zip, 'dir/b.bin')!
  t.equal(b.size, 3000)
  t.ok(b.localHeaderOffset > 0, 'the offset came from the zip64 extra field')
  t.same(readEntry(zip, b), bBin)
  // saturate the 32-bit end record as a > 4 GiB archive would: the zip64 record must be used
  const end = bytes.length - 22 - 37 // comment of 37 bytes
  t.equal(new DataView(bytes.buffer).getUint32(end, true), 0x06054b50)
  const patched = bytes.slice()
  const v = new DataView(patched.buffer)
  v.setUint16(end + 8, 0xffff, true)
  v.setUint16(end + 10, 0xffff, true)
  v.setUint32(end + 12, 0xffffffff, true)
  v.setUint32(end + 16, 0xffffffff, true)
  const again = openZip(patched, 'z64.zip')
  t.equal(text(readEntry(again, findEntry(again, 'a.txt')!)), 'hello\n')
})

t.test('reads the archive torch.save writes', async (t) => {
  const zip = openZip(fixtureBytes('torch_zip.pt'), 'torch_zip.pt')
  t.equal(zip.entries[0].name, 'torch_zip/data.pkl')
  t.equal(text(readEntry(zip, findEntry(zip, 'torch_zip/version')!)), '3\n')
})

t.test('names the file when the archive is corrupt or truncated', async (t) => {
  const bytes = fixtureBytes('zip_plain.zip')
  t.notOk(isZip(Uint8Array.of(1, 2, 3, 4)))
  t.same(thrown(() => openZip(bytes.subarray(0, 200), 'cut.zip')), {
    name: 'PamError',
    message: 'cut.zip: not a zip archive, or truncated (no end-of-central-directory record)',
  })
  const flipped = bytes.slice()
  flipped[findDataStart(bytes, 'a.txt')] ^= 0xff
  const zip = openZip(flipped, 'bad.zip')
  t.equal(thrown(() => readEntry(zip, findEntry(zip, 'a.txt')!)).message, 'bad.zip: corrupt zip: entry a.txt fails its CRC check')

  const deflated = bytes.slice()
  deflated[findDataStart(bytes, 'dir/b.bin')] = 0xff // an invalid deflate block type
  const z2 = openZip(deflated, 'bad.zip')
  t.match(thrown(() => readEntry(z2, findEntry(z2, 'dir/b.bin')!)).message, /^bad\.zip: corrupt zip: entry dir\/b\.bin does not inflate/)

  const badDir = bytes.slice()
  const dirOffset = new DataView(bytes.buffer).getUint32(bytes.length - 37 - 22 + 16, true)
  badDir[dirOffset] = 0
  t.equal(thrown(() => openZip(badDir, 'bad.zip')).message, `bad.zip: corrupt zip: central directory entry 0 at offset ${dirOffset} has a bad signature`)

  // a torch file cut short: its end record is gone
  const torch = fixtureBytes('torch_zip.pt')
  t.match(thrown(() => openZip(torch.subarray(0, torch.length - 30), 'model.pt')).message, /^model\.pt: /)
})

/** Where an entry's data starts, from its local header. */
function findDataStart(bytes: Uint8Array, name: string): number {
  const zip = openZip(bytes, 'x')
  const e = findEntry(zip, name)!
  const v = new DataView(bytes.buffer, bytes.byteOffset)
  return e.localHeaderOffset + 30 + v.getUint16(e.localHeaderOffset + 26, true) + v.getUint16(e.localHeaderOffset + 28, true)
}
