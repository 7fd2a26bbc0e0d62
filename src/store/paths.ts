// Where the store lives under the global --data directory (<data>/store):
// shared by the CLI, the pipeline and the server.
import { join } from 'node:path';

export const storeDirOf = (data: string): string => join(data, 'store');
