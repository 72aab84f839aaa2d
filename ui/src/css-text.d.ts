/** A stylesheet imported `with { type: 'text' }` (esbuild's text loader): its source. */
declare module '*.css' {
  const text: string;
  export default text;
}
