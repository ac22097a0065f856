// Column helpers shared by every table: ids, org scoping, timestamps, pgvector and tsvector types.
import { customType, text, timestamp } from 'drizzle-orm/pg-core';
import { DEFAULT_ORG_ID } from '../../ids.js';

/** A pgvector column without a fixed dimension, so embeddings of any size (≤ 4096) fit one table. */
export const vector = customType<{ data: number[]; driverData: string }>({
  dataType: () => 'vector',
  toDriver: (value) => `[${value.join(',')}]`,
  fromDriver: (value) => (typeof value === 'string' ? (JSON.parse(value) as number[]) : (value as unknown as number[])),
});

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const orgId = () => text('organization_id').notNull().default(DEFAULT_ORG_ID);

export const timestamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 6 }).notNull().defaultNow(),
});
