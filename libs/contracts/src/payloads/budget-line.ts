import { Pillar, PILLAR_NUMBERS } from '../domain/pillars';
import { Describe } from '../validation/describe';
import { IsCents, IsCentsOrNull, IsOneOf, IsOperationCode, IsYear } from '../validation/rules';

@Describe(
  "An operation's budget and expenditure for one pillar in one year. Money is integer US cents: USD 7.40638597 million is 740638597.",
)
export class BudgetLineState {
  @IsOperationCode()
  operationCode!: string;

  @IsYear()
  year!: number;

  @Describe('1 refugee programme, 2 stateless programme, 3 reintegration projects, 4 IDP projects.')
  @IsOneOf(PILLAR_NUMBERS)
  pillar!: Pillar;

  @Describe('Budget in US cents.')
  @IsCents()
  budgetCents!: number;

  // Null rather than 0 or absent: 0 would claim nothing was spent, and a required property
  // means a producer can't forget it.
  @Describe('Expenditure in US cents; always present, null while the year is not closed.')
  @IsCentsOrNull()
  expenditureCents!: number | null;
}
