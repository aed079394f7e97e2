import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench module in a child process of its own (`<module> --child`), so its DynamoDB Local,
 * clients and workflow runner start cold and leave nothing behind. The child's stdout lines are
 * passed to `log`, except lines starting with `resultPrefix`, whose JSON becomes the result.
 */
export function benchInChildProcess<R = void>(
  moduleUrl: string,
  name: string,
  options: { log: (line: string) => void; env?: NodeJS.ProcessEnv; resultPrefix?: string },
): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl), '--child'], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    let result: R | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (options.resultPrefix && line.startsWith(options.resultPrefix)) result = JSON.parse(line.slice(options.resultPrefix.length)) as R;
        else options.log(line);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${name} bench exited with ${code}`));
      else if (options.resultPrefix && result === undefined) reject(new Error(`${name} bench printed no result`));
      else resolve(result as R);
    });
  });
}

/** A positive integer setting from the environment (bench sizes). */
export function intFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}
