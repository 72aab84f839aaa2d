/**
 * Stylesheets of lazily loaded libraries (uPlot, xterm.js): bundled as text into the
 * library's own chunk and added to the page when that chunk first loads, so neither the
 * styles nor the library are in the first load.
 */
const installed = new Set<string>();

export function installCss(id: string, text: string): void {
  if (installed.has(id)) return;
  installed.add(id);
  const style = document.createElement('style');
  style.dataset['lib'] = id;
  style.textContent = text;
  document.head.appendChild(style);
}
