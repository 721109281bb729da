/**
 * `npm run allocate -- --input FILE [--strategy optimal|greedy]`: solves an allocation instance from a
 * JSON file (allocation-input.ts) and prints the plan as JSON. Exit 1: invalid input (the first problem
 * on stderr); exit 2: bad usage or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { AllocationInputError, allocationOutput, parseAllocationInput } from './allocation-input';
import { solveGreedy } from './greedy';
import { AllocationStrategy } from './instance';
import { solveOptimal } from './optimal';

const USAGE = '用法: npm run allocate -- --input FILE [--strategy optimal|greedy]';

function main(args: string[]): number {
  let input: string | undefined;
  let strategy: AllocationStrategy = 'optimal';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--input') input = args[++i];
    else if (args[i] === '--strategy') {
      const value = args[++i];
      if (value !== 'optimal' && value !== 'greedy') {
        console.error(`--strategy 必须是 optimal 或 greedy\n${USAGE}`);
        return 2;
      }
      strategy = value;
    } else {
      console.error(`未知参数 ${args[i]}\n${USAGE}`);
      return 2;
    }
  }
  if (!input) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (error) {
    console.error(`无法读取 ${input}: ${(error as Error).message}`);
    return 2;
  }
  try {
    const parsed = parseAllocationInput(text);
    const start = process.hrtime.bigint();
    const result = strategy === 'optimal' ? solveOptimal(parsed.instance) : solveGreedy(parsed.instance);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(JSON.stringify(allocationOutput(parsed, result, seconds)));
    return 0;
  } catch (error) {
    if (error instanceof AllocationInputError) {
      console.error(`输入无效: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
