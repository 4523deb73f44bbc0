// Package models holds the networks sushisim serves, as shapes only.
//
// It owns:
//   - SuperNet search spaces (OFA-ResNet50 and OFA-MobileNetV3 as the
//     Once-for-All code builds them), looked up by name with Lookup;
//   - SubNets: the layer shapes (Layer) of the network a config string
//     selects, in execution order, with MACs, weights and parameter counts;
//   - SubGraphs: sets of SuperNet weights held as one leading Slice per
//     SuperNet layer, with their set algebra (Intersect, Union, Contains...);
//   - catalogs of SubNets with an ImageNet top-1 accuracy and where that
//     accuracy comes from (a published table, a user's measurement, or a
//     model fitted to published points).
//
// It knows nothing of time or hardware: latency, energy and bytes per weight
// are the accelerator's business, and anything that needs a latency (the
// Pareto frontier) takes it as a function.
//
// Every constant taken from OFA's code or tables names its source in a
// comment and in docs/assumptions.md (section "models").
package models
