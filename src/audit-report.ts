/**
 * What `pam audit` reports, as data: per model its static audit, and the paper's parameter
 * figures beside ours. Pure: no tensor, no I/O.
 */
import * as E from 'fp-ts/Either'
import { audit, type Audit } from '../dsl/audit'
import type { Block } from '../dsl/block'
import { formatShapeError, type Shape } from '../dsl/shape'
import { inMillions, PAPER_FIGURES } from '../models/paper-figures'
import { buildFromSpec, inputShape, parseModelName, type ModelOptions } from '../models/zoo'

export interface ModelAudit {
  readonly model: string
  readonly block: Block
  readonly inputShape: Shape
  readonly audit: Audit
}

export interface AuditJson {
  readonly model: string
  readonly inputShape: Shape
  readonly outputShape: Shape
  readonly trainableParams: number
  readonly nonTrainableParams: number
  readonly totalParams: number
  readonly macs: number
}

/** Audits a named model; the Left is one line saying why it cannot be. */
export const auditModel = (name: string, o: ModelOptions = {}): E.Either<string, ModelAudit> => {
  const spec = parseModelName(name)
  if (E.isLeft(spec)) return spec
  const block = buildFromSpec(spec.right, o)
  const input = inputShape(o)
  const a = audit(block, input)
  return E.isLeft(a)
    ? E.left(`${spec.right.name}: ${formatShapeError(a.left)}`)
    : E.right({ model: spec.right.name, block, inputShape: input, audit: a.right })
}

export const toJson = (m: ModelAudit): AuditJson => ({
  model: m.model,
  inputShape: m.inputShape,
  outputShape: m.audit.outputShape,
  trainableParams: m.audit.trainable,
  nonTrainableParams: m.audit.nonTrainable,
  totalParams: m.audit.trainable + m.audit.nonTrainable,
  macs: m.audit.macs,
})

export interface PaperRow {
  readonly table: string
  readonly model: string
  readonly printed: string
  /** Our figure in the paper's form (a total, or a delta over IR50). */
  readonly ours: number
  readonly expected: number
  readonly matches: boolean
  /** For "M" figures: our count rounded as the paper prints it. */
  readonly oursPrinted: string
}

/** The Params column of the paper's tables beside ours, at the paper's setting (112×112, width 1). */
export const paperRows = (): PaperRow[] => {
  const trainable = (name: string): number => {
    const r = auditModel(name)
    if (E.isLeft(r)) throw new Error(`the zoo cannot build ${name}: ${r.left}`)
    return r.right.audit.trainable
  }
  const base = trainable('IR50')
  return PAPER_FIGURES.map((f) => {
    const total = trainable(f.model)
    const ours = f.kind === 'total' ? total : total - base
    return {
      table: f.table,
      model: f.model,
      printed: f.printed,
      ours,
      expected: f.exact,
      matches: ours === f.exact && (f.kind === 'delta' || inMillions(ours) === f.printed),
      oursPrinted: f.kind === 'total' ? inMillions(ours) : `+ ${ours.toLocaleString('en-US')}`,
    }
  })
}
