import type { paths } from '../../api/schema';

export type OutcomeSummary =
  paths['/api/outcomes/summary']['get']['responses']['200']['content']['application/json'];
export type Proportion = OutcomeSummary['response'];
