import type { Lang } from './api';

export const LANGS: readonly Lang[] = ['en', 'fr'];

const en = {
  siteName: 'Focus',
  skipToContent: 'Skip to main content',
  operation: 'Operation',
  show: 'Show',
  language: 'Language',
  languageName: 'English',
  loading: 'Loading…',
  loadFailed: 'The operation could not be loaded: {detail}',
  listFailed: 'The list of operations could not be loaded.',
  noOperation: 'No operation to show.',
  year: 'Year',
  region: 'Region',
  keyFigures: 'Key figures',
  results: '{year} year-end results',
  planning: '{year} planning figures',
  noFigures: 'No figures for {year}.',
  peopleOfConcern: 'People of concern',
  trend_increase: 'Increase in',
  trend_decrease: 'Decrease in',
  trend_stable: 'Stable in',
  totalsByYear: 'People of concern by year',
  breakdown: 'People of concern in {year}, by population type',
  populationType: 'Population type',
  people: 'People',
  noBreakdown: 'No breakdown by population type for {year}.',
  budgetAndExpenditure: 'Budget and expenditure',
  usdMillions: 'USD millions',
  budget: 'Budget',
  expenditure: 'Expenditure',
  byPillar: 'By pillar',
  total: 'Total',
  pillar1: 'Refugee programme',
  pillar2: 'Stateless programme',
  pillar3: 'Reintegration projects',
  pillar4: 'IDP projects',
  budgetChart: 'Budget and expenditure per year, in USD millions',
  pillarChart: 'Budget and expenditure per year and pillar, in USD millions',
  dataTable: 'Data table',
  noData: 'no data',
  noBudget: 'No budget figures.',
  narratives: 'Operational context {year}',
  noNarratives: 'No narrative for {year}.',
  inEnglish: '(in English)',
  latestContributions: 'Latest contributions',
  noContributions: 'No contributions recorded.',
  newContribution: 'New contribution: {donor}, {date}',
  liveUpdates: 'Updated live',
  offices: 'Offices',
  mapHint: 'Select an office on the map for its details.',
  mapLabel: 'Map of the offices of {name}',
  office_regional_office: 'Regional office',
  office_country_office: 'Country office',
  office_sub_office: 'Sub-office',
  office_field_office: 'Field office',
  office_other: 'Office',
  noOffices: 'No offices listed.',
  chartSummary: '{title}: {values}.',
  footer: 'Data from the Focus public API (/api/v1). Population figures: UNHCR.',
};

export type StringKey = keyof typeof en;

const fr: Partial<Record<StringKey, string>> = {
  skipToContent: 'Aller au contenu principal',
  operation: 'Opération',
  show: 'Afficher',
  language: 'Langue',
  languageName: 'Français',
  loading: 'Chargement…',
  loadFailed: "L'opération n'a pas pu être chargée : {detail}",
  listFailed: "La liste des opérations n'a pas pu être chargée.",
  noOperation: 'Aucune opération à afficher.',
  year: 'Année',
  region: 'Région',
  keyFigures: 'Chiffres clés',
  results: 'Résultats fin {year}',
  planning: 'Chiffres de planification {year}',
  noFigures: 'Aucun chiffre pour {year}.',
  peopleOfConcern: 'Personnes relevant de la compétence du HCR',
  trend_increase: 'Hausse en',
  trend_decrease: 'Baisse en',
  trend_stable: 'Stable en',
  totalsByYear: 'Personnes relevant de la compétence du HCR par année',
  breakdown: 'Personnes relevant de la compétence du HCR en {year}, par catégorie',
  populationType: 'Catégorie de population',
  people: 'Personnes',
  noBreakdown: 'Aucune répartition par catégorie pour {year}.',
  budgetAndExpenditure: 'Budget et dépenses',
  usdMillions: 'millions USD',
  budget: 'Budget',
  expenditure: 'Dépenses',
  byPillar: 'Par pilier',
  total: 'Total',
  pillar1: 'Programme pour les réfugiés',
  pillar2: 'Programme pour les apatrides',
  pillar3: 'Projets de réintégration',
  pillar4: 'Projets pour les déplacés internes',
  budgetChart: 'Budget et dépenses par année, en millions USD',
  pillarChart: 'Budget et dépenses par année et par pilier, en millions USD',
  dataTable: 'Tableau des données',
  noData: 'pas de données',
  noBudget: 'Aucun chiffre budgétaire.',
  narratives: 'Contexte opérationnel {year}',
  noNarratives: 'Aucun texte pour {year}.',
  inEnglish: '(en anglais)',
  latestContributions: 'Dernières contributions',
  noContributions: 'Aucune contribution enregistrée.',
  newContribution: 'Nouvelle contribution : {donor}, {date}',
  liveUpdates: 'Mis à jour en direct',
  offices: 'Bureaux',
  mapHint: 'Sélectionnez un bureau sur la carte pour en voir les détails.',
  mapLabel: 'Carte des bureaux : {name}',
  office_regional_office: 'Bureau régional',
  office_country_office: 'Bureau de pays',
  office_sub_office: 'Sous-bureau',
  office_field_office: 'Bureau de terrain',
  office_other: 'Bureau',
  noOffices: 'Aucun bureau indiqué.',
  chartSummary: '{title} : {values}.',
  footer: "Données de l'API publique Focus (/api/v1). Chiffres de population : HCR.",
};

const STRINGS: Record<Lang, Partial<Record<StringKey, string>>> = { en, fr };

/** A UI string in the language, falling back to English, then to the key itself. */
export function t(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
  const template = STRINGS[lang]?.[key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The keys a language has no string for (English fills them): kept visible for translators. */
export function missingKeys(lang: Lang): StringKey[] {
  return (Object.keys(en) as StringKey[]).filter((key) => STRINGS[lang][key] === undefined);
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}
