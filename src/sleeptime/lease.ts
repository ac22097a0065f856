// Named expiring leases (the `leases` table): one holder at a time; an expired lease can be taken over.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

const ms = (n: number) => `${Math.round(n)} milliseconds`;

export async function claimLease(db: Db, key: string, holder: string, leaseMs: number): Promise<boolean> {
  const res = await db.execute(sql`
    insert into leases (key, holder, expires_at) values (${key}, ${holder}, now() + ${ms(leaseMs)}::interval)
    on conflict (key) do update set holder = excluded.holder, expires_at = excluded.expires_at, created_at = now()
      where leases.expires_at < now() or leases.holder = excluded.holder
    returning holder`);
  return (res as unknown as { rows: unknown[] }).rows.length > 0;
}

export async function renewLease(db: Db, key: string, holder: string, leaseMs: number): Promise<void> {
  await db.execute(sql`update leases set expires_at = now() + ${ms(leaseMs)}::interval where key = ${key} and holder = ${holder}`);
}

export async function releaseLease(db: Db, key: string, holder: string): Promise<void> {
  await db.execute(sql`delete from leases where key = ${key} and holder = ${holder}`);
}
