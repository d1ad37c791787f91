import { Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ImportQuery } from '@focus/contracts';
import { InjectConfig, notFound, ProblemException, PROBLEM_TYPES, RequestId } from '@focus/service-kit';
import { PopulationConfig } from '../config';
import { ImportJobs, ImportStatus } from './import-jobs';
import { ImportOptions, PopulationImportService } from './population-import.service';

export const DEFAULT_IMPORT_SOURCE = 'UNHCR Refugee Population Statistics Database';

/** `Prefer: respond-async` (RFC 7240), among other preferences or alone. */
export function prefersAsync(prefer: string | undefined): boolean {
  return (prefer ?? '').split(/[,;]/).some((preference) => preference.trim().toLowerCase() === 'respond-async');
}

@Controller('imports')
export class PopulationImportController {
  constructor(
    private readonly imports: PopulationImportService,
    private readonly jobs: ImportJobs,
    @InjectConfig() private readonly config: PopulationConfig,
  ) {}

  /**
   * `text/csv` in the columns of UNHCR's population API, streamed. Answers 201 with a summary
   * once every figure is written; with `Prefer: respond-async`, 202 once the file is read and
   * checked (a bad file is refused either way), with a Location to follow it by.
   */
  @Post('population')
  async importPopulation(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('content-type') contentType: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Query() query: ImportQuery,
    @RequestId() requestId: string,
  ): Promise<void> {
    if (!contentType?.startsWith('text/csv') || !(request.body instanceof Readable)) {
      throw new ProblemException({
        type: PROBLEM_TYPES.unsupportedMediaType,
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the CSV as text/csv.',
      });
    }
    const options: ImportOptions = {
      sourceName: query.source ?? DEFAULT_IMPORT_SOURCE,
      maxBytes: this.config.IMPORT_MAX_BYTES,
      correlationId: requestId,
    };
    const read = await this.imports.read(request.body, options);
    if (!prefersAsync(prefer)) {
      await reply.status(201).send(await this.imports.write(read, options));
      return;
    }
    const { summary } = read;
    const status = await this.jobs.start(
      { source: summary.source, rowsRead: summary.rowsRead, operations: summary.operations, figures: read.figures.length },
      (progress) => this.imports.write(read, options, progress),
    );
    await reply
      .status(202)
      .header('location', `/imports/population/${status.id}`)
      .header('preference-applied', 'respond-async')
      .send(status);
  }

  /** How an import answered 202 stands: running (with its progress), succeeded (with its summary), failed or interrupted. */
  @Get('population/:id')
  async importStatus(@Param('id', new ParseUUIDPipe({ version: '4' })) id: string): Promise<ImportStatus> {
    const status = await this.jobs.find(id);
    if (!status) throw notFound(`There is no import ${id}.`);
    return status;
  }
}
