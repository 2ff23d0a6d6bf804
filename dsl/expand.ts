/**
 * Expansion of the named design blocks into primitives and combinators, given the input shape.
 *
 * This is where "declare output channels only" is paid for: a shortcut needs to know whether the
 * channels change, a CAM needs C to size its MLP. Every interpreter expands through this one
 * function, so the audit and the compiled graph cannot disagree about what a block is.
 */
import type { Block, ChannelAttention, Composite, DepthwiseResidual, ResidualStage, Shortcut } from './block'
import { branch, gatedResidual, named, residual, sequence, shared } from './combinators'
import { shortcut } from './design'
import {
  batchNorm,
  conv2d,
  depthwiseConv2d,
  globalAvgPool,
  globalMaxPool,
  identity,
  prelu,
  relu,
  sigmoid,
  subsample,
} from './primitives'
import type { Shape } from './shape'

const channelsOf = (input: Shape): number => input[input.length - 1]

const expandShortcut = (s: Shortcut, input: Shape): Block => {
  const sameChannels = channelsOf(input) === s.filters
  if (s.policy === 'evolve' && sameChannels) return s.stride === 1 ? identity : subsample(s.stride)
  if (s.policy === 'insightface' && sameChannels && s.stride === 1) return identity
  return sequence(conv2d(s.filters, 1, { stride: s.stride, padding: 0 }), batchNorm())
}

const expandDrm = (d: DepthwiseResidual, input: Shape): Block => {
  const conv = () =>
    d.conv === 'depthwise' ? depthwiseConv2d(d.kernel) : conv2d(channelsOf(input), d.kernel)
  return gatedResidual(sequence(batchNorm(), conv(), prelu(), conv(), batchNorm()), d.gate)
}

const expandCam = (c: ChannelAttention, input: Shape): Block => {
  const channels = channelsOf(input)
  const hidden = Math.max(1, Math.floor(channels / c.reduction))
  const mlp = named('mlp', sequence(conv2d(hidden, 1, { padding: 0 }), relu, conv2d(channels, 1, { padding: 0 })))
  const squeeze =
    c.squeeze === 'cbam'
      ? shared('add', mlp, named('avg', globalAvgPool), named('max', globalMaxPool))
      : shared('add', mlp, named('avg', globalAvgPool))
  const recalibrate = branch('multiply', named('x', identity), named('attention', sequence(named('squeeze', squeeze), named('sigmoid', sigmoid))))
  return c.identity ? branch('add', named('identity', identity), named('recalibrate', recalibrate)) : recalibrate
}

/** face.evoLVe `bottleneck_IR` or insightface `IBasicBlock`, to `filters` at `stride`. */
const residualUnit = (unit: ResidualStage['unit'], filters: number, stride: number): Block =>
  unit === 'ir'
    ? residual(
        sequence(batchNorm(), conv2d(filters, 3), prelu(), conv2d(filters, 3, { stride }), batchNorm()),
        shortcut(filters, stride, 'evolve'),
      )
    : residual(
        sequence(batchNorm(), conv2d(filters, 3), batchNorm(), prelu(), conv2d(filters, 3, { stride }), batchNorm()),
        shortcut(filters, stride, 'insightface'),
      )

const expandStage = (s: ResidualStage): Block =>
  sequence(
    ...Array.from({ length: s.units }, (_, i) => named(`unit${i}`, residualUnit(s.unit, s.filters, i === 0 ? s.stride : 1))),
  )

/** The primitives and combinators `block` stands for at `input`; `input` has been checked to be `[H,W,C]`. */
export const expand = (block: Composite, input: Shape): Block => {
  switch (block._tag) {
    case 'Shortcut':
      return expandShortcut(block, input)
    case 'DepthwiseResidual':
      return expandDrm(block, input)
    case 'ChannelAttention':
      return expandCam(block, input)
    case 'ResidualStage':
      return expandStage(block)
  }
}
