import { AppShell, Burger, Group, NavLink, Text, Title, Button } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';

export function Layout({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { user, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const links = [
    { to: '/', label: 'Start' },
    { to: '/patients', label: 'Patients' },
    { to: '/calendar', label: 'Calendar' },
    { to: '/due', label: 'Due list' },
    ...(user && user.role !== 'staff' ? [{ to: '/alerts', label: 'Alerts' }] : []),
    ...(user && user.role !== 'staff' ? [{ to: '/infusion-planner', label: 'Infusion planner' }] : []),
    ...(user && user.role !== 'staff' ? [{ to: '/mechanism', label: 'Mechanism' }] : []),
    ...(user && user.role !== 'staff' ? [{ to: '/rems', label: 'REMS forms' }] : []),
    ...(user && user.role !== 'staff' ? [{ to: '/outcomes', label: 'Outcomes' }] : []),
    ...(user && user.role !== 'staff' ? [{ to: '/course-templates', label: 'Course templates' }] : []),
    ...(user?.role === 'admin' ? [{ to: '/session-settings', label: 'Session settings' }] : []),
    ...(user?.role === 'admin' ? [{ to: '/users', label: 'Users' }] : []),
  ];
  const isActive = (to: string) =>
    to === '/' ? location.pathname === '/' : location.pathname.startsWith(to);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={3} c="teal.8">
              Rein
            </Title>
          </Group>
          <Group gap="sm">
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {user?.name} · {user?.role}
            </Text>
            <Button
              variant="subtle"
              size="xs"
              onClick={async () => {
                await signOut();
                navigate('/login');
              }}
            >
              Log out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={l.label}
            active={isActive(l.to)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">{children}</AppShell.Main>
    </AppShell>
  );
}
