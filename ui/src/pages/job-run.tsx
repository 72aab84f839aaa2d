/** Run a job: the definition editor (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function JobRunPage(): JSX.Element {
  return <PageHeader title="Run a job" />;
}
