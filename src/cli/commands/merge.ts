import type { CommandModule } from 'yargs';
import { GRAPH_RENDERERS, type GraphRenderer } from '../../graph/constants.js';

interface MergeArgs {
  dirs: string[];
  o: string;
  parquet: boolean;
  quiet: boolean;
  'graph-top': number;
  names: boolean;
  n: boolean | undefined;
  renderer: GraphRenderer | undefined;
  'layout-timeout': number;
  force: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'combine the output folders of several batch runs (shards) into one, with one index, CSV/Parquet tables and graph',
  builder: (y) =>
    y
      .positional('dirs', { describe: 'output folders of pcapviz batch', type: 'string', array: true, demandOption: true })
      .option('o', { alias: 'output', describe: 'output folder (capture folders are copied into it)', type: 'string', demandOption: true, requiresArg: true })
      .option('parquet', { describe: 'also write captures, conversations and hosts as Parquet', type: 'boolean', default: false })
      .option('force', { describe: 'write into an output folder that holds other files (those with the names merge writes are replaced)', type: 'boolean', default: false })
      .option('quiet', { alias: 'q', describe: 'no summary on stderr', type: 'boolean', default: false })
      .option('graph-top', { describe: 'hosts kept in the merged graph; 0 keeps all', type: 'number', default: 40, requiresArg: true })
      .option('names', { describe: 'label hosts with names learned from the captures (--no-names for none)', type: 'boolean', default: true })
      .option('n', { describe: 'no names (as --no-names)', type: 'boolean' })
      .option('renderer', { describe: 'graph layout: wasm (default) or system', choices: GRAPH_RENDERERS, requiresArg: true })
      .option('layout-timeout', { describe: 'seconds the graph layout may take before sfdp is tried instead', type: 'number', default: 120, requiresArg: true })
      .example('$0 merge part1 part2 part3 -o all --parquet', 'one roll-up of three shards'),
  handler: async (a) => {
    const { runMerge } = await import('../../run/run-batch.js');
    process.exitCode = await runMerge(a.dirs.map(String), {
      output: a.o,
      parquet: a.parquet,
      quiet: a.quiet,
      graphTop: a['graph-top'],
      names: a.names && a.n !== true,
      renderer: a.renderer,
      layoutTimeoutSeconds: a['layout-timeout'],
      force: a.force,
    });
  },
};
