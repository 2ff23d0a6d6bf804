import t from 'tap'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { analyze } from '../../dsl/analyze'
import { formatSummary, summaryRows } from '../../dsl/summary'
import { buildModel } from '../../models/zoo'

const GOLDEN = path.join(__dirname, '../../../test/fixtures/dsl')

const tree = (name: string, size: number, width: number) => {
  const b = buildModel(name, { size, width })
  if (E.isLeft(b)) throw new Error(b.left)
  const a = analyze(b.right, [size, size, 3])
  if (E.isLeft(a)) throw new Error(a.left.path)
  return a.right
}

t.test('rows add up to the totals at every depth', async (t) => {
  const root = tree('IR50+PAM12', 112, 1)
  for (const depth of [0, 1, 2, 3, 4, Infinity]) {
    const rows = summaryRows(root, { depth })
    t.equal(rows.reduce((a, r) => a + r.params, 0), root.trainable + root.nonTrainable, `params at depth ${depth}`)
    t.equal(rows.reduce((a, r) => a + r.macs, 0), root.macs, `MACs at depth ${depth}`)
  }
  t.equal(summaryRows(root, { depth: 1 }).length, 9, 'input, stem, 4 stages, 2 PAMs, head')
})

t.test('golden tables (regenerate with UPDATE_GOLDEN=1)', async (t) => {
  for (const [name, file, depth] of [['IR18+PAM12', 'ir18-pam12-depth2.txt', 2], ['IR50+PAM12', 'ir50-pam12-depth1.txt', 1]] as const) {
    const text = formatSummary(tree(name, 112, 1), { depth, title: name }) + '\n'
    const golden = path.join(GOLDEN, file)
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(golden, text)
    t.equal(text, fs.readFileSync(golden, 'utf8'), file)
  }
})
