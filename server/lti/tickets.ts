// The hand-over from a launch to the page it lands on. The launch answers the LMS's
// cross-site POST with a page that moves on to /lti/continue?ticket=…; there the
// session cookie is either back (it stuck: go on) or missing (the browser blocks
// cookies in the LMS iframe: offer a new window, where the ticket signs the learner
// in first-party). A ticket is single-use, short-lived and stored only as sha256.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from '../db/columns.ts';
import { hashToken } from '../db/tokens.ts';

export const TICKET_TTL_MS = 5 * 60_000;
export const Ticket = z.string().regex(/^klt_[A-Za-z0-9_-]{43}$/, 'expected a launch ticket');

export const TicketRow = z.object({ ticket_hash: z.string(), user_id: id, target_path: z.string(), expires_at: timestamp, used_at: timestamp.nullable() });

export interface TicketTarget {
  readonly userId: number;
  readonly targetPath: string;
}

export class LaunchTickets {
  readonly #now: () => number;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #insert: Database.Statement;
  readonly #byHash: Database.Statement;
  readonly #spend: Database.Statement;

  constructor(sqlite: Database.Database, deps: { now: () => number; randomBytes: (size: number) => Buffer }) {
    this.#now = deps.now;
    this.#randomBytes = deps.randomBytes;
    this.#insert = sqlite.prepare('INSERT INTO lti_tickets (ticket_hash, user_id, target_path, expires_at) VALUES (?, ?, ?, ?)');
    this.#byHash = sqlite.prepare('SELECT * FROM lti_tickets WHERE ticket_hash = ?');
    this.#spend = sqlite.prepare('UPDATE lti_tickets SET used_at = ? WHERE ticket_hash = ? AND used_at IS NULL');
  }

  issue(target: TicketTarget): string {
    const ticket = `klt_${this.#randomBytes(32).toString('base64url')}`;
    this.#insert.run(hashToken(ticket), target.userId, target.targetPath, this.#now() + TICKET_TTL_MS);
    return ticket;
  }

  /** The ticket's target while it is valid and unspent, without spending it. */
  peek(ticket: string): TicketTarget | undefined {
    const found = this.#byHash.get(hashToken(ticket));
    if (found === undefined) return undefined;
    const row = TicketRow.parse(found);
    if (row.used_at !== null || row.expires_at <= this.#now()) return undefined;
    return { userId: row.user_id, targetPath: row.target_path };
  }

  /** Spends the ticket; undefined when unknown, expired or already spent. */
  spend(ticket: string): TicketTarget | undefined {
    const target = this.peek(ticket);
    if (target === undefined) return undefined;
    return this.#spend.run(this.#now(), hashToken(ticket)).changes === 1 ? target : undefined;
  }
}
