import { COUNT_MAX } from '../domain/limits';
import { POPULATION_TYPE_CODES, PopulationType } from '../domain/population-types';
import { Describe } from '../validation/describe';
import { NestedObject } from '../validation/nesting';
import { IsCalendarDate, IsCountryCode, IsOneOf, IsOperationCode, IsText, IsWholeNumber, IsYear, Omittable } from '../validation/rules';

// UNHCR revises figures between releases (its 2025 release differs from the 2019 page), so a
// figure keeps its source, and a newer release is a new version rather than a silent overwrite.
@Describe('Where a figure comes from, and the date it describes.')
export class FigureSource {
  @Describe('The publication or dataset, e.g. "UNHCR Global Focus 2019" or "UNHCR population statistics 2025.06.1".')
  @IsText(1, 200)
  name!: string;

  @Describe('The date the figure describes (year-end figures: 31 December of the year).')
  @IsCalendarDate()
  asOf!: string;
}

@Describe("An operation's count of people of one population type in one year (one slice of the breakdown).")
export class PopulationFigureState {
  @IsOperationCode()
  operationCode!: string;

  @IsYear()
  year!: number;

  @Describe(
    'UNHCR population type code: REF refugees, ASY asylum-seekers, RET returned refugees, IDP, RDP returned IDPs, STA stateless, OOC others of concern, OIP other people in need of international protection, HST host community.',
  )
  @IsOneOf(POPULATION_TYPE_CODES)
  type!: PopulationType;

  // Part of the natural key: UNHCR counts people per (year, origin, asylum), and the data API
  // answers by origin. Absent on figures reported without one (the seed page's); an operation's
  // view sums every origin of a (year, type).
  @Describe(
    "The people's country of origin: ISO 3166-1 alpha-3 as UNHCR's coo_iso, with UNK unknown and XXA stateless. Returned refugees are in their own country: their origin is the operation's country. Absent when the figure was reported without an origin.",
  )
  @Omittable()
  @IsCountryCode()
  origin?: string;

  @Describe('Number of people.')
  @IsWholeNumber(0, COUNT_MAX)
  value!: number;

  @NestedObject(() => FigureSource)
  source!: FigureSource;
}

@Describe(
  "An operation's total people of concern for a year that has no breakdown by type (the seed page gives only totals for 2016 and 2017). Where figures by type exist for the year, their sum is the total.",
)
export class PopulationTotalState {
  @IsOperationCode()
  operationCode!: string;

  @IsYear()
  year!: number;

  @Describe('Number of people.')
  @IsWholeNumber(0, COUNT_MAX)
  total!: number;

  @NestedObject(() => FigureSource)
  source!: FigureSource;
}
