import type { CommandModule } from 'yargs';
import {
  DEFAULT_TOP,
  GRAPH_ENGINES,
  GRAPH_FORMATS,
  GRAPH_LAYERS,
  GRAPH_RENDERERS,
  GRAPH_WEIGHTS,
  type GraphEngine,
  type GraphFormat,
  type GraphLayer,
  type GraphRenderer,
  type GraphWeight,
} from '../../graph/constants.js';
import { STDIO_ARG, withCaptures, withDecodeAs, withFilter } from '../options.js';

interface GraphArgs {
  captures: string[];
  output: string;
  format: GraphFormat | undefined;
  layer: GraphLayer;
  weight: GraphWeight;
  top: number;
  cluster: number | undefined;
  'cluster-v6': number;
  'exclude-broadcast': boolean;
  engine: GraphEngine | undefined;
  renderer: GraphRenderer | undefined;
  'layout-timeout': number;
  'max-flows': number | undefined;
  'decode-as': string[];
  names: boolean;
  n: boolean | undefined;
  filter: string | undefined;
}

export const graphCommand: CommandModule<object, GraphArgs> = {
  command: 'graph <captures..>',
  describe: 'draw who talks to whom: a conversation graph as SVG, PNG, PDF, DOT or JSON',
  builder: (y) =>
    withFilter(withDecodeAs(withCaptures(y)))
      .option('output', {
        alias: 'o',
        describe: 'output file; its extension picks the format (.svg .png .pdf .dot .json); - for standard output with --format',
        type: 'string',
        demandOption: true,
        requiresArg: true,
        coerce: (v: unknown) => (v === STDIO_ARG ? '-' : String(v)),
      })
      .option('format', { describe: 'output format when the extension does not say', choices: GRAPH_FORMATS, requiresArg: true })
      .option('layer', {
        describe: 'what the nodes are: eth devices, ip hosts, transport services (server host:port), app names (DNS/SNI/Host where known)',
        choices: GRAPH_LAYERS,
        default: 'ip' as GraphLayer,
      })
      .option('weight', { describe: 'what ranks nodes and sets edge widths', choices: GRAPH_WEIGHTS, default: 'packets' as GraphWeight })
      .option('top', { describe: 'keep the N busiest nodes and fold the rest into one "other hosts" node; 0 keeps all', type: 'number', default: DEFAULT_TOP, requiresArg: true })
      .option('cluster', { describe: 'group IP hosts into subnet clusters of this IPv4 prefix length (e.g. 24)', type: 'number', requiresArg: true })
      .option('cluster-v6', { describe: 'IPv6 prefix length of subnet clusters', type: 'number', default: 64, requiresArg: true })
      .option('exclude-broadcast', { describe: 'leave out conversations with a broadcast or multicast address', type: 'boolean', default: false })
      .option('engine', { describe: 'Graphviz layout engine (default: chosen by the size of the graph)', choices: GRAPH_ENGINES, requiresArg: true })
      .option('renderer', { describe: 'wasm: built-in Graphviz (default); system: the installed Graphviz (dot)', choices: GRAPH_RENDERERS, requiresArg: true })
      .option('layout-timeout', { describe: 'seconds a layout may take before sfdp is tried instead', type: 'number', default: 120, requiresArg: true })
      .option('names', {
        describe: 'label nodes with names learned from the capture (DNS answers, TLS SNI, HTTP Host, DHCP, NetBIOS); --no-names for none',
        type: 'boolean',
        default: true,
      })
      .option('n', { describe: 'no names learned from the capture (as --no-names)', type: 'boolean' })
      .option('max-flows', { describe: 'most conversations kept live per table (default 1000000)', type: 'number', requiresArg: true })
      .example('$0 graph trace.pcap -o hosts.png', 'the 40 busiest hosts and who they talk to')
      .example('$0 graph trace.pcap --layer transport --weight bytes -o services.svg', 'clients and the services they use, by bytes')
      .example('$0 graph a.pcap b.pcap --cluster 24 --top 0 -o all.pdf', 'every host of two captures, grouped by /24'),
  handler: async (args) => {
    const { runGraph } = await import('../../run/run-graph.js');
    process.exitCode = await runGraph(args.captures, {
      output: args.output,
      format: args.format,
      layer: args.layer,
      weight: args.weight,
      top: args.top,
      cluster: args.cluster,
      clusterV6: args['cluster-v6'],
      excludeBroadcast: args['exclude-broadcast'],
      engine: args.engine,
      renderer: args.renderer,
      timeoutSeconds: args['layout-timeout'],
      maxFlows: args['max-flows'],
      decodeAs: args['decode-as'],
      names: args.names && args.n !== true,
      filter: args.filter,
    });
  },
};
