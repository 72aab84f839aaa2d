/** Splits a streamed HTTP body into newline-delimited JSON values. */

/** Yields each JSON line of `body` until it ends (an abort of the request ends the body). */
export async function* ndjson<T>(body: AsyncIterable<Uint8Array>): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
  if (buffered.trim() !== '') yield JSON.parse(buffered) as T;
}
