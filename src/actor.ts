// Who is acting: every service call is scoped by the actor's organization.
import { DEFAULT_ORG_ID, DEFAULT_USER_ID } from './ids.js';

export type Actor = Readonly<{ orgId: string; userId: string }>;

export const DEFAULT_ACTOR: Actor = Object.freeze({ orgId: DEFAULT_ORG_ID, userId: DEFAULT_USER_ID });
