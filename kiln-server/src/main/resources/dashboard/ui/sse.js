// Server-sent events read over fetch(), because EventSource cannot send the Authorization header: the token stays
// out of URLs (and so out of access logs and browser history).

import { authHeaders, refused, token } from './api.js';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10000;

/**
 * Follows an event stream until closed, reconnecting with backoff when it drops.
 * `onEvent(type, data)` gets each event with its JSON data parsed; `onOpen` runs on each (re)connection (a caller
 * re-reads state there, since events may have been missed while down); `onDown` runs when the connection is lost.
 */
export function followEvents(path, { onEvent, onOpen = () => {}, onDown = () => {} }) {
  const abort = new AbortController();
  let closed = false;
  (async () => {
    let retry = FIRST_RETRY_MS;
    while (!closed) {
      try {
        const used = token();
        const response = await fetch(path, {
          headers: authHeaders({ Accept: 'text/event-stream' }), cache: 'no-store', signal: abort.signal,
        });
        if (response.status === 401) {
          await refused(used, response);
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`The event stream answered ${response.status}`);
        retry = FIRST_RETRY_MS;
        onOpen();
        await readEvents(response.body, onEvent);
      } catch (e) {
        if (closed) return;
      }
      if (closed) return;
      onDown();
      await new Promise((resolve) => setTimeout(resolve, retry));
      retry = Math.min(retry * 2, MAX_RETRY_MS);
    }
  })();
  return { close() { closed = true; abort.abort(); } };
}

/** Parses the text/event-stream format: `event:` and `data:` fields, comments, events ended by a blank line. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (data.length) dispatch(onEvent, type || 'message', data.join('\n'));
        type = '';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? '' : line.slice(colon + 1);
        if (text.startsWith(' ')) text = text.slice(1);
        if (field === 'event') type = text;
        else if (field === 'data') data.push(text);
      }
    }
  }
}

function dispatch(onEvent, type, text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return;
  }
  onEvent(type, data);
}
