/**
 * The two PyTorch face-model families and how their state_dict keys name our weights.
 *
 * face.evoLVe IR (`backbone/model_irse.py`): `input_layer.{0,1,2}` (conv, BN, PReLU); all units
 * in one flat `body.N` (N counts on across stages), each `res_layer.{0..4}` (BN, conv, PReLU,
 * conv, BN) and, where the channels change, `shortcut_layer.{0,1}` (conv1×1, BN);
 * `output_layer.{0,3,4}` (BN2d, Linear after Dropout and Flatten, BN1d).
 *
 * insightface iResNet (`arcface_torch/backbones/iresnet.py`): `conv1`, `bn1`, `prelu`;
 * `layerS.U.{bn1, conv1, bn2, prelu, conv2, bn3}` and `layerS.0.downsample.{0,1}`; `bn2`, `fc`,
 * `features`.
 *
 * Our side: `stem/k`, `stageS/unitU/res/k`, `stageS/unitU/shortcut/k`, `head/k` (k the index in
 * the block's sequence, as in `nn.Sequential`). Blocks neither family has (PAM `pamS/…`, DREAM
 * `dream/…`) are "extra": exported under their block path with dots, imported from there when a
 * checkpoint has them, otherwise left as initialised.
 */
import { DEPTHS } from '../../models/backbone'
import { PamError } from '../util/errors'
import { torchShape, type Layout } from './layout'
import type { LayerInfo } from './structure'

export type Family = 'evolve' | 'insightface'

export const FAMILIES: readonly Family[] = ['evolve', 'insightface']

export const familyTitle: Readonly<Record<Family, string>> = {
  evolve: 'face.evoLVe IR',
  insightface: 'insightface iResNet',
}

/** `a face.evoLVe IR`, `an insightface iResNet`. */
export const withArticle = (f: Family): string => `${f === 'evolve' ? 'a' : 'an'} ${familyTitle[f]}`

/** The zoo family (`models/backbone.ts`) each checkpoint family imports into. */
export const zooFamily: Readonly<Record<Family, 'ir' | 'iresnet'>> = { evolve: 'ir', insightface: 'iresnet' }

export const familyOfZoo = (f: 'ir' | 'iresnet'): Family => (f === 'ir' ? 'evolve' : 'insightface')

// ---------------------------------------------------------------------------------------------
// block path → torch module
// ---------------------------------------------------------------------------------------------

const UNIT = /^stage(\d+)\/unit(\d+)\/(res|shortcut)\/(\d+)$/
const STEM = /^stem\/(\d+)$/
const HEAD = /^head\/(\d+)$/

/** Is the layer part of the backbone (stem, stages, head) rather than an extra block? */
export const isBackbonePath = (path: string): boolean => /^(stem|head|stage\d+)(\/|$)/.test(path)

const IRESNET_UNIT = ['bn1', 'conv1', 'bn2', 'prelu', 'conv2', 'bn3']
const IRESNET_STEM = ['conv1', 'bn1', 'prelu']
const IRESNET_HEAD: Readonly<Record<string, string>> = { '0': 'bn2', '3': 'fc', '4': 'features' }
const EVOLVE_HEAD = new Set(['0', '3', '4'])

/** Number of units before each stage's first, from the layers' paths (face.evoLVe counts on). */
const unitOffsets = (layers: readonly LayerInfo[]): Map<number, number> => {
  const units = new Map<number, number>()
  for (const l of layers) {
    const m = UNIT.exec(l.path)
    if (m) units.set(Number(m[1]), Math.max(units.get(Number(m[1])) ?? 0, Number(m[2]) + 1))
  }
  const offsets = new Map<number, number>()
  let total = 0
  for (const stage of [...units.keys()].sort((a, b) => a - b)) {
    offsets.set(stage, total)
    total += units.get(stage)!
  }
  return offsets
}

const moduleOf = (family: Family, path: string, offsets: Map<number, number>): string | undefined => {
  const stem = STEM.exec(path)
  const unit = UNIT.exec(path)
  const head = HEAD.exec(path)
  if (family === 'evolve') {
    if (stem) return Number(stem[1]) <= 2 ? `input_layer.${stem[1]}` : undefined
    if (unit) {
      const n = offsets.get(Number(unit[1]))! + Number(unit[2])
      return `body.${n}.${unit[3] === 'res' ? 'res_layer' : 'shortcut_layer'}.${unit[4]}`
    }
    if (head) return EVOLVE_HEAD.has(head[1]) ? `output_layer.${head[1]}` : undefined
    return undefined
  }
  if (stem) return IRESNET_STEM[Number(stem[1])]
  if (unit) {
    const prefix = `layer${unit[1]}.${unit[2]}`
    return unit[3] === 'res'
      ? IRESNET_UNIT[Number(unit[4])] && `${prefix}.${IRESNET_UNIT[Number(unit[4])]}`
      : Number(unit[4]) <= 1
        ? `${prefix}.downsample.${unit[4]}`
        : undefined
  }
  if (head) return IRESNET_HEAD[head[1]]
  return undefined
}

// ---------------------------------------------------------------------------------------------
// parameters
// ---------------------------------------------------------------------------------------------

const PARAMS: Readonly<Partial<Record<LayerInfo['tag'], Readonly<Record<string, string>>>>> = {
  Conv2d: { kernel: 'weight', bias: 'bias' },
  DepthwiseConv2d: { kernel: 'weight', bias: 'bias' },
  Dense: { kernel: 'weight', bias: 'bias' },
  BatchNorm: { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' },
  PRelu: { alpha: 'weight' },
}

const layoutOf = (layer: LayerInfo, param: string): Layout => {
  if (param !== 'kernel') return { kind: 'vector' }
  switch (layer.tag) {
    case 'Conv2d':
      return { kind: 'conv' }
    case 'DepthwiseConv2d':
      return { kind: 'depthwise' }
    case 'Dense':
      return layer.flatten ? { kind: 'dense', flatten: layer.flatten } : { kind: 'dense' }
    default:
      return { kind: 'vector' }
  }
}

// ---------------------------------------------------------------------------------------------
// the plan
// ---------------------------------------------------------------------------------------------

export interface PlanEntry {
  /** Our weight name, `stage1/unit0/res/1/kernel`. */
  readonly ours: string
  /** The state_dict key, `body.0.res_layer.1.weight`. */
  readonly torch: string
  readonly layout: Layout
  readonly shape: readonly number[]
  readonly torchShape: readonly number[]
  /** `backbone`: the family's checkpoints hold it; `extra`: PAM, DREAM, … */
  readonly part: 'backbone' | 'extra'
}

export interface Plan {
  readonly family: Family
  /** In the order PyTorch's state_dict lists them (backbone), then the extras in graph order. */
  readonly entries: readonly PlanEntry[]
  /** Torch module prefixes of the BatchNorms (their `num_batches_tracked`), same order. */
  readonly batchNorms: readonly { readonly torch: string; readonly part: PlanEntry['part'] }[]
}

const PARAM_RANK: Readonly<Record<string, number>> = { weight: 0, bias: 1, running_mean: 2, running_var: 3, num_batches_tracked: 4 }
const IRESNET_TOP: Readonly<Record<string, number>> = { conv1: 0, bn1: 1, prelu: 2, layer1: 3, layer2: 4, layer3: 5, layer4: 6, bn2: 7, fc: 8, features: 9 }
const IRESNET_IN_UNIT: Readonly<Record<string, number>> = { bn1: 0, conv1: 1, bn2: 2, prelu: 3, conv2: 4, bn3: 5, downsample: 6 }
// model_irse.py assigns input_layer, output_layer, then body
const EVOLVE_TOP: Readonly<Record<string, number>> = { input_layer: 0, output_layer: 1, body: 2 }
const EVOLVE_IN_UNIT: Readonly<Record<string, number>> = { shortcut_layer: 0, res_layer: 1 }

/** A sort key reproducing PyTorch's registration order of the family's modules. */
const torchOrder = (family: Family, key: string): number[] => {
  const t = key.split('.')
  const param = PARAM_RANK[t[t.length - 1]] ?? 9
  if (family === 'evolve') {
    // input_layer.k.p | output_layer.k.p | body.N.{shortcut_layer,res_layer}.k.p
    return t[0] === 'body'
      ? [EVOLVE_TOP.body, Number(t[1]), EVOLVE_IN_UNIT[t[2]], Number(t[3]), param]
      : [EVOLVE_TOP[t[0]], Number(t[1]), 0, 0, param]
  }
  // conv1.p | layerS.U.x[.k].p | bn2.p
  if (t[0].startsWith('layer')) {
    return [IRESNET_TOP[t[0]], Number(t[1]), IRESNET_IN_UNIT[t[2]], t.length === 5 ? Number(t[3]) : 0, param]
  }
  return [IRESNET_TOP[t[0]], 0, 0, 0, param]
}

const compareKeys = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0)
  return 0
}

/**
 * The key of every weight of `layers` in `family`'s naming. A backbone layer the family has no
 * module for means the model is of the other family (or the composition changed): an error.
 */
export const planFor = (family: Family, layers: readonly LayerInfo[]): Plan => {
  const offsets = unitOffsets(layers)
  const backbone: PlanEntry[] = []
  const extra: PlanEntry[] = []
  const bns: { torch: string; part: PlanEntry['part']; order: number[] }[] = []
  for (const layer of layers) {
    const inBackbone = isBackbonePath(layer.path)
    const module = inBackbone ? moduleOf(family, layer.path, offsets) : layer.path.replace(/\//g, '.')
    if (module === undefined) {
      throw new PamError(`the model's layer ${layer.path} (${layer.tag}) has no counterpart in ${familyTitle[family]}'s state_dict`)
    }
    const params = PARAMS[layer.tag]
    for (const w of layer.weights) {
      const p = params?.[w.param]
      if (p === undefined) throw new PamError(`the model's weight ${w.name} has no PyTorch counterpart`)
      const layout = layoutOf(layer, w.param)
      const entry: PlanEntry = {
        ours: w.name,
        torch: `${module}.${p}`,
        layout,
        shape: w.shape,
        torchShape: torchShape(layout, w.shape),
        part: inBackbone ? 'backbone' : 'extra',
      }
      ;(inBackbone ? backbone : extra).push(entry)
    }
    if (layer.tag === 'BatchNorm') {
      const torch = `${module}.num_batches_tracked`
      bns.push({ torch, part: inBackbone ? 'backbone' : 'extra', order: inBackbone ? torchOrder(family, torch) : [] })
    }
  }
  const within = (e: PlanEntry) => PARAM_RANK[e.torch.split('.').pop()!] ?? 9
  backbone.sort((a, b) => compareKeys(torchOrder(family, a.torch), torchOrder(family, b.torch)))
  // extras keep the graph's layer order; within a layer, weight, bias, running_mean, running_var
  const extraOrder = new Map(extra.map((e, i) => [e.torch.slice(0, e.torch.lastIndexOf('.')), i]))
  extra.sort((a, b) => {
    const la = extraOrder.get(a.torch.slice(0, a.torch.lastIndexOf('.')))!
    const lb = extraOrder.get(b.torch.slice(0, b.torch.lastIndexOf('.')))!
    return la !== lb ? la - lb : within(a) - within(b)
  })
  const batchNorms = [...bns.filter((b) => b.part === 'backbone').sort((a, b) => compareKeys(a.order, b.order)), ...bns.filter((b) => b.part === 'extra')]
  return { family, entries: [...backbone, ...extra], batchNorms: batchNorms.map(({ torch, part }) => ({ torch, part })) }
}

// ---------------------------------------------------------------------------------------------
// recognising a checkpoint
// ---------------------------------------------------------------------------------------------

const EVOLVE_SIGNS = ['input_layer.0.weight', 'body.0.res_layer.0.weight', 'output_layer.3.weight']
const IRESNET_SIGNS = ['conv1.weight', 'layer1.0.bn1.weight', 'fc.weight']
const SE = /^body\.\d+\.res_layer\.5\.fc[12]\.weight$/

export interface Recognised {
  readonly family: Family | 'evolve-se' | undefined
  /** Up to two keys that gave the family away. */
  readonly evidence: readonly string[]
}

/** Which family a state_dict's keys are of. */
export const recogniseKeys = (keys: readonly string[]): Recognised => {
  const has = new Set(keys)
  const se = keys.find((k) => SE.test(k))
  const evolve = EVOLVE_SIGNS.filter((k) => has.has(k))
  const iresnet = IRESNET_SIGNS.filter((k) => has.has(k))
  if (se && evolve.length > 0) return { family: 'evolve-se', evidence: [evolve[0], se] }
  if (evolve.length >= 2) return { family: 'evolve', evidence: evolve.slice(0, 2) }
  if (iresnet.length >= 2) return { family: 'insightface', evidence: iresnet.slice(0, 2) }
  return { family: undefined, evidence: [] }
}

const otherFlag = (f: Family): string => `--family ${f}`

/** Throws a clear error unless the keys are of `family`. */
export const checkFamily = (family: Family, keys: readonly string[], source: string): void => {
  const r = recogniseKeys(keys)
  if (r.family === family) return
  const title = familyTitle[family]
  if (r.family === 'evolve-se') {
    throw new PamError(`${source}: looks like a face.evoLVe IR-SE checkpoint (keys ${r.evidence.join(', ')}, …); the zoo has no IR-SE models, only IR`)
  }
  if (r.family !== undefined) {
    throw new PamError(`${source}: looks like ${withArticle(r.family)} checkpoint (keys ${r.evidence.join(', ')}, …), not ${title}; use ${otherFlag(r.family)}`)
  }
  const first = keys.slice(0, 3).join(', ')
  throw new PamError(`${source}: not a ${title} state_dict (no ${(family === 'evolve' ? EVOLVE_SIGNS : IRESNET_SIGNS).slice(0, 2).join(', ')}; its first keys: ${first}${keys.length > 3 ? ', …' : ''})`)
}

// ---------------------------------------------------------------------------------------------
// what a checkpoint's shapes say about the model it came from
// ---------------------------------------------------------------------------------------------

export interface CheckpointArchitecture {
  readonly units: readonly number[]
  /** Output channels of each stage. */
  readonly widths: readonly number[]
  /** Stem channels / 64: the width multiplier the zoo would need. */
  readonly width: number | undefined
  readonly embedding: number | undefined
  /** Input side, when the Linear's inputs are C4 · s² with s = side / 16. */
  readonly size: number | undefined
  /** The zoo depth whose unit counts these are (IR50 …), if any. */
  readonly depth: number | undefined
}

/** Unit counts, widths, embedding and input size read off a checkpoint's shapes. */
export const inferArchitecture = (family: Family, shapes: ReadonlyMap<string, readonly number[]>): CheckpointArchitecture => {
  const units: number[] = []
  const widths: number[] = []
  if (family === 'evolve') {
    for (let n = 0; shapes.has(`body.${n}.res_layer.3.weight`); n++) {
      const c = shapes.get(`body.${n}.res_layer.3.weight`)![0]
      if (widths.length === 0 || widths[widths.length - 1] !== c) {
        widths.push(c)
        units.push(0)
      }
      units[units.length - 1]++
    }
  } else {
    for (let s = 1; shapes.has(`layer${s}.0.conv2.weight`); s++) {
      let u = 0
      while (shapes.has(`layer${s}.${u}.conv2.weight`)) u++
      units.push(u)
      widths.push(shapes.get(`layer${s}.0.conv2.weight`)![0])
    }
  }
  const stem = shapes.get(family === 'evolve' ? 'input_layer.0.weight' : 'conv1.weight')
  const linear = shapes.get(family === 'evolve' ? 'output_layer.3.weight' : 'fc.weight')
  const last = widths[widths.length - 1]
  let size: number | undefined
  if (linear && last && linear[1] % last === 0) {
    const side = Math.round(Math.sqrt(linear[1] / last))
    if (side * side * last === linear[1]) size = side * 2 ** widths.length
  }
  const depth = Object.entries(DEPTHS).find(([, u]) => u.length === units.length && u.every((n, i) => n === units[i]))?.[0]
  return {
    units,
    widths,
    width: stem ? stem[0] / 64 : undefined,
    embedding: linear?.[0],
    size,
    depth: depth === undefined ? undefined : Number(depth),
  }
}
