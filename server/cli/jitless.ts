// Imported for its effect, before any schema is built (zod reads the setting then): zod's
// compiled fast path for object schemas generates code at each schema's first parse, which
// costs more than it saves in a command that parses once and exits.
import { config } from '../../graders/zod-mini.ts';

config({ jitless: true });
