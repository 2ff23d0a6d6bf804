import t from 'tap'
import { unpickle, UnpickleOptions } from '../../../src/io/pickle'
import { bytesGlobals } from '../../../src/io/pickle-builtins'
import { PyCallable, PyObject, PyValue } from '../../../src/io/pickle-value'
import { fixtureBytes, fixtureJson, thrown } from './fixtures'

const setGlobal: PyCallable = (args) => new Set(Array.isArray(args[0]) ? args[0] : [])
const options: UnpickleOptions = {
  source: 'values.pkl',
  globals: { ...bytesGlobals, 'builtins.set': setGlobal, 'builtins.frozenset': setGlobal },
}

/** The JSON form make_pickle_fixtures.py writes. */
const toJson = (v: PyValue): unknown => {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : { int: v.toString() }
  if (typeof v === 'number') return Number.isFinite(v) ? v : { float: v > 0 ? 'inf' : '-inf' }
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') }
  if (Array.isArray(v)) return Object.isFrozen(v) ? { tuple: v.map(toJson) } : v.map(toJson)
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [toJson(k), toJson(x)]) }
  if (v instanceof Set) return { set: [...v].map(toJson) }
  return v
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const strict: UnpickleOptions = { source: 't.pkl', globals: { 'collections.OrderedDict': null } }

t.test('reads the same value at protocols 0 to 5', async (t) => {
  const expected = fixtureJson<unknown>('pickle_values.json')
  for (let p = 0; p <= 5; p++) {
    const { value, end } = unpickle(fixtureBytes(`pickle_values_p${p}.pkl`), options)
    t.strictSame(toJson(value), expected, `protocol ${p}`)
    t.equal(end, fixtureBytes(`pickle_values_p${p}.pkl`).length, `protocol ${p} ends at STOP`)
    const shared = (value as Map<PyValue, PyValue>).get('shared') as PyValue[]
    t.equal(shared[0], shared[1], `protocol ${p}: the memo shares one list`)
  }
})

t.test('refuses globals outside the allow-list', async (t) => {
  for (const p of [2, 4]) {
    t.same(thrown(() => unpickle(fixtureBytes(`pickle_evil_p${p}.pkl`), strict)), {
      name: 'PamError',
      message: 't.pkl: pickle refers to posix.system, which is not allowed (allowed: collections.OrderedDict)',
    })
  }
  const viaReduce = bytes('\x80\x02cos\nsystem\nX\x02\x00\x00\x00ls\x85R.')
  t.equal(thrown(() => unpickle(viaReduce, strict)).message, 't.pkl: pickle refers to os.system, which is not allowed (allowed: collections.OrderedDict)')
  const viaInst = bytes("(S'ls'\nios\nsystem\n.")
  t.equal(thrown(() => unpickle(viaInst, strict)).message, 't.pkl: pickle refers to os.system, which is not allowed (allowed: collections.OrderedDict)')
})

t.test('names unknown opcodes and truncation with their offsets', async (t) => {
  t.same(thrown(() => unpickle(bytes('\x80\x02K\x01\xff.'), strict)), { name: 'PamError', message: 't.pkl: unknown pickle opcode 0xff at offset 4' })
  t.equal(thrown(() => unpickle(bytes('\x80\x02X\x05\x00\x00\x00ab'), strict)).message, 't.pkl: truncated at offset 7: BINUNICODE needs 5 bytes, 2 left')
  t.equal(thrown(() => unpickle(bytes('\x80\x02K'), strict)).message, 't.pkl: truncated at offset 3: BININT1 needs 1 byte, 0 left')
  t.equal(thrown(() => unpickle(bytes('\x80\x02K\x01'), strict)).message, 't.pkl: truncated at offset 4: pickle opcode needs 1 byte, 0 left')
  const cut = fixtureBytes('pickle_values_p2.pkl').subarray(0, 1000)
  t.match(thrown(() => unpickle(cut, { ...options, source: 'cut.pkl' })).message, /^cut\.pkl: truncated at offset \d+: /)
})

t.test('reports malformed streams with the opcode and offset', async (t) => {
  t.equal(thrown(() => unpickle(bytes('\x80\x02R.'), strict)).message, 't.pkl: malformed pickle: stack empty (REDUCE at offset 2)')
  t.equal(thrown(() => unpickle(bytes('\x80\x02h\x07.'), strict)).message, 't.pkl: malformed pickle: memo 7 is empty (BINGET at offset 2)')
  t.equal(thrown(() => unpickle(bytes('\x80\x02K\x01e.'), strict)).message, 't.pkl: malformed pickle: no MARK (APPENDS at offset 4)')
  t.equal(thrown(() => unpickle(bytes('\x80\x02K\x01Q.'), strict)).message, 't.pkl: persistent id without a loader (BINPERSID at offset 4)')
  t.equal(thrown(() => unpickle(bytes('\x80\x02\x82\x01.'), strict)).message, 't.pkl: the extension registry (copyreg codes) is not supported (EXT1 at offset 2)')
  t.equal(thrown(() => unpickle(bytes('\x80\x05\x97.'), strict)).message, 't.pkl: out-of-band buffers are not supported (NEXT_BUFFER at offset 2)')
  t.equal(
    thrown(() => unpickle(bytes('\x80\x02ccollections\nOrderedDict\n)R.'), strict)).message,
    't.pkl: collections.OrderedDict may appear in this file but not be called (REDUCE at offset 28)',
  )
  t.equal(thrown(() => unpickle(bytes('\x80\x02]}b.'), strict)).message, 't.pkl: a list of 0 takes no state (BUILD at offset 4)')
})

t.test('reads Python 2 protocol-0 text opcodes; str comes out as bytes', async (t) => {
  const py2 = bytes("(lp0\nS'ab\\x00c\\'d\\n'\np1\naI01\naI00\naL12345678901234567890L\naF1.5\naV\\u00e9t\\u00e9\np2\nag1\na.")
  const { value } = unpickle(py2, strict)
  t.same(value, [bytes("ab\x00c'd\n"), true, false, 12345678901234567890n, 1.5, 'été', bytes("ab\x00c'd\n")])
  const list = value as PyValue[]
  t.equal(list[0], list[6], 'GET returns the memoized object')
})

t.test('maps Python 2 module names and calls allowed globals', async (t) => {
  const p2 = bytes('\x80\x02c__builtin__\nbytearray\nX\x02\x00\x00\x00hiX\x07\x00\x00\x00latin-1\x86R.')
  t.same(unpickle(p2, options).value, bytes('hi'))
  const failing: UnpickleOptions = { source: 't.pkl', globals: { 'm.f': () => { throw new Error('no such thing') } } }
  t.equal(thrown(() => unpickle(bytes('\x80\x02cm\nf\n)R.'), failing)).message, 't.pkl: m.f: no such thing (REDUCE at offset 8)')
})

t.test('hands persistent ids to the loader and applies BUILD through __setstate__', async (t) => {
  const seen: PyValue[] = []
  const made: PyObject & { state?: PyValue } = { _tag: 'thing', __setstate__(s) { this.state = s } }
  const opts: UnpickleOptions = {
    source: 't.pkl',
    globals: { 'm.Thing': () => made },
    persistentLoad: (pid) => (seen.push(pid), 42),
  }
  const { value } = unpickle(bytes('\x80\x02(X\x01\x00\x00\x00kK\x07tQcm\nThing\n)\x81K\x05b\x86.'), opts)
  t.same(seen, [['k', 7]])
  t.same(value, [42, made])
  t.equal(made.state, 5)
})

t.test('reads consecutive pickles from one stream', async (t) => {
  const two = bytes('\x80\x02K\x01.\x80\x02K\x02.')
  const first = unpickle(two, strict)
  t.same([first.value, first.end], [1, 5])
  t.same(unpickle(two, strict, first.end), { value: 2, end: 10 })
})
