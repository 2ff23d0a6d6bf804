import t from 'tap'
import { IMPORT_USAGE, runImport } from '../../../src/cli/commands/import'
import { collector, fixturePath, rejected } from './fixtures'

const ok = ['--from', fixturePath('ir18_zip.pth'), '--family', 'evolve', '--model', 'IR18', '--out', '/nonexistent/never-written']
const without = (flag: string) => {
  const i = ok.indexOf(flag)
  return [...ok.slice(0, i), ...ok.slice(i + 2)]
}
const withValue = (flag: string, value: string) => ok.map((v, i) => (ok[i - 1] === flag ? value : v))
const err = (message: string) => ({ name: 'PamError', message })
const quiet = () => undefined

t.test('each missing flag is one line', async (t) => {
  for (const [flag, what] of [['--from', 'FILE.pth'], ['--family', 'evolve|insightface'], ['--model', 'MODEL'], ['--out', 'DIR']]) {
    t.same(await rejected(() => runImport(without(flag), quiet)), err(`pam import: ${flag} ${what} is required (${IMPORT_USAGE})`), flag)
  }
})

t.test('unknown family, unknown model, a model of the other family, bad numbers, unknown flags', async (t) => {
  t.same(await rejected(() => runImport(withValue('--family', 'arcface'), quiet)), err('pam import: unknown family "arcface" (valid: evolve, insightface)'))
  t.same(
    await rejected(() => runImport(withValue('--model', 'IR51'), quiet)),
    err('pam import: unknown model "IR51": depth 51 is not one of 18, 34, 50, 100 (or 101), 152'),
  )
  t.same(await rejected(() => runImport(withValue('--model', 'resnet50'), quiet)), err('pam import: unknown model "resnet50"'))
  t.same(
    await rejected(() => runImport(withValue('--model', 'IRESNET50'), quiet)),
    err('pam import: model IRESNET50 is an insightface iResNet; face.evoLVe IR checkpoints import into IR models (or use --family insightface)'),
  )
  t.same(await rejected(() => runImport([...ok, '--size', '1x'], quiet)), err('pam import: --size must be an integer in [16, ∞], got "1x"'))
  t.same(await rejected(() => runImport([...ok, '--frm', 'x'], quiet)), {
    name: 'PamError',
    message: 'pam import: unknown flag --frm (valid: --from --family --model --out --size --width --embedding --dropout --seed --partial --help)',
  })
})

t.test('--help prints the usage and succeeds', async (t) => {
  const { lines, log } = collector()
  t.equal(await runImport(['--help'], log), 0)
  t.strictSame(lines, [IMPORT_USAGE])
})
