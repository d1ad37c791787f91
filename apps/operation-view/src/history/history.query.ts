import { IsOptional, IsString, Matches } from 'class-validator';
import { ViewQuery } from '../view/view.query';

/** `?limit=&cursor=`, as the contributions list pages. */
export class HistoryQuery {
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d?|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}

/** `?asOf=&year=&lang=`: asOf is checked by parseAsOf, for a 400 that says what is wrong. */
export class AsOfViewQuery extends ViewQuery {
  @IsString()
  asOf!: string;
}
