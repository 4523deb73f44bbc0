package models

import (
	"fmt"
	"sort"
	"strings"
)

// ReferenceCatalog names the builtin catalog of SubNets with a published
// config and accuracy: for ofa-resnet50 the six SubNets whose every layer
// shape is known (ref0..ref5), for ofa-mbv3-w1.0 OFA's two Note8 nets.
const ReferenceCatalog = "reference"

// builtinEntry is one SubNet of a builtin catalog.
type builtinEntry struct {
	name     string
	config   string
	accuracy float64
	source   string
	macs     float64 // as the source table lists them (rounded)
}

// resnet50Reference are the six SubNets the FEATHER notebook
// (maeri-project/FEATHER, End2end_Deployment/feather.ipynb) deploys, with
// every conv shape that notebook lists.
// The configs were worked out from those shapes (each block's mid width
// identifies its expand ratio, each stage's output width its width index,
// the block count its depth); the identification with OFA's specialized
// nets rests on MACs and parameter counts matching the OFA README's table
// (mit-han-lab/once-for-all), which also gives the top-1 accuracies. The
// two smallest were fine-tuned 25 epochs after extraction.
var resnet50Reference = []builtinEntry{
	{"ref0", "r160-d0,0,0,1,0-e0.2,0.2,_,_,0.2,0.2,_,_,0.2,0.2,0.2,0.25,0.2,_,0.2,0.25,_,_-w0,0,0,0,0,1",
		75.0, "resnet50D_MAC@0.6B_top1@75.0_finetune@25", 0.6e9},
	{"ref1", "r160-d0,0,1,1,1-e0.2,0.25,_,_,0.2,0.25,0.2,_,0.2,0.2,0.25,0.2,0.2,_,0.25,0.25,0.25,_-w0,2,0,0,1,1",
		76.3, "resnet50D_MAC@0.9B_top1@76.3_finetune@25", 0.9e9},
	{"ref2", "r192-d0,2,2,1,1-e0.25,0.25,0.2,0.2,0.25,0.25,0.25,0.2,0.2,0.25,0.25,0.25,0.25,_,0.25,0.25,0.25,_-w0,2,0,0,1,2",
		78.3, "resnet50D_MAC@1.8B_top1@78.3", 1.8e9},
	{"ref3", "r192-d2,2,2,1,2-e0.25,0.25,0.25,0.25,0.35,0.25,0.25,0.2,0.2,0.2,0.25,0.25,0.2,_,0.25,0.35,0.25,0.2-w0,2,0,0,2,2",
		79.0, "resnet50D_MAC@2.4B_top1@79.0", 2.4e9},
	{"ref4", "r224-d2,2,2,2,2-e0.25,0.35,0.25,0.2,0.25,0.25,0.25,0.25,0.25,0.2,0.35,0.25,0.25,0.2,0.35,0.35,0.25,0.25-w0,2,0,1,2,1",
		79.7, "resnet50D_MAC@3.7B_top1@79.7", 3.7e9},
	{"ref5", "r224-d2,2,2,2,2-e0.25,0.25,0.25,0.35,0.2,0.25,0.2,0.35,0.25,0.25,0.25,0.2,0.2,0.2,0.25,0.25,0.35,0.2-w0,2,0,2,2,2",
		79.8, "resnet50D_MAC@4.1B_top1@79.8", 4.1e9},
}

// mbv3W10Reference are the OFA-MobileNetV3 (w1.0) specialized nets whose
// configs are public: open-mmlab/mmrazor's converted configs
// OFA_SUBNET_NOTE8_LAT22.yaml and _LAT31.yaml (configs/nas/mmcls/
// onceforall; first conv 16 channels, so width 1.0). Accuracy, MACs and
// params are the OFA README's (Samsung Note8 rows), after 25 epochs of
// fine-tuning. LAT22's first stage-2 block lists expand 3 but SE expand 4;
// OFA sizes SE from the block's mid width, so expand 3 is used.
var mbv3W10Reference = []builtinEntry{
	{"note8_lat@22ms", "r140-d2,2,2,2,2-k3,3,_,_,5,5,_,_,7,3,_,_,5,3,_,_,3,7,_,_-e3,3,_,_,3,3,_,_,4,3,_,_,3,4,_,_,6,6,_,_",
		70.4, "note8_lat@22ms_top1@70.4_finetune@25 (config: open-mmlab/mmrazor OFA_SUBNET_NOTE8_LAT22.yaml)", 67e6},
	{"note8_lat@31ms", "r152-d2,2,3,3,4-k5,3,_,_,5,5,_,_,3,3,5,_,3,5,7,_,3,3,5,5-e3,3,_,_,4,3,_,_,4,4,4,_,4,3,4,_,6,3,3,3",
		72.8, "note8_lat@31ms_top1@72.8_finetune@25 (config: open-mmlab/mmrazor OFA_SUBNET_NOTE8_LAT31.yaml)", 101e6},
}

// ofaReadmeSource prefixes the accuracy source of OFA's specialized nets.
const ofaReadmeSource = "published: once-for-all README, specialized-net table, "

// builtins are net's builtin catalogs, from its registration.
func builtins(net *SuperNet) map[string][]builtinEntry {
	if r := registrationOf(net); r != nil {
		return r.catalogs
	}
	return nil
}

// BuiltinCatalogNames lists the builtin catalogs of a SuperNet, sorted.
func BuiltinCatalogNames(net *SuperNet) []string {
	var names []string
	for n := range builtins(net) {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// BuiltinCatalog returns a builtin catalog of net's SubNets, smallest (in
// MACs) first, each with its published accuracy.
func BuiltinCatalog(net *SuperNet, name string) ([]*SubNet, error) {
	entries, ok := builtins(net)[name]
	if !ok {
		known := BuiltinCatalogNames(net)
		if len(known) == 0 {
			return nil, fmt.Errorf("builtin catalog %q: %s has no builtin catalogs", name, net.Name)
		}
		return nil, fmt.Errorf("builtin catalog %q unknown for %s (known: %s)", name, net.Name, strings.Join(known, ", "))
	}
	out := make([]*SubNet, len(entries))
	for i, e := range entries {
		sn, err := net.Build(e.config)
		if err != nil {
			return nil, fmt.Errorf("builtin catalog %s/%s: %w", name, e.name, err)
		}
		sn.Name = e.name
		sn.Accuracy = e.accuracy
		sn.AccuracySource = ofaReadmeSource + e.source
		out[i] = sn
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].MACs() < out[j].MACs() })
	return out, nil
}
