import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { APP_FUNCTION_BUNDLING, NODE_RUNTIME, REPO_ROOT } from '../../infra/constructs/app-function';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { HTTP_CONTEXTS } from '../../functions/http/routes';
import { median } from './stats';


/** The esbuild target NodejsFunction derives from the runtime name (`nodejs24.x` → `node24`). */
export function esbuildTarget(runtimeName: string = NODE_RUNTIME.name): string {
  const major = /nodejs(\d+)/.exec(runtimeName)?.[1];
  if (!major) throw new Error(`Cannot derive an esbuild target from runtime ${runtimeName}`);
  return `node${major}`;
}

/**
 * The same esbuild invocation NodejsFunction's local bundling runs (aws-cdk-lib
 * aws-lambda-nodejs/lib/bundling.js `buildEsbuildArgs`): `--bundle --target --platform=node
 * --format --outfile=index.mjs --minify --sourcemap --sources-content=false --external
 * --tsconfig --banner:js --main-fields`, plus a metafile for the size breakdown.
 */
export function esbuildOptionsFor(entry: string, outfile: string, bundling: BundlingOptions = APP_FUNCTION_BUNDLING): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    target: esbuildTarget(),
    platform: 'node',
    format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: [...(bundling.externalModules ?? ['@aws-sdk/*'])],
    ...(bundling.tsconfig ? { tsconfig: bundling.tsconfig } : {}),
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    ...(bundling.mainFields ? { mainFields: [...bundling.mainFields] } : {}),
    metafile: true,
    logLevel: 'warning',
  };
}

export interface BundleReport {
  context: string;
  entry: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output per npm package (or `(project)` for the repo's own code), largest first. */
  byPackage: { name: string; bytes: number }[];
  /** Bare specifiers left external (resolved at run time: the Lambda runtime's AWS SDK). */
  externals: string[];
  /** Per package: the shortest import chain from the entry (project files, then packages). */
  chains: Map<string, string[]>;
}

/** `node_modules/@scope/name/...` → `@scope/name`; sources of the repository → `(project)`. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(project)';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Breadth-first from the entry: the first (shortest) way each package gets pulled in. */
function importChains(metafile: Metafile, entry: string): Map<string, string[]> {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  const chains = new Map<string, string[]>();
  while (queue.length) {
    const file = queue.shift()!;
    const pkg = packageOf(file);
    if (!chains.has(pkg)) {
      const path: string[] = [];
      for (let at: string | null = file; at !== null; at = previous.get(at) ?? null) {
        const name = packageOf(at) === '(project)' ? at : packageOf(at);
        if (path[0] !== name) path.unshift(name);
      }
      chains.set(pkg, path);
    }
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || previous.has(imported.path) || !metafile.inputs[imported.path]) continue;
      previous.set(imported.path, file);
      queue.push(imported.path);
    }
  }
  return chains;
}

function breakdown(metafile: Metafile, outfile: string, entry: string): Pick<BundleReport, 'byPackage' | 'externals' | 'chains'> {
  const key = Object.keys(metafile.outputs).find((k) => join(REPO_ROOT, k) === outfile || k === outfile);
  const output = key ? metafile.outputs[key]! : Object.values(metafile.outputs).find((o) => o.entryPoint)!;
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
  }
  const externals = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) if (imported.external && !isBuiltin(imported.path)) externals.add(imported.path);
  }
  return {
    byPackage: [...sizes].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    externals: [...externals].sort(),
    chains: importChains(metafile, entry),
  };
}

/**
 * Bundles every HTTP context entry (functions/http/<name>/index.ts) into `outDir/<name>/index.mjs`.
 * `outDir` must lie inside the repository: the bundles leave `@aws-sdk/*` external like on Lambda,
 * and Node's ESM resolver (which ignores NODE_PATH) finds them by walking up to node_modules.
 */
export async function bundleContexts(outDir: string): Promise<BundleReport[]> {
  rmSync(outDir, { recursive: true, force: true });
  const reports: BundleReport[] = [];
  for (const context of HTTP_CONTEXTS) {
    const entry = `functions/http/${context.name}/index.ts`;
    const file = join(outDir, context.name, 'index.mjs');
    mkdirSync(join(outDir, context.name), { recursive: true });
    const result = await build(esbuildOptionsFor(entry, file));
    if (result.errors.length) throw new Error(`esbuild failed for ${entry}`);
    writeFileSync(join(outDir, context.name, 'index.meta.json'), JSON.stringify(result.metafile));
    const code = readFileSync(file);
    reports.push({
      context: context.name,
      entry,
      file,
      bytes: statSync(file).size,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      ...breakdown(result.metafile!, file, entry),
    });
  }
  return reports;
}

/** Environment of a deployed function, with dummy resource names (nothing is called at import). */
export function lambdaLikeEnv(context: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    [ENV.tableName]: 'bench-main',
    [ENV.idempotencyTableName]: 'bench-idempotency',
    [ENV.eventBusName]: 'bench-bus',
    [ENV.enterpriseTimeZone]: 'Asia/Shanghai',
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_SERVICE_NAME: `dms-${context}`,
    POWERTOOLS_METRICS_NAMESPACE: 'dms',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Runs in a fresh `node`: times `await import(file)` and checks the module exports a handler. */
const PROBE = `
const file = process.argv[1];
const t0 = performance.now();
const mod = await import(file);
const ms = performance.now() - t0;
if (process.argv[2] === 'handler' && typeof mod.handler !== 'function') throw new Error('no handler export in ' + file);
process.stdout.write(JSON.stringify({ ms, rssMb: process.memoryUsage().rss / 2 ** 20 }));
`;

export interface ImportTiming {
  runs: number[];
  median: number;
  min: number;
  max: number;
  rssMb: number;
}

/** One fresh `node` importing `url` once: milliseconds for the import and the RSS afterwards. */
function probeOnce(url: string, expect: 'handler' | 'any', env: NodeJS.ProcessEnv): { ms: number; rssMb: number } {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, url, expect], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) {
    throw new Error(`import probe failed for ${url} (exit ${child.status}):\n${child.stderr || child.error?.message}`);
  }
  return JSON.parse(child.stdout) as { ms: number; rssMb: number };
}

function summarize(samples: { ms: number; rssMb: number }[]): ImportTiming {
  const times = samples.map((s) => s.ms);
  return { runs: times, median: median(times), min: Math.min(...times), max: Math.max(...times), rssMb: median(samples.map((s) => s.rssMb)) };
}

export interface ColdImportReport {
  context: string;
  /** Plain `node`. */
  plain: ImportTiming;
  /** `NODE_OPTIONS=--enable-source-maps`, as AppFunction deploys it. */
  sourceMaps: ImportTiming;
  /** Only the external `@aws-sdk/*` modules the bundle imports (the part the Lambda runtime provides). */
  sdkOnly: ImportTiming;
}

/**
 * Cold import of each bundle: one fresh `node` process per import, `runs` per variant, medians.
 * The three variants alternate run by run, so a burst of load on the machine hits them alike.
 */
export function measureColdImports(bundles: BundleReport[], runs: number): ColdImportReport[] {
  return bundles.map((bundle) => {
    const env = lambdaLikeEnv(bundle.context);
    const sdkFile = join(bundle.file, '..', 'sdk-only.mjs');
    writeFileSync(sdkFile, bundle.externals.map((s) => `import ${JSON.stringify(s)};`).join('\n') + '\n');
    const url = pathToFileURL(bundle.file).href;
    const sdkUrl = pathToFileURL(sdkFile).href;
    const plain: { ms: number; rssMb: number }[] = [];
    const sourceMaps: { ms: number; rssMb: number }[] = [];
    const sdkOnly: { ms: number; rssMb: number }[] = [];
    for (let i = 0; i < runs; i += 1) {
      plain.push(probeOnce(url, 'handler', env));
      sourceMaps.push(probeOnce(url, 'handler', { ...env, NODE_OPTIONS: '--enable-source-maps' }));
      sdkOnly.push(probeOnce(sdkUrl, 'any', env));
    }
    return { context: bundle.context, plain: summarize(plain), sourceMaps: summarize(sourceMaps), sdkOnly: summarize(sdkOnly) };
  });
}

export function relativeToRepo(file: string): string {
  return relative(REPO_ROOT, file);
}
