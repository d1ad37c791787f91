import { IsOptional, IsString, Matches } from 'class-validator';

/** `?limit=&cursor=`: how every cursor-paged list of the API pages (contributions, histories). */
export class PageQueryDto {
  /** Page size, 1 to 200; the list's default when absent. */
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d?|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit?: string;

  /** `nextCursor` of the previous page, as given; a list decodes it and refuses one it did not issue. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}
