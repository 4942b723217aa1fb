// Who is asking. Every read and write decision starts from the viewer's role.
export const TOKEN_ROLES = ['reader', 'editor', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];
export type ViewerRole = 'anonymous' | TokenRole;

export type Viewer = { role: ViewerRole; tokenName: string | null };

export const ANONYMOUS: Viewer = { role: 'anonymous', tokenName: null };

/** Drafts, withdrawn articles and soft-deleted records are editorial material. */
export const canSeeUnpublished = (viewer: Viewer) => viewer.role === 'editor' || viewer.role === 'admin';
export const canWrite = (viewer: Viewer) => viewer.role === 'editor' || viewer.role === 'admin';
export const isAdmin = (viewer: Viewer) => viewer.role === 'admin';
