/** The node: drivers, resources, host volumes, allocations, metrics (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function ClientsPage(): JSX.Element {
  return <PageHeader title="Clients" />;
}

export function ClientPage(props: { id: string }): JSX.Element {
  return <PageHeader title={`Client ${props.id}`} />;
}
