import { KEY_FIGURE_KINDS, KEY_FIGURE_UNITS, KeyFigureKind, KeyFigureUnit } from '../domain/key-figures';
import { Describe } from '../validation/describe';
import { NestedList, NestedObject } from '../validation/nesting';
import { IsFiniteNumber, IsOneOf, IsOperationCode, IsText, IsYear, Omittable } from '../validation/rules';

@Describe(
  'The words shown after the value, e.g. "persons with undetermined nationality were assisted with confirmation of nationality" after "742".',
)
export class KeyFigureText {
  @IsText(1, 500)
  en!: string;

  @Describe('Absent until translated; show the English text meanwhile.')
  @Omittable()
  @IsText(1, 500)
  fr?: string;
}

export class KeyFigure {
  @Describe('The number shown: a percentage (0-100) when unit is "percent", otherwise a count.')
  @IsFiniteNumber(0, Number.MAX_SAFE_INTEGER)
  value!: number;

  @IsOneOf(KEY_FIGURE_UNITS)
  unit!: KeyFigureUnit;

  @NestedObject(() => KeyFigureText)
  text!: KeyFigureText;
}

@Describe('All key figures of one kind for one year, in display order; the set is replaced as a whole.')
export class KeyFigureSetState {
  @IsOperationCode()
  operationCode!: string;

  @IsYear()
  year!: number;

  @Describe('"result": year-end results of the year; "plan": planning figures for the year.')
  @IsOneOf(KEY_FIGURE_KINDS)
  kind!: KeyFigureKind;

  @NestedList(() => KeyFigure, 50)
  items!: KeyFigure[];
}
