/**
 * The torchinfo-style summary table: one row per node down to `depth`, deeper nodes folded into
 * their ancestor's row, so the rows always add up to the totals.
 */
import type { AuditNode } from './analyze'
import { formatShape } from './shape'

export interface SummaryRow {
  readonly path: string
  readonly depth: number
  readonly label: string
  readonly output: string
  /** Parameters of this row: own, plus all of its subtree when the subtree is folded. */
  readonly params: number
  readonly macs: number
}

export interface SummaryOptions {
  /** Rows deeper than this are folded into their ancestor (default: no folding). */
  readonly depth?: number
  readonly title?: string
}

const depthOf = (path: string): number => (path === '' ? 0 : path.split('/').length)

/**
 * Rows of the table: a node at the depth limit, or a leaf, carries its subtree's totals; an
 * inner node above the limit carries nothing itself (its children carry it), so summing the
 * params (or MACs) column gives the model's total exactly.
 */
export const summaryRows = (root: AuditNode, options: SummaryOptions = {}): SummaryRow[] => {
  const limit = options.depth ?? Infinity
  const rows: SummaryRow[] = []
  const visit = (n: AuditNode): void => {
    const d = depthOf(n.path)
    const folded = d >= limit || n.children.length === 0
    const ownMacs = n.macs - n.children.reduce((a, c) => a + c.macs, 0)
    if (n.path !== '' || folded)
      rows.push({
        path: n.path === '' ? '(model)' : n.path,
        depth: d,
        label: n.label,
        output: formatShape(n.output),
        params: folded ? n.trainable + n.nonTrainable : 0,
        macs: folded ? n.macs : ownMacs,
      })
    if (!folded) n.children.forEach(visit)
  }
  visit(root)
  return rows
}

const thousands = (n: number): string => n.toLocaleString('en-US')

const pad = (s: string, w: number, right = false): string => (right ? s.padStart(w) : s.padEnd(w))

/** The printed table, with totals (trainable and non-trainable apart) and MACs. */
export const formatSummary = (root: AuditNode, options: SummaryOptions = {}): string => {
  const rows = summaryRows(root, options)
  const cells = rows.map((r) => [`${'  '.repeat(Math.max(0, r.depth - 1))}${r.path.split('/').pop()}`, r.label, r.output, r.params ? thousands(r.params) : '--', r.macs ? thousands(r.macs) : '--'])
  const header = ['Path', 'Block', 'Output shape', 'Params', 'MACs']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c: readonly string[]) => c.map((x, i) => pad(x, widths[i], i >= 3)).join('  ')
  const rule = '='.repeat(widths.reduce((a, w) => a + w + 2, -2))
  const total = root.trainable + root.nonTrainable
  return [
    ...(options.title ? [options.title] : []),
    rule,
    line(header),
    rule,
    ...cells.map(line),
    rule,
    `Input shape: ${formatShape(root.input)}    Output shape: ${formatShape(root.output)}`,
    `Total params: ${thousands(total)}`,
    `Trainable params: ${thousands(root.trainable)}`,
    `Non-trainable params: ${thousands(root.nonTrainable)}`,
    `Multiply-adds (one example): ${thousands(root.macs)} (${(root.macs / 1e9).toFixed(2)} G)`,
    rule,
  ].join('\n')
}
