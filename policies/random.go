package policies

import "math/rand/v2"

// Random sends each query to an instance drawn uniformly from Env.Rand:
// load-blind like round-robin but without its regularity (the d = 1 case of
// power-of-d). O(1).
type Random struct{ r *rand.Rand }

// Route implements Router.
func (r *Random) Route(_ Need, c ClusterView) int { return r.r.IntN(c.Instances()) }

// RandomSpec builds Random; it has no parameters.
type RandomSpec struct{}

// Validate implements Spec.
func (*RandomSpec) Validate() error { return nil }

// Build implements Spec.
func (*RandomSpec) Build(env *Env) (Router, error) {
	if err := checkRouterRand(env, "random"); err != nil {
		return nil, err
	}
	return &Random{r: env.Rand}, nil
}

// Needs implements Router: nothing.
func (*Random) Needs() Needs { return Needs{} }
