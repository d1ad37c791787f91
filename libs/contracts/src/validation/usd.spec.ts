import { validateSync } from 'class-validator';
import { USD_MAX } from '../domain/money';
import { IsUsd } from './rules';

class Amount {
  @IsUsd()
  usd!: unknown;
}

const accepts = (usd: unknown) => {
  const amount = Object.assign(new Amount(), { usd });
  return validateSync(amount).length === 0;
};

describe('IsUsd', () => {
  it.each([0, 0.01, 4.35, 2517448.47, 158527789.23, 143071607.89, 9_999_999_999.99, USD_MAX])('accepts %p', (usd) => {
    expect(accepts(usd)).toBe(true);
  });

  it.each([1.005, 0.001, 4.351, -0.01, -5e-324, 5e-324, USD_MAX + 0.01, Number.NaN, Infinity, '4.35', null])('refuses %p', (usd) => {
    expect(accepts(usd)).toBe(false);
  });

  it('accepts every whole number of cents up to a billion dollars, sampled', () => {
    for (let cents = 0; cents < 100_000_000_000; cents += 7_919_876_543) expect(accepts(cents / 100)).toBe(true);
    for (let cents = 15_852_778_900; cents < 15_852_779_000; cents++) expect(accepts(cents / 100)).toBe(true);
  });
});
