package models

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// registration is everything the package knows of one SuperNet, given in
// one place: adding a SuperNet is one entry of registrations (or one call
// of register). The rest of the package (Lookup, builtin catalogs, the
// accuracy fit) reads only this.
type registration struct {
	name string
	// build makes the SuperNet; it runs once, on first use, so that every
	// Lookup of the name returns the same *SuperNet (SubNets compare their
	// Net by pointer).
	build func() *SuperNet
	// catalogs are the builtin catalogs by name (ReferenceCatalog, ...).
	catalogs map[string][]builtinEntry
	// points are published accuracy points besides the builtin catalogs'
	// SubNets (nets whose configs are not known), for AccuracyFit.
	points []AccuracyPoint
	net    func() *SuperNet // build, once
}

// registrations are the SuperNets Lookup knows.
var registrations = map[string]*registration{}

func init() {
	for _, r := range []registration{
		{name: ResNet50Name, build: newResNet50Net,
			catalogs: map[string][]builtinEntry{ReferenceCatalog: resnet50Reference}, points: resnet50ExtraPoints},
		{name: MBv3W10Name, build: newMBv3Net(MBv3W10Name, 1.0, 128),
			catalogs: map[string][]builtinEntry{ReferenceCatalog: mbv3W10Reference}, points: mbv3Points(false)},
		{name: MBv3W12Name, build: newMBv3Net(MBv3W12Name, 1.2, 160), points: mbv3Points(true)},
	} {
		if err := register(r); err != nil {
			panic(err) // the table above is the package's own
		}
	}
}

// register adds a SuperNet; its name must be new and its build set.
func register(r registration) error {
	switch {
	case r.name == "" || r.build == nil:
		return fmt.Errorf("supernet registration needs a name and a build function")
	case registrations[r.name] != nil:
		return fmt.Errorf("supernet %q registered twice", r.name)
	}
	r.net = sync.OnceValue(r.build)
	registrations[r.name] = &r
	return nil
}

// SuperNetNames lists the names Lookup knows, sorted.
func SuperNetNames() []string {
	names := make([]string, 0, len(registrations))
	for n := range registrations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the SuperNet of that name.
func Lookup(name string) (*SuperNet, error) {
	r, ok := registrations[name]
	if !ok {
		return nil, fmt.Errorf("supernet %q unknown (known: %s)", name, strings.Join(SuperNetNames(), ", "))
	}
	return r.net(), nil
}

// registrationOf is net's registration (nil for a SuperNet built outside
// the registry).
func registrationOf(net *SuperNet) *registration {
	return registrations[net.Name]
}
