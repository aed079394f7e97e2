import { parseArgs } from 'node:util';
import { BUILT_IN_ROLE_NAMES, ROLE_NAME_PATTERN } from '../../domain/access/roles';
import { persistentSigner } from './jwt';
import { localPaths } from './paths';

/**
 * npm run token -- --role <role> [--dealer <dealerId>] [--region <code>]... [--user <id>] [--hours <n>]
 * Prints a token for the local twin, alone on its last line.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true },
    dealer: { type: 'string' },
    region: { type: 'string', multiple: true },
    user: { type: 'string' },
    hours: { type: 'string', default: '12' },
  },
});

const roles = (values.role ?? []).flatMap((r) => r.split(',')).filter(Boolean);
if (roles.length === 0 || roles.some((r) => !ROLE_NAME_PATTERN.test(r))) {
  console.error(`Usage: npm run token -- --role <role> [--dealer <dealerId>] [--region <code>]\nBuilt-in roles: ${BUILT_IN_ROLE_NAMES.join(', ')} (custom roles by name).`);
  process.exit(2);
}
if (roles.some((r) => r.startsWith('dealer_')) && !values.dealer) {
  console.error('Dealer roles need --dealer <dealerId> (npm start prints the demo dealer tokens).');
  process.exit(2);
}
const regions = (values.region ?? []).flatMap((r) => r.split(',')).filter(Boolean);
if (roles.includes('sales_manager') && regions.length === 0) {
  console.error('Note: a sales_manager without --region sees no dealers.');
}
const signer = await persistentSigner(localPaths.jwtKey());
const token = await signer.sign({
  userId: values.user ?? `local-${roles.join('-').replace(/_/g, '-')}`,
  roles,
  ...(values.dealer ? { dealerId: values.dealer } : {}),
  ...(regions.length ? { regions } : {}),
  expiresIn: Math.round(Number(values.hours) * 3600),
});
console.log(token);
