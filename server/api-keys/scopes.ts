// What a service API key may be allowed to do; each route names the one it needs.
// Kept apart from the database module so the command line can name them without
// loading it (and the zod API it uses).
export const API_KEY_SCOPES = ['results:read', 'classes:write', 'environments:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
