// The console's shell: sign-in, the session (who, which role), navigation and the pages.
import './style.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { gql, onSessionChange, signedIn, signOut } from './api';
import { setCurrency } from './format';
import { graphql } from './gql';
import { CampaignsPage } from './pages/Campaigns';
import { CohortsPage } from './pages/Cohorts';
import { CustomerPage } from './pages/Customer';
import { CustomersPage } from './pages/Customers';
import { DataPage } from './pages/Data';
import { EconomicsPage } from './pages/Economics';
import { FeedbackPage } from './pages/Feedback';
import { LoyaltyPage } from './pages/Loyalty';
import { OffersPage } from './pages/Offers';
import { OverviewPage } from './pages/Overview';
import { PipelinePage } from './pages/Pipeline';
import { SegmentsPage } from './pages/Segments';
import { SettingsPage } from './pages/Settings';
import { SignIn } from './pages/SignIn';
import { ValuePage } from './pages/Value';
import { usePath } from './router';
import { ErrorState, Link, Loading, type Me, SessionContext } from './ui';

const MeQuery = graphql(`
  query Me {
    me {
      name
      email
      role
    }
    workspace {
      name
    }
    valueSettings {
      reportingCurrency
    }
  }
`);

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/customers', 'Customers'],
  ['/value', 'Value'],
  ['/cohorts', 'Cohorts'],
  ['/economics', 'Economics'],
  ['/pipeline', 'Pipeline'],
  ['/segments', 'Segments'],
  ['/campaigns', 'Campaigns'],
  ['/offers', 'Offers'],
  ['/feedback', 'Feedback'],
  ['/loyalty', 'Loyalty'],
  ['/data', 'Data'],
  ['/settings', 'Settings'],
];

/** Settings is for owners and admins; Data (imports, duplicates) for them and managers, who
 * look after the workspace's data (the API lets every role read both, so anyone following a
 * link to /console/data still sees the page). */
function shown(href: string, role: string): boolean {
  if (href === '/settings') return role === 'owner' || role === 'admin';
  if (href === '/data') return role === 'owner' || role === 'admin' || role === 'manager';
  return true;
}

function Route({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case undefined:
      return <OverviewPage />;
    case 'customers':
      return parts[1] ? <CustomerPage id={decodeURIComponent(parts[1])} /> : <CustomersPage />;
    case 'value':
      return <ValuePage />;
    case 'cohorts':
      return <CohortsPage />;
    case 'economics':
      return <EconomicsPage />;
    case 'data':
      return <DataPage />;
    case 'loyalty':
      return <LoyaltyPage />;
    case 'settings':
      return <SettingsPage />;
    case 'pipeline':
      return <PipelinePage />;
    case 'segments':
      return <SegmentsPage />;
    case 'offers':
      return <OffersPage />;
    case 'feedback':
      return <FeedbackPage complaint={parts[1] === 'complaints' && parts[2] ? decodeURIComponent(parts[2]) : null} />;
    case 'campaigns':
      return <CampaignsPage selected={parts[1] ? decodeURIComponent(parts[1]) : null} />;
    default:
      return (
        <section class="page">
          <h1>Not found</h1>
          <p>
            There is no page at this address. <Link href="/">Go to the overview</Link>.
          </p>
        </section>
      );
  }
}

function Shell({ me }: { me: Me }) {
  const path = usePath();
  const section = '/' + (path.split('/').filter(Boolean)[0] ?? '');
  return (
    <SessionContext.Provider value={me}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Rapport</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter(([href]) => shown(href, me.role)).map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={section === href ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {me.name} · {me.role} · {me.workspace}
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main">
        <Route path={path} />
      </main>
    </SessionContext.Provider>
  );
}

function App() {
  const [session, setSession] = useState(signedIn());
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => onSessionChange((on) => setSession(on)), []);
  useEffect(() => {
    if (!session) {
      setMe(null);
      return;
    }
    setError(null);
    gql(MeQuery).then(
      (d) => {
        setCurrency(d.valueSettings.reportingCurrency);
        setMe({
          name: d.me?.name ?? 'API key',
          email: d.me?.email ?? '',
          role: d.me?.role ?? 'viewer',
          workspace: d.workspace.name,
          currency: d.valueSettings.reportingCurrency,
        });
      },
      (e: unknown) => setError(e),
    );
  }, [session]);
  if (!session) return <SignIn />;
  if (error) return <ErrorState error={error} retry={() => void signOut()} />;
  if (!me) return <Loading what="your workspace" />;
  return <Shell me={me} />;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
