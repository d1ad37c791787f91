/**
 * What the page shows of its figures' past: which breakdown figures were revised, their
 * earlier values with sources and dates on demand (a disclosure), and, on a page opened as of
 * an instant, a notice saying so with the way back to the current page.
 */
import type { Lang } from './api';
import { h } from './dom';
import type { RevisedFigure, Revision } from './history';
import { t } from './i18n';
import { serializeUrlState, UrlState } from './url-state';
import { formatContributionDate, formatNumber } from './view-model';

/** The people-of-concern card's placeholder for revised figures (render.ts). */
export const REVISIONS_ID = 'poc-revisions';

/** A recorded instant, in words: the day, and the time in UTC. */
export function formatInstant(iso: string, lang: Lang): string {
  return `${formatContributionDate(iso, lang)} ${iso.slice(11, 16)} UTC`;
}

export function fillRevisions(container: HTMLElement, revised: RevisedFigure[], state: UrlState, lang: Lang): void {
  container.replaceChildren();
  if (!revised.length) return;
  container.append(
    h('h3', {}, t(lang, 'revisedFigures')),
    h(
      'ul',
      { className: 'revised-figures' },
      ...revised.map((figure) =>
        h(
          'li',
          { 'data-type': figure.type },
          h('strong', {}, figure.label),
          ' ',
          h('span', { className: 'revised-mark' }, t(lang, 'revised')),
          h(
            'details',
            { className: 'earlier-values' },
            h('summary', {}, t(lang, 'earlierValues', { label: figure.label })),
            h('ol', {}, ...figure.earlier.map((r) => earlierValue(r, state, lang))),
          ),
        ),
      ),
    ),
  );
}

function earlierValue(revision: Revision, state: UrlState, lang: Lang): HTMLElement {
  const value = revision.deleted || revision.state?.value === undefined ? t(lang, 'removed') : formatNumber(revision.state.value, lang);
  const source = revision.source
    ? ` · ${revision.source.name} (${t(lang, 'figuresAsOf', { date: formatContributionDate(revision.source.asOf, lang) })})`
    : '';
  return h(
    'li',
    { 'data-version': revision.version },
    h('strong', {}, value),
    source,
    ` · ${t(lang, 'recordedOn', { date: formatInstant(revision.recordedAt, lang) })} · `,
    h('a', { href: serializeUrlState({ ...state, asOf: revision.recordedAt }) }, t(lang, 'pageThen')),
  );
}

/** Above a page opened as of an instant: which instant, and the current page one click away. */
export function renderAsOfNotice(state: UrlState, lang: Lang): HTMLElement {
  const { asOf: _asOf, ...current } = state;
  return h(
    'p',
    { className: 'as-of-notice', role: 'note', id: 'as-of-notice' },
    t(lang, 'asOfNotice', { date: formatInstant(new Date(state.asOf ?? '').toISOString(), lang) }),
    ' ',
    h('a', { href: serializeUrlState(current) }, t(lang, 'currentPage')),
  );
}
