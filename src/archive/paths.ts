// Where the raw archive lives under the global --data directory (<data>/archive).
import { join } from 'node:path';

export const archiveOf = (data: string): string => join(data, 'archive');
