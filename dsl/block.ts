/**
 * The Block: a network block as plain, readonly data.
 *
 * A Block holds hyperparameters only: no weights, no tensors, no hidden state. Input channels are
 * never declared; the interpreters infer them from the input shape. Every interpreter (shape
 * inference, parameter and MAC counting, summary, compilation) is a function of a Block.
 */

// -------------------------------------------------------------------------------------------------
// model: primitives
// -------------------------------------------------------------------------------------------------

/** `same` / `valid` as tfjs means them, or a symmetric explicit padding as PyTorch's `padding=p`. */
export type Padding = 'same' | 'valid' | number

/** `[N,H,W,Cin] → [N,H',W',filters]`. */
export interface Conv2d {
  readonly _tag: 'Conv2d'
  readonly filters: number
  readonly kernel: number
  readonly stride: number
  readonly padding: Padding
  readonly dilation: number
  readonly bias: boolean
}

/** `[N,H,W,C] → [N,H',W',C·multiplier]`, one filter per input channel. */
export interface DepthwiseConv2d {
  readonly _tag: 'DepthwiseConv2d'
  readonly kernel: number
  readonly stride: number
  readonly padding: Padding
  readonly dilation: number
  readonly multiplier: number
  readonly bias: boolean
}

/**
 * Normalises the last axis, for maps (`BatchNorm2d`) and vectors (`BatchNorm1d`) alike.
 * `momentum` follows PyTorch: `running = (1 − momentum) · running + momentum · batch`.
 * `scale: 'fixed'` keeps gamma at its initial 1 and out of training (insightface's feature BN).
 */
export interface BatchNorm {
  readonly _tag: 'BatchNorm'
  readonly epsilon: number
  readonly momentum: number
  readonly scale: 'learned' | 'fixed'
}

/** `max(0, x) + a · min(0, x)` with one slope `a` per channel (last axis). */
export interface PRelu {
  readonly _tag: 'PRelu'
  readonly init: number
}

export interface Relu {
  readonly _tag: 'Relu'
}

export interface Sigmoid {
  readonly _tag: 'Sigmoid'
}

export interface Identity {
  readonly _tag: 'Identity'
}

/** `[N,F] → [N,units]`. */
export interface Dense {
  readonly _tag: 'Dense'
  readonly units: number
  readonly bias: boolean
}

/** `[N,H,W,C] → [N,H·W·C]` in H, W, C order (PyTorch flattens C, H, W: see the importer). */
export interface Flatten {
  readonly _tag: 'Flatten'
}

/** Active in training only. */
export interface Dropout {
  readonly _tag: 'Dropout'
  readonly rate: number
}

/** `[N,H,W,C] → [N,1,1,C]` (kept 4-d so 1×1 convolutions read it, as CBAM does). */
export interface GlobalPool {
  readonly _tag: 'GlobalPool'
  readonly mode: 'avg' | 'max'
}

/** `[N,H,W,C] → [N,⌈H/s⌉,⌈W/s⌉,C]`: every s-th pixel, PyTorch's parameter-free `MaxPool2d(1, s)`. */
export interface Subsample {
  readonly _tag: 'Subsample'
  readonly stride: number
}

/** `(x − offset) / divisor`, elementwise: a model's own pixel normalisation. */
export interface Normalize {
  readonly _tag: 'Normalize'
  readonly offset: number
  readonly divisor: number
}

// -------------------------------------------------------------------------------------------------
// model: gates (scalar per example, read from a side input)
// -------------------------------------------------------------------------------------------------

/** `S(v) = 1 / (1 + exp(−k (|v| / centre − 1)))`, v the side input `signal`; not trainable. */
export interface SoftGate {
  readonly _tag: 'SoftGate'
  readonly signal: string
  readonly k: number
  readonly centre: number
}

/** `S ≡ value`: the "without soft gate" ablation (value 1). */
export interface ConstantGate {
  readonly _tag: 'ConstantGate'
  readonly value: number
}

export type Gate = SoftGate | ConstantGate

// -------------------------------------------------------------------------------------------------
// model: combinators
// -------------------------------------------------------------------------------------------------

/** A child block and the name its path segment takes. */
export interface Child {
  readonly name: string
  readonly block: Block
}

/** Children applied one after another. */
export interface Sequence {
  readonly _tag: 'Sequence'
  readonly children: readonly Child[]
}

/** Every branch reads the same input; their outputs are merged (multiply broadcasts size-1 axes). */
export interface Branch {
  readonly _tag: 'Branch'
  readonly branches: readonly Child[]
  readonly merge: 'add' | 'multiply'
}

/** `x + g · body(x)`, g a gate: the DRM and DREAM form. */
export interface GatedResidual {
  readonly _tag: 'GatedResidual'
  readonly body: Block
  readonly gate: Gate
}

/**
 * `merge_i shared(input_i(x))`: one `shared` block, with one set of weights, applied to the output
 * of each `inputs` block (CBAM's MLP over the average- and max-pooled descriptors).
 */
export interface Shared {
  readonly _tag: 'Shared'
  readonly inputs: readonly Child[]
  readonly shared: Child
  readonly merge: 'add' | 'multiply'
}

/** A sub-tree with a display name in summaries (`IRUnit`, `PAM`, `CAM`); no effect on values. */
export interface Labeled {
  readonly _tag: 'Labeled'
  readonly label: string
  readonly block: Block
}

// -------------------------------------------------------------------------------------------------
// model: the design's named blocks (expanded against their input shape by ./expand)
// -------------------------------------------------------------------------------------------------

/**
 * A residual unit's shortcut to `filters` channels at `stride`. `evolve` (face.evoLVe IR): the
 * identity subsampled when the input already has `filters` channels, else conv1×1 → BN.
 * `insightface` (iResNet): conv1×1 → BN wherever the stride is not 1 or the channels change.
 */
export interface Shortcut {
  readonly _tag: 'Shortcut'
  readonly filters: number
  readonly stride: number
  readonly policy: 'evolve' | 'insightface'
}

/**
 * DRM: `x + S(signal) · R(x)`, R = BN → conv k×k → PReLU → conv k×k → BN, the convs depthwise
 * (the paper's PAM-D) or full C→C (PAM-C). `[N,H,W,C] → [N,H,W,C]`.
 */
export interface DepthwiseResidual {
  readonly _tag: 'DepthwiseResidual'
  readonly kernel: number
  readonly gate: Gate
  readonly conv: 'depthwise' | 'full'
}

/**
 * CAM: `y ⊙ σ(M(avg(y)) + M(max(y)))` (CBAM) or `y ⊙ σ(M(avg(y)))` (SE squeeze), M shared =
 * conv1×1 C→C/r → ReLU → conv1×1 C/r→C, no biases; `identity` adds y back: `y + y ⊙ σ(…)`.
 * `[N,H,W,C] → [N,H,W,C]`.
 */
export interface ChannelAttention {
  readonly _tag: 'ChannelAttention'
  readonly squeeze: 'cbam' | 'se'
  readonly reduction: number
  readonly identity: boolean
}

/** `units` residual units to `filters` channels, the first with the stage's `stride`. */
export interface ResidualStage {
  readonly _tag: 'ResidualStage'
  readonly units: number
  readonly filters: number
  readonly stride: number
  readonly unit: 'ir' | 'iresnet'
}

export type Composite = Shortcut | DepthwiseResidual | ChannelAttention | ResidualStage

export type Primitive =
  | Conv2d
  | DepthwiseConv2d
  | BatchNorm
  | PRelu
  | Relu
  | Sigmoid
  | Identity
  | Dense
  | Flatten
  | Dropout
  | GlobalPool
  | Subsample
  | Normalize

export type Block = Primitive | Composite | Sequence | Branch | GatedResidual | Shared | Labeled

const compositeTags: ReadonlySet<Block['_tag']> = new Set(['Shortcut', 'DepthwiseResidual', 'ChannelAttention', 'ResidualStage'])
const combinatorTags: ReadonlySet<Block['_tag']> = new Set(['Sequence', 'Branch', 'GatedResidual', 'Shared', 'Labeled'])

export const isComposite = (b: Block): b is Composite => compositeTags.has(b._tag)
export const isPrimitive = (b: Block): b is Primitive => !compositeTags.has(b._tag) && !combinatorTags.has(b._tag)
