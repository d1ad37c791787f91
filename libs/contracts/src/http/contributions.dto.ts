import { IsISO8601, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { OPERATION_CODE_PATTERN } from '../operation-code';
import { ContributionState } from '../payloads/contribution';
import { IsUsd } from '../validation/rules';
import { OmitProperties } from '../validation/derived-class';
import { PageQueryDto } from './page-query.dto';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `POST /contributions` and `PUT /contributions/{id}`: the contract's ContributionState, whose
 * rules it inherits (donor, calendar date, operation code that is never UNEARMARKED, status),
 * minus the server-made id, with the amount in US dollars (at most two decimals) instead of
 * cents. Leaving operationCode out records an unearmarked contribution; leaving amountUsd out,
 * an undisclosed amount. Neither may be null: absence has exactly one spelling.
 */
export class ContributionBodyDto extends OmitProperties(ContributionState, ['id', 'amountCents'] as const) {
  @ValidateIf((_dto: ContributionBodyDto, value: unknown) => value !== undefined)
  @IsUsd()
  amountUsd?: number;
}

/**
 * `GET /contributions?operation=&donor=&since=&until=&limit=&cursor=`. Query values are
 * strings and stay strings (no coercion); a repeated parameter arrives as an array and an
 * unknown one (`operation[$ne]` included) is refused, so nothing but a plain string reaches
 * the query.
 */
/** Filters of the contributions list; `limit` (50 when absent) and `cursor` page it. */
export class ListContributionsQueryDto extends PageQueryDto {
  /** An operation code, or UNEARMARKED for the contributions earmarked for none. */
  @IsOptional()
  @IsString()
  @Matches(OPERATION_CODE_PATTERN, { message: `operation must match ${OPERATION_CODE_PATTERN.source}` })
  operation?: string;

  /** The donor's name, exactly as recorded. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  donor?: string;

  /** Contributions dated on or after this day. */
  @IsOptional()
  @IsString()
  @Matches(CALENDAR_DATE, { message: 'since must be a calendar date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  since?: string;

  /** Contributions dated on or before this day. */
  @IsOptional()
  @IsString()
  @Matches(CALENDAR_DATE, { message: 'until must be a calendar date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string;
}
