// The `security` requirements routes declare, apart from the schemes themselves
// (security.ts) so the auth hooks can use them without an import cycle.

/** `security` of a route that needs a signed-in caller: either scheme will do. */
export const SIGNED_IN: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

/** The scheme name of service API keys; its requirement lists the scope a route needs (OpenAPI 3.1 allows role names there). */
export const SERVICE_KEY_SCHEME = 'serviceKey';
