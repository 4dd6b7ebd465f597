import { MongoDBSaver } from '@langchain/langgraph-checkpoint-mongodb';
import { MongoClient } from 'mongodb';
import { TallyError } from '../../src/shared/errors.js';

/**
 * LangGraph's MongoDB checkpointer on its own `mongodb` 6 client (mongoose brings mongodb 7, whose client types
 * conflict with the checkpointer's): conversation memory per thread. No `ttl` option: FerretDB rejects TTL indexes.
 * Nothing purges old threads yet.
 */
export async function createMongoCheckpointer(
  uri: string,
): Promise<{ saver: MongoDBSaver; close: () => Promise<void> }> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const saver = new MongoDBSaver({ client });
  const setup = (saver as unknown as { setup?: () => Promise<Error[] | undefined> }).setup;
  const errors = setup ? await setup.call(saver) : undefined;
  if (errors && errors.length > 0)
    throw new TallyError('STORE_UNAVAILABLE', `checkpointer setup failed: ${errors.map((e) => e.message).join('; ')}`);
  return { saver, close: () => client.close() };
}
