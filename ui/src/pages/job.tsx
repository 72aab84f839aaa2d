/** A job: groups, allocations, versions, definition, children, deployments (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function JobPage(props: { id: string; tab: string }): JSX.Element {
  return <PageHeader title={`Job ${props.id} (${props.tab})`} />;
}
