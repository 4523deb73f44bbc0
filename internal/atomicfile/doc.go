// Package atomicfile writes files so that a reader never sees half of one:
// everything goes to a hidden temporary file beside the target, which is
// renamed into place once complete. Result files (read by resumed runs,
// merges and plots, often on a shared cluster file system), figures and
// catalogs are all written this way.
package atomicfile
