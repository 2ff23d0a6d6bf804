import * as fs from 'fs'
import * as path from 'path'
import t from 'tap'
import {
  encodeSynthConfig,
  readSynthConfig,
  resolveSynthParameters,
  SYNTH_DEFAULTS,
  synthConfigOf,
} from '../../../../src/data/synth/synth-config'

t.test('defaults fill in; each bad value is named', async (t) => {
  t.same(resolveSynthParameters({}), SYNTH_DEFAULTS)
  t.equal(resolveSynthParameters({ size: 64, testIdentities: 0 }).size, 64)
  t.throws(() => resolveSynthParameters({ size: 8 }), { name: 'PamError', message: 'synth: size must be an integer in [16, 4096], got 8' })
  t.throws(() => resolveSynthParameters({ identities: 1.5 }), { message: 'synth: identities must be an integer ≥ 1, got 1.5' })
  t.throws(() => resolveSynthParameters({ testIdentities: 19 }), {
    message: 'synth: testIdentities must be 0 or an integer ≥ 20 (2 identities in each of the 10 splits), got 19',
  })
  t.throws(() => resolveSynthParameters({ tailFraction: 2 }), { message: 'synth: tailFraction must be a number in [0, 1], got 2' })
})

t.test('synth.json round-trips through its codec', async (t) => {
  const dir = t.testdir({})
  const file = path.join(dir, 'synth.json')
  const config = synthConfigOf({ ...SYNTH_DEFAULTS, seed: 7 })
  fs.writeFileSync(file, encodeSynthConfig(config))
  t.same(readSynthConfig(file), config)
  fs.writeFileSync(file, JSON.stringify({ ...config, size: 'big' }))
  t.throws(() => readSynthConfig(file), { name: 'PamError', message: `${file}: not a synth.json (size must be an integer in [16, 4096], got "big")` })
  t.throws(() => readSynthConfig(path.join(dir, 'none.json')), { message: `${path.join(dir, 'none.json')}: cannot read the synthetic set description (ENOENT)` })
})
