import { API_BASE, Lang } from './api';
import { h } from './dom';
import { t } from './i18n';

/**
 * "Download CSV" under a table: the data API's export of the operation's rows, every year
 * (more than the page shows), with HXL tags so that humanitarian tools read it as it is. A
 * plain link: the browser streams the file, nothing is built in the page.
 */
export function csvDownload(lang: Lang, dataset: 'population' | 'budget', code: string): HTMLElement {
  const href = `${API_BASE}/${dataset}?${new URLSearchParams({ operation: code, format: 'csv', hxl: 'true' })}`;
  const label = t(lang, dataset === 'population' ? 'downloadPopulationCsv' : 'downloadBudgetCsv');
  return h(
    'p',
    { className: 'download' },
    h(
      'a',
      { href, download: `${code}-${dataset}.csv`, title: label, 'aria-label': `${t(lang, 'downloadCsv')}: ${label}` },
      t(lang, 'downloadCsv'),
    ),
  );
}
