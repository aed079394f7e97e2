/**
 * Imported first by run.ts: the handlers read these when their modules load (Powertools logger and
 * metrics are created at import). Quiet logs, no EMF metric lines on stdout, no SDK Node-version
 * notice (the twin runs on Node 20 on purpose).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
export {};
