// What the exercise page hands its island in <script type="application/json" id="page-state">.
// Plain data only: the server builds it from the API's own views.
export interface EnvironmentState {
  exerciseId: string;
  namespace: string;
  status: 'provisioning' | 'ready' | 'failed' | 'deleting' | 'deleted';
  error: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export interface AttemptState {
  id: number;
  exerciseId: string;
  status: 'queued' | 'running' | 'finished' | 'interrupted';
  result: 'passed' | 'failed' | 'error' | null;
  score: number | null;
  maxScore: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CheckResultState {
  checkId: string;
  title: string;
  status: 'pass' | 'fail' | 'error' | 'skipped';
  points: number;
  maxPoints: number;
  message: string;
  hint: string | null;
  /** The diagnosed cause of a fail; absent or null when none was named. */
  cause?: string | null;
  evidence: unknown;
  finishedAt: string;
}

export interface ExercisePageState {
  exerciseId: string;
  title: string;
  checks: { id: string; title: string; points: number }[];
  environment: EnvironmentState | null;
  history: AttemptState[];
  /** The server's clock when the page was made, so the countdown survives a skewed client clock. */
  serverNow: string;
  /** The terminal tab's script (hashed asset URL), imported when the tab first opens. */
  terminalScript: string;
}
