import t from 'tap'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { readJsonFile } from '../../../src/util/json-file'

t.test('parses a file, or names it and its role in one message', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-json-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const good = path.join(dir, 'good.json')
  fs.writeFileSync(good, '{"a": [1, 2]}')
  t.same(readJsonFile(good, 'plan'), { a: [1, 2] })
  const missing = path.join(dir, 'none.json')
  t.throws(() => readJsonFile(missing, 'plan'), { name: 'PamError', message: `${missing}: cannot read the plan (no such file)` })
  const broken = path.join(dir, 'broken.json')
  fs.writeFileSync(broken, '{ "a": ')
  t.throws(() => readJsonFile(broken, 'config'), { message: new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the config \\(.+\\)$`) })
})
