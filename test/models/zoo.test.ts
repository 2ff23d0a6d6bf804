import t from 'tap'
import * as E from 'fp-ts/Either'
import { countParams } from '../../dsl/audit'
import { inferShape } from '../../dsl/audit'
import { buildModel, inputShape, PAPER_MODELS, parseModelName } from '../../models/zoo'

const trainable = (name: string, o = {}): number => {
  const b = buildModel(name, o)
  if (E.isLeft(b)) throw new Error(b.left)
  const c = countParams(b.right, inputShape(o))
  if (E.isLeft(c)) throw new Error(c.left.path)
  return c.right.trainable
}

t.test('the paper\'s parameter counts, exactly', async (t) => {
  const ir50 = trainable('IR50')
  t.equal(ir50, 43_574_976, 'IR50 (Table 1: 43.57M)')
  t.equal(trainable('IR100'), 65_129_792, 'IR100 (Table 6: 65.13M)')
  const delta = (n: string) => trainable(n) - ir50
  t.equal(delta('IR50+PAM12'), 6_976)
  t.equal(delta('IR50+PAM34'), 58_624)
  t.equal(delta('IR50+PAM1234'), 65_600)
  t.equal(delta('IR50+PAM123'), 21_056)
  t.equal(delta('IR50+PAM124'), 51_520)
  t.equal(delta('IR50+PAM12-C'), 372_160)
  t.equal(delta('IR50+PAM12-D'), 6_976)
  t.equal(delta('IR50+DREAM'), 525_312)
  t.ok(delta('IR50+DREAM') / delta('IR50+PAM12') > 75, 'DREAM needs more than 75× the parameters of PAM12')
  t.equal(delta('IR50+PAM12-NOGATE'), 6_976, 'the soft gate has no trainable parameter (Table 4)')
  t.equal(delta('IR50+PAM12-SE'), 6_976, 'SE and CBAM squeeze share one MLP size (Table 3)')
  t.equal(delta('IR50+PAM12-DRM') + delta('IR50+PAM12-CAM'), 6_976, 'DRM-only + CAM-only = PAM (Table 5)')
})

t.test('other depths', async (t) => {
  // units × the per-unit count; checked against face.evoLVe's IR_18/34/152 layer lists
  t.equal(trainable('IR18') < trainable('IR34'), true)
  t.equal(trainable('IR152') > trainable('IR100'), true)
  t.equal(trainable('IR101'), trainable('IR100'), 'face.evoLVe calls the 100-layer net IR_101')
})

t.test('names are case-insensitive and canonical', async (t) => {
  t.same(E.map((s: { name: string }) => s.name)(parseModelName('ir50+pam12')), E.right('IR50+PAM12'))
  t.same(E.map((s: { name: string }) => s.name)(parseModelName(' Ir50 + Pam12-se-id ')), E.right('IR50+PAM12-SE-ID'))
  for (const [n] of PAPER_MODELS) t.ok(E.isRight(parseModelName(n)), n)
})

t.test('bad names say why', async (t) => {
  t.same(parseModelName('IR51'), E.left('unknown model "IR51": depth 51 is not one of 18, 34, 50, 100 (or 101), 152'))
  t.same(parseModelName('IR50+PAM21'), E.left('unknown model "IR50+PAM21": PAM stages must be distinct digits 1-4 in ascending order, got 21'))
  t.same(parseModelName('IR50+PAM12-X'), E.left('unknown model "IR50+PAM12-X": PAM modifier -X is not one of -C -D -SE -ID -NOGATE -DRM -CAM'))
  t.same(parseModelName('resnet50'), E.left('unknown model "resnet50"'))
})

t.test('size and width options make small variants', async (t) => {
  const o = { size: 56, width: 0.25, embedding: 128 }
  const b = buildModel('IR50+PAM12', o)
  if (E.isLeft(b)) return t.fail(b.left)
  t.same(inferShape(b.right, inputShape(o)), E.right([128]))
  t.equal(trainable('IR50+PAM12', o), 2_190_496, 'a sixteenth of the convs, a 4×4×128 → 128 embedding layer')
  t.ok(E.isRight(inferShape(E.getOrElseW(() => { throw new Error() })(buildModel('IR18+PAM1234', { size: 32, width: 0.125 })), [32, 32, 3])))
})
