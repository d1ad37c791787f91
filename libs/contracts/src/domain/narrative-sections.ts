import { Bilingual } from './languages';

/** The sections of a year's narrative, in the fixed order the page shows them. */
export const NARRATIVE_SECTIONS = [
  { key: 'operational-environment', title: { en: 'Operational environment', fr: 'Environnement opérationnel' } },
  { key: 'population-trends', title: { en: 'Population trends', fr: 'Évolution de la population' } },
  { key: 'key-achievements', title: { en: 'Key achievements', fr: 'Principales réalisations' } },
  { key: 'unmet-needs', title: { en: 'Unmet needs', fr: 'Besoins non satisfaits' } },
  { key: 'working-environment', title: { en: 'Working environment', fr: 'Environnement de travail' } },
  { key: 'key-priorities', title: { en: 'Key priorities', fr: 'Principales priorités' } },
] as const satisfies readonly { key: string; title: Bilingual }[];

export type NarrativeSectionKey = (typeof NARRATIVE_SECTIONS)[number]['key'];

export const NARRATIVE_SECTION_KEYS: readonly NarrativeSectionKey[] = NARRATIVE_SECTIONS.map((section) => section.key);
