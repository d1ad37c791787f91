import { ValidateIf } from 'class-validator';
import { IsUsd } from '../validation/rules';

/** `PUT /operations/{code}/budget/{year}/pillars/{pillar}`. */
export class PutBudgetLineDto {
  @IsUsd()
  budgetUsd!: number;

  /** null (or absent) while the year is not closed. */
  @ValidateIf((dto: PutBudgetLineDto) => dto.expenditureUsd !== null && dto.expenditureUsd !== undefined)
  @IsUsd()
  expenditureUsd?: number | null;
}
