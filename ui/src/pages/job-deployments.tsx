/** A job's deployments with promote and fail (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function JobDeployments(props: { jobId: string }): JSX.Element {
  return <PageHeader title={`Deployments of ${props.jobId}`} />;
}
