import { Injectable, PipeTransform } from '@nestjs/common';
import { isCountryCode, OPERATION_CODE_PATTERN, YEAR_MAX, YEAR_MIN } from '@focus/contracts';
import { badRequest } from './problem';

/**
 * Path parameters arrive as strings; these pipes turn them into the typed natural-key parts
 * or refuse them with 400 naming the parameter, so no raw input reaches a query.
 */
@Injectable()
export class OperationCodePipe implements PipeTransform<string, string> {
  transform(raw: string | number): string {
    const value = String(raw);
    if (!OPERATION_CODE_PATTERN.test(value)) {
      throw badRequest(`"${value.slice(0, 40)}" is not an operation code.`, [
        { field: 'code', message: `must match ${OPERATION_CODE_PATTERN.source}` },
      ]);
    }
    return value;
  }
}

@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(raw: string | number): number {
    // The global validation pipe may already have turned a numeric segment into a number.
    const value = String(raw);
    const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (!(year >= YEAR_MIN && year <= YEAR_MAX)) {
      throw badRequest(`"${value.slice(0, 40)}" is not a year.`, [
        { field: 'year', message: `must be a year from ${YEAR_MIN} to ${YEAR_MAX}` },
      ]);
    }
    return year;
  }
}

/** A parameter from a closed list: `new OneOfPipe('kind', KEY_FIGURE_KINDS)`. */
export class OneOfPipe<T extends string | number> implements PipeTransform<string, T> {
  constructor(
    private readonly name: string,
    private readonly allowed: readonly T[],
  ) {}

  transform(raw: string | number): T {
    const value = String(raw);
    const match = this.allowed.find((candidate) => String(candidate) === value);
    if (match === undefined) {
      throw badRequest(`"${value.slice(0, 40)}" is not a valid ${this.name}.`, [
        { field: this.name, message: `must be one of ${this.allowed.join(', ')}` },
      ]);
    }
    return match;
  }
}

/**
 * `?origin=` naming a population figure by its country of origin (as the data API names them:
 * ISO 3166 alpha-3, UNK, XXA): absent, the figure without one. Given twice, or as anything but
 * one code, it is refused.
 */
@Injectable()
export class OriginQueryPipe implements PipeTransform<unknown, string | undefined> {
  transform(raw: unknown): string | undefined {
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string' || !isCountryCode(raw)) {
      throw badRequest('origin must be one country code (GET /reference/countries).', [
        { field: 'origin', message: 'must be one country code' },
      ]);
    }
    return raw;
  }
}

/** A reported total has no origin: `?origin=` on a total's path is refused. */
export function refuseOriginOfTotal(type: string, origin: string | undefined): void {
  if (origin !== undefined && type === 'total')
    throw badRequest('origin does not apply to a total.', [{ field: 'origin', message: 'does not apply to a total' }]);
}
