import { MemoryDeliveryLog } from '../../adapters/memory/memory-delivery.log.js';
import { deliveryLogContract } from './delivery-log.contract.js';

deliveryLogContract('memory', async () => ({ log: new MemoryDeliveryLog(), cleanup: async () => undefined }));
