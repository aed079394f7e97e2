import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Repository root: entries, the lock file and the tsconfig are resolved from here, not from the cwd. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The newest Node.js runtime this aws-cdk-lib knows; cdk-nag L1 checks against the same list. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * esbuild turns CommonJS dependencies into `__require` calls, which need a `require` in an ESM
 * bundle; without this banner such a dependency fails at cold start, not at build time.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __dmsCreateRequire } from 'node:module'; const require = __dmsCreateRequire(import.meta.url);";

/** How every function is bundled; the benchmark (test/bench/bundles.ts) bundles with the same options. */
export const APP_FUNCTION_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  // The Node.js runtime ships the AWS SDK v3; bundling it would only add size and cold start.
  externalModules: ['@aws-sdk/*'],
  tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
} satisfies BundlingOptions;

export interface AppFunctionProps {
  /** Path of the entry module relative to the repository root, e.g. `functions/http/dealers/index.ts`. */
  entry: string;
  /** Powertools service name (logs, metrics dimension, trace segment). */
  serviceName: string;
  description?: string;
  environment?: Record<string, string>;
  /** @default 10 seconds (HTTP: API Gateway gives up at 30 s, a request should never come close). */
  timeout?: Duration;
  /** @default 1024 MB (more memory also means more CPU: faster cold starts). */
  memorySize?: number;
  /** @default one month */
  logRetention?: logs.RetentionDays;
  /** Additions to APP_FUNCTION_BUNDLING for code that needs files or packages beside the bundle. */
  bundling?: AppFunctionBundling;
}

export interface AppFunctionBundling {
  /** Installed with npm into the bundle's node_modules (versions from the lock file) instead of inlined. */
  nodeModules?: readonly string[];
  /** Copied into the bundle after esbuild ran; `from` relative to the repository root, `to` to the bundle root (/var/task). */
  copyFiles?: readonly { from: string; to: string }[];
}

/** APP_FUNCTION_BUNDLING plus the extras; exported so the tests can check the hooks without bundling. */
export function appFunctionBundling(extra: AppFunctionBundling = {}): BundlingOptions {
  const copyFiles = extra.copyFiles ?? [];
  for (const file of copyFiles) {
    if (path.isAbsolute(file.to) || file.to.split(/[\\/]/).includes('..')) throw new Error(`copyFiles: ${file.to} must stay inside the bundle`);
    // Fail at synth, not with a cold-start ENOENT: the file must exist when CDK bundles.
    if (!existsSync(path.join(REPO_ROOT, file.from))) throw new Error(`copyFiles: ${file.from} does not exist`);
  }
  return {
    ...APP_FUNCTION_BUNDLING,
    ...(extra.nodeModules?.length ? { nodeModules: [...extra.nodeModules] } : {}),
    ...(copyFiles.length
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) =>
              copyFiles.map((file) => `cp ${shellQuote(path.join(REPO_ROOT, file.from))} ${shellQuote(path.join(outputDir, file.to))}`),
          },
        }
      : {}),
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A Lambda function with the project's defaults: latest Node.js on arm64, an ESM bundle built by
 * the local esbuild (never Docker), its own log group with retention, X-Ray tracing, and its own
 * role without AWS managed policies — callers grant exactly what the function touches.
 */
export class AppFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // Logs are operational, not records of business: they go with the function.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole (a managed
    // policy that may write to any log group): this role may write only to its own log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'dms',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: appFunctionBundling(props.bundling),
    });

    // `tracing: ACTIVE` adds the X-Ray statement to the role's default policy (the infra tests
    // check that it stays the only statement there on Resource "*").
    NagSuppressions.addResourceSuppressions(this.role.node.findChild('DefaultPolicy'), [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions; the only valid resource is "*".',
        appliesTo: ['Resource::*'],
      },
    ]);
  }
}
