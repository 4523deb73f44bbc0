package workloads

// The built-in arrival processes, one registration each.

func rateOf(a *ArrivalConfig) (float64, bool) { return a.Rate, true }

func alwaysFinite(*ArrivalConfig) bool { return true }

func init() {
	// Exponential gaps, mean 1/rate.
	Register(Process{Name: ProcessPoisson, Keys: []string{"rate"},
		Validate: func(a *ArrivalConfig, v *Problems) { v.Positive("arrival.rate", a.Rate) },
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return &poissonProcess{r: env.Rand, meanNs: 1e9 / a.Rate}, nil
		},
		MeanRate: rateOf})
	// Fixed gaps of 1/rate.
	Register(Process{Name: ProcessConstant, Keys: []string{"rate"},
		Validate: func(a *ArrivalConfig, v *Problems) { v.Positive("arrival.rate", a.Rate) },
		Build: func(a *ArrivalConfig, _ *BuildEnv) (Arrivals, error) {
			return &constantProcess{gapNs: 1e9 / a.Rate}, nil
		},
		MeanRate: rateOf})
	// I.i.d. gamma gaps: mean 1/rate, squared coefficient of variation cv2.
	Register(Process{Name: ProcessGamma, Keys: []string{"rate", "cv2"},
		Validate: func(a *ArrivalConfig, v *Problems) {
			v.Positive("arrival.rate", a.Rate)
			v.Positive("arrival.cv2", a.CV2)
		},
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return newGammaProcess(env.Rand, a.Rate, a.CV2), nil
		},
		MeanRate: rateOf})
	// A two-state Markov-modulated Poisson process.
	Register(Process{Name: ProcessMMPP, Keys: []string{"rates", "sojourn_s"},
		Validate: func(a *ArrivalConfig, v *Problems) { a.validateMMPP(v) },
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return newMMPPProcess(env.Rand, a.Rates, a.SojournS), nil
		},
		// (r0*s0 + r1*s1) / (s0 + s1): the stationary mix of the two states.
		MeanRate: func(a *ArrivalConfig) (float64, bool) {
			if len(a.Rates) != 2 || len(a.SojournS) != 2 {
				return 0, false
			}
			return (a.Rates[0]*a.SojournS[0] + a.Rates[1]*a.SojournS[1]) / (a.SojournS[0] + a.SojournS[1]), true
		}})
	// Poisson with a sinusoidal rate, by thinning.
	Register(Process{Name: ProcessDiurnal, Keys: []string{"rate", "amplitude", "period_s", "phase_s"},
		Validate: func(a *ArrivalConfig, v *Problems) {
			v.Positive("arrival.rate", a.Rate)
			v.Unit("arrival.amplitude", a.Amplitude)
			v.Positive("arrival.period_s", a.PeriodS)
			v.Finite("arrival.phase_s", a.PhaseS)
		},
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return newDiurnalProcess(env.Rand, a.Rate, a.Amplitude, a.PeriodS, a.PhaseS), nil
		},
		MeanRate: rateOf})
	// Replay a CSV of timestamps.
	Register(Process{Name: ProcessTrace, Keys: []string{"trace"},
		Validate: func(a *ArrivalConfig, v *Problems) { a.Trace.validate(v) },
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return newTraceProcess(&a.Trace, env.BaseDir)
		},
		Finite: alwaysFinite,
		Files:  func(a *ArrivalConfig) []FileRef { return []FileRef{{"arrival.trace.path", a.Trace.Path}} },
		Needs: func(a *ArrivalConfig) NeedsSource {
			if a.Trace.AccuracyColumn != "" {
				return NeedsFromArrivals
			}
			return NeedsModel
		}})
	// Replay Azure Functions 2019 per-minute counts.
	Register(Process{Name: ProcessAzure, Keys: []string{"azure"},
		Validate: func(a *ArrivalConfig, v *Problems) { a.Azure.validate(v) },
		Build: func(a *ArrivalConfig, env *BuildEnv) (Arrivals, error) {
			return newAzureProcess(&a.Azure, env.Rand, env.BaseDir)
		},
		Finite: alwaysFinite,
		Files:  func(a *ArrivalConfig) []FileRef { return []FileRef{{"arrival.azure.path", a.Azure.Path}} }})
}
