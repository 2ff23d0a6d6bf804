/**
 * What a compiled (or loaded) model is made of, as the weight mapping needs it: each primitive
 * layer's block path, kind and weights, and, for a Dense fed by a Flatten, the `[H, W, C]` it
 * flattens (so the Linear's input features can be reordered).
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import type { Primitive } from '../../dsl/block'
import { PrimitiveLayer } from '../../dsl/compile/layers'

export interface LayerWeight {
  /** `kernel`, `gamma`, `moving_mean`, `alpha`, … */
  readonly param: string
  /** The weight's name in the graph, `stage1/unit0/res/1/kernel`. */
  readonly name: string
  readonly shape: readonly number[]
}

export interface LayerInfo {
  /** Block path, `stage1/unit0/res/1`. */
  readonly path: string
  readonly tag: Primitive['_tag']
  readonly weights: readonly LayerWeight[]
  /** For a Dense whose input is a Flatten of `[H, W, C]`: C and H·W. */
  readonly flatten?: { readonly channels: number; readonly positions: number }
}

const flattenOf = (layer: PrimitiveLayer): LayerInfo['flatten'] => {
  const input = layer.input as tfl.SymbolicTensor
  const source = input.sourceLayer
  if (!(source instanceof PrimitiveLayer) || source.block._tag !== 'Flatten') return undefined
  const shape = (source.input as tfl.SymbolicTensor).shape.slice(1) as number[]
  if (shape.length < 2) return undefined
  const channels = shape[shape.length - 1]
  return { channels, positions: shape.slice(0, -1).reduce((a, b) => a * b, 1) }
}

/** The model's primitive layers that hold weights, in the graph's order. */
export const describeModel = (model: tfl.LayersModel): LayerInfo[] =>
  model.layers.flatMap((layer) => {
    if (!(layer instanceof PrimitiveLayer) || layer.weights.length === 0) return []
    const weights = layer.weights.map((w) => {
      const prefix = `${layer.name}/`
      if (!w.originalName.startsWith(prefix)) throw new Error(`weight ${w.originalName} is not named after its layer ${layer.name}`)
      return { param: w.originalName.slice(prefix.length), name: w.originalName, shape: w.shape as number[] }
    })
    const flatten = layer.block._tag === 'Dense' ? flattenOf(layer) : undefined
    return [{ path: layer.name, tag: layer.block._tag, weights, ...(flatten ? { flatten } : {}) }]
  })
