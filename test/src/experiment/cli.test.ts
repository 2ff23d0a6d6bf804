import t from 'tap'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { EXPERIMENT_USAGE, experimentCommand, PLAN_HELP } from '../../../src/cli/commands/experiment'
import { bufferIo } from '../../../src/infer/cli-io'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-exp-cli-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

t.test('help, usage errors and an invalid plan, before any work', async (t) => {
  const io = bufferIo()
  t.equal(await experimentCommand(['--help'], io), 0)
  t.equal(io.stdout(), `${EXPERIMENT_USAGE}\n`)
  const io2 = bufferIo()
  t.equal(await experimentCommand(['--help-plan'], io2), 0)
  t.equal(io2.stdout(), `${PLAN_HELP}\n`)
  await t.rejects(experimentCommand(['--plan', 'x.json'], bufferIo()), { message: `pam experiment: --plan FILE and --out DIR are required\n${EXPERIMENT_USAGE}` })
  await t.rejects(experimentCommand(['--plan', 'x.json', '--out', tmp, '--fast'], bufferIo()), { message: /^pam experiment: unknown flag --fast \(valid: --plan --out --only/ })
  const bad = path.join(tmp, 'bad.json')
  fs.writeFileSync(bad, JSON.stringify({ baseline: 'IR', seeds: [1], train: { data: { kind: 'cfp', testSplits: [10] } }, eval: [{ kind: 'cfp' }], runs: [{ name: 'IR', model: 'IR18+PAM5' }] }))
  await t.rejects(experimentCommand(['--plan', bad, '--out', path.join(tmp, 'out')], bufferIo()), {
    message: `${bad}: invalid plan\n  runs.0.model: unknown model "IR18+PAM5": PAM stages must be distinct digits 1-4 in ascending order, got 5, got "IR18+PAM5"`,
  })
  t.notOk(fs.existsSync(path.join(tmp, 'out')), 'nothing written')
  const good = path.join(tmp, 'good.json')
  fs.writeFileSync(good, JSON.stringify({ baseline: 'IR', seeds: [1], train: { data: { kind: 'cfp', testSplits: [10] } }, eval: [{ kind: 'cfp' }], runs: [{ name: 'IR', model: 'IR18' }] }))
  await t.rejects(experimentCommand(['--plan', good, '--out', path.join(tmp, 'out'), '--only', 'PAM'], bufferIo()), {
    message: '--only PAM: no run of that name or id (names: IR; ids such as IR-split10-s1)',
  })
})

t.test('--report-only writes the report of what has finished (here: nothing) without a backend', async (t) => {
  const plan = path.join(tmp, 'p.json')
  fs.writeFileSync(plan, JSON.stringify({ baseline: 'IR', seeds: [1], train: { size: 16, width: 0.0625, data: { kind: 'cfp', testSplits: [10] } }, eval: [{ kind: 'cfp' }], runs: [{ name: 'IR', model: 'IR18' }, { name: 'P', model: 'IR18+PAM12' }] }))
  await t.rejects(experimentCommand(['--plan', plan, '--out', path.join(tmp, 'none'), '--report-only'], bufferIo()), {
    message: `pam experiment: ${path.join(tmp, 'none')}: no such directory (nothing to report)`,
  })
  const out = path.join(tmp, 'r')
  fs.mkdirSync(out)
  const io = bufferIo()
  t.equal(await experimentCommand(['--plan', plan, '--out', out, '--report-only'], io), 0)
  t.equal(io.stdout(), '| Methods | CFP-FF | CFP-FP | Params |\n| --- | ---: | ---: | ---: |\n| IR18 | – | – | 62,344 |\n| IR18 + PAM12 | – | – | + 300 |\n')
  t.match(fs.readFileSync(path.join(out, 'results.md'), 'utf8'), /0 of 2 runs finished/)
})
