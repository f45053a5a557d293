/** A problem with what the user gave us: printed as one clear message, exit code 2. */
export class UserError extends Error {
  constructor(
    message: string,
    /** Further lines (one per problem), printed under the message. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;
