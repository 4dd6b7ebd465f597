import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { approvalRepositoryContract } from './approval-repository.contract.js';
import { auditLogContract } from './audit-log.contract.js';
import { importRunRepositoryContract } from './import-run-repository.contract.js';

const nothing = async () => undefined;

importRunRepositoryContract('memory', async () => ({ repo: new MemoryImportRunRepository(), cleanup: nothing }));
approvalRepositoryContract('memory', async () => ({ repo: new MemoryApprovalRepository(), cleanup: nothing }));
auditLogContract('memory', async () => ({ log: new MemoryAuditLog(), cleanup: nothing }));
