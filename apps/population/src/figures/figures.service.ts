import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { entityIds, EVENTS, FigureSource, PopulationFigureState, PopulationTotalState, PopulationType } from '@focus/contracts';
import { OutboxRelay } from '@focus/messaging';
import { Change, Entity, VersionedRepository, WriteOptions, WriteResult } from '@focus/service-kit';
import { FIGURES, FigureDocument, TOTALS, TotalDocument } from './figure.models';

/** What a figure is credited to when an editor gives no source. */
export function editorSource(today = new Date()): FigureSource {
  return { name: 'Focus editor', asOf: today.toISOString().slice(0, 10) };
}

export type FigureKey = PopulationType | 'total';

/** A figure as its path names it: a type (or the total), and for a figure by origin, the origin (a total has none). */
export interface FigureRef {
  key: FigureKey;
  origin?: string;
}

/**
 * The population domain: figures by type, and year totals reported without a breakdown.
 * A reported total is kept as reported; it is never split into an invented breakdown.
 */
@Injectable()
export class FiguresService {
  readonly figures: VersionedRepository<PopulationFigureState>;
  readonly totals: VersionedRepository<PopulationTotalState>;

  constructor(
    @InjectModel(FIGURES) figureModel: Model<FigureDocument>,
    @InjectModel(TOTALS) totalModel: Model<TotalDocument>,
    relay: OutboxRelay,
  ) {
    const figureEvent = (_: unknown, next: unknown) => (next ? EVENTS.populationFigureUpserted : EVENTS.populationFigureDeleted);
    const totalEvent = (_: unknown, next: unknown) => (next ? EVENTS.populationTotalUpserted : EVENTS.populationTotalDeleted);
    this.figures = new VersionedRepository<PopulationFigureState>(figureModel, figureEvent, relay);
    this.totals = new VersionedRepository<PopulationTotalState>(totalModel, totalEvent, relay);
  }

  async listForOperation(code: string): Promise<{ figures: Entity<PopulationFigureState>[]; totals: Entity<PopulationTotalState>[] }> {
    const [figures, totals] = await Promise.all([this.figures.list({ operationCode: code }), this.totals.list({ operationCode: code })]);
    return { figures, totals };
  }

  put(
    code: string,
    year: number,
    { key, origin }: FigureRef,
    value: number,
    source: FigureSource,
    options: WriteOptions,
  ): Promise<WriteResult<PopulationFigureState | PopulationTotalState>> {
    if (key === 'total') {
      return this.totals.put(
        { id: entityIds.populationTotal(code, year), subjectCode: code, state: { operationCode: code, year, total: value, source } },
        options,
      );
    }
    return this.figures.put(figureChange(code, year, key, value, source, origin), options);
  }

  remove(
    code: string,
    year: number,
    { key, origin }: FigureRef,
    options: WriteOptions,
  ): Promise<WriteResult<PopulationFigureState | PopulationTotalState>> {
    return key === 'total'
      ? this.totals.remove(entityIds.populationTotal(code, year), code, options)
      : this.figures.remove(entityIds.populationFigure(code, year, key, origin), code, options);
  }
}

export function figureChange(
  code: string,
  year: number,
  type: PopulationType,
  value: number,
  source: FigureSource,
  origin?: string,
): Change<PopulationFigureState> {
  const state: PopulationFigureState = { operationCode: code, year, type, ...(origin === undefined ? {} : { origin }), value, source };
  return { id: entityIds.populationFigure(code, year, type, origin), subjectCode: code, state };
}
