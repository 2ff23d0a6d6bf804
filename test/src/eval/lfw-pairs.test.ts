import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { lfwImagePath, parseLfwPairs, readLfwPairs } from '../../../src/eval/lfw-pairs'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-lfw-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

// Two sets of one same and one different pair, tab-separated as LFW ships it.
const PAIRS = '2\t1\nAbel_Pacheco\t1\t4\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\nAnn_Veneman\t2\t10\nZico\t1\tZoe_Ball\t1\n'
const root = path.join(tmp, 'lfw')
for (const [name, n] of [['Abel_Pacheco', 1], ['Abel_Pacheco', 4], ['Abdel_Madi_Shabneh', 1], ['Dean_Barker', 1], ['Ann_Veneman', 2], ['Ann_Veneman', 10], ['Zico', 1], ['Zoe_Ball', 1]] as const) {
  fs.mkdirSync(path.join(root, name), { recursive: true })
  fs.writeFileSync(lfwImagePath(root, name, n), '')
}
const file = path.join(tmp, 'pairs.txt')
fs.writeFileSync(file, PAIRS)

t.test('reads sets as folds, same then different pairs', async (t) => {
  const lfw = readLfwPairs(file, root)
  t.equal(lfw.sets, 2)
  t.equal(lfw.perSet, 1)
  t.same(Array.from(lfw.folds), [0, 0, 1, 1])
  t.same(lfw.pairs.map((p) => p.issame), [true, false, true, false])
  t.same(lfw.pairs[0], {
    a: path.join(root, 'Abel_Pacheco/Abel_Pacheco_0001.jpg'),
    b: path.join(root, 'Abel_Pacheco/Abel_Pacheco_0004.jpg'),
    issame: true,
    fold: 0,
    line: 2,
  })
  t.equal(lfw.pairs[2].b, path.join(root, 'Ann_Veneman/Ann_Veneman_0010.jpg'))
  t.equal(lfw.pairs[3].a, path.join(root, 'Zico/Zico_0001.jpg'))
  // CRLF and spaces instead of tabs read the same; a one-number header is one set.
  t.same(parseLfwPairs(PAIRS.replace(/\t/g, ' ').replace(/\n/g, '\r\n'), 'p', root).pairs, lfw.pairs)
  t.equal(parseLfwPairs('2\nA 1 2\nB 1 2\nC 1 D 1\nE 1 F 1\n', 'p', root).sets, 1)
})

t.test('bad files name the line', async (t) => {
  const bad = (text: string, message: string): void => {
    t.throws(() => parseLfwPairs(text, 'pairs.txt', root), { name: 'PamError', message }, message)
  }
  bad('', "pairs.txt: empty, expected a header 'sets pairs-per-set'")
  bad('ten 300\n', "pairs.txt:1: expected a header 'sets pairs-per-set' (e.g. '10 300'), got 'ten 300'")
  bad(PAIRS.replace('Zico\t1\tZoe_Ball\t1\n', ''), "pairs.txt: header '2\t1' announces 4 pairs, found 3")
  bad(PAIRS.replace('Ann_Veneman\t2\t10', 'Ann_Veneman\t2'), "pairs.txt:4: expected 'name n1 n2' or 'name1 n1 name2 n2', got 'Ann_Veneman\t2'")
  bad(
    PAIRS.replace('Ann_Veneman\t2\t10', 'Ann_Veneman\t2\tZico\t1'),
    "pairs.txt:4: expected a same pair 'name n1 n2' (each set is 1 same then 1 different pairs), got 'Ann_Veneman\t2\tZico\t1'",
  )
  bad(PAIRS.replace('Abel_Pacheco\t1\t4', 'Abel_Pacheco\t1\tx'), "pairs.txt:2: image number 'x' is not a positive integer")
  fs.rmSync(lfwImagePath(root, 'Zoe_Ball', 1))
  t.throws(() => readLfwPairs(file, root), { message: `${file}:5: image ${path.join(root, 'Zoe_Ball/Zoe_Ball_0001.jpg')} does not exist` })
})
