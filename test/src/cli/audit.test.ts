import t from 'tap'
import { auditCommand } from '../../../src/cli/commands/audit'

const run = async (argv: string[]) => {
  const out: string[] = []
  const code = await auditCommand(argv, (s) => out.push(s)).catch((e: Error) => e)
  return { code, out: out.join('\n') }
}

t.test('--json gives the fields a script needs', async (t) => {
  const { code, out } = await run(['ir100+pam1234', 'IR50', '--json'])
  t.equal(code, 0)
  const rows = JSON.parse(out)
  t.same(rows.map((r: { model: string }) => r.model), ['IR100+PAM1234', 'IR50'])
  t.same(Object.keys(rows[1]).sort(), ['inputShape', 'macs', 'model', 'nonTrainableParams', 'outputShape', 'totalParams', 'trainableParams'])
  t.equal(rows[1].trainableParams, 43_574_976)
  t.equal(rows[0].trainableParams, 65_129_792 + 65_600)
  t.same(rows[1].outputShape, [512])
})

t.test('--paper: every figure matches', async (t) => {
  const { code, out } = await run(['--paper'])
  t.equal(code, 0)
  t.match(out, /all 12 figures reproduced exactly/)
  t.notMatch(out, / NO\b/)
})

t.test('bad input: one clear line and the valid names', async (t) => {
  const unknown = await run(['IR51'])
  t.type(unknown.code, Error)
  t.match((unknown.code as Error).message, /^pam audit: unknown model "IR51": depth 51 is not one of 18, 34, 50, 100 \(or 101\), 152\nvalid models:\n  IR50 /)
  const flag = await run(['IR50', '--jsn'])
  t.equal((flag.code as Error).message, 'pam audit: unknown flag --jsn (valid: --json --depth --size --width --embedding --paper --verify --help)')
  const size = await run(['IR50', '--size', 'big'])
  t.equal((size.code as Error).message, 'pam audit: --size must be an integer in [1, ∞], got "big"')
})
