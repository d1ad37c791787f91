import type { Lang } from './api';
import { isLang } from './i18n';

/** What the URL holds, so that a view can be shared: `/?op=KAZ-RO&year=2018&lang=fr`, and `&asOf=` for a page as it stood. */
export interface UrlState {
  op?: string;
  year?: number;
  lang: Lang;
  /** An RFC 3339 instant: the page as Focus showed it then (a quoted page reopened as it was). */
  asOf?: string;
}

const OPERATION_CODE = /^[A-Z][A-Z0-9-]{1,15}$/;
/** The shape only; the API says whether the instant is a real one (400 otherwise). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Reads a query string (`?op=…`, with or without `?`), ignoring what is malformed. */
export function parseUrlState(search: string, fallbackLang: Lang = 'en'): UrlState {
  const query = new URLSearchParams(search.startsWith('#') ? search.slice(1) : search);
  const op = query.get('op')?.trim().toUpperCase();
  const yearText = query.get('year');
  const year = yearText !== null && /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
  const lang = query.get('lang');
  const asOf = query.get('asOf');
  return {
    ...(op && OPERATION_CODE.test(op) ? { op } : {}),
    ...(year !== undefined ? { year } : {}),
    lang: isLang(lang) ? lang : fallbackLang,
    ...(asOf && INSTANT.test(asOf) ? { asOf } : {}),
  };
}

/** The query string for a state, in a stable order: op, year, lang, asOf. */
export function serializeUrlState(state: UrlState): string {
  const query = new URLSearchParams();
  if (state.op) query.set('op', state.op);
  if (state.year !== undefined) query.set('year', String(state.year));
  query.set('lang', state.lang);
  if (state.asOf) query.set('asOf', state.asOf);
  return `?${query.toString()}`;
}

/** The language to start in when the URL names none: the browser's, if it is French. */
export function preferredLang(languages: readonly string[]): Lang {
  const first = languages.find((l) => /^(en|fr)\b/i.test(l));
  return first && /^fr/i.test(first) ? 'fr' : 'en';
}
