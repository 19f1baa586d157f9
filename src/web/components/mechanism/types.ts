import type { paths } from '../../api/schema';

export type MechanismRequest = NonNullable<
  paths['/api/mechanism/simulate']['post']['requestBody']
>['content']['application/json'];
export type MechanismResult =
  paths['/api/mechanism/simulate']['post']['responses'][200]['content']['application/json'];
