import { basename } from 'node:path';

/**
 * The release an import records as each figure's source when --source is not given: named
 * after the file, so that importing a later release over an earlier one leaves both told
 * apart in every figure's history (a fixed name would make the two look like one source).
 * UNHCR's own files (unhcr-population-1951-2025.csv.gz) get UNHCR's words for them.
 */
export function releaseName(file: string): string {
  const name = basename(file);
  const unhcr = /^unhcr-population-(\d{4})-(\d{4})\b/i.exec(name);
  if (unhcr) return `UNHCR population statistics ${unhcr[1]}-${unhcr[2]} (${name})`;
  return name.slice(0, 200);
}
