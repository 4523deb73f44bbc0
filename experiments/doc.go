// Package experiments holds the experiment files (quickstart.toml, paper/,
// templates/) and embeds the starter templates `sushisim init` writes. The
// work is done by its subpackages, one job each:
//
//   - config loads and checks a TOML experiment file (every problem at
//     once, "file:line: key.path: message") and expands [sweep] into plain
//     points, each holding the resolved settings of its runs;
//   - execute runs a plan: tasks on a pool of workers, one shard of them or
//     only the unfinished ones, the merge of shards, and the Slurm and
//     Kubernetes jobs of a sweep;
//   - results owns the result files, their readers and writers, and the
//     figure spec with the registry of figure kinds that plots fills.
//
// plots imports results only: drawing a figure does not compile the
// simulator.
package experiments
