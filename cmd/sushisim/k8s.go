package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/experiments/execute"
)

func init() {
	var (
		o   execute.K8sOptions
		out string
	)
	cmd := &cobra.Command{
		Use:   "k8s FILE",
		Short: "Write Kubernetes manifests that run a sweep as an Indexed Job",
		Long: `Write a Kubernetes manifest (to stdout, or -o FILE) that runs an experiment's
sweep as an Indexed Job of --tasks N pods: the pod with completion index I
($JOB_COMPLETION_INDEX, 0-based) runs 'sushisim run FILE --shard I+1/N --resume'
into /results/<name> on the PersistentVolumeClaim --pvc, which every pod mounts
(ReadWriteMany when pods may land on several nodes). The experiment file goes
in a ConfigMap of the same manifest, unless --experiment-path names it in the
image or on the volume (needed when it reads other files, such as a trace).
The image needs /bin/sh and sushisim on its PATH (or give --sushisim).

--merge writes instead the Job that merges the shards ('sushisim merge'); apply
it once the Indexed Job is complete. --only K writes a Job that runs shard K
alone, to re-run an index that failed all its retries (K = index + 1); it keeps
the tasks that shard already saved.`,
		Example: `  sushisim k8s sweep.toml --tasks 16 --image registry.example/sushisim:1.0 > job.yaml
  kubectl apply -f job.yaml
  kubectl wait --for=condition=complete --timeout=24h job/sushisim-sweep
  sushisim k8s sweep.toml --tasks 16 --image registry.example/sushisim:1.0 --merge | kubectl apply -f -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			x, err := config.Load(args[0])
			if err != nil {
				return err
			}
			opts := o // not o itself: the flags' variable outlives this run
			opts.Warn = cmd.ErrOrStderr()
			if !cmd.Flags().Changed("parallelism") {
				opts.Parallelism = opts.Tasks
			}
			text, err := execute.K8sManifest(x, args[0], opts)
			if err != nil {
				return err
			}
			if out == "" {
				_, err = fmt.Fprint(cmd.OutOrStdout(), text)
				return err
			}
			return os.WriteFile(out, []byte(text), 0o644)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.Tasks, "tasks", "n", 0, "completions N (shards); each pod should run for tens of seconds")
	f.StringVar(&o.Image, "image", "", "container image holding sushisim")
	f.StringVar(&o.PVC, "pvc", "sushisim-results", "PersistentVolumeClaim for the results, mounted at "+execute.K8sResults)
	f.IntVar(&o.Parallelism, "parallelism", 0, "pods running at once (default: --tasks)")
	f.IntVarP(&o.CPUs, "cpus", "c", 1, "CPUs each pod requests, and the workers each shard runs on")
	f.StringVar(&o.Memory, "memory", "1Gi", "memory each pod requests (and its limit)")
	f.IntVar(&o.Retries, "retries", 2, "retries of a failed index (backoffLimitPerIndex)")
	f.StringVar(&o.Namespace, "namespace", "", "namespace of the objects (default: kubectl's)")
	f.StringVar(&o.Name, "name", "", "name of the Job (default: sushisim-<experiment name>)")
	f.StringVar(&o.Command, "sushisim", "sushisim", "sushisim executable in the image")
	f.StringVar(&o.ExperimentPath, "experiment-path", "", "the experiment file in the pods (default: from a ConfigMap, at "+execute.K8sExperiment+"/<file name>)")
	f.BoolVar(&o.Merge, "merge", false, "write the merge Job instead")
	f.IntVar(&o.Only, "only", 0, "write a Job that runs only shard K (1..N), to re-run a failed index K-1")
	f.StringVarP(&out, "output", "o", "", "write the manifest to this file (default: stdout)")
	_ = cmd.MarkFlagRequired("tasks")
	_ = cmd.MarkFlagRequired("image")
	root.AddCommand(cmd)
}
