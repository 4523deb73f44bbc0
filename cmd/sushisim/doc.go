// Command sushisim is the command line of the sushisim simulator. It only
// wires packages together: experiments loads, runs and merges, plots draws.
//
//	sushisim init [FILE] [--template basic|sweep|cluster|timeseries]
//	sushisim validate FILE...
//	sushisim run FILE [--out DIR] [--workers N] [--resume] [--shard i/n]
//	sushisim merge DIR... [--out DIR]
//	sushisim plot DIR [--figures FILE] [--format png,svg,pdf]
//
// Each subcommand lives in its own file and registers itself with the root
// command in init.
package main
