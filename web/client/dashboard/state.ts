// The dashboard's data as GET /api/v1/classes/:id/matrix and the class event stream send
// it (server/http/routes/classes-schemas.ts is the schema; this is its shape for the browser).
export type CellStatus = 'passed' | 'failed' | 'error-only' | 'not started';

export interface MatrixCell {
  readonly exerciseId: string;
  readonly status: CellStatus;
  readonly bestScore: number | null;
  readonly maxScore: number;
  readonly attempts: number;
  readonly lastActivityAt: string | null;
  readonly latestAttemptId: number | null;
  readonly stuckOn: string | null;
  readonly environment: { status: string; expiresAt: string } | null;
}

export interface MatrixRow {
  readonly userId: number;
  readonly displayName: string;
  readonly activeNow: boolean;
  readonly lastActivityAt: string | null;
  readonly totalScore: number;
  readonly passed: number;
  readonly cells: readonly MatrixCell[];
}

export interface Matrix {
  readonly class: { id: number; name: string };
  readonly exercises: readonly { id: string; title: string; maxScore: number }[];
  readonly rows: readonly MatrixRow[];
}

export interface DashboardState {
  readonly matrix: Matrix;
  /** The server's clock when the page was made (epoch ms), for "5 min ago". */
  readonly now: number;
}
