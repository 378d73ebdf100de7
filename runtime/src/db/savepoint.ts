/** A transaction inside a transaction, for both PostgreSQL resources: a savepoint of the outer one. */

/** Runs `work` inside `SAVEPOINT <name>`: released when it succeeds, rolled back to (and rethrown) when it throws. */
export async function inSavepoint<T>(query: (text: string) => Promise<unknown>, name: string, work: () => Promise<T>): Promise<T> {
  await query(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    await query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw err;
  }
}
