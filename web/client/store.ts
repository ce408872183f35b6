// The exercise page's shared state: the environment and the attempt history. Panels
// read it and subscribe; whoever learns something new (an API answer) sets it.
import type { AttemptState, EnvironmentState, ExercisePageState } from './state.ts';

type Listener = () => void;

export class PageStore {
  environment: EnvironmentState | null;
  history: AttemptState[];
  /** Server time minus browser time (ms), so countdowns agree with the server. */
  readonly clockOffset: number;
  readonly #listeners: Listener[] = [];

  constructor(readonly page: ExercisePageState) {
    this.environment = page.environment && page.environment.status !== 'deleted' ? page.environment : null;
    this.history = page.history;
    this.clockOffset = Date.parse(page.serverNow) - Date.now();
  }

  get ready(): boolean {
    return this.environment?.status === 'ready';
  }

  now(): number {
    return Date.now() + this.clockOffset;
  }

  setEnvironment(environment: EnvironmentState | null): void {
    this.environment = environment && environment.status !== 'deleted' ? environment : null;
    this.#emit();
  }

  recordAttempt(attempt: AttemptState): void {
    this.history = [attempt, ...this.history.filter((a) => a.id !== attempt.id)];
    this.#emit();
  }

  subscribe(listener: Listener): void {
    this.#listeners.push(listener);
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

export const envPath = (exerciseId: string) => `/exercises/${encodeURIComponent(exerciseId)}/environment`;
