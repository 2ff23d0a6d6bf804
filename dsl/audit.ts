/**
 * The static audit: what a model is, read off its audit tree without a tensor. `[H,W,C]` input
 * shapes exclude the batch axis.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { analyze, type AuditNode, type ParamCount } from './analyze'
import type { Block } from './block'
import type { Shape, ShapeError } from './shape'

export interface Audit extends ParamCount {
  readonly input: Shape
  readonly outputShape: Shape
  readonly macs: number
  readonly tree: AuditNode
}

/** The output shape of `block` on `input`, or the first block that does not fit. */
export const inferShape = (block: Block, input: Shape): E.Either<ShapeError, Shape> =>
  pipe(
    analyze(block, input),
    E.map((n) => n.output),
  )

/** Trainable (PyTorch's convention) and non-trainable parameter counts. */
export const countParams = (block: Block, input: Shape): E.Either<ShapeError, ParamCount> =>
  pipe(
    analyze(block, input),
    E.map((n) => ({ trainable: n.trainable, nonTrainable: n.nonTrainable })),
  )

/** Multiply-adds of one forward pass of one example. */
export const countMacs = (block: Block, input: Shape): E.Either<ShapeError, number> =>
  pipe(
    analyze(block, input),
    E.map((n) => n.macs),
  )

/** Everything at once. */
export const audit = (block: Block, input: Shape): E.Either<ShapeError, Audit> =>
  pipe(
    analyze(block, input),
    E.map((tree) => ({ input, outputShape: tree.output, trainable: tree.trainable, nonTrainable: tree.nonTrainable, macs: tree.macs, tree })),
  )
