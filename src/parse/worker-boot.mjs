// Worker threads do not inherit the tsx loader registered by bin/nianbao:
// register it here, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
