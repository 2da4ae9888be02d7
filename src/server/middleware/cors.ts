import type express from 'express';

/** Lets the listed origins call the API from a browser; answers preflight requests itself. */
export function cors(origins: readonly string[]): express.RequestHandler {
  return (request, response, next) => {
    const origin = request.get('origin');
    if (origin && origins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Request-Id');
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE');
    }
    if (request.method === 'OPTIONS') return void response.sendStatus(204);
    next();
  };
}
