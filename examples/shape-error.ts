/**
 * What you see when a block does not fit: a value, not an exception — the block path, what was
 * expected, what arrived. Nothing is allocated.
 *
 *   npm run build && node dist/examples/shape-error.js
 */
import * as E from 'fp-ts/Either'
import { inferShape } from '../dsl/audit'
import { named, residual, sequence } from '../dsl/combinators'
import { channelAttention } from '../dsl/design'
import { batchNorm, conv2d, dense, flatten, prelu } from '../dsl/primitives'
import { formatShapeError } from '../dsl/shape'

const show = (title: string, r: ReturnType<typeof inferShape>): void =>
  console.log(`${title}\n  → ${E.isLeft(r) ? formatShapeError(r.left) : `fits, output [${r.right.join(',')}]`}\n`)

// a residual unit whose body changes the channels, but whose shortcut is the identity
const badUnit = residual(sequence(batchNorm(), conv2d(128, 3), prelu(), conv2d(128, 3), batchNorm()))
show('A residual unit 64 → 128 with an identity shortcut:', inferShape(named('stage2', sequence(named('unit0', badUnit))).block, [28, 28, 64]))

// a dense layer straight after a feature map
show('A dense layer without flatten:', inferShape(sequence(named('stem', conv2d(64, 3)), named('head', dense(512))), [112, 112, 3]))

// channel attention placed after the embedding, where there are no channels to attend to
show('CAM after flatten:', inferShape(sequence(named('stem', conv2d(8, 3)), flatten, named('cam', channelAttention())), [7, 7, 3]))

// and the same blocks, put right, fit
show('Fixed:', inferShape(sequence(named('stem', conv2d(8, 3)), named('cam', channelAttention()), flatten, named('head', dense(512))), [7, 7, 3]))
