import t from 'tap'
import * as E from 'fp-ts/Either'
import { analyze, signalsOf } from '../../dsl/analyze'
import { countMacs, countParams, inferShape } from '../../dsl/audit'
import { branch, gatedResidual, labeled, named, residual, sequence, shared, softGate } from '../../dsl/combinators'
import { channelAttention, depthwiseResidual, residualStage } from '../../dsl/design'
import { batchNorm, conv2d, dense, depthwiseConv2d, flatten, globalAvgPool, globalMaxPool, prelu, subsample } from '../../dsl/primitives'
import { formatShapeError } from '../../dsl/shape'

const shapeOf = (r: ReturnType<typeof inferShape>) => (E.isRight(r) ? r.right : formatShapeError(r.left))

t.test('primitive shapes', async (t) => {
  t.same(shapeOf(inferShape(conv2d(64, 3), [112, 112, 3])), [112, 112, 64], 'padding k//2 keeps the size')
  t.same(shapeOf(inferShape(conv2d(64, 3, { stride: 2 }), [112, 112, 3])), [56, 56, 64])
  t.same(shapeOf(inferShape(conv2d(64, 3, { stride: 2 }), [7, 7, 3])), [4, 4, 64], 'odd sizes round up, as PyTorch')
  t.same(shapeOf(inferShape(conv2d(8, 3, { padding: 'valid' }), [5, 5, 3])), [3, 3, 8])
  t.same(shapeOf(inferShape(conv2d(8, 3, { padding: 'same', stride: 2 }), [5, 5, 3])), [3, 3, 8])
  t.same(shapeOf(inferShape(conv2d(8, 3, { dilation: 2 }), [9, 9, 3])), [9, 9, 8], 'dilation 2 pads 2')
  t.same(shapeOf(inferShape(depthwiseConv2d(3, { multiplier: 2 }), [8, 8, 5])), [8, 8, 10])
  t.same(shapeOf(inferShape(subsample(2), [7, 7, 4])), [4, 4, 4])
  t.same(shapeOf(inferShape(globalMaxPool, [7, 7, 4])), [1, 1, 4])
  t.same(shapeOf(inferShape(sequence(flatten, dense(10)), [7, 7, 4])), [10])
  t.same(shapeOf(inferShape(batchNorm(), [10])), [10], 'BatchNorm1d')
})

t.test('parameter counts follow PyTorch', async (t) => {
  t.same(countParams(conv2d(64, 3), [8, 8, 3]), E.right({ trainable: 3 * 3 * 3 * 64, nonTrainable: 0 }))
  t.same(countParams(conv2d(64, 3, { bias: true }), [8, 8, 3]), E.right({ trainable: 3 * 3 * 3 * 64 + 64, nonTrainable: 0 }))
  t.same(countParams(batchNorm(), [8, 8, 64]), E.right({ trainable: 128, nonTrainable: 128 }), 'gamma, beta train; running stats do not')
  t.same(countParams(batchNorm({ scale: 'fixed' }), [512]), E.right({ trainable: 512, nonTrainable: 3 * 512 }))
  t.same(countParams(prelu(), [8, 8, 64]), E.right({ trainable: 64, nonTrainable: 0 }), 'one slope per channel')
  t.same(countParams(dense(512), [25088]), E.right({ trainable: 25088 * 512 + 512, nonTrainable: 0 }))
  t.same(countParams(depthwiseConv2d(3), [8, 8, 64]), E.right({ trainable: 576, nonTrainable: 0 }))
})

t.test('the PAM blocks of the paper at C = 64 and 128', async (t) => {
  const drm = (c: number) => countParams(depthwiseResidual(), [8, 8, c])
  const cam = (c: number) => countParams(channelAttention(), [8, 8, c])
  // BN 2C + dw 9C + PReLU C + dw 9C + BN 2C = 23C trainable
  t.same(drm(64), E.right({ trainable: 23 * 64, nonTrainable: 4 * 64 }))
  t.same(cam(64), E.right({ trainable: 2 * 64 * 4, nonTrainable: 0 }), 'the MLP is shared by both pools: counted once')
  t.same(countParams(channelAttention({ squeeze: 'se' }), [8, 8, 64]), countParams(channelAttention(), [8, 8, 64]), 'SE has the same weights')
  const pam = (c: number) => countParams(sequence(depthwiseResidual(), channelAttention()), [8, 8, c])
  const total = [64, 128].map((c) => E.getOrElseW(() => ({ trainable: NaN }))(pam(c)).trainable)
  t.equal(total[0] + total[1], 6976, 'PAM12 adds 6,976 (Table 1)')
})

t.test('MACs', async (t) => {
  t.same(countMacs(conv2d(8, 3), [4, 4, 2]), E.right(4 * 4 * 8 * 9 * 2))
  t.same(countMacs(dense(10), [20]), E.right(200))
  // the shared MLP runs twice (avg and max): its MACs count twice, its weights once
  t.same(countMacs(shared('add', named('mlp', conv2d(4, 1, { padding: 0 })), named('avg', globalAvgPool), named('max', globalMaxPool)), [2, 2, 8]), E.right(2 * 4 * 8))
})

t.test('composition errors name the block path, expected and actual shapes', async (t) => {
  const err = (r: E.Either<{ path: string; expected: string; actual: string; _tag: 'ShapeError' }, unknown>) =>
    E.isLeft(r) ? formatShapeError(r.left) : 'no error'
  t.equal(
    err(inferShape(sequence(named('stem', conv2d(8, 3)), named('head', sequence(dense(10)))), [8, 8, 3])),
    'head/0: expected a [features] vector for Dense(→10) (insert flatten before it), got [8,8,8]',
  )
  t.equal(err(inferShape(sequence(flatten, named('conv', conv2d(8, 3))), [4, 4, 3])), 'conv: expected a [H,W,C] feature map for Conv2d(3×3→8, s1, p1), got [48]')
  t.equal(
    err(inferShape(named('stage2', sequence(named('unit0', residual(sequence(conv2d(128, 3)))))).block, [8, 8, 64])),
    'unit0: expected res to give the shape of shortcut, [8,8,64], to add them, got [8,8,128]',
  )
  t.equal(err(inferShape(conv2d(8, 5, { padding: 'valid' }), [3, 3, 1])), '(model): expected an input of at least 5×5 for Conv2d(5×5→8, s1, valid), got [3,3,1]')
  t.equal(
    err(inferShape(gatedResidual(conv2d(16, 3), softGate()), [8, 8, 8])),
    'res: expected the input shape [8,8,8] so that x + g·res(x) adds, got [8,8,16]',
  )
  t.equal(
    err(inferShape(branch('multiply', named('a', conv2d(4, 1, { padding: 0 })), named('b', conv2d(3, 1, { padding: 0 }))), [2, 2, 1])),
    "(model): expected b to give a shape that broadcasts against a's [2,2,4], to multiply them, got [2,2,3]",
  )
  t.equal(err(inferShape(sequence(flatten, named('pam', channelAttention())), [2, 2, 2])), 'pam: expected a [H,W,C] feature map for ChannelAttention(cbam, r=16), got [8]')
})

t.test('the audit tree: paths, labels, totals add up', async (t) => {
  const block = sequence(named('stage1', residualStage(2, 16)), named('pam1', labeled('PAM', sequence(named('drm', depthwiseResidual()), named('cam', channelAttention())))))
  const tree = analyze(block, [16, 16, 8])
  if (E.isLeft(tree)) return t.fail(formatShapeError(tree.left))
  const paths: string[] = []
  const visit = (n: typeof tree.right): void => {
    paths.push(n.path)
    t.equal(n.trainable, n.children.length ? n.children.reduce((a, c) => a + c.trainable, 0) : n.trainable, `${n.path} adds up`)
    n.children.forEach(visit)
  }
  visit(tree.right)
  t.ok(paths.includes('stage1/unit0/shortcut/0'), 'a shortcut conv where the channels change')
  t.ok(paths.includes('stage1/unit1/shortcut'), 'an identity shortcut where they do not')
  t.ok(paths.includes('stage1/unit0/res/3'), 'the strided conv')
  t.ok(paths.includes('pam1/drm/res/1') && paths.includes('pam1/drm/gate'), 'DRM body and gate')
  t.ok(paths.includes('pam1/cam/attention/squeeze/mlp/0'), 'the shared MLP')
  t.equal(tree.right.children[1].label, 'PAM')
  t.same(signalsOf(block), ['yaw'])
})
