// TemplateError: a parse or execution failure, with Go's message text.

/**
 * A template failed to parse or to execute. `message` is exactly what Go's
 * text/template prints ("template: app.tpl:3:7: executing ..."). `line` is
 * 1-based; `col`, present for execution errors, is Go's column: the byte
 * offset (UTF-8) of the failing node within its line, counted from 0.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    readonly templateName: string,
    readonly line: number,
    readonly col?: number,
  ) {
    super(message);
  }
}

/** Line (1-based) and Go byte column (0-based) of string index `pos` in `text`. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: Buffer.byteLength(text.slice(lineStart, pos), 'utf8') };
}
