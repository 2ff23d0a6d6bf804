/**
 * The custom tfjs layers a compiled Block is made of. Each is registered with
 * `serialization.registerClass`, so a saved model reloads; each layer's config is the plain DSL
 * data it was made from, and `computeOutputShape` asks the DSL's own shape rules.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology'
import type { Initializer as TfInitializer } from '@tensorflow/tfjs-layers/dist/initializers'
import * as E from 'fp-ts/Either'
import type { Gate, Primitive } from '../block'
import { paramSpecs, primitiveOutput, type Initializer } from '../primitive-rules'
import { broadcastShapes, formatShapeError, type Shape } from '../shape'
import { forwardPrimitive, type Weights } from './forward'

type LayerShape = tfl.Shape | tfl.Shape[]
type Kwargs = { training?: boolean; seed?: number }

const single = (s: LayerShape): tfl.Shape => (Array.isArray(s[0]) ? (s as tfl.Shape[])[0] : (s as tfl.Shape))
const one = (x: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(x) ? x[0] : x)

/** A deterministic seed from a weight path, so two compilations start from the same weights. */
const pathSeed = (path: string, seed: number): number => {
  let h = 2166136261 ^ seed
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619)
  return (h >>> 0) % 2147483647
}

const initializer = (init: Initializer, seed: number): TfInitializer => {
  switch (init.kind) {
    case 'heNormal':
      return tfl.initializers.heNormal({ seed })
    case 'glorotUniform':
      return tfl.initializers.glorotUniform({ seed })
    case 'zeros':
      return tfl.initializers.zeros()
    case 'ones':
      return tfl.initializers.ones()
    case 'constant':
      return tfl.initializers.constant({ value: init.value })
  }
}

// -------------------------------------------------------------------------------------------------
// a primitive block
// -------------------------------------------------------------------------------------------------

/**
 * tfjs rewrites the keys *and string values* of a layer config between camelCase and snake_case
 * when it saves and loads (`{"_tag":"Conv2d"}` comes back as `{"_tag":"_conv2d"}`); the DSL data
 * therefore travels as its JSON in lower-case hex, which both conversions leave alone.
 */
const toHex = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('hex')
export interface PrimitiveLayerArgs extends LayerArgs {
  readonly block?: Primitive
  /** Hex of the block's JSON (see above). */
  readonly blockJson?: string
  readonly initSeed?: number
}

const fromJson = <A>(json: string | undefined, value: A | undefined, what: string): A => {
  if (value !== undefined) return value
  if (json === undefined) throw new Error(`a ${what} layer needs its DSL data`)
  return JSON.parse(Buffer.from(json, 'hex').toString('utf8')) as A
}

export class PrimitiveLayer extends tfl.layers.Layer {
  static readonly className = 'PamPrimitive'
  readonly block: Primitive
  readonly initSeed: number
  private vars: Record<string, tfl.LayerVariable> = {}

  constructor(args: PrimitiveLayerArgs) {
    super(args)
    this.block = fromJson(args.blockJson, args.block, 'PamPrimitive')
    this.initSeed = args.initSeed ?? 0
  }

  override build(inputShape: LayerShape): void {
    const shape = single(inputShape).slice(1) as number[]
    for (const spec of paramSpecs(this.block, shape)) {
      this.vars[spec.name] = this.addWeight(
        spec.name,
        [...spec.shape],
        'float32',
        initializer(spec.init, pathSeed(`${this.name}/${spec.name}`, this.initSeed)),
        undefined,
        spec.trainable,
      )
    }
    this.built = true
  }

  override computeOutputShape(inputShape: LayerShape): tfl.Shape {
    const s = single(inputShape)
    const out = primitiveOutput(this.block, s.slice(1) as Shape, this.name)
    if (E.isLeft(out)) throw new Error(formatShapeError(out.left))
    return [s[0], ...out.right]
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const w: Record<string, tf.Tensor> = {}
      for (const [k, v] of Object.entries(this.vars)) w[k] = v.read()
      const training = kwargs?.training === true
      const updateMoving =
        this.block._tag === 'BatchNorm' && training
          ? (mean: tf.Tensor, variance: tf.Tensor) => {
              const m = (this.block as { momentum: number }).momentum
              const mm = this.vars.moving_mean
              const mv = this.vars.moving_variance
              mm.write(tf.add(tf.mul(mm.read(), 1 - m), tf.mul(mean, m)))
              mv.write(tf.add(tf.mul(mv.read(), 1 - m), tf.mul(variance, m)))
            }
          : undefined
      return forwardPrimitive(this.block, one(inputs), w as Weights, { training, seed: kwargs?.seed, updateMoving })
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), blockJson: toHex(this.block), initSeed: this.initSeed }
  }
}

// -------------------------------------------------------------------------------------------------
// a gate: side input [N,1] → coefficient [N,1]
// -------------------------------------------------------------------------------------------------

export class GateLayer extends tfl.layers.Layer {
  static readonly className = 'PamGate'
  readonly gate: Gate

  constructor(args: LayerArgs & { readonly gate?: Gate; readonly gateJson?: string }) {
    super(args)
    this.gate = fromJson(args.gateJson, args.gate, 'PamGate')
  }

  override computeOutputShape(inputShape: LayerShape): tfl.Shape {
    return [single(inputShape)[0], 1]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const v = one(inputs)
      const g = this.gate
      return g._tag === 'SoftGate'
        ? tf.sigmoid(tf.mul(tf.sub(tf.div(tf.abs(v), g.centre), 1), g.k))
        : tf.fill([v.shape[0], 1], g.value)
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), gateJson: toHex(this.gate) }
  }
}

// -------------------------------------------------------------------------------------------------
// merges
// -------------------------------------------------------------------------------------------------

/** Sum or product of its inputs, broadcasting size-1 axes (CAM's `[N,1,1,C]` against `[N,H,W,C]`). */
export class MergeLayer extends tfl.layers.Layer {
  static readonly className = 'PamMerge'
  readonly op: 'add' | 'multiply'

  constructor(args: LayerArgs & { readonly op: 'add' | 'multiply' }) {
    super(args)
    this.op = args.op
  }

  override computeOutputShape(inputShape: LayerShape): tfl.Shape {
    const shapes = inputShape as tfl.Shape[]
    const per = shapes.map((s) => s.slice(1) as number[])
    const out = per.slice(1).reduce<Shape | undefined>((a, b) => (a === undefined ? undefined : broadcastShapes(a, b)), per[0])
    if (out === undefined) throw new Error(`${this.name}: inputs ${per.map((s) => `[${s.join(',')}]`).join(', ')} do not broadcast`)
    return [shapes[0][0], ...out]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs]
      return xs.slice(1).reduce((a, b) => (this.op === 'add' ? tf.add(a, b) : tf.mul(a, b)), xs[0])
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), op: this.op }
  }
}

/** `[x, f(x), g] → x + g · f(x)`, g `[N,1]` broadcast over the rest of x. */
export class GatedAddLayer extends tfl.layers.Layer {
  static readonly className = 'PamGatedAdd'

  override computeOutputShape(inputShape: LayerShape): tfl.Shape {
    return (inputShape as tfl.Shape[])[0]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, fx, g] = inputs as tf.Tensor[]
      const gb = tf.reshape(g, [g.shape[0], ...Array.from({ length: x.rank - 1 }, () => 1)])
      return tf.add(x, tf.mul(gb, fx))
    })
  }
}

/**
 * `[y, ...unused] → y`: ties side inputs the graph does not read to the output, because tfjs
 * drops disconnected inputs when it saves, and every model must reload as `[image, yaw]`.
 */
export class KeepInputsLayer extends tfl.layers.Layer {
  static readonly className = 'PamKeepInputs'

  override computeOutputShape(inputShape: LayerShape): tfl.Shape {
    return (inputShape as tfl.Shape[])[0]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.clone(one(inputs)))
  }
}

for (const cls of [PrimitiveLayer, GateLayer, MergeLayer, GatedAddLayer, KeepInputsLayer]) tf.serialization.registerClass(cls)
