/**
 * Run a job (Nomad UI's /ui/jobs/run): the definition editor, empty or from an
 * example; a clean run lands on the new job's page.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { seg } from '../api';
import { PageHeader } from '../components/common';
import { JobEditor } from '../components/job-editor';
import { navigate } from '../router';

const EXAMPLE = `job "example" {
  type = "service"

  group "app" {
    count = 1

    task "server" {
      driver = "raw_exec"

      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
`;

export function JobRunPage(): JSX.Element {
  // A new key remounts the editor with the example text.
  const [start, setStart] = useState({ key: 0, text: '' });
  return (
    <section>
      <PageHeader title="Run a job">
        <button type="button" onClick={() => setStart((s) => ({ key: s.key + 1, text: EXAMPLE }))}>
          Start from an example
        </button>
      </PageHeader>
      <p class="muted">Paste or write a job in HCL2 or JSON. It is checked as you type; Run submits it once it is valid.</p>
      <JobEditor key={start.key} initial={start.text} onRun={(id) => navigate(`/ui/jobs/${seg(id)}`)} onCancel={() => navigate('/ui/jobs')} />
    </section>
  );
}
