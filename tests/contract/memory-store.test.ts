import { MemoryCostRepository } from '../../adapters/memory/memory-cost.repository.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { costRepositoryContract } from './cost-repository.contract.js';
import { importRunRepositoryContract } from './import-run-repository.contract.js';

const nothing = async () => undefined;

costRepositoryContract('memory', async () => ({ repo: new MemoryCostRepository(), cleanup: nothing }));
importRunRepositoryContract('memory', async () => ({ repo: new MemoryImportRunRepository(), cleanup: nothing }));
