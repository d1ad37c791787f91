import { applyDecorators } from '@nestjs/common';
import { IsNumber, Max, Min, ValidateBy } from 'class-validator';
import { usdToCents } from '@focus/contracts';

/** Ten billion dollars: far above any operation's budget, far below float trouble. */
export const USD_MAX = 10_000_000_000;

/**
 * An amount in US dollars, 0 to USD_MAX, at most 2 decimals. Not class-validator's
 * maxDecimalPlaces: it throws on a number written with an exponent (-5e-324), a 500 the
 * fault suite's fuzzing found. Nor a tolerance on `value * 100`: the product's rounding error
 * grows with the amount (158527789.23 * 100 = 15852778923.000002). Dividing whole cents by
 * 100 is correctly rounded, so it gives back exactly the double that parsing a two-decimal
 * amount gives, and nothing else.
 */
export function IsUsd(): PropertyDecorator {
  return applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(USD_MAX),
    ValidateBy({
      name: 'isUsd',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && usdToCents(value) / 100 === value,
        defaultMessage: () => 'must have at most 2 decimals',
      },
    }),
  );
}
