import { PILLARS } from '@focus/contracts';
import { isLang, missingKeys, t } from './i18n';

describe('UI strings in English and French', () => {
  it('French has every string but the site name, which is the same in both', () => {
    expect(missingKeys('fr')).toEqual(['siteName']);
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(t('en', 'results', { year: 2018 })).toBe('2018 year-end results');
    expect(t('fr', 'planning', { year: 2019 })).toBe('Chiffres de planification 2019');
    expect(t('en', 'results')).toBe('{year} year-end results');
  });

  it('falls back to English, then to the key, for a string a language lacks', () => {
    // siteName is deliberately not translated: "Focus" in both.
    expect(t('fr', 'siteName')).toBe('Focus');
    expect(t('xx' as never, 'keyFigures')).toBe('Key figures');
    expect(t('en', 'nope' as never)).toBe('nope');
  });

  it('pillar names are those libs/contracts declares', () => {
    for (const { pillar, label } of PILLARS) {
      expect(t('en', `pillar${pillar}` as 'pillar1')).toBe(label.en);
      expect(t('fr', `pillar${pillar}` as 'pillar1')).toBe(label.fr);
    }
  });

  it('knows its languages', () => {
    expect(isLang('fr')).toBe(true);
    expect(isLang('de')).toBe(false);
  });
});
