import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { revisionsOf } from '@focus/messaging';
import { StoredViewDocument } from './stored-view';
import { ViewRevision, ViewWriter } from './view-writer';

/** The first generation's name; a rebuild makes `operation_views_<timestamp>`. */
export const INITIAL_VIEWS = 'operation_views';
const POINTERS = 'view_pointers';
const POINTER_ID = 'operation-views';
/** How long another instance may keep serving the generation it last saw. */
const POINTER_TTL_MS = 1_000;

interface Pointer {
  _id: string;
  collection: string;
  swappedAt: Date;
}

/**
 * Which collection holds the live views. A rebuild fills a fresh collection while the live one
 * keeps serving, then swaps a single pointer document: MongoDB and FerretDB both update one
 * document atomically, and FerretDB cannot rename over an existing collection.
 */
@Injectable()
export class ViewGenerations {
  private active = INITIAL_VIEWS;
  private checkedAt = 0;
  private readonly db: Db;

  constructor(@InjectConnection() connection: Connection) {
    if (!connection.db) throw new Error('MongoDB connection has no database yet');
    this.db = connection.db;
  }

  async current(): Promise<Collection<StoredViewDocument>> {
    if (Date.now() - this.checkedAt > POINTER_TTL_MS) {
      const pointer = await this.pointers().findOne({ _id: POINTER_ID });
      this.use(pointer?.collection ?? INITIAL_VIEWS);
    }
    return this.collection(this.active);
  }

  /** A fresh, empty generation (created by its first write). */
  create(): Collection<StoredViewDocument> {
    return this.collection(`${INITIAL_VIEWS}_${Date.now()}`);
  }

  async swapTo(collection: Collection<StoredViewDocument>): Promise<void> {
    await this.pointers().updateOne(
      { _id: POINTER_ID },
      { $set: { collection: collection.collectionName, swappedAt: new Date() } },
      { upsert: true },
    );
    this.use(collection.collectionName);
  }

  /** The writer of a generation's views, with its revisions beside it. */
  writerFor(collection: Collection<StoredViewDocument>): ViewWriter {
    return new ViewWriter(collection, this.db.collection<ViewRevision>(revisionsOf(collection.collectionName)));
  }

  /** Drops every generation (and its revisions) but the live one and the one it replaced. */
  async dropAllBut(keep: string[]): Promise<string[]> {
    const kept = keep.flatMap((name) => [name, revisionsOf(name)]);
    const stale = (await this.db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => name.startsWith(INITIAL_VIEWS) && !kept.includes(name));
    for (const name of stale) await this.db.dropCollection(name);
    return stale;
  }

  private use(name: string): void {
    this.active = name;
    this.checkedAt = Date.now();
  }

  private collection(name: string): Collection<StoredViewDocument> {
    return this.db.collection<StoredViewDocument>(name);
  }

  private pointers(): Collection<Pointer> {
    return this.db.collection<Pointer>(POINTERS);
  }
}
