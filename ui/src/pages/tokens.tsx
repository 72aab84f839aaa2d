/** The ACL token screen (placeholder until built). */
import type { JSX } from 'preact';
import { PageHeader } from '../components/common';

export function TokensPage(): JSX.Element {
  return <PageHeader title="ACL Tokens" />;
}
