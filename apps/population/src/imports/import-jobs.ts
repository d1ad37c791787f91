import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { InjectConfig } from '@focus/service-kit';
import { PopulationConfig } from '../config';
import type { ImportSummary } from './population-import.service';

/** Where the imports answered 202 are followed; any replica of the service reads it. */
export const IMPORTS_COLLECTION = 'population_imports';

/** Heartbeats missed before a running import's silence means its process is gone. */
const BEATS_MISSED = 4;

export type ImportState = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** What `GET /imports/population/{id}` answers. */
export interface ImportStatus {
  id: string;
  /** `interrupted`: its process stopped before it finished (a restart, a crash); importing the file again finishes it. */
  state: ImportState;
  source: string;
  startedAt: string;
  finishedAt?: string;
  rowsRead: number;
  /** Every operation the file has figures for, known once the file was read. */
  operations: Array<{ code: string; name: string }>;
  progress: { figures: number; figuresDone: number };
  /** Once it succeeded: what a synchronous import answers. */
  summary?: ImportSummary;
  /** Once it failed: why. */
  problem?: { title: string; detail: string };
}

interface ImportJobDocument extends Omit<ImportStatus, 'id' | 'state'> {
  _id: string;
  state: Exclude<ImportState, 'interrupted'>;
  aliveAt: Date;
}

/** An import's progress, reported as it writes. */
export type ImportProgress = (figuresDone: number) => void;

/**
 * Imports that go on after their request was answered (`Prefer: respond-async`): each is a
 * document the process running it keeps up to date, with a heartbeat, so that any replica can
 * tell how it stands, and that one whose process died is seen as interrupted instead of
 * running for ever. Only the process running an import writes its document.
 */
@Injectable()
export class ImportJobs implements OnModuleDestroy {
  private readonly logger = new Logger('ImportJobs');
  private readonly collection: Collection<ImportJobDocument>;
  private readonly running = new Set<Promise<void>>();

  private readonly heartbeatMs: number;

  constructor(@InjectConnection() connection: Connection, @InjectConfig() config: PopulationConfig) {
    if (!connection.db) throw new Error('MongoDB connection has no database yet');
    this.collection = connection.db.collection<ImportJobDocument>(IMPORTS_COLLECTION);
    this.heartbeatMs = config.IMPORT_HEARTBEAT_MS;
  }

  /**
   * Records the import as running and starts `work` without waiting for it; answers its status.
   * `work` reports progress as it goes and returns the summary.
   */
  async start(
    known: Pick<ImportStatus, 'source' | 'rowsRead' | 'operations'> & { figures: number },
    work: (progress: ImportProgress) => Promise<ImportSummary>,
  ): Promise<ImportStatus> {
    const now = new Date();
    const job: ImportJobDocument = {
      _id: randomUUID(),
      state: 'running',
      source: known.source,
      startedAt: now.toISOString(),
      rowsRead: known.rowsRead,
      operations: known.operations,
      progress: { figures: known.figures, figuresDone: 0 },
      aliveAt: now,
    };
    await this.collection.insertOne(job);
    const id = job._id;
    let figuresDone = 0;
    const beat = () => this.update(id, { 'progress.figuresDone': figuresDone, aliveAt: new Date() });
    // Not what keeps the process alive: a stopping service does not wait for a heartbeat.
    const heartbeat = setInterval(() => void beat(), this.heartbeatMs).unref();
    const run = work((done) => (figuresDone = done))
      .then(
        (summary) => this.finish(id, { state: 'succeeded', summary, 'progress.figuresDone': figuresDone }),
        (error: unknown) => {
          this.logger.error(`import ${id} failed: ${String(error)}`);
          const { title = 'Import failed', detail = String(error) } =
            (error as { problem?: { title?: string; detail?: string } }).problem ?? {};
          return this.finish(id, { state: 'failed', problem: { title, detail }, 'progress.figuresDone': figuresDone });
        },
      )
      .finally(() => {
        clearInterval(heartbeat);
        this.running.delete(run);
      });
    this.running.add(run);
    return this.statusOf(job, now);
  }

  async find(id: string): Promise<ImportStatus | undefined> {
    const job = await this.collection.findOne({ _id: id });
    return job ? this.statusOf(job, new Date()) : undefined;
  }

  /** Imports still running when the app stops are left to be seen as interrupted: they can't be finished here. */
  onModuleDestroy(): void {
    if (this.running.size > 0) this.logger.warn(`stopping with ${this.running.size} import(s) unfinished; they will show as interrupted`);
  }

  private statusOf(job: ImportJobDocument, now: Date): ImportStatus {
    const { _id, aliveAt, state, ...rest } = job;
    const silent = state === 'running' && now.getTime() - new Date(aliveAt).getTime() > BEATS_MISSED * this.heartbeatMs;
    return { id: _id, state: silent ? 'interrupted' : state, ...rest };
  }

  private finish(id: string, fields: Record<string, unknown>): Promise<void> {
    return this.update(id, { ...fields, finishedAt: new Date().toISOString(), aliveAt: new Date() });
  }

  private async update(id: string, fields: Record<string, unknown>): Promise<void> {
    try {
      await this.collection.updateOne({ _id: id }, { $set: fields });
    } catch (error) {
      // The import goes on; a missed heartbeat is made up by the next one.
      this.logger.warn(`import ${id}: status not recorded: ${String(error)}`);
    }
  }
}
