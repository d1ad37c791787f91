import { Lang, LANGS } from '../domain/languages';
import { NARRATIVE_SECTION_KEYS, NarrativeSectionKey } from '../domain/narrative-sections';
import { Describe } from '../validation/describe';
import { IsOneOf, IsOperationCode, IsText, IsYear } from '../validation/rules';

export const NARRATIVE_BODY_MAX_LENGTH = 20_000;

@Describe("One section of an operation's narrative for one year, in one language.")
export class NarrativeSectionState {
  @IsOperationCode()
  operationCode!: string;

  @IsYear()
  year!: number;

  @IsOneOf(LANGS)
  lang!: Lang;

  @Describe('Which section; sections are shown in the order of this list.')
  @IsOneOf(NARRATIVE_SECTION_KEYS)
  section!: NarrativeSectionKey;

  @Describe('Plain text, paragraphs separated by newlines, stored exactly as the editor gave it.')
  @IsText(1, NARRATIVE_BODY_MAX_LENGTH)
  body!: string;
}
