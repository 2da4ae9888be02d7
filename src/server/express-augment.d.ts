import 'express-serve-static-core';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the request-id middleware. */
    id: string;
    /** The authenticated API key's name, when keys are configured. */
    apiKeyName?: string;
    /** What the authenticated API key may do, when keys are configured. */
    apiKeyScopes?: ReadonlySet<import('./server-config.js').ApiScope>;
  }
}
