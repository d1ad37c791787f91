import { KeyFigureSetState, NarrativeSectionState, OperationProfileState } from '@focus/contracts';
import { versionedSchema, VersionedDocument } from '@focus/service-kit';

/** One collection per entity, each a VersionedRepository with its own outbox. */
export const PROFILES = 'operation_profiles';
export const KEY_FIGURE_SETS = 'key_figure_sets';
export const SECTIONS = 'narrative_sections';

export const profileSchema = versionedSchema(PROFILES);
export const keyFigureSetSchema = versionedSchema(KEY_FIGURE_SETS);
export const sectionSchema = versionedSchema(SECTIONS);

export type ProfileDocument = VersionedDocument<OperationProfileState>;
export type KeyFigureSetDocument = VersionedDocument<KeyFigureSetState>;
export type SectionDocument = VersionedDocument<NarrativeSectionState>;
