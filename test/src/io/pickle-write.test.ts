import t from 'tap'
import { unpickle } from '../../../src/io/pickle'
import { encodePickle, global, persid, reduce, tuple, withItems } from '../../../src/io/pickle-write'
import { PyValue } from '../../../src/io/pickle-value'

t.test('what it writes, the unpickler reads back', async (t) => {
  const ints = [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 52), Number.MAX_SAFE_INTEGER]
  const { value } = unpickle(encodePickle(tuple(null, true, false, 'héllo ✓', tuple(...ints), tuple(), tuple(1, 2, 3, 4))), {
    source: 'w.pkl',
    globals: {},
  })
  t.same(value, [null, true, false, 'héllo ✓', ints, [], [1, 2, 3, 4]])
})

t.test('writes globals, REDUCE, persistent ids and batched SETITEMS', async (t) => {
  const items = Array.from({ length: 2500 }, (_, i) => [`k${i}`, persid(tuple('p', i))] as const)
  const pids: PyValue[] = []
  const { value } = unpickle(encodePickle(withItems(reduce(global('m', 'D')), items)), {
    source: 'w.pkl',
    globals: { 'm.D': () => new Map() },
    persistentLoad: (pid) => (pids.push(pid), (pid as PyValue[])[1]),
  })
  const d = value as Map<PyValue, PyValue>
  t.equal(d.size, 2500)
  t.equal(d.get('k2499'), 2499)
  t.same(pids[7], ['p', 7])
})
