import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { Layout } from './components/Layout';
import { AlertsPage } from './pages/AlertsPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { CoursePage } from './pages/CoursePage';
import { DashboardPage } from './pages/DashboardPage';
import { DuePage } from './pages/DuePage';
import { InfusionPlannerPage } from './pages/InfusionPlannerPage';
import { LoginPage } from './pages/LoginPage';
import { MechanismPage } from './pages/MechanismPage';
import { NewPatientPage } from './pages/NewPatientPage';
import { PatientPage } from './pages/PatientPage';
import { PatientsPage } from './pages/PatientsPage';
import { PortalPage } from './pages/PortalPage';
import { RemsPage } from './pages/RemsPage';
import { SessionPage } from './pages/SessionPage';
import { SessionSettingsPage } from './pages/SessionSettingsPage';
import { CourseTemplatesPage } from './pages/CourseTemplatesPage';
import { CalendarPage } from './pages/CalendarPage';
import { StartPage } from './pages/StartPage';
import { TaperPage } from './pages/TaperPage';
import { UsersPage } from './pages/UsersPage';

function Guarded() {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (user.mustChangePassword) return <Navigate to="/change-password" replace />;
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<StartPage />} />
        <Route path="/patients" element={<PatientsPage />} />
        <Route path="/calendar" element={<CalendarPage />} />
        <Route path="/patients/new" element={<NewPatientPage />} />
        <Route path="/patients/:patientId" element={<PatientPage />} />
        <Route path="/due" element={<DuePage />} />
        {user.role !== 'staff' && <Route path="/alerts" element={<AlertsPage />} />}
        <Route path="/patients/:patientId/tapers/:taperId?" element={<TaperPage />} />
        <Route path="/patients/:patientId/courses/:courseId" element={<CoursePage />} />
        {user.role !== 'staff' && (
          <Route path="/patients/:patientId/sessions/:sessionId" element={<SessionPage />} />
        )}
        {user.role !== 'staff' && <Route path="/rems" element={<RemsPage />} />}
        {user.role !== 'staff' && <Route path="/outcomes" element={<DashboardPage />} />}
        {user.role === 'admin' && <Route path="/session-settings" element={<SessionSettingsPage />} />}
        {user.role !== 'staff' && <Route path="/course-templates" element={<CourseTemplatesPage />} />}
        {user.role !== 'staff' && <Route path="/infusion-planner" element={<InfusionPlannerPage />} />}
        {user.role !== 'staff' && <Route path="/mechanism" element={<MechanismPage />} />}
        {user.role === 'admin' && <Route path="/users" element={<UsersPage />} />}
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Layout>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/change-password" element={<ChangePasswordPage />} />
        {/* The patient's self-report portal: no account, the link's token authenticates. */}
        <Route path="/portal/:token" element={<PortalPage />} />
        <Route path="/*" element={<Guarded />} />
      </Routes>
    </AuthProvider>
  );
}
