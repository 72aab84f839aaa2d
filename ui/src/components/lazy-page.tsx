/**
 * A page whose code loads when it is first shown (esbuild splits it into its own
 * chunk): the first load carries only the shell and the jobs list, so the landing
 * page is ready sooner. Page stylesheets stay in the entry's CSS (main.tsx), as
 * chunks' CSS is not linked by index.html.
 */
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './common';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function LazyPage(props: P): JSX.Element {
    const [Page, setPage] = useState<ComponentType<P> | undefined>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Page) return;
      let live = true;
      pending ??= load().then((c) => (loaded = c));
      pending.then(
        (c) => live && setPage(() => c),
        () => {
          pending = undefined; // a later visit tries again
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, [Page]);
    if (failed) {
      return (
        <div class="message error" role="alert">
          <strong>This page could not be loaded.</strong> The agent may be unreachable, or drover was upgraded since this tab opened: reload the page.
        </div>
      );
    }
    return Page ? <Page {...props} /> : <Loading what="page" />;
  };
}
