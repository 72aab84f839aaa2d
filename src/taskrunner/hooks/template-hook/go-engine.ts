/**
 * The template library behind the hook's TemplateEngine seam: drover's Go
 * text/template engine with consul-template's functions bound to the
 * render's context. Executed with nil data, as consul-template does.
 */
import { parseTemplate } from '../../../template/engine/index.js';
import { templateFuncs } from '../../../template/funcs/index.js';
import type { TemplateEngine } from './engine.js';

export const goTemplateEngine: TemplateEngine = {
  parse(name, text, opts, ctx) {
    const t = parseTemplate(name, text, { leftDelim: opts.leftDelim, rightDelim: opts.rightDelim, missingKey: opts.missingKey, funcs: templateFuncs(ctx) });
    return { execute: () => t.execute(null) };
  },
};
