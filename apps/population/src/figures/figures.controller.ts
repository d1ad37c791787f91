import { Body, Controller, Delete, Get, Param, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FigureSource, POPULATION_TYPE_CODES, PutFigureDto } from '@focus/contracts';
import {
  OneOfPipe,
  OperationCodePipe,
  OriginQueryPipe,
  refuseOriginOfTotal,
  RequestWriteOptions,
  WriteOptions,
  writeResponse,
  YearPipe,
} from '@focus/service-kit';
import { editorSource, FigureKey, FigureRef, FiguresService } from './figures.service';

const FIGURE_KEYS: readonly FigureKey[] = [...POPULATION_TYPE_CODES, 'total'];

@Controller('operations/:code/population')
export class FiguresController {
  constructor(private readonly service: FiguresService) {}

  @Get()
  async list(@Param('code', OperationCodePipe) code: string) {
    const { figures, totals } = await this.service.listForOperation(code);
    return {
      operationCode: code,
      figures: figures.map((f) => ({ ...f.state, version: f.version })),
      totals: totals.map((t) => ({ ...t.state, version: t.version })),
    };
  }

  @Put(':year/:type')
  async put(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('type', new OneOfPipe('type', FIGURE_KEYS)) type: FigureKey,
    @Query('origin', OriginQueryPipe) origin: string | undefined,
    @Body() body: PutFigureDto,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const source: FigureSource = body.source ?? editorSource();
    const result = await this.service.put(code, year, figureOf(type, origin), body.value, source, options);
    return writeResponse(reply, result);
  }

  @Delete(':year/:type')
  async remove(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('type', new OneOfPipe('type', FIGURE_KEYS)) type: FigureKey,
    @Query('origin', OriginQueryPipe) origin: string | undefined,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.service.remove(code, year, figureOf(type, origin), options);
    return writeResponse(reply, result);
  }
}

/** The figure a path names: its type (or the total), and with ?origin= the figure by that origin. */
function figureOf(key: FigureKey, origin: string | undefined): FigureRef {
  refuseOriginOfTotal(key, origin);
  return { key, origin };
}
