/** Services and their checks (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function ServicesPage(): JSX.Element {
  return <PageHeader title="Services" />;
}

export function ServicePage(props: { name: string }): JSX.Element {
  return <PageHeader title={`Service ${props.name}`} />;
}
