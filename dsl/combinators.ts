/**
 * Combinators: blocks made of blocks. Children are named; the names make the block paths that
 * errors, summaries and compiled weight names use (`stage2/unit0/res/1/kernel`).
 */
import type { Block, Branch, Child, ConstantGate, Gate, GatedResidual, Labeled, Sequence, Shared, SoftGate } from './block'
import { identity } from './primitives'

/** Names a child: `named('stem', sequence(...))`. */
export const named = (name: string, block: Block): Child => ({ name, block })

const toChildren = (items: ReadonlyArray<Block | Child>): Child[] =>
  items.map((item, i) => ('name' in item && 'block' in item ? item : { name: String(i), block: item as Block }))

/**
 * Applies children in order: `[x] → f_n(…f_1(x))`. Plain blocks are named by their index, as in
 * `nn.Sequential`; `named(...)` children keep their name.
 */
export const sequence = (...items: ReadonlyArray<Block | Child>): Sequence => ({ _tag: 'Sequence', children: toChildren(items) })

/** Every branch reads x; outputs are summed (`add`) or multiplied with broadcasting (`multiply`). */
export const branch = (merge: Branch['merge'], ...branches: ReadonlyArray<Block | Child>): Branch => ({
  _tag: 'Branch',
  branches: toChildren(branches),
  merge,
})

/** `x + body(x)`, or `shortcut(x) + body(x)`; the paths are `…/shortcut` and `…/res`. */
export const residual = (body: Block, shortcut: Block = identity): Branch =>
  branch('add', named('shortcut', shortcut), named('res', body))

/** `x + g · body(x)`; `g` a gate reading a side input (or a constant). */
export const gatedResidual = (body: Block, gate: Gate): GatedResidual => ({ _tag: 'GatedResidual', body, gate })

/** One `shared` block (one set of weights) applied to each input's output, then merged. */
export const shared = (
  merge: Shared['merge'],
  sharedBlock: Child,
  ...inputs: ReadonlyArray<Block | Child>
): Shared => ({ _tag: 'Shared', inputs: toChildren(inputs), shared: sharedBlock, merge })

/** Gives a sub-tree a display name in summaries. */
export const labeled = (label: string, block: Block): Labeled => ({ _tag: 'Labeled', label, block })

/** The paper's soft gate, Eq. (1): `1 / (1 + exp(−k(|v|/centre − 1)))`, k = 10, centre 45°. */
export const softGate = (o: { readonly signal?: string; readonly k?: number; readonly centre?: number } = {}): SoftGate => ({
  _tag: 'SoftGate',
  signal: o.signal ?? 'yaw',
  k: o.k ?? 10,
  centre: o.centre ?? 45,
})

/** `S ≡ value` (the "w/o soft gate" ablation uses 1). */
export const constantGate = (value = 1): ConstantGate => ({ _tag: 'ConstantGate', value })

/** The soft gate's value, as a plain function (the compiled layer computes the same). */
export const softGateValue = (gate: SoftGate, v: number): number => 1 / (1 + Math.exp(-gate.k * (Math.abs(v) / gate.centre - 1)))
