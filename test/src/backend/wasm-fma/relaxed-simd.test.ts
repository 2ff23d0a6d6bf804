import t from 'tap'
import { enableRelaxedSimd, RELAXED_MADD_PROBE } from '../../../../src/backend/wasm-fma/relaxed-simd'
import { validate } from '../../../helpers/wasm-module'

t.test('relaxed SIMD is on after enableRelaxedSimd (Node 20: behind a V8 flag set at run time)', async (t) => {
  t.equal(enableRelaxedSimd(), true)
  t.equal(validate(RELAXED_MADD_PROBE), true)
  t.equal(enableRelaxedSimd(), true, 'idempotent')
})
