// Command sushisim is the command line of the sushisim simulator. It only
// wires packages together: flags become option structs, experiments/config
// loads, experiments/execute runs, merges and writes batch jobs,
// experiments/results reads, plots draws.
//
//	sushisim init [FILE] [--template basic|sweep|cluster|timeseries]
//	sushisim validate FILE...
//	sushisim run FILE [--out DIR] [--workers N] [--resume] [--shard i/n]
//	sushisim merge DIR... [--out DIR]
//	sushisim plot DIR [--figures FILE] [--format png,svg,pdf]
//	sushisim catalog [--builtin NAME | --file F | --sample N | --sweep N] [--accel PRESET] [--pareto]
//	sushisim accel --preset NAME --subnet NAME [--resident NAME] [--kernel N]
//	sushisim calibrate --measured FILE.csv --preset NAME [--fit a,b,c] [--out FILE.toml]
//	sushisim slurm FILE --tasks N [--submit]
//	sushisim k8s FILE --tasks N --image IMAGE [--merge | --only K]
//
// Each subcommand lives in its own file and registers itself with the root
// command in init; TestDocListsEveryCommand keeps this list complete.
package main
