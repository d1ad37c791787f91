import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BudgetLineState, entityIds, EVENTS, Pillar, usdToCents } from '@focus/contracts';
import { OutboxRelay } from '@focus/messaging';
import { Entity, versionedSchema, VersionedDocument, VersionedRepository, WriteOptions, WriteResult } from '@focus/service-kit';

export const BUDGET_LINES = 'budget_lines';
export const budgetLineSchema = versionedSchema(BUDGET_LINES);

/** Budget and expenditure per operation, year and pillar, in integer cents. */
@Injectable()
export class BudgetLinesService {
  private readonly lines: VersionedRepository<BudgetLineState>;

  constructor(@InjectModel(BUDGET_LINES) model: Model<VersionedDocument<BudgetLineState>>, relay: OutboxRelay) {
    this.lines = new VersionedRepository<BudgetLineState>(
      model,
      (_, next) => (next ? EVENTS.budgetLineUpserted : EVENTS.budgetLineDeleted),
      relay,
    );
  }

  list(code: string): Promise<Entity<BudgetLineState>[]> {
    return this.lines.list({ operationCode: code });
  }

  put(
    code: string,
    year: number,
    pillar: Pillar,
    budgetUsd: number,
    expenditureUsd: number | null,
    options: WriteOptions,
  ): Promise<WriteResult<BudgetLineState>> {
    const state: BudgetLineState = {
      operationCode: code,
      year,
      pillar,
      budgetCents: usdToCents(budgetUsd),
      expenditureCents: expenditureUsd === null ? null : usdToCents(expenditureUsd),
    };
    return this.lines.put({ id: entityIds.budgetLine(code, year, pillar), subjectCode: code, state }, options);
  }

  remove(code: string, year: number, pillar: Pillar, options: WriteOptions): Promise<WriteResult<BudgetLineState>> {
    return this.lines.remove(entityIds.budgetLine(code, year, pillar), code, options);
  }
}
