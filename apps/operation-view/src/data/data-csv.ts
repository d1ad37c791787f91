import { DATA_COLUMNS, Dataset, FigureSource } from '@focus/contracts';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? (value as FigureSource[]).map((s) => `${s.name} (${s.asOf})`).join('; ') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The columns a list's CSV has: the dimensions grouped by, then the values. */
export function csvColumns(dataset: Dataset, groupBy: readonly string[]) {
  const dimensions = dataset === 'key-figures' ? [] : groupBy;
  return DATA_COLUMNS[dataset].filter(
    (column) =>
      !['operation', 'origin', 'year', 'type', 'pillar'].includes(column.field) ||
      dimensions.includes(column.field) ||
      dataset === 'key-figures',
  );
}

/** The header line, and with `hxl` the HXL hashtag line under it. */
export function csvHead(dataset: Dataset, groupBy: readonly string[], hxl: boolean): string {
  const columns = csvColumns(dataset, groupBy);
  const header = columns.map((column) => column.header).join(',') + '\r\n';
  return hxl ? header + columns.map((column) => column.hxl).join(',') + '\r\n' : header;
}

export function csvLine(dataset: Dataset, groupBy: readonly string[], row: Record<string, unknown>): string {
  return (
    csvColumns(dataset, groupBy)
      .map((column) => field(row[column.field]))
      .join(',') + '\r\n'
  );
}
