import { Bilingual } from './languages';

/** UNHCR's population type codes, in the order the portal displays them. */
export const POPULATION_TYPES = [
  { code: 'REF', label: { en: 'Refugees', fr: 'Réfugiés' } },
  { code: 'ASY', label: { en: 'Asylum-seekers', fr: "Demandeurs d'asile" } },
  { code: 'RET', label: { en: 'Returned refugees', fr: 'Réfugiés rapatriés' } },
  { code: 'IDP', label: { en: 'IDPs', fr: 'Déplacés internes' } },
  { code: 'RDP', label: { en: 'Returned IDPs', fr: 'Déplacés internes rapatriés' } },
  { code: 'STA', label: { en: 'Stateless', fr: 'Apatrides' } },
  { code: 'OOC', label: { en: 'Others of concern', fr: 'Autres personnes relevant de la compétence du HCR' } },
  {
    code: 'OIP',
    label: {
      en: 'Other people in need of international protection',
      fr: "Autres personnes ayant besoin d'une protection internationale",
    },
  },
  { code: 'HST', label: { en: 'Host community', fr: "Communauté d'accueil" } },
] as const satisfies readonly { code: string; label: Bilingual }[];

export type PopulationType = (typeof POPULATION_TYPES)[number]['code'];

export const POPULATION_TYPE_CODES: readonly PopulationType[] = POPULATION_TYPES.map((type) => type.code);
