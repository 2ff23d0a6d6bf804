/**
 * Abstract evaluation: walks a Block with shapes instead of tensors and builds the audit tree
 * (path, label, input and output shape, parameters, multiply-adds of every node). Shape
 * inference, parameter counting, MAC counting and the summary table are all read off this tree;
 * no tensor is allocated.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { Block, Child, Gate } from './block'
import { isComposite } from './block'
import { expand } from './expand'
import { describe, paramSpecs, primitiveMacs, primitiveOutput, type ParamSpec } from './primitive-rules'
import { broadcastShapes, childPath, formatShape, sameShape, shapeError, type Shape, type ShapeError } from './shape'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

export interface ParamCount {
  readonly trainable: number
  readonly nonTrainable: number
}

export interface AuditNode {
  /** `stage2/unit0/res/1`; `''` for the root. */
  readonly path: string
  readonly label: string
  readonly input: Shape
  readonly output: Shape
  /** The weights this node owns itself (primitives only). */
  readonly params: readonly ParamSpec[]
  /** Totals over the subtree. */
  readonly trainable: number
  readonly nonTrainable: number
  readonly macs: number
  readonly children: readonly AuditNode[]
}

/** Values of the model's side inputs, by name; every signal is one scalar per example. */
export const SIGNAL_SHAPE: Shape = [1]

// -------------------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------------------

const leaf = (path: string, label: string, input: Shape, output: Shape, params: readonly ParamSpec[], macs: number): AuditNode => ({
  path,
  label,
  input,
  output,
  params,
  trainable: params.filter((p) => p.trainable).reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0),
  nonTrainable: params.filter((p) => !p.trainable).reduce((a, p) => a + p.shape.reduce((x, y) => x * y, 1), 0),
  macs,
  children: [],
})

const parent = (path: string, label: string, input: Shape, output: Shape, children: readonly AuditNode[], ownMacs = 0): AuditNode => ({
  path,
  label,
  input,
  output,
  params: [],
  trainable: children.reduce((a, c) => a + c.trainable, 0),
  nonTrainable: children.reduce((a, c) => a + c.nonTrainable, 0),
  macs: children.reduce((a, c) => a + c.macs, ownMacs),
  children,
})

const traverse = <A, B>(as: readonly A[], f: (a: A) => E.Either<ShapeError, B>): E.Either<ShapeError, B[]> => {
  const out: B[] = []
  for (const a of as) {
    const r = f(a)
    if (E.isLeft(r)) return r
    out.push(r.right)
  }
  return E.right(out)
}

const gateLabel = (g: Gate): string => (g._tag === 'SoftGate' ? `SoftGate(${g.signal}, k=${g.k}, centre=${g.centre})` : `ConstantGate(${g.value})`)

const compositeLabel = (b: Block): string => {
  switch (b._tag) {
    case 'Shortcut':
      return `Shortcut(→${b.filters}, s${b.stride})`
    case 'DepthwiseResidual':
      return `DepthwiseResidual(${b.conv === 'depthwise' ? 'depthwise' : 'full'} ${b.kernel}×${b.kernel})`
    case 'ChannelAttention':
      return `ChannelAttention(${b.squeeze}, r=${b.reduction}${b.identity ? ', +identity' : ''})`
    case 'ResidualStage':
      return `ResidualStage(${b.units}×${b.unit === 'ir' ? 'IR' : 'IBasic'}→${b.filters}, s${b.stride})`
    default:
      return b._tag
  }
}

// -------------------------------------------------------------------------------------------------
// interpreter
// -------------------------------------------------------------------------------------------------

const analyzeChild = (c: Child, input: Shape, path: string) => analyzeAt(c.block, input, childPath(path, c.name))

const analyzeMerge = (
  merge: 'add' | 'multiply',
  parts: readonly AuditNode[],
  names: readonly string[],
  path: string,
): E.Either<ShapeError, Shape> => {
  let out = parts[0].output
  for (let i = 1; i < parts.length; i++) {
    const next = merge === 'add' ? (sameShape(out, parts[i].output) ? out : undefined) : broadcastShapes(out, parts[i].output)
    if (next === undefined) {
      const want =
        merge === 'add'
          ? `${names[i]} to give the shape of ${names[0]}, ${formatShape(parts[0].output)}, to add them`
          : `${names[i]} to give a shape that broadcasts against ${names[0]}'s ${formatShape(parts[0].output)}, to multiply them`
      return E.left(shapeError(path, want, formatShape(parts[i].output)))
    }
    out = next
  }
  return E.right(out)
}

/** The audit tree of `block` applied to an input of shape `input`, at `path`. */
export const analyzeAt = (block: Block, input: Shape, path: string): E.Either<ShapeError, AuditNode> => {
  if (isComposite(block)) {
    if (block._tag !== 'ResidualStage' && input.length !== 3)
      return E.left(shapeError(path, `a [H,W,C] feature map for ${compositeLabel(block)}`, formatShape(input)))
    return pipe(
      analyzeAt(expand(block, input), input, path),
      E.map((n) => ({ ...n, label: compositeLabel(block) })),
    )
  }
  switch (block._tag) {
    case 'Sequence': {
      const nodes: AuditNode[] = []
      let shape = input
      for (const c of block.children) {
        const r = analyzeChild(c, shape, path)
        if (E.isLeft(r)) return r
        nodes.push(r.right)
        shape = r.right.output
      }
      return E.right(parent(path, 'Sequence', input, shape, nodes))
    }
    case 'Branch':
      return pipe(
        traverse(block.branches, (c) => analyzeChild(c, input, path)),
        E.chain((nodes) =>
          pipe(
            analyzeMerge(block.merge, nodes, block.branches.map((b) => b.name), path),
            E.map((out) => parent(path, block.merge === 'add' ? 'Branch(add)' : 'Branch(multiply)', input, out, nodes, block.merge === 'multiply' ? out.reduce((a, b) => a * b, 1) : 0)),
          ),
        ),
      )
    case 'GatedResidual':
      return pipe(
        analyzeAt(block.body, input, childPath(path, 'res')),
        E.chain((body) =>
          sameShape(body.output, input)
            ? E.right(
                parent(path, 'GatedResidual', input, input, [body, leaf(childPath(path, 'gate'), gateLabel(block.gate), SIGNAL_SHAPE, SIGNAL_SHAPE, [], 0)], body.output.reduce((a, b) => a * b, 1)),
              )
            : E.left(shapeError(childPath(path, 'res'), `the input shape ${formatShape(input)} so that x + g·res(x) adds`, formatShape(body.output))),
        ),
      )
    case 'Shared':
      return pipe(
        traverse(block.inputs, (c) => analyzeChild(c, input, path)),
        E.chain((ins) => {
          const first = ins[0].output
          const odd = ins.findIndex((n) => !sameShape(n.output, first))
          if (odd >= 0)
            return E.left(shapeError(path, `every input of the shared ${block.shared.name} to have the shape of ${block.inputs[0].name} ${formatShape(first)}`, `${formatShape(ins[odd].output)} from ${block.inputs[odd].name}`))
          return pipe(
            analyzeChild(block.shared, first, path),
            E.chain((sharedNode) => {
              const fake = ins.map(() => sharedNode)
              return pipe(
                analyzeMerge(block.merge, fake, block.inputs.map((c) => `${block.shared.name}(${c.name})`), path),
                // the shared block runs once per input: its MACs count that many times, its weights once
                E.map((out) => ({ ...parent(path, `Shared(${block.merge})`, input, out, [...ins, sharedNode]), macs: ins.reduce((a, c) => a + c.macs, 0) + sharedNode.macs * ins.length })),
              )
            }),
          )
        }),
      )
    case 'Labeled':
      return pipe(
        analyzeAt(block.block, input, path),
        E.map((n) => ({ ...n, label: block.label })),
      )
    default:
      return pipe(
        primitiveOutput(block, input, path),
        E.map((out) => leaf(path, describe(block), input, out, paramSpecs(block, input), primitiveMacs(block, input, out))),
      )
  }
}

/** The audit tree of a whole model fed `input` (one example, no batch axis). */
export const analyze = (block: Block, input: Shape): E.Either<ShapeError, AuditNode> => analyzeAt(block, input, '')

/** The side inputs (`yaw`, …) a block reads, sorted by name. */
export const signalsOf = (block: Block): readonly string[] => {
  const found = new Set<string>()
  const walk = (b: Block): void => {
    switch (b._tag) {
      case 'Sequence':
        return b.children.forEach((c) => walk(c.block))
      case 'Branch':
        return b.branches.forEach((c) => walk(c.block))
      case 'GatedResidual':
        if (b.gate._tag === 'SoftGate') found.add(b.gate.signal)
        return walk(b.body)
      case 'Shared':
        b.inputs.forEach((c) => walk(c.block))
        return walk(b.shared.block)
      case 'Labeled':
        return walk(b.block)
      case 'DepthwiseResidual':
        if (b.gate._tag === 'SoftGate') found.add(b.gate.signal)
        return
      default:
        return
    }
  }
  walk(block)
  return [...found].sort()
}
