/**
 * `pam audit MODEL... [--json] [--depth N] [--size S] [--width W] [--embedding D]`
 * `pam audit --paper [--verify]`
 *
 * The static audit needs no tensor; `--verify` also compiles each model and checks that the
 * graph's trainable weights add up to the static count.
 */
import { disposeModel } from '../../../dsl/compile/dispose'
import * as E from 'fp-ts/Either'
import { formatSummary } from '../../../dsl/summary'
import { compile } from '../../../dsl/compile/compile'
import { NAME_GRAMMAR, PAPER_MODELS, type ModelOptions } from '../../../models/zoo'
import { auditModel, paperRows, toJson, type ModelAudit } from '../../audit-report'
import { PamError } from '../../util/errors'
import { numberFlag, parseFlags } from '../args'
import { initBackend } from '../backend-init'

const USAGE = 'usage: pam audit MODEL... [--json] [--depth N] [--size S] [--width W] [--embedding D] [--verify] | pam audit --paper [--verify]'

export const validModelsText = (): string =>
  ['valid models:', ...PAPER_MODELS.map(([n, what]) => `  ${n.padEnd(18)} ${what}`), `  (any name of the form ${NAME_GRAMMAR})`].join('\n')

const compiledTrainable = (m: ModelAudit): number => {
  const model = compile(m.block, { input: m.inputShape })
  if (E.isLeft(model)) throw new Error('a model that passed the audit failed to compile')
  const n = model.right.trainableWeights.reduce((a, w) => a + w.shape.reduce((x: number, y) => x * (y ?? 1), 1), 0)
  disposeModel(model.right)
  return n
}

const thousands = (n: number): string => n.toLocaleString('en-US')

const paperTable = async (verify: boolean, log: (s: string) => void): Promise<number> => {
  const rows = paperRows()
  const header = ['Table', 'Method', 'Paper', 'Ours', 'Exact', 'Match']
  const cells = rows.map((r) => [r.table, r.model, r.printed, r.oursPrinted, thousands(r.ours), r.matches ? 'yes' : 'NO'])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ')
  log('Params column of the paper (trainable parameters, PyTorch convention; deltas over IR50), 112×112 input')
  log(line(header))
  log(widths.map((w) => '-'.repeat(w)).join('  '))
  cells.forEach((c) => log(line(c)))
  const failed = rows.filter((r) => !r.matches).length
  log(failed === 0 ? `all ${rows.length} figures reproduced exactly` : `${failed} of ${rows.length} figures differ`)
  let verifyFailed = 0
  if (verify) {
    const backend = await initBackend()
    log(`\nverify: compiling each model (backend ${backend}) and counting the graph's trainable weights`)
    const names = [...new Set(rows.map((r) => r.model))]
    for (const name of names) {
      const m = auditModel(name)
      if (E.isLeft(m)) throw new PamError(m.left)
      const compiled = compiledTrainable(m.right)
      const ok = compiled === m.right.audit.trainable
      if (!ok) verifyFailed++
      log(`  ${name.padEnd(16)} static ${thousands(m.right.audit.trainable).padStart(12)}  compiled ${thousands(compiled).padStart(12)}  ${ok ? 'equal' : 'DIFFER'}`)
    }
  }
  return failed + verifyFailed === 0 ? 0 : 1
}

export const auditCommand = async (argv: string[], log: (s: string) => void = console.log): Promise<number> => {
  const { values, positionals } = parseFlags(
    'audit',
    argv,
    {
      json: { type: 'boolean' },
      depth: { type: 'string' },
      size: { type: 'string' },
      width: { type: 'string' },
      embedding: { type: 'string' },
      paper: { type: 'boolean' },
      verify: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  )
  if (values.help) {
    log(`${USAGE}\n\n${validModelsText()}`)
    return 0
  }
  if (values.paper) {
    if (positionals.length > 0) throw new PamError(`pam audit: --paper takes no model names (got ${positionals.join(' ')})`)
    return paperTable(values.verify === true, log)
  }
  if (positionals.length === 0) throw new PamError(`pam audit: name at least one model, or --paper\n${USAGE}\n${validModelsText()}`)
  const options: ModelOptions = {
    size: numberFlag('audit', 'size', values.size, 112, { min: 1, integer: true }),
    width: numberFlag('audit', 'width', values.width, 1, { min: 0.001 }),
    embedding: numberFlag('audit', 'embedding', values.embedding, 512, { min: 1, integer: true }),
  }
  const depth = numberFlag('audit', 'depth', values.depth, Infinity, { min: 0, integer: true })
  const audits: ModelAudit[] = []
  for (const name of positionals) {
    const r = auditModel(name, options)
    if (E.isLeft(r)) throw new PamError(r.left.startsWith('unknown model') ? `pam audit: ${r.left}\n${validModelsText()}` : `pam audit: ${r.left}`)
    audits.push(r.right)
  }
  if (values.json) log(JSON.stringify(audits.map(toJson), null, 2))
  else audits.forEach((a) => log(formatSummary(a.audit.tree, { depth, title: `${a.model} (input ${a.inputShape.join('×')})` }) + '\n'))
  if (values.verify) {
    await initBackend()
    let bad = 0
    for (const a of audits) {
      const compiled = compiledTrainable(a)
      if (compiled !== a.audit.trainable) bad++
      if (!values.json) log(`verify ${a.model}: compiled ${thousands(compiled)} trainable, static ${thousands(a.audit.trainable)}: ${compiled === a.audit.trainable ? 'equal' : 'DIFFER'}`)
    }
    return bad === 0 ? 0 : 1
  }
  return 0
}
