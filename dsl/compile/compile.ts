/**
 * compile: Block → `tf.LayersModel` with inputs `[image [N,H,W,C], yaw [N,1], …other signals]` and
 * the block's output (the embedding) as output. Layer names are block paths; weight names are
 * `path/kernel`, `path/gamma`, … The block is checked by the static audit first, so a block that
 * does not fit is a `ShapeError` value and no layer is ever made for it.
 */
import * as tfl from '@tensorflow/tfjs-layers'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { analyze, signalsOf } from '../analyze'
import { isComposite, type Block } from '../block'
import { expand } from '../expand'
import { childPath, type Shape, type ShapeError } from '../shape'
import { GateLayer, GatedAddLayer, KeepInputsLayer, MergeLayer, PrimitiveLayer } from './layers'

type Sym = tfl.SymbolicTensor
type Builder = (x: Sym) => Sym

interface Env {
  readonly signals: Readonly<Record<string, Sym>>
  readonly seed: number
}

export interface CompileOptions {
  /** One example's input shape, `[H, W, C]`. */
  readonly input: Shape
  /** Seeds the weight initialisers (each weight's stream also depends on its path). */
  readonly seed?: number
  readonly name?: string
}

/** The side input every compiled model takes, used or not, so all models share one signature. */
export const DEFAULT_SIGNALS: readonly string[] = ['yaw']

const layerName = (path: string, fallback: string): string => (path === '' ? fallback : path)

const shapeOf = (x: Sym): Shape => x.shape.slice(1) as number[]

/**
 * A function from a symbolic input to a symbolic output. Layers are made on first application
 * and reused after, so applying one builder twice shares its weights (the CAM's MLP).
 */
const builder = (block: Block, path: string, env: Env): Builder => {
  if (isComposite(block)) {
    let inner: Builder | undefined
    return (x) => (inner ??= builder(expand(block, shapeOf(x)), path, env))(x)
  }
  switch (block._tag) {
    case 'Identity':
      return (x) => x
    case 'Labeled':
      return builder(block.block, path, env)
    case 'Sequence': {
      const steps = block.children.map((c) => builder(c.block, childPath(path, c.name), env))
      return (x) => steps.reduce((y, f) => f(y), x)
    }
    case 'Branch': {
      const parts = block.branches.map((c) => builder(c.block, childPath(path, c.name), env))
      let merge: MergeLayer | undefined
      return (x) => {
        const ys = parts.map((f) => f(x))
        merge ??= new MergeLayer({ name: layerName(path, 'merge'), op: block.merge })
        return merge.apply(ys) as Sym
      }
    }
    case 'Shared': {
      const ins = block.inputs.map((c) => builder(c.block, childPath(path, c.name), env))
      const sharedFn = builder(block.shared.block, childPath(path, block.shared.name), env)
      let merge: MergeLayer | undefined
      return (x) => {
        const ys = ins.map((f) => sharedFn(f(x)))
        if (ys.length === 1) return ys[0]
        merge ??= new MergeLayer({ name: layerName(path, 'merge'), op: block.merge })
        return merge.apply(ys) as Sym
      }
    }
    case 'GatedResidual': {
      const body = builder(block.body, childPath(path, 'res'), env)
      const signal = block.gate._tag === 'SoftGate' ? block.gate.signal : DEFAULT_SIGNALS[0]
      let gate: GateLayer | undefined
      let add: GatedAddLayer | undefined
      return (x) => {
        const fx = body(x)
        gate ??= new GateLayer({ name: childPath(path, 'gate'), gate: block.gate })
        add ??= new GatedAddLayer({ name: layerName(path, 'gated_add') })
        const g = gate.apply(env.signals[signal]) as Sym
        return add.apply([x, fx, g]) as Sym
      }
    }
    default: {
      let layer: PrimitiveLayer | undefined
      return (x) => (layer ??= new PrimitiveLayer({ name: layerName(path, block._tag), block, initSeed: env.seed })).apply(x) as Sym
    }
  }
}

/** The model's inputs in order: `image`, then the signals (`yaw` first, others sorted). */
export const modelSignals = (block: Block): readonly string[] => [
  ...DEFAULT_SIGNALS,
  ...signalsOf(block).filter((s) => !DEFAULT_SIGNALS.includes(s)),
]

/** The compiled graph, or the first block that does not fit `input`. */
export const compile = (block: Block, o: CompileOptions): E.Either<ShapeError, tfl.LayersModel> =>
  pipe(
    analyze(block, o.input),
    E.map(() => {
      const image = tfl.input({ shape: [...o.input], name: 'image' })
      const names = modelSignals(block)
      const signals: Record<string, Sym> = {}
      for (const s of names) signals[s] = tfl.input({ shape: [1], name: s })
      const embedding = builder(block, '', { signals, seed: o.seed ?? 0 })(image)
      const read = new Set(signalsOf(block))
      const unused = names.filter((s) => !read.has(s)).map((s) => signals[s])
      const output = unused.length > 0 ? (new KeepInputsLayer({ name: 'keep_inputs' }).apply([embedding, ...unused]) as Sym) : embedding
      return tfl.model({ inputs: [image, ...names.map((s) => signals[s])], outputs: output, name: o.name ?? 'pam' })
    }),
  )
