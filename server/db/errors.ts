/** A row that must exist does not. The HTTP layer answers 404. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  readonly entity: string;
  readonly key: string;
  constructor(entity: string, key: string | number) {
    super(`${entity} ${JSON.stringify(String(key))} not found`);
    this.entity = entity;
    this.key = String(key);
  }
}
