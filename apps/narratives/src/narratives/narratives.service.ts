import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  entityIds,
  EVENTS,
  KeyFigure,
  KeyFigureKind,
  KeyFigureSetState,
  Lang,
  LANGS,
  NARRATIVE_SECTION_KEYS,
  NarrativeSectionKey,
  NarrativeSectionState,
  OperationProfileState,
  PutProfileDto,
} from '@focus/contracts';
import { OutboxRelay } from '@focus/messaging';
import { Entity, notFound, VersionedRepository, WriteOptions, WriteResult } from '@focus/service-kit';
import { KEY_FIGURE_SETS, KeyFigureSetDocument, PROFILES, ProfileDocument, SECTIONS, SectionDocument } from './narrative.models';

export interface OperationNarratives {
  profile: Entity<OperationProfileState> | undefined;
  keyFigureSets: Entity<KeyFigureSetState>[];
  sections: Entity<NarrativeSectionState>[];
}

/**
 * The narratives domain: an operation's profile, its key figures per year and kind, and its
 * narrative sections per year, language and section. Section bodies are plain text, stored
 * and published exactly as the editor gave them; rendering them safely is the reader's job.
 */
@Injectable()
export class NarrativesService {
  private readonly profiles: VersionedRepository<OperationProfileState>;
  private readonly keyFigureSets: VersionedRepository<KeyFigureSetState>;
  private readonly sections: VersionedRepository<NarrativeSectionState>;

  constructor(
    @InjectModel(PROFILES) profileModel: Model<ProfileDocument>,
    @InjectModel(KEY_FIGURE_SETS) keyFigureSetModel: Model<KeyFigureSetDocument>,
    @InjectModel(SECTIONS) sectionModel: Model<SectionDocument>,
    relay: OutboxRelay,
  ) {
    const profileEvent = (_: unknown, next: unknown) => (next ? EVENTS.narrativesProfileUpserted : EVENTS.narrativesProfileDeleted);
    const keyFiguresEvent = (_: unknown, next: unknown) =>
      next ? EVENTS.narrativesKeyFiguresUpserted : EVENTS.narrativesKeyFiguresDeleted;
    const sectionEvent = (_: unknown, next: unknown) => (next ? EVENTS.narrativesSectionUpserted : EVENTS.narrativesSectionDeleted);
    this.profiles = new VersionedRepository<OperationProfileState>(profileModel, profileEvent, relay);
    this.keyFigureSets = new VersionedRepository<KeyFigureSetState>(keyFigureSetModel, keyFiguresEvent, relay);
    this.sections = new VersionedRepository<NarrativeSectionState>(sectionModel, sectionEvent, relay);
  }

  async getProfile(code: string): Promise<Entity<OperationProfileState>> {
    const profile = await this.profiles.find(entityIds.operationProfile(code));
    if (!profile) throw notFound(`Operation ${code} has no profile.`);
    return profile;
  }

  putProfile(code: string, profile: PutProfileDto, options: WriteOptions): Promise<WriteResult<OperationProfileState>> {
    const state: OperationProfileState = {
      code,
      name: { en: profile.name.en, fr: profile.name.fr },
      region: profile.region,
      subregion: profile.subregion,
      offices: profile.offices.map((office) => ({ name: office.name, kind: office.kind, lat: office.lat, lon: office.lon })),
    };
    return this.profiles.put({ id: entityIds.operationProfile(code), subjectCode: code, state }, options);
  }

  removeProfile(code: string, options: WriteOptions): Promise<WriteResult<OperationProfileState>> {
    return this.profiles.remove(entityIds.operationProfile(code), code, options);
  }

  putKeyFigures(
    code: string,
    year: number,
    kind: KeyFigureKind,
    items: KeyFigure[],
    options: WriteOptions,
  ): Promise<WriteResult<KeyFigureSetState>> {
    const state: KeyFigureSetState = {
      operationCode: code,
      year,
      kind,
      items: items.map((item) => ({
        value: item.value,
        unit: item.unit,
        text: item.text.fr === undefined ? { en: item.text.en } : { en: item.text.en, fr: item.text.fr },
      })),
    };
    return this.keyFigureSets.put({ id: entityIds.keyFigureSet(code, year, kind), subjectCode: code, state }, options);
  }

  removeKeyFigures(code: string, year: number, kind: KeyFigureKind, options: WriteOptions): Promise<WriteResult<KeyFigureSetState>> {
    return this.keyFigureSets.remove(entityIds.keyFigureSet(code, year, kind), code, options);
  }

  putSection(
    code: string,
    year: number,
    lang: Lang,
    section: NarrativeSectionKey,
    body: string,
    options: WriteOptions,
  ): Promise<WriteResult<NarrativeSectionState>> {
    const state: NarrativeSectionState = { operationCode: code, year, lang, section, body };
    return this.sections.put({ id: entityIds.narrativeSection(code, year, lang, section), subjectCode: code, state }, options);
  }

  removeSection(
    code: string,
    year: number,
    lang: Lang,
    section: NarrativeSectionKey,
    options: WriteOptions,
  ): Promise<WriteResult<NarrativeSectionState>> {
    return this.sections.remove(entityIds.narrativeSection(code, year, lang, section), code, options);
  }

  /** Everything the service holds for one operation; sections in the page's order. */
  async listForOperation(code: string): Promise<OperationNarratives> {
    const [profile, keyFigureSets, sections] = await Promise.all([
      this.profiles.find(entityIds.operationProfile(code)),
      this.keyFigureSets.list({ operationCode: code }),
      this.sections.list({ operationCode: code }),
    ]);
    return {
      profile,
      keyFigureSets: keyFigureSets.sort((a, b) => a.state.year - b.state.year || a.state.kind.localeCompare(b.state.kind)),
      sections: sections.sort(
        (a, b) =>
          a.state.year - b.state.year ||
          LANGS.indexOf(a.state.lang) - LANGS.indexOf(b.state.lang) ||
          NARRATIVE_SECTION_KEYS.indexOf(a.state.section) - NARRATIVE_SECTION_KEYS.indexOf(b.state.section),
      ),
    };
  }
}
