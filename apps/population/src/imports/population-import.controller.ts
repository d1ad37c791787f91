import { Controller, Headers, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { ImportQuery } from '@focus/contracts';
import { InjectConfig, ProblemException, PROBLEM_TYPES, RequestId } from '@focus/service-kit';
import { PopulationConfig } from '../config';
import { PopulationImportService } from './population-import.service';

export const DEFAULT_IMPORT_SOURCE = 'UNHCR Refugee Population Statistics Database';

@Controller('imports')
export class PopulationImportController {
  constructor(
    private readonly imports: PopulationImportService,
    @InjectConfig() private readonly config: PopulationConfig,
  ) {}

  /** `text/csv` in the columns of UNHCR's population API, streamed; answers with a summary. */
  @Post('population')
  async importPopulation(
    @Req() request: FastifyRequest,
    @Headers('content-type') contentType: string | undefined,
    @Query() query: ImportQuery,
    @RequestId() requestId: string,
  ) {
    if (!contentType?.startsWith('text/csv') || !(request.body instanceof Readable)) {
      throw new ProblemException({
        type: PROBLEM_TYPES.unsupportedMediaType,
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send the CSV as text/csv.',
      });
    }
    return this.imports.import(request.body, {
      sourceName: query.source ?? DEFAULT_IMPORT_SOURCE,
      maxBytes: this.config.IMPORT_MAX_BYTES,
      correlationId: requestId,
    });
  }
}
