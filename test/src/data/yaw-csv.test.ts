import t from 'tap'
import { checkYaw, forEachYawRow, formatYaw, roundYaw } from '../../../src/data/yaw-csv'

const rows = (text: string, key = 'path'): [string, number, number][] => {
  const out: [string, number, number][] = []
  forEachYawRow(text, 'yaw.csv', key, (k, y, l) => out.push([k, y, l]))
  return out
}

t.test('checkYaw accepts decimals in [-90, 90] only', async (t) => {
  t.equal(checkYaw(' -90 '), -90)
  t.equal(checkYaw('90.0'), 90)
  t.equal(checkYaw('1e1'), 10)
  t.equal(checkYaw('90.01'), 'yaw 90.01 is outside [-90, 90]')
  t.equal(checkYaw('NaN'), "yaw 'NaN' is not a number")
  t.equal(checkYaw(''), "yaw '' is not a number")
  t.equal(checkYaw('0x10'), "yaw '0x10' is not a number")
  t.equal(checkYaw('Infinity'), "yaw 'Infinity' is not a number")
})

t.test('rows, header, blank lines and CRLF', async (t) => {
  t.same(rows('path,yaw\r\na/1.png,12.5\r\n\r\nb/2.png,-3\n'), [
    ['a/1.png', 12.5, 2],
    ['b/2.png', -3, 4],
  ])
  t.same(rows('0,1\n1,2', 'index'), [
    ['0', 1, 1],
    ['1', 2, 2],
  ])
  // A comma in the path is kept: the yaw is after the last comma.
  t.same(rows('a,b.png,4\n'), [['a,b.png', 4, 1]])
})

t.test('errors name the file and line', async (t) => {
  t.throws(() => rows('path,yaw\na.png,91\n'), { name: 'PamError', message: 'yaw.csv:2: a.png: yaw 91 is outside [-90, 90]' })
  t.throws(() => rows('a.png,NaN\n'), { message: "yaw.csv:1: a.png: yaw 'NaN' is not a number" })
  t.throws(() => rows('a.png 3\n'), { message: "yaw.csv:1: expected 'path,yaw', got 'a.png 3'" })
})

t.test('formatYaw writes back exactly what roundYaw rendered', async (t) => {
  for (const y of [0.005, -0.004, 89.999, -45.125, 12.345678, 1 / 3]) {
    const r = roundYaw(y)
    t.equal(Number(formatYaw(r)), r, `${y}`)
  }
  t.equal(formatYaw(roundYaw(-0.001)), '0.00')
})
