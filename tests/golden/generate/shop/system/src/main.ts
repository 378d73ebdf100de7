// Yours: the entry point of shop as one process. microgen created it once and never changes it.
import { system } from './generated/system.js';

await system.start();
