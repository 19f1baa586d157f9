import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { mayOpen } from './capabilities';

/**
 * Every page is its own chunk, loaded when its route is first visited: the patient portal and the
 * login page never download the clinician app (its layout, pages, charts and planners).
 */
function page<K extends string, P extends object>(load: () => Promise<Record<K, ComponentType<P>>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const Layout = page(() => import('./components/Layout'), 'Layout');
const AlertsPage = page(() => import('./pages/AlertsPage'), 'AlertsPage');
const ClinicPage = page(() => import('./pages/ClinicPage'), 'ClinicPage');
const ChangePasswordPage = page(() => import('./pages/ChangePasswordPage'), 'ChangePasswordPage');
const CoursePage = page(() => import('./pages/CoursePage'), 'CoursePage');
const DashboardPage = page(() => import('./pages/DashboardPage'), 'DashboardPage');
const DuePage = page(() => import('./pages/DuePage'), 'DuePage');
const InfusionPlannerPage = page(() => import('./pages/InfusionPlannerPage'), 'InfusionPlannerPage');
const LoginPage = page(() => import('./pages/LoginPage'), 'LoginPage');
const MechanismPage = page(() => import('./pages/MechanismPage'), 'MechanismPage');
const NewPatientPage = page(() => import('./pages/NewPatientPage'), 'NewPatientPage');
const PatientPage = page(() => import('./pages/PatientPage'), 'PatientPage');
const PatientsPage = page(() => import('./pages/PatientsPage'), 'PatientsPage');
const PortalPage = page(() => import('./pages/PortalPage'), 'PortalPage');
const RemsPage = page(() => import('./pages/RemsPage'), 'RemsPage');
const SessionPage = page(() => import('./pages/SessionPage'), 'SessionPage');
const SessionSettingsPage = page(() => import('./pages/SessionSettingsPage'), 'SessionSettingsPage');
const CourseTemplatesPage = page(() => import('./pages/CourseTemplatesPage'), 'CourseTemplatesPage');
const CalendarPage = page(() => import('./pages/CalendarPage'), 'CalendarPage');
const StartPage = page(() => import('./pages/StartPage'), 'StartPage');
const TaperPage = page(() => import('./pages/TaperPage'), 'TaperPage');
const UsersPage = page(() => import('./pages/UsersPage'), 'UsersPage');
const TwoFactorPage = page(() => import('./pages/TwoFactorPage'), 'TwoFactorPage');

function Loading() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

function Guarded() {
  const { user, loading, can, twoFactorEnrolmentPending } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (user.mustChangePassword) return <Navigate to="/change-password" replace />;
  if (twoFactorEnrolmentPending) return <Navigate to="/two-factor" replace />;
  return (
    <Layout>
      {/* Inside the layout, so the navigation stays while a page's chunk loads. */}
      <Suspense
        fallback={
          <Center py="xl">
            <Loader aria-label="Loading" />
          </Center>
        }
      >
        <Routes>
          <Route path="/" element={<StartPage />} />
          <Route path="/patients" element={<PatientsPage />} />
          <Route path="/calendar" element={<CalendarPage />} />
          <Route path="/patients/new" element={<NewPatientPage />} />
          <Route path="/patients/:patientId" element={<PatientPage />} />
          <Route path="/due" element={<DuePage />} />
          {mayOpen(can, '/alerts') && <Route path="/alerts" element={<AlertsPage />} />}
          {mayOpen(can, '/patients/:patientId/tapers/:taperId?') && (
            <Route path="/patients/:patientId/tapers/:taperId?" element={<TaperPage />} />
          )}
          {mayOpen(can, '/patients/:patientId/courses/:courseId') && (
            <Route path="/patients/:patientId/courses/:courseId" element={<CoursePage />} />
          )}
          {mayOpen(can, '/patients/:patientId/sessions/:sessionId') && (
            <Route path="/patients/:patientId/sessions/:sessionId" element={<SessionPage />} />
          )}
          {mayOpen(can, '/rems') && <Route path="/rems" element={<RemsPage />} />}
          {mayOpen(can, '/outcomes') && <Route path="/outcomes" element={<DashboardPage />} />}
          {mayOpen(can, '/session-settings') && (
            <Route path="/session-settings" element={<SessionSettingsPage />} />
          )}
          {mayOpen(can, '/course-templates') && (
            <Route path="/course-templates" element={<CourseTemplatesPage />} />
          )}
          {mayOpen(can, '/infusion-planner') && (
            <Route path="/infusion-planner" element={<InfusionPlannerPage />} />
          )}
          {mayOpen(can, '/mechanism') && <Route path="/mechanism" element={<MechanismPage />} />}
          {mayOpen(can, '/clinic') && <Route path="/clinic" element={<ClinicPage />} />}
          {mayOpen(can, '/users') && <Route path="/users" element={<UsersPage />} />}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/change-password" element={<ChangePasswordPage />} />
          <Route path="/two-factor" element={<TwoFactorPage />} />
          {/* The patient's self-report portal: no account, the link's token authenticates. */}
          <Route path="/portal/:token" element={<PortalPage />} />
          <Route path="/*" element={<Guarded />} />
        </Routes>
      </Suspense>
    </AuthProvider>
  );
}
