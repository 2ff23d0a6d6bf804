import t from 'tap'
import { createRng } from '../../../../src/util/rng'
import { cfpImagePath, drawCfpPairs, pairLines, pairList, splitDir, splitIdentities } from '../../../../src/data/synth/cfp-protocol'

const layout = { identities: 23, frontalPerIdentity: 10, profilePerIdentity: 4 }

t.test('paths and pair lists in the CFP format', async (t) => {
  t.equal(cfpImagePath(layout, 0, 'frontal', 0), 'Data/Images/001/frontal/01.png')
  t.equal(cfpImagePath(layout, 22, 'profile', 3), 'Data/Images/023/profile/04.png')
  t.equal(cfpImagePath({ ...layout, identities: 1500 }, 1499, 'frontal', 9), 'Data/Images/1500/frontal/10.png')
  const f = pairList(layout, 'frontal').split('\n')
  t.equal(f.length, 23 * 10 + 1)
  t.equal(f[0], '1 Data/Images/001/frontal/01.png')
  t.equal(f[229], '230 Data/Images/023/frontal/10.png')
  t.equal(pairList(layout, 'profile').split('\n')[4], '5 Data/Images/002/profile/01.png')
  t.equal(pairLines([[1, 2], [30, 4]]), '1,2\n30,4\n')
  t.equal(splitDir('FP', 9), 'Split/FP/10')
})

t.test('splits are identity-disjoint blocks covering everyone', async (t) => {
  const all = Array.from({ length: 10 }, (_, s) => splitIdentities(23, s))
  t.same(all.flat(), Array.from({ length: 23 }, (_, i) => i))
  t.ok(all.every((ids) => ids.length >= 2))
})

t.test('pairs stay inside their split; same is same, diff is different', async (t) => {
  const pairs = drawCfpPairs(createRng(1), layout, 350)
  const F = layout.frontalPerIdentity
  const P = layout.profilePerIdentity
  const idF = (n: number): number => Math.floor((n - 1) / F)
  const idP = (n: number): number => Math.floor((n - 1) / P)
  for (let s = 0; s < 10; s++) {
    const ids = new Set(splitIdentities(layout.identities, s))
    for (const [kind, second] of [
      ['FF', idF],
      ['FP', idP],
    ] as const) {
      const { same, diff } = pairs[kind][s]
      t.equal(same.length, diff.length, `${kind} ${s} balanced`)
      t.ok(same.length > 0)
      t.ok(same.every(([a, b]) => idF(a) === second(b) && ids.has(idF(a)) && (kind === 'FP' || a !== b)))
      t.ok(diff.every(([a, b]) => idF(a) !== second(b) && ids.has(idF(a)) && ids.has(second(b))))
      t.equal(new Set(same.map(String)).size, same.length, 'no repeated pair')
      t.equal(new Set(diff.map(String)).size, diff.length)
    }
  }
  // 2 identities × 40 frontal-profile combinations; 45 frontal pairs each.
  t.equal(pairs.FP[0].same.length, 80)
  t.equal(pairs.FF[0].same.length, 90)
  const capped = drawCfpPairs(createRng(1), layout, 7)
  t.equal(capped.FP[3].same.length, 7)
  // Same pairs are spread evenly over the split's identities.
  const perIdentity = capped.FP[3].same.map(([a]) => idF(a))
  t.ok(Math.abs(perIdentity.filter((i) => i === perIdentity[0]).length - 3.5) <= 0.5)
  t.same(drawCfpPairs(createRng(1), layout, 350), pairs, 'deterministic')
})
