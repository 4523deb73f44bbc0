// Package enum spells small typed enums (a uint8 index into a table of
// names) the way TOML files and error messages write them: the
// accelerator's mode switches and the policies' option values parse, print
// and list their allowed spellings through it, so every "must be ..."
// message reads alike.
package enum
