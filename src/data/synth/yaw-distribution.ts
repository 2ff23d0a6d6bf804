/**
 * Where the synthetic yaws come from.
 *
 * Training (frontal-heavy, like web-scraped sets such as MS1MV2): with probability
 * `1 - tailFraction` |yaw| is half-normal with sigma 15 degrees (clipped at 90), otherwise
 * uniform on [0, 90]; the sign is a fair coin. With the default tail of 0.3:
 * P(|yaw| < 30) ≈ 0.77, P(30 ≤ |yaw| < 60) ≈ 0.13, P(|yaw| ≥ 60) ≈ 0.10.
 *
 * Test (CFP-like): frontal images have |yaw| jitter, normal with sigma 4 clipped to 10 degrees;
 * profiles have |yaw| uniform on [60, 90].
 *
 * Every yaw is rounded to 0.01 degree before rendering, so the CSVs state the exact rendered yaw.
 */
import { gaussian, uniform, type Rng } from '../../util/rng'
import { roundYaw } from '../yaw-csv'

export const DEFAULT_TAIL_FRACTION = 0.3
const FRONTAL_SIGMA = 15

const sign = (rng: Rng): number => (rng.next() < 0.5 ? -1 : 1)

export const sampleTrainYaw = (rng: Rng, tailFraction = DEFAULT_TAIL_FRACTION): number => {
  const tail = rng.next() < tailFraction
  const magnitude = tail ? uniform(rng, 0, 90) : Math.min(90, Math.abs(gaussian(rng)) * FRONTAL_SIGMA)
  return roundYaw(sign(rng) * magnitude)
}

export const sampleFrontalYaw = (rng: Rng): number => roundYaw(Math.max(-10, Math.min(10, gaussian(rng) * 4)))

export const sampleProfileYaw = (rng: Rng): number => roundYaw(sign(rng) * uniform(rng, 60, 90))

/** The distributions in words, recorded in `synth.json`. */
export const describeYawDistributions = (tailFraction: number) => ({
  train: `|yaw| ~ half-normal(sigma ${FRONTAL_SIGMA}) clipped to 90 with p ${1 - tailFraction}, else uniform[0, 90]; random sign`,
  testFrontal: 'yaw ~ normal(0, 4) clipped to [-10, 10]',
  testProfile: '|yaw| ~ uniform[60, 90]; random sign',
  rounding: 'yaws rounded to 0.01 degree before rendering',
})
