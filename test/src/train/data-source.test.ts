import t from 'tap'
import * as E from 'fp-ts/Either'
import { openCfpTraining } from '../../../src/data/cfp-train'
import { decodeConfig, type TrainConfig } from '../../../src/train/config'
import { openTrainingData } from '../../../src/train/data-source'
import { CFP_MINI } from '../../helpers/cfp-mini'

const config = (data: unknown): TrainConfig => {
  const c = decodeConfig({ model: 'IR18', size: 32, data })
  if (E.isLeft(c)) throw new Error(c.left.join('\n'))
  return c.right
}

t.test('a CFP data config opens the identities of every split but the test splits, as the experiment runner does', async (t) => {
  const lines: string[] = []
  const ds = openTrainingData(config({ kind: 'cfp', dir: CFP_MINI, testSplits: [2] }), { log: (l) => lines.push(l) })
  const direct = openCfpTraining(CFP_MINI, [2], 32)
  t.equal(ds.size, direct.size)
  t.equal(ds.numClasses, direct.numClasses)
  for (let i = 0; i < ds.size; i++) {
    const [a, b] = [ds.get(i), direct.get(i)]
    t.same([a.label, a.yaw, a.source], [b.label, b.yaw, b.source])
    t.same(a.image.data, b.image.data)
  }
  t.same(lines, ['aligning the CFP images of every split but 02 to 32×32', `aligned ${ds.size}/${ds.size}`])
})

t.test('a CFP data config whose test split does not exist is refused naming the split folder', async (t) => {
  t.throws(() => openTrainingData(config({ kind: 'cfp', dir: CFP_MINI, testSplits: [7] })), {
    message: /Protocol\/Split: no split 07 \(the splits are 01, 02\)$/,
  })
})
