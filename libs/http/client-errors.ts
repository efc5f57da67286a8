import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from './problem-details.js';

/** Node's own answers to requests it cannot parse (see `socketOnError` in Node's http server). */
const ANSWERS: Record<string, { status: number; slug: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    slug: 'request-header-fields-too-large',
    detail: 'The request line and headers are larger than the server accepts',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    slug: 'payload-too-large',
    detail: 'The chunk extensions of the request are larger than the server accepts',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    slug: 'request-timeout',
    detail: 'The request did not arrive in time',
  },
};

const MALFORMED = {
  status: 400,
  slug: 'malformed-request',
  detail: 'The request is not valid HTTP',
};

/** A whole HTTP response, written straight to the socket: there is no request object. */
function rawProblem(code: string | undefined): string {
  const { status, slug, detail } = (code && ANSWERS[code]) || MALFORMED;
  const body = JSON.stringify(problem(status, slug, detail));
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'Content-Type: application/problem+json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Requests Node's parser refuses (headers over its limit, malformed HTTP) never reach Express;
 * Node answers them with a bare status line. This answers as Node does (the same statuses,
 * only while no response has begun on the socket, then the socket is closed), but with a
 * problem document as every other error of the service.
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own test: the response in progress on this socket has not sent its headers.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(rawProblem(error.code));
    socket.destroy(error);
  });
}
