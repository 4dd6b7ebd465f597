import type { AccountInventory, InventoryAccounts } from '../../src/recommendations/inventory.port.js';
import type { AwsAccounts } from './aws-accounts.js';
import { AwsEc2Inventory, type AwsEc2InventoryOptions } from './aws-ec2.inventory.js';

/**
 * The {@link InventoryAccounts} of the AWS accounts Tally covers: one {@link AwsEc2Inventory} per account, kept
 * across scans. A member account's role is assumed on its inventory's first call, so an account whose role cannot be
 * assumed fails there, naming the account and the role, while the others are read.
 */
export class AwsAccountInventories implements InventoryAccounts {
  private readonly inventories = new Map<string, AwsEc2Inventory>();

  constructor(
    private readonly accounts: AwsAccounts,
    private readonly options: Omit<AwsEc2InventoryOptions, 'accountId'> = {},
  ) {}

  async list(): Promise<AccountInventory[]> {
    const ids = await this.accounts.list();
    return ids.map((accountId) => ({ accountId, inventory: this.inventoryOf(accountId) }));
  }

  private inventoryOf(accountId: string): AwsEc2Inventory {
    let inventory = this.inventories.get(accountId);
    if (!inventory) {
      inventory = new AwsEc2Inventory(() => this.accounts.clients(accountId), { ...this.options, accountId });
      this.inventories.set(accountId, inventory);
    }
    return inventory;
  }
}
