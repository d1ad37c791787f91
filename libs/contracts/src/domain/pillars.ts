import { Bilingual } from './languages';

/** UNHCR's budget pillars, in display order; the read model names them p1..p4. */
export const PILLARS = [
  { pillar: 1, label: { en: 'Refugee programme', fr: 'Programme pour les réfugiés' } },
  { pillar: 2, label: { en: 'Stateless programme', fr: 'Programme pour les apatrides' } },
  { pillar: 3, label: { en: 'Reintegration projects', fr: 'Projets de réintégration' } },
  { pillar: 4, label: { en: 'IDP projects', fr: 'Projets pour les déplacés internes' } },
] as const satisfies readonly { pillar: number; label: Bilingual }[];

export type Pillar = (typeof PILLARS)[number]['pillar'];

export const PILLAR_NUMBERS: readonly Pillar[] = PILLARS.map((entry) => entry.pillar);
