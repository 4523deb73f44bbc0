// Command sushisim is the command line of the sushisim simulator. It only
// wires packages together: experiments loads and runs, plots draws.
//
//	sushisim run experiments/quickstart.toml [--out DIR]
//
// Each subcommand lives in its own file and registers itself with the root
// command in init.
package main
