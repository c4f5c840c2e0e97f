import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/temp.js';

// Each test file removes the folders it made once its tests are done.
afterAll(removeTempDirs);
