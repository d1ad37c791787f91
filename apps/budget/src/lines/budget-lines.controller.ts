import { Body, Controller, Delete, Get, Param, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BudgetLineState, centsToUsd, Pillar, PILLAR_NUMBERS, PutBudgetLineDto } from '@focus/contracts';
import { OneOfPipe, OperationCodePipe, RequestWriteOptions, WriteOptions, writeResponse, YearPipe } from '@focus/service-kit';
import { BudgetLinesService } from './budget-lines.service';

const pillarPipe = new OneOfPipe<Pillar>('pillar', PILLAR_NUMBERS);

@Controller('operations/:code/budget')
export class BudgetLinesController {
  constructor(private readonly service: BudgetLinesService) {}

  @Get()
  async list(@Param('code', OperationCodePipe) code: string) {
    const lines = await this.service.list(code);
    return { operationCode: code, lines: lines.map((line) => ({ ...withUsd(line.state), version: line.version })) };
  }

  @Put(':year/pillars/:pillar')
  async put(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('pillar', pillarPipe) pillar: Pillar,
    @Body() body: PutBudgetLineDto,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.service.put(code, year, pillar, body.budgetUsd, body.expenditureUsd ?? null, options);
    return writeResponse(reply, result);
  }

  @Delete(':year/pillars/:pillar')
  async remove(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('pillar', pillarPipe) pillar: Pillar,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.remove(code, year, pillar, options));
  }
}

function withUsd(state: BudgetLineState) {
  return {
    ...state,
    budgetUsd: centsToUsd(state.budgetCents),
    expenditureUsd: state.expenditureCents === null ? null : centsToUsd(state.expenditureCents),
  };
}
