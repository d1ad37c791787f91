import { PopulationFigureState, PopulationTotalState } from '@focus/contracts';
import { versionedSchema, VersionedDocument } from '@focus/service-kit';

/** One collection per entity: figures by type, and totals reported without a breakdown. */
export const FIGURES = 'population_figures';
export const TOTALS = 'population_totals';

export const figureSchema = versionedSchema(FIGURES);
export const totalSchema = versionedSchema(TOTALS);

export type FigureDocument = VersionedDocument<PopulationFigureState>;
export type TotalDocument = VersionedDocument<PopulationTotalState>;
