/**
 * `npm run schedule -- <name> [--date YYYY-MM-DD]`: fires one schedule of the table now on the
 * twin. While `npm start` runs it asks that process (POST /_twin/schedules/<name>, admin token
 * from the dev key), so the run uses the twin's DynamoDB Local; otherwise it starts DynamoDB
 * Local on the same data directory itself, runs the handler in process and stops it again.
 * Emails land in <data dir>/outbox/ either way.
 */
import './polyfills';
import { SCHEDULES } from '../../functions/schedules/registry';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { startDynamoDbLocal } from './dynamodb-local';
import { persistentSigner } from './jwt';
import { LOCAL_TABLES, localPaths } from './paths';
import { fireSchedule, TWIN_SCHEDULE_PATH } from './scheduler';
import { ensureTables } from './tables';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(`usage: npm run schedule -- <${SCHEDULES.map((s) => s.name).join('|')}> [--date YYYY-MM-DD]`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith('--'));
  const dateIndex = args.indexOf('--date');
  const date = dateIndex >= 0 ? args[dateIndex + 1] : undefined;
  if (!name) usage();
  if (!SCHEDULES.some((s) => s.name === name)) usage(`unknown schedule ${name}`);
  if (dateIndex >= 0 && !/^\d{4}-\d{2}-\d{2}$/.test(date ?? '')) usage('--date needs YYYY-MM-DD');

  const port = Number(process.env.PORT ?? 3000);
  const signer = await persistentSigner(localPaths.jwtKey());
  const token = await signer.sign({ userId: 'cli-schedule', roles: ['admin'], expiresIn: 300 });
  const url = `http://127.0.0.1:${port}${TWIN_SCHEDULE_PATH}${encodeURIComponent(name)}${date ? `?date=${date}` : ''}`;
  let response: Response | undefined;
  try {
    response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  } catch {
    response = undefined; // nothing listening: run it ourselves
  }
  if (response) {
    const body = await response.text();
    console.log(`${name} on the running twin (${port}): ${body}`);
    process.exit(response.ok ? 0 : 1);
  }

  console.log(`No twin on port ${port}; starting DynamoDB Local on ${localPaths.dynamo()} for this run.`);
  const dynamo = await startDynamoDbLocal({ dataDir: localPaths.dynamo() });
  try {
    process.env[ENV.dynamoEndpoint] = dynamo.endpoint;
    process.env[ENV.tableName] = LOCAL_TABLES.main;
    process.env[ENV.idempotencyTableName] = LOCAL_TABLES.idempotency;
    process.env[ENV.enterpriseTimeZone] ??= 'Asia/Shanghai';
    process.env.AWS_REGION ??= 'local';
    await ensureTables(dynamo.endpoint, LOCAL_TABLES);
    const result = await fireSchedule(name, date ? { date } : {});
    console.log(`${name}: ${JSON.stringify(result)}`);
  } finally {
    await dynamo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
