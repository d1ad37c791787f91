import { IsIn, IsOptional, Matches } from 'class-validator';
import { Lang, LANGS } from '@focus/contracts';

/** `?year=2018&lang=fr`: query strings are strings, so the year is checked as digits. */
export class ViewQuery {
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be a four-digit year' })
  year?: string;

  @IsOptional()
  @IsIn(LANGS)
  lang?: Lang;
}
