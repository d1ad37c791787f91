import { Body, Controller, Delete, Get, Param, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  KEY_FIGURE_KINDS,
  KeyFigureKind,
  Lang,
  LANGS,
  NARRATIVE_SECTION_KEYS,
  NarrativeSectionKey,
  PutKeyFiguresDto,
  PutProfileDto,
  PutSectionDto,
} from '@focus/contracts';
import {
  Entity,
  etagOf,
  OneOfPipe,
  OperationCodePipe,
  RequestWriteOptions,
  WriteOptions,
  writeResponse,
  YearPipe,
} from '@focus/service-kit';
import { NarrativesService } from './narratives.service';

const kindPipe = new OneOfPipe<KeyFigureKind>('kind', KEY_FIGURE_KINDS);
const langPipe = new OneOfPipe<Lang>('lang', LANGS);
const sectionPipe = new OneOfPipe<NarrativeSectionKey>('section', NARRATIVE_SECTION_KEYS);

@Controller('operations/:code')
export class NarrativesController {
  constructor(private readonly service: NarrativesService) {}

  @Get()
  async getProfile(@Param('code', OperationCodePipe) code: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const profile = await this.service.getProfile(code);
    reply.header('etag', etagOf(profile.version));
    return withVersion(profile);
  }

  @Put()
  async putProfile(
    @Param('code', OperationCodePipe) code: string,
    @Body() body: PutProfileDto,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.putProfile(code, body, options));
  }

  @Delete()
  async removeProfile(
    @Param('code', OperationCodePipe) code: string,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.removeProfile(code, options));
  }

  @Put('key-figures/:year/:kind')
  async putKeyFigures(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('kind', kindPipe) kind: KeyFigureKind,
    @Body() body: PutKeyFiguresDto,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.putKeyFigures(code, year, kind, body.items, options));
  }

  @Delete('key-figures/:year/:kind')
  async removeKeyFigures(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('kind', kindPipe) kind: KeyFigureKind,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.removeKeyFigures(code, year, kind, options));
  }

  @Get('narratives')
  async list(@Param('code', OperationCodePipe) code: string) {
    const { profile, keyFigureSets, sections } = await this.service.listForOperation(code);
    return {
      operationCode: code,
      profile: profile ? withVersion(profile) : null,
      keyFigureSets: keyFigureSets.map(withVersion),
      sections: sections.map(withVersion),
    };
  }

  @Put('narratives/:year/:lang/:section')
  async putSection(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('lang', langPipe) lang: Lang,
    @Param('section', sectionPipe) section: NarrativeSectionKey,
    @Body() body: PutSectionDto,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.putSection(code, year, lang, section, body.body, options));
  }

  @Delete('narratives/:year/:lang/:section')
  async removeSection(
    @Param('code', OperationCodePipe) code: string,
    @Param('year', YearPipe) year: number,
    @Param('lang', langPipe) lang: Lang,
    @Param('section', sectionPipe) section: NarrativeSectionKey,
    @RequestWriteOptions() options: WriteOptions,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return writeResponse(reply, await this.service.removeSection(code, year, lang, section, options));
  }
}

function withVersion<S extends object>(entity: Entity<S>): S & { version: number } {
  return { ...entity.state, version: entity.version };
}
