import { applyDecorators } from '@nestjs/common';
import { IsNumber, Max, Min, ValidateBy } from 'class-validator';

/** Ten billion dollars: far above any operation's budget, far below float trouble. */
export const USD_MAX = 10_000_000_000;

/**
 * An amount in US dollars, 0 to USD_MAX, at most 2 decimals. Not class-validator's
 * maxDecimalPlaces: it throws on a number written with an exponent (-5e-324), a 500 the
 * fault suite's fuzzing found.
 */
export function IsUsd(): PropertyDecorator {
  return applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(USD_MAX),
    ValidateBy({
      name: 'isUsd',
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
        defaultMessage: () => 'must have at most 2 decimals',
      },
    }),
  );
}
