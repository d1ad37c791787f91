export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/** Text shown in both languages of the site. */
export interface Bilingual {
  en: string;
  fr: string;
}
