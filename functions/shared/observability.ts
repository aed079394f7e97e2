import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger, metrics and tracer per execution environment. Outside Lambda (the twin, tests)
 * Powertools keeps tracing off; POWERTOOLS_* environment variables tune them on AWS.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'dms';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: 'DMS' });
export const tracer = new Tracer({ serviceName });
