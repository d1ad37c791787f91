import { releaseName } from './release-name';

describe('releaseName', () => {
  it("names UNHCR's release by its years, and keeps the file's name", () => {
    const name = releaseName('tools/import/data/unhcr-population-1951-2025.csv.gz');
    expect(name).toBe('UNHCR population statistics 1951-2025 (unhcr-population-1951-2025.csv.gz)');
  });

  it('names any other file by its name, within the 200 characters a source may have', () => {
    expect(releaseName('/tmp/kaz-extract.csv')).toBe('kaz-extract.csv');
    expect(releaseName(`/tmp/${'x'.repeat(300)}.csv`)).toHaveLength(200);
  });
});
