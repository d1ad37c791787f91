import { Describe } from '../validation/describe';
import { NestedList, NestedObject } from '../validation/nesting';
import { IsFiniteNumber, IsOneOf, IsOperationCode, IsText } from '../validation/rules';

export const OFFICE_KINDS = ['regional-office', 'country-office', 'sub-office', 'field-office', 'other'] as const;
export type OfficeKind = (typeof OFFICE_KINDS)[number];

export class OperationName {
  @IsText(1, 200)
  en!: string;

  @IsText(1, 200)
  fr!: string;
}

@Describe("An office on the operation's map.")
export class Office {
  @IsText(1, 200)
  name!: string;

  @IsOneOf(OFFICE_KINDS)
  kind!: OfficeKind;

  @Describe('Latitude, WGS 84 decimal degrees.')
  @IsFiniteNumber(-90, 90)
  lat!: number;

  @Describe('Longitude, WGS 84 decimal degrees.')
  @IsFiniteNumber(-180, 180)
  lon!: number;
}

@Describe('What identifies an operation on its page: its names, UNHCR region and subregion, and offices.')
export class OperationProfileState {
  @Describe('The operation code (also the subject operation code and Kafka key).')
  @IsOperationCode()
  code!: string;

  @NestedObject(() => OperationName)
  name!: OperationName;

  @IsText(1, 100)
  region!: string;

  @IsText(1, 100)
  subregion!: string;

  @NestedList(() => Office, 200)
  offices!: Office[];
}
