import { KeyFigureKind } from './key-figures';
import { Lang } from './languages';
import { NarrativeSectionKey } from './narrative-sections';
import { Pillar } from './pillars';
import { PopulationType } from './population-types';

/**
 * `subject.entityId` of each entity: its natural key joined with `:`. Consumers keep the
 * highest `subject.version` per entity id, and decoding checks an event's entity id against
 * its data, so producers must build it with these functions.
 */
export const entityIds = {
  // A figure without an origin keeps the id it had before origins existed.
  populationFigure: (code: string, year: number, type: PopulationType, origin?: string): string =>
    origin === undefined ? `${code}:${year}:${type}` : `${code}:${year}:${type}:${origin}`,
  populationTotal: (code: string, year: number): string => `${code}:${year}:total`,
  budgetLine: (code: string, year: number, pillar: Pillar): string => `${code}:${year}:p${pillar}`,
  operationProfile: (code: string): string => code,
  keyFigureSet: (code: string, year: number, kind: KeyFigureKind): string => `${code}:${year}:${kind}`,
  narrativeSection: (code: string, year: number, lang: Lang, section: NarrativeSectionKey): string => `${code}:${year}:${lang}:${section}`,
  contribution: (id: string): string => id,
  operationView: (code: string): string => code,
} as const;
