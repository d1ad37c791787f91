import { CONTRIBUTION_STATUSES, ContributionStatus, DONOR_TYPES, DonorType } from '../domain/contributions';
import { UNEARMARKED_OPERATION_CODE } from '../operation-code';
import { Describe } from '../validation/describe';
import { NestedObject } from '../validation/nesting';
import { IsCalendarDate, IsCents, IsNotEqualTo, IsOneOf, IsOperationCode, IsText, IsUuid, Omittable } from '../validation/rules';

export class Donor {
  @Describe('As shown on the page, e.g. "European Union", "Japan", "private donors".')
  @IsText(1, 200)
  name!: string;

  @IsOneOf(DONOR_TYPES)
  type!: DonorType;
}

@Describe(
  'A contribution to UNHCR, as listed under "Latest contributions". Every event carries its full state; a cancellation keeps the data with status "cancelled".',
)
export class ContributionState {
  @Describe('The contribution id (also subject.entityId).')
  @IsUuid()
  id!: string;

  @NestedObject(() => Donor)
  donor!: Donor;

  @Describe('The date of the contribution.')
  @IsCalendarDate()
  date!: string;

  @Describe('Amount in US cents; absent when the donor has not disclosed it (never null).')
  @Omittable()
  @IsCents()
  amountCents?: number;

  @Describe(
    `The operation the contribution is earmarked for; absent when unearmarked, in which case subject.operationCode and the Kafka key are "${UNEARMARKED_OPERATION_CODE}".`,
  )
  @Omittable()
  @IsNotEqualTo(UNEARMARKED_OPERATION_CODE, 'leave operationCode out for an unearmarked contribution')
  @IsOperationCode()
  operationCode?: string;

  @IsOneOf(CONTRIBUTION_STATUSES)
  status!: ContributionStatus;
}
