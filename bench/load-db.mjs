// What the load test checks in the database, the truth behind the api: which jobs are finished,
// and whether any was completed more than once (a worker writes one 'processing completed' log
// line per completion it records).
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

const ACTIVE = `status in ('queued', 'running')`;
const TWICE = `select job_id from job_logs where message = 'processing completed' group by job_id having count(*) > 1`;

/**
 * @param {{ schema: string | null, postgresUrl: string, dataDir: string }} target
 * @returns {Promise<{ active: number, completedIds: string[], completedTwice: number, retried: number }>}
 */
export async function readJobStats(target) {
  const queries = {
    active: `select count(*) as n from jobs where ${ACTIVE}`,
    completed: `select id from jobs where status = 'completed'`,
    twice: `select count(*) as n from (${TWICE}) t`,
    retried: `select count(*) as n from jobs where attempts > 1`,
  };
  if (target.schema) {
    const client = new pg.Client({ connectionString: target.postgresUrl, options: `-c search_path=${target.schema}` });
    await client.connect();
    try {
      const one = async (sql) => Number((await client.query(sql)).rows[0].n);
      return {
        active: await one(queries.active),
        completedIds: (await client.query(queries.completed)).rows.map((row) => row.id),
        completedTwice: await one(queries.twice),
        retried: await one(queries.retried),
      };
    } finally {
      await client.end();
    }
  }
  const db = new Database(path.join(target.dataDir, 'harmonizer.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const one = (sql) => Number(db.prepare(sql).get().n);
    return {
      active: one(queries.active),
      completedIds: db.prepare(queries.completed).all().map((row) => row.id),
      completedTwice: one(queries.twice),
      retried: one(queries.retried),
    };
  } finally {
    db.close();
  }
}
