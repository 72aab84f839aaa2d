import { render } from 'preact';
import { App } from './app';
import { prefetch } from './live';
import './styles.css';
// Every page's styles ship in the entry's stylesheet (small; lazily loaded chunks' CSS would not be linked).
import './components/job-editor.css';
import './pages/job.css';
import './pages/job-deployments.css';
import './pages/allocation.css';
import './pages/client.css';
import './pages/services.css';
import './pages/variables.css';
import './pages/tokens.css';

performance.mark('drover:start');
// The landing page's list leaves first, while the app renders.
if (/^\/ui\/?(jobs\/?)?$/.test(location.pathname)) prefetch('/v1/jobs');

render(<App />, document.getElementById('app') as HTMLElement);
