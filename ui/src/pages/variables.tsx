/** Variables: list, view, edit with check-and-set (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function VariablesPage(): JSX.Element {
  return <PageHeader title="Variables" />;
}

export function VariablePage(props: { path: string }): JSX.Element {
  return <PageHeader title={`Variable ${props.path}`} />;
}
