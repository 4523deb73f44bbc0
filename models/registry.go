package models

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// supernets are built once, on first use, so that every Lookup of a name
// returns the same *SuperNet (SubNets compare their Net by pointer).
var supernets = map[string]func() *SuperNet{
	ResNet50Name: sync.OnceValue(newResNet50Net),
	MBv3W10Name:  sync.OnceValue(newMBv3Net(MBv3W10Name, 1.0, 128)),
	MBv3W12Name:  sync.OnceValue(newMBv3Net(MBv3W12Name, 1.2, 160)),
}

// SuperNetNames lists the names Lookup knows, sorted.
func SuperNetNames() []string {
	names := make([]string, 0, len(supernets))
	for n := range supernets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the SuperNet of that name.
func Lookup(name string) (*SuperNet, error) {
	f, ok := supernets[name]
	if !ok {
		return nil, fmt.Errorf("supernet %q unknown (known: %s)", name, strings.Join(SuperNetNames(), ", "))
	}
	return f(), nil
}
