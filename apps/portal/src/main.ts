/**
 * The portal: one operation page, rendered from the gateway's public API alone. The URL holds
 * operation, year and language (`/?op=KAZ-RO&year=2018&lang=fr`), so any view can be shared;
 * latest contributions follow the SSE stream without a reload (live-view.ts).
 */
import { ApiError, CONTRIBUTIONS_STREAM, fetchOperation, fetchOperations, Lang, OperationSummary, OperationView } from './api';
import type { Chart } from './charts';
import { t } from './i18n';
import { revisedFigures } from './history';
import { Actions, fillContributions, renderHeader, renderMessage, renderView } from './render';
import { fillRevisions, renderAsOfNotice, REVISIONS_ID } from './render-history';
import { parseUrlState, preferredLang, serializeUrlState, UrlState } from './url-state';
import { readNewerView } from './live-view';
import {
  addedContributions,
  CONTRIBUTION_EVENTS,
  formatContributionDate,
  LiveContribution,
  markNew,
  operationName,
  parseContributionEvent,
} from './view-model';

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html has no #${id}`);
  return found;
}

const header = element('site-header');
const main = element('main');
const footer = element('site-footer');
const liveStatus = element('live-status');

let state: UrlState = parseUrlState(location.search || location.hash, preferredLang(navigator.languages ?? [navigator.language]));
let operations: OperationSummary[] = [];
let view: OperationView | null = null;
let contributions: LiveContribution[] = [];
/** The version of the view the contributions shown come from. */
let contributionsVersion = 0;
/** Whether the view is being read again after a contribution event, and whether another came meanwhile. */
let following = false;
let followAgain = false;
let contributionsList: HTMLElement | null = null;
let charts: Chart[] = [];
let loading: AbortController | null = null;
const seenEvents = new Set<string>();

const actions: Actions = {
  chooseOperation: (code) => navigate({ op: code, year: undefined }, 'operation-picker'),
  chooseYear: (year) => navigate({ ...state, year }, `year-tab-${year}`),
  chooseLang: (lang) => navigate({ ...state, lang }, `lang-${lang}`),
};

function navigate(next: Partial<UrlState>, focusId?: string): void {
  state = { ...state, ...next } as UrlState;
  if (next.year === undefined && 'year' in next) delete state.year;
  history.pushState(null, '', serializeUrlState(state));
  void load(focusId);
}

function renderChrome(): void {
  const lang = state.lang;
  document.documentElement.lang = lang;
  header.replaceChildren(...renderHeader(state, operations, actions));
  footer.replaceChildren(t(lang, 'footer'));
  const skip = document.querySelector<HTMLAnchorElement>('.skip-link');
  if (skip) skip.textContent = t(lang, 'skipToContent');
}

function disposeCharts(): void {
  for (const chart of charts) chart.dispose();
  charts = [];
}

async function load(focusId?: string): Promise<void> {
  loading?.abort();
  const controller = new AbortController();
  loading = controller;
  renderChrome();
  if (!state.op) {
    main.replaceChildren(renderMessage(t(state.lang, 'noOperation')));
    return;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const loaded = await fetchOperation(state.op, state.year, state.lang, controller.signal, state.asOf);
    if (controller.signal.aborted) return;
    view = loaded;
    if (state.year !== loaded.year) {
      state = { ...state, year: loaded.year };
      history.replaceState(null, '', serializeUrlState(state));
      renderChrome();
    }
    contributions = loaded.latestContributions;
    contributionsVersion = loaded.meta.version;
    draw(loaded, state.lang);
    if (focusId) document.getElementById(focusId)?.focus();
    void markRevised(loaded, controller);
  } catch (error) {
    if (controller.signal.aborted) return;
    disposeCharts();
    const detail = error instanceof ApiError ? `${error.status} ${error.message}` : error instanceof Error ? error.message : String(error);
    main.replaceChildren(renderMessage(t(state.lang, 'loadFailed', { detail }), 'alert'));
  } finally {
    if (loading === controller) main.removeAttribute('aria-busy');
  }
}

function draw(loaded: OperationView, lang: Lang): void {
  disposeCharts();
  const rendered = renderView(loaded, lang, contributions, actions, !state.asOf);
  main.replaceChildren(...(state.asOf ? [renderAsOfNotice(state, lang)] : []), ...rendered.nodes);
  contributionsList = rendered.contributionsList;
  charts = rendered.mounts.map((mount) => mount());
  // With decades of data the year strip scrolls: keep the year shown in sight.
  document.querySelector('[role=tab][aria-selected=true]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  document.title = `${operationName(loaded, lang)} ${loaded.year} – ${t(lang, 'siteName')}`;
}

/** Marks the breakdown's revised figures once their histories are read; the page is already drawn. */
async function markRevised(loaded: OperationView, controller: AbortController): Promise<void> {
  const shown = { ...state };
  const revised = await revisedFigures(loaded, shown.lang, shown.asOf, controller.signal);
  const container = document.getElementById(REVISIONS_ID);
  if (controller.signal.aborted || view !== loaded || !container) return;
  fillRevisions(container, revised, shown, shown.lang);
}

/** Reads the view again after a contribution event for the operation shown, and shows its list. */
async function followContributions(): Promise<void> {
  if (following) {
    followAgain = true;
    return;
  }
  following = true;
  try {
    do {
      followAgain = false;
      const signal = loading?.signal;
      const { op, year, lang } = state;
      if (!signal || !op) return;
      const newer = await readNewerView(() => fetchOperation(op, year, lang, signal), contributionsVersion, signal);
      // Navigated away meanwhile: nothing to show, but an event for the new page may be waiting.
      if (newer && !signal.aborted) showContributions(newer);
    } while (followAgain);
  } finally {
    following = false;
  }
}

function showContributions(newer: OperationView): void {
  const added = addedContributions(contributions, newer.latestContributions);
  contributions = markNew(contributions, newer.latestContributions);
  contributionsVersion = newer.meta.version;
  if (contributionsList) fillContributions(contributionsList, contributions, state.lang);
  const first = added[0];
  if (first)
    liveStatus.textContent = t(state.lang, 'newContribution', { donor: first.donor, date: formatContributionDate(first.date, state.lang) });
}

function connectStream(): void {
  if (typeof EventSource === 'undefined') return;
  const source = new EventSource(CONTRIBUTIONS_STREAM);
  // The stream's state is on <html data-stream>, for tests and styles; EventSource reconnects by itself.
  source.addEventListener('open', () => (document.documentElement.dataset['stream'] = 'open'));
  source.addEventListener(
    'error',
    () => (document.documentElement.dataset['stream'] = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
  );
  const onEvent = (message: MessageEvent<string>) => {
    const envelope = parseContributionEvent(message.data);
    // A page as it stood at an instant does not change.
    if (!envelope || !view || !state.op || state.asOf) return;
    if (envelope.id && seenEvents.has(envelope.id)) return;
    if (envelope.id) seenEvents.add(envelope.id);
    if (envelope.subject?.operationCode === state.op) void followContributions();
  };
  // The stream may send unnamed messages or name each by its event type: both are handled.
  source.addEventListener('message', onEvent);
  for (const type of Object.values(CONTRIBUTION_EVENTS)) source.addEventListener(type, onEvent as EventListener);
}

async function start(): Promise<void> {
  renderChrome();
  try {
    operations = await fetchOperations();
  } catch {
    header.append(renderMessage(t(state.lang, 'listFailed'), 'alert'));
  }
  if (!state.op && operations[0]) {
    state = { ...state, op: operations[0].code };
    history.replaceState(null, '', serializeUrlState(state));
  }
  await load();
  connectStream();
}

window.addEventListener('popstate', () => {
  state = parseUrlState(location.search || location.hash, state.lang);
  void load();
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => charts.forEach((chart) => chart.resize()), 100);
});

void start();
