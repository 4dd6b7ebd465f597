import { MemoryAlertRepository } from '../../adapters/memory/memory-alert.repository.js';
import { alertRepositoryContract } from './alert-repository.contract.js';

alertRepositoryContract('memory', async () => ({ repo: new MemoryAlertRepository(), cleanup: async () => undefined }));
