// Yours: the entry point of minimal as one process. microgen created it once and never changes it.
import { system } from './generated/system.js';

await system.start();
