/** A mistake in how a command was called: reported with exit status 2. */
export class UsageError extends Error {}
