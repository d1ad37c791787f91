import { IsNumber, Max, Min, ValidateIf } from 'class-validator';

/** Ten billion dollars: far above any operation's budget, far below float trouble. */
const USD_MAX = 10_000_000_000;

/** `PUT /operations/{code}/budget/{year}/pillars/{pillar}`. */
export class PutBudgetLineDto {
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }) @Min(0) @Max(USD_MAX)
  budgetUsd!: number;

  /** null (or absent) while the year is not closed. */
  @ValidateIf((dto: PutBudgetLineDto) => dto.expenditureUsd !== null && dto.expenditureUsd !== undefined)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }) @Min(0) @Max(USD_MAX)
  expenditureUsd?: number | null;
}
