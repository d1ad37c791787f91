import { IsString } from 'class-validator';
import { ViewQuery } from '../view/view.query';

/** `?asOf=&year=&lang=`: asOf is checked by parseAsOf, for a 400 that says what is wrong. */
export class AsOfViewQuery extends ViewQuery {
  @IsString()
  asOf!: string;
}
