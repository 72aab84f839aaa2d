/** An allocation: tasks, events, stats, logs, files, exec (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function AllocationPage(props: { id: string; rest: string }): JSX.Element {
  return <PageHeader title={`Allocation ${props.id} ${props.rest}`} />;
}
