import './polyfills';
import { JavaMissingError, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { persistentSigner } from './jwt';
import { LOCAL_TABLES, dataDir, localPaths } from './paths';
import { seedDemoData } from './seed';
import { startTwin, type Twin } from './twin';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The twin supports Node 20 on purpose (Lambda runs 22+); the SDK's reminder is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  let dynamo: DynamoDbLocal | undefined;
  let twin: Twin | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await twin?.close().catch(() => undefined);
    await dynamo?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // If whoever started us (npm, a shell) is killed alone, do not linger with a JVM behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(0);
  }, 2000).unref();

  try {
    dynamo = await startDynamoDbLocal({ dataDir: localPaths.dynamo() });
  } catch (error) {
    if (error instanceof JavaMissingError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const signer = await persistentSigner(localPaths.jwtKey());
  twin = await startTwin({
    dynamoEndpoint: dynamo.endpoint,
    tables: LOCAL_TABLES,
    signer,
    port: Number(process.env.PORT ?? 3000),
    schedules: true,
    onRequest: ({ method, path, status, ms }) => {
      if (process.env.DMS_ACCESS_LOG !== 'off') console.log(`${method} ${path} → ${status} (${ms.toFixed(1)} ms)`);
    },
  });
  const { seeded, users } = await seedDemoData();

  const tokens: string[] = [];
  for (const user of users) {
    const token = await signer.sign(user);
    const scope = user.dealerId ? ` dealer=${user.dealerId}` : user.regions ? ` regions=${user.regions.join(',')}` : '';
    tokens.push(`  ${user.roles[0]!.padEnd(15)}${scope}\n    ${token}`);
  }
  const admin = await signer.sign(users.find((u) => u.roles[0] === 'admin')!);
  console.log(`
DMS local twin is running (data in ${dataDir()}${seeded ? ', demo data loaded' : ', existing data reused'}).

  API      ${twin.url}
  Docs     ${twin.url}/docs
  Outbox   ${dataDir()}/outbox (scheduled alert emails; fire one now: npm run schedule -- payment-alerts [--date YYYY-MM-DD])
  OpenAPI  ${twin.url}/openapi.json

Tokens for the demo users (valid 12 h; more with: npm run token -- --role <role> [--dealer <id>] [--region <code>]):
${tokens.join('\n')}

Try:
  curl -s -H "Authorization: Bearer ${admin}" "${twin.url}/dealers?limit=5"

Ctrl-C stops the API and DynamoDB Local.
`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
