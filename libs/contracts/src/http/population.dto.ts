import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { COUNT_MAX } from '../domain/limits';
import { FigureSource } from '../payloads/population';
import { NestedObject } from '../validation/nesting';
import { Omittable } from '../validation/rules';

/** `PUT /operations/{code}/population/{year}/{type|total}`. */
export class PutFigureDto {
  @IsInt()
  @Min(0)
  @Max(COUNT_MAX)
  value!: number;

  /** Where the figure comes from; an edit without one is credited to the editor, today. Null is refused, not taken for absent. */
  @Omittable()
  @NestedObject(() => FigureSource)
  source?: FigureSource;
}

/** `POST /imports/population?source=`. */
export class ImportQuery {
  /** The release being imported; it becomes each figure's source. */
  @IsOptional()
  @Length(1, 200)
  source?: string;
}
